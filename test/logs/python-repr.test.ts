import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Elided } from '../../contracts/elided';
import { looksLikePythonDict, parsePythonRepr } from '../../logs/python-repr';

describe('parsePythonRepr', () => {
  it('reads the print(event) of a PreSignUp response, True/False/None included', () => {
    const text =
      "{'triggerSource': 'PreSignUp_SignUp', 'request': {'validationData': None}, 'response': {'autoConfirmUser': 'true', 'autoVerifyEmail': True, 'autoVerifyPhone': False}}";
    expect(parsePythonRepr(text)).toEqual({
      triggerSource: 'PreSignUp_SignUp',
      request: { validationData: null },
      response: { autoConfirmUser: 'true', autoVerifyEmail: true, autoVerifyPhone: false },
    });
  });

  it.each<[string, string, unknown]>([
    ['an escaped quote and backslash', "'It\\'s \\\\ done\\n'", "It's \\ done\n"],
    ['a double-quoted string holding a quote', '"It\'s"', "It's"],
    ['hex and unicode escapes', "'\\x41\\u00e9\\U0001f600'", 'A\u00e9\u{1f600}'],
    ['an unknown escape, kept as written', "'\\d+'", '\\d+'],
    ['adjacent strings (pprint)', "('abc'\n 'def')", 'abcdef'],
    ['a tuple', "(1, 'a')", [1, 'a']],
    ['a one-item tuple', '(1,)', [1]],
    ['a set', '{1, 2}', [1, 2]],
    ['nested lists and an empty dict', '[[], {}, [1, [2]]]', [[], {}, [1, [2]]]],
    [
      'numbers',
      '[-12, 3.5, 1e-05, inf, -inf]',
      [-12, 3.5, 1e-5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
    ],
    ['non-string keys', "{1: 'a', None: 'b', True: 'c'}", { '1': 'a', None: 'b', True: 'c' }],
    ['a raw string', "r'\\d'", '\\d'],
  ])('reads %s', (_name, text, expected) => {
    expect(parsePythonRepr(text)).toEqual(expected);
  });

  it('elides values without a plain-data form', () => {
    const value = parsePythonRepr(
      "{'when': datetime.datetime(2024, 5, 1, 12, 0), 'amount': Decimal('1.5'), 'raw': b'\\x00', 'obj': <app.Thing object at 0x7f3a>, 'self': {...}, 'c': 1j}",
    ) as Record<string, unknown>;
    expect(Object.values(value).every((item) => item instanceof Elided)).toBe(true);
    expect((value.when as Elided).text).toBe('datetime.datetime(2024, 5, 1, 12, 0)');
  });

  it.each([
    "{'a': 1",
    "{'a' 1}",
    "{'a': true}",
    "{'a': 'unterminated}",
    "{'a': 1} trailing",
    `${'['.repeat(200)}${']'.repeat(200)}`,
  ])('returns undefined for %j', (text) => {
    expect(parsePythonRepr(text)).toBeUndefined();
  });

  it('never pollutes a prototype', () => {
    const value = parsePythonRepr("{'__proto__': {'polluted': True}}") as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(value)).toEqual(['__proto__']);
  });

  it('tells a Python dict from util.inspect and JSON by its first characters', () => {
    expect(looksLikePythonDict("{'a': 1}", 0, 8)).toBe(true);
    expect(looksLikePythonDict("{ 'a': 1 }", 0, 10)).toBe(false);
    expect(looksLikePythonDict('{}', 0, 2)).toBe(false);
  });

  it('reads back what CPython prints for any JSON-shaped value (property, real python3)', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string({ unit: 'binary' }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    const samples = fc.sample(json, { numRuns: 120, seed: 13 });
    // One python3 process prints the repr of every sample, one per line.
    const script = 'import json,sys\nfor line in sys.stdin:\n    print(repr(json.loads(line)))';
    const printed = execFileSync('python3', ['-c', script], {
      input: samples.map((sample) => JSON.stringify(sample)).join('\n'),
      encoding: 'utf8',
    })
      .split('\n')
      .slice(0, samples.length);
    printed.forEach((line, index) => {
      expect(parsePythonRepr(line), line).toEqual(samples[index]);
    });
  });
});
