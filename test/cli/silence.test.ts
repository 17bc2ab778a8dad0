/**
 * `silence` end to end on moto_server: the CLI writes the silence into the incident table, the
 * production wiring of the alert pipeline (same table) holds the page while still counting, and
 * the sweep releases the held page once the silence is ended.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDynamoDbIncidentStore } from '../../alerts/incident-store';
import { createPagerDutySink } from '../../alerts/sinks/pagerduty';
import { createSnsSink } from '../../alerts/sinks/sns';
import { createAlertPipelineFromConfig } from '../../alerts/wiring';
import { incidentTableName, parseDuration, silence } from '../../cli/silence';
import { awsClientConfig, readSnsNotifications } from '../../demo/local/moto';
import { POOL } from '../alerts/findings';
import { at, logsReport, recordingLogger, seedAt } from '../alerts/support';
import { captureIo as recordIo } from '../support/capture-io';
import { incidentTableOnMoto } from '../support/incident-table-moto';
import { startMotoForFile } from '../support/moto';
import { ROUTING_KEY, startPagerDutyServerForFile } from '../support/pagerduty-server';
import { helpPrinted, runMain, usageRefusal } from '../support/run-main';

const STAGE = 'test';
const TABLE = incidentTableName(STAGE);
const KEY = `trigger-response-invalid:${POOL}:PreSignUp:response.autoConfirmUser`;
const MINUTE = 60_000;

const captureIo = () => recordIo({ env: { AWS_REGION: 'us-east-1', USER: 'alice' } });

describe('silence usage', () => {
  it.each([
    ['no pool', ['--stage', STAGE, '--for', '2h', '--reason', 'x'], /--pool/],
    ['no duration', ['--stage', STAGE, '--pool', POOL, '--reason', 'x'], /--for/],
    ['a duration over 14 days', ['--stage', STAGE, '--pool', POOL, '--for', '15d', '--reason', 'x'], /--for/],
    ['no reason', ['--stage', STAGE, '--pool', POOL, '--for', '2h'], /--reason/],
    [
      'an unknown detector',
      ['--stage', STAGE, '--pool', POOL, '--for', '2h', '--reason', 'x', '--detector', 'nope'],
      /--detector/,
    ],
    ['no stage', ['--pool', POOL, '--for', '2h', '--reason', 'x'], /--stage/],
  ])('refuses %s with exit 2 before touching AWS', async (_name, argv, message) => {
    expect(await runMain(['silence', ...argv])).toMatchObject(usageRefusal(message));
  });

  it('is reachable from the command table and prints its help', async () => {
    expect(await runMain(['silence', '--help'])).toMatchObject(helpPrinted('silence end ID'));
  });

  it.each([
    ['2h', 2 * 60 * MINUTE],
    ['30m', 30 * MINUTE],
    ['1d', 24 * 60 * MINUTE],
    ['1h30m', 90 * MINUTE],
    ['2 hours', undefined],
    ['', undefined],
  ])('reads the duration %j', (text, expected) => {
    expect(parseDuration(text)).toBe(expected);
  });
});

const moto = await startMotoForFile();
const pd = await startPagerDutyServerForFile();

describe.runIf(moto)('silence on moto_server', () => {
  const { endpoint, dynamodb, sns, freshStart } = incidentTableOnMoto(moto);
  let topic = '';

  beforeEach(async () => {
    pd.reset();
    [topic = ''] = await freshStart(TABLE, 'cognito-sentinel-alerts');
  });

  /** The CLI at a given time, against moto. */
  const cli = async (argv: string[], ms: number) => {
    const { io, out, err } = captureIo();
    const code = await silence(argv, io, {
      dynamodb: () => new DynamoDBClient(awsClientConfig(endpoint)),
      now: () => at(ms),
      newId: () => '0123456789abcdef',
    });
    return { code, out: out(), err: err() };
  };

  /** The pipeline as a deployed function wires it from its config, on moto and the PagerDuty stand-in. */
  const deployed = () => {
    const { logger, lines } = recordingLogger();
    const pipeline = createAlertPipelineFromConfig(
      { incidentTable: TABLE, snsTopicArn: topic },
      {
        logger,
        dynamodb: new DynamoDBClient(awsClientConfig(endpoint)),
        sinks: [
          createPagerDutySink({
            routingKey: ROUTING_KEY,
            endpoint: pd.endpoint,
            timeBudgetMs: 300,
            attemptTimeoutMs: 200,
            backoffMs: 10,
            circuitOpenMs: 0,
          }),
          createSnsSink({ client: sns, topicArn: topic }),
        ],
      },
    );
    return { pipeline, lines };
  };

  const stored = () => createDynamoDbIncidentStore({ client: dynamodb, tableName: TABLE }).get(KEY);

  it('holds a page while silenced, still counting, and releases it when the silence is ended', async () => {
    const set = await cli(
      [
        '--stage',
        STAGE,
        '--pool',
        POOL,
        '--for',
        '2h',
        '--reason',
        'planned Cognito change',
        '--format',
        'json',
      ],
      0,
    );
    expect(set.code).toBe(0);
    const id = JSON.parse(set.out).id as string;
    expect(JSON.parse(set.out)).toMatchObject({ userPoolId: POOL, createdBy: 'alice' });

    const { pipeline, lines } = deployed();
    await pipeline.handle(logsReport([seedAt(1_000), seedAt(2_000)], 5_000));
    await pipeline.handle(logsReport([seedAt(MINUTE)], MINUTE + 5_000));
    await pipeline.sweep(at(3 * MINUTE));

    expect(pd.received).toHaveLength(0);
    expect(await readSnsNotifications(endpoint)).toHaveLength(0);
    expect(await stored()).toMatchObject({
      status: 'open',
      count: 3,
      silenced: { silenceId: id, by: 'alice' },
    });
    expect(lines.filter((line) => line.message.startsWith('Page held by a silence'))).toHaveLength(1);

    const listed = await cli(['list', '--stage', STAGE, '--format', 'json'], 4 * MINUTE);
    expect(
      listed.out
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).id),
    ).toEqual([id]);
    expect((await cli(['end', id, '--stage', STAGE], 5 * MINUTE)).code).toBe(0);
    expect((await cli(['list', '--stage', STAGE, '--format', 'json'], 5 * MINUTE)).out).toBe('');

    await pipeline.sweep(at(6 * MINUTE));
    expect(pd.accepted('trigger')).toHaveLength(1);
    const [report] = await readSnsNotifications(endpoint);
    expect(report?.messageAttributes.action?.Value).toBe('trigger');
    expect(report?.message).toContain(`held by silence ${id} (set by alice: planned Cognito change)`);
    expect(await stored()).toMatchObject({ status: 'open', count: 3 });
    expect((await stored())?.silenced).toBeUndefined();
  });

  it('drops the held page when the incident resolves before the silence ends', async () => {
    expect(
      (await cli(['--stage', STAGE, '--pool', POOL, '--for', '30m', '--reason', 'deploy'], 0)).code,
    ).toBe(0);
    const { pipeline } = deployed();
    await pipeline.handle(logsReport([seedAt(1_000)], 5_000));
    // The quiet window (15 min) passes inside the silence: resolved without a page.
    await pipeline.sweep(at(20 * MINUTE));
    await pipeline.sweep(at(35 * MINUTE));
    expect(pd.received).toHaveLength(0);
    expect(await readSnsNotifications(endpoint)).toHaveLength(0);
    expect(await stored()).toMatchObject({ status: 'resolved', count: 1, active: false });
  });

  it('does not hold pages about another pool', async () => {
    await cli(['--stage', STAGE, '--pool', 'us-east-1_Other0001', '--for', '2h', '--reason', 'x'], 0);
    const { pipeline } = deployed();
    await pipeline.handle(logsReport([seedAt(1_000)], 5_000));
    expect(pd.accepted('trigger')).toHaveLength(1);
  });

  it('says when silence end names no silence', async () => {
    const ended = await cli(['end', 's-missing', '--stage', STAGE], 0);
    expect(ended.code).toBe(1);
    expect(ended.err).toContain('no silence has the id s-missing');
  });
});
