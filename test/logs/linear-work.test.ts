/**
 * Every parser on the log path does work linear in the length of its input, hostile input
 * included. Work is counted, not timed (test/support/work-meter.ts): each input shape is built at
 * n and at 8n, and the work at 8n must stay near 8 times the work at n (a quadratic parser does
 * 64 times), and within a fixed number of steps per character. The shapes are the ones that
 * stalled the handler (spaces after `REPORT RequestId: x`, an error stack followed by a long run
 * of whitespace, newline runs), and fast-check builds more from hostile pieces: padding, openers
 * repeated (`{`, `[`, `'`, `session:{`, `[String: `), unterminated strings, deep nesting.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { violationTitle } from '../../contracts/violation-title';
import { decodeSubscriptionEvent } from '../../logs/decode-subscription';
import { findObjectSpans } from '../../logs/extract-objects';
import { parseInputText } from '../../logs/input-shapes';
import { parseInspectLiteral } from '../../logs/inspect-literal';
import { readObjectMembers } from '../../logs/json-members';
import { DEFAULT_MAX_LINE_BYTES, parseLogLine } from '../../logs/parse-line';
import { parseLogEvents } from '../../logs/parse-log-events';
import { parsePythonRepr } from '../../logs/python-repr';
import { BASE_TIME, REQUEST_ID, toSubscriptionMessage } from '../support/log-payloads';
import { measureWork } from '../support/work-meter';

const LOG_GROUP = '/aws/lambda/shop-presignup';
const options = { resolveLogGroup: () => ({ trigger: 'PreSignUp' as const }) };

/** Work at 8n over work at n: about 8 for a linear parser, about 64 for a quadratic one. */
const MAX_GROWTH = 12;
/** Steps per character of input, whatever its shape. */
const MAX_STEPS_PER_CHAR = 40;

type Parser = (text: string) => unknown;

const PARSERS: Readonly<Record<string, Parser>> = {
  parseLogLine: (line) => parseLogLine(line, { logGroup: LOG_GROUP, timestamp: '' }, options),
  'parseLogLine, log group of unknown trigger': (line) =>
    parseLogLine(line, { logGroup: '/aws/lambda/unmapped', timestamp: '' }),
  parseInspectLiteral: (text) => parseInspectLiteral(text),
  parsePythonRepr: (text) => parsePythonRepr(text),
  'parseLogEvents (one line, then a traceback that stays open)': (text) =>
    parseLogEvents(
      {
        logGroup: LOG_GROUP,
        events: [{ message: 'Traceback (most recent call last):' }, { message: text }, { message: text }],
      },
      options,
    ),
  findObjectSpans: (text) => findObjectSpans(text),
  readObjectMembers: (text) => readObjectMembers(text, 0, text.length),
  'parseLogLine, PreTokenGeneration log group (events read by members)': (line) =>
    parseLogLine(
      line,
      { logGroup: '/aws/lambda/shop-pretoken', timestamp: '' },
      { resolveLogGroup: () => ({ trigger: 'PreTokenGeneration' as const }) },
    ),
  'parseInputText (scan-logs input)': (text) =>
    parseInputText(text, { name: 'input', logGroup: LOG_GROUP, ...options }),
  'violationTitle (described value)': (text) =>
    violationTitle('PreSignUp', { field: 'event', expected: 'the event', actual: text }),
};

interface Shape {
  prefix: string;
  unit: string;
  suffix: string;
}

const build = ({ prefix, unit, suffix }: Shape, count: number): string =>
  prefix + unit.repeat(count) + suffix;

/** Steps at `count` and `8 * count` units of `shape`. */
const growth = (parse: Parser, shape: Shape, count: number) => {
  const small = build(shape, count);
  const large = build(shape, 8 * count);
  const atN = measureWork(() => parse(small)).steps;
  const at8N = measureWork(() => parse(large)).steps;
  return { atN, at8N, ratio: at8N / atN, perChar: at8N / large.length };
};

const describeShape = (shape: Shape): string => JSON.stringify(shape).slice(0, 160);

/**
 * Work grows about 8-fold from `count` to `8 * count` units (both lines under 87,382 characters,
 * where a line starts to need its UTF-8 length counted), and stays within `MAX_STEPS_PER_CHAR`.
 */
const expectLinear = (parse: Parser, shape: Shape, count: number): void => {
  const { atN, at8N, perChar } = growth(parse, shape, count);
  expect(at8N, `work ${atN} -> ${at8N} for ${describeShape(shape)}`).toBeLessThanOrEqual(
    MAX_GROWTH * atN + 1000,
  );
  expect(perChar, `steps per character for ${describeShape(shape)}`).toBeLessThanOrEqual(MAX_STEPS_PER_CHAR);
};

/** Units of `shape` that make a line of about `chars` characters. */
const unitsFor = (shape: Shape, chars: number): number =>
  Math.max(1, Math.floor((chars - shape.prefix.length - shape.suffix.length) / shape.unit.length));

const TEXT_PREFIX = `${BASE_TIME}\t${REQUEST_ID}\tINFO\t`;

/** The shapes that stalled the handler, each at 32 KB and 256 KB (Lambda's line limit). */
const KNOWN_OFFENDERS: readonly [string, Shape][] = [
  ['REPORT line padded with spaces', { prefix: 'REPORT RequestId: x', unit: ' ', suffix: '' }],
  [
    'REPORT line padded with spaces, then a key',
    { prefix: 'REPORT RequestId: x', unit: ' ', suffix: 'Duration: 1 ms' },
  ],
  ['REPORT line of empty tab fields', { prefix: 'REPORT RequestId: x', unit: '\t', suffix: '' }],
  [
    'INIT_REPORT line padded with spaces',
    { prefix: 'INIT_REPORT Init Duration: 1 ms', unit: ' ', suffix: 'x' },
  ],
  [
    'util.inspect error stack followed by spaces',
    { prefix: `${TEXT_PREFIX}{ triggerSource: 'PreSignUp_SignUp', err: Error: x`, unit: ' ', suffix: '}' },
  ],
  [
    'util.inspect error stack followed by newlines',
    { prefix: "{ triggerSource: 'x', err: Error: x", unit: '\n', suffix: 'a}' },
  ],
  [
    'util.inspect error stack followed by carriage returns',
    { prefix: '{ err: Error: x', unit: '\r', suffix: '}' },
  ],
  [
    'util.inspect error stack followed by commas and spaces',
    { prefix: '{ err: Error: x', unit: ', ', suffix: '}' },
  ],
  [
    'errors on one line before a long run of spaces',
    { prefix: '{ a: 1', unit: ', e: Error: x {}', suffix: `${' '.repeat(4096)}\n}` },
  ],
  ['boxed strings nested', { prefix: '', unit: '[String: ', suffix: "'x']" }],
  ['arrays nested', { prefix: "{ triggerSource: 'x', a: ", unit: '[ ', suffix: '1 ]' }],
  ['session:{ repeated', { prefix: `${TEXT_PREFIX}{ triggerSource `, unit: 'session:{', suffix: '' }],
  ['braces opened, never closed', { prefix: `${TEXT_PREFIX}autoConfirmUser `, unit: '{', suffix: '' }],
  ['unterminated strings', { prefix: '{ autoConfirmUser: ', unit: "'a", suffix: '' }],
  ['a described value followed by a run of ")"', { prefix: 'string (', unit: ')', suffix: '\nx' }],
  ['newline runs', { prefix: 'x', unit: '\n', suffix: 'y' }],
  ['Python dicts nested', { prefix: "{'triggerSource': 'x', 'a': ", unit: "{'a': ", suffix: '1}' }],
  ['Python tuples opened, never closed', { prefix: "{'autoConfirmUser': ", unit: '(', suffix: '' }],
  ['Python calls nested', { prefix: "{'a': ", unit: 'datetime.date(', suffix: '' }],
  ['Python escapes in one string', { prefix: "{'autoConfirmUser': '", unit: "\\x4\\'", suffix: "'}" }],
  ['adjacent Python strings', { prefix: "{'autoConfirmUser': ", unit: "'a' ", suffix: '}' }],
  [
    'a Python traceback of many frames, no exception line',
    { prefix: 'Traceback (most recent call last):', unit: '\n\u00a0\u00a0File "x", line 1', suffix: '' },
  ],
  ['[ERROR] runtime record padded', { prefix: '[ERROR] KeyError', unit: ' ', suffix: ': x' }],
  ['logging line with tabs', { prefix: '[INFO]', unit: '\t', suffix: "{'a': 1}" }],
  [
    'JSON event with escaped quotes in one string',
    {
      prefix: `${TEXT_PREFIX}{"triggerSource":"TokenGeneration_Authentication","a":"`,
      unit: '\\\\\\"',
      suffix: '","response":{}}',
    },
  ],
  [
    'JSON event nested deep before its response',
    {
      prefix: `${TEXT_PREFIX}{"triggerSource":"TokenGeneration_Authentication","a":`,
      unit: '[{"b":',
      suffix: '1,"response":{}}',
    },
  ],
  [
    'JSON event with many members',
    {
      prefix: `${TEXT_PREFIX}{"triggerSource":"TokenGeneration_Authentication"`,
      unit: ',"k":"v"',
      suffix: ',"response":{}}',
    },
  ],
  [
    'JSON event with backslash runs before its quotes',
    { prefix: `${TEXT_PREFIX}{"triggerSource":"x","a":"`, unit: '\\\\\\\\', suffix: '","response":{}}' },
  ],
];

describe('log parsers do linear work', () => {
  it('the meter sees a quadratic scan as quadratic (the measure itself works)', () => {
    const rescanning = (text: string): number => {
      let found = 0;
      for (let i = 0; i < text.length; i++) if (text.indexOf('x', i) !== -1) found++;
      return found;
    };
    const { ratio } = growth(rescanning, { prefix: '', unit: ' ', suffix: '' }, 2000);
    expect(ratio).toBeGreaterThan(40);
  });

  describe.each(Object.entries(PARSERS))('%s', (_name, parse) => {
    it.each(KNOWN_OFFENDERS)('%s', (_shape, shape) => {
      expectLinear(parse, shape, unitsFor(shape, 8 * 1024));
      // At Lambda's line limit too: a bounded number of steps per character.
      const full = build(shape, unitsFor(shape, DEFAULT_MAX_LINE_BYTES));
      expect(measureWork(() => parse(full)).steps / full.length).toBeLessThanOrEqual(MAX_STEPS_PER_CHAR);
    });

    it('grows linearly on shapes built from hostile pieces', () => {
      const piece = fc.constantFrom(
        ' ',
        '\t',
        '\n',
        '\r',
        ',',
        ':',
        '{',
        '}',
        '[',
        ']',
        '(',
        ')',
        '<',
        '>',
        "'",
        '"',
        '`',
        '\\',
        '.',
        '-',
        '0',
        'E',
        'x',
        '\u00a0',
        '\u2028',
        'session:{',
        '[String: ',
        '[Symbol(',
        '[Object]',
        '{ a: ',
        "{ 'a': [",
        '{"a":',
        'err: Error: x ',
        'Duration: ',
        ' Duration',
        'Billed ',
        'Status: ',
        '... 1 more items',
        '<ref *1> ',
        'triggerSource ',
        "triggerSource: 'PreSignUp_SignUp', ",
        'autoConfirmUser',
        '"response":',
        'Map(1) ',
        '1e5',
        '/a/',
        "{'a': ",
        'True',
        'None',
        "b'",
        "\\'",
        'datetime.datetime(',
        '\nTraceback (most recent call last):\n',
        '[ERROR] ',
        '[INFO]\t',
      );
      const prefix = fc.constantFrom(
        '',
        '{',
        '{ ',
        '[',
        'REPORT RequestId: x',
        'INIT_REPORT ',
        'RequestId: x ',
        'Task timed out after ',
        TEXT_PREFIX,
        `${TEXT_PREFIX}Invoke Error \t{`,
        `${BASE_TIME} ${REQUEST_ID} `,
        '{"type":"platform.report","record":',
        '{"level":"ERROR","message":',
        "{'triggerSource': 'PreSignUp_SignUp', 'response': ",
        '[INFO]\t2024-05-01T12:00:00.000Z\tx\t',
        '[ERROR] ',
        'Traceback (most recent call last):\n',
        '{"log_level":"ERROR","errorType":',
        "{ triggerSource: 'PreSignUp_SignUp', response: ",
        'string (',
      );
      const suffix = fc.constantFrom('', '}', ']', ' }', '\n}', "'", '"', 'x', ')', ': 1 }');
      fc.assert(
        fc.property(
          fc.record({
            prefix,
            unit: fc.array(piece, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('')),
            suffix,
          }),
          (shape) => {
            expectLinear(parse, shape, unitsFor(shape, 2048));
          },
        ),
        { numRuns: 60, seed: 7 },
      );
    });
  });

  it('decodes a subscription batch of hostile lines with linear work', () => {
    const batch = (count: number) => {
      const lines = KNOWN_OFFENDERS.map(([, shape]) => build(shape, count));
      return {
        awslogs: {
          data: gzipSync(JSON.stringify(toSubscriptionMessage({ logGroup: LOG_GROUP, lines }))).toString(
            'base64',
          ),
        },
      };
    };
    const small = batch(512);
    const large = batch(4096);
    const atN = measureWork(() => decodeSubscriptionEvent(small, options)).steps;
    const at8N = measureWork(() => decodeSubscriptionEvent(large, options)).steps;
    expect(at8N).toBeLessThanOrEqual(MAX_GROWTH * atN);
  });
});
