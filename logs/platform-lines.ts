/**
 * Lambda platform lines, text and JSON: `REPORT`, `INIT_REPORT`, `Task timed out after N
 * seconds`, `RequestId: ... Error: Runtime exited with error: ...`, and the JSON log format's
 * `platform.report` / `platform.initReport` / `platform.fault` records.
 * Facts: docs/cognito-triggers-and-logs.md (platform lines, Lambda JSON log format).
 */
import type {
  FunctionErrorObservation,
  InitReportObservation,
  InvocationReportObservation,
} from '../detectors/observations';
import { asRecord } from '../runtime/text';
import { emit, flag, type LineState, noteLineTimestamp, originOf } from './line-state';

const TIMEOUT_PREFIX = 'Task timed out after ';

/** Keys of REPORT / INIT_REPORT fields, each followed by `: `; old lines separate them with spaces. */
const FIELD_KEYS = [
  'Duration',
  'Billed Duration',
  'Init Duration',
  'Restore Duration',
  'Memory Size',
  'Max Memory Used',
  'Status',
  'Error Type',
  'Phase',
  'XRAY TraceId',
  'SegmentId',
  'Sampled',
] as const;

/** Words that make `Duration` part of a longer key (`Billed Duration`), not a field of its own. */
const DURATION_QUALIFIERS = ['Billed ', 'Init ', 'Restore '] as const;

/** True when a known `Key: ` starts at `at` and is not the tail of a longer key. */
const fieldKeyAt = (line: string, at: number): boolean => {
  for (const key of FIELD_KEYS) {
    if (line.startsWith(key, at) && line.startsWith(': ', at + key.length)) {
      if (key !== 'Duration') return true;
      return !DURATION_QUALIFIERS.some(
        (word) => at >= word.length && line.startsWith(word, at - word.length),
      );
    }
  }
  return false;
};

/**
 * Old REPORT lines may use spaces where tabs belong: each run of spaces before a known key
 * becomes one tab (not the space inside `Billed Duration` / `Init Duration`). One pass over the
 * line, each space visited once: a regex with a lookahead after ` +` retried every run at every
 * start, quadratic in the run's length.
 */
const tabsBeforeKeys = (line: string, from: number): string => {
  let out = '';
  let copied = 0;
  let i = from;
  while (i < line.length) {
    if (line.charCodeAt(i) !== 32) {
      i++;
      continue;
    }
    let runEnd = i + 1;
    while (runEnd < line.length && line.charCodeAt(runEnd) === 32) runEnd++;
    if (fieldKeyAt(line, runEnd)) {
      out += `${line.slice(copied, i)}\t`;
      copied = runEnd;
    }
    i = runEnd;
  }
  return copied === 0 ? line : out + line.slice(copied);
};

/** The `Key: value` fields of REPORT / INIT_REPORT lines that observations carry. */
export interface PlatformFields {
  requestId?: string;
  durationMs?: number;
  billedDurationMs?: number;
  initDurationMs?: number;
  memorySizeMb?: number;
  maxMemoryUsedMb?: number;
  status?: string;
  errorType?: string;
  phase?: string;
}

/** 10 ** n for the scales a decimal of at most 15 digits has, looked up instead of computed per field. */
const POWERS_OF_TEN = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
] as const;

/**
 * The decimal at `line[from, to)` (`128.83 ms` → 128.83). Digits are read in place: slicing and
 * `parseFloat` per field cost more than the rest of the REPORT line. An integer of at most 15
 * digits divided by a power of ten is the correctly rounded value, as `parseFloat` gives.
 */
const numberAt = (line: string, from: number, to: number): number | undefined => {
  let i = from;
  while (i < to && line.charCodeAt(i) === 32) i++;
  const value = readDecimal(line, i, to);
  if (decimalDigits === 0) return undefined;
  if (decimalDigits > 15) {
    const parsed = Number.parseFloat(line.slice(from, to));
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return value;
};

/** How many digits the last `readDecimal` read, and where it stopped. */
let decimalDigits = 0;
let decimalEnd = 0;

/**
 * Reads digits with at most one `.` from `from`, up to `to` or the first other character, in one
 * pass: their value when there are 1 to 15 digits, else 0. Sets `decimalDigits` and `decimalEnd`.
 */
const readDecimal = (line: string, from: number, to: number): number => {
  let i = from;
  let digits = 0;
  let scale = 0;
  let value = 0;
  let fraction = false;
  for (; i < to; i++) {
    const code = line.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      value = value * 10 + (code - 48);
      digits++;
      if (fraction) scale++;
    } else if (code === 46 && !fraction) {
      fraction = true;
    } else {
      break;
    }
  }
  decimalDigits = digits;
  decimalEnd = i;
  if (digits === 0 || digits > 15) return 0;
  return scale === 0 ? value : value / (POWERS_OF_TEN[scale] as number);
};

const textAt = (line: string, from: number, to: number): string | undefined => {
  const value = line.slice(from, to).trim();
  return value === '' ? undefined : value;
};

/** `Key` of a `Key: value` field at `line[start, colon)`, matched without slicing. */
const keyIs = (line: string, start: number, colon: number, key: string): boolean =>
  colon - start === key.length && line.startsWith(key, start);

/**
 * The first `: ` at or after `from` (`line.length` when none). Searched as `:` by the native
 * one-character search, then checked: a two-character `indexOf` pattern takes V8's general string
 * search, whose setup per call cost more than the rest of a REPORT line's reading.
 */
const colonSpaceAt = (line: string, from: number): number => {
  let at = line.indexOf(':', from);
  while (at !== -1 && line.charCodeAt(at + 1) !== 32) at = line.indexOf(':', at + 1);
  return at === -1 ? line.length : at;
};

/**
 * Reads the tab-separated `Key: value` fields after the leading word (`REPORT `, `INIT_REPORT `).
 * Unknown keys (XRAY TraceId, SegmentId, Sampled, Restore Duration, ...) are skipped.
 * @internal Exported for the test that holds the REPORT line's fast path to it.
 */
export const readFields = (raw: string, from: number): PlatformFields => {
  const line = raw.includes('\t', from) ? raw : tabsBeforeKeys(raw, from);
  const fields: PlatformFields = {};
  readFieldsInto(line, from, fields);
  return fields;
};

/** The fields of tab-separated `line` from `from` (the start of a field) on, into `fields`. */
const readFieldsInto = (line: string, from: number, fields: PlatformFields): void => {
  let start = from;
  // The next `: ` at or after the current field, searched natively and kept until a field passes
  // it: one forward search over the line in all, however many fields have no colon.
  let nextColon = -1;
  while (start < line.length) {
    let end = line.indexOf('\t', start);
    if (end === -1) end = line.length;
    while (line.charCodeAt(start) === 32) start++;
    if (nextColon < start) {
      nextColon = colonSpaceAt(line, start);
    }
    const colon = nextColon + 1 < end ? nextColon : -1;
    if (colon !== -1) {
      const value = colon + 2;
      switch (line.charCodeAt(start)) {
        case 82: // R
          if (keyIs(line, start, colon, 'RequestId')) fields.requestId = textAt(line, value, end);
          break;
        case 68: // D
          if (keyIs(line, start, colon, 'Duration')) fields.durationMs = numberAt(line, value, end);
          break;
        case 66: // B
          if (keyIs(line, start, colon, 'Billed Duration'))
            fields.billedDurationMs = numberAt(line, value, end);
          break;
        case 73: // I
          if (keyIs(line, start, colon, 'Init Duration')) fields.initDurationMs = numberAt(line, value, end);
          break;
        case 77: // M
          if (keyIs(line, start, colon, 'Memory Size')) fields.memorySizeMb = numberAt(line, value, end);
          else if (keyIs(line, start, colon, 'Max Memory Used'))
            fields.maxMemoryUsedMb = numberAt(line, value, end);
          break;
        case 83: // S
          if (keyIs(line, start, colon, 'Status')) fields.status = textAt(line, value, end);
          break;
        case 69: // E
          if (keyIs(line, start, colon, 'Error Type')) fields.errorType = textAt(line, value, end);
          break;
        case 80: // P
          if (keyIs(line, start, colon, 'Phase')) fields.phase = textAt(line, value, end);
          break;
      }
    }
    start = end + 1;
  }
};

/** Where the last number `layoutNumberAt` read ends. */
let layoutNumberEnd = 0;

/**
 * The decimal at `from` as `numberAt` reads it up to its end (digits, one `.`), read in one pass;
 * -1 when it has no digit or more than 15 (those `numberAt` reads with `parseFloat` up to the
 * field's end, left to the general reader). Sets `layoutNumberEnd`.
 */
const layoutNumberAt = (line: string, from: number): number => {
  const value = readDecimal(line, from, line.length);
  if (decimalDigits === 0 || decimalDigits > 15) return -1;
  layoutNumberEnd = decimalEnd;
  return value;
};

/** What follows each number of the layout Lambda writes, up to the next number. */
const AFTER_DURATION = ' ms\tBilled Duration: ';
const AFTER_BILLED = ' ms\tMemory Size: ';
const AFTER_MEMORY = ' MB\tMax Memory Used: ';
const AFTER_USED = ' MB\t';

/**
 * True when `piece` is at `line[at]`. `indexOf` from `at`, not `startsWith`: V8's `startsWith`
 * compares a match a character at a time, four times the cost of `indexOf`'s native search
 * (which, on a mismatch, searches the rest of the line: callers bound how often per line).
 */
const pieceAt = (line: string, piece: string, at: number): boolean => line.indexOf(piece, at) === at;

/**
 * The fields `readReportLayout` read last: module scratch rather than an object per line, as the
 * line reader builds its observation from them directly.
 */
let layoutIdEnd = 0;
let layoutDuration = 0;
let layoutBilled = 0;
let layoutMemory = 0;
let layoutUsed = 0;

/**
 * Reads the layout Lambda writes a REPORT line in (`REPORT RequestId: <id>\tDuration: 31.62
 * ms\tBilled Duration: 32 ms\tMemory Size: 256 MB\tMax Memory Used: 81 MB\t`) into the `layout...`
 * scratch; returns where the line goes on past it, or -1 when the line leaves it. Each piece
 * between the numbers is confirmed by one native search at its place (five per line), the
 * numbers are read in place once each.
 */
const readReportLayout = (line: string): number => {
  const idEnd = line.indexOf('\t', 18);
  // `: ` after `RequestId`, and `Duration: ` right after the id's tab.
  if (idEnd === -1 || line.charCodeAt(17) !== 32 || !pieceAt(line, 'Duration: ', idEnd + 1)) return -1;
  const duration = layoutNumberAt(line, idEnd + 11);
  if (duration === -1 || !pieceAt(line, AFTER_DURATION, layoutNumberEnd)) return -1;
  const billed = layoutNumberAt(line, layoutNumberEnd + AFTER_DURATION.length);
  if (billed === -1 || !pieceAt(line, AFTER_BILLED, layoutNumberEnd)) return -1;
  const memory = layoutNumberAt(line, layoutNumberEnd + AFTER_BILLED.length);
  if (memory === -1 || !pieceAt(line, AFTER_MEMORY, layoutNumberEnd)) return -1;
  const used = layoutNumberAt(line, layoutNumberEnd + AFTER_MEMORY.length);
  if (used === -1 || !pieceAt(line, AFTER_USED, layoutNumberEnd)) return -1;
  layoutIdEnd = idEnd;
  layoutDuration = duration;
  layoutBilled = billed;
  layoutMemory = memory;
  layoutUsed = used;
  return layoutNumberEnd + AFTER_USED.length;
};

/** True when the line holds a field from `at` on: CloudWatch ends it with a newline, a field of that alone holds nothing. */
const hasFieldFrom = (line: string, at: number): boolean =>
  at < line.length - 1 || (at === line.length - 1 && line.charCodeAt(at) !== 10);

/**
 * The fields of a REPORT line (`REPORT RequestId: <id>\tDuration: 31.62 ms\tBilled Duration: 32
 * ms\tMemory Size: 256 MB\tMax Memory Used: 81 MB\t...`). The layout Lambda writes is checked
 * piece by piece (`readReportLayout`), where the general reader searches each field for its tab
 * and its `: ` and then compares the key; fields past that layout (Init Duration, Status, ...) and
 * any line that leaves it are read by the general reader, so both give the same fields for every
 * line.
 */
export const readReportFields = (line: string): PlatformFields => {
  const at = readReportLayout(line);
  if (at === -1) return readFields(line, 7);
  const fields: PlatformFields = {
    requestId: textAt(line, 18, layoutIdEnd),
    durationMs: layoutDuration,
    billedDurationMs: layoutBilled,
    memorySizeMb: layoutMemory,
    maxMemoryUsedMb: layoutUsed,
  };
  if (hasFieldFrom(line, at)) readFieldsInto(line, at, fields);
  return fields;
};

/**
 * Whether a report is one no detector reads: a successful invocation (no status, or `success`)
 * that made Cognito wait less than the input's `omitReportsUnderMs`. Its line is then quiet.
 */
const isUnreadReport = (state: LineState, waitedMs: number, status: string | undefined): boolean =>
  waitedMs < state.group.omitReportsUnderMs && (status === undefined || status === 'success');

/** Emits the invocation report `fields` describe (a text REPORT line or a JSON platform.report). */
const emitReport = (fields: PlatformFields, line: string, state: LineState, missing: string): void => {
  const { requestId, durationMs } = fields;
  if (!requestId || durationMs === undefined) {
    flag(state, 'invalid-shape', missing);
    return;
  }
  if (isUnreadReport(state, durationMs + (fields.initDurationMs ?? 0), fields.status)) return;
  const observation: InvocationReportObservation = {
    kind: 'invocation-report',
    origin: originOf(state),
    requestId,
    durationMs,
    line,
  };
  if (fields.billedDurationMs !== undefined) observation.billedDurationMs = fields.billedDurationMs;
  if (fields.initDurationMs !== undefined) observation.initDurationMs = fields.initDurationMs;
  if (fields.memorySizeMb !== undefined) observation.memorySizeMb = fields.memorySizeMb;
  if (fields.maxMemoryUsedMb !== undefined) observation.maxMemoryUsedMb = fields.maxMemoryUsedMb;
  if (fields.status !== undefined) observation.status = fields.status;
  if (fields.errorType !== undefined) observation.errorType = fields.errorType;
  emit(state, observation);
};

/** Emits the init report `fields` describe (a text INIT_REPORT line or a JSON platform.initReport). */
const emitInitReport = (fields: PlatformFields, line: string, state: LineState): void => {
  const observation: InitReportObservation = { kind: 'init-report', origin: originOf(state), line };
  if (fields.initDurationMs !== undefined) observation.durationMs = fields.initDurationMs;
  if (fields.phase !== undefined) observation.phase = fields.phase;
  if (fields.status !== undefined) observation.status = fields.status;
  if (fields.errorType !== undefined) observation.errorType = fields.errorType;
  emit(state, observation);
};

/** `REPORT RequestId: <id>\tDuration: 128.83 ms\tBilled Duration: 200 ms\t...\tStatus: timeout`. */
export const readReportLine = (line: string, state: LineState): void => {
  const at = readReportLayout(line);
  if (at !== -1 && !hasFieldFrom(line, at)) {
    const requestId = textAt(line, 18, layoutIdEnd);
    if (requestId !== undefined) {
      // The line as Lambda writes it, nothing past the layout: the observation `emitReport` builds
      // from its fields, in the same order, made at once (no fields object, no added properties).
      // A warm invocation with no status: only its duration can make it matter.
      if (layoutDuration < state.group.omitReportsUnderMs) return;
      emit(state, {
        kind: 'invocation-report',
        origin: originOf(state),
        requestId,
        durationMs: layoutDuration,
        line,
        billedDurationMs: layoutBilled,
        memorySizeMb: layoutMemory,
        maxMemoryUsedMb: layoutUsed,
      });
      return;
    }
  }
  const fields = readReportFields(line);
  emitReport(fields, line, state, `REPORT line has no ${fields.requestId ? 'Duration' : 'RequestId'}`);
};

/** `INIT_REPORT Init Duration: 154.03 ms\tPhase: init\tStatus: error\tError Type: Runtime.ExitError`. */
export const readInitReportLine = (line: string, state: LineState): void =>
  emitInitReport(readFields(line, 12), line, state);

/** The fields of a JSON platform record, under the names of the text format's fields. */
const recordFields = (record: Record<string, unknown> | undefined): PlatformFields => {
  const metrics = asRecord(record?.metrics);
  const fields: PlatformFields = {};
  const requestId = text(record?.requestId);
  if (requestId) fields.requestId = requestId;
  const durationMs = finite(metrics?.durationMs);
  if (durationMs !== undefined) fields.durationMs = durationMs;
  const billed = finite(metrics?.billedDurationMs);
  if (billed !== undefined) fields.billedDurationMs = billed;
  const init = finite(metrics?.initDurationMs);
  if (init !== undefined) fields.initDurationMs = init;
  const memory = finite(metrics?.memorySizeMB);
  if (memory !== undefined) fields.memorySizeMb = memory;
  const used = finite(metrics?.maxMemoryUsedMB);
  if (used !== undefined) fields.maxMemoryUsedMb = used;
  const status = text(record?.status);
  if (status) fields.status = status;
  const errorType = text(record?.errorType);
  if (errorType) fields.errorType = errorType;
  const phase = text(record?.phase);
  if (phase) fields.phase = phase;
  return fields;
};

/** True when `line` has `Task timed out after` at `at`; emits the timeout. */
export const readTimeout = (line: string, at: number, state: LineState): boolean => {
  // `T` first: most messages are decided by one character code, not a prefix compare.
  if (line.charCodeAt(at) !== 84 || !line.startsWith(TIMEOUT_PREFIX, at)) return false;
  const afterSeconds = Number.parseFloat(
    line.slice(at + TIMEOUT_PREFIX.length, at + TIMEOUT_PREFIX.length + 24),
  );
  if (!Number.isFinite(afterSeconds)) {
    flag(state, 'invalid-shape', 'timeout line has no duration after "Task timed out after"');
    return true;
  }
  emit(state, {
    kind: 'timeout',
    origin: originOf(state),
    ...(state.requestId !== undefined ? { requestId: state.requestId } : {}),
    afterSeconds,
    line,
  });
  return true;
};

/**
 * `RequestId: <id> Error: Runtime exited with error: exit status 129` (the runtime crashed) and the
 * older `RequestId: <id> Process exited before completing request`. Other `RequestId:` lines are quiet.
 */
export const readRequestIdLine = (line: string, state: LineState, evidence = line): void => {
  const idStart = 11;
  let idEnd = idStart;
  while (idEnd < line.length && line.charCodeAt(idEnd) > 32) idEnd++;
  const rest = line.slice(idEnd).trim();
  const text = rest.startsWith('Error: ') ? rest.slice(7) : rest;
  const crashed = text.startsWith('Runtime exited');
  if (!crashed && !text.startsWith('Process exited before completing request')) return;
  const requestId = line.slice(idStart, idEnd);
  const observation: FunctionErrorObservation = {
    kind: 'function-error',
    origin: originOf(state),
    label: 'runtime-exit',
    errorMessage: text,
    line: evidence,
  };
  if (requestId) observation.requestId = requestId;
  if (crashed) observation.errorType = 'Runtime.ExitError';
  emit(state, observation);
};

const finite = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * The JSON log format's system records (`{"time","type":"platform.*","record":{...}}`).
 * `platform.report` and `platform.initReport` become observations; `platform.fault` is a crash.
 * `platform.runtimeDone` stays quiet even with status timeout/error/failure: Lambda writes a
 * `platform.report` with the same status and errorType for every invocation, and reading both
 * would count one failure twice. `platform.start`, `initStart`, `extension`, ... are quiet.
 */
export const readPlatformRecord = (
  type: string,
  value: Record<string, unknown>,
  line: string,
  state: LineState,
): void => {
  if (type === 'platform.report') {
    emitReportRecord(reportRecordOf(value), line, state);
    return;
  }
  const time = text(value.time);
  if (time) noteLineTimestamp(state, time);
  if (type === 'platform.initReport') {
    // initReport carries its duration as metrics.durationMs; the text format calls it Init Duration.
    const fields = recordFields(asRecord(value.record));
    delete fields.initDurationMs;
    if (fields.durationMs !== undefined) fields.initDurationMs = fields.durationMs;
    emitInitReport(fields, line, state);
    return;
  }
  if (type === 'platform.fault') {
    const record = text(value.record);
    if (record?.startsWith('RequestId: ')) readRequestIdLine(record, state, line);
  }
};

/** What a `platform.report` record yields: its `time` and its fields under the text format's names. */
export interface ReportRecord {
  time: string | undefined;
  fields: PlatformFields;
}

const MISSING_REPORT_FIELDS = 'platform.report record has no record.requestId or record.metrics.durationMs';

const emitReportRecord = ({ time, fields }: ReportRecord, line: string, state: LineState): void => {
  if (time) noteLineTimestamp(state, time);
  emitReport(fields, line, state, MISSING_REPORT_FIELDS);
};

/**
 * The `platform.report` record `value` (parsed) describes.
 * @internal Exported for the test that holds the line's fast path to it.
 */
export const reportRecordOf = (value: Record<string, unknown>): ReportRecord => {
  const record = asRecord(value.record);
  return { time: text(value.time), fields: record ? recordFields(record) : {} };
};

/** The pieces of the layout Lambda writes a `platform.report` record in, between its values. */
const REPORT_HEAD = '{"time":"';
const AFTER_TIME = '","type":"platform.report","record":{"requestId":"';
const AFTER_ID = '","metrics":{';
const AFTER_METRICS = '},"status":"';
const BEFORE_ERROR_TYPE = ',"errorType":"';

/**
 * End (the closing quote) of the JSON string whose text starts at `from`, or -1 when the string
 * has an escape or a control character (`JSON.parse` decodes or rejects those: left to it).
 */
const plainStringEnd = (line: string, from: number): number => {
  const end = line.indexOf('"', from);
  if (end === -1) return -1;
  for (let i = from; i < end; i++) {
    const code = line.charCodeAt(i);
    if (code < 32 || code === 92) return -1;
  }
  return end;
};

/** Where the last number `plainNumberAt` read ends. */
let plainNumberEnd = 0;

/**
 * The JSON number at `from` in the subset read in place: `0` or a digit run without a leading
 * zero, an optional fraction, at most 15 digits in all; -1 for anything else (a sign, an exponent,
 * more digits), which `JSON.parse` reads instead. Sets `plainNumberEnd`. The value is an exact
 * integer over an exact power of ten, so it is correctly rounded, as `JSON.parse` reads it.
 */
const plainNumberAt = (line: string, from: number): number => {
  let code = line.charCodeAt(from);
  if (code < 48 || code > 57) return -1;
  let value = code - 48;
  let i = from + 1;
  code = line.charCodeAt(i);
  if (value !== 0) {
    while (code >= 48 && code <= 57) {
      value = value * 10 + (code - 48);
      code = line.charCodeAt(++i);
    }
  }
  let digits = i - from;
  let scale = 0;
  if (code === 46) {
    const fraction = ++i;
    code = line.charCodeAt(i);
    while (code >= 48 && code <= 57) {
      value = value * 10 + (code - 48);
      code = line.charCodeAt(++i);
    }
    scale = i - fraction;
    if (scale === 0) return -1;
    digits += scale;
  }
  if (digits > 15 || code === 101 || code === 69 || (code >= 48 && code <= 57)) return -1;
  plainNumberEnd = i;
  return scale === 0 ? value : value / (POWERS_OF_TEN[scale] as number);
};

/** True when nothing but JSON whitespace follows `from`. */
const onlyWhitespaceFrom = (line: string, from: number): boolean => {
  for (let i = from; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code !== 32 && code !== 10 && code !== 13 && code !== 9) return false;
  }
  return true;
};

/**
 * The record `scanReportRecord` read last: module scratch rather than an object per line, as the
 * line reader builds its observation from it directly. Positions are -1 for an absent string.
 */
let recordTimeEnd = -1;
let recordIdStart = -1;
let recordIdEnd = -1;
let recordDuration: number | undefined;
let recordBilled: number | undefined;
let recordMemory: number | undefined;
let recordUsed: number | undefined;
let recordInit: number | undefined;
let recordStatusStart = -1;
let recordStatusEnd = -1;
let recordErrorStart = -1;
let recordErrorEnd = -1;

/**
 * Reads the record of a `platform.report` line in the layout Lambda writes in place, into the
 * `record...` scratch:
 * `{"time":"…","type":"platform.report","record":{"requestId":"…","metrics":{…},"status":"…"}}`,
 * the status optional, `"errorType":"…"` after it optional, the metrics (`durationMs`,
 * `billedDurationMs`, `memorySizeMB`, `maxMemoryUsedMB`, `initDurationMs`) in any order, each once,
 * as plain decimals. False for any line that leaves the layout (other or more fields,
 * whitespace, escapes, other numbers, not JSON at all), which the caller parses. Each piece of the layout is confirmed by one native
 * search at its place; the numbers are read in place.
 */
const scanReportRecord = (line: string): boolean => {
  if (!pieceAt(line, REPORT_HEAD, 0)) return false;
  const timeEnd = plainStringEnd(line, REPORT_HEAD.length);
  if (timeEnd === -1 || !pieceAt(line, AFTER_TIME, timeEnd)) return false;
  const idStart = timeEnd + AFTER_TIME.length;
  const idEnd = plainStringEnd(line, idStart);
  if (idEnd === -1 || !pieceAt(line, AFTER_ID, idEnd)) return false;
  let at = idEnd + AFTER_ID.length;
  let duration: number | undefined;
  let billed: number | undefined;
  let memory: number | undefined;
  let used: number | undefined;
  let init: number | undefined;
  // `at` ends on the `}` that closes the metrics.
  if (line.charCodeAt(at) !== 125) {
    for (;;) {
      // A key's first letters pick it (`memorySizeMB` and `maxMemoryUsedMB` by their second);
      // one native search confirms it with its quotes and colon.
      let key: string;
      switch (line.charCodeAt(at + 1)) {
        case 100: // d
          key = duration === undefined ? '"durationMs":' : '';
          break;
        case 98: // b
          key = billed === undefined ? '"billedDurationMs":' : '';
          break;
        case 109: // m
          if (line.charCodeAt(at + 2) === 101) key = memory === undefined ? '"memorySizeMB":' : '';
          else key = used === undefined ? '"maxMemoryUsedMB":' : '';
          break;
        case 105: // i
          key = init === undefined ? '"initDurationMs":' : '';
          break;
        default:
          key = '';
      }
      // An unknown or repeated key (JSON.parse keeps the last) is left to the parser.
      if (key === '' || !pieceAt(line, key, at)) return false;
      const value = plainNumberAt(line, at + key.length);
      if (value === -1) return false;
      switch (key.length) {
        case 13:
          duration = value;
          break;
        case 19:
          billed = value;
          break;
        case 15:
          memory = value;
          break;
        case 18:
          used = value;
          break;
        default:
          init = value;
      }
      at = plainNumberEnd;
      const separator = line.charCodeAt(at);
      if (separator === 125) break;
      if (separator !== 44) return false;
      at++;
    }
  }
  let statusStart = -1;
  let statusEnd = -1;
  let errorStart = -1;
  let errorEnd = -1;
  let end = at + 1;
  if (line.charCodeAt(end) !== 125) {
    if (!pieceAt(line, AFTER_METRICS, at)) return false;
    statusStart = at + AFTER_METRICS.length;
    statusEnd = plainStringEnd(line, statusStart);
    if (statusEnd === -1) return false;
    end = statusEnd + 1;
  }
  if (statusEnd !== -1 && line.charCodeAt(end) === 44) {
    if (!pieceAt(line, BEFORE_ERROR_TYPE, end)) return false;
    errorStart = end + BEFORE_ERROR_TYPE.length;
    errorEnd = plainStringEnd(line, errorStart);
    if (errorEnd === -1) return false;
    end = errorEnd + 1;
  }
  if (line.charCodeAt(end) !== 125 || line.charCodeAt(end + 1) !== 125 || !onlyWhitespaceFrom(line, end + 2))
    return false;
  recordTimeEnd = timeEnd;
  recordIdStart = idStart;
  recordIdEnd = idEnd;
  recordDuration = duration;
  recordBilled = billed;
  recordMemory = memory;
  recordUsed = used;
  recordInit = init;
  recordStatusStart = statusStart;
  recordStatusEnd = statusEnd;
  recordErrorStart = errorStart;
  recordErrorEnd = errorEnd;
  return true;
};

/** The fields of the record `scanReportRecord` read last, in the order `recordFields` gives them for the parsed record. */
const scannedRecordFields = (line: string): PlatformFields => {
  const fields: PlatformFields = {};
  if (recordIdEnd > recordIdStart) fields.requestId = line.slice(recordIdStart, recordIdEnd);
  if (recordDuration !== undefined) fields.durationMs = recordDuration;
  if (recordBilled !== undefined) fields.billedDurationMs = recordBilled;
  if (recordInit !== undefined) fields.initDurationMs = recordInit;
  if (recordMemory !== undefined) fields.memorySizeMb = recordMemory;
  if (recordUsed !== undefined) fields.maxMemoryUsedMb = recordUsed;
  if (recordStatusEnd > recordStatusStart) fields.status = line.slice(recordStatusStart, recordStatusEnd);
  if (recordErrorEnd > recordErrorStart) fields.errorType = line.slice(recordErrorStart, recordErrorEnd);
  return fields;
};

/** The `time` of the record `scanReportRecord` read last. */
const scannedRecordTime = (line: string): string | undefined =>
  recordTimeEnd > REPORT_HEAD.length ? line.slice(REPORT_HEAD.length, recordTimeEnd) : undefined;

/**
 * The record of a `platform.report` line in the layout `scanReportRecord` reads in place, or
 * `undefined` for any other line (the caller parses it); both give the same record for every line
 * this accepts.
 */
export const readReportRecord = (line: string): ReportRecord | undefined =>
  scanReportRecord(line) ? { time: scannedRecordTime(line), fields: scannedRecordFields(line) } : undefined;

/**
 * Reads a line whose first `"type"` is `platform.report` when it is in the layout Lambda writes
 * (`readReportRecord`); false, having read nothing, for any other line.
 */
export const readReportRecordLine = (line: string, state: LineState): boolean => {
  if (!scanReportRecord(line)) return false;
  const time = scannedRecordTime(line);
  if (time) noteLineTimestamp(state, time);
  if (
    recordIdEnd > recordIdStart &&
    recordDuration !== undefined &&
    recordBilled !== undefined &&
    recordMemory !== undefined &&
    recordUsed !== undefined &&
    recordInit === undefined &&
    recordStatusEnd > recordStatusStart &&
    recordErrorEnd === -1
  ) {
    // A warm invocation's record: the observation `emitReport` builds from its fields, in the same
    // order, made at once (no fields object, no record object, no added properties).
    if (
      recordDuration < state.group.omitReportsUnderMs &&
      recordStatusEnd - recordStatusStart === 7 &&
      line.startsWith('success', recordStatusStart)
    )
      return true;
    emit(state, {
      kind: 'invocation-report',
      origin: originOf(state),
      requestId: line.slice(recordIdStart, recordIdEnd),
      durationMs: recordDuration,
      line,
      billedDurationMs: recordBilled,
      memorySizeMb: recordMemory,
      maxMemoryUsedMb: recordUsed,
      status: line.slice(recordStatusStart, recordStatusEnd),
    });
    return true;
  }
  emitReport(scannedRecordFields(line), line, state, MISSING_REPORT_FIELDS);
  return true;
};
