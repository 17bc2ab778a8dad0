/**
 * Reads one log line of a trigger function into observations. Recognises:
 * - the text runtime format `<ISO ts>\t<requestId|undefined>\t<LEVEL>\t<message>`, including
 *   `Invoke Error`, `Uncaught Exception` and `Unhandled Promise Rejection` lines;
 * - platform lines: `START`/`END`/`INIT_START` (quiet), `REPORT`, `INIT_REPORT`,
 *   `Task timed out after N seconds`, `RequestId: ... Error: Runtime exited with error: ...`;
 * - Lambda's JSON log format: `platform.*` records and application records
 *   `{timestamp, level, requestId, message}` (an ERROR record with errorType/errorMessage is a
 *   function error);
 * - trigger events, bare responses and trigger-contract reports anywhere in a line: JSON,
 *   Powertools Logger JSON (nested under any key), and `util.inspect` output.
 *
 * Cheap prefix checks route each line; objects are only extracted and parsed when the line has a
 * `{` and one of the words a payload must contain. Pure; never throws.
 *
 * Choices:
 * - `platform.runtimeDone` is quiet whatever its status: the `platform.report` Lambda writes for
 *   the same invocation carries the same status and errorType, and reading both would count one
 *   failure twice.
 * - A line that starts with `{`, ends with `}` and holds none of the keywords is quiet without
 *   being parsed (parsing every JSON log record would cost as much as decoding the batch); a
 *   truncated `{...` line, or one with keywords that is neither JSON nor inspect output, is
 *   `malformed-json-line`.
 * - A line can be signal or unreadable, not both: when it yields observations, a problem beside
 *   them (an unknown triggerSource, an unattributable response) is dropped.
 */
import type { FunctionErrorLabel, LogObservation, LogOrigin } from '../detectors/observations';
import { asRecord } from '../runtime/text';
import { parseCandidate, parseLiteral, searchMessage, searchText, walkValue } from './find-payloads';
import {
  beginLine,
  createGroupContext,
  createLineState,
  DEFAULT_MAX_LINE_BYTES,
  dropObservations,
  emit,
  flag,
  functionNameOf,
  hasKeywordFrom,
  hasObservations,
  type LineState,
  noteLineTimestamp,
  noteStarted,
  originOf,
} from './line-state';
import {
  readInitReportLine,
  readPlatformRecord,
  readReportLine,
  readReportRecordLine,
  readRequestIdLine,
  readTimeout,
} from './platform-lines';
import {
  continueTraceback,
  noteStart,
  readBracketLine,
  readTraceback,
  readTracebackLine,
  TRACEBACK_HEADER,
} from './python-lines';
import type { LogGroupInfo, ResolveLogGroup, UnreadableReason } from './types';

export { DEFAULT_MAX_LINE_BYTES, functionNameOf };

/** Options shared by every entry point of the log boundary. */
export interface ParseOptions {
  /** What the deployment knows about a log group: its trigger, pool and region. Called once per input. */
  resolveLogGroup?: ResolveLogGroup;
  /** Lines longer than this many UTF-8 bytes are unreadable (`line-too-long`) and not parsed. Default 256 KiB. */
  maxLineBytes?: number;
  /**
   * The report of a successful invocation (no status, or `success`) that made Cognito wait less
   * than this many ms (duration plus init duration) is read as a quiet line, not built into an
   * observation: no detector reads it (`reportsReadFromMs` in detectors/log-evidence.ts gives the
   * value for a detector config). Unset: every report is an observation.
   */
  omitReportsUnderMs?: number;
}

/** What one line yields: observations, nothing (readable but quiet), or a problem that names what is wrong. */
export type LineResult =
  | { status: 'signal'; observations: LogObservation[] }
  | { status: 'quiet' }
  | { status: 'unreadable'; reason: UnreadableReason; message: string };

const QUIET: LineResult = Object.freeze({ status: 'quiet' });

const ERROR_LABELS = [
  ['Invoke Error', 'invoke-error'],
  ['Uncaught Exception', 'uncaught-exception'],
  ['Unhandled Promise Rejection', 'unhandled-rejection'],
] as const;

type ErrorLabelEntry = (typeof ERROR_LABELS)[number];

const nonEmpty = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** `2024-05-01T12:00:00.000Z`-like start: digits with `-` at 4 and 7 and `T` at 10. */
const isIsoStart = (line: string): boolean =>
  line.charCodeAt(4) === 45 && line.charCodeAt(7) === 45 && line.charCodeAt(10) === 84;

const endsWithBrace = (line: string): boolean => {
  let i = line.length - 1;
  while (i >= 0) {
    const code = line.charCodeAt(i);
    if (code !== 32 && code !== 10 && code !== 13 && code !== 9) return code === 125;
    i--;
  }
  return false;
};

/** Free text (a message, an unprefixed line): payloads only when it has a `{` and a keyword. */
const readFreeText = (line: string, from: number, state: LineState): void => {
  const brace = line.indexOf('{', from);
  // Keywords outside every object cannot make a payload: the search starts at the first `{`.
  if (brace === -1) return;
  // `triggerSource` is one of the keywords and the one an event carries: one native search for it
  // costs less than the keyword RegExp, and tells the message search whether an event may be there.
  const hasSource = line.indexOf('triggerSource', brace) !== -1;
  if (!hasSource && !hasKeywordFrom(state.group, line, brace)) return;
  searchMessage(line, brace, state, hasSource);
};

const errorLabelAt = (line: string, at: number): ErrorLabelEntry | undefined => {
  // Most messages start with neither `I` nor `U`: one character code instead of three prefix compares.
  const first = line.charCodeAt(at);
  if (first !== 73 && first !== 85) return undefined;
  for (const entry of ERROR_LABELS) if (line.startsWith(entry[0], at)) return entry;
  return undefined;
};

/** `Invoke Error \t{"errorType":"Error","errorMessage":"...","stack":[...]}` and the init-crash variants. */
const readErrorLine = (line: string, at: number, [text, label]: ErrorLabelEntry, state: LineState): void => {
  const brace = line.indexOf('{', at);
  const details = brace === -1 ? undefined : asRecord(parseCandidate(line, brace, line.trimEnd().length));
  const errorType = nonEmpty(details?.errorType);
  const errorMessage =
    typeof details?.errorMessage === 'string'
      ? details.errorMessage
      : brace === -1
        ? nonEmpty(line.slice(at + text.length).trim())
        : undefined;
  emit(state, {
    kind: 'function-error',
    origin: originOf(state),
    ...(state.requestId !== undefined ? { requestId: state.requestId } : {}),
    label,
    ...(errorType !== undefined ? { errorType } : {}),
    ...(errorMessage !== undefined ? { errorMessage } : {}),
    line,
  });
};

/** 4 or 5 upper-case letters between tabs: TRACE, DEBUG, INFO, WARN, ERROR, FATAL. */
const isLevel = (line: string, start: number, end: number): boolean => {
  const length = end - start;
  if (length !== 4 && length !== 5) return false;
  for (let i = start; i < end; i++) {
    const code = line.charCodeAt(i);
    if (code < 65 || code > 90) return false;
  }
  return true;
};

/** A 36-character UUID (`8-4-4-4-12`) at `line[start, end)`. */
const isUuidAt = (line: string, start: number, end: number): boolean =>
  end - start === 36 &&
  line.charCodeAt(start + 8) === 45 &&
  line.charCodeAt(start + 13) === 45 &&
  line.charCodeAt(start + 18) === 45 &&
  line.charCodeAt(start + 23) === 45;

/** `<ISO ts>\t<requestId>\t<LEVEL>\t<message>`; also the older space-separated `<ts> <id> Task timed out ...`. */
const readTextLine = (line: string, state: LineState): void => {
  let tsEnd = 10;
  while (tsEnd < line.length) {
    const code = line.charCodeAt(tsEnd);
    if (code === 9 || code === 32) break;
    tsEnd++;
  }
  if (tsEnd >= line.length) {
    readFreeText(line, 0, state);
    return;
  }
  if (state.timestampMs === undefined) noteLineTimestamp(state, line.slice(0, tsEnd));
  const separator = line[tsEnd] as string;
  let start = tsEnd + 1;
  if (separator === ' ') while (line.charCodeAt(start) === 32) start++;
  let messageStart = start;
  const idEnd = line.indexOf(separator, start);
  // Space-separated is only the platform's older timeout line, whose second field is a UUID; other
  // loggers' `<ts> INFO message` lines must not lend a word as request id.
  if (idEnd !== -1 && (separator === '\t' || isUuidAt(line, start, idEnd))) {
    const requestId = line.slice(start, idEnd);
    if (requestId !== 'undefined' && requestId !== '') state.requestId = requestId;
    messageStart = idEnd + 1;
    if (separator === '\t') {
      const levelEnd = line.indexOf('\t', messageStart);
      if (levelEnd !== -1 && isLevel(line, messageStart, levelEnd)) messageStart = levelEnd + 1;
    } else {
      while (line.charCodeAt(messageStart) === 32) messageStart++;
    }
  }
  if (readTimeout(line, messageStart, state)) return;
  const entry = errorLabelAt(line, messageStart);
  if (entry) {
    readErrorLine(line, messageStart, entry, state);
    return;
  }
  readFreeText(line, messageStart, state);
};

const errorRecordLabel = (message: unknown): FunctionErrorLabel => {
  if (typeof message === 'string') {
    const entry = errorLabelAt(message, 0);
    if (entry) return entry[1];
  }
  return 'error-record';
};

const hasErrorFields = (value: Record<string, unknown> | undefined): value is Record<string, unknown> =>
  value !== undefined && typeof value.errorType === 'string' && typeof value.errorMessage === 'string';

/** A parsed JSON (or inspect) line: a platform record, an application record, or any object to search. */
const readRecord = (value: Record<string, unknown>, state: LineState): void => {
  const { type } = value;
  if (typeof type === 'string' && type.startsWith('platform.')) {
    readPlatformRecord(type, value, state.line, state);
    return;
  }
  if (state.timestampMs === undefined) {
    const time = nonEmpty(value.timestamp) ?? nonEmpty(value.time);
    if (time) noteLineTimestamp(state, time);
  }
  const requestId =
    nonEmpty(value.requestId) ??
    nonEmpty(value.function_request_id) ??
    nonEmpty(value.awsRequestId) ??
    nonEmpty(value.aws_request_id);
  if (requestId !== undefined && requestId !== 'undefined') state.requestId = requestId;
  if (value.log_level === 'ERROR' && hasErrorFields(value)) {
    // The Python runtime's report of a failed invocation or init (`log_level`, not `level`, and
    // an empty requestId during init): a failure like Node's Invoke Error, not a logged record.
    emit(state, {
      kind: 'function-error',
      origin: originOf(state),
      ...(state.requestId !== undefined ? { requestId: state.requestId } : {}),
      label: 'invoke-error',
      errorType: value.errorType as string,
      errorMessage: value.errorMessage as string,
      line: state.line,
    });
    return;
  }
  const { level } = value;
  if (
    typeof level === 'string' &&
    (level === 'ERROR' || level === 'FATAL' || /^(error|fatal)$/i.test(level))
  ) {
    const exceptionName = nonEmpty(value.exception_name);
    if (exceptionName !== undefined && !hasErrorFields(value)) {
      // Powertools for AWS Lambda (Python) `logger.exception(...)`: a caught, logged exception.
      const record: Record<string, unknown> = value;
      const exception = typeof record.exception === 'string' ? record.exception : '';
      const header = exception.indexOf(TRACEBACK_HEADER);
      const fromTrace = header === -1 ? undefined : readTraceback(exception, header);
      emit(state, {
        kind: 'function-error',
        origin: originOf(state),
        ...(state.requestId !== undefined ? { requestId: state.requestId } : {}),
        label: 'error-record',
        errorType: exceptionName,
        ...(fromTrace?.errorMessage !== undefined
          ? { errorMessage: fromTrace.errorMessage }
          : typeof record.message === 'string'
            ? { errorMessage: record.message }
            : {}),
        line: state.line,
      });
    }
    const message = asRecord(value.message);
    const details = hasErrorFields(message) ? message : hasErrorFields(value) ? value : undefined;
    if (details) {
      emit(state, {
        kind: 'function-error',
        origin: originOf(state),
        ...(state.requestId !== undefined ? { requestId: state.requestId } : {}),
        label: errorRecordLabel(value.message),
        errorType: details.errorType as string,
        errorMessage: details.errorMessage as string,
        line: state.line,
      });
    }
  }
  walkValue(value, state, 0, 0);
};

/**
 * Where the first `"type":"platform.` of `line` starts, or -1. Found through its tail `platform.`:
 * a pattern that starts with `"`, as common in JSON as any character, made V8's native search
 * about four times as slow per line. The first `"type":"platform.` starts at most 8 characters
 * before the first `platform.`, so both searches together find the same place.
 * @internal Exported for the test that holds it to the plain search.
 */
export const platformTypeAt = (line: string): number => {
  const tail = line.indexOf('platform.');
  return tail === -1 ? -1 : line.indexOf('"type":"platform.', tail < 8 ? 0 : tail - 8);
};

/** A line that starts with `{`: JSON (platform or application record, a logger's JSON) or inspect output. */
const readObjectLine = (line: string, state: LineState): void => {
  const typeAt = platformTypeAt(line);
  if (typeAt !== -1) {
    // The letter after `platform.` rules out the three types read here for most records
    // (`platform.start`, `platform.end`, ...): no type is cut out of those.
    const letter = line.charCodeAt(typeAt + 17);
    if (letter !== 114 && letter !== 105 && letter !== 102) {
      // Not r(eport), i(nitReport) or f(ault).
      if (endsWithBrace(line)) return;
    } else {
      const typeEnd = line.indexOf('"', typeAt + 8);
      const type = line.slice(typeAt + 8, typeEnd);
      if (type === 'platform.report') {
        if (readReportRecordLine(line, state)) return;
      } else if (type !== 'platform.initReport' && type !== 'platform.fault' && endsWithBrace(line)) {
        return;
      }
    }
  } else if (endsWithBrace(line) && !state.group.keywords.test(line)) {
    // Nothing a detector reads can be in it; a line that ends like an object is not parsed just to be counted.
    return;
  }
  let value: unknown;
  let jsonProblem = '';
  try {
    value = JSON.parse(line);
  } catch (error) {
    jsonProblem = error instanceof Error ? error.message : String(error);
    value = parseLiteral(line);
  }
  const record = asRecord(value);
  if (record) {
    readRecord(record, state);
    return;
  }
  // Neither JSON nor inspect output as a whole (often a truncated line): objects inside it still count.
  searchText(line, 1, state, 0);
  if (!hasObservations(state)) {
    flag(
      state,
      'malformed-json-line',
      `line starts with "{" but is neither JSON nor util.inspect output (${jsonProblem})`,
    );
  }
};

/**
 * True when `line` starts with `prefix`. The prefix's last character is compared first, then
 * `indexOf` confirms: V8's `startsWith` compares a match a character at a time, several times the
 * cost of `indexOf`'s native search, and a line that passes the first check but not the search is
 * searched once.
 */
const hasPrefix = (line: string, prefix: string): boolean =>
  line.charCodeAt(prefix.length - 1) === prefix.charCodeAt(prefix.length - 1) && line.indexOf(prefix) === 0;

const route = (line: string, state: LineState): void => {
  if (state.openTraceback !== undefined && continueTraceback(line, state)) return;
  switch (line.charCodeAt(0)) {
    case 83: // S
      if (hasPrefix(line, 'START RequestId:')) {
        noteStart(line, state);
        return;
      }
      break;
    case 69: // E
      if (hasPrefix(line, 'END RequestId:')) {
        noteStarted(state, undefined);
        return;
      }
      break;
    case 91: {
      // [
      const from = readBracketLine(line, state);
      if (from !== -1) readFreeText(line, from, state);
      return;
    }
    case 82: // R
      if (hasPrefix(line, 'REPORT RequestId:')) {
        readReportLine(line, state);
        return;
      }
      if (line.startsWith('RequestId: ')) {
        readRequestIdLine(line, state);
        return;
      }
      break;
    case 73: // I
      if (line.startsWith('INIT_REPORT ')) {
        readInitReportLine(line, state);
        return;
      }
      if (line.startsWith('INIT_START')) return;
      break;
    case 84: // T
      if (readTimeout(line, 0, state)) return;
      if (line.startsWith(TRACEBACK_HEADER)) {
        readTracebackLine(line, state);
        return;
      }
      break;
    case 123: // {
      readObjectLine(line, state);
      return;
    default:
      if (isIsoStart(line)) {
        readTextLine(line, state);
        return;
      }
  }
  readFreeText(line, 0, state);
};

/**
 * Reads the line set by `beginLine` into `state.observations` (appended) / `state.issue`. Internal: the batch
 * readers share one state across lines and read the outcome from it without a result object.
 * @internal
 */
export const readLineInto = (state: LineState): void => {
  const { line } = state;
  const max = state.group.maxLineBytes;
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so short lines skip the byte count.
  if (line.length * 3 > max) {
    const bytes = Buffer.byteLength(line, 'utf8');
    if (bytes > max) {
      state.issue = {
        reason: 'line-too-long',
        message: `line is ${bytes} bytes, over the ${max}-byte limit; not parsed`,
      };
      return;
    }
  }
  try {
    route(line, state);
  } catch (error) {
    // Defensive: the readers are written not to throw; a bug must not drop the rest of the batch.
    dropObservations(state);
    flag(
      state,
      'invalid-shape',
      `line could not be read (${error instanceof Error ? error.message : String(error)})`,
    );
  }
};

/** The outcome of `readLineInto` as a `LineResult`. @internal */
export const readLine = (state: LineState): LineResult => {
  readLineInto(state);
  if (hasObservations(state)) {
    const { observations, lineObservations } = state;
    return {
      status: 'signal',
      observations: lineObservations === 0 ? observations : observations.slice(lineObservations),
    };
  }
  if (state.issue) return { status: 'unreadable', reason: state.issue.reason, message: state.issue.message };
  return QUIET;
};

/**
 * Reads one log line. `origin` is used as given and completed from the log group: `functionName`
 * from `/aws/lambda/<name>`, and `trigger`, `userPoolId`, `region` from `options.resolveLogGroup`
 * when `origin` has no trigger. An empty `origin.timestamp` is filled from the line's own
 * timestamp when it has one. Never throws.
 */
export const parseLogLine = (line: string, origin: LogOrigin, options: ParseOptions = {}): LineResult => {
  const known: LogGroupInfo | undefined =
    origin.trigger !== undefined
      ? {
          trigger: origin.trigger,
          ...(origin.userPoolId !== undefined ? { userPoolId: origin.userPoolId } : {}),
          ...(origin.region !== undefined ? { region: origin.region } : {}),
        }
      : undefined;
  const state = createLineState(
    createGroupContext(
      origin.logGroup,
      options.resolveLogGroup,
      options.maxLineBytes,
      known,
      options.omitReportsUnderMs,
    ),
  );
  state.fixedOrigin = origin;
  beginLine(
    state,
    typeof line === 'string' ? line : String(line),
    origin.logStream,
    origin.eventId,
    undefined,
  );
  return readLine(state);
};

/**
 * Builds the origin of a line in `logGroup`: `functionName` from `/aws/lambda/<name>`, and what
 * `options.resolveLogGroup` knows. `timestamp` may be epoch ms or ISO text; it defaults to `''` (unknown).
 */
export const toLogOrigin = (
  logGroup: string,
  fields: { logStream?: string; eventId?: string; timestamp?: number | string } = {},
  options: ParseOptions = {},
): LogOrigin => {
  const state = createLineState(createGroupContext(logGroup, options.resolveLogGroup, options.maxLineBytes));
  const { timestamp } = fields;
  beginLine(
    state,
    '',
    fields.logStream,
    fields.eventId,
    typeof timestamp === 'number' ? timestamp : undefined,
  );
  if (typeof timestamp === 'string') state.lineTimestamp = timestamp;
  return originOf(state);
};
