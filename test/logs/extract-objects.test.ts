import { describe, expect, it } from 'vitest';
import { findObjectSpans } from '../../logs/extract-objects';

const texts = (line: string, from?: number) =>
  findObjectSpans(line, from).map(({ start, end }) => line.slice(start, end));

describe('findObjectSpans', () => {
  it.each([
    ['an object after text', "Response: { autoConfirmUser: 'true' }", ["{ autoConfirmUser: 'true' }"]],
    ['JSON after text', 'Response: {"autoConfirmUser":"true"}', ['{"autoConfirmUser":"true"}']],
    ['only the outermost of nested objects', '{ a: { b: {} } }', ['{ a: { b: {} } }']],
    ['several objects in order', 'a {x: 1} b {y: 2}', ['{x: 1}', '{y: 2}']],
    ['braces inside quoted strings', '{ s: \'}{\', t: "}", u: `{` }', ['{ s: \'}{\', t: "}", u: `{` }']],
    ['escaped quotes inside strings', "{ s: 'it\\'s }' }", ["{ s: 'it\\'s }' }"]],
    ['objects after an apostrophe in prose', "user's reply {a: 1}", ['{a: 1}']],
    ['objects after a brace that never closes', 'oops { and then {a: 1}', ['{a: 1}']],
    ['nothing in text without braces', 'START RequestId: 1 Version: $LATEST', []],
    ['nothing for a stray closing brace', '} not an object', []],
  ])('finds %s', (_name, line, expected) => {
    expect(texts(line)).toEqual(expected);
  });

  it('starts at `from`', () => {
    expect(texts('{a: 1} {b: 2}', 1)).toEqual(['{b: 2}']);
  });

  it('returns at most maxSpans spans', () => {
    expect(findObjectSpans('{}'.repeat(100), 0, 200, 5)).toHaveLength(5);
  });

  it('reads a deeply nested, half-closed line in one pass', () => {
    const line = `${'{'.repeat(100_000)}${"'".repeat(10)}${'}'.repeat(50_000)}`;
    expect(findObjectSpans(line)).toEqual([{ start: 50_000, end: line.length }]);
  });
});
