import { describe, expect, it } from 'vitest';
import { LITERAL_FAIL, nameCharTable, readWholeLiteral, setKey } from '../../logs/literal-reader';

/** A reader of one digit, then spaces: enough to drive readWholeLiteral. */
const digitReader = (text: string, pos: number, end: number) => {
  let at = pos;
  return {
    value: () => {
      const code = text.charCodeAt(at);
      if (at >= end || code < 48 || code > 57) throw LITERAL_FAIL;
      at++;
      return code - 48;
    },
    skipSpace: () => {
      while (at < end && text[at] === ' ') at++;
      return at < end ? text.charCodeAt(at) : -1;
    },
  };
};

describe('readWholeLiteral', () => {
  it('reads one literal that fills the range, clamped to the text', () => {
    expect(readWholeLiteral(digitReader, 'x7  ', 1, 99)).toBe(7);
  });

  it('gives undefined for trailing text or a failed read, without throwing', () => {
    expect(readWholeLiteral(digitReader, '7 8', 0, 3)).toBeUndefined();
    expect(readWholeLiteral(digitReader, 'x', 0, 1)).toBeUndefined();
  });
});

describe('setKey', () => {
  it('adds __proto__ as an own key instead of replacing the prototype', () => {
    const target: Record<string, unknown> = {};
    setKey(target, '__proto__', { polluted: true });
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(Object.keys(target)).toEqual(['__proto__']);
  });
});

describe('nameCharTable', () => {
  it('marks start characters 1, digits 2, the rest 0', () => {
    const table = nameCharTable(/[A-Za-z_$]/);
    expect([table['$'.charCodeAt(0)], table['7'.charCodeAt(0)], table['-'.charCodeAt(0)]]).toEqual([1, 2, 0]);
  });
});
