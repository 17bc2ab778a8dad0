/**
 * trigger-response-invalid: a trigger returned a response that breaks Cognito's contract for its
 * triggerSource (wrong JSON type such as `autoConfirmUser: "true"`, a required key missing,
 * contradictory keys, CustomMessage text without the code placeholder, autoVerifyEmail without an
 * email, map values that are not strings, protected claims in a pre token override, ...).
 *
 * Reads: the verdicts the log reader attached to trigger events and bare responses found in log
 * lines (JSON, Powertools JSON, util.inspect output; judged where they were read, see
 * logs/find-payloads.ts) and the verdict lines of the trigger-contract middleware. The contracts
 * themselves live in contracts/.
 * Input events, as Cognito sends them with default or null placeholders in `response`, satisfy
 * the contracts and raise nothing. One finding per invocation and field.
 * Known false positives: a function that logs a response it then corrects before returning is
 * reported; log the value you return, or use the middleware, which validates what is returned.
 */
import { violationTitle } from '../contracts';
import type { TriggerName } from '../contracts/triggers';
import { createFindingCollector, type FindingCollector, type FindingHead } from './collapse';
import { isSynchronous, scopeOf, toExcerpt } from './log-evidence';
import type { LogObservation, LogOrigin, ReportedViolation, TriggerPayloadObservation } from './observations';
import { runbookSectionId } from './runbook-section-id';
import { type Detector, toDedupKey } from './types';

/**
 * What a finding names besides the violation: a `trigger-payload` observation with a trigger, or a
 * `contract-report` observation, read as they are (no copy per broken invocation).
 */
interface Context {
  origin: LogOrigin;
  trigger: TriggerName;
  triggerSource?: string;
  userPoolId?: string;
  region?: string;
  clientId?: string;
  requestId?: string;
  line: string;
}

/** What a violation's findings share for one trigger and scope: built once, not per occurrence. */
interface Shared {
  trigger: TriggerName;
  scope: string;
  title: string;
  dedupKey: string;
  runbook: string;
}

/**
 * Titles and dedup keys by trigger, scope and violation: during an incident every invocation
 * breaks the same way, so they are built once per detect call, not once per finding.
 */
interface SharedCache {
  /** Violations memoised by the contracts come back as the same objects: keyed by identity. */
  byViolation: WeakMap<ReportedViolation, Shared>;
  titles: Map<string, string>;
}

const sharedOf = (
  cache: SharedCache,
  trigger: TriggerName,
  scope: string,
  violation: ReportedViolation,
): Shared => {
  const known = cache.byViolation.get(violation);
  if (known !== undefined && known.trigger === trigger && known.scope === scope) return known;
  const key = `${trigger}\u0000${violation.field}\u0000${violation.expected}\u0000${violation.actual}`;
  let title = cache.titles.get(key);
  if (title === undefined) {
    title = violationTitle(trigger, violation);
    cache.titles.set(key, title);
  }
  const shared: Shared = {
    trigger,
    scope,
    title,
    dedupKey: toDedupKey('trigger-response-invalid', scope, trigger, violation.field),
    runbook: runbookSectionId('trigger-response-invalid', trigger),
  };
  cache.byViolation.set(violation, shared);
  return shared;
};

const addFinding = (
  collector: FindingCollector,
  context: Context,
  violation: ReportedViolation,
  cache: SharedCache,
): void => {
  const { origin, trigger } = context;
  // `||`: an empty pool id names no pool, as the observation's absent one.
  const shared = sharedOf(cache, trigger, scopeOf(origin, context.userPoolId || undefined), violation);
  const severity = violation.severity ?? (isSynchronous(trigger) ? 'critical' : 'error');
  const evidence = () => [
    `${violation.field}: expected ${violation.expected}, got ${violation.actual}`,
    toExcerpt(context.line, violation.field.split('.').at(-1)),
  ];
  // During an incident the finding is already collected: count it without building its head.
  if (collector.repeat(shared.dedupKey, severity, shared.title, origin.timestamp, evidence)) return;
  // Built field by field (no spreads), keys in the order findings have always had: this runs for
  // every occurrence of an incident.
  const head: Partial<FindingHead> = {
    detector: 'trigger-response-invalid',
    severity,
    title: shared.title,
    logGroup: origin.logGroup,
    timestamp: origin.timestamp,
  };
  // As locationOf, with the trigger the violation was judged for.
  if (origin.userPoolId) head.userPoolId = origin.userPoolId;
  if (origin.region) head.region = origin.region;
  head.trigger = trigger;
  if (origin.functionName) head.functionName = origin.functionName;
  if (origin.logStream) head.logStream = origin.logStream;
  if (context.userPoolId) head.userPoolId = context.userPoolId;
  if (context.region) head.region = context.region;
  if (context.clientId) head.clientId = context.clientId;
  if (context.triggerSource) head.triggerSource = context.triggerSource;
  if (context.requestId) head.requestId = context.requestId;
  head.field = violation.field;
  head.expected = violation.expected;
  head.actual = violation.actual;
  head.dedupKey = shared.dedupKey;
  head.runbook = shared.runbook;
  collector.add(head as FindingHead, evidence);
};

export const triggerResponseInvalid: Detector<LogObservation> = {
  id: 'trigger-response-invalid',
  description: "A trigger's logged response breaks Cognito's contract for its triggerSource.",
  detect: (observations, { collapse }) => {
    const collector = createFindingCollector(collapse);
    // Fields already reported, by log group and request id (an invocation has one or two): one
    // field as a string, the usual case, an array only from the second on.
    const seen = new Map<string, Map<string, string | string[]>>();
    const cache: SharedCache = { byViolation: new WeakMap(), titles: new Map() };
    const emit = (context: Context, violations: readonly ReportedViolation[]) => {
      for (const violation of violations) {
        // The same invocation often logs its response twice (app log + middleware verdict).
        if (context.requestId) {
          let invocations = seen.get(context.origin.logGroup);
          if (!invocations) {
            invocations = new Map();
            seen.set(context.origin.logGroup, invocations);
          }
          const fields = invocations.get(context.requestId);
          const { field } = violation;
          if (fields === undefined) invocations.set(context.requestId, field);
          else if (typeof fields === 'string') {
            if (fields === field) continue;
            invocations.set(context.requestId, [fields, field]);
          } else if (fields.includes(field)) continue;
          else fields.push(field);
        }
        addFinding(collector, context, violation, cache);
      }
    };

    for (const observation of observations) {
      if (observation.kind === 'contract-report') {
        emit(observation, observation.violations);
        continue;
      }
      if (observation.kind !== 'trigger-payload') continue;
      // Judged by the log reader where it read the payload (logs/find-payloads judgePayload).
      const { violations } = observation;
      if (violations.length === 0 || observation.trigger === undefined) continue;
      emit(observation as TriggerPayloadObservation & Context, violations);
    }
    return collector.findings();
  },
};
