/**
 * The deployed audit's state in its own DynamoDB table (key `pk`): the last snapshot of each pool
 * (`snapshot#<poolId>`, gzipped JSON), the key of the secret fingerprints (`fingerprint-key`, made
 * once with a conditional write, so concurrent first runs agree on one), and each pool's recent
 * changes (`changes#<poolId>`). Nothing in it is a secret of the watched pools: a client secret is
 * only ever stored as its fingerprint.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import type { PoolSnapshot } from '../detectors/config-observations';
import type { ConfigChange, Finding } from '../detectors/types';
import { awsClientOptions } from '../runtime/aws-client-options';
import { isConditionFailed } from '../runtime/dynamodb-conditions';
import { describeError } from '../runtime/errors';
import { lazySchema } from '../runtime/lazy-schema';
import { appendChange, type ChangeLog, createChangeLogLookup } from './change-log';
import { newFingerprintKey } from './secret-fingerprint';
import { type SnapshotStore, SnapshotStoreError } from './snapshot-store';

/** Largest gzipped snapshot written, in bytes: under DynamoDB's 400 KB item limit with room to spare. */
export const MAX_SNAPSHOT_BYTES = 350 * 1024;

const KEY_ITEM = 'fingerprint-key';

export interface DynamoDbAuditStoreOptions {
  client: Pick<DynamoDBClient, 'send'>;
  tableName: string;
}

const settingValue = lazySchema(() => z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]));
const snapshotSchema = lazySchema(() =>
  z.object({
    userPoolId: z.string(),
    region: z.string(),
    takenAt: z.string(),
    sections: z.record(z.string(), z.record(z.string(), settingValue)),
  }),
);
const changesSchema = lazySchema(() =>
  z.array(
    z.object({
      eventName: z.string(),
      eventSource: z.string(),
      eventTime: z.string(),
      principal: z.string(),
      source: z.string().optional(),
      via: z.string().optional(),
      eventId: z.string().optional(),
      resource: z.string().optional(),
    }),
  ),
);

/** The table osls declares (deploy/stack.ts) and tests create: on-demand, string key `pk`. */
export const auditTableDefinition = (TableName: string) => ({
  TableName,
  BillingMode: 'PAY_PER_REQUEST' as const,
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }],
});

export const createDynamoDbAuditStore = ({
  client,
  tableName,
}: DynamoDbAuditStoreOptions): SnapshotStore & ChangeLog => {
  const fail = (what: string, error: unknown): never => {
    throw new SnapshotStoreError(`${what} in ${tableName}: ${describeError(error)}`, { cause: error });
  };
  const get = async (pk: string) => {
    try {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: { pk: { S: pk } }, ConsistentRead: true }),
      );
      return Item;
    } catch (error) {
      return fail(`Reading ${pk}`, error);
    }
  };
  let key: Promise<string> | undefined;
  return {
    fingerprintKey: () => {
      key ??= (async () => {
        const stored = (await get(KEY_ITEM))?.key?.S;
        if (stored) return stored;
        const fresh = newFingerprintKey();
        try {
          await client.send(
            new PutItemCommand({
              TableName: tableName,
              Item: { pk: { S: KEY_ITEM }, key: { S: fresh } },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
          return fresh;
        } catch (error) {
          // Another container made it first: use theirs.
          if (isConditionFailed(error)) {
            const winner = (await get(KEY_ITEM))?.key?.S;
            if (winner) return winner;
          }
          return fail('Writing the fingerprint key', error);
        }
      })();
      key.catch(() => {
        key = undefined;
      });
      return key;
    },
    load: async (userPoolId) => {
      const item = await get(`snapshot#${userPoolId}`);
      const bytes = item?.snapshot?.B;
      if (bytes === undefined) return undefined;
      try {
        return snapshotSchema.parse(JSON.parse(gunzipSync(bytes).toString('utf8'))) as PoolSnapshot;
      } catch (error) {
        // An unreadable snapshot is replaced by the next one: this run becomes a baseline.
        return fail(`Decoding snapshot#${userPoolId}`, error);
      }
    },
    save: async (snapshot) => {
      const bytes = gzipSync(JSON.stringify(snapshot));
      if (bytes.length > MAX_SNAPSHOT_BYTES)
        fail(
          `Writing snapshot#${snapshot.userPoolId}`,
          new Error(`${bytes.length} bytes gzipped, over ${MAX_SNAPSHOT_BYTES}`),
        );
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              pk: { S: `snapshot#${snapshot.userPoolId}` },
              snapshot: { B: bytes },
              takenAt: { S: snapshot.takenAt },
            },
          }),
        );
      } catch (error) {
        fail(`Writing snapshot#${snapshot.userPoolId}`, error);
      }
    },
    list: async (userPoolId) => {
      const text = (await get(`changes#${userPoolId}`))?.changes?.S;
      if (text === undefined) return [];
      const parsed = changesSchema.safeParse(JSON.parse(text));
      return parsed.success ? (parsed.data as ConfigChange[]) : [];
    },
    record: async (userPoolId, change) => {
      const text = (await get(`changes#${userPoolId}`))?.changes?.S;
      const kept = text === undefined ? [] : (changesSchema.safeParse(JSON.parse(text)).data ?? []);
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              pk: { S: `changes#${userPoolId}` },
              changes: { S: JSON.stringify(appendChange(kept as ConfigChange[], change)) },
            },
          }),
        );
      } catch (error) {
        fail(`Writing changes#${userPoolId}`, error);
      }
    },
  };
};

/** Variable naming the audit's table; set by the stack on every function that pages. */
export const AUDIT_TABLE_ENV = 'SENTINEL_AUDIT_TABLE';

/**
 * The pool's recent configuration changes for any function's pages (canary, trigger logs): from
 * the audit's table when the stack names one, else nothing.
 */
export const poolChangesFromEnv = (
  env: Readonly<Record<string, string | undefined>>,
): ((finding: Finding) => Promise<string[] | undefined>) => {
  const tableName = env[AUDIT_TABLE_ENV]?.trim();
  if (!tableName) return async () => undefined;
  return createChangeLogLookup(
    createDynamoDbAuditStore({ client: new DynamoDBClient(awsClientOptions('recentChanges')), tableName }),
  );
};
