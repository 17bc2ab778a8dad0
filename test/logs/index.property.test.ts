/**
 * Property tests: the log boundary never throws, whatever arrives, and every line is accounted for.
 */
import { inspect } from 'node:util';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSubscriptionEvent, parseSubscriptionMessage } from '../../logs/decode-subscription';
import { findObjectSpans } from '../../logs/extract-objects';
import { parseInputText } from '../../logs/input-shapes';
import { parseInspectLiteral } from '../../logs/inspect-literal';
import { type LineResult, parseLogLine } from '../../logs/parse-line';
import { parseLogEvents } from '../../logs/parse-log-events';
import { type ParsedBatch, UNREADABLE_REASONS } from '../../logs/types';
import { BASE_TIME, REQUEST_ID, toSubscriptionEvent } from '../support/log-payloads';

const LOG_GROUP = '/aws/lambda/shop-presignup';
const options = { resolveLogGroup: () => ({ trigger: 'PreSignUp' as const }) };

/** Pieces of real log lines, so random lines reach the interesting branches. */
const fragment = fc.constantFrom(
  'START RequestId: ',
  'END RequestId: ',
  'REPORT RequestId: ',
  'INIT_REPORT Init Duration: ',
  'INIT_START ',
  'RequestId: ',
  ' Error: Runtime exited with error: exit status 129',
  'Task timed out after ',
  `${BASE_TIME}\t${REQUEST_ID}\tINFO\t`,
  `${BASE_TIME}\tundefined\tERROR\tInvoke Error \t`,
  `${BASE_TIME} ${REQUEST_ID} `,
  '\tDuration: ',
  ' ms',
  '\tStatus: ',
  '{',
  '}',
  '[',
  ']',
  "'",
  '"',
  '`',
  '\\',
  ':',
  ',',
  ' ',
  '\n',
  '\r',
  '\t',
  '{"time":"2024-07-01T08:54:54.127Z","type":"platform.report","record":',
  '{"timestamp":"x","level":"ERROR","requestId":"r","message":',
  '"errorType":"Error","errorMessage":"x"',
  'triggerSource',
  "triggerSource: 'PreSignUp_SignUp'",
  '"triggerSource":"Nope_X"',
  'response: ',
  '"response":',
  'autoConfirmUser',
  "autoConfirmUser: 'true'",
  'challengeName',
  '"sentinel":"trigger-contract/v1"',
  '[Object]',
  '[Circular *1]',
  '<ref *1> ',
  '... 3 more items',
  'Map(1) ',
  '[Object: null prototype] ',
  'Symbol(x)',
  '123n',
  '-0',
  'NaN',
  'undefined',
  '2024-01-01T00:00:00.000Z',
  'Error: boom\n    at x (y.js:1:2)',
);

const logLike = fc
  .array(fc.oneof(fragment, fc.string({ maxLength: 12 })), { maxLength: 30 })
  .map((parts) => parts.join(''));

const anyLine = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  logLike,
  fc.jsonValue().map((value) => JSON.stringify(value) ?? ''),
  fc.anything().map((value) => inspect(value)),
  fc.anything().map((value) => `${BASE_TIME}\t${REQUEST_ID}\tINFO\t${inspect(value, { depth: 4 })}`),
);

const isLineResult = (result: LineResult): boolean =>
  result.status === 'quiet' ||
  (result.status === 'signal' && result.observations.length > 0) ||
  (result.status === 'unreadable' && UNREADABLE_REASONS.includes(result.reason) && result.message.length > 0);

const balanced = (batch: ParsedBatch): boolean => {
  const { lines, withSignal, quiet, unreadable } = batch.stats;
  return lines === withSignal + quiet + unreadable && unreadable === batch.unreadable.length;
};

describe('log boundary properties', () => {
  it('parseLogLine never throws and always returns a well-formed result', () => {
    fc.assert(
      fc.property(anyLine, fc.constantFrom(LOG_GROUP, '/aws/lambda/unmapped', 'odd'), (line, logGroup) => {
        const result = parseLogLine(line, { logGroup, timestamp: '' }, logGroup === LOG_GROUP ? options : {});
        expect(isLineResult(result)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('parseInspectLiteral never throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          logLike,
          fc.anything().map((value) => inspect(value)),
        ),
        (text) => {
          parseInspectLiteral(text);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('parseInspectLiteral reads back what util.inspect prints for JSON values', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue(), fc.jsonValue({ stringUnit: 'binary' })),
        fc.boolean(),
        fc.integer({ min: 20, max: 200 }),
        (value, compact, breakLength) => {
          const text = inspect(value, {
            depth: Number.POSITIVE_INFINITY,
            maxArrayLength: Number.POSITIVE_INFINITY,
            maxStringLength: Number.POSITIVE_INFINITY,
            compact: compact ? 3 : false,
            breakLength,
          });
          expect(parseInspectLiteral(text)).toEqual(value);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('findObjectSpans returns ordered, non-overlapping spans that open and close with braces', () => {
    fc.assert(
      fc.property(logLike, (line) => {
        let previousEnd = 0;
        for (const { start, end } of findObjectSpans(line)) {
          expect(start).toBeGreaterThanOrEqual(previousEnd);
          expect(line[start]).toBe('{');
          expect(line[end - 1]).toBe('}');
          previousEnd = end;
        }
      }),
    );
  });

  it('decodeSubscriptionEvent never throws, whatever the payload', () => {
    const payload = fc.oneof(
      fc.anything(),
      fc.record({ awslogs: fc.record({ data: fc.string({ unit: 'binary' }) }) }),
      fc
        .uint8Array({ maxLength: 200 })
        .map((bytes) => ({ awslogs: { data: Buffer.from(bytes).toString('base64') } })),
      fc.string({ unit: 'binary', maxLength: 200 }).map((text) => ({
        awslogs: { data: gzipSync(Buffer.from(text, 'utf8')).toString('base64') },
      })),
      fc
        .jsonValue()
        .map((value) => ({ awslogs: { data: gzipSync(JSON.stringify(value) ?? '').toString('base64') } })),
      fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat()).map(([bytes, cut]) => {
        const gzipped = gzipSync(bytes);
        return { awslogs: { data: gzipped.subarray(0, cut % gzipped.length).toString('base64') } };
      }),
    );
    fc.assert(
      fc.property(payload, (event) => {
        const batch = decodeSubscriptionEvent(event, options);
        expect(balanced(batch)).toBe(true);
        // A payload that fails before its events are reached counts as exactly one unreadable line.
        if (batch.stats.withSignal + batch.stats.quiet === 0 && batch.stats.unreadable > 0) {
          expect(batch.stats.lines).toBeGreaterThanOrEqual(1);
        }
        if (batch.stats.controlMessages > 0) expect(batch.stats.lines).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('accounts for every log event of a batch, whatever the lines', () => {
    fc.assert(
      fc.property(fc.array(anyLine, { maxLength: 25 }), (lines) => {
        const batch = decodeSubscriptionEvent(toSubscriptionEvent({ logGroup: LOG_GROUP, lines }), options);
        expect(balanced(batch)).toBe(true);
        expect(batch.stats.lines).toBe(lines.length);
      }),
      { numRuns: 300 },
    );
  });

  it('accounts for every log event, even events that break the schema', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.anything(), fc.record({ message: anyLine })), { maxLength: 20 }),
        (events) => {
          const message = {
            messageType: 'DATA_MESSAGE',
            owner: '1',
            logGroup: LOG_GROUP,
            logStream: 's',
            subscriptionFilters: [],
            logEvents: events,
          };
          const batch = parseSubscriptionMessage(message, options);
          expect(balanced(batch)).toBe(true);
          expect(batch.stats.lines).toBe(events.length);
          const loose = parseLogEvents({ logGroup: LOG_GROUP, events: events as never }, options);
          expect(balanced(loose)).toBe(true);
          expect(loose.stats.lines).toBe(events.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('parseInputText never throws on any text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          logLike,
          fc.jsonValue().map((value) => JSON.stringify(value) ?? ''),
        ),
        (text) => {
          const result = parseInputText(text, { name: 'input', logGroup: LOG_GROUP, ...options });
          if (!('error' in result)) expect(balanced(result)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
