/**
 * The util.inspect reader memoizes each key it reads (with the `: ` after it, and `[Object]` or
 * `[Array]` when that follows) by where it sits in its object, and confirms the memo with one
 * comparison the next time. The memo must never change a value: every read gives what a fresh
 * reader gives, whatever was read before. Work is counted, never timed.
 */
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Elided } from '../../contracts/elided';
import { parseInspectLiteral } from '../../logs/inspect-literal';

afterEach(() => {
  vi.restoreAllMocks();
});

/** What util.inspect's default depth (2) leaves of a JSON value: deeper non-empty objects and arrays are elided. */
const elide = (value: unknown, level = 0): unknown => {
  if (Array.isArray(value)) {
    if (level > 2 && value.length > 0) return new Elided('[Array]');
    return value.map((item) => elide(item, level + 1));
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (level > 2 && entries.length > 0) return new Elided('[Object]');
    return Object.fromEntries(entries.map(([key, item]) => [key, elide(item, level + 1)]));
  }
  return value;
};

/** Few keys, prefixes of one another, so that shapes share memo contexts and near-misses are common. */
const key = fc.constantFrom(
  'a',
  'ab',
  'abc',
  'b',
  'ba',
  'key',
  'keyLonger',
  'k$_1',
  '__proto__',
  'a-b',
  'response',
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.integer({ min: 0 }), fc.string({ maxLength: 4 }), fc.boolean(), fc.constant(null)),
    fc.array(tie('tree'), { maxLength: 3 }),
    fc.dictionary(key, tie('tree'), { maxKeys: 4, noNullPrototype: true }),
  ),
}));

/** Counts calls of a String.prototype method while `read` runs. */
const countCalls = (method: 'charCodeAt' | 'slice', read: () => unknown): number => {
  const spy = vi.spyOn(String.prototype, method);
  read();
  const calls = spy.mock.calls.length;
  spy.mockRestore();
  return calls;
};

describe('parseInspectLiteral: the key memo', () => {
  it('reads every text as a fresh reader would, whatever was read before it', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.dictionary(key, tree, { maxKeys: 5, noNullPrototype: true }),
            fc.integer({ min: 20, max: 200 }),
          ),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        (values) => {
          const texts = values.map(([value, breakLength]) => inspect(value, { breakLength }));
          // Twice, the second time in reverse: each text then meets memos left by other shapes.
          for (const index of [...texts.keys(), ...[...texts.keys()].reverse()]) {
            expect(parseInspectLiteral(texts[index] as string)).toEqual(elide(values[index]?.[0]));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps values apart where a memoized key or elided value differs by a character', () => {
    const read = (text: string) => parseInspectLiteral(text);
    expect(read('{ key: [Object], keyLonger: 1 }')).toEqual({ key: new Elided('[Object]'), keyLonger: 1 });
    expect(read('{ keyLonger: [Array], key: 2 }')).toEqual({ keyLonger: new Elided('[Array]'), key: 2 });
    expect(read('{ key: [Objects] }')).toEqual({ key: new Elided('[Objects]') });
    expect(read('{ key: [Object] { a: 1 } }')).toEqual({ key: new Elided('[Object]') });
    expect(read('{ key: [Object]] }')).toBeUndefined();
    expect(read('{ key : 3 }')).toEqual({ key: 3 });
    expect(read('{ keyLonger: 4 }')).toEqual({ keyLonger: 4 });
    expect(read('{ key: 5 }')).toEqual({ key: 5 });
    const proto = read('{ __proto__: [Object] }') as Record<string, unknown>;
    const again = read('{ __proto__: [Object] }') as Record<string, unknown>;
    for (const value of [proto, again]) {
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(Object.keys(value)).toEqual(['__proto__']);
    }
  });

  it('confirms a repeated shape without reading its keys character by character', () => {
    const name = (index: number) => `claimsToAddOrOverrideInGroupNumber${index}`;
    const value = Object.fromEntries(
      Array.from({ length: 10 }, (_, index) => [name(index), { a: { b: 1 } }]),
    );
    const text = inspect({ response: { details: value } }, { breakLength: Number.POSITIVE_INFINITY });
    expect(text).toContain(`${name(9)}: [Object]`);
    const keyChars = Object.keys(value).join('').length;
    const first = countCalls('charCodeAt', () => parseInspectLiteral(text));
    const second = countCalls('charCodeAt', () => parseInspectLiteral(text));
    expect(parseInspectLiteral(text)).toEqual(elide({ response: { details: value } }));
    // The first read walks each key; then each key and its `[Object]` is one native comparison,
    // and what is left are a few reads per entry (12 of them) around it, however long the keys.
    expect(first).toBeGreaterThan(keyChars);
    expect(second).toBeLessThanOrEqual(12 * 10);
    expect(second).toBeLessThan(keyChars / 2);
  });

  it('memoizes no key longer than 64 characters (the memo holds a bounded amount of text)', () => {
    const long = `k${'x'.repeat(64)}`;
    const text = `{ ${long}: 1 }`;
    parseInspectLiteral(text);
    // Still read character by character the second time: not memoized.
    expect(countCalls('charCodeAt', () => parseInspectLiteral(text))).toBeGreaterThan(long.length);
    expect(parseInspectLiteral(text)).toEqual({ [long]: 1 });
  });
});
