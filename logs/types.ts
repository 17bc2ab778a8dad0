/**
 * The contract of the log boundary: what decoding a subscription payload or a file of log lines
 * produces. Every line is accounted for: it yields observations, is quiet (readable, nothing a
 * detector needs), or is unreadable (counted and reported, never silently dropped).
 */
import type { LogObservation } from '../detectors/observations';

export type { LogGroupInfo, ResolveLogGroup } from '../config/trigger-logs-config';

export const UNREADABLE_REASONS = [
  'invalid-base64',
  'invalid-gzip',
  'invalid-json',
  'invalid-shape',
  'line-too-long',
  'malformed-json-line',
  'unknown-trigger-source',
  'unattributed-response',
] as const;
export type UnreadableReason = (typeof UNREADABLE_REASONS)[number];

/** A line (or a whole payload) that could not be read, with an error that names the input. */
export interface UnreadableInput {
  reason: UnreadableReason;
  /** Names the input and what is wrong, e.g. `log event 17 of /aws/lambda/shop-presignup: line is 300000 bytes, over the 256 KB limit`. */
  message: string;
  logGroup?: string;
  eventId?: string;
  /** `payload`: a whole payload or input could not be read (nothing in it was seen); otherwise one line. */
  scope?: 'payload' | 'line';
}

export interface BatchStats {
  /** Log events (lines) seen, including unreadable ones. */
  lines: number;
  /** Lines that produced at least one observation. */
  withSignal: number;
  /** Readable lines with nothing for the detectors. */
  quiet: number;
  /** Lines (or payloads) that could not be read. `lines === withSignal + quiet + unreadableLines`. */
  unreadable: number;
  /** CONTROL_MESSAGE payloads skipped. */
  controlMessages: number;
}

export interface ParsedBatch {
  observations: LogObservation[];
  unreadable: UnreadableInput[];
  stats: BatchStats;
  /** The payload's log group, when it was decoded far enough to name one. */
  logGroup?: string;
  /** True when the log group was refused by `acceptLogGroup`: its lines were not read. */
  ignored?: boolean;
}

export const emptyStats = (): BatchStats => ({
  lines: 0,
  withSignal: 0,
  quiet: 0,
  unreadable: 0,
  controlMessages: 0,
});
