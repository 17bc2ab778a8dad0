/**
 * The `util.inspect` reader alone, against a native baseline measured in the same run: every
 * inspect payload a throughput batch carries, read in place from its log line as the pipeline
 * reads it, vs `JSON.parse` of the same values' JSON, cut out beforehand. Three lines: the `mixed`
 * batch's whole events (`Received { ... }`, one line, nested objects), its bare responses, and the
 * `pre-token-v2` batch's PreTokenGeneration V2 responses. Reported as baseline / reader (1.0 would
 * be as fast as the native parser), for information; no goal.
 *
 * CPU time of this process (user + system), best of several interleaved rounds.
 */
import { gunzipSync } from 'node:zlib';
import { parseInspectLiteral } from '../logs/inspect-literal';
import { timeIt } from './cpu-time';
import { type BatchKind, buildBatch } from './trigger-logs-throughput';

/**
 * The sets of util.inspect payloads measured, each its own line: the `mixed` batch's whole events
 * and its bare responses apart (their shapes and costs differ), and the `pre-token-v2` responses.
 */
export const INSPECT_BATCH_KINDS = ['mixed events', 'mixed responses', 'pre-token-v2'] as const;
export type InspectBatchKind = (typeof INSPECT_BATCH_KINDS)[number];

/** The batch each set's payloads come from, and which of its inspect lines belong to the set. */
const SOURCES: Readonly<
  Record<InspectBatchKind, { batch: BatchKind; keep: (line: string, start: number) => boolean }>
> = {
  'mixed events': { batch: 'mixed', keep: (line, start) => line.endsWith('Received ', start) },
  'mixed responses': { batch: 'mixed', keep: (line, start) => !line.endsWith('Received ', start) },
  'pre-token-v2': { batch: 'pre-token-v2', keep: () => true },
};

/** Where one inspect payload sits in its line: from its first `{` to its last `}`. */
interface Span {
  line: string;
  start: number;
  end: number;
}

/** The lines of `kind`'s batch whose object is util.inspect output (not JSON), with its span. */
const inspectSpans = (kind: InspectBatchKind): Span[] => {
  const { batch, keep } = SOURCES[kind];
  const { event } = buildBatch(batch);
  const decoded = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8')) as {
    logEvents: { message: string }[];
  };
  return decoded.logEvents.flatMap(({ message: line }) => {
    const start = line.indexOf('{');
    const end = line.lastIndexOf('}') + 1;
    if (start === -1 || end <= start || !keep(line, start)) return [];
    try {
      JSON.parse(line.slice(start, end));
      return [];
    } catch {
      return [{ line, start, end }];
    }
  });
};

const readAll = (spans: readonly Span[]): unknown => {
  let value: unknown;
  for (const { line, start, end } of spans) value = parseInspectLiteral(line, start, end);
  return value;
};

const parseAll = (texts: readonly string[]): unknown => {
  let value: unknown;
  for (const text of texts) value = JSON.parse(text);
  return value;
};

export interface InspectReaderResult {
  kind: InspectBatchKind;
  payloads: number;
  /** Characters of inspect output read per batch. */
  chars: number;
  /** CPU ms per batch, best round: the reader, and JSON.parse of the same values' JSON. */
  readerMs: number;
  baselineMs: number;
  /** baselineMs / readerMs. */
  ratio: number;
}

export const runInspectReaderBench = (
  kind: InspectBatchKind,
  rounds = 5,
  msPerRound = 300,
): InspectReaderResult => {
  const spans = inspectSpans(kind);
  if (spans.length === 0) throw new Error(`the ${kind} batch carries no util.inspect payloads`);
  const texts = spans.map(({ line, start, end }) => {
    const value = parseInspectLiteral(line, start, end);
    if (value === undefined) throw new Error(`unreadable inspect payload: ${line.slice(start, start + 80)}`);
    return JSON.stringify(value);
  });
  timeIt(() => readAll(spans), 200);
  timeIt(() => parseAll(texts), 200);
  let readerMs = Number.POSITIVE_INFINITY;
  let baselineMs = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    readerMs = Math.min(readerMs, timeIt(() => readAll(spans), msPerRound).cpu);
    baselineMs = Math.min(baselineMs, timeIt(() => parseAll(texts), msPerRound).cpu);
  }
  return {
    kind,
    payloads: spans.length,
    chars: spans.reduce((sum, { start, end }) => sum + end - start, 0),
    readerMs,
    baselineMs,
    ratio: baselineMs / readerMs,
  };
};
