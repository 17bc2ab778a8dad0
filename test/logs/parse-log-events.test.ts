import { describe, expect, it } from 'vitest';
import { parseLogEvents } from '../../logs/parse-log-events';
import {
  BASE_TIME,
  BASE_TIMESTAMP_MS,
  jsonPlatformReport,
  REQUEST_ID,
  reportLine,
  startLine,
  textLine,
  timeoutLine,
} from '../support/log-payloads';

const LOG_GROUP = '/aws/lambda/shop-presignup';

describe('parseLogEvents', () => {
  it('accounts for every event', () => {
    const batch = parseLogEvents({
      logGroup: LOG_GROUP,
      events: [
        { message: startLine() },
        { message: reportLine({ durationMs: 4800 }) },
        { message: 17 },
        { message: '{"broken":' },
      ],
    });
    expect(batch.stats).toEqual({ lines: 4, withSignal: 1, quiet: 1, unreadable: 2, controlMessages: 0 });
    expect(batch.stats.lines).toBe(batch.stats.withSignal + batch.stats.quiet + batch.stats.unreadable);
  });

  it('uses the per-event stream of filter-log-events output and the event id', () => {
    const batch = parseLogEvents({
      logGroup: LOG_GROUP,
      logStream: 'fallback',
      events: [
        { id: 'e1', timestamp: BASE_TIMESTAMP_MS, message: timeoutLine(), logStreamName: 'stream-a' },
        { message: timeoutLine() },
      ],
    });
    expect(batch.observations.map(({ origin }) => [origin.logStream, origin.eventId])).toEqual([
      ['stream-a', 'e1'],
      ['fallback', undefined],
    ]);
  });

  it("takes a line's own time when the event has none, and carries it to platform lines that follow", () => {
    const batch = parseLogEvents({
      logGroup: LOG_GROUP,
      events: [
        {
          message: textLine(
            REQUEST_ID,
            'ERROR',
            'Invoke Error \t{"errorType":"Error","errorMessage":"x"}',
            '2024-05-01T12:00:03.250Z',
          ),
        },
        { message: reportLine({ durationMs: 3 }) },
        { message: jsonPlatformReport({ durationMs: 3, time: '2024-05-01T12:00:09.000Z' }) },
      ],
    });
    expect(batch.observations.map(({ origin }) => origin.timestamp)).toEqual([
      '2024-05-01T12:00:03.250Z',
      '2024-05-01T12:00:03.250Z',
      '2024-05-01T12:00:09.000Z',
    ]);
  });

  it('leaves the timestamp empty when nothing tells the time', () => {
    const batch = parseLogEvents({
      logGroup: LOG_GROUP,
      events: [{ message: reportLine({ durationMs: 3 }) }],
    });
    expect(batch.observations[0]?.origin.timestamp).toBe('');
  });

  it('formats event times as ISO-8601 UTC with milliseconds', () => {
    const times = [
      0,
      BASE_TIMESTAMP_MS + 86_399_999,
      Date.UTC(1969, 11, 31, 23, 59, 59, 1),
      Date.UTC(2038, 0, 19, 3, 14, 8, 7),
    ];
    const batch = parseLogEvents({
      logGroup: LOG_GROUP,
      events: times.map((timestamp) => ({ timestamp, message: timeoutLine() })),
    });
    expect(batch.observations.map(({ origin }) => origin.timestamp)).toEqual(
      times.map((ms) => new Date(ms).toISOString()),
    );
    expect(BASE_TIME).toBe('2024-05-01T12:00:00.000Z');
  });

  it.each([
    [
      'a log event',
      {},
      `log event 2 (id e2) of ${LOG_GROUP}: message: Invalid input: expected string, received null`,
    ],
    [
      'a named input',
      { source: 'events.json' },
      `log event 2 (id e2) of ${LOG_GROUP} in events.json: message: `,
    ],
    [
      'a line of a text file',
      { source: 'app.log', unit: 'line' as const },
      `line 2 of app.log (log group ${LOG_GROUP}): message: `,
    ],
  ])('names %s in messages', (_name, naming, message) => {
    const batch = parseLogEvents({
      logGroup: LOG_GROUP,
      events: [{ message: 'fine' }, { id: 'e2', message: null }],
      ...naming,
    });
    expect(batch.unreadable[0]?.message).toContain(message);
    expect(batch.unreadable[0]).toMatchObject({ reason: 'invalid-shape', logGroup: LOG_GROUP });
  });

  it.each([
    ['an id that is not a string', { id: 7, message: 'x' }],
    ['a timestamp that is not a number', { timestamp: '2024', message: 'x' }],
    ['a timestamp that is not finite', { timestamp: Number.NaN, message: 'x' }],
    ['a stream name that is not a string', { logStreamName: ['s'], message: 'x' }],
  ])('reports an event with %s', (_name, event) => {
    const batch = parseLogEvents({ logGroup: LOG_GROUP, events: [event as never] });
    expect(batch.stats).toMatchObject({ lines: 1, unreadable: 1 });
  });
});
