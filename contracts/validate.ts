/**
 * The public contract API: validates a returned trigger event, a bare response attributed to a
 * trigger, or what a handler returned for a given input event, against Cognito's contract for the
 * trigger (one module per trigger in this folder).
 *
 * Pure: no I/O, no process.env, no clock, no console. Never throws on any JSON input.
 * Conventions shared by every trigger:
 * - Extra keys are tolerated (Cognito ignores them); `null` means unset (Cognito's own input
 *   placeholders); the event as Cognito sends it validates clean.
 * - Values that util.inspect elided (`Elided` markers) are present but unknown: no violation is
 *   reported at their path, and rules that need them are skipped. The same goes for rules whose
 *   context (triggerSource, version, request, callerContext) is unknown.
 * - `response` must be an object when present; `null`/absent is left alone.
 */

import { checkCreateAuthChallenge } from './create-auth-challenge';
import { checkCustomMessage } from './custom-message';
import { checkCustomSender } from './custom-sender';
import { checkDefineAuthChallenge } from './define-auth-challenge';
import { describeValue } from './describe-value';
import { isElided } from './elided';
import { checkInboundFederation } from './inbound-federation';
import { isJsonObject, isUnset } from './json-value';
import { checkNoResponse } from './no-response';
import { checkPreSignUp, preSignUpRequestDigest } from './pre-sign-up';
import { checkPreTokenGeneration } from './pre-token-generation';
import type { ResponseCheck, ResponseCheckInput } from './response-check';
import { ASYNC_TRIGGERS, type TriggerName, toTrigger } from './triggers';
import { checkUserMigration } from './user-migration';
import { checkVerifyAuthChallengeResponse } from './verify-auth-challenge-response';
import { EVENT_FIELD, toViolation, type Violation } from './violation';

export { VIOLATION_RULES, type Violation, type ViolationRule } from './violation';

/** The verdict on one event or response. */
export type ContractResult =
  | { ok: true; trigger: TriggerName; triggerSource?: string }
  | { ok: false; trigger: TriggerName; triggerSource?: string; violations: Violation[] }
  | { ok: 'unknown-trigger-source'; triggerSource: string };

/** What is known of the event around a bare response. */
export interface ResponseContext {
  triggerSource?: string;
  version?: string;
  request?: unknown;
  callerContext?: unknown;
  /**
   * The caller knows this is the handler's return value (not possibly Cognito's input): an
   * untouched DefineAuthChallenge response or a missing `answerCorrect` then counts. Default false.
   */
  returned?: boolean;
}

/** Options for {@link validateTriggerEvent}. */
export interface ValidateEventOptions {
  /** See {@link ResponseContext.returned}. Default false. */
  returned?: boolean;
}

const CHECKS: Readonly<Record<TriggerName, ResponseCheck>> = {
  PreSignUp: checkPreSignUp,
  PostConfirmation: checkNoResponse,
  PreAuthentication: checkNoResponse,
  PostAuthentication: checkNoResponse,
  DefineAuthChallenge: checkDefineAuthChallenge,
  CreateAuthChallenge: checkCreateAuthChallenge,
  VerifyAuthChallengeResponse: checkVerifyAuthChallengeResponse,
  PreTokenGeneration: checkPreTokenGeneration,
  UserMigration: checkUserMigration,
  CustomMessage: checkCustomMessage,
  CustomEmailSender: checkCustomSender,
  CustomSMSSender: checkCustomSender,
  InboundFederation: checkInboundFederation,
};

/** Members of an event besides `response` that a check may read. */
export type EventContextMember = 'request' | 'callerContext';

/**
 * What each trigger's check reads of its event besides `response`, `triggerSource` and `version`
 * (which every reader passes). A log reader that has the event as text parses only these members,
 * and may reuse a verdict for the same response text and the same values of these members.
 * `test/contracts/check-reads.test.ts` runs every check on recording proxies and fails when one
 * reads a member its list leaves out.
 */
export const CHECK_READS: Readonly<Record<TriggerName, readonly EventContextMember[]>> = {
  PreSignUp: ['request'],
  PostConfirmation: [],
  PreAuthentication: [],
  PostAuthentication: [],
  DefineAuthChallenge: [],
  CreateAuthChallenge: [],
  VerifyAuthChallengeResponse: [],
  PreTokenGeneration: ['callerContext'],
  UserMigration: [],
  CustomMessage: ['request'],
  CustomEmailSender: [],
  CustomSMSSender: [],
  InboundFederation: [],
};

/**
 * What `trigger`'s check reads of an event besides `response`, `triggerSource` and `version`, as a
 * number: two events of the trigger with equal responses, triggerSources, versions and digests get
 * the same verdict from {@link validateTriggerEvent}, so a reader of many events may judge one and
 * reuse its verdict for the next. `undefined` when no such number is known for the event (a check
 * that reads `callerContext` or CustomMessage's request): it has to be judged on its own.
 * `test/contracts/context-digest.property.test.ts` holds it to the checks.
 */
export const contextDigest = (trigger: TriggerName, event: Record<string, unknown>): number | undefined => {
  // PreSignUp first: a string compare, where the table is a lookup by key on every logged event.
  if (trigger === 'PreSignUp') return preSignUpRequestDigest(event.request);
  return CHECK_READS[trigger].length === 0 ? 0 : undefined;
};

const isAsync = (trigger: TriggerName): boolean => ASYNC_TRIGGERS.includes(trigger);

// Built without spreads: this runs once per trigger event or response found in a log batch.
const verdict = (
  trigger: TriggerName,
  triggerSource: string | undefined,
  found: readonly Violation[],
): ContractResult => {
  if (found.length === 0) {
    return triggerSource === undefined ? { ok: true, trigger } : { ok: true, trigger, triggerSource };
  }
  // Only the shared empty list is frozen; a non-empty one is the check's own new array.
  const violations = found as Violation[];
  return triggerSource === undefined
    ? { ok: false, trigger, violations }
    : { ok: false, trigger, triggerSource, violations };
};

const NO_VIOLATIONS: readonly Violation[] = Object.freeze([]);

const checkResponse = (
  trigger: TriggerName,
  response: unknown,
  context: ResponseContext,
): readonly Violation[] => {
  // Custom senders run asynchronously and Cognito discards their result: nothing can break.
  if (isAsync(trigger) || isUnset(response) || isElided(response)) return NO_VIOLATIONS;
  if (!isJsonObject(response)) return [toViolation('type', 'response', 'object', describeValue(response))];
  const input: ResponseCheckInput = { response, returned: context.returned ?? false };
  if (context.triggerSource !== undefined) input.triggerSource = context.triggerSource;
  if (context.version !== undefined) input.version = context.version;
  if (context.request !== undefined) input.request = context.request;
  if (context.callerContext !== undefined) input.callerContext = context.callerContext;
  return CHECKS[trigger](input);
};

const stringOrUndefined = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/**
 * Validates a whole trigger event (one with `triggerSource`), typically found in a log line or
 * returned by a handler. Input events as Cognito sends them validate clean.
 */
export function validateTriggerEvent(
  event: Record<string, unknown>,
  options: ValidateEventOptions = {},
): ContractResult {
  const triggerSource = stringOrUndefined(event.triggerSource) ?? '';
  const trigger = toTrigger(triggerSource);
  if (trigger === undefined) return { ok: 'unknown-trigger-source', triggerSource };
  const context: ResponseContext = {
    triggerSource,
    request: event.request,
    callerContext: event.callerContext,
    returned: options.returned ?? false,
  };
  const version = stringOrUndefined(event.version);
  if (version !== undefined) context.version = version;
  return verdict(trigger, triggerSource, checkResponse(trigger, event.response, context));
}

/**
 * Validates a bare response object attributed to `trigger`. `context` gives what is known of the
 * event (version, request, callerContext); rules needing missing context are skipped, never
 * guessed.
 */
export function validateTriggerResponse(
  trigger: TriggerName,
  response: unknown,
  context: ResponseContext = {},
): ContractResult {
  return verdict(trigger, context.triggerSource, checkResponse(trigger, response, context));
}

/**
 * Validates what a handler returned for `input` (the event Cognito sent): the returned value must
 * be the event (an object with `triggerSource`), not a string, `undefined` or a `{statusCode,
 * body}` wrapper, and its response must meet the trigger's contract, judged as returned. Custom
 * senders are exempt: their return value is unused.
 */
export function validateTriggerReturn(input: unknown, returned: unknown): ContractResult {
  if (isJsonObject(returned) && typeof returned.triggerSource === 'string') {
    return validateTriggerEvent(returned, { returned: true });
  }
  const triggerSource = stringOrUndefined(isJsonObject(input) ? input.triggerSource : undefined) ?? '';
  const trigger = toTrigger(triggerSource);
  if (trigger === undefined) return { ok: 'unknown-trigger-source', triggerSource };
  if (isAsync(trigger)) return verdict(trigger, triggerSource, []);
  const actual = isJsonObject(returned) ? 'object without triggerSource' : describeValue(returned);
  const violation = toViolation(
    'shape',
    EVENT_FIELD,
    'the trigger event (return the event received, with response filled in)',
    actual,
    `the handler returned ${actual} instead of the trigger event`,
  );
  return verdict(trigger, triggerSource, [violation]);
}
