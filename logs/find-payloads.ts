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
  CHECK_READS,
  type ContractResult,
  contextDigest,
  type Violation,
  validateTriggerEvent,
  validateTriggerResponse,
} from '../contracts/validate';
import type { LogObservation, PayloadVerdict, TriggerPayloadObservation } from '../detectors/observations';
import {
  CONTRACT_REPORT_SENTINEL,
  parseContractReportLine,
  toContractReportObservation,
} from './contract-report-line';
import { findObjectSpans } from './extract-objects';
import { parseInspectLiteral } from './inspect-literal';
import { memberIndex, readObjectMembers } from './json-members';
import {
  currentRequestId,
  emit,
  flag,
  type LineState,
  MAX_MEMO_ENTRIES,
  originOf,
  type ParsedEventVerdict,
} from './line-state';
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
 * object to its end (`Response: {...}`, `console.log(event)`), is parsed without scanning for spans:
 * a JSON event is read from its members (`readJsonEvent`), and a bare response whose text was
 * already judged in this input reuses that verdict. `hasSource`: whether `text` holds
 * `triggerSource` from `brace` on (a caller that searched for it already passes what it found).
 */
export const searchMessage = (
  text: string,
  brace: number,
  state: LineState,
  hasSource = text.includes('triggerSource', brace),
): void => {
  const end = trimmedEnd(text);
  if (text.charCodeAt(end - 1) !== 125) {
    searchText(text, brace, state, 0);
    return;
  }
  if (
    looksLikeJsonObject(text, brace, end) &&
    readsEventByMembers(state) &&
    readJsonEvent(text, brace, end, state)
  )
    return;
  const { memo } = state.group;
  const last = memo.lastResponse;
  let known =
    last !== undefined && end - brace === last.text.length && text.slice(brace, end) === last.text
      ? last
      : undefined;
  if (!known) {
    // Events hold user data and never repeat: only what may be a bare response is looked up.
    if (hasSource) {
      searchWhole(text, brace, end, state);
      return;
    }
    const payload = text.slice(brace, end);
    known = memo.responses.get(payload);
    if (!known) {
      judgeResponseText(text, brace, end, payload, state);
      return;
    }
    memo.lastResponse = known;
  }
  emitPayload(
    {
      kind: 'trigger-payload',
      origin: originOf(state),
      shape: 'response',
      trigger: known.trigger,
      violations: known.violations,
      line: state.line,
    },
    state,
  );
};

/** Reads a payload that may be a bare response, and memoises the verdict when that is all it was. */
const judgeResponseText = (text: string, brace: number, end: number, payload: string, state: LineState) => {
  const before = state.observations.length;
  const clean = state.issue === undefined;
  searchWhole(text, brace, end, state);
  // Kept only when the whole outcome was one bare response: nothing else of the line depends on it.
  const { observations } = state;
  const { memo } = state.group;
  if (clean && state.issue === undefined && observations.length === before + 1) {
    const only = observations[before] as LogObservation;
    if (only.kind === 'trigger-payload' && only.shape === 'response' && only.trigger !== undefined) {
      const verdict = { text: payload, trigger: only.trigger, violations: shared(only.violations) };
      memo.lastResponse = verdict;
      if (memo.responses.size < MAX_MEMO_ENTRIES) memo.responses.set(payload, verdict);
    }
  }
};

/** Parses `text[brace, end)` as one object and walks it, or searches it for objects when it is not one. */
const searchWhole = (text: string, brace: number, end: number, state: LineState): void => {
  const value = parseCandidate(text, brace, end);
  if (value !== undefined && typeof value === 'object') walkValue(value, state, 0, 0);
  else searchText(text, brace, state, 0);
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
  return namePlace(into, value);
};

/** Only a broken event's place is ever named in a finding: its pool, region and client. */
const namePlace = <T extends PayloadVerdict>(into: T, value: Record<string, unknown>): T => {
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

const flagUnknownSource = (triggerSource: string, state: LineState): void => {
  flag(
    state,
    'unknown-trigger-source',
    `trigger event has triggerSource ${JSON.stringify(triggerSource.slice(0, 100))}, which is not a Cognito trigger source (expected e.g. PreSignUp_SignUp)`,
  );
};

const eventObservation = (
  trigger: TriggerName,
  triggerSource: string,
  state: LineState,
): TriggerPayloadObservation => ({
  kind: 'trigger-payload',
  origin: originOf(state),
  shape: 'event',
  trigger,
  triggerSource,
  violations: NO_VIOLATIONS,
  line: state.line,
});

const emitPayload = (observation: TriggerPayloadObservation, state: LineState): void => {
  const requestId = currentRequestId(state);
  if (requestId !== undefined) observation.requestId = requestId;
  emit(state, observation);
};

/** Responses with more members than this are judged every time (a PreSignUp response has three). */
const MAX_FLAT_MEMBERS = 16;

/**
 * Whether `response` holds exactly `keys` in order with the primitive `values` (compared with
 * `Object.is`, so `-0` is not `0`): then the check reads the same object twice.
 */
const isSameFlat = (response: object, keys: readonly string[], values: readonly unknown[]): boolean => {
  const record = response as Record<string, unknown>;
  let index = 0;
  for (const key in record) {
    if (index === keys.length || keys[index] !== key || !Object.is(values[index], record[key])) return false;
    index++;
  }
  return index === keys.length;
};

const versionOf = (value: Record<string, unknown>): string | undefined =>
  typeof value.version === 'string' ? value.version : undefined;

/**
 * The verdict of the last parsed event of this input when `value` gives the check the same inputs:
 * the same triggerSource, version and context digest, and a response with the same members
 * holding the same primitives. A function's consecutive events mostly do; a PreSignUp event's user
 * data is read only as far as its check does (`contextDigest`).
 */
const reusedVerdict = (
  last: ParsedEventVerdict,
  value: Record<string, unknown>,
  triggerSource: string,
): readonly Violation[] | undefined => {
  const { response } = value;
  if (
    triggerSource !== last.triggerSource ||
    typeof response !== 'object' ||
    response === null ||
    Object.getPrototypeOf(response) !== last.prototype ||
    versionOf(value) !== last.version ||
    !isSameFlat(response, last.keys, last.values) ||
    contextDigest(last.trigger, value) !== last.digest
  )
    return undefined;
  return last.violations;
};

/** The inputs of a verdict just reached, when a later event can be matched against them; else undefined. */
const toParsedVerdict = (
  value: Record<string, unknown>,
  trigger: TriggerName,
  triggerSource: string,
  violations: readonly Violation[],
): ParsedEventVerdict | undefined => {
  const { response } = value;
  // Arrays and elided markers are objects too: only a plain or null-prototype object is matched.
  if (typeof response !== 'object' || response === null || Array.isArray(response)) return undefined;
  const prototype = Object.getPrototypeOf(response);
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  const digest = contextDigest(trigger, value);
  if (digest === undefined) return undefined;
  const keys: string[] = [];
  const values: unknown[] = [];
  const record = response as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if ((typeof item === 'object' && item !== null) || keys.length === MAX_FLAT_MEMBERS) return undefined;
    keys.push(key);
    values.push(item);
  }
  return { triggerSource, trigger, version: versionOf(value), digest, prototype, keys, values, violations };
};

const readEvent = (value: Record<string, unknown>, triggerSource: string, state: LineState): void => {
  const { memo } = state.group;
  const last = memo.lastParsedEvent;
  if (last !== undefined) {
    const reused = reusedVerdict(last, value, triggerSource);
    if (reused !== undefined) {
      const observation = eventObservation(last.trigger, triggerSource, state);
      observation.violations = reused;
      emitPayload(namePlace(observation, value), state);
      return;
    }
  }
  const trigger = toTrigger(triggerSource);
  if (!trigger) {
    flagUnknownSource(triggerSource, state);
    return;
  }
  const observation = judgePayload(eventObservation(trigger, triggerSource, state), 'event', trigger, value);
  const verdict = toParsedVerdict(value, trigger, triggerSource, observation.violations);
  if (verdict !== undefined) {
    // Later observations share the list.
    shared(observation.violations);
    memo.lastParsedEvent = verdict;
  }
  emitPayload(observation, state);
};

/** `JSON.parse` of `text[start, end)`, or undefined when it is not JSON. */
const parseSpan = (text: string, start: number, end: number): unknown => {
  try {
    return JSON.parse(text.slice(start, end));
  } catch {
    return undefined;
  }
};

/** The string a JSON string token at `text[start, end)` holds (cut without decoding when it has no escape). */
const stringToken = (text: string, start: number, end: number): string | undefined => {
  if (text.charCodeAt(start) !== 34) return undefined;
  for (let i = start + 1; i < end - 1; i++) {
    if (text.charCodeAt(i) === 92) {
      const value = parseSpan(text, start, end);
      return typeof value === 'string' ? value : undefined;
    }
  }
  return text.slice(start + 1, end - 1);
};

const PARSE_FAILED = Symbol('parse failed');

/** The member's value parsed, undefined when absent, PARSE_FAILED when its text is not JSON. */
const memberValue = (text: string, spans: readonly number[], key: string): unknown => {
  const at = memberIndex(text, spans, key);
  if (at === -1) return undefined;
  const value = parseSpan(text, spans[at + 2] as number, spans[at + 3] as number);
  return value === undefined ? PARSE_FAILED : value;
};

/** Freezes a verdict that observations will share. */
const shared = (violations: readonly Violation[]): readonly Violation[] => {
  for (const violation of violations) Object.freeze(violation);
  return Object.freeze(violations);
};

/**
 * Whether events of this log group are read member by member. Not when the group's trigger has a
 * check that reads the request (PreSignUp, CustomMessage): the request carries user data, so such
 * verdicts are never reused, and one native parse of those small events costs less than reading
 * their members and parsing most of them anyway.
 */
const readsEventByMembers = (state: LineState): boolean => {
  const { trigger } = state.group;
  return trigger === undefined || !CHECK_READS[trigger].includes('request');
};

/**
 * Reads a trigger event logged as JSON at `text[start, end)` from its members instead of a parse
 * of the whole event: its `triggerSource`, `version` and `response`, plus the members its trigger's
 * check reads (`CHECK_READS`); a broken event also gives the pool, region and client a finding
 * names. The verdict is kept in the input's memo by the response's text and that context. False
 * (nothing read) when the text is not one JSON object with a top-level string `triggerSource` and
 * a `response`, or a member it needs is not JSON: the caller then parses the whole text.
 */
export const readJsonEvent = (text: string, start: number, end: number, state: LineState): boolean => {
  const { memo } = state.group;
  const last = memo.lastEvent;
  const spans = readObjectMembers(text, start, end, memberScratch, last);
  if (!spans) return false;
  const sourceAt = memberIndex(text, spans, 'triggerSource');
  const responseAt = memberIndex(text, spans, 'response');
  // A contract report carries a triggerSource too; it is read whole.
  if (sourceAt === -1 || responseAt === -1 || memberIndex(text, spans, 'sentinel') !== -1) return false;
  const versionAt = memberIndex(text, spans, 'version');
  if (
    last !== undefined &&
    spanIs(text, spans, responseAt, last.value) &&
    spanIs(text, spans, sourceAt, last.sourceToken) &&
    spanIs(text, spans, versionAt, last.version) &&
    (last.callerContext === undefined ||
      spanIs(text, spans, memberIndex(text, spans, 'callerContext'), last.callerContext))
  ) {
    state.budget--;
    emitEvent(text, spans, last.trigger, last.triggerSource, last.violations, state);
    return true;
  }
  const triggerSource = stringToken(text, spans[sourceAt + 2] as number, spans[sourceAt + 3] as number);
  if (triggerSource === undefined) return false;
  state.budget--;
  const trigger = toTrigger(triggerSource);
  if (!trigger) {
    flagUnknownSource(triggerSource, state);
    return true;
  }
  const reads = CHECK_READS[trigger];
  const responseText = spanText(text, spans, responseAt);
  const versionText = spanText(text, spans, versionAt);
  // A check that reads the request reads user data: such verdicts are not kept.
  const keep = !reads.includes('request');
  const callerText = reads.includes('callerContext')
    ? spanText(text, spans, memberIndex(text, spans, 'callerContext'))
    : undefined;
  const contextKey = keep ? `${triggerSource}\n${versionText}\n${callerText ?? ''}` : '';
  const known = keep ? memo.events.get(responseText) : undefined;
  let violations = known?.get(contextKey);
  if (violations === undefined) {
    const response = parseSpan(text, spans[responseAt + 2] as number, spans[responseAt + 3] as number);
    if (response === undefined) return false;
    const event: Record<string, unknown> = { triggerSource, response };
    if (versionText !== '') {
      const version = parseSpan(versionText, 0, versionText.length);
      if (version === undefined) return false;
      event.version = version;
    }
    for (const member of reads) {
      const value = memberValue(text, spans, member);
      if (value === PARSE_FAILED) return false;
      if (value !== undefined) event[member] = value;
    }
    violations = shared(violationsOf(validateTriggerEvent(event)));
    if (keep) {
      if (known) {
        if (known.size < MAX_MEMO_ENTRIES) known.set(contextKey, violations);
      } else if (memo.events.size < MAX_MEMO_ENTRIES) {
        memo.events.set(responseText, new Map([[contextKey, violations]]));
      }
    }
  }
  if (keep) {
    memo.lastEvent = {
      key: 'response',
      value: responseText,
      sourceToken: spanText(text, spans, sourceAt),
      triggerSource,
      trigger,
      version: versionText,
      callerContext: callerText,
      violations,
    };
  }
  emitEvent(text, spans, trigger, triggerSource, violations, state);
  return true;
};

/** Scratch for `readObjectMembers`: the reader is not re-entered while one event is read. */
const memberScratch: number[] = [];

/** The text of member `at`'s value, `''` when absent. */
const spanText = (text: string, spans: readonly number[], at: number): string =>
  at === -1 ? '' : text.slice(spans[at + 2] as number, spans[at + 3] as number);

/** Whether member `at`'s value is exactly `expected` (`''`: absent), compared in place. */
const spanIs = (text: string, spans: readonly number[], at: number, expected: string): boolean => {
  if (at === -1) return expected === '';
  const from = spans[at + 2] as number;
  const to = spans[at + 3] as number;
  // A cut compared with === is a flat memory compare; startsWith at an offset walks the characters.
  return to - from === expected.length && text.slice(from, to) === expected;
};

const emitEvent = (
  text: string,
  spans: readonly number[],
  trigger: TriggerName,
  triggerSource: string,
  violations: readonly Violation[],
  state: LineState,
): void => {
  const observation = eventObservation(trigger, triggerSource, state);
  observation.violations = violations;
  if (violations.length > 0) {
    // Only a broken event's place is ever named in a finding.
    const userPoolId = nonEmptyString(memberValue(text, spans, 'userPoolId'));
    if (userPoolId) observation.userPoolId = userPoolId;
    const region = nonEmptyString(memberValue(text, spans, 'region'));
    if (region) observation.region = region;
    const callerContext = memberValue(text, spans, 'callerContext');
    const clientId =
      callerContext && typeof callerContext === 'object'
        ? nonEmptyString((callerContext as Record<string, unknown>).clientId)
        : undefined;
    if (clientId) observation.clientId = clientId;
  }
  emitPayload(observation, state);
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
  emitPayload(judgePayload(observation, 'response', trigger, value), state);
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
