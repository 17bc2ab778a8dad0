import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  beginLine,
  createGroupContext,
  createLineState,
  hasKeywordFrom,
  originOf,
  toIsoTimestamp,
} from '../../logs/line-state';

describe('hasKeywordFrom', () => {
  const group = createGroupContext('/aws/lambda/shop-presignup', () => ({ trigger: 'PreSignUp' }), undefined);
  const line = '2026-11-26T09:15:00.035Z\tid\tINFO\ttriggerSource? {"a":1} then {"autoConfirmUser":true}';

  it('finds a keyword at or after the index, not before it', () => {
    const firstBrace = line.indexOf('{');
    expect(hasKeywordFrom(group, line, firstBrace)).toBe(true);
    expect(hasKeywordFrom(group, line, line.indexOf('autoConfirmUser') + 1)).toBe(false);
    expect(hasKeywordFrom(group, line, 0)).toBe(true);
  });

  it('keeps no position between calls (the shared regex is reset)', () => {
    expect(hasKeywordFrom(group, line, 0)).toBe(true);
    expect(hasKeywordFrom(group, 'triggerSource', 0)).toBe(true);
    expect(hasKeywordFrom(group, 'no words here', 0)).toBe(false);
    expect(hasKeywordFrom(group, 'triggerSource', 0)).toBe(true);
  });

  it('sees only what lies past a message prefix that names a keyword', () => {
    expect(hasKeywordFrom(group, 'errorType says {"a":1}', 'errorType says '.length)).toBe(false);
  });
});

describe('toIsoTimestamp', () => {
  it('writes what Date#toISOString writes, whatever second the cache holds', () => {
    const time = fc.oneof(
      fc.integer({ min: 0, max: 253_402_300_799_999 }),
      // Runs of nearby times, as a batch has them: the cached second is reused and replaced.
      fc.integer({ min: 1_795_000_000_000, max: 1_795_000_005_000 }),
      fc.double({ min: 0, max: 4_000_000_000_000, noNaN: true }),
    );
    fc.assert(
      fc.property(fc.array(time, { minLength: 1, maxLength: 20 }), (times) => {
        // Each time twice in a row as well: an invocation's END and REPORT lines share theirs.
        for (const ms of times.flatMap((one) => [one, one, Math.floor(one)]))
          expect(toIsoTimestamp(ms)).toBe(new Date(Math.floor(ms)).toISOString());
      }),
      { numRuns: 300 },
    );
  });

  it('falls back to Date outside the fast range', () => {
    expect(toIsoTimestamp(-1)).toBe('1969-12-31T23:59:59.999Z');
    expect(toIsoTimestamp(253_402_300_800_000)).toBe('+010000-01-01T00:00:00.000Z');
    expect(toIsoTimestamp(Number.NaN)).toBe('');
  });
});

describe('originOf', () => {
  it('builds the origin of a group that names everything as the field-by-field path does, in the same order', () => {
    const maybe = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: undefined });
    fc.assert(
      fc.property(
        fc.record({
          logGroup: fc.constantFrom('/aws/lambda/shop-presignup', '/custom/group', '/aws/lambda/'),
          trigger: maybe(fc.constantFrom('PreSignUp' as const, 'PreTokenGeneration' as const)),
          userPoolId: maybe(fc.constant('eu-west-1_Dem0P00l1')),
          region: maybe(fc.constant('eu-west-1')),
          logStream: maybe(fc.constant('2026/11/26/[$LATEST]abc')),
          eventId: maybe(fc.constant('3795')),
          timestampMs: maybe(fc.constantFrom(17e11, 17e11 + 33)),
          lineTimestamp: maybe(fc.constant('2026-11-26T09:00:00.002Z')),
        }),
        ({ logGroup, trigger, userPoolId, region, logStream, eventId, timestampMs, lineTimestamp }) => {
          const info = {
            ...(trigger !== undefined ? { trigger } : {}),
            ...(userPoolId !== undefined ? { userPoolId } : {}),
            ...(region !== undefined ? { region } : {}),
          };
          const group = createGroupContext(logGroup, () => info, undefined);
          const originWith = (known: boolean) => {
            const state = createLineState(known ? group : { ...group, known: undefined });
            beginLine(state, 'line', logStream, eventId, timestampMs);
            if (lineTimestamp !== undefined) state.lineTimestamp = lineTimestamp;
            return JSON.stringify(originOf(state));
          };
          expect(originWith(true)).toBe(originWith(false));
        },
      ),
    );
  });
});
