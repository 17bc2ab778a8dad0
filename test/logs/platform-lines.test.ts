/**
 * The REPORT line's fast path (the layout Lambda writes, checked piece by piece) against the
 * general field reader, and the work it saves, counted (never timed).
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFields, readReportFields } from '../../logs/platform-lines';
import { oneLineReading, reportLine } from '../support/log-payloads';

const REQUEST_ID = '3f1e0a52-5b0c-4f8e-9a61-0d1c2b3a4f5e';

afterEach(() => {
  vi.restoreAllMocks();
});

/** A REPORT line in Lambda's layout, or one pushed off it in the places the fast path checks. */
const reportLines = fc
  .record({
    id: fc.constantFrom(REQUEST_ID, '', ' ', 'a: b', 'x\ty'),
    duration: fc.constantFrom(
      '31.62',
      '0',
      '7',
      '1.2.3',
      '',
      ' 31.62',
      '1234567890123456.5',
      '12345678901234.5',
    ),
    billed: fc.constantFrom('32', '100', '', 'x'),
    memory: fc.constantFrom('256', '10240', '1e3'),
    used: fc.constantFrom('81', '0', '.5'),
    units: fc.constantFrom(['ms', 'ms', 'MB', 'MB'], ['ms', 's', 'MB', 'MB'], ['ms', 'ms', 'MB', 'GB']),
    separator: fc.constantFrom('\t', ' ', '  ', ' \t', '\t '),
    tail: fc.constantFrom(
      '\t\n',
      '\t',
      '',
      '\tInit Duration: 166.62 ms\t',
      '\tStatus: timeout',
      '\tStatus: error\tError Type: Runtime.OutOfMemory\t\n',
      '\tXRAY TraceId: 1-5759e988-bd862e3fe1be46a994272793\tSegmentId: 73c2\tSampled: true\t',
      '\tDuration: 99 ms\t',
      ' Init Duration: 3 ms',
    ),
  })
  .map(
    ({ id, duration, billed, memory, used, units, separator, tail }) =>
      [
        `REPORT RequestId: ${id}`,
        `Duration: ${duration} ${units[0]}`,
        `Billed Duration: ${billed} ${units[1]}`,
        `Memory Size: ${memory} ${units[2]}`,
        `Max Memory Used: ${used} ${units[3]}`,
      ].join(separator) + tail,
  );

/** A REPORT line in Lambda's layout and nothing past it, with any plain decimals. */
const layoutLines = fc
  .record({
    id: fc.uuid(),
    numbers: fc.array(
      fc.oneof(
        fc.nat().map(String),
        fc.tuple(fc.nat({ max: 99_999 }), fc.nat({ max: 999 })).map(([a, b]) => `${a}.${b}`),
      ),
      { minLength: 4, maxLength: 4 },
    ),
    end: fc.constantFrom('\t\n', '\t'),
  })
  .map(
    ({ id, numbers: [duration, billed, memory, used], end }) =>
      `REPORT RequestId: ${id}\tDuration: ${duration} ms\tBilled Duration: ${billed} ms\tMemory Size: ${memory} MB\tMax Memory Used: ${used} MB${end}`,
  );

describe('readReportFields', () => {
  it('reads every REPORT line as the general field reader does', () => {
    fc.assert(
      fc.property(reportLines, (line) => {
        expect(readReportFields(line)).toStrictEqual(readFields(line, 7));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads the fields of the lines Lambda writes', () => {
    const line = reportLine({
      requestId: REQUEST_ID,
      durationMs: 31.62,
      initDurationMs: 166.62,
      status: 'timeout',
    });
    expect(readReportFields(line)).toEqual({
      requestId: REQUEST_ID,
      durationMs: 31.62,
      billedDurationMs: 32,
      memorySizeMb: 128,
      maxMemoryUsedMb: 74,
      initDurationMs: 166.62,
      status: 'timeout',
    });
  });

  it("searches a line in Lambda's layout once per field, not three times", () => {
    const lines = Array.from({ length: 20 }, (_, index) =>
      reportLine({
        requestId: `${REQUEST_ID.slice(0, -2)}${String(index).padStart(2, '0')}`,
        durationMs: 31.62,
      }),
    );
    const indexOf = vi.spyOn(String.prototype, 'indexOf');
    const includes = vi.spyOn(String.prototype, 'includes');
    const startsWith = vi.spyOn(String.prototype, 'startsWith');
    for (const line of lines) expect(readReportFields(line).durationMs).toBe(31.62);
    const contexts = [indexOf, includes, startsWith].flatMap((spy) => spy.mock.contexts);
    vi.restoreAllMocks();
    // Six fields: five searches for the layout's pieces and one for the id's tab.
    expect(contexts.filter((text) => String(text).startsWith('REPORT '))).toHaveLength(6 * lines.length);
  });

  it('yields the observation of the general reader for every REPORT line, in the same order of fields', () => {
    let direct = 0;
    fc.assert(
      fc.property(fc.oneof(reportLines, layoutLines), (line) => {
        // A tab more at the end is an empty field: the same fields, read past the layout by the
        // general reader. (A line without a tab, its fields spaced, never takes the layout.)
        const general = line.includes('\t') ? `${line}\t` : line;
        if (/^REPORT RequestId: [\da-f]{8}-.*\tMax Memory Used: [.\d]+ MB\t\n?$/.test(line)) direct++;
        expect(oneLineReading(line)).toBe(oneLineReading(general));
      }),
      { numRuns: 2000 },
    );
    // The generator reaches the direct path often enough for the comparison to mean something.
    expect(direct).toBeGreaterThan(100);
  });
});
