/**
 * Finds trigger payloads inside parsed values and free text: whole trigger events (recognised by a
 * string `triggerSource` plus a `response` key), bare responses (attributed by the log group's
 * trigger or by keys that belong to one trigger only) and trigger-contract reports, nested under
 * any key (Powertools `event`, `response`, `message`, ...) or embedded in strings.
 */

import { Elided } from '../contracts/elided';
import { attributeResponse, RESPONSE_KEYS } from '../contracts/response-keys';
import { type TriggerName, toTrigger } from '../contracts/triggers';
import {
  type ContractResult,
  type Violation,
  validateTriggerEvent,
  validateTriggerResponse,
} from '../contracts/validate';
import type { PayloadVerdict, TriggerPayloadObservation } from '../detectors/observations';
import {
  CONTRACT_REPORT_SENTINEL,
  parseContractReportLine,
  toContractReportObservation,
} from './contract-report-line';
import { findObjectSpans } from './extract-objects';
import { parseInspectLiteral } from './inspect-literal';
import { currentRequestId, emit, flag, type LineState, originOf } from './line-state';
import { looksLikePythonDict, parsePythonRepr } from './python-repr';

const ALL_RESPONSE_KEYS: ReadonlySet<string> = new Set(Object.values(RESPONSE_KEYS).flat());

/**
 * Keys that only appear in trigger requests (or DefineAuthChallenge session items): an object
 * with one is request data even when it also has a response key, e.g. `{ challengeName: 'SRP_A',
 * challengeResult: true }` or `event.request` of a migration (`userAttributes` + `password`).
 */
const REQUEST_KEYS: ReadonlySet<string> = new Set([
  'challengeResult',
  'challengeAnswer',
  'session',
  'password',
  'validationData',
  'clientMetadata',
  'userNotFound',
  'codeParameter',
  'usernameParameter',
  'linkParameter',
  'groupConfiguration',
  'newDeviceUsed',
  'providerName',
  'providerType',
]);

/** Values nested deeper than this are not searched (JSON.parse accepts nesting deep enough to overflow a recursive walk). */
const MAX_WALK_DEPTH = 64;
/** How many times a string found inside a parsed value is itself searched (JSON inside a JSON `message`). */
const MAX_STRING_NESTING = 2;

/** JSON objects start `{"` or `{}`; inspect output starts `{ key` or `{ 'key'`. */
const looksLikeJsonObject = (text: string, start: number, end: number): boolean => {
  for (let i = start + 1; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 32 || code === 10 || code === 13 || code === 9) continue;
    return code === 34 || code === 125;
  }
  return false;
};

/**
 * Parses an object literal that is not JSON at `text[start, end)`: a Python dict repr when it is
 * written like one (`{'key': ...}`), else (or when that fails) `util.inspect` output. Each reader
 * runs at most once over the text, so the cost stays linear.
 */
export const parseLiteral = (text: string, start = 0, end = text.length): unknown => {
  if (looksLikePythonDict(text, start, end)) {
    const value = parsePythonRepr(text, start, end);
    if (value !== undefined) return value;
  }
  return parseInspectLiteral(text, start, end);
};

/**
 * Parses the object literal at `text[start, end)`: JSON when it looks like JSON, else a Python
 * dict repr or `util.inspect` output (read in place, without slicing the line).
 */
export const parseCandidate = (text: string, start = 0, end = text.length): unknown => {
  if (looksLikeJsonObject(text, start, end)) {
    try {
      return JSON.parse(start === 0 && end === text.length ? text : text.slice(start, end));
    } catch {
      // Falls through: inspect output with double-quoted keys is not JSON.
    }
  }
  return parseLiteral(text, start, end);
};

/**
 * Searches `text` from `from` for object literals with trigger signal and walks what parses.
 * `nesting` counts how deep inside other strings `text` was found.
 */
export const searchText = (
  text: string,
  from: number,
  state: LineState,
  nesting: number,
  to = text.length,
): void => {
  const { keywords } = state.group;
  const spans = findObjectSpans(text, from, to);
  for (const span of spans) {
    if (state.budget <= 0) return;
    if (!keywords.test(text.slice(span.start, span.end))) continue;
    state.budget -= (span.end - span.start) >>> 6;
    const value = parseCandidate(text, span.start, span.end);
    if (value !== undefined && typeof value === 'object') {
      walkValue(value, state, nesting, 0);
    } else if (state.fallbacks-- > 0 && span.end - span.start > 2) {
      // e.g. an error stack the inspect reader cannot follow, with the event beside it.
      searchText(text, span.start + 1, state, nesting, span.end - 1);
    }
  }
};

/** Index just past the last non-whitespace character of `text`. */
const trimmedEnd = (text: string): number => {
  let end = text.length;
  while (end > 0) {
    const code = text.charCodeAt(end - 1);
    if (code !== 32 && code !== 10 && code !== 13 && code !== 9) break;
    end--;
  }
  return end;
};

/**
 * Searches a log message whose first `{` is at `brace`. The common case, a message that is one
 * object to its end (`Response: {...}`, `console.log(event)`), is parsed without scanning for spans.
 */
export const searchMessage = (text: string, brace: number, state: LineState): void => {
  const end = trimmedEnd(text);
  if (text.charCodeAt(end - 1) === 125) {
    const value = parseCandidate(text, brace, end);
    if (value !== undefined && typeof value === 'object') {
      walkValue(value, state, 0, 0);
      return;
    }
  }
  searchText(text, brace, state, 0);
};

const NO_VIOLATIONS: readonly Violation[] = Object.freeze([]);

const violationsOf = (result: ContractResult): readonly Violation[] =>
  result.ok === false ? result.violations : NO_VIOLATIONS;

const nonEmptyString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * Judges a payload against its trigger's contract where it is read and writes the verdict, and the
 * few event fields a finding names, into `into`: the observation carries them instead of the parse
 * tree, so a batch's parsed events die with their line instead of living (and being copied by
 * every scavenge) until the detectors run. `trigger` is the event's own (from its triggerSource) or
 * the one a bare response was attributed to.
 */
export const judgePayload = <T extends PayloadVerdict>(
  into: T,
  shape: 'event' | 'response',
  trigger: TriggerName,
  value: Record<string, unknown>,
): T => {
  if (shape === 'response') {
    into.violations = violationsOf(validateTriggerResponse(trigger, value));
    return into;
  }
  into.violations = violationsOf(validateTriggerEvent(value));
  // Only a broken event's place is ever named in a finding.
  if (into.violations.length === 0) return into;
  const userPoolId = nonEmptyString(value.userPoolId);
  if (userPoolId) into.userPoolId = userPoolId;
  const region = nonEmptyString(value.region);
  if (region) into.region = region;
  const { callerContext } = value;
  const clientId =
    callerContext && typeof callerContext === 'object'
      ? nonEmptyString((callerContext as Record<string, unknown>).clientId)
      : undefined;
  if (clientId) into.clientId = clientId;
  return into;
};

const readEvent = (value: Record<string, unknown>, triggerSource: string, state: LineState): void => {
  const trigger = toTrigger(triggerSource);
  if (!trigger) {
    flag(
      state,
      'unknown-trigger-source',
      `trigger event has triggerSource ${JSON.stringify(triggerSource.slice(0, 100))}, which is not a Cognito trigger source (expected e.g. PreSignUp_SignUp)`,
    );
    return;
  }
  const observation: TriggerPayloadObservation = {
    kind: 'trigger-payload',
    origin: originOf(state),
    shape: 'event',
    trigger,
    triggerSource,
    violations: NO_VIOLATIONS,
    line: state.line,
  };
  judgePayload(observation, 'event', trigger, value);
  const requestId = currentRequestId(state);
  if (requestId !== undefined) observation.requestId = requestId;
  emit(state, observation);
};

/** Emits a bare response (or flags it as unattributable); false when `value` is not response-shaped. */
const readResponse = (value: Record<string, unknown>, state: LineState): boolean => {
  const groupTrigger = state.group.trigger;
  const own = groupTrigger === undefined ? undefined : RESPONSE_KEYS[groupTrigger];
  let hasResponseKey = false;
  let hasOwnKey = false;
  let onlyResponseKeys = true;
  for (const key in value) {
    if (REQUEST_KEYS.has(key)) return false;
    if (ALL_RESPONSE_KEYS.has(key)) {
      hasResponseKey = true;
      if (own?.includes(key)) hasOwnKey = true;
    } else onlyResponseKeys = false;
  }
  if (!hasResponseKey) return false;
  let trigger: TriggerName | undefined;
  if (groupTrigger) {
    // The log group's trigger decides: another trigger's keys in this function's logs are not its response.
    if (!hasOwnKey) return false;
    trigger = groupTrigger;
  } else {
    trigger = attributeResponse(Object.keys(value));
  }
  if (!trigger) {
    // Response keys mixed with other data (a log record, a request) are not a response to report.
    if (!onlyResponseKeys) return false;
    const { logGroup } = state.group;
    flag(
      state,
      'unattributed-response',
      `a bare trigger response (keys: ${Object.keys(value).slice(0, 8).join(', ')}) cannot be attributed to a trigger: log group ${logGroup} has no known trigger; pass --trigger-map ${logGroup}=<Trigger> or configure the user pool that uses this function`,
    );
    return true;
  }
  const observation: TriggerPayloadObservation = {
    kind: 'trigger-payload',
    origin: originOf(state),
    shape: 'response',
    trigger,
    violations: NO_VIOLATIONS,
    line: state.line,
  };
  judgePayload(observation, 'response', trigger, value);
  const requestId = currentRequestId(state);
  if (requestId !== undefined) observation.requestId = requestId;
  emit(state, observation);
  return true;
};

/** Walks a parsed value for events, responses, contract reports and strings with embedded objects. */
export const walkValue = (value: unknown, state: LineState, nesting: number, depth: number): void => {
  if (--state.budget < 0 || depth > MAX_WALK_DEPTH) return;
  if (typeof value === 'string') {
    if (
      nesting < MAX_STRING_NESTING &&
      value.length > 1 &&
      value.includes('{') &&
      state.group.keywords.test(value)
    ) {
      searchText(value, 0, state, nesting + 1);
    }
    return;
  }
  if (typeof value !== 'object' || value === null || value instanceof Elided) return;
  if (Array.isArray(value)) {
    for (const item of value) walkValue(item, state, nesting, depth + 1);
    return;
  }
  const record = value as Record<string, unknown>;
  // Before the event check: a contract report also carries a string triggerSource.
  if (record.sentinel === CONTRACT_REPORT_SENTINEL) {
    const parsed = parseContractReportLine(record);
    if (parsed?.ok === true) {
      emit(state, toContractReportObservation(parsed.report, originOf(state), state.line, state.requestId));
    } else if (parsed?.ok === false) {
      flag(
        state,
        'invalid-shape',
        `trigger-contract/v1 record does not match its schema (${parsed.problem})`,
      );
    }
    return;
  }
  const { triggerSource } = record;
  if (typeof triggerSource === 'string') {
    // Event-shaped: never searched inside, so `request` and `response` are not read as bare payloads.
    if ('response' in record) readEvent(record, triggerSource, state);
    return;
  }
  if (readResponse(record, state)) return;
  for (const key in record) walkValue(record[key], state, nesting, depth + 1);
};
