/**
 * Recognises the inputs `scan-logs <file|->` accepts and reads them into a `ParsedBatch`:
 * 1. a Lambda subscription event `{"awslogs":{"data":"..."}}`;
 * 2. a decoded subscription message `{"messageType":...,"logGroup":...,"logEvents":[...]}`;
 * 3. the JSON output of `aws logs filter-log-events` / `get-log-events` (`{"events":[...]}`);
 * 4. plain text, one log line per line (a copy of a log stream, or JSON-format log records).
 *
 * Shapes 3 and 4 do not name their log group, so they need `logGroup` (`--log-group`): the group
 * names the function and selects the trigger for bare responses, and a guessed group would put a
 * wrong function name into the runbook commands of every finding.
 */

import { asRecord } from '../runtime/text';
import { decodeSubscriptionEvent, parseSubscriptionMessage } from './decode-subscription';
import type { ParseOptions } from './parse-line';
import { emptyBatch, type LogEventInput, readEventsInto } from './parse-log-events';
import type { ParsedBatch } from './types';

/** Options of `parseInputText`. */
export interface InputOptions extends ParseOptions {
  /** The input's name for messages: a file name, or `stdin`. */
  name: string;
  /** Log group for inputs that do not carry one (`--log-group`); ignored by inputs that do. */
  logGroup?: string;
}

/** The input as a whole cannot be read; `error` names the input and says what to do. */
export interface InputError {
  error: string;
  input: string;
}

/** The accepted shapes, for error messages. */
export const ACCEPTED_INPUT_SHAPES =
  'a Lambda subscription event {"awslogs":{"data":...}}, a decoded subscription message ' +
  '{"messageType":...,"logGroup":...,"logEvents":[...]}, the output of aws logs filter-log-events or ' +
  'get-log-events {"events":[...]}, or plain text with one log line per line';

export const isInputError = (value: ParsedBatch | InputError): value is InputError => 'error' in value;

/** A single JSON log record on one line (JSON log format, a logger's JSON, a logged event) reads as text. */
const isLogRecord = (value: Record<string, unknown>): boolean =>
  (typeof value.type === 'string' && value.type.startsWith('platform.') && 'record' in value) ||
  ((typeof value.level === 'string' || typeof value.timestamp === 'string') && 'message' in value) ||
  typeof value.triggerSource === 'string' ||
  typeof value.sentinel === 'string';

/** A line that starts a new log event; anything else indented or closing continues a multi-line message. */
const isContinuation = (line: string): boolean => {
  const code = line.charCodeAt(0);
  return code === 32 || code === 9 || code === 125 || code === 93;
};

/**
 * Splits plain text into log events. A line that starts with whitespace, `}` or `]` continues
 * the event before it: a saved copy of a stream prints a multi-line `util.inspect` object over
 * several lines, while CloudWatch keeps it in one event.
 */
export const splitLogText = (text: string): string[] => {
  const events: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    if (events.length > 0 && isContinuation(line)) {
      events[events.length - 1] += `\n${line}`;
    } else {
      events.push(line);
    }
  }
  return events;
};

const needLogGroup = (name: string, what: string): InputError => ({
  input: name,
  error: `${name}: ${what} does not name its log group; pass --log-group /aws/lambda/<function-name>`,
});

const readPlainText = (text: string, options: InputOptions): ParsedBatch | InputError => {
  const lines = splitLogText(text);
  if (lines.length === 0) return emptyBatch();
  if (options.logGroup === undefined) return needLogGroup(options.name, 'plain-text log input');
  const batch = emptyBatch();
  readEventsInto(
    batch,
    lines.map((message) => ({ message })),
    { logGroup: options.logGroup, logStream: undefined, source: options.name, unit: 'line', strict: false },
    options,
  );
  return batch;
};

const readEventsOutput = (
  document: Record<string, unknown>,
  options: InputOptions,
): ParsedBatch | InputError => {
  const { events } = document;
  if (!Array.isArray(events)) {
    return {
      input: options.name,
      error: `${options.name}: "events" is not an array; expected ${ACCEPTED_INPUT_SHAPES}`,
    };
  }
  if (options.logGroup === undefined) {
    return needLogGroup(options.name, 'aws logs filter-log-events / get-log-events output');
  }
  const batch = emptyBatch();
  // filter-log-events calls the id `eventId`; get-log-events has none.
  const mapped: LogEventInput[] = events.map((event: unknown) => {
    const record = asRecord(event);
    if (!record) return { message: event };
    const id = record.eventId ?? record.id;
    return {
      message: record.message,
      ...(id !== undefined ? { id: id as string } : {}),
      ...(record.timestamp !== undefined ? { timestamp: record.timestamp as number } : {}),
      ...(record.logStreamName !== undefined ? { logStreamName: record.logStreamName as string } : {}),
    };
  });
  readEventsInto(
    batch,
    mapped,
    {
      logGroup: options.logGroup,
      logStream: undefined,
      source: options.name,
      unit: 'log event',
      strict: false,
    },
    options,
  );
  return batch;
};

/**
 * Reads one `scan-logs` input. Returns an `InputError` when the input as a whole cannot be read
 * (a JSON document of none of the accepted shapes, or a log group needed but not given);
 * otherwise a batch whose unreadable entries name the input. Never throws.
 */
export const parseInputText = (text: string, options: InputOptions): ParsedBatch | InputError => {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return readPlainText(text, options);
  let document: Record<string, unknown> | undefined;
  try {
    document = asRecord(JSON.parse(trimmed));
  } catch {
    // Several JSON records, one per line, are JSON-format log text.
    return readPlainText(text, options);
  }
  if (!document) return readPlainText(text, options);
  const decodeOptions = { ...options, inputName: options.name };
  if ('awslogs' in document) return decodeSubscriptionEvent(document, decodeOptions);
  if ('messageType' in document && 'logEvents' in document)
    return parseSubscriptionMessage(document, decodeOptions);
  if ('events' in document) return readEventsOutput(document, options);
  if (!trimmed.includes('\n') && isLogRecord(document)) return readPlainText(text, options);
  return {
    input: options.name,
    error: `${options.name}: a JSON document of none of the accepted shapes; expected ${ACCEPTED_INPUT_SHAPES}`,
  };
};
