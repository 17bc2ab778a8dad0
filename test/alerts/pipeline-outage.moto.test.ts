/**
 * The alert pipeline when its backends fail for real: DynamoDB and SNS behind TCP proxies that
 * refuse connections (a closed port) or black-hole them (accept, never answer), in front of
 * moto_server; PagerDuty through its local stand-in. Clients are built by the production factory
 * (runtime/aws-client-options.ts) with short budgets, so a hang shows as a test that never settles
 * (the vitest timeout is only a guard); what is asserted is the decision each invocation ends with.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AlertDeliveryError, IncidentStoreRejectedError } from '../../alerts/errors';
import { createDynamoDbIncidentStore, incidentTableDefinition } from '../../alerts/incident-store';
import { type AlertMetricName, createAlertPipeline } from '../../alerts/pipeline';
import { createSnsSink } from '../../alerts/sinks/sns';
import { awsClientConfig, readSnsNotifications, startMoto } from '../../demo/local/moto';
import { awsClientOptions } from '../../runtime/aws-client-options';
import { type PagerDutyServer, startPagerDutyServer } from '../support/pagerduty-server';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { POOL } from './findings';
import { at, fastPagerDutySink, logsReport, recordingLogger, SEED_DEDUP_KEY, seedAt } from './support';

const TABLE = 'cognito-sentinel-incidents';
const OTHER = `trigger-response-invalid:${POOL}:PreSignUp:response.autoVerifyEmail`;
const MINUTE = 60_000;
/** Short budgets so a black-holed call fails fast here; production uses the same factory with longer ones. */
const SHORT = { connectionTimeoutMs: 200, requestTimeoutMs: 400, maxAttempts: 2 };
/** Hang guard only: every test settles far sooner when nothing hangs. */
const GUARD_MS = 60_000;

const moto = await startMoto();
let pd: PagerDutyServer;
let dynamoProxy: TcpProxy;
let snsProxy: TcpProxy;
beforeAll(async () => {
  pd = await startPagerDutyServer();
  if (moto !== undefined) {
    dynamoProxy = await startTcpProxy(moto.endpoint);
    snsProxy = await startTcpProxy(moto.endpoint);
  }
});
afterAll(async () => {
  await pd?.close();
  await dynamoProxy?.close();
  await snsProxy?.close();
  await moto?.stop();
});

describe.runIf(moto)('alert pipeline with DynamoDB or SNS refusing or black-holed (moto_server)', () => {
  const endpoint = moto?.endpoint ?? '';
  const admin = new DynamoDBClient(awsClientConfig(endpoint));
  const adminSns = new SNSClient(awsClientConfig(endpoint));
  let topic = '';

  beforeEach(async () => {
    pd.reset();
    await dynamoProxy.setMode('forward');
    await snsProxy.setMode('forward');
    await moto?.reset();
    await admin.send(new CreateTableCommand(incidentTableDefinition(TABLE)));
    topic = (await adminSns.send(new CreateTopicCommand({ Name: 'cognito-sentinel-alerts' }))).TopicArn ?? '';
  });

  /** One Lambda container: clients from the production factory (short budgets), behind the proxies. */
  const container = (tableName = TABLE) => {
    const { logger, lines } = recordingLogger();
    const counted: Partial<Record<AlertMetricName, number>> = {};
    const pipeline = createAlertPipeline({
      store: createDynamoDbIncidentStore({
        client: new DynamoDBClient({ ...awsClientConfig(dynamoProxy.endpoint), ...awsClientOptions(SHORT) }),
        tableName,
      }),
      sinks: [
        fastPagerDutySink(pd.endpoint),
        createSnsSink({
          client: new SNSClient({ ...awsClientConfig(snsProxy.endpoint), ...awsClientOptions(SHORT) }),
          topicArn: topic,
        }),
      ],
      logger,
      metrics: { count: (name, value) => (counted[name] = (counted[name] ?? 0) + value) },
    });
    return { pipeline, lines, counted };
  };

  const emails = async () =>
    (await readSnsNotifications(endpoint))
      .filter((n) => n.topicArn === topic)
      .map((n) => `${n.messageAttributes.action?.Value}`);
  /** A real record, as the pipeline writes it. */
  const seedRecord = async () => {
    await container().pipeline.handle(logsReport([seedAt(0)], 1_000));
    const record = await stored(SEED_DEDUP_KEY);
    if (record === undefined) throw new Error('no record written');
    return record;
  };
  const stored = (key: string) => createDynamoDbIncidentStore({ client: admin, tableName: TABLE }).get(key);

  it(
    'DynamoDB black-holed: the invocation settles having paged without state, and records the page once the table answers',
    async () => {
      await dynamoProxy.setMode('blackhole');
      const { pipeline, counted } = container();
      const report = await pipeline.handle(logsReport([seedAt(0)], 1_000));
      expect(dynamoProxy.blackholed).toBeGreaterThan(0);
      expect(report.incidents).toEqual([
        { dedupKey: SEED_DEDUP_KEY, action: 'trigger', reason: 'store unavailable; paged without state' },
      ]);
      expect(pd.accepted('trigger')).toHaveLength(1);
      expect(await emails()).toEqual(['trigger']);
      expect(counted.IncidentStoreUnavailable).toBe(1);

      await dynamoProxy.setMode('forward');
      await pipeline.handle(logsReport([], 2 * MINUTE));
      expect(await stored(SEED_DEDUP_KEY)).toMatchObject({
        status: 'open',
        count: 1,
        notified: {
          pagerduty: { action: 'trigger', episode: 1 },
          'sns:cognito-sentinel-alerts': { action: 'trigger' },
        },
      });
    },
    GUARD_MS,
  );

  it(
    'SNS black-holed after PagerDuty took the page: the page is recorded, SNS is owed it and gets it once back',
    async () => {
      await snsProxy.setMode('blackhole');
      const { pipeline } = container();
      const report = await pipeline.handle(logsReport([seedAt(0)], 1_000));
      expect(report.delivered.map(({ sink }) => sink)).toEqual(['pagerduty']);
      expect(report.failed.map(({ sink }) => sink)).toEqual(['sns:cognito-sentinel-alerts']);
      expect(Object.keys((await stored(SEED_DEDUP_KEY))?.notified ?? {})).toEqual(['pagerduty']);

      await snsProxy.setMode('forward');
      await container().pipeline.sweep(at(MINUTE));
      expect(pd.accepted('trigger')).toHaveLength(1);
      expect(await emails()).toEqual(['trigger']);
    },
    GUARD_MS,
  );

  it(
    'DynamoDB and SNS black-holed and PagerDuty failing: the invocation settles by throwing AlertDeliveryError',
    async () => {
      await dynamoProxy.setMode('blackhole');
      await snsProxy.setMode('blackhole');
      pd.mode = '500';
      const error = await container()
        .pipeline.handle(logsReport([seedAt(0)], 1_000))
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AlertDeliveryError);
      expect((error as Error).message).toMatch(/sns:cognito-sentinel-alerts: AlertSinkError: .*TimeoutError/);
    },
    GUARD_MS,
  );

  it(
    'DynamoDB refusing connections, then back: one page per incident, counts merged, and the one that went quiet during the outage resolves',
    async () => {
      await dynamoProxy.setMode('refuse');
      const { pipeline, counted } = container();
      for (let minute = 0; minute < 5; minute += 1) {
        const findings = [seedAt(minute * MINUTE)];
        if (minute === 1)
          findings.push(seedAt(minute * MINUTE + 10, { dedupKey: OTHER, field: 'response.autoVerifyEmail' }));
        await pipeline.handle(logsReport(findings, minute * MINUTE + 1_000));
      }
      expect(pd.accepted('trigger').map((event) => event.dedup_key)).toEqual([SEED_DEDUP_KEY, OTHER]);
      expect(await emails()).toEqual(['trigger', 'trigger']);
      expect(counted.IncidentStoreUnavailable).toBe(5);
      expect(counted.AlertPathDegraded).toBe(5);

      // The table is back at minute 20; the same container sees the incident again.
      await dynamoProxy.setMode('forward');
      await pipeline.handle(logsReport([seedAt(20 * MINUTE)], 20 * MINUTE + 1_000));
      expect(await stored(SEED_DEDUP_KEY)).toMatchObject({ status: 'open', count: 6 });
      expect(pd.accepted('trigger')).toHaveLength(2);
      // The other one went quiet at minute 1: once recorded, it resolves in the same run.
      expect(await stored(OTHER)).toMatchObject({ status: 'resolved', count: 1 });
      expect(pd.alerts.get(OTHER)).toMatchObject({ status: 'resolved' });

      // The sweep (another function, another container) resolves the first once quiet.
      await container().pipeline.sweep(at(40 * MINUTE));
      expect(
        pd
          .accepted('resolve')
          .map((event) => event.dedup_key)
          .sort(),
      ).toEqual([SEED_DEDUP_KEY, OTHER].sort());
      expect(await emails()).toEqual(['trigger', 'trigger', 'resolve', 'resolve']);
      expect(await stored(SEED_DEDUP_KEY)).toMatchObject({ status: 'resolved', count: 6, active: false });
      expect(await stored(OTHER)).toMatchObject({ status: 'resolved', active: false });
    },
    GUARD_MS,
  );

  it(
    'a ValidationException is a bug, not an outage: the page goes out once, the error is logged and counted, the invocation fails',
    async () => {
      // A table whose key is not `dedupKey`: every read and write is refused as invalid by DynamoDB (moto).
      const definition = incidentTableDefinition('wrong-schema');
      await admin.send(
        new CreateTableCommand({
          ...definition,
          AttributeDefinitions: [
            { AttributeName: 'id', AttributeType: 'S' },
            { AttributeName: 'active', AttributeType: 'S' },
          ],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        }),
      );
      const { pipeline, lines, counted } = container('wrong-schema');
      for (let minute = 0; minute < 3; minute += 1) {
        const error = await pipeline
          .handle(logsReport([seedAt(minute * MINUTE)], minute * MINUTE + 1_000))
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(IncidentStoreRejectedError);
      }
      expect(pd.accepted('trigger')).toHaveLength(1);
      expect(await emails()).toEqual(['trigger']);
      expect(counted.IncidentStoreRejected).toBe(3);
      expect(counted.AlertPathDegraded).toBe(3);
      expect(counted.IncidentStoreUnavailable).toBeUndefined();
      expect(lines.filter((line) => line.message.startsWith('Incident store refused'))).toHaveLength(3);
      expect(lines.some((line) => line.message.startsWith('Incident store unavailable'))).toBe(false);
    },
    GUARD_MS,
  );

  it('the store reports a key over DynamoDB’s limit as refused (ValidationException), not as unavailable', async () => {
    const store = createDynamoDbIncidentStore({ client: admin, tableName: TABLE });
    const record = { ...(await seedRecord()), dedupKey: 'k'.repeat(3_000) };
    const error = await store.put(record, undefined).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IncidentStoreRejectedError);
    expect((error as Error).message).toContain('ValidationException');
  });
});
