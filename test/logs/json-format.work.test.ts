/**
 * Work the reader does per invocation written in Lambda's JSON log format (`platform.start`, an
 * application record with the event, `platform.report`), counted (never timed), and the search
 * for a platform record's type held to the plain search it replaces.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseLogLine, platformTypeAt } from '../../logs/parse-line';
import { parseLogEvents } from '../../logs/parse-log-events';
import {
  jsonAppRecord,
  jsonPlatformReport,
  loggedPreSignUpEvent,
  requestIdOf,
} from '../support/log-payloads';

const LOG_GROUP = '/aws/lambda/shop-presignup';
const options = { resolveLogGroup: () => ({ trigger: 'PreSignUp' as const, userPoolId: 'eu-west-1_x' }) };
const TIME = '2026-11-26T09:00:10.033Z';

const invocation = (index: number): string[] => {
  const requestId = requestIdOf(index);
  const event = loggedPreSignUpEvent(index);
  return [
    JSON.stringify({ time: TIME, type: 'platform.start', record: { requestId, version: '$LATEST' } }),
    jsonAppRecord(requestId, 'INFO', { returning: event }, TIME),
    jsonPlatformReport({ requestId, durationMs: 31.62, status: 'success', time: TIME }),
  ];
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('reading invocations in the JSON log format', () => {
  it('parses each application record once, and neither platform record', () => {
    const lines = Array.from({ length: 20 }, (_, index) => invocation(index)).flat();
    const parse = vi.spyOn(JSON, 'parse');
    const batch = parseLogEvents(
      { logGroup: LOG_GROUP, events: lines.map((message) => ({ message })) },
      options,
    );
    const parsed = parse.mock.calls.map(([text]) => String(text));
    vi.restoreAllMocks();
    expect(batch.stats).toMatchObject({ lines: 60, withSignal: 40, quiet: 20, unreadable: 0 });
    expect(parsed).toHaveLength(20);
    for (const text of parsed) expect(text).toMatch(/^\{"timestamp"/);
  });

  it('searches an application record for its type through `platform.` alone', () => {
    const lines = Array.from({ length: 20 }, (_, index) => invocation(index)).flat();
    const indexOf = vi.spyOn(String.prototype, 'indexOf');
    parseLogEvents({ logGroup: LOG_GROUP, events: lines.map((message) => ({ message })) }, options);
    const searches = indexOf.mock.calls
      .map(([pattern], index) => [String(indexOf.mock.contexts[index]), String(pattern)] as const)
      .filter(([text]) => text.startsWith('{"timestamp"'));
    vi.restoreAllMocks();
    // A search for `"type":"platform.` cost about four times the search for `platform.`.
    expect(searches.filter(([, pattern]) => pattern === '"type":"platform.')).toEqual([]);
    expect(searches.filter(([, pattern]) => pattern === 'platform.')).toHaveLength(20);
  });
});

describe('platformTypeAt', () => {
  const piece = fc.constantFrom(
    '"type":"platform.',
    '"type":"platform.report"',
    'platform.',
    'platform',
    '"type":"',
    '"type":',
    'type":"platform.',
    '"',
    'x',
    '{',
    ':',
  );

  it('finds the first `"type":"platform.` wherever `platform.` occurs before it', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), fc.string({ maxLength: 10 }), (pieces, filler) => {
        const line = pieces.join(filler);
        expect(platformTypeAt(line)).toBe(line.indexOf('"type":"platform.'));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('platform records of other types', () => {
  /** The rule the letter after `platform.` stands for: the type cut out and compared with the three read. */
  const quietByType = (line: string): boolean => {
    const typeAt = line.indexOf('"type":"platform.');
    if (typeAt === -1) return false;
    const type = line.slice(typeAt + 8, line.indexOf('"', typeAt + 8));
    return (
      type !== 'platform.report' &&
      type !== 'platform.initReport' &&
      type !== 'platform.fault' &&
      /}\s*$/.test(line)
    );
  };

  it('leaves unparsed exactly the records whose type is none of report, initReport and fault', () => {
    const name = fc.constantFrom(
      'start',
      'end',
      'runtimeDone',
      'report',
      'reports',
      'repor',
      'initReport',
      'initStart',
      'fault',
      'faulty',
      'extension',
      'r',
      'i',
      'f',
      '',
    );
    const line = fc
      .record({
        head: fc.constantFrom(`{"time":"${TIME}",`, '{', '{"a":"platform.x",'),
        name,
        quote: fc.boolean(),
        tail: fc.constantFrom(',"record":{"x":1}}', '}', '}\n', ',"record":{', ''),
      })
      .map(({ head, name, quote, tail }) => `${head}"type":"platform.${name}${quote ? '"' : ''}${tail}`);
    fc.assert(
      fc.property(line, (text) => {
        const parse = vi.spyOn(JSON, 'parse');
        const result = parseLogLine(text, { logGroup: LOG_GROUP, timestamp: '' });
        const parsed = parse.mock.calls.length > 0;
        vi.restoreAllMocks();
        expect(!parsed && result.status === 'quiet').toBe(quietByType(text));
      }),
      { numRuns: 1000 },
    );
  });
});
