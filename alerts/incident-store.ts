/**
 * Incident state: one DynamoDB item per incident, keyed by `dedupKey`, written with optimistic
 * concurrency (`ConditionExpression` on `version`, or `attribute_not_exists` for a new incident),
 * so two invocations racing on the same incident cannot both win; the loser re-reads and decides
 * again. A sparse global secondary index on `active` lists the incidents the sweep must look at
 * (open, or with a delivery still owed). Resolved, fully delivered incidents get `expiresAt` for
 * DynamoDB TTL.
 *
 * Item attributes: dedupKey, version, status (open|resolved), source, detector, severity, title,
 * finding (JSON of the redacted representative finding, without evidence), firstEvidence
 * (redacted lines), firstSeen, lastSeen, lastDetected, count, episode, healthyPasses, reopenedAt
 * (flap history), heldOpen, resolvedAt, resolution, lastNotified, notified (per sink), claim,
 * batches, active ("active" while active, absent otherwise), expiresAt, silenced (pages held by
 * silences since the last page), acknowledged (who acknowledged the episode, when). The reserved key `#silences` holds the silences (alerts/silences.ts).
 *
 * `createMemoryIncidentStore` keeps the same contract in memory (tests, the offline demo, a
 * function deployed without a table).
 */
import {
  type AttributeValue,
  type CreateTableCommandInput,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { CAUSES, DETECTOR_IDS, type Finding, SEVERITIES, WIRING_CAUSES } from '../detectors/types';
import { isConditionFailed, versionCondition } from '../runtime/dynamodb-conditions';
import { describeError } from '../runtime/errors';
import { lazySchema } from '../runtime/lazy-schema';
import { IncidentStoreError, IncidentStoreRejectedError } from './errors';
import { INCIDENT_STATUSES, type IncidentRecord, SINK_NOTICE_ACTIONS } from './incident-policy';
import { ALERT_ACTIONS, CHECK_SOURCES } from './types';

/** Reads and conditional writes of incident records. */
export interface IncidentStore {
  /** `dynamodb` or `memory`. */
  readonly kind: string;
  /** The stored record (strongly consistent), or `undefined`. */
  get(dedupKey: string): Promise<IncidentRecord | undefined>;
  /**
   * Writes `record` if the stored version is `expectedVersion` (`undefined`: only if no record
   * exists). Resolves `false` when another writer got there first; rejects with
   * IncidentStoreError when the store is unavailable, IncidentStoreRejectedError when it refuses
   * the request as invalid (a bug, not an outage).
   */
  put(record: IncidentRecord, expectedVersion: number | undefined): Promise<boolean>;
  /** Keys of the records marked active (open, delivering, or owing a resolve). */
  listActive(): Promise<string[]>;
}

/** The incident table of a deployed stage (serverless.yml names it so). */
export const incidentTableName = (stage: string): string => `cognito-sentinel-${stage}-incidents`;

/** Name of the sparse index over active incidents. */
export const ACTIVE_INDEX = 'active-incidents';
const ACTIVE_VALUE = 'active';

/**
 * The table the DynamoDB store expects (serverless.yml declares the same): on-demand, key
 * `dedupKey`, sparse index {@link ACTIVE_INDEX} on `active` (keys only), TTL on `expiresAt`
 * (enable it separately with UpdateTimeToLive).
 */
export const incidentTableDefinition = (TableName: string): CreateTableCommandInput => ({
  TableName,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'dedupKey', AttributeType: 'S' },
    { AttributeName: 'active', AttributeType: 'S' },
  ],
  KeySchema: [{ AttributeName: 'dedupKey', KeyType: 'HASH' }],
  GlobalSecondaryIndexes: [
    {
      IndexName: ACTIVE_INDEX,
      KeySchema: [{ AttributeName: 'active', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
  ],
});

// --- item <-> record ------------------------------------------------------------------------------

type Plain = string | number | boolean | Plain[] | { [key: string]: Plain | undefined } | undefined;

const toAttribute = (value: Plain): AttributeValue | undefined => {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value))
    return { L: value.map(toAttribute).filter((item): item is AttributeValue => item !== undefined) };
  const map: Record<string, AttributeValue> = {};
  for (const [key, item] of Object.entries(value)) {
    const attribute = toAttribute(item);
    if (attribute !== undefined) map[key] = attribute;
  }
  return { M: map };
};

const fromAttribute = (attribute: AttributeValue): unknown => {
  if (attribute.S !== undefined) return attribute.S;
  if (attribute.N !== undefined) return Number(attribute.N);
  if (attribute.BOOL !== undefined) return attribute.BOOL;
  if (attribute.L !== undefined) return attribute.L.map(fromAttribute);
  if (attribute.M !== undefined)
    return Object.fromEntries(Object.entries(attribute.M).map(([key, item]) => [key, fromAttribute(item)]));
  if (attribute.NULL) return undefined;
  return undefined;
};

const findingSchema = lazySchema(() =>
  z
    .object({
      detector: z.enum(DETECTOR_IDS),
      severity: z.enum(SEVERITIES),
      title: z.string(),
      dedupKey: z.string(),
      runbook: z.string(),
      cause: z.enum([...CAUSES, ...WIRING_CAUSES]).optional(),
    })
    .loose(),
);

const isoTime = lazySchema(() =>
  z.string().refine((text) => Number.isFinite(Date.parse(text)), 'expected an ISO-8601 time'),
);

const itemSchema = lazySchema(() =>
  z.object({
    dedupKey: z.string().min(1),
    version: z.number().int().nonnegative(),
    status: z.enum(INCIDENT_STATUSES),
    source: z.enum(CHECK_SOURCES),
    detector: z.enum(DETECTOR_IDS),
    severity: z.enum(SEVERITIES),
    title: z.string(),
    finding: z.string().transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'finding is not JSON' });
        return z.NEVER;
      }
    }),
    firstEvidence: z.array(z.string()).default([]),
    firstSeen: isoTime,
    lastSeen: isoTime,
    lastDetected: isoTime,
    count: z.number().int().nonnegative(),
    episode: z.number().int().positive(),
    healthyPasses: z.number().int().nonnegative(),
    reopenedAt: z.array(isoTime).default([]),
    heldOpen: z.boolean().default(false),
    resolvedAt: isoTime.optional(),
    resolution: z.string().optional(),
    lastNotified: isoTime.optional(),
    notified: z
      .record(
        z.string(),
        z.object({ action: z.enum(SINK_NOTICE_ACTIONS), at: isoTime, episode: z.number().int().positive() }),
      )
      .default({}),
    claim: z
      .object({
        id: z.string(),
        action: z.enum(ALERT_ACTIONS),
        sinks: z.array(z.string()),
        episode: z.number().int().positive(),
        until: isoTime,
      })
      .optional(),
    batches: z.array(z.string()).default([]),
    active: z.literal(ACTIVE_VALUE).optional(),
    expiresAt: z.number().int().optional(),
    silenced: z
      .object({
        pages: z.number().int().positive(),
        silenceId: z.string(),
        reason: z.string(),
        by: z.string(),
        until: isoTime,
        at: isoTime,
      })
      .optional(),
    acknowledged: z.object({ by: z.string(), at: isoTime, episode: z.number().int().positive() }).optional(),
  }),
);

/** The DynamoDB item of a record. Exported for tests. */
export const toIncidentItem = (record: IncidentRecord): Record<string, AttributeValue> => {
  const { finding, active, ...rest } = record;
  const { evidence, ...findingWithoutEvidence } = finding;
  const plain: Record<string, Plain> = {
    ...(rest as unknown as Record<string, Plain>),
    finding: JSON.stringify(findingWithoutEvidence),
    firstEvidence: evidence,
    ...(active ? { active: ACTIVE_VALUE } : {}),
  };
  return (toAttribute(plain) as { M: Record<string, AttributeValue> }).M;
};

/** The record of a DynamoDB item; throws IncidentStoreError naming the key and the bad attribute. */
export const fromIncidentItem = (item: Record<string, AttributeValue>): IncidentRecord => {
  const raw = fromAttribute({ M: item }) as Record<string, unknown>;
  const parsed = itemSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new IncidentStoreError(
      `Incident item ${String(raw.dedupKey)} is not an incident record: ${problems}`,
    );
  }
  const finding = findingSchema.safeParse(parsed.data.finding);
  if (!finding.success)
    throw new IncidentStoreError(`Incident item ${parsed.data.dedupKey} holds a malformed finding`);
  const { firstEvidence, active, finding: _finding, ...rest } = parsed.data;
  return {
    ...rest,
    finding: { ...(finding.data as unknown as Finding), evidence: firstEvidence },
    active: active === ACTIVE_VALUE,
  };
};

// --- DynamoDB ------------------------------------------------------------------------------------

/** Options of {@link createDynamoDbIncidentStore}. */
export interface DynamoDbIncidentStoreOptions {
  client: Pick<DynamoDBClient, 'send'>;
  tableName: string;
}

/** Incident state in a DynamoDB table shaped like {@link incidentTableDefinition}. */
export const createDynamoDbIncidentStore = ({
  client,
  tableName,
}: DynamoDbIncidentStoreOptions): IncidentStore => {
  const fail = (what: string, error: unknown): never => {
    const message = `Incident table ${tableName}: ${what} failed: ${describeError(error)}`;
    if ((error as Error | undefined)?.name === 'ValidationException')
      throw new IncidentStoreRejectedError(message, { cause: error });
    throw new IncidentStoreError(message, { cause: error });
  };
  return {
    kind: 'dynamodb',
    async get(dedupKey) {
      const { Item } = await client
        .send(
          new GetItemCommand({
            TableName: tableName,
            Key: { dedupKey: { S: dedupKey } },
            ConsistentRead: true,
          }),
        )
        .catch((error: unknown) => fail(`GetItem ${dedupKey}`, error));
      return Item === undefined ? undefined : fromIncidentItem(Item);
    },
    async put(record, expectedVersion) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: toIncidentItem(record),
            ...versionCondition('dedupKey', expectedVersion),
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailed(error)) return false;
        return fail(`PutItem ${record.dedupKey}`, error);
      }
    },
    async listActive() {
      const keys: string[] = [];
      let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await client
          .send(
            new QueryCommand({
              TableName: tableName,
              IndexName: ACTIVE_INDEX,
              KeyConditionExpression: '#active = :active',
              ExpressionAttributeNames: { '#active': 'active' },
              ExpressionAttributeValues: { ':active': { S: ACTIVE_VALUE } },
              ...(ExclusiveStartKey === undefined ? {} : { ExclusiveStartKey }),
            }),
          )
          .catch((error: unknown) => fail(`Query ${ACTIVE_INDEX}`, error));
        for (const item of page.Items ?? []) if (item.dedupKey?.S !== undefined) keys.push(item.dedupKey.S);
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey !== undefined);
      return keys;
    },
  };
};

// --- memory --------------------------------------------------------------------------------------

/** Incident state in memory, with the same conditional-write contract. Lives as long as the process. */
export const createMemoryIncidentStore = (): IncidentStore & { records(): IncidentRecord[] } => {
  const records = new Map<string, IncidentRecord>();
  return {
    kind: 'memory',
    async get(dedupKey) {
      const record = records.get(dedupKey);
      return record === undefined ? undefined : structuredClone(record);
    },
    async put(record, expectedVersion) {
      const current = records.get(record.dedupKey);
      if (expectedVersion === undefined ? current !== undefined : current?.version !== expectedVersion)
        return false;
      records.set(record.dedupKey, structuredClone(record));
      return true;
    },
    async listActive() {
      return [...records.values()].filter((record) => record.active).map((record) => record.dedupKey);
    },
    records: () => [...records.values()].map((record) => structuredClone(record)),
  };
};
