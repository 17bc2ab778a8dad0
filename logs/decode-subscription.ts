/**
 * Decodes a CloudWatch Logs subscription payload as Lambda receives it,
 * `{"awslogs":{"data":"<base64 of gzip of JSON>"}}`, and reads its log events.
 *
 * A payload that fails at any stage (shape, base64, gzip, JSON, schema) becomes one
 * `UnreadableInput` counted as one line; a bad log event inside a good payload is one unreadable
 * line and the rest of the batch is still read. `CONTROL_MESSAGE` payloads are skipped and
 * counted. Never throws. Facts: docs/cognito-triggers-and-logs.md (subscription payloads).
 */
import { isAscii } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import * as z from 'zod';
import type { ParseOptions } from './parse-line';
import { emptyBatch, readEventsInto } from './parse-log-events';
import type { ParsedBatch, UnreadableReason } from './types';

/** Options of the decoder. */
export interface DecodeOptions extends ParseOptions {
  /** Names the payload in messages. Default `subscription payload`. */
  inputName?: string;
  /**
   * Whether to read this log group's lines. An account-level subscription policy delivers every
   * log group of the account; refusing the ones nobody watches skips their parsing entirely.
   */
  acceptLogGroup?: (logGroup: string) => boolean;
}

/** Refuses to inflate a payload past this (CloudWatch batches are at most 1 MB): a gzip bomb is unreadable, not fatal. */
export const MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

/** Bounds of zlib's output chunk (see `inflateChunkBytes`). */
export const MIN_INFLATE_CHUNK_BYTES = 16 * 1024;
export const MAX_INFLATE_CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * zlib's output chunk for `compressed`: one more byte than the size its gzip trailer states
 * (ISIZE, the last four bytes: the inflated length mod 2^32), so a batch inflates into one buffer
 * that is returned as is. Node's default, 16 KB, made a 1 MB batch about 80 chunks copied into
 * one buffer: a third more time. The trailer is only a hint: gunzip itself checks it against
 * what it inflated, a wrong one costs chunks, not correctness, and the chunk is bounded whatever
 * it says.
 */
export const inflateChunkBytes = (compressed: Buffer): number => {
  if (compressed.length < 18) return MIN_INFLATE_CHUNK_BYTES;
  const stated = compressed.readUInt32LE(compressed.length - 4);
  return Math.min(MAX_INFLATE_CHUNK_BYTES, Math.max(MIN_INFLATE_CHUNK_BYTES, stated + 1));
};

export const MESSAGE_TYPES = ['DATA_MESSAGE', 'CONTROL_MESSAGE'] as const;

/**
 * The decoded subscription message. `logEvents` items are checked one by one
 * (`subscriptionLogEventSchema`) so one bad event does not cost the batch.
 */
export const subscriptionMessageSchema = z.object({
  messageType: z.enum(MESSAGE_TYPES),
  owner: z.string(),
  logGroup: z.string(),
  logStream: z.string(),
  subscriptionFilters: z.array(z.string()),
  // Only the array itself: zod would visit every item, and items are validated one by one anyway.
  logEvents: z.custom<unknown[]>((value) => Array.isArray(value), 'Invalid input: expected array'),
});

export type SubscriptionMessage = z.infer<typeof subscriptionMessageSchema>;

const BASE64_ALPHABET = /[^A-Za-z0-9+/=]/;

const describeChar = (char: string): string =>
  /^[\x21-\x7e]$/.test(char)
    ? `"${char}"`
    : `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `data` is not canonical base64, or undefined when it is. Node's own decoder skips what it cannot read. */
const base64Problem = (data: string, decodedLength: number): string | undefined => {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  const firstPad = data.indexOf('=');
  if (
    data.length % 4 === 0 &&
    (firstPad === -1 || firstPad === data.length - padding) &&
    decodedLength === (data.length / 4) * 3 - padding &&
    !data.includes('-') &&
    !data.includes('_')
  ) {
    return undefined;
  }
  const bad = BASE64_ALPHABET.exec(data);
  if (bad) return `invalid character ${describeChar(bad[0])} at offset ${bad.index}`;
  if (firstPad !== -1 && firstPad < data.length - padding)
    return `padding "=" before the end, at offset ${firstPad}`;
  if (data.length % 4 !== 0) return `length ${data.length} is not a multiple of 4`;
  return 'not canonical base64';
};

/**
 * The payload's text. Bytes that are all ASCII read the same as Latin-1 and as UTF-8, and Node's
 * Latin-1 decoder costs about a quarter of its UTF-8 decoder (which was a quarter of a whole
 * batch's decode); the ASCII check is one fast pass. Otherwise lenient UTF-8: CloudWatch only
 * sends UTF-8, and a stray byte becomes U+FFFD in one line instead of losing the batch.
 */
export const decodeText = (bytes: Buffer): string =>
  isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');

const payloadFailure = (reason: UnreadableReason, message: string, logGroup?: string): ParsedBatch => {
  const batch = emptyBatch();
  batch.stats.lines = 1;
  batch.stats.unreadable = 1;
  batch.unreadable.push({
    reason,
    message,
    scope: 'payload',
    ...(logGroup !== undefined ? { logGroup } : {}),
  });
  return batch;
};

const kindOf = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'an array'
      : value === undefined
        ? 'missing'
        : `a ${typeof value}`;

/**
 * Reads an already-decoded subscription message (`{"messageType","owner","logGroup","logStream",
 * "subscriptionFilters","logEvents"}`). Never throws.
 */
export const parseSubscriptionMessage = (message: unknown, options: DecodeOptions = {}): ParsedBatch => {
  const name = options.inputName ?? 'subscription payload';
  const parsed = subscriptionMessageSchema.safeParse(message);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'message'}: ${issue.message}`)
      .join('; ');
    const logGroup = (message as { logGroup?: unknown } | null)?.logGroup;
    return payloadFailure(
      'invalid-shape',
      `${name}: decoded message does not match the CloudWatch Logs subscription schema (${issues})`,
      typeof logGroup === 'string' ? logGroup : undefined,
    );
  }
  const batch = emptyBatch();
  const { messageType, logGroup, logStream, logEvents } = parsed.data;
  batch.logGroup = logGroup;
  if (messageType === 'CONTROL_MESSAGE') {
    batch.stats.controlMessages = 1;
    return batch;
  }
  if (options.acceptLogGroup && !options.acceptLogGroup(logGroup)) {
    // Not read, but accounted for: every event is counted as a quiet line.
    batch.ignored = true;
    batch.stats.lines = logEvents.length;
    batch.stats.quiet = logEvents.length;
    return batch;
  }
  readEventsInto(
    batch,
    logEvents,
    { logGroup, logStream, source: options.inputName, unit: 'log event', strict: true },
    options,
  );
  return batch;
};

/**
 * Decodes a Lambda CloudWatch Logs subscription event `{"awslogs":{"data":"..."}}`: strict base64,
 * gunzip, JSON, schema, then every log event. Problems come back as `UnreadableInput`s whose
 * message names the input and what is wrong, e.g. `subscription payload: awslogs.data is not
 * valid base64 (invalid character "%" at offset 12)`. Never throws.
 */
export const decodeSubscriptionEvent = (event: unknown, options: DecodeOptions = {}): ParsedBatch => {
  const name = options.inputName ?? 'subscription payload';
  const awslogs = (event as { awslogs?: unknown } | null | undefined)?.awslogs;
  const data = (awslogs as { data?: unknown } | null | undefined)?.data;
  if (typeof data !== 'string') {
    const what =
      typeof awslogs !== 'object' || awslogs === null
        ? `awslogs is ${kindOf(awslogs)}`
        : `awslogs.data is ${kindOf(data)}`;
    return payloadFailure(
      'invalid-shape',
      `${name}: expected {"awslogs":{"data":"<base64 gzip>"}}, but ${what}`,
    );
  }
  const compressed = Buffer.from(data, 'base64');
  const problem = base64Problem(data, compressed.length);
  if (problem)
    return payloadFailure('invalid-base64', `${name}: awslogs.data is not valid base64 (${problem})`);
  let json: Buffer;
  try {
    json = gunzipSync(compressed, {
      maxOutputLength: MAX_DECOMPRESSED_BYTES,
      chunkSize: inflateChunkBytes(compressed),
    });
  } catch (error) {
    const detail =
      (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
        ? `decompresses to more than ${MAX_DECOMPRESSED_BYTES} bytes`
        : error instanceof Error
          ? error.message
          : String(error);
    return payloadFailure('invalid-gzip', `${name}: awslogs.data is not valid gzip (${detail})`);
  }
  let message: unknown;
  try {
    message = JSON.parse(decodeText(json));
  } catch (error) {
    return payloadFailure(
      'invalid-json',
      `${name}: awslogs.data decompresses to text that is not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return parseSubscriptionMessage(message, options);
};
