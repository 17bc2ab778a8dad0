/**
 * Silences and maintenance windows: while one matches an incident, its pages are held (the
 * incident is still recorded and counted); the held page goes out when the silence ends if the
 * incident is still open (see `holdForSilence` in incident-policy.ts and the sweep).
 *
 * Two kinds, one shape:
 * - a silence set from the CLI (`cognito-sentinel silence`), kept in the incident table under the
 *   reserved key {@link SILENCES_KEY} (one item holding the list, written conditionally on its
 *   version; each silence carries its end, the item carries a TTL past the last one);
 * - a recurring maintenance window from sentinel.config.yml (`alerts.maintenanceWindows`), turned
 *   into a silence while it is open ({@link toWindowSilences}).
 *
 * A silence always names a pool, and matches only findings about that pool (optionally one
 * detector, one app client). The monitor's own CloudWatch alarms (function errors, the
 * failed-invocations queue, the incident store) publish to the alert topic directly and never pass
 * through here, so no silence can hide them.
 */
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import type { MaintenanceWindow } from '../config/alerts-config';
import type { Finding } from '../detectors/types';
import { isConditionFailed, versionCondition } from '../runtime/dynamodb-conditions';
import { describeError } from '../runtime/errors';
import { lazySchema } from '../runtime/lazy-schema';
import { IncidentStoreError } from './errors';

/** The incident-table key of the item holding the silences (incident keys never start with `#`). */
export const SILENCES_KEY = '#silences';

/** How long an ended silence is kept (for `silence list` and the weekly report), in ms. */
export const SILENCE_RETENTION_MS = 35 * 24 * 3_600_000;

/** The longest silence the CLI sets, in ms (a longer quiet period is a config change, not a silence). */
export const MAX_SILENCE_MS = 14 * 24 * 3_600_000;

const isoTime = lazySchema(() =>
  z.string().refine((text) => Number.isFinite(Date.parse(text)), 'expected an ISO-8601 time'),
);

export const silenceSchema = lazySchema(() =>
  z.object({
    id: z.string().min(1),
    userPoolId: z.string().min(1),
    detector: z.string().optional(),
    clientId: z.string().optional(),
    startsAt: isoTime,
    endsAt: isoTime,
    reason: z.string(),
    /** Who set it (the CLI user, or `config` for a maintenance window). */
    createdBy: z.string(),
    createdAt: isoTime,
    /** Set by `silence end`: the silence stopped early. */
    endedAt: isoTime.optional(),
    endedBy: z.string().optional(),
  }),
);

/** One silence (or an open maintenance window). */
export type Silence = z.infer<typeof silenceSchema>;

/** When the silence stops holding pages: its end, or when it was ended early. */
export const silenceEnd = (silence: Silence): number =>
  Math.min(
    Date.parse(silence.endsAt),
    silence.endedAt === undefined ? Infinity : Date.parse(silence.endedAt),
  );

/** True while the silence holds pages. */
export const isSilenceActive = (silence: Silence, now: Date): boolean =>
  Date.parse(silence.startsAt) <= now.getTime() && now.getTime() < silenceEnd(silence);

/** The first active silence that matches the finding, if any. Pure. */
export const matchSilence = (
  silences: readonly Silence[],
  finding: Pick<Finding, 'userPoolId' | 'clientId' | 'detector'>,
  now: Date,
): Silence | undefined =>
  silences.find(
    (silence) =>
      isSilenceActive(silence, now) &&
      finding.userPoolId !== undefined &&
      silence.userPoolId === finding.userPoolId &&
      (silence.detector === undefined || silence.detector === finding.detector) &&
      (silence.clientId === undefined || silence.clientId === finding.clientId),
  );

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const DAY_MS = 86_400_000;

/**
 * The maintenance windows open at `now`, as silences (UTC; a window may run past midnight). Pure.
 * Each gets the id `window:<name>:<start>` so its held pages name the occurrence.
 */
export const toWindowSilences = (windows: readonly MaintenanceWindow[], now: Date): Silence[] => {
  const silences: Silence[] = [];
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (const window of windows) {
    const [hours, minutes] = window.start.split(':').map(Number) as [number, number];
    // A window that started yesterday may still be open today.
    for (const dayStart of [today - DAY_MS, today]) {
      const weekday = WEEKDAYS[new Date(dayStart).getUTCDay()] as Weekday;
      if (!window.days.includes(weekday)) continue;
      const start = dayStart + (hours * 60 + minutes) * 60_000;
      const end = start + window.durationMinutes * 60_000;
      if (start > now.getTime() || now.getTime() >= end) continue;
      for (const userPoolId of window.pools)
        silences.push({
          id: `window:${window.name}:${new Date(start).toISOString()}`,
          userPoolId,
          ...(window.detector === undefined ? {} : { detector: window.detector }),
          ...(window.client === undefined ? {} : { clientId: window.client }),
          startsAt: new Date(start).toISOString(),
          endsAt: new Date(end).toISOString(),
          reason: window.reason,
          createdBy: 'config (alerts.maintenanceWindows)',
          createdAt: new Date(start).toISOString(),
        });
    }
  }
  return silences;
};

/** Where silences are kept. */
export interface SilenceStore {
  /** Every silence kept (active, future and recently ended). */
  list(): Promise<Silence[]>;
  add(silence: Silence): Promise<void>;
  /** Ends a silence early; the ended silence, or `undefined` when no silence has that id. */
  end(id: string, by: string, now: Date): Promise<Silence | undefined>;
}

const storedSchema = lazySchema(() => z.array(silenceSchema));

/** Options of {@link createDynamoDbSilenceStore}. */
export interface DynamoDbSilenceStoreOptions {
  client: Pick<DynamoDBClient, 'send'>;
  tableName: string;
  /** Conditional-write attempts before giving up. Default 5. */
  maxAttempts?: number;
}

/**
 * `silences` with silence `id` ended at `now` by `by` (one that already ran out is left as it is),
 * and that silence as it now stands; `ended` is undefined when no silence has that id.
 */
const endSilence = (
  silences: readonly Silence[],
  id: string,
  by: string,
  now: Date,
): { next: Silence[]; ended: Silence | undefined } => {
  let ended: Silence | undefined;
  const next = silences.map((silence) => {
    if (silence.id !== id) return silence;
    ended =
      silenceEnd(silence) <= now.getTime()
        ? silence
        : { ...silence, endedAt: now.toISOString(), endedBy: by };
    return ended;
  });
  return { next, ended };
};

/** Silences in the incident table, one item under {@link SILENCES_KEY}. */
export const createDynamoDbSilenceStore = ({
  client,
  tableName,
  maxAttempts = 5,
}: DynamoDbSilenceStoreOptions): SilenceStore => {
  const read = async (): Promise<{ silences: Silence[]; version: number | undefined }> => {
    let item: Record<string, AttributeValue> | undefined;
    try {
      ({ Item: item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { dedupKey: { S: SILENCES_KEY } },
          ConsistentRead: true,
        }),
      ));
    } catch (error) {
      throw new IncidentStoreError(
        `Incident table ${tableName}: reading silences failed: ${describeError(error)}`,
        {
          cause: error,
        },
      );
    }
    if (item === undefined) return { silences: [], version: undefined };
    const parsed = storedSchema.safeParse(JSON.parse(item.silences?.S ?? '[]'));
    if (!parsed.success)
      throw new IncidentStoreError(`Incident table ${tableName}: the silences item is malformed`);
    return { silences: parsed.data, version: Number(item.version?.N ?? 0) };
  };

  /** Applies `change` to the stored list and writes it back, conditional on the version read. */
  const update = async <T>(change: (silences: Silence[]) => { next: Silence[]; result: T }, now: Date) => {
    for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
      const { silences, version } = await read();
      const { next, result } = change(silences);
      const kept = next.filter((silence) => silenceEnd(silence) + SILENCE_RETENTION_MS > now.getTime());
      const lastEnd = Math.max(now.getTime(), ...kept.map(silenceEnd));
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              dedupKey: { S: SILENCES_KEY },
              version: { N: String((version ?? 0) + 1) },
              silences: { S: JSON.stringify(kept) },
              expiresAt: { N: String(Math.floor((lastEnd + SILENCE_RETENTION_MS) / 1000)) },
            },
            ...versionCondition('dedupKey', version),
          }),
        );
        return result;
      } catch (error) {
        if (isConditionFailed(error)) continue;
        throw new IncidentStoreError(
          `Incident table ${tableName}: writing silences failed: ${describeError(error)}`,
          { cause: error },
        );
      }
    }
    throw new IncidentStoreError(
      `Incident table ${tableName}: silences kept changing under ${maxAttempts} writes`,
    );
  };

  return {
    list: async () => (await read()).silences,
    add: (silence) =>
      update(
        (silences) => ({ next: [...silences, silence], result: undefined }),
        new Date(silence.createdAt),
      ),
    end: (id, by, now) =>
      update((silences) => {
        const { next, ended } = endSilence(silences, id, by, now);
        return { next, result: ended };
      }, now),
  };
};

/** Silences in memory (tests, the offline demo, a function deployed without a table). */
export const createMemorySilenceStore = (initial: readonly Silence[] = []): SilenceStore => {
  let silences = [...initial];
  return {
    list: async () => structuredClone(silences),
    add: async (silence) => {
      silences = [...silences, structuredClone(silence)];
    },
    end: async (id, by, now) => {
      const { next, ended } = endSilence(silences, id, by, now);
      silences = next;
      return ended;
    },
  };
};

/** What the pipeline asks for each run: the silences in force (stored ones plus open windows). */
export type SilenceLookup = (now: Date) => Promise<readonly Silence[]>;

/** The lookup over a store and the configured maintenance windows. */
export const createSilenceLookup =
  (store: SilenceStore | undefined, windows: readonly MaintenanceWindow[] = []): SilenceLookup =>
  async (now) => [
    ...(store === undefined ? [] : (await store.list()).filter((silence) => isSilenceActive(silence, now))),
    ...toWindowSilences(windows, now),
  ];
