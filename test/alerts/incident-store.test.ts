import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { IncidentStoreError } from '../../alerts/errors';
import { DEFAULT_INCIDENT_POLICY, decideOnSighting, type IncidentRecord } from '../../alerts/incident-policy';
import {
  createDynamoDbIncidentStore,
  createMemoryIncidentStore,
  fromIncidentItem,
  type IncidentStore,
  incidentTableDefinition,
  toIncidentItem,
} from '../../alerts/incident-store';
import { toAlerts } from '../../alerts/to-alerts';
import { awsClientConfig } from '../../demo/local/moto';
import { startMotoForFile } from '../support/moto';
import { presignupFinding } from './findings';

const TABLE = 'cognito-sentinel-incidents';
const NOW = new Date('2024-06-03T09:40:00.000Z');

const newRecord = (dedupKey = 'incident-a'): IncidentRecord => {
  const [alert] = toAlerts([presignupFinding({ dedupKey })]);
  if (alert === undefined) throw new Error('no alert');
  const decision = decideOnSighting(
    undefined,
    {
      source: 'trigger-logs',
      detector: alert.detector,
      severity: alert.severity,
      title: alert.title,
      finding: alert.finding,
      occurrences: 4,
      firstSeen: '2024-06-03T09:35:12.345Z',
      lastSeen: '2024-06-03T09:39:00.000Z',
      fingerprint: 'f1',
    },
    { now: NOW, policy: DEFAULT_INCIDENT_POLICY, sinks: ['pagerduty'], claimId: 'claim-1' },
  );
  if (decision.next === undefined) throw new Error('no record');
  return decision.next;
};

describe('incident items', () => {
  it('round-trips a record through its DynamoDB item', () => {
    const record: IncidentRecord = {
      ...newRecord(),
      notified: { pagerduty: { action: 'trigger', at: NOW.toISOString(), episode: 1 } },
      lastNotified: NOW.toISOString(),
      reopenedAt: ['2024-06-03T08:00:00.000Z'],
      resolution: 'no recurrence for 15 min',
      acknowledged: { by: 'alice', at: NOW.toISOString(), episode: 1 },
    };
    expect(fromIncidentItem(toIncidentItem(record))).toEqual(record);
  });

  it('stores the first evidence as its own readable attribute, and the status and key at the top level', () => {
    const item = toIncidentItem(newRecord());
    expect(item.firstEvidence?.L?.[0]?.S).toContain("autoConfirmUser: 'true'");
    expect(item).toMatchObject({
      dedupKey: { S: 'incident-a' },
      status: { S: 'open' },
      count: { N: '4' },
      active: { S: 'active' },
    });
    expect(JSON.parse(item.finding?.S ?? '{}')).not.toHaveProperty('evidence');
  });

  it('leaves `active` out of an inactive record so the sparse index drops it', () => {
    expect(toIncidentItem({ ...newRecord(), active: false })).not.toHaveProperty('active');
  });

  it('names the key and attribute of an item that is not an incident', () => {
    const item = toIncidentItem(newRecord());
    expect(() => fromIncidentItem({ ...item, status: { S: 'maybe' } })).toThrow(IncidentStoreError);
    expect(() => fromIncidentItem({ ...item, status: { S: 'maybe' } })).toThrow(/incident-a .*status/);
  });
});

/** The conditional-write contract every store keeps. */
const contract = (name: string, make: () => Promise<IncidentStore>) =>
  describe(`${name} incident store`, () => {
    let store: IncidentStore;
    beforeEach(async () => {
      store = await make();
    });

    it('returns undefined for an unknown incident', async () => {
      expect(await store.get('nope')).toBeUndefined();
    });

    it('creates an incident only when none exists', async () => {
      const record = newRecord();
      expect(await store.put(record, undefined)).toBe(true);
      expect(await store.put(record, undefined)).toBe(false);
      expect(await store.get('incident-a')).toEqual(record);
    });

    it('updates only from the version it read', async () => {
      const record = newRecord();
      await store.put(record, undefined);
      const next = { ...record, version: record.version + 1, count: 9 };
      expect(await store.put({ ...next, count: 7 }, record.version + 5)).toBe(false);
      expect(await store.put(next, record.version)).toBe(true);
      expect(await store.put({ ...next, version: next.version + 1 }, record.version)).toBe(false);
      expect((await store.get('incident-a'))?.count).toBe(9);
    });

    it('lets exactly one of two racing creators win', async () => {
      const results = await Promise.all([
        store.put(newRecord(), undefined),
        store.put(newRecord(), undefined),
      ]);
      expect(results.sort()).toEqual([false, true]);
    });

    it('lists the active incidents only', async () => {
      await store.put(newRecord('incident-a'), undefined);
      await store.put({ ...newRecord('incident-b'), active: false, status: 'resolved' }, undefined);
      await store.put(newRecord('incident-c'), undefined);
      expect((await store.listActive()).sort()).toEqual(['incident-a', 'incident-c']);
    });
  });

contract('memory', async () => createMemoryIncidentStore());

const moto = await startMotoForFile();

describe.runIf(moto)('DynamoDB (moto_server)', () => {
  const client = new DynamoDBClient(awsClientConfig(moto?.endpoint ?? ''));

  contract('DynamoDB', async () => {
    await moto?.reset();
    await client.send(new CreateTableCommand(incidentTableDefinition(TABLE)));
    return createDynamoDbIncidentStore({ client, tableName: TABLE });
  });

  it('reports a missing table as IncidentStoreError naming the table and the call', async () => {
    await moto?.reset();
    const store = createDynamoDbIncidentStore({ client, tableName: 'missing-table' });
    await expect(store.get('incident-a')).rejects.toBeInstanceOf(IncidentStoreError);
    await expect(store.get('incident-a')).rejects.toThrow(
      /Incident table missing-table: GetItem incident-a failed/,
    );
  });

  it('refuses an item that is not an incident record', async () => {
    await moto?.reset();
    await client.send(new CreateTableCommand(incidentTableDefinition(TABLE)));
    await client.send(
      new PutItemCommand({ TableName: TABLE, Item: { dedupKey: { S: 'junk' }, version: { N: '1' } } }),
    );
    await expect(createDynamoDbIncidentStore({ client, tableName: TABLE }).get('junk')).rejects.toThrow(
      /Incident item junk is not an incident record/,
    );
  });
});
