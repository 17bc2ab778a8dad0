/**
 * Internal to logs (not in the barrel): the lines Python's Lambda runtime (awslambdaric) and
 * Python's own `logging` and `traceback` modules write, in the text log format:
 * - `[INFO]\t2024-05-01T12:00:00.123Z\t<request id>\t<message>`: the runtime's `logging` format
 *   (the request id is empty during init); the message may end with a traceback
 *   (`logger.exception`);
 * - `[ERROR] KeyError: 'email'` followed by `Traceback (most recent call last):` and the frames,
 *   joined by `\n` (one log event) or `\r` (the runtime's stdout sink): the runtime reporting a
 *   failed invocation or a failed init (`Runtime.ImportModuleError`, `Runtime.HandlerNotFound`);
 *   it carries no request id, so the one of the stream's last `START` line is used;
 * - a bare `Traceback (most recent call last):` (`traceback.print_exc()`, or a `logging` message
 *   cut into one log event per line), whose exception line (`KeyError: 'email'`) may arrive in a
 *   later log event of the same stream.
 *
 * Every reader here scans forward once; none throws.
 */
import { currentRequestId, emit, type LineState, noteStarted, originOf } from './line-state';

export const TRACEBACK_HEADER = 'Traceback (most recent call last):';

/** Characters a traceback indents its frames with: space, tab, and the runtime's NO-BREAK SPACE. */
const isIndent = (code: number): boolean => code === 32 || code === 9 || code === 0xa0;
const isLineBreak = (code: number): boolean => code === 10 || code === 13;

const isNameStart = (code: number): boolean =>
  (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
const isNamePart = (code: number): boolean => isNameStart(code) || (code >= 48 && code <= 57);

/** End of a dotted Python name at `from` (`KeyError`, `requests.exceptions.HTTPError`), or `from`. */
const dottedNameEnd = (text: string, from: number, to: number): number => {
  if (from >= to || !isNameStart(text.charCodeAt(from))) return from;
  let at = from + 1;
  while (at < to) {
    const code = text.charCodeAt(at);
    if (isNamePart(code)) at++;
    else if (code === 46 && at + 1 < to && isNameStart(text.charCodeAt(at + 1))) at += 2;
    else break;
  }
  return at;
};

/** End of the text line at `from`: the next `\n` or `\r`, or `to`. */
const lineEnd = (text: string, from: number, to: number): number => {
  let at = from;
  while (at < to && !isLineBreak(text.charCodeAt(at))) at++;
  return at;
};

export interface PythonError {
  errorType?: string;
  errorMessage?: string;
}

/**
 * `Type: message`, `Type` or (without a type) `message` at `text[from, to)`: the exception line
 * of a traceback and the first line of the runtime's `[ERROR]` record.
 */
export const readExceptionLine = (text: string, from: number, to: number): PythonError => {
  const nameEnd = dottedNameEnd(text, from, to);
  if (nameEnd > from && (nameEnd === to || text.charCodeAt(nameEnd) === 58)) {
    const errorType = text.slice(from, nameEnd);
    const message = nameEnd === to ? '' : text.slice(nameEnd + 1, to).trim();
    return message === '' ? { errorType } : { errorType, errorMessage: message };
  }
  const message = text.slice(from, to).trim();
  return message === '' ? {} : { errorMessage: message };
};

/**
 * Reads the traceback whose header starts at `header`: frames (indented lines) are skipped and the
 * last unindented line (the exception raised last, after any "During handling ..." chain) is the
 * error. `undefined` when the text ends before any exception line.
 */
export const readTraceback = (text: string, header: number): PythonError | undefined => {
  const to = text.length;
  let at = lineEnd(text, header, to);
  let found: PythonError | undefined;
  while (at < to) {
    while (at < to && isLineBreak(text.charCodeAt(at))) at++;
    if (at >= to) break;
    const end = lineEnd(text, at, to);
    const first = text.charCodeAt(at);
    if (!isIndent(first) && !text.startsWith(TRACEBACK_HEADER, at)) {
      const candidate = readExceptionLine(text, at, end);
      // "During handling of the above exception, ..." and "The above exception was the direct
      // cause ..." separate chained tracebacks; they are prose, not an exception line.
      if (candidate.errorType !== undefined) found = candidate;
    }
    at = end;
  }
  return found;
};

const emitError = (
  state: LineState,
  label: 'invoke-error' | 'error-record',
  error: PythonError,
  requestId: string | undefined,
): void => {
  emit(state, {
    kind: 'function-error',
    origin: originOf(state),
    ...(requestId !== undefined ? { requestId } : {}),
    label,
    ...(error.errorType !== undefined ? { errorType: error.errorType } : {}),
    ...(error.errorMessage !== undefined ? { errorMessage: error.errorMessage } : {}),
    line: state.line,
  });
};

/** Notes a `START RequestId: <id> Version: ...` line's request id for the lines that follow it. */
export const noteStart = (line: string, state: LineState): void => {
  // Its id is found only when a later line needs it (currentRequestId).
  noteStarted(state, line);
  state.openTraceback = undefined;
};

/**
 * The runtime's error record in the text format: `[ERROR] Type: message`, then `Traceback (most
 * recent call last):` and the frames. A failed invocation (or init): Lambda reports it as the
 * function's error, like Node's `Invoke Error` line.
 */
const readRuntimeError = (line: string, state: LineState): void => {
  const from = line.charCodeAt(7) === 32 ? 8 : 7;
  const error = readExceptionLine(line, from, lineEnd(line, from, line.length));
  emitError(state, 'invoke-error', error, currentRequestId(state));
};

/**
 * Where the message of a `[LEVEL]\t<time>\t<request id>\t<message>` line starts, setting the
 * line's timestamp and request id; -1 when the line is not in that format.
 */
const loggingMessageStart = (line: string, levelEnd: number, state: LineState): number => {
  const timeEnd = line.indexOf('\t', levelEnd + 2);
  if (timeEnd === -1) return -1;
  const idEnd = line.indexOf('\t', timeEnd + 1);
  if (idEnd === -1) return -1;
  if (state.timestampMs === undefined) {
    const time = line.slice(levelEnd + 2, timeEnd);
    state.lineTimestamp = time;
    state.lastTimestamp = time;
  }
  if (idEnd > timeEnd + 1) state.requestId = line.slice(timeEnd + 1, idEnd);
  return idEnd + 1;
};

/**
 * A line that starts with `[`: Python's `logging` format or the runtime's `[ERROR]` record.
 * Returns where free text to search for payloads starts, or -1 when the line was read whole
 * (or is not Python's: then 0, search it all).
 */
export const readBracketLine = (line: string, state: LineState): number => {
  let levelEnd = 1;
  while (levelEnd < line.length && levelEnd < 10) {
    const code = line.charCodeAt(levelEnd);
    if (code < 65 || code > 90) break;
    levelEnd++;
  }
  if (levelEnd === 1 || line.charCodeAt(levelEnd) !== 93) return 0;
  const after = line.charCodeAt(levelEnd + 1);
  if (after === 9) {
    const messageStart = loggingMessageStart(line, levelEnd, state);
    if (messageStart === -1) return 0;
    const header = line.indexOf(TRACEBACK_HEADER, messageStart);
    if (header !== -1) {
      // `logger.exception(...)`: the handler caught and logged it; evidence, not a failure on its own.
      const error = readTraceback(line, header);
      if (error) emitError(state, 'error-record', error, state.requestId);
      else state.openTraceback = { logStream: state.logStream, requestId: state.requestId };
    }
    return messageStart;
  }
  if (
    levelEnd === 6 &&
    line.startsWith('[ERROR]') &&
    (Number.isNaN(after) || after === 32 || isLineBreak(after))
  ) {
    readRuntimeError(line, state);
    return -1;
  }
  return 0;
};

/** A line that starts with `Traceback (most recent call last):`; its exception line may come in a later log event. */
export const readTracebackLine = (line: string, state: LineState): void => {
  const error = readTraceback(line, 0);
  if (error) emitError(state, 'error-record', error, currentRequestId(state));
  else state.openTraceback = { logStream: state.logStream, requestId: currentRequestId(state) };
};

/**
 * Continues a traceback left open by an earlier log event of the same stream: an indented line
 * is a frame (quiet), an unindented one is the exception line that closes it. Returns false when
 * the line is not part of the traceback (which then closes it) and must be read as usual.
 */
export const continueTraceback = (line: string, state: LineState): boolean => {
  const open = state.openTraceback;
  if (open === undefined) return false;
  if (open.logStream !== state.logStream) {
    state.openTraceback = undefined;
    return false;
  }
  const first = line.charCodeAt(0);
  if (isIndent(first) || line.length === 0) return true;
  if (line.startsWith('During handling of the above exception') || line.startsWith('The above exception'))
    return true;
  state.openTraceback = undefined;
  const error = readExceptionLine(line, 0, lineEnd(line, 0, line.length));
  if (error.errorType === undefined) return false;
  emitError(state, 'error-record', error, open.requestId);
  return true;
};
