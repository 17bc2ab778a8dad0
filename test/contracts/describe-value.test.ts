import { describe, expect, it } from 'vitest';
import { describeValue } from '../../contracts/describe-value';
import { Elided } from '../../contracts/elided';

describe('describeValue', () => {
  it.each([
    ['true', 'string "true"'],
    ['FALSE', 'string "FALSE"'],
    ['yes', 'string "yes"'],
    ['null', 'string "null"'],
    ['1', 'string "1"'],
    ['CONFIRMED', 'string "CONFIRMED"'],
    ['RESET_REQUIRED', 'string "RESET_REQUIRED"'],
    ['', 'empty string'],
    ['mary_major@example.com', 'string (22 characters)'],
    ['+12065551212', 'string (12 characters)'],
    ['482913', 'string (6 characters)'],
    ['Mary', 'string (4 characters)'],
    ['A_VERY_LONG_UPPER_CASE_TOKEN_NAME', 'string (33 characters)'],
    ['héllo', 'string (5 characters)'],
  ])('describes the string %j as %s', (value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });

  it.each<[unknown, string]>([
    [1, 'number 1'],
    [-2.5, 'number -2.5'],
    [482913, 'number (6 digits)'],
    [12065551212, 'number (11 digits)'],
    [true, 'boolean true'],
    [null, 'null'],
    [undefined, 'undefined'],
    [[1, 2, 3], 'array (3 items)'],
    [['a'], 'array (1 item)'],
    [{ a: 1 }, 'object'],
    [{}, 'empty object'],
    [new Elided('[Object]'), 'elided ([Object])'],
  ])('describes %j as %s', (value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });
});
