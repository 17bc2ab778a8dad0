import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Elided, isElided } from '../../contracts/elided';
import { parseInspectLiteral } from '../../logs/inspect-literal';

const elided = (text: string) => new Elided(text);

describe('parseInspectLiteral', () => {
  it('reads the seed incident response as util.inspect prints it', () => {
    expect(parseInspectLiteral(inspect({ autoConfirmUser: 'true' }))).toEqual({ autoConfirmUser: 'true' });
    expect(inspect({ autoConfirmUser: 'true' })).toBe("{ autoConfirmUser: 'true' }");
  });

  it('reads a whole multi-line trigger event, keeping nested objects past the default depth as Elided', () => {
    const event = {
      version: '1',
      triggerSource: 'PreSignUp_SignUp',
      request: {
        userAttributes: { email: 'mary@example.com', 'cognito:user_status': 'CONFIRMED' },
        validationData: null,
      },
      response: { autoConfirmUser: 'true', autoVerifyEmail: false },
      deep: { a: { b: { c: 1 } } },
    };
    const parsed = parseInspectLiteral(inspect(event)) as Record<string, unknown>;
    expect(parsed.request).toEqual(event.request);
    expect(parsed.response).toEqual(event.response);
    expect(parsed.deep).toStrictEqual({ a: { b: elided('[Object]') } });
  });

  it.each([
    ['single-quoted string', "'it'", 'it'],
    ['string with an escaped quote', "'it\\'s'", "it's"],
    ['double-quoted string (holds a single quote)', inspect("it's"), "it's"],
    ['backtick string (holds both quotes)', inspect(`it's "q"`), `it's "q"`],
    ['escapes', "'a\\nb\\tc\\x41\\u00e9\\u{1F600}\\\\'", 'a\nb\tcAé😀\\'],
    ['multi-line string joined with +', "'line 1\\n' +\n  'line 2'", 'line 1\nline 2'],
    ['undefined', 'undefined', undefined],
    ['null', 'null', null],
    ['true', 'true', true],
    ['false', 'false', false],
    ['positive Infinity', 'Infinity', Number.POSITIVE_INFINITY],
    [
      'list of every literal word',
      '[ true, false, null, undefined, NaN, Infinity ]',
      [true, false, null, undefined, Number.NaN, Number.POSITIVE_INFINITY],
    ],
    ['NaN', 'NaN', Number.NaN],
    ['-0', '-0', -0],
    ['Infinity', '-Infinity', Number.NEGATIVE_INFINITY],
    ['numeric separators', '1_000.5', 1000.5],
    ['exponent', '1e+21', 1e21],
    ['unquoted Date', inspect(new Date(0)), '1970-01-01T00:00:00.000Z'],
  ])('reads a %s', (_name, text, expected) => {
    expect(parseInspectLiteral(text)).toEqual(expected);
  });

  it.each([
    ['[Object]', { a: { b: { c: { d: 1 } } } }, { a: { b: { c: elided('[Object]') } } }],
    ['[Array]', { a: { b: { c: [1] } } }, { a: { b: { c: elided('[Array]') } } }],
    ['[Function: name]', { f: function handler() {} }, { f: elided('[Function: handler]') }],
    ['[class X]', { k: class Foo {} }, { k: elided('[class Foo]') }],
    [
      '[Getter]',
      Object.defineProperty({}, 'g', { get: () => 1, enumerable: true }),
      { g: elided('[Getter]') },
    ],
    ['bigint', { n: 123n }, { n: elided('123n') }],
    ['Symbol', { s: Symbol('x') }, { s: elided('Symbol(x)') }],
    ['regular expression', { r: /a\/b/g }, { r: elided('/a\\/b/g') }],
    ['Buffer', { b: Buffer.from('ab') }, { b: elided('<Buffer 61 62>') }],
  ])('keeps %s as an Elided marker', (_name, value, expected) => {
    expect(parseInspectLiteral(inspect(value))).toStrictEqual(expected);
  });

  it('marks arrays cut by maxArrayLength with a trailing Elided', () => {
    const parsed = parseInspectLiteral(inspect({ list: Array.from({ length: 103 }, (_, i) => i) })) as {
      list: unknown[];
    };
    expect(parsed.list).toHaveLength(101);
    expect(parsed.list.at(-1)).toStrictEqual(elided('... 3 more items'));
  });

  it('marks strings cut by maxStringLength as Elided', () => {
    expect(parseInspectLiteral(inspect({ s: 'x'.repeat(12) }, { maxStringLength: 4 }))).toStrictEqual({
      s: elided("'xxxx'... 8 more characters"),
    });
  });

  it('reads circular references, null-prototype objects, Maps, Sets, sparse arrays and class prefixes', () => {
    const circular: Record<string, unknown> = { name: 'o' };
    circular.self = circular;
    expect(parseInspectLiteral(inspect(circular))).toStrictEqual({
      name: 'o',
      self: elided('[Circular *1]'),
    });
    expect(parseInspectLiteral(inspect(Object.assign(Object.create(null), { a: 1 })))).toEqual({ a: 1 });
    expect(parseInspectLiteral(inspect(new Map([['a', 1]])))).toEqual({ a: 1 });
    expect(parseInspectLiteral(inspect(new Set([1, 'x'])))).toEqual([1, 'x']);
    const sparse = [1, 2, 3];
    delete sparse[1];
    expect(parseInspectLiteral(inspect(sparse))).toEqual([1, undefined, 3]);
    class Response {
      autoConfirmUser = 'true';
    }
    expect(parseInspectLiteral(inspect(new Response()))).toEqual({ autoConfirmUser: 'true' });
  });

  it('unboxes boxed primitives', () => {
    expect(parseInspectLiteral(inspect({ b: new Boolean(true), s: new String('x') }))).toEqual({
      b: true,
      s: 'x',
    });
  });

  it('unboxes numbers and strings with own properties, and elides a box that holds no primitive', () => {
    expect(
      parseInspectLiteral(inspect([new Number(-3.5), new Number(Number.NaN), new String("it's")])),
    ).toEqual([-3.5, Number.NaN, "it's"]);
    expect(parseInspectLiteral("[ [String: [String: 'x']] ]")).toEqual([elided("[String: [String: 'x']]")]);
    expect(parseInspectLiteral('[ [Number: { a: 1 }] ]')).toEqual([elided('[Number: { a: 1 }]')]);
    // Never closed: not a literal at all.
    expect(parseInspectLiteral(`${'[String: '.repeat(1000)}'x']`)).toBeUndefined();
  });

  it('reads a nested array of strings as items, and bracketed string and symbol keys as keys', () => {
    expect(parseInspectLiteral("[ ['a', 'b'], ['c'] ]")).toEqual([['a', 'b'], ['c']]);
    expect(parseInspectLiteral("{ ['__proto__']: 1, [Symbol(k)]: 2 }")).toEqual(
      Object.defineProperty({ '[Symbol(k)]': 2 }, '__proto__', {
        value: 1,
        enumerable: true,
        writable: true,
        configurable: true,
      }),
    );
  });

  it('keeps the first line of an error stack as its title, without trailing commas or whitespace', () => {
    const parsed = parseInspectLiteral('{ err: Error: boom ,  \r\n    at f (x.js:1:2),\n  b: 1 }') as Record<
      string,
      unknown
    >;
    expect(parsed).toEqual({ err: elided('Error: boom'), b: 1 });
    const spaced = parseInspectLiteral(`{ err: Error: x${' '.repeat(10_000)}\n${'\n'.repeat(10_000)}}`);
    expect(spaced).toEqual({ err: elided('Error: x') });
  });

  it('steps over an error stack printed inside an object', () => {
    const error = Object.assign(new Error('boom'), { code: 'E_BOOM' });
    const parsed = parseInspectLiteral(
      inspect({ err: error, response: { autoConfirmUser: 'true' } }),
    ) as Record<string, unknown>;
    expect(parsed.response).toEqual({ autoConfirmUser: 'true' });
    expect(isElided(parsed.err)).toBe(true);
    expect((parsed.err as Elided).text).toBe('Error: boom');
  });

  it('reads JSON too', () => {
    const value = { a: [1, 'two', { three: null }], b: true, 'c:d': -1.5e-3 };
    expect(parseInspectLiteral(JSON.stringify(value))).toEqual(value);
  });

  it('keeps a __proto__ key as data instead of changing the prototype', () => {
    const parsed = parseInspectLiteral("{ ['__proto__']: 1, '__proto__': { polluted: true } }") as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.hasOwn(parsed, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads only the given range of a longer text', () => {
    const line = "Response: { autoConfirmUser: 'true' } done";
    expect(parseInspectLiteral(line, 10, 37)).toEqual({ autoConfirmUser: 'true' });
  });

  it.each([
    ['an unterminated object', "{ autoConfirmUser: 'true'"],
    ['an unterminated string', "{ a: 'oops }"],
    ['trailing text', '{ a: 1 } and more'],
    ['a missing comma', '{ a: 1 b: 2 }'],
    ['an empty text', ''],
    ['prose', 'hello world'],
    ...['tru', 'nulll', 'Nan', 'fals3', 'undefinex', 'Infinitz'].map((name): [string, string] => [
      `a name one character off a literal (${name})`,
      `[ true, ${name} ]`,
    ]),
    ['a literal followed by name characters', '[ true_ ]'],
    ['nesting past the depth limit', `${'['.repeat(5000)}${']'.repeat(5000)}`],
  ])('returns undefined for %s', (_name, text) => {
    expect(parseInspectLiteral(text)).toBeUndefined();
  });
});
