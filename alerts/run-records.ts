/**
 * Compact per-run records: what each run of the monitor saw, kept in the incident table for the
 * weekly report (so the report needs no account-wide read permission, only the monitor's own
 * table). One item per run, keyed `run#<ISO time>#<id>`, with a TTL ({@link RUN_RECORD_RETENTION_MS}).
 *
 * - canary: per pool and app client, whether sign-in succeeded and each step's latency (ms);
 * - trigger-logs: per batch with findings, the findings by detector, trigger and pool (a batch
 *   without findings adds nothing to the report and is not written);
 * - config-audit: the findings by detector (config changes are `config-drift`).
 *
 * Nothing in a record is a token, secret or personal data: ids of pools, clients, detectors and
 * triggers, counts and milliseconds only.
 */
import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  type DynamoDBClient,
  PutItemCommand,
  ScanCommand,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import type { Finding } from '../detectors/types';
import { describeError } from '../runtime/errors';
import { lazySchema } from '../runtime/lazy-schema';
import { IncidentStoreError } from './errors';
import type { IncidentRecord } from './incident-policy';
import { fromIncidentItem } from './incident-store';
import { SILENCES_KEY, type Silence, silenceSchema } from './silences';

/** How long run records are kept, in ms (five weeks: a weekly report plus margin). */
export const RUN_RECORD_RETENTION_MS = 35 * 24 * 3_600_000;

/** The key prefix of run records in the incident table. */
export const RUN_RECORD_PREFIX = 'run#';

const countSchema = lazySchema(() =>
  z.object({
    detector: z.string(),
    trigger: z.string().optional(),
    userPoolId: z.string().optional(),
    count: z.number().int().nonnegative(),
  }),
);

export const runRecordSchema = lazySchema(() =>
  z.object({
    source: z.enum(['canary', 'trigger-logs', 'config-audit']),
    /** ISO-8601 start of the run. */
    at: z.string(),
    /** Canary: one entry per pool and app client. */
    targets: z
      .array(
        z.object({
          userPoolId: z.string(),
          clientId: z.string(),
          /** Sign-in succeeded. */
          ok: z.boolean(),
          /** Latency per step, in ms. */
          steps: z.record(z.string(), z.number().nonnegative()),
        }),
      )
      .default([]),
    findings: z.array(countSchema).default([]),
  }),
);

/** What one run saw, compactly. */
export type RunRecord = z.infer<typeof runRecordSchema>;

/** Findings counted by detector, trigger and pool. Pure. */
export const countFindings = (findings: readonly Finding[]): RunRecord['findings'] => {
  const counts = new Map<string, RunRecord['findings'][number]>();
  for (const finding of findings) {
    const key = [finding.detector, finding.trigger ?? '', finding.userPoolId ?? ''].join('\u0000');
    const seen = counts.get(key);
    if (seen !== undefined) seen.count += 1;
    else
      counts.set(key, {
        detector: finding.detector,
        ...(finding.trigger === undefined ? {} : { trigger: finding.trigger }),
        ...(finding.userPoolId === undefined ? {} : { userPoolId: finding.userPoolId }),
        count: 1,
      });
  }
  return [...counts.values()];
};

/** Where a function writes its run record; a failure is the caller's to log (it never fails a run). */
export interface RunRecorder {
  record(run: RunRecord): Promise<void>;
}

/** Everything the weekly report reads from the table. */
export interface ReportData {
  runs: RunRecord[];
  incidents: IncidentRecord[];
  silences: Silence[];
}

/** Options of {@link createDynamoDbRunRecords}. */
export interface DynamoDbRunRecordsOptions {
  client: Pick<DynamoDBClient, 'send'>;
  tableName: string;
  newId?: () => string;
}

/** Run records in the incident table; `read` scans it once (runs, incidents and silences). */
export const createDynamoDbRunRecords = ({
  client,
  tableName,
  newId = randomUUID,
}: DynamoDbRunRecordsOptions): RunRecorder & { read(since: Date): Promise<ReportData> } => ({
  async record(run) {
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            dedupKey: { S: `${RUN_RECORD_PREFIX}${run.at}#${newId().slice(0, 8)}` },
            at: { S: run.at },
            run: { S: JSON.stringify(run) },
            expiresAt: { N: String(Math.floor((Date.parse(run.at) + RUN_RECORD_RETENTION_MS) / 1000)) },
          },
        }),
      );
    } catch (error) {
      throw new IncidentStoreError(
        `Incident table ${tableName}: writing a run record failed: ${describeError(error)}`,
        {
          cause: error,
        },
      );
    }
  },
  async read(since) {
    const data: ReportData = { runs: [], incidents: [], silences: [] };
    let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
    do {
      let page: ScanCommandOutput;
      try {
        page = await client.send(
          new ScanCommand({
            TableName: tableName,
            ...(ExclusiveStartKey === undefined ? {} : { ExclusiveStartKey }),
          }),
        );
      } catch (error) {
        throw new IncidentStoreError(`Incident table ${tableName}: Scan failed: ${describeError(error)}`, {
          cause: error,
        });
      }
      for (const item of page.Items ?? []) addItem(data, item, since);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey !== undefined);
    return data;
  },
});

const addItem = (data: ReportData, item: Record<string, AttributeValue>, since: Date): void => {
  const key = item.dedupKey?.S ?? '';
  if (key.startsWith(RUN_RECORD_PREFIX)) {
    const parsed = runRecordSchema.safeParse(JSON.parse(item.run?.S ?? 'null'));
    if (parsed.success && Date.parse(parsed.data.at) >= since.getTime()) data.runs.push(parsed.data);
    return;
  }
  if (key === SILENCES_KEY) {
    const parsed = z.array(silenceSchema).safeParse(JSON.parse(item.silences?.S ?? '[]'));
    if (parsed.success) data.silences.push(...parsed.data);
    return;
  }
  if (key.startsWith('#')) return;
  try {
    data.incidents.push(fromIncidentItem(item));
  } catch {
    // An item the report cannot read is left out of the report, never a failed report.
  }
};

/** Run records in memory (tests, the demo). */
export const createMemoryRunRecords = (): RunRecorder & { runs: RunRecord[] } => {
  const runs: RunRecord[] = [];
  return {
    runs,
    record: async (run) => {
      runs.push(structuredClone(run));
    },
  };
};

/** One step of one canary target, as the canary function measures it. */
export interface CanaryStepSample {
  userPoolId: string;
  clientId: string;
  step: string;
  success: boolean;
  latencyMs: number;
}

/** The canary run's record: per pool and client, sign-in success and each step's latency. Pure. */
export const toCanaryRunRecord = (
  at: Date,
  samples: readonly CanaryStepSample[],
  findings: readonly Finding[],
): RunRecord => {
  const targets = new Map<string, RunRecord['targets'][number]>();
  for (const sample of samples) {
    const key = `${sample.userPoolId}\u0000${sample.clientId}`;
    const target = targets.get(key) ?? {
      userPoolId: sample.userPoolId,
      clientId: sample.clientId,
      ok: false,
      steps: {},
    };
    target.steps[sample.step] = Math.round(sample.latencyMs);
    if (sample.step === 'sign-in') target.ok = sample.success;
    targets.set(key, target);
  }
  return {
    source: 'canary',
    at: at.toISOString(),
    targets: [...targets.values()],
    findings: countFindings(findings),
  };
};

/** Writes the run record; a failure is logged and never fails the run (the report is the only reader). */
export const recordRun = async (
  recorder: RunRecorder | undefined,
  run: RunRecord,
  logger: { warn(message: string, extra?: Record<string, unknown>): void },
): Promise<void> => {
  if (recorder === undefined) return;
  try {
    await recorder.record(run);
  } catch (error) {
    logger.warn('Could not write the run record; the weekly report will miss this run', {
      error: describeError(error),
    });
  }
};
