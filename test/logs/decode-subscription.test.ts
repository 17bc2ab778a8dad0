import { inspect } from 'node:util';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import {
  decodeSubscriptionEvent,
  decodeText,
  inflateChunkBytes,
  MAX_INFLATE_CHUNK_BYTES,
  MIN_INFLATE_CHUNK_BYTES,
  parseSubscriptionMessage,
} from '../../logs/decode-subscription';
import type { LogGroupInfo, ParsedBatch } from '../../logs/types';
import {
  BASE_TIMESTAMP_MS,
  encodeSubscriptionData,
  endLine,
  invokeErrorLine,
  REQUEST_ID,
  reportLine,
  startLine,
  textLine,
  timeoutLine,
  toSubscriptionEvent,
  toSubscriptionMessage,
} from '../support/log-payloads';

const LOG_GROUP = '/aws/lambda/shop-presignup';
const GROUPS: Record<string, LogGroupInfo> = {
  [LOG_GROUP]: { trigger: 'PreSignUp', userPoolId: 'us-east-1_EXAMPLE' },
};
const options = { resolveLogGroup: (logGroup: string) => GROUPS[logGroup] };

const accounted = ({ stats }: ParsedBatch) => stats.withSignal + stats.quiet + stats.unreadable;

/** A healthy invocation that logs the seed incident response. */
const invocation = [
  startLine(),
  textLine(REQUEST_ID, 'INFO', `Response: ${inspect({ autoConfirmUser: 'true' })}`),
  endLine(),
  reportLine({ durationMs: 31.62 }),
];

describe('decodeSubscriptionEvent', () => {
  it('decodes a real gzip + base64 payload and reads every line', () => {
    const batch = decodeSubscriptionEvent(
      toSubscriptionEvent({ logGroup: LOG_GROUP, lines: invocation }),
      options,
    );
    expect(batch.stats).toEqual({ lines: 4, withSignal: 2, quiet: 2, unreadable: 0, controlMessages: 0 });
    expect(batch.unreadable).toEqual([]);
    expect(batch.observations.map((observation) => observation.kind)).toEqual([
      'trigger-payload',
      'invocation-report',
    ]);
  });

  it('gives observations the stream, event id and event time of their log event', () => {
    const batch = decodeSubscriptionEvent(
      toSubscriptionEvent({
        logGroup: LOG_GROUP,
        logStream: '2024/05/01/[$LATEST]abc',
        lines: [timeoutLine()],
      }),
      options,
    );
    expect(batch.observations[0]?.origin).toEqual({
      logGroup: LOG_GROUP,
      logStream: '2024/05/01/[$LATEST]abc',
      eventId: toSubscriptionMessage({ logGroup: LOG_GROUP, lines: ['x'] }).logEvents[0]?.id,
      timestamp: new Date(BASE_TIMESTAMP_MS).toISOString(),
      functionName: 'shop-presignup',
      trigger: 'PreSignUp',
      userPoolId: 'us-east-1_EXAMPLE',
    });
  });

  it('skips a CONTROL_MESSAGE and counts it', () => {
    const batch = decodeSubscriptionEvent(
      toSubscriptionEvent({
        logGroup: '',
        messageType: 'CONTROL_MESSAGE',
        lines: ['CWL CONTROL MESSAGE: Checking health of destination Lambda function.'],
      }),
    );
    expect(batch).toEqual({
      observations: [],
      unreadable: [],
      stats: { lines: 0, withSignal: 0, quiet: 0, unreadable: 0, controlMessages: 1 },
      logGroup: '',
    });
  });

  it('does not read the lines of a log group acceptLogGroup refuses, but counts them', () => {
    const batch = decodeSubscriptionEvent(
      toSubscriptionEvent({
        logGroup: '/aws/lambda/other',
        lines: ['{"broken"', 'Task timed out after 3.00 seconds'],
      }),
      { acceptLogGroup: (logGroup) => logGroup === '/aws/lambda/watched' },
    );
    expect(batch).toEqual({
      observations: [],
      unreadable: [],
      stats: { lines: 2, withSignal: 0, quiet: 2, unreadable: 0, controlMessages: 0 },
      logGroup: '/aws/lambda/other',
      ignored: true,
    });
  });

  it('reads an empty batch as zero lines', () => {
    expect(decodeSubscriptionEvent(toSubscriptionEvent({ logGroup: LOG_GROUP, lines: [] })).stats.lines).toBe(
      0,
    );
  });

  const gzipped = gzipSync('{"messageType":"DATA_MESSAGE"}');
  it.each([
    [
      'no awslogs',
      {},
      'invalid-shape',
      'subscription payload: expected {"awslogs":{"data":"<base64 gzip>"}}, but awslogs is missing',
    ],
    ['a number for data', { awslogs: { data: 7 } }, 'invalid-shape', 'but awslogs.data is a number'],
    ['null', null, 'invalid-shape', 'awslogs is missing'],
    [
      'an invalid base64 character',
      { awslogs: { data: 'H4sIAAAAAAAA%wMAAAAAAAAAAAA=' } },
      'invalid-base64',
      'subscription payload: awslogs.data is not valid base64 (invalid character "%" at offset 12)',
    ],
    [
      'URL-safe base64',
      { awslogs: { data: 'H4sI-AAAAAAA' } },
      'invalid-base64',
      'invalid character "-" at offset 4',
    ],
    [
      'base64 with a bad length',
      { awslogs: { data: 'H4sIAAA' } },
      'invalid-base64',
      'length 7 is not a multiple of 4',
    ],
    [
      'padding in the middle',
      { awslogs: { data: 'H4s=IAAA' } },
      'invalid-base64',
      'padding "=" before the end, at offset 3',
    ],
    [
      'truncated gzip',
      { awslogs: { data: gzipped.subarray(0, gzipped.length - 9).toString('base64') } },
      'invalid-gzip',
      'subscription payload: awslogs.data is not valid gzip (unexpected end of file)',
    ],
    [
      'base64 that is not gzip',
      { awslogs: { data: Buffer.from('plain text').toString('base64') } },
      'invalid-gzip',
      'incorrect header check',
    ],
    [
      'a payload that is not JSON',
      { awslogs: { data: gzipSync('START RequestId: x').toString('base64') } },
      'invalid-json',
      'subscription payload: awslogs.data decompresses to text that is not JSON (',
    ],
    [
      'a message without logGroup',
      encodeSubscriptionData({
        messageType: 'DATA_MESSAGE',
        owner: '1',
        logStream: 's',
        subscriptionFilters: [],
        logEvents: [],
      }),
      'invalid-shape',
      'subscription payload: decoded message does not match the CloudWatch Logs subscription schema (logGroup: ',
    ],
    [
      'an unknown messageType',
      encodeSubscriptionData({
        ...toSubscriptionMessage({ logGroup: LOG_GROUP, lines: [] }),
        messageType: 'PING',
      }),
      'invalid-shape',
      'messageType: ',
    ],
    [
      'logEvents that is not an array',
      encodeSubscriptionData({ ...toSubscriptionMessage({ logGroup: LOG_GROUP, lines: [] }), logEvents: {} }),
      'invalid-shape',
      'logEvents: Invalid input: expected array',
    ],
  ])('turns %s into one unreadable input with a message that names it', (_name, event, reason, message) => {
    const batch = decodeSubscriptionEvent(event);
    expect(batch.stats).toEqual({ lines: 1, withSignal: 0, quiet: 0, unreadable: 1, controlMessages: 0 });
    expect(batch.observations).toEqual([]);
    expect(batch.unreadable).toHaveLength(1);
    expect(batch.unreadable[0]?.reason).toBe(reason);
    expect(batch.unreadable[0]?.message).toContain(message);
  });

  it('refuses to inflate a gzip bomb', () => {
    const bomb = { awslogs: { data: gzipSync(Buffer.alloc(65 * 1024 * 1024, 32)).toString('base64') } };
    const batch = decodeSubscriptionEvent(bomb);
    expect(batch.unreadable[0]).toMatchObject({ reason: 'invalid-gzip' });
    expect(batch.unreadable[0]?.message).toContain('decompresses to more than');
  });

  it('inflates into one chunk sized by the gzip trailer, bounded whatever the trailer says', () => {
    const message = toSubscriptionMessage({ logGroup: LOG_GROUP, lines: invocation });
    const gzip = gzipSync(JSON.stringify(message));
    expect(inflateChunkBytes(gzip)).toBe(
      Math.max(MIN_INFLATE_CHUNK_BYTES, JSON.stringify(message).length + 1),
    );
    const big = gzipSync(Buffer.alloc(3 * 1024 * 1024, 32));
    expect(inflateChunkBytes(big)).toBe(3 * 1024 * 1024 + 1);
    const claimsFourGigabytes = Buffer.from(big);
    claimsFourGigabytes.writeUInt32LE(0xffffffff, big.length - 4);
    expect(inflateChunkBytes(claimsFourGigabytes)).toBe(MAX_INFLATE_CHUNK_BYTES);
    expect(inflateChunkBytes(Buffer.alloc(3))).toBe(MIN_INFLATE_CHUNK_BYTES);
  });

  it('reads a batch in the chunk its trailer sizes, and refuses one whose trailer states a wrong size', () => {
    const text = JSON.stringify(toSubscriptionMessage({ logGroup: LOG_GROUP, lines: invocation }));
    const gzip = gzipSync(text);
    const decoded = decodeSubscriptionEvent({ awslogs: { data: gzip.toString('base64') } }, options);
    expect(decoded.stats).toMatchObject({ lines: invocation.length, unreadable: 0 });
    // gunzip checks the stated size against what it inflated: a wrong trailer is unreadable, not a crash.
    const wrong = Buffer.from(gzip);
    wrong.writeUInt32LE(7, gzip.length - 4);
    const batch = decodeSubscriptionEvent({ awslogs: { data: wrong.toString('base64') } }, options);
    expect(batch.unreadable[0]).toMatchObject({ reason: 'invalid-gzip' });
  });

  it('names the input when given a name', () => {
    const batch = decodeSubscriptionEvent({ awslogs: { data: '%%%%' } }, { inputName: 'events.json' });
    expect(batch.unreadable[0]?.message).toMatch(/^events\.json: awslogs\.data is not valid base64/);
  });

  it('reads the rest of the batch around bad lines, naming each bad one', () => {
    const lines = [
      startLine(),
      textLine(REQUEST_ID, 'INFO', `x${'y'.repeat(300_000)}`),
      textLine(REQUEST_ID, 'INFO', JSON.stringify({ triggerSource: 'Bogus_Source', response: {} })),
      invokeErrorLine(),
      '{"level":"INFO","message":"cut',
      reportLine({ durationMs: 5001, status: 'timeout' }),
    ];
    const batch = decodeSubscriptionEvent(toSubscriptionEvent({ logGroup: LOG_GROUP, lines }), options);
    expect(batch.stats).toEqual({ lines: 6, withSignal: 2, quiet: 1, unreadable: 3, controlMessages: 0 });
    expect(batch.observations.map((observation) => observation.kind)).toEqual([
      'function-error',
      'invocation-report',
    ]);
    expect(batch.unreadable.map(({ reason }) => reason)).toEqual([
      'line-too-long',
      'unknown-trigger-source',
      'malformed-json-line',
    ]);
    const message = toSubscriptionMessage({ logGroup: LOG_GROUP, lines });
    expect(batch.unreadable[0]).toEqual({
      reason: 'line-too-long',
      message: `log event 2 (id ${message.logEvents[1]?.id}) of ${LOG_GROUP}: line is ${Buffer.byteLength(lines[1] as string)} bytes, over the 262144-byte limit; not parsed`,
      logGroup: LOG_GROUP,
      eventId: message.logEvents[1]?.id,
    });
  });

  it('reports a log event that breaks the schema as one unreadable line and reads the others', () => {
    const message = toSubscriptionMessage({
      logGroup: LOG_GROUP,
      lines: [timeoutLine(), 'x', reportLine({ durationMs: 4 })],
    });
    const events = message.logEvents as unknown[];
    events[1] = { id: '17', timestamp: BASE_TIMESTAMP_MS, message: 42 };
    events.push('not an event', { id: 9, timestamp: 'soon', message: 'START RequestId: x' });
    const batch = decodeSubscriptionEvent(encodeSubscriptionData(message), options);
    expect(batch.stats).toEqual({ lines: 5, withSignal: 2, quiet: 0, unreadable: 3, controlMessages: 0 });
    expect(batch.unreadable.map(({ message: text }) => text)).toEqual([
      `log event 2 (id 17) of ${LOG_GROUP}: message: Invalid input: expected string, received number`,
      `log event 4 of ${LOG_GROUP}: event: Invalid input: expected object, received string`,
      `log event 5 of ${LOG_GROUP}: id: Invalid input: expected string, received number; timestamp: Invalid input: expected number, received string`,
    ]);
    expect(accounted(batch)).toBe(batch.stats.lines);
  });
});

describe('decodeText', () => {
  it('reads UTF-8 text, and a stray byte as U+FFFD, exactly as the UTF-8 decoder does', () => {
    const bytes = Buffer.concat([
      Buffer.from('{"message":"caf\u00e9 \u{1F600} \u4e2d"} ', 'utf8'),
      Buffer.from([0xff, 0x41, 0xc3]),
    ]);
    expect(decodeText(bytes)).toBe(bytes.toString('utf8'));
    expect(decodeText(bytes)).toContain('\u{1F600}');
    expect(decodeText(bytes).endsWith('\ufffdA\ufffd')).toBe(true);
  });

  it('reads an all-ASCII payload with the Latin-1 decoder, to the same string', () => {
    const bytes = Buffer.from(JSON.stringify({ message: 'START RequestId: 1\t\u0001~' }), 'utf8');
    const decoders = vi.spyOn(Buffer.prototype, 'toString');
    try {
      expect(decodeText(bytes)).toBe(new TextDecoder().decode(bytes));
      expect(decoders.mock.calls.map(([encoding]) => encoding)).toEqual(['latin1']);
    } finally {
      decoders.mockRestore();
    }
  });
});

describe('parseSubscriptionMessage', () => {
  it('reads an already-decoded message', () => {
    const batch = parseSubscriptionMessage(
      toSubscriptionMessage({ logGroup: LOG_GROUP, lines: invocation }),
      options,
    );
    expect(batch.stats).toMatchObject({ lines: 4, withSignal: 2, quiet: 2 });
  });

  it('reports a message that is not an object', () => {
    const batch = parseSubscriptionMessage('DATA_MESSAGE');
    expect(batch.unreadable[0]).toMatchObject({ reason: 'invalid-shape' });
    expect(batch.stats).toMatchObject({ lines: 1, unreadable: 1 });
  });
});
