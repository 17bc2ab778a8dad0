/**
 * trigger-error: the trigger function threw, crashed or failed to initialise.
 *
 * Reads: text-format `Invoke Error`, `Uncaught Exception` and `Unhandled Promise Rejection`
 * lines (written only by the Node.js runtime when a handler fails), `Runtime exited with error`
 * lines, `REPORT ... Status: error|failure` and JSON `platform.report` records with that status,
 * and `INIT_REPORT` / `platform.initReport` with status error, failure or timeout.
 * Also Python's runtime: `[ERROR] Type: message` records (text) and `log_level: ERROR` records
 * (JSON), read as `invoke-error`. One finding per failed invocation (request id); lines of the
 * same invocation are merged and the most specific error type wins. Crashes (init failures,
 * uncaught exceptions, runtime exits, failed reports with only a catch-all type) share one dedup
 * key per trigger, `...:crash`, so a crash whose lines arrive in two batches is one incident. JSON-format ERROR records only add evidence to a failed report:
 * on their own they may be errors the handler caught and logged, which Cognito never saw.
 * Severity: critical for synchronous triggers (the caller's sign-up or sign-in failed), error for
 * the asynchronous custom senders. Exception: PreSignUp, PreAuthentication and UserMigration are
 * *meant* to throw to refuse a user, so a plain `Error` (Python: `Exception`) thrown by their handler (`Invoke Error`
 * with errorType `Error` and no system error code in the message) is a warning, not a page.
 * Known false positives: a deliberate refusal that throws a custom error class (e.g.
 * `SignUpDeniedError`) still pages as critical; throw a plain Error to refuse, or rely on the
 * warning. Known false negatives: a dependency failure surfacing as a plain Error without a
 * system code in those three triggers is only a warning; the canary catches the outage.
 */
import { redact, redactThenClip } from '../redaction/redact';
import { createFindingCollector } from './collapse';
import { describeFunction, isSynchronous, locationOf, scopeOf, toExcerpt } from './log-evidence';
import type { FunctionErrorObservation, LogObservation, LogOrigin } from './observations';
import { runbookSectionId } from './runbook-section-id';
import { type Detector, toDedupKey } from './types';

const FAILED_STATUSES = new Set(['error', 'failure']);

/** Longest error message kept in a title, and longest error type kept anywhere, in characters. */
export const MAX_TITLE_MESSAGE_CHARS = 160;
export const MAX_ERROR_TYPE_CHARS = 120;

/** Triggers whose documented way to refuse a user is to throw. */
const REFUSING_TRIGGERS = new Set(['PreSignUp', 'PreAuthentication', 'UserMigration']);

/** Node system error codes and timeouts: an infrastructure failure, never a deliberate refusal. */
const SYSTEM_FAILURE =
  /\b(E[A-Z]{3,}|[Tt]imed? ?out|[Tt]imeout|socket hang up|Throttl|AccessDenied|Unauthorized)\b/;
const FAILED_INIT_STATUSES = new Set(['error', 'failure', 'timeout']);

const CRASH_LABELS: ReadonlySet<FunctionErrorObservation['label']> = new Set([
  'uncaught-exception',
  'unhandled-rejection',
  'runtime-exit',
]);

/**
 * Error types only a failed init has: Node's and Python's runtimes (awslambdaric FaultException)
 * raise them while loading the handler.
 */
const INIT_ERROR_TYPES: ReadonlySet<string> = new Set([
  'Runtime.ImportModuleError',
  'Runtime.UserCodeSyntaxError',
  'Runtime.HandlerNotFound',
  'Runtime.MalformedHandlerName',
  'Runtime.BuiltInModuleConflict',
  'Runtime.BeforeSnapshotError',
  'Runtime.AfterRestoreError',
]);

/**
 * The last part of a crash's dedup key. A crash is written over several lines (the error, then
 * INIT_REPORT, then a failed REPORT that carries only a catch-all type) that can arrive in
 * different subscription batches, each seeing a different error type: keying crashes on the type
 * would open one incident per batch. Errors returned to Lambda keep their type.
 */
export const CRASH_DEDUP_PART = 'crash';

const LABEL_TEXT: Readonly<Record<FunctionErrorObservation['label'], string>> = {
  'invoke-error': 'threw',
  'uncaught-exception': 'crashed on an uncaught exception',
  'unhandled-rejection': 'crashed on an unhandled promise rejection',
  'runtime-exit': 'crashed (runtime exited)',
  'error-record': 'failed',
};

interface Failure {
  origin: LogOrigin;
  requestId?: string;
  verb: string;
  errorType?: string;
  errorMessage?: string;
  /** Init failures are reported even with no request id. */
  init: boolean;
  confirmed: boolean;
  /** True while every line of the failure looks like a deliberate refusal (a plain Error from the handler). */
  refusal?: boolean;
  /** The runtime crashed (uncaught exception, unhandled rejection, runtime exit), not just an error returned to Lambda. */
  crashed: boolean;
  lines: string[];
}

/**
 * How much an error type tells the reader: the user's own class beats a specific Runtime.* type,
 * which beats the catch-all exit and unknown types.
 */
const specificity = (type: string | undefined): number => {
  if (type === undefined) return 0;
  if (type.startsWith('Init.')) return 1;
  if (type === 'Runtime.ExitError' || type === 'Runtime.Unknown') return 2;
  if (type.startsWith('Runtime.')) return 3;
  return 4;
};

/** An init failure, a runtime crash, or a failed report that names no more than a catch-all type. */
const isCrash = (failure: Failure): boolean =>
  failure.init ||
  failure.crashed ||
  specificity(failure.errorType) <= 2 ||
  INIT_ERROR_TYPES.has(failure.errorType ?? '');

export const triggerError: Detector<LogObservation> = {
  id: 'trigger-error',
  description: 'A trigger function threw, crashed, or failed to initialise.',
  detect: (observations, { collapse }) => {
    const failures = new Map<string, Failure>();
    const keyOf = (origin: LogOrigin, requestId: string | undefined) =>
      `${origin.logGroup}\u0000${requestId ?? `${origin.logStream ?? ''}\u0000init`}`;

    const note = (
      origin: LogOrigin,
      requestId: string | undefined,
      update: Partial<
        Pick<Failure, 'verb' | 'errorType' | 'errorMessage' | 'init' | 'confirmed' | 'refusal' | 'crashed'>
      >,
      line: string,
    ) => {
      const key = keyOf(origin, requestId);
      let failure = failures.get(key);
      if (!failure) {
        failure = {
          origin,
          ...(requestId ? { requestId } : {}),
          verb: 'failed',
          init: false,
          confirmed: false,
          crashed: false,
          lines: [],
        };
        failures.set(key, failure);
      }
      // The first specific description wins: "uncaught exception" says more than "runtime exited".
      if (update.verb && failure.verb === 'failed') failure.verb = update.verb;
      if (update.refusal !== undefined) failure.refusal = (failure.refusal ?? true) && update.refusal;
      if (specificity(update.errorType) > specificity(failure.errorType))
        failure.errorType = update.errorType;
      if (update.errorMessage && !failure.errorMessage) failure.errorMessage = update.errorMessage;
      failure.init ||= update.init ?? false;
      failure.confirmed ||= update.confirmed ?? false;
      failure.crashed ||= update.crashed ?? false;
      if (failure.lines.length < 5) failure.lines.push(line);
    };

    for (const observation of observations) {
      switch (observation.kind) {
        case 'function-error':
          note(
            observation.origin,
            observation.requestId,
            {
              verb: LABEL_TEXT[observation.label],
              ...(observation.errorType ? { errorType: observation.errorType } : {}),
              ...(observation.errorMessage ? { errorMessage: observation.errorMessage } : {}),
              init: observation.requestId === undefined,
              crashed: CRASH_LABELS.has(observation.label),
              // An ERROR record in JSON format is only evidence until a failed report confirms it.
              confirmed: observation.label !== 'error-record',
              refusal:
                (observation.label === 'invoke-error' || observation.label === 'error-record') &&
                (observation.errorType === 'Error' || observation.errorType === 'Exception') &&
                !SYSTEM_FAILURE.test(observation.errorMessage ?? ''),
            },
            observation.line,
          );
          break;
        case 'invocation-report':
          if (observation.status && FAILED_STATUSES.has(observation.status)) {
            note(
              observation.origin,
              observation.requestId,
              { ...(observation.errorType ? { errorType: observation.errorType } : {}), confirmed: true },
              observation.line,
            );
          }
          break;
        case 'init-report':
          if (observation.status && FAILED_INIT_STATUSES.has(observation.status)) {
            note(
              observation.origin,
              undefined,
              {
                verb:
                  observation.status === 'timeout' ? 'timed out while initialising' : 'failed to initialise',
                errorType: observation.errorType ?? `Init.${observation.status}`,
                init: true,
                confirmed: true,
              },
              observation.line,
            );
          }
          break;
        default:
          break;
      }
    }

    // A crash during init is written as an init-time error (no request id) and then as a failed
    // REPORT with only a catch-all Runtime type: fold the latter into the former, one crash one finding.
    const initByStream = new Map<string, Failure>();
    for (const failure of failures.values()) {
      if (failure.init)
        initByStream.set(`${failure.origin.logGroup}\u0000${failure.origin.logStream ?? ''}`, failure);
    }
    for (const [key, failure] of failures) {
      if (failure.init || specificity(failure.errorType) > 2) continue;
      const init = initByStream.get(`${failure.origin.logGroup}\u0000${failure.origin.logStream ?? ''}`);
      if (!init) continue;
      init.confirmed ||= failure.confirmed;
      init.requestId ??= failure.requestId;
      init.lines.push(...failure.lines.slice(0, Math.max(0, 5 - init.lines.length)));
      failures.delete(key);
    }

    const collector = createFindingCollector(collapse);
    for (const failure of failures.values()) {
      if (!failure.confirmed) continue;
      const { origin } = failure;
      // Log text is redacted whole, then cut for the title and `actual`; the dedup key keeps the
      // whole redacted type (bounded by hashing), so two long types that share a prefix stay apart.
      const fullType = redact(failure.errorType ?? 'Error');
      const type = redactThenClip(fullType, MAX_ERROR_TYPE_CHARS);
      const looksLikeRefusal =
        failure.refusal === true && origin.trigger !== undefined && REFUSING_TRIGGERS.has(origin.trigger);
      const message = failure.errorMessage
        ? `: ${redactThenClip(failure.errorMessage, MAX_TITLE_MESSAGE_CHARS)}`
        : '';
      collector.add(
        {
          detector: 'trigger-error',
          severity: looksLikeRefusal ? 'warning' : isSynchronous(origin.trigger) ? 'critical' : 'error',
          title: `${describeFunction(origin)} ${failure.verb} (${type}${message})${looksLikeRefusal ? '; a plain Error here may be a deliberate refusal' : ''}`,
          ...locationOf(origin),
          ...(failure.requestId ? { requestId: failure.requestId } : {}),
          field: 'errorType',
          expected: 'no error',
          actual: type,
          dedupKey: toDedupKey(
            'trigger-error',
            scopeOf(origin),
            origin.trigger ?? origin.functionName,
            isCrash(failure) ? CRASH_DEDUP_PART : fullType,
          ),
          runbook: runbookSectionId('trigger-error'),
        },
        () => failure.lines.map((line) => toExcerpt(line, 'Error')),
      );
    }
    return collector.findings();
  },
};
