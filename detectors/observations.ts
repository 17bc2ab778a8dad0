/**
 * Typed observations that the log boundary (logs) produces from trigger functions' log lines
 * and the trigger-log detectors consume. A discriminated union on `kind`.
 */
import type { TriggerName } from '../contracts/triggers';
import type { Violation } from '../contracts/violation';

/** Where a log line came from, with what the deployment knows about its log group. */
export interface LogOrigin {
  logGroup: string;
  logStream?: string;
  /** CloudWatch Logs event id, when the line arrived through a subscription or filter-log-events. */
  eventId?: string;
  /** ISO-8601 time of the log event. */
  timestamp: string;
  /** `<name>` of a `/aws/lambda/<name>` log group. */
  functionName?: string;
  /** The trigger this log group's function serves (pool LambdaConfig or `--trigger-map`). */
  trigger?: TriggerName;
  userPoolId?: string;
  region?: string;
}

/**
 * The contract's verdict on a payload, judged by the log reader where it read the payload, with
 * the event fields a finding names. The parsed payload itself is not kept.
 */
export interface PayloadVerdict {
  /** What breaks the trigger's contract; empty when the payload meets it (or cannot be judged). */
  violations: readonly Violation[];
  /** From a broken event: its `userPoolId`, `region` and `callerContext.clientId`. */
  userPoolId?: string;
  region?: string;
  clientId?: string;
}

/**
 * A trigger event (has `triggerSource`) or a bare trigger response found inside a log line, in
 * any of the formats a Lambda writes (JSON, Powertools JSON, `util.inspect` output), with the
 * contract's verdict on it. Values util.inspect elided are present but unknown, so they never
 * make a violation.
 */
export interface TriggerPayloadObservation extends PayloadVerdict {
  kind: 'trigger-payload';
  origin: LogOrigin;
  requestId?: string;
  /** `event`: a whole trigger event; `response`: only the response object. */
  shape: 'event' | 'response';
  /** From the event, or attributed from the log group / unique response keys for a bare response. */
  trigger?: TriggerName;
  triggerSource?: string;
  /** The raw line, for evidence (redacted later). */
  line: string;
}

/** A `REPORT` platform line or a JSON `platform.report` record. */
export interface InvocationReportObservation {
  kind: 'invocation-report';
  origin: LogOrigin;
  requestId: string;
  durationMs: number;
  billedDurationMs?: number;
  initDurationMs?: number;
  memorySizeMb?: number;
  maxMemoryUsedMb?: number;
  /** `success` | `failure` | `error` | `timeout` when the runtime reports it. */
  status?: string;
  /** e.g. `Runtime.ExitError`, present with status error/failure. */
  errorType?: string;
  line: string;
}

/** `Task timed out after N seconds`. */
export interface TimeoutObservation {
  kind: 'timeout';
  origin: LogOrigin;
  requestId?: string;
  afterSeconds: number;
  line: string;
}

export const FUNCTION_ERROR_LABELS = [
  'invoke-error',
  'uncaught-exception',
  'unhandled-rejection',
  'runtime-exit',
  'error-record',
] as const;
export type FunctionErrorLabel = (typeof FUNCTION_ERROR_LABELS)[number];

/**
 * The function threw or crashed: `Invoke Error`, `Uncaught Exception`, `Unhandled Promise
 * Rejection`, `Runtime exited with error`, or (JSON log format) an ERROR record with an errorType.
 */
export interface FunctionErrorObservation {
  kind: 'function-error';
  origin: LogOrigin;
  requestId?: string;
  label: FunctionErrorLabel;
  errorType?: string;
  errorMessage?: string;
  line: string;
}

/** `INIT_REPORT` text line or JSON `platform.initReport` record. */
export interface InitReportObservation {
  kind: 'init-report';
  origin: LogOrigin;
  durationMs?: number;
  /** `init` | `invoke` | `snap-start`. */
  phase?: string;
  status?: string;
  errorType?: string;
  line: string;
}

/** A violation carried in a contract report line (same shape the contracts module produces). */
export interface ReportedViolation {
  field: string;
  expected: string;
  actual: string;
  message: string;
  /** `warning` for a rule that rests on an undocumented fact; absent for a contract break. */
  severity?: 'warning';
}

/**
 * The one structured line the trigger-author middleware (middleware/trigger-contract.ts) writes
 * per invocation: the verdict of validating the returned event, without the event itself (which
 * may hold personal data).
 */
export interface ContractReportObservation {
  kind: 'contract-report';
  origin: LogOrigin;
  requestId?: string;
  trigger: TriggerName;
  triggerSource: string;
  userPoolId?: string;
  region?: string;
  clientId?: string;
  violations: ReportedViolation[];
  line: string;
}

export type LogObservation =
  | TriggerPayloadObservation
  | ContractReportObservation
  | InvocationReportObservation
  | TimeoutObservation
  | FunctionErrorObservation
  | InitReportObservation;
