/**
 * Internal to logs (not in the barrel): state for reading the lines of one input: what is known about the log group (built
 * once per batch) and the per-line scratch (origin, request id, first problem, observations).
 * Reused across lines so a quiet line allocates nothing.
 */
import { RESPONSE_KEYS } from '../contracts/response-keys';
import type { TriggerName } from '../contracts/triggers';
import type { Violation } from '../contracts/violation';
import type { LogObservation, LogOrigin } from '../detectors/observations';
import { CONTRACT_REPORT_SENTINEL } from './contract-report-line';
import type { KnownMember } from './json-members';
import type { LogGroupInfo, ResolveLogGroup, UnreadableReason } from './types';

/** CloudWatch Logs' maximum event size (256 KB); longer lines are not parsed. */
export const DEFAULT_MAX_LINE_BYTES = 256 * 1024;

/** What the log group tells us; built once per input. */
export interface GroupContext {
  readonly logGroup: string;
  readonly functionName: string | undefined;
  readonly info: LogGroupInfo | undefined;
  readonly trigger: TriggerName | undefined;
  /** Cheap pre-check: a line without any of these words cannot carry a payload, report or error record. */
  readonly keywords: RegExp;
  /** `keywords` with the `g` flag, to test from an index via `lastIndex` (`hasKeywordFrom`). */
  readonly keywordsFrom: RegExp;
  readonly maxLineBytes: number;
  /** A successful invocation's report that waited less is quiet (`ParseOptions.omitReportsUnderMs`); -Infinity when unset. */
  readonly omitReportsUnderMs: number;
  /** Verdicts already reached in this input, by payload text (see `PayloadMemo`). */
  readonly memo: PayloadMemo;
  /**
   * What every origin of this input carries besides its line's own fields, when the group names
   * them all (function name, trigger, pool and region): `originOf` then builds an origin at once.
   */
  readonly known: KnownOrigin | undefined;
}

/** The origin fields a group gives every line when it names them all. */
export interface KnownOrigin {
  readonly functionName: string;
  readonly trigger: TriggerName;
  readonly userPoolId: string;
  readonly region: string;
}

const knownOriginOf = (
  functionName: string | undefined,
  info: LogGroupInfo | undefined,
): KnownOrigin | undefined =>
  functionName !== undefined &&
  info?.trigger !== undefined &&
  info.userPoolId !== undefined &&
  info.region !== undefined
    ? { functionName, trigger: info.trigger, userPoolId: info.userPoolId, region: info.region }
    : undefined;

/**
 * Verdicts reached in one input, reused for the same text. A function's responses repeat from one
 * invocation to the next (the same flags, the same claims), while its events differ in user data
 * that no check reads, so:
 * - `events`: by the JSON text of an event's `response`, then by the text of the members its
 *   trigger's check reads (`CHECK_READS`) with its triggerSource and version;
 * - `responses`: by the whole text of a bare response (JSON, `util.inspect` or Python output),
 *   with the trigger it was attributed to.
 * Bounded: past `MAX_MEMO_ENTRIES` texts a map takes no more, and payloads are judged afresh.
 */
export interface PayloadMemo {
  readonly events: Map<string, Map<string, readonly Violation[]>>;
  readonly responses: Map<string, ResponseVerdict>;
  /** The last event verdict, compared in place (no cut, no hash) before any lookup: a function's consecutive events mostly share it. */
  lastEvent: EventVerdict | undefined;
  /** The last bare response judged, compared in place the same way. */
  lastResponse: ResponseVerdict | undefined;
  /** The last parsed event judged, compared on its values (see `ParsedEventVerdict`). */
  lastParsedEvent: ParsedEventVerdict | undefined;
}

/**
 * A verdict on a parsed event with what it was reached from: a flat response's keys and values in
 * order, and the triggerSource, version and context digest (`contextDigest`) of its event.
 */
export interface ParsedEventVerdict {
  readonly triggerSource: string;
  readonly trigger: TriggerName;
  readonly version: string | undefined;
  readonly digest: number;
  readonly prototype: object | null;
  readonly keys: readonly string[];
  readonly values: readonly unknown[];
  readonly violations: readonly Violation[];
}

/** A memoised verdict on a bare response, with its text. */
export interface ResponseVerdict {
  readonly text: string;
  readonly trigger: TriggerName;
  readonly violations: readonly Violation[];
}

/**
 * A memoised event verdict with the texts it was reached for (`''` for an absent member). As a
 * `KnownMember` it names the response, so the next event's member reader takes an identical
 * response as is.
 */
export interface EventVerdict extends KnownMember {
  /** The JSON token of `triggerSource`, quotes included. */
  readonly sourceToken: string;
  readonly triggerSource: string;
  readonly trigger: TriggerName;
  readonly version: string;
  /** `callerContext`'s text when the trigger's check reads it, else undefined (not compared). */
  readonly callerContext: string | undefined;
  readonly violations: readonly Violation[];
}

/** Distinct texts each memo map keeps per input. */
export const MAX_MEMO_ENTRIES = 256;

/** Per-line scratch, reset by `beginLine`. */
export interface LineState {
  readonly group: GroupContext;
  /** Set by the public single-line API: used as given, enriched with what the group knows. */
  fixedOrigin: LogOrigin | undefined;
  logStream: string | undefined;
  eventId: string | undefined;
  /** CloudWatch event time, epoch ms. */
  timestampMs: number | undefined;
  /** The line's own timestamp (text prefix or JSON `time`/`timestamp`), used when the event has none. */
  lineTimestamp: string | undefined;
  /** The last line timestamp seen in this input, for platform lines that carry none. */
  lastTimestamp: string;
  requestId: string | undefined;
  origin: LogOrigin | undefined;
  /**
   * Where observations go: a batch reader's own list, so a line's observations are not gathered
   * in an array of their own first. The current line's start at `lineObservations`.
   */
  readonly observations: LogObservation[];
  /** Index in `observations` of the current line's first observation. */
  lineObservations: number;
  issue: { reason: UnreadableReason; message: string } | undefined;
  /** The raw line, kept as evidence on observations. */
  line: string;
  /** Objects and values the payload search may still visit on this line. */
  budget: number;
  /** Unparseable candidates whose inner objects may still be tried on this line. */
  fallbacks: number;
  /**
   * The last `START RequestId:` line and its stream, carried across lines: Python's runtime writes
   * a failed invocation's `[ERROR] Type: message` without a request id. The id (from
   * START_ID_FROM to its first space or tab) is found and cut only when a line needs it: most
   * invocations never do.
   */
  startedLine: string | undefined;
  startedStream: string | undefined;
  /** The id cut from `startedLine`, once it was needed. */
  startedId: string | undefined;
  /** Set after a Python traceback header that ended its log event: the frames and the exception line follow in later events of this stream. */
  openTraceback: { logStream: string | undefined; requestId: string | undefined } | undefined;
}

/** Where the request id of a `START RequestId: <id>` line starts. */
export const START_ID_FROM = 17;

/** Notes a `START RequestId:` line; `undefined` forgets the last one (END). */
export const noteStarted = (state: LineState, line: string | undefined): void => {
  state.startedLine = line;
  state.startedStream = state.logStream;
  state.startedId = undefined;
};

/**
 * Where the word at `from` ends: its first space or tab, else the line's end. Native searches
 * bounded by the first space, not a loop over the id's 36 characters.
 */
const idEndAt = (line: string, from: number): number => {
  const space = line.indexOf(' ', from);
  if (space === -1) {
    const tab = line.indexOf('\t', from);
    return tab === -1 ? line.length : tab;
  }
  // A tab before the space ends the word first; searched back from the space so the search stays within the word.
  return line.lastIndexOf('\t', space) >= from ? line.indexOf('\t', from) : space;
};

/** Values the payload search may visit per line, so a pathological line stays cheap. */
export const WALK_BUDGET = 20_000;
/** Unparseable `{...}` candidates per line whose inner objects are tried instead. */
export const MAX_FALLBACKS = 8;

const keywordCache = new Map<string, RegExp>();

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Words whose absence proves a line has no trigger payload, contract report or error record for `trigger`. */
export const keywordsFor = (trigger: TriggerName | undefined): RegExp => {
  const cacheKey = trigger ?? '*';
  let regex = keywordCache.get(cacheKey);
  if (!regex) {
    const responseKeys = trigger ? RESPONSE_KEYS[trigger] : Object.values(RESPONSE_KEYS).flat();
    const words = new Set([
      'triggerSource',
      CONTRACT_REPORT_SENTINEL,
      'errorType',
      // Powertools for AWS Lambda (Python) names a logged exception's class here.
      'exception_name',
      ...responseKeys,
    ]);
    regex = new RegExp([...words].map(escapeRegExp).join('|'));
    keywordCache.set(cacheKey, regex);
  }
  return regex;
};

const keywordsFromCache = new Map<string, RegExp>();

const keywordsFromFor = (trigger: TriggerName | undefined): RegExp => {
  const cacheKey = trigger ?? '*';
  let regex = keywordsFromCache.get(cacheKey);
  if (!regex) {
    regex = new RegExp(keywordsFor(trigger).source, 'g');
    keywordsFromCache.set(cacheKey, regex);
  }
  return regex;
};

/**
 * Whether `text[from..]` holds one of the group's keywords, without cutting it out: a message's
 * payload starts at its first `{`, so the runtime's prefix (time, request id, level) before it is
 * not searched again.
 */
export const hasKeywordFrom = (group: GroupContext, text: string, from: number): boolean => {
  const regex = group.keywordsFrom;
  regex.lastIndex = from;
  const found = regex.test(text);
  regex.lastIndex = 0;
  return found;
};

/** `<name>` of a `/aws/lambda/<name>` log group. */
export const functionNameOf = (logGroup: string): string | undefined =>
  logGroup.startsWith('/aws/lambda/') && logGroup.length > 12 ? logGroup.slice(12) : undefined;

/** What one input's lines share: the group's function name, what `resolveLogGroup` knows, the keyword pre-check. */
export const createGroupContext = (
  logGroup: string,
  resolveLogGroup: ResolveLogGroup | undefined,
  maxLineBytes: number | undefined,
  known?: LogGroupInfo,
  omitReportsUnderMs?: number,
): GroupContext => {
  const info = known ?? resolveLogGroup?.(logGroup);
  const functionName = functionNameOf(logGroup);
  return {
    logGroup,
    functionName,
    info,
    trigger: info?.trigger,
    keywords: keywordsFor(info?.trigger),
    keywordsFrom: keywordsFromFor(info?.trigger),
    maxLineBytes: maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    omitReportsUnderMs: omitReportsUnderMs ?? Number.NEGATIVE_INFINITY,
    memo: {
      events: new Map(),
      responses: new Map(),
      lastEvent: undefined,
      lastResponse: undefined,
      lastParsedEvent: undefined,
    },
    known: knownOriginOf(functionName, info),
  };
};

/**
 * Scratch state for reading the lines of one group, one after another; their observations are
 * appended to `observations`.
 */
export const createLineState = (group: GroupContext, observations: LogObservation[] = []): LineState => ({
  group,
  fixedOrigin: undefined,
  logStream: undefined,
  eventId: undefined,
  timestampMs: undefined,
  lineTimestamp: undefined,
  lastTimestamp: '',
  requestId: undefined,
  origin: undefined,
  observations,
  lineObservations: observations.length,
  issue: undefined,
  line: '',
  budget: WALK_BUDGET,
  fallbacks: MAX_FALLBACKS,
  startedLine: undefined,
  startedStream: undefined,
  startedId: undefined,
  openTraceback: undefined,
});

/** Resets the per-line scratch for `line` (the carried-forward timestamp, started request and open traceback survive). */
export const beginLine = (
  state: LineState,
  line: string,
  logStream: string | undefined,
  eventId: string | undefined,
  timestampMs: number | undefined,
): void => {
  state.logStream = logStream;
  state.eventId = eventId;
  state.timestampMs = timestampMs;
  state.lineTimestamp = undefined;
  state.requestId = undefined;
  state.origin = undefined;
  state.lineObservations = state.observations.length;
  state.issue = undefined;
  state.line = line;
  state.budget = WALK_BUDGET;
  state.fallbacks = MAX_FALLBACKS;
};

/** Records the line's own timestamp; it also stands in for later lines that have none. */
export const noteLineTimestamp = (state: LineState, timestamp: string): void => {
  state.lineTimestamp = timestamp;
  state.lastTimestamp = timestamp;
};

const HOUR_MS = 3_600_000;
const MAX_FAST_MS = 253_402_300_800_000; // 10000-01-01: toISOString changes shape past it
let cachedHour = Number.NaN;
/** Character codes of `2024-05-01T12:` for `cachedHour`. */
const hourCodes: number[] = new Array<number>(14).fill(48);

/**
 * Epoch ms to ISO-8601 (`2024-05-01T12:00:00.000Z`); `''` when out of range. The date and hour
 * come from a one-hour cache, the rest by arithmetic: `Date#toISOString` per event cost as much as
 * the whole gunzip + JSON.parse of a batch. The characters are built at once into one flat string:
 * concatenation makes a rope (prefix + digits + `Z`) that every reader of the time (the detectors
 * compare them) first copies flat, at three times the cost.
 */
export const toIsoTimestamp = (ms: number): string => {
  // An invocation's END and REPORT lines, and often more, share their millisecond.
  if (ms === lastIsoMs) return lastIso;
  const iso = isoOf(ms);
  lastIsoMs = ms;
  lastIso = iso;
  return iso;
};

let lastIsoMs = Number.NaN;
let lastIso = '';

const isoOf = (ms: number): string => {
  if (!(ms >= 0 && ms < MAX_FAST_MS)) {
    const date = new Date(ms);
    return Number.isNaN(date.getTime()) ? '' : date.toISOString();
  }
  const whole = Math.floor(ms);
  const hour = Math.floor(whole / HOUR_MS);
  if (hour !== cachedHour) {
    const prefix = new Date(hour * HOUR_MS).toISOString();
    for (let i = 0; i < 14; i++) hourCodes[i] = prefix.charCodeAt(i);
    cachedHour = hour;
  }
  let rest = whole - hour * HOUR_MS;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  const hundreds = Math.floor(millis / 100);
  const tens = Math.floor(millis / 10) - hundreds * 10;
  const c = hourCodes;
  return String.fromCharCode(
    c[0] as number,
    c[1] as number,
    c[2] as number,
    c[3] as number,
    c[4] as number,
    c[5] as number,
    c[6] as number,
    c[7] as number,
    c[8] as number,
    c[9] as number,
    c[10] as number,
    c[11] as number,
    c[12] as number,
    c[13] as number,
    48 + Math.floor(minutes / 10),
    48 + (minutes % 10),
    58, // :
    48 + Math.floor(seconds / 10),
    48 + (seconds % 10),
    46, // .
    48 + hundreds,
    48 + tens,
    48 + (millis - hundreds * 100 - tens * 10),
    90, // Z
  );
};

/** The origin of the current line, built on first use (quiet lines never pay for it). */
export const originOf = (state: LineState): LogOrigin => {
  if (state.origin) return state.origin;
  const { group } = state;
  const { known } = group;
  if (
    known !== undefined &&
    state.fixedOrigin === undefined &&
    state.logStream !== undefined &&
    state.eventId !== undefined
  ) {
    // A subscription batch's lines: every field present. The object `originOf` builds below, in the
    // same order, made at once instead of grown a field at a time past checks that cannot fail.
    const origin: LogOrigin = {
      logGroup: group.logGroup,
      timestamp:
        state.timestampMs !== undefined
          ? toIsoTimestamp(state.timestampMs)
          : (state.lineTimestamp ?? state.lastTimestamp),
      logStream: state.logStream,
      eventId: state.eventId,
      functionName: known.functionName,
      trigger: known.trigger,
      userPoolId: known.userPoolId,
      region: known.region,
    };
    state.origin = origin;
    return origin;
  }
  let origin: LogOrigin;
  if (state.fixedOrigin) {
    origin = { ...state.fixedOrigin };
    if (origin.timestamp === '' && state.lineTimestamp !== undefined) origin.timestamp = state.lineTimestamp;
  } else {
    const timestamp =
      state.timestampMs !== undefined
        ? toIsoTimestamp(state.timestampMs)
        : (state.lineTimestamp ?? state.lastTimestamp);
    origin = { logGroup: group.logGroup, timestamp };
    if (state.logStream !== undefined) origin.logStream = state.logStream;
    if (state.eventId !== undefined) origin.eventId = state.eventId;
  }
  if (origin.functionName === undefined && group.functionName !== undefined)
    origin.functionName = group.functionName;
  const { info } = group;
  if (info) {
    if (origin.trigger === undefined && info.trigger !== undefined) origin.trigger = info.trigger;
    if (origin.userPoolId === undefined && info.userPoolId !== undefined) origin.userPoolId = info.userPoolId;
    if (origin.region === undefined && info.region !== undefined) origin.region = info.region;
  }
  state.origin = origin;
  return origin;
};

/**
 * The request id of the line, else the one of the stream's last `START` line: what `print()`
 * writes and Python's runtime error records carry none, but sit between START and END.
 */
export const currentRequestId = (state: LineState): string | undefined => {
  if (state.requestId !== undefined) return state.requestId;
  const line = state.startedLine;
  if (line === undefined || state.startedStream !== state.logStream) return undefined;
  if (state.startedId === undefined) {
    const end = idEndAt(line, START_ID_FROM);
    // A START line without an id names no request (and forgot the one before it).
    if (end <= START_ID_FROM) return undefined;
    state.startedId = line.slice(START_ID_FROM, end);
  }
  return state.startedId;
};

/** Adds an observation to the current line. */
export const emit = (state: LineState, observation: LogObservation): void => {
  state.observations.push(observation);
};

/** Whether the current line has yielded an observation. */
export const hasObservations = (state: LineState): boolean =>
  state.observations.length > state.lineObservations;

/** Drops the current line's observations (a line that could not be read yields none). */
export const dropObservations = (state: LineState): void => {
  state.observations.length = state.lineObservations;
};

/** Notes a problem with the line; only the first is kept, and observations from the same line win over it. */
export const flag = (state: LineState, reason: UnreadableReason, message: string): void => {
  if (!state.issue) state.issue = { reason, message };
};
