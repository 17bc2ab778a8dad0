/**
 * `report` end to end on moto_server: run records written the way the functions write them, an
 * incident and a silence in the same table; the CLI's Markdown and what the weekly schedule
 * publishes to the alert topic are the same text.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDynamoDbIncidentStore } from '../../alerts/incident-store';
import { createAlertPipeline } from '../../alerts/pipeline';
import { createDynamoDbRunRecords, toCanaryRunRecord } from '../../alerts/run-records';
import { createDynamoDbSilenceStore } from '../../alerts/silences';
import { createSnsSink } from '../../alerts/sinks/sns';
import { sendWeeklyReport } from '../../alerts/weekly-report';
import { report } from '../../cli/report';
import { incidentTableName } from '../../cli/silence';
import { awsClientConfig, readSnsNotifications } from '../../demo/local/moto';
import { createHandler } from '../../functions/incident-sweep';
import { POOL } from '../alerts/findings';
import { recordingLogger, seedAt } from '../alerts/support';
import { captureIo as recordIo } from '../support/capture-io';
import { incidentTableOnMoto } from '../support/incident-table-moto';
import { startMotoForFile } from '../support/moto';
import { runMain, usageRefusal } from '../support/run-main';

const STAGE = 'test';
const TABLE = incidentTableName(STAGE);
const CLIENT = '4i2oaatugssocd44d40kb55kni';
const HOUR = 3_600_000;
const NOW = new Date('2024-06-10T08:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);

const captureIo = () => recordIo({ env: { AWS_REGION: 'us-east-1' } });

describe('report usage', () => {
  it.each([
    [['--format', 'md'], /--stage/],
    [['--stage', STAGE, '--format', 'pdf'], /--format/],
    [['--stage', STAGE, '--since', 'a week'], /--since/],
  ])('refuses %j with exit 2', async (argv, message) => {
    expect(await runMain(['report', ...argv])).toMatchObject(usageRefusal(message));
  });
});

const moto = await startMotoForFile();

describe.runIf(moto)('report on moto_server', () => {
  const { endpoint, dynamodb, sns, freshStart } = incidentTableOnMoto(moto);
  let topic = '';

  beforeEach(async () => {
    [topic = ''] = await freshStart(TABLE, 'cognito-sentinel-alerts');
    const records = createDynamoDbRunRecords({ client: dynamodb, tableName: TABLE });
    // 20 canary runs over the week: sign-in 100..290 ms, the 5th and 15th runs fail.
    for (let i = 0; i < 20; i += 1) {
      const at = ago((20 - i) * 8 * HOUR);
      await records.record(
        toCanaryRunRecord(
          at,
          [
            {
              userPoolId: POOL,
              clientId: CLIENT,
              step: 'sign-in',
              success: i !== 4 && i !== 14,
              latencyMs: 100 + i * 10,
            },
            { userPoolId: POOL, clientId: CLIENT, step: 'refresh', success: true, latencyMs: 50 },
          ],
          [],
        ),
      );
    }
    // A run record older than the window is left out.
    await records.record(
      toCanaryRunRecord(
        ago(9 * 24 * HOUR),
        [{ userPoolId: POOL, clientId: CLIENT, step: 'sign-in', success: false, latencyMs: 9_999 }],
        [],
      ),
    );
    await records.record({
      source: 'trigger-logs',
      at: ago(30 * HOUR).toISOString(),
      targets: [],
      findings: [{ detector: 'trigger-response-invalid', trigger: 'PreSignUp', userPoolId: POOL, count: 7 }],
    });
    // One incident opened and resolved 45 minutes later, through the real pipeline and store.
    const pipeline = createAlertPipeline({
      store: createDynamoDbIncidentStore({ client: dynamodb, tableName: TABLE }),
      sinks: [createSnsSink({ client: sns, topicArn: topic })],
      logger: recordingLogger().logger,
      policy: { quietWindowMs: 30 * 60_000 },
    });
    const opened = ago(48 * HOUR).getTime();
    await pipeline.handle({
      source: 'trigger-logs',
      findings: [seedAt(0, { timestamp: new Date(opened).toISOString() })],
      passed: [],
      now: new Date(opened),
    });
    await pipeline.sweep(new Date(opened + 45 * 60_000));
    await createDynamoDbSilenceStore({ client: dynamodb, tableName: TABLE }).add({
      id: 's-deploy',
      userPoolId: POOL,
      startsAt: ago(72 * HOUR).toISOString(),
      endsAt: ago(70 * HOUR).toISOString(),
      reason: 'planned change',
      createdBy: 'alice',
      createdAt: ago(72 * HOUR).toISOString(),
    });
  });

  const cliReport = async () => {
    const { io, out } = captureIo();
    const code = await report(['--stage', STAGE, '--format', 'md'], io, {
      dynamodb: () => new DynamoDBClient(awsClientConfig(endpoint)),
      now: () => NOW,
    });
    return { code, text: out() };
  };

  it('prints the success rate, the percentiles and the sparkline from the seeded run records', async () => {
    const { code, text } = await cliReport();
    expect(code).toBe(0);
    expect(text).toContain(`| ${POOL} | ${CLIENT} | 20 | 18 | 90.00% |`);
    // Nearest rank over 100, 110, ..., 290: p50 is the 10th value, p95 the 19th.
    expect(text).toMatch(
      new RegExp(`\\| ${POOL} \\| ${CLIENT} \\| sign-in \\| 190 ms \\| 280 ms \\| [▁▂▃▄▅▆▇█ ]+ \\|`),
    );
    const spark = /sign-in \| 190 ms \| 280 ms \| ([^|]+) \|/.exec(text)?.[1]?.trim() ?? '';
    expect(spark.startsWith('▁')).toBe(true);
    expect(spark.endsWith('█')).toBe(true);
    expect(text).toContain('1 opened, 1 resolved; time to resolve: median 45 min');
    expect(text).toContain('| trigger-response-invalid | PreSignUp | 7 |');
    expect(text).toContain('| s-deploy |');
    expect(text).toContain('alice');
    expect(text).not.toContain('9999');
  });

  it('is what the weekly schedule publishes to the alert topic', async () => {
    const { text } = await cliReport();
    const records = createDynamoDbRunRecords({ client: dynamodb, tableName: TABLE });
    const handler = createHandler({
      alerts: { sweep: async () => ({ alerts: 0, delivered: [], failed: [], incidents: [] }) },
      logger: { debug() {}, info() {}, warn() {}, error() {} } as never,
      now: () => NOW,
      weeklyReport: (now) =>
        sendWeeklyReport({
          read: (since) => records.read(since),
          publisher: {
            publish: async (Subject, Message) => {
              const { PublishCommand } = await import('@aws-sdk/client-sns');
              await sns.send(new PublishCommand({ TopicArn: topic, Subject, Message }));
            },
          },
          now,
          stage: STAGE,
        }),
    });
    const before = (await readSnsNotifications(endpoint)).length;
    await handler({ cognitoSentinel: 'weekly-report' }, {} as never);
    const published = (await readSnsNotifications(endpoint)).slice(before);
    expect(published).toHaveLength(1);
    expect(published[0]?.subject).toBe('cognito-sentinel weekly report (test)');
    expect(published[0]?.message).toBe(text);
  });
});
