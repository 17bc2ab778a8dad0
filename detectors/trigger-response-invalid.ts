/**
 * trigger-response-invalid: a trigger returned a response that breaks Cognito's contract for its
 * triggerSource (wrong JSON type such as `autoConfirmUser: "true"`, a required key missing,
 * contradictory keys, CustomMessage text without the code placeholder, autoVerifyEmail without an
 * email, map values that are not strings, protected claims in a pre token override, ...).
 *
 * Reads: trigger events and bare responses found in log lines (JSON, Powertools JSON,
 * util.inspect output) and the verdict lines of the trigger-contract middleware. The contracts
 * themselves live in contracts/.
 * Input events, as Cognito sends them with default or null placeholders in `response`, satisfy
 * the contracts and raise nothing. One finding per invocation and field.
 * Known false positives: a function that logs a response it then corrects before returning is
 * reported; log the value you return, or use the middleware, which validates what is returned.
 */
import { validateTriggerEvent, validateTriggerResponse, violationTitle } from '../contracts';
import type { TriggerName } from '../contracts/triggers';
import { createFindingCollector, type FindingCollector, type FindingHead } from './collapse';
import { isSynchronous, locationOf, scopeOf, toExcerpt } from './log-evidence';
import type { LogObservation, LogOrigin, ReportedViolation } from './observations';
import { runbookSectionId } from './runbook-section-id';
import { type Detector, toDedupKey } from './types';

const asString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const clientIdOf = (payload: Record<string, unknown>): string | undefined => {
  const callerContext = payload.callerContext;
  return callerContext && typeof callerContext === 'object'
    ? asString((callerContext as Record<string, unknown>).clientId)
    : undefined;
};

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

/**
 * Titles by trigger and violation: during an incident every invocation breaks the same way, so
 * the title is built once per detect call, not once per finding.
 */
interface TitleCache {
  /** Violations memoised by the contracts come back as the same objects: keyed by identity. */
  byViolation: WeakMap<ReportedViolation, string>;
  byText: Map<string, string>;
}

const titleOf = (cache: TitleCache, trigger: TriggerName, violation: ReportedViolation): string => {
  let title = cache.byViolation.get(violation);
  if (title !== undefined) return title;
  const key = `${trigger}\u0000${violation.field}\u0000${violation.expected}\u0000${violation.actual}`;
  title = cache.byText.get(key);
  if (title === undefined) {
    title = violationTitle(trigger, violation);
    cache.byText.set(key, title);
  }
  cache.byViolation.set(violation, title);
  return title;
};

const addFinding = (
  collector: FindingCollector,
  context: Context,
  violation: ReportedViolation,
  titles: TitleCache,
): void => {
  const { origin, trigger } = context;
  const where = locationOf({ ...origin, trigger });
  const head: FindingHead = {
    detector: 'trigger-response-invalid',
    severity: violation.severity ?? (isSynchronous(trigger) ? 'critical' : 'error'),
    title: titleOf(titles, trigger, violation),
    ...where,
    ...(context.userPoolId ? { userPoolId: context.userPoolId } : {}),
    ...(context.region ? { region: context.region } : {}),
    ...(context.clientId ? { clientId: context.clientId } : {}),
    ...(context.triggerSource ? { triggerSource: context.triggerSource } : {}),
    ...(context.requestId ? { requestId: context.requestId } : {}),
    field: violation.field,
    expected: violation.expected,
    actual: violation.actual,
    dedupKey: toDedupKey(
      'trigger-response-invalid',
      scopeOf(origin, context.userPoolId),
      trigger,
      violation.field,
    ),
    runbook: runbookSectionId('trigger-response-invalid', trigger),
  };
  collector.add(head, () => [
    `${violation.field}: expected ${violation.expected}, got ${violation.actual}`,
    toExcerpt(context.line, violation.field.split('.').at(-1)),
  ]);
};

export const triggerResponseInvalid: Detector<LogObservation> = {
  id: 'trigger-response-invalid',
  description: "A trigger's logged response breaks Cognito's contract for its triggerSource.",
  detect: (observations, { collapse }) => {
    const collector = createFindingCollector(collapse);
    const seen = new Map<string, Set<string>>();
    const titles: TitleCache = { byViolation: new WeakMap(), byText: new Map() };
    const emit = (context: Context, violations: readonly ReportedViolation[]) => {
      for (const violation of violations) {
        // The same invocation often logs its response twice (app log + middleware verdict).
        if (context.requestId) {
          const invocation = `${context.origin.logGroup}\u0000${context.requestId}`;
          let fields = seen.get(invocation);
          if (!fields) {
            fields = new Set();
            seen.set(invocation, fields);
          }
          if (fields.has(violation.field)) continue;
          fields.add(violation.field);
        }
        addFinding(collector, context, violation, titles);
      }
    };

    for (const observation of observations) {
      if (observation.kind === 'contract-report') {
        emit(
          {
            origin: observation.origin,
            trigger: observation.trigger,
            triggerSource: observation.triggerSource,
            ...(observation.userPoolId ? { userPoolId: observation.userPoolId } : {}),
            ...(observation.region ? { region: observation.region } : {}),
            ...(observation.clientId ? { clientId: observation.clientId } : {}),
            ...(observation.requestId ? { requestId: observation.requestId } : {}),
            line: observation.line,
          },
          observation.violations,
        );
        continue;
      }
      if (observation.kind !== 'trigger-payload') continue;
      const { payload } = observation;
      const result =
        observation.shape === 'event'
          ? validateTriggerEvent(payload)
          : observation.trigger
            ? validateTriggerResponse(observation.trigger, payload)
            : undefined;
      if (result?.ok !== false) continue;
      const event = observation.shape === 'event' ? payload : {};
      const userPoolId = asString(event.userPoolId);
      const region = asString(event.region);
      const clientId = clientIdOf(event);
      emit(
        {
          origin: observation.origin,
          trigger: result.trigger,
          ...(result.triggerSource ? { triggerSource: result.triggerSource } : {}),
          ...(userPoolId ? { userPoolId } : {}),
          ...(region ? { region } : {}),
          ...(clientId ? { clientId } : {}),
          ...(observation.requestId ? { requestId: observation.requestId } : {}),
          line: observation.line,
        },
        result.violations,
      );
    }
    return collector.findings();
  },
};
