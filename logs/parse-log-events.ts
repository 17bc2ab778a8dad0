/**
 * Reads a list of log events of one log group (a subscription batch, `filter-log-events` output,
 * or the lines of a text file) into a `ParsedBatch`. Every event is accounted for:
 * `stats.lines === stats.withSignal + stats.quiet + stats.unreadable`.
 */
import * as z from 'zod';
import { beginLine, createGroupContext, createLineState, hasObservations } from './line-state';
import { type ParseOptions, readLineInto } from './parse-line';
import { emptyStats, type ParsedBatch, type UnreadableInput } from './types';

/** One log event as the CLI inputs and the subscription decoder supply it. */
export interface LogEventInput {
  /** CloudWatch Logs event id (`id` in subscriptions, `eventId` in filter-log-events). */
  id?: string;
  /** Epoch milliseconds. */
  timestamp?: number;
  /** The raw line; anything but a string is an unreadable event. */
  message: unknown;
  /** Per-event stream, as `filter-log-events` reports it; overrides `logStream`. */
  logStreamName?: string;
}

export interface LogEventsInput {
  logGroup: string;
  logStream?: string;
  events: readonly LogEventInput[];
  /** Names the input in messages (a file name); omitted for subscription batches. */
  source?: string;
  /** What one event is called in messages: `log event` (default) or `line` (plain-text input). */
  unit?: 'log event' | 'line';
}

/** A log event of a CloudWatch Logs subscription message: all three fields required. */
export const subscriptionLogEventSchema = z.object({
  id: z.string(),
  timestamp: z.number(),
  message: z.string(),
});

/** A log event from any input: only `message` is required. */
export const logEventSchema = z.object({
  id: z.string().optional(),
  timestamp: z.number().optional(),
  message: z.string(),
  logStreamName: z.string().optional(),
});

/** @internal How events are named in messages and which schema applies. */
export interface EventReading {
  logGroup: string;
  logStream: string | undefined;
  source: string | undefined;
  unit: 'log event' | 'line';
  strict: boolean;
}

const describeEvent = (reading: EventReading, ordinal: number, id: unknown): string => {
  if (reading.unit === 'line') {
    return `line ${ordinal} of ${reading.source ?? 'input'} (log group ${reading.logGroup})`;
  }
  const idText = typeof id === 'string' && id !== '' ? ` (id ${id})` : '';
  return `log event ${ordinal}${idText} of ${reading.logGroup}${reading.source ? ` in ${reading.source}` : ''}`;
};

const schemaProblem = (event: unknown, strict: boolean): string => {
  const result = (strict ? subscriptionLogEventSchema : logEventSchema).safeParse(event);
  if (result.success) return 'does not match the log event schema';
  return result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'event'}: ${issue.message}`)
    .join('; ');
};

/**
 * Appends the reading of `events` to `batch`. Events are validated one by one (a fast type check,
 * with the zod schema for the message when it fails) so one bad event never costs the batch.
 * @internal
 */
export const readEventsInto = (
  batch: ParsedBatch,
  events: readonly unknown[],
  reading: EventReading,
  options: ParseOptions,
): void => {
  const { stats, observations, unreadable } = batch;
  // Lines append their observations to the batch's list directly.
  const state = createLineState(
    createGroupContext(
      reading.logGroup,
      options.resolveLogGroup,
      options.maxLineBytes,
      undefined,
      options.omitReportsUnderMs,
    ),
    observations,
  );
  for (let index = 0; index < events.length; index++) {
    const event = events[index] as Record<string, unknown> | null | undefined;
    stats.lines++;
    const message = event?.message;
    const id = event?.id;
    const timestamp = event?.timestamp;
    const stream = event?.logStreamName;
    const valid =
      typeof message === 'string' &&
      (reading.strict
        ? typeof id === 'string' && typeof timestamp === 'number' && Number.isFinite(timestamp)
        : (id === undefined || typeof id === 'string') &&
          (timestamp === undefined || (typeof timestamp === 'number' && Number.isFinite(timestamp))) &&
          (stream === undefined || typeof stream === 'string'));
    if (!valid) {
      stats.unreadable++;
      unreadable.push(
        toUnreadable(reading, index, id, 'invalid-shape', schemaProblem(event, reading.strict)),
      );
      continue;
    }
    beginLine(
      state,
      message as string,
      (stream as string | undefined) ?? reading.logStream,
      id as string | undefined,
      timestamp as number | undefined,
    );
    readLineInto(state);
    if (hasObservations(state)) {
      stats.withSignal++;
    } else if (state.issue) {
      stats.unreadable++;
      unreadable.push(toUnreadable(reading, index, id, state.issue.reason, state.issue.message));
    } else {
      stats.quiet++;
    }
  }
};

const toUnreadable = (
  reading: EventReading,
  index: number,
  id: unknown,
  reason: UnreadableInput['reason'],
  problem: string,
): UnreadableInput => {
  const problemInput: UnreadableInput = {
    reason,
    message: `${describeEvent(reading, index + 1, id)}: ${problem}`,
    logGroup: reading.logGroup,
  };
  if (typeof id === 'string') problemInput.eventId = id;
  return problemInput;
};

/** An empty batch to append readings to. */
export const emptyBatch = (): ParsedBatch => ({ observations: [], unreadable: [], stats: emptyStats() });

/**
 * Reads the log events of one log group. Messages about unreadable events name the input:
 * `log event 17 (id 3195...) of /aws/lambda/shop-presignup: line is 300000 bytes, ...` (events
 * are counted from 1). Never throws.
 */
export const parseLogEvents = (input: LogEventsInput, options: ParseOptions = {}): ParsedBatch => {
  const batch = emptyBatch();
  readEventsInto(
    batch,
    input.events,
    {
      logGroup: input.logGroup,
      logStream: input.logStream,
      source: input.source,
      unit: input.unit ?? 'log event',
      strict: false,
    },
    options,
  );
  return batch;
};
