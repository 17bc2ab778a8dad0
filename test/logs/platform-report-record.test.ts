/**
 * The JSON `platform.report` line's fast path (the layout Lambda writes, read in place) against
 * `JSON.parse` and the parsed record's reader, and the work it saves, counted (never timed).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseLogLine } from '../../logs/parse-line';
import { readReportRecord, reportRecordOf } from '../../logs/platform-lines';
import { jsonPlatformReport, oneLineReading } from '../support/log-payloads';

const REQUEST_ID = '3f1e0a52-5b0c-4f8e-9a61-0d1c2b3a4f5e';
const TIME = '2026-11-26T09:00:10.033Z';
const REFERENCE = JSON.parse(
  readFileSync(new URL('../fixtures/logs/reference-lines.json', import.meta.url), 'utf8'),
) as Record<string, { line: string }>;

afterEach(() => {
  vi.restoreAllMocks();
});

/** A JSON string's text as written, or text that leaves the layout or JSON itself. */
const stringText = fc
  .oneof(
    {
      weight: 8,
      arbitrary: fc.constantFrom(TIME, REQUEST_ID, 'success', 'timeout', 'Runtime.ExitError', ''),
    },
    {
      weight: 2,
      arbitrary: fc.string({ unit: 'binary', maxLength: 12 }).map((text) => JSON.stringify(text)),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('"a\\"b"', '"a\\\\"', '"\\u0041"', '"tab\there"', '"nl\n"', '"'),
    },
  )
  .map((text) => (text.startsWith('"') ? text : JSON.stringify(text)));

/** A metric's value as written: plain decimals, and every other JSON number and non-number. */
const numberText = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('31.62', '32', '256', '81', '0', '0.5', '5000.112', '235.086') },
  {
    weight: 2,
    arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => JSON.stringify(value)),
  },
  { weight: 2, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 18n }).map(String) },
  { weight: 2, arbitrary: fc.tuple(fc.nat(), fc.nat({ max: 99_999_999 })).map(([a, b]) => `${a}.${b}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '-1',
      '-0',
      '1e3',
      '1E-2',
      '01',
      '00',
      '1.',
      '.5',
      '1.2.3',
      '+1',
      'null',
      '"31"',
      'true',
      '123456789012345',
      '1234567890123456',
      '12345678.12345678',
      '0.000000000000001',
      'NaN',
    ),
  },
);

const METRIC_KEYS = ['durationMs', 'billedDurationMs', 'memorySizeMB', 'maxMemoryUsedMB', 'initDurationMs'];

/** Present most of the time. */
const often = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 10 });
/** Absent most of the time. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });

const member = (key: string, value: string): string => `${JSON.stringify(key)}:${value}`;

/** `{ ... }` of members, some dropped, repeated, moved or joined by whitespace. */
const objectText = (members: fc.Arbitrary<string[]>): fc.Arbitrary<string> =>
  fc
    .tuple(
      members,
      fc.oneof(
        { weight: 12, arbitrary: fc.constant(',') },
        { weight: 1, arbitrary: fc.constantFrom(', ', ' ,') },
      ),
      fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    )
    .chain(([list, comma, reorder]) =>
      (reorder ? fc.shuffledSubarray(list, { minLength: list.length }) : fc.constant(list)).map(
        (ordered) => `{${ordered.join(comma)}}`,
      ),
    );

const metricsText = fc
  .tuple(
    fc.oneof(
      { weight: 3, arbitrary: fc.constant(METRIC_KEYS) },
      { weight: 1, arbitrary: fc.subarray(METRIC_KEYS) },
    ),
    fc.array(numberText, { minLength: 5, maxLength: 5 }),
    rarely(fc.constantFrom('durationMs', 'memorySizeMB', 'cpuMs', 'DurationMs', 'm', '')),
  )
  .chain(([keys, values, extra]) =>
    objectText(
      fc.constant([
        ...keys.map((key, index) => member(key, values[index] as string)),
        ...(extra !== undefined ? [member(extra, values[4] as string)] : []),
      ]),
    ),
  );

const recordText = fc
  .record({
    requestId: often(stringText),
    metrics: often(metricsText),
    status: often(stringText),
    errorType: rarely(stringText),
    extra: rarely(fc.constantFrom('"tracing":{"type":"X-Amzn-Trace-Id","value":"Root=1-5759e988"}', '"x":1')),
  })
  .chain(({ requestId, metrics, status, errorType, extra }) =>
    objectText(
      fc.constant(
        [
          requestId !== undefined ? member('requestId', requestId) : '',
          metrics !== undefined ? member('metrics', metrics) : '',
          status !== undefined ? member('status', status) : '',
          errorType !== undefined ? member('errorType', errorType) : '',
          extra ?? '',
        ].filter((text) => text !== ''),
      ),
    ),
  );

const reportLineText = fc
  .record({
    time: often(stringText),
    type: fc.oneof(
      { weight: 6, arbitrary: fc.constant('"platform.report"') },
      { weight: 1, arbitrary: fc.constantFrom('"platform.reports"', '"platform.start"', '"platform.repor"') },
    ),
    record: fc.oneof(
      { weight: 5, arbitrary: recordText },
      { weight: 1, arbitrary: fc.constantFrom('null', '[]', '"x"') },
    ),
    tail: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('', '\n') },
      { weight: 1, arbitrary: fc.constantFrom(' \r\n\t', 'x', '}', ' ,', '\u00a0') },
    ),
    cut: rarely(fc.nat()),
  })
  .chain(({ time, type, record, tail, cut }) =>
    objectText(
      fc.constant(
        [
          time !== undefined ? member('time', time) : '',
          member('type', type),
          member('record', record),
        ].filter((text) => text !== ''),
      ),
    ).map((text) => {
      const line = text + tail;
      return cut === undefined ? line : line.slice(0, cut % (line.length + 1));
    }),
  );

/** The parsed line, or undefined when it is not JSON. */
const parsed = (line: string): unknown => {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
};

describe('readReportRecord', () => {
  it('reads every line it accepts as JSON.parse and the parsed record reader do', () => {
    let accepted = 0;
    fc.assert(
      fc.property(reportLineText, (line) => {
        const fast = readReportRecord(line);
        if (fast === undefined) return;
        accepted++;
        const value = parsed(line) as Record<string, unknown> | undefined;
        expect(value?.type).toBe('platform.report');
        expect(fast).toStrictEqual(reportRecordOf(value as Record<string, unknown>));
      }),
      { numRuns: 5000 },
    );
    // The generator reaches the fast path often enough for the comparison to mean something.
    expect(accepted).toBeGreaterThan(100);
  });

  it('yields the same observations as the parsed line, for every line', () => {
    const origin = { logGroup: '/aws/lambda/shop-presignup', logStream: 's', timestamp: '' };
    fc.assert(
      fc.property(reportLineText, (line) => {
        // `{ ` is the same JSON, and leaves the layout: the parser reads it.
        const viaParser = `{ ${line.slice(1)}`;
        const withParser = JSON.stringify(parseLogLine(viaParser, origin)).replaceAll(
          JSON.stringify(viaParser).slice(1, -1),
          '<line>',
        );
        const result = JSON.stringify(parseLogLine(line, origin)).replaceAll(
          JSON.stringify(line).slice(1, -1),
          '<line>',
        );
        if (parsed(line) !== undefined) expect(result).toBe(withParser);
      }),
      { numRuns: 3000 },
    );
  });

  it("yields the parsed line's observations for the records of warm invocations, in the same order of fields", () => {
    // Lambda's record of a warm invocation (four metrics, a status) is built as one observation:
    // held here to the parsed record's, field by field and in order, through the batch reader.
    const plain = fc.oneof(
      fc.nat().map(String),
      fc.tuple(fc.nat({ max: 99_999 }), fc.integer({ min: 1, max: 999 })).map(([a, b]) => `${a}.${b}`),
    );
    const warmRecord = fc
      .record({
        requestId: fc.uuid(),
        values: fc.array(plain, { minLength: 4, maxLength: 4 }),
        order: fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4 }),
        status: fc.constantFrom('success', 'timeout', 'error', 'x'),
        end: fc.constantFrom('', '\n'),
      })
      .map(({ requestId, values, order, status, end }) => {
        const metrics = order.map((index) => member(METRIC_KEYS[index] as string, values[index] as string));
        return `{"time":"${TIME}","type":"platform.report","record":{"requestId":"${requestId}","metrics":{${metrics.join(',')}},"status":"${status}"}}${end}`;
      });
    fc.assert(
      fc.property(warmRecord, (line) => {
        expect(readReportRecord(line)).toBeDefined();
        // `{ ` is the same JSON, and leaves the layout: the parser reads it.
        expect(oneLineReading(line)).toBe(oneLineReading(`{ ${line.slice(1)}`));
      }),
      { numRuns: 500 },
    );
  });

  it('reads the records Lambda writes, in either order of the metrics, with errorType or init duration', () => {
    const lines = [
      REFERENCE.jsonPlatformReport?.line as string,
      REFERENCE.jsonPlatformReportTimeout?.line as string,
      jsonPlatformReport({ requestId: REQUEST_ID, durationMs: 31.62, time: TIME }),
      jsonPlatformReport({ requestId: REQUEST_ID, durationMs: 31.62, status: 'success', time: TIME }),
      jsonPlatformReport({
        requestId: REQUEST_ID,
        durationMs: 3002.5,
        initDurationMs: 166.62,
        status: 'error',
        errorType: 'Runtime.ExitError',
        time: TIME,
      }),
      `${jsonPlatformReport({ requestId: REQUEST_ID, durationMs: 12, status: 'success', time: TIME })}\n`,
    ];
    for (const line of lines) {
      const fast = readReportRecord(line);
      expect(fast, line).toBeDefined();
      expect(fast).toStrictEqual(reportRecordOf(JSON.parse(line)));
    }
    expect(readReportRecord(lines[4] as string)?.fields).toStrictEqual({
      requestId: REQUEST_ID,
      durationMs: 3002.5,
      billedDurationMs: 3003,
      initDurationMs: 166.62,
      memorySizeMb: 128,
      maxMemoryUsedMb: 74,
      status: 'error',
      errorType: 'Runtime.ExitError',
    });
  });

  it('parses no platform.report line in the layout Lambda writes', () => {
    const lines = Array.from({ length: 20 }, (_, index) =>
      jsonPlatformReport({
        requestId: `${REQUEST_ID.slice(0, -2)}${String(index).padStart(2, '0')}`,
        durationMs: 31.62,
        status: 'success',
        time: TIME,
      }),
    );
    const parse = vi.spyOn(JSON, 'parse');
    const results = lines.map((line) =>
      parseLogLine(line, { logGroup: '/aws/lambda/shop-presignup', logStream: 's', timestamp: '' }),
    );
    const calls = parse.mock.calls.length;
    vi.restoreAllMocks();
    expect(calls).toBe(0);
    for (const result of results) {
      expect(result).toMatchObject({
        status: 'signal',
        observations: [
          { kind: 'invocation-report', durationMs: 31.62, billedDurationMs: 32, status: 'success' },
        ],
      });
    }
  });
});
