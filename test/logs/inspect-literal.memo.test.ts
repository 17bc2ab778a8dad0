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

/** A reader with an empty memo: the module loaded afresh. */
const freshReader = async (): Promise<typeof parseInspectLiteral> => {
  vi.resetModules();
  return (await import('../../logs/inspect-literal')).parseInspectLiteral;
};

describe('parseInspectLiteral: values memoized with their key', () => {
  /** Words after a key that are, or begin like, the memoized literals and elided values. */
  const valueText = fc.constantFrom(
    'true',
    'false',
    'null',
    'trueish',
    // A class-prefixed value whose class name begins with a literal: `Foo { a: 1 }`.
    'trueish { a: 1 }',
    'nullable [ 1 ]',
    'true1',
    'true$',
    'null_',
    'nullé',
    'falsey',
    'undefined',
    '[Object]',
    '[Object] { a: 1 }',
    '[Array]',
    "'true'",
    '1',
    '{ a: true }',
  );
  const entry = fc.tuple(
    fc.constantFrom('a', 'ab', 'key', 'keyLongerThanTwelve', 'autoVerifyPhoneNumber'),
    valueText,
  );
  const text = fc
    .tuple(fc.array(entry, { minLength: 1, maxLength: 4 }), fc.constantFrom(' ', '\n  '), fc.boolean())
    .map(([entries, space, nested]) => {
      const body = `{${space}${entries.map(([key, value]) => `${key}: ${value}`).join(`,${space}`)} }`;
      return nested ? `{ response: ${body} }` : body;
    });

  it('reads each text as a reader with an empty memo does, whatever was read before it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 6 }), async (texts) => {
        for (const each of [...texts, ...texts.reverse()]) {
          expect(parseInspectLiteral(each)).toEqual((await freshReader())(each));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('keeps a literal apart from a name it begins', () => {
    for (const [literal, longer] of [
      ['true', 'trueish'],
      ['false', 'false1'],
      ['null', 'null$'],
    ]) {
      expect(parseInspectLiteral(`{ flag: ${literal} }`)).toEqual({ flag: JSON.parse(literal as string) });
      expect(parseInspectLiteral(`{ flag: ${longer} }`)).toBeUndefined();
      expect(parseInspectLiteral(`{ flag: ${longer} { a: 1 } }`)).toEqual({ flag: { a: 1 } });
      expect(parseInspectLiteral(`{ flag: ${literal}, next: 1 }`)).toEqual({
        flag: JSON.parse(literal as string),
        next: 1,
      });
    }
  });

  it('reads a repeated response of literals without reading its values or keys character by character', () => {
    const text = inspect({ autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false });
    expect(text).toContain('\n');
    parseInspectLiteral(text);
    const chars = countCalls('charCodeAt', () => parseInspectLiteral(text));
    const cuts = countCalls('slice', () => parseInspectLiteral(text));
    expect(parseInspectLiteral(text)).toEqual({
      autoConfirmUser: true,
      autoVerifyEmail: true,
      autoVerifyPhone: false,
    });
    // `autoConfirmUser: true` is 21 characters: two pieces of at most 12, each one cut and one
    // comparison. Around them, a few reads per entry (the line break and indent inspect writes);
    // reading each value again would cost about a dozen more (75 in all without the memo).
    expect(cuts).toBe(3 * 2);
    expect(chars).toBeLessThanOrEqual(3 * 12);
  });
});
