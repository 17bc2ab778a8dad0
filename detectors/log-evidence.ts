/**
 * Shared helpers for the trigger-log detectors: where an observation came from, and short
 * excerpts of the raw line for evidence. Pure. An excerpt is redacted whole before it is cut
 * (a cut secret would no longer look like one); alerts/ redacts everything again on the way out.
 */

import { ASYNC_TRIGGERS, type TriggerName } from '../contracts/triggers';
import { redactThenClip } from '../redaction/redact';
import type { InvocationReportObservation, LogOrigin } from './observations';
import { runbookSectionId } from './runbook-section-id';
import { type DetectorConfig, type DetectorId, toDedupKey } from './types';

/** Longest excerpt of a log line kept as evidence, in characters (the `…` marks included). */
export const MAX_EXCERPT_CHARS = 400;

/**
 * The line on one line, redacted, then cut to at most MAX_EXCERPT_CHARS, centred on `focus` when
 * it occurs.
 */
export const toExcerpt = (line: string, focus?: string): string => {
  const trimmed = line.trim();
  // Most lines are one line already: only pay for the regex when there is a line break.
  const flat = trimmed.includes('\n') || trimmed.includes('\r') ? trimmed.replace(/[\r\n]+/g, ' ') : trimmed;
  return redactThenClip(flat, MAX_EXCERPT_CHARS, focus === undefined ? {} : { focus });
};

/** What an alert calls the function: `PreSignUp trigger shop-presignup`, or the log group when nothing else is known. */
export const describeFunction = (
  origin: LogOrigin,
  trigger: TriggerName | undefined = origin.trigger,
): string => {
  const name = origin.functionName ?? origin.logGroup;
  return trigger ? `${trigger} trigger ${name}` : `Lambda ${name}`;
};

/** The scope part of a dedup key: the pool when known, else the log group (stable per function). */
export const scopeOf = (origin: LogOrigin, userPoolId?: string): string =>
  userPoolId ?? origin.userPoolId ?? origin.logGroup;

/** Cognito waits for synchronous triggers only; custom senders run asynchronously. */
export const isSynchronous = (trigger: TriggerName | undefined): boolean =>
  trigger === undefined || !ASYNC_TRIGGERS.includes(trigger);

/** The location fields every log finding carries. */
export const locationOf = (origin: LogOrigin): Location => {
  // Built field by field: this runs for every finding of an incident batch.
  const location: Location = { logGroup: origin.logGroup, timestamp: origin.timestamp };
  if (origin.userPoolId) location.userPoolId = origin.userPoolId;
  if (origin.region) location.region = origin.region;
  if (origin.trigger) location.trigger = origin.trigger;
  if (origin.functionName) location.functionName = origin.functionName;
  if (origin.logStream) location.logStream = origin.logStream;
  return location;
};

export interface Location {
  userPoolId?: string;
  region?: string;
  trigger?: TriggerName;
  functionName?: string;
  logGroup: string;
  logStream?: string;
  timestamp: string;
}

/** How long Cognito waited on an invocation, in ms: its duration plus, on a cold start, its init. */
export const waitedMsOf = (report: InvocationReportObservation): number =>
  report.durationMs + (report.initDurationMs ?? 0);

/**
 * The wait (ms) from which a successful invocation's report can matter to a detector under
 * `config`: trigger-slow reads reports from `slowThresholdMs`, trigger-timeout from
 * `cognitoTimeoutMs` or with status `timeout`, trigger-error only with a failed status. A report
 * of a successful invocation (no status, or `success`) that waited less is read by none of them,
 * so the log reader need not build it (`omitReportsUnderMs` of the log reader's options).
 */
export const reportsReadFromMs = (
  config: Pick<DetectorConfig, 'slowThresholdMs' | 'cognitoTimeoutMs'>,
): number => Math.min(config.slowThresholdMs, config.cognitoTimeoutMs);

/** The key of one invocation: its log group and request id. */
export const invocationKeyOf = (origin: LogOrigin, requestId: string): string =>
  `${origin.logGroup}\u0000${requestId}`;

/**
 * The dedup key and runbook of a finding about one trigger's invocations (slow, timed out): one
 * incident per trigger (or function) and pool.
 */
export const perTriggerKeys = (
  detector: DetectorId,
  origin: LogOrigin,
): { dedupKey: string; runbook: string } => ({
  dedupKey: toDedupKey(detector, scopeOf(origin), origin.trigger ?? origin.functionName),
  runbook: runbookSectionId(detector),
});

/** Formats milliseconds as seconds with two decimals, the way Lambda's timeout line does. */
export const formatSeconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
