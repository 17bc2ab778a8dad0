/**
 * `ack` end to end on moto_server: the production wiring of the alert pipeline pages through SNS
 * and Chatbot topics (no PagerDuty) with the acknowledge command in the page; the CLI, run as
 * printed, marks the incident acknowledged in the stage's table, which stops the reminders; a
 * resolve clears it, and the re-opened incident pages and reminds again.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDynamoDbIncidentStore } from '../../alerts/incident-store';
import { createAlertPipelineFromConfig } from '../../alerts/wiring';
import { ack } from '../../cli/ack';
import { main } from '../../cli/main';
import { incidentTableName } from '../../cli/silence';
import { awsClientConfig, readSnsNotifications } from '../../demo/local/moto';
import { POOL } from '../alerts/findings';
import { at, logsReport, recordingLogger, seedAt } from '../alerts/support';
import { captureIo as recordIo } from '../support/capture-io';
import { incidentTableOnMoto } from '../support/incident-table-moto';
import { startMotoForFile } from '../support/moto';
import { helpPrinted, runMain, usageRefusal } from '../support/run-main';

const STAGE = 'test';
const TABLE = incidentTableName(STAGE);
const KEY = `trigger-response-invalid:${POOL}:PreSignUp:response.autoConfirmUser`;
const MINUTE = 60_000;

const captureIo = () => recordIo({ isTty: true, env: { AWS_REGION: 'us-east-1', USER: 'alice' } });

describe('ack usage', () => {
  it.each([
    ['no key', ['--stage', STAGE], /one incident key/],
    ['two keys', [KEY, KEY, '--stage', STAGE], /one incident key/],
    ['no stage', [KEY], /--stage/],
  ])('refuses %s with exit 2 before touching AWS', async (_name, argv, message) => {
    expect(await runMain(['ack', ...argv])).toMatchObject(usageRefusal(message));
  });

  it('is reachable from the command table and prints its help', async () => {
    expect(await runMain(['ack', '--help'])).toMatchObject(
      helpPrinted('cognito-sentinel ack DEDUP_KEY --stage NAME'),
    );
    const top = captureIo();
    expect(await main(['--help'], top.io)).toBe(0);
    expect(top.out()).toContain('ack KEY --stage S');
  });
});

const moto = await startMotoForFile();

describe.runIf(moto)('ack on moto_server', () => {
  const { endpoint, dynamodb, sns, freshStart } = incidentTableOnMoto(moto);
  let email = '';
  let chat = '';

  beforeEach(async () => {
    [email = '', chat = ''] = await freshStart(
      TABLE,
      'cognito-sentinel-test-alerts',
      'cognito-sentinel-test-chatbot',
    );
  });

  /** The CLI at a given time, against moto. */
  const cli = async (argv: string[], ms: number) => {
    const { io, out, err } = captureIo();
    const code = await ack(argv, io, {
      dynamodb: () => new DynamoDBClient(awsClientConfig(endpoint)),
      now: () => at(ms),
    });
    return { code, out: out(), err: err() };
  };

  /** The pipeline as a deployed function of stage `test` wires it: SNS and Chatbot, no PagerDuty. */
  const deployed = () =>
    createAlertPipelineFromConfig(
      {
        incidentTable: TABLE,
        snsTopicArn: email,
        chatbotTopicArn: chat,
        stage: STAGE,
        reminderIntervalMinutes: 10,
      },
      { logger: recordingLogger().logger, dynamodb, sns, env: { AWS_REGION: 'us-east-1' } },
    );

  const stored = () => createDynamoDbIncidentStore({ client: dynamodb, tableName: TABLE }).get(KEY);
  /** What the email topic got, as `action` attributes in order. */
  const emails = async () => (await readSnsNotifications(endpoint)).filter((n) => n.topicArn === email);

  it('pages with the ack command; ack stops the reminders; a resolve clears it and the re-opening pages and reminds again', async () => {
    const pipeline = deployed();
    await pipeline.handle(logsReport([seedAt(1_000)], 5_000));

    const command = `npx cognito-sentinel ack ${KEY} --stage ${STAGE} --region us-east-1`;
    const [page] = await emails();
    expect(page?.messageAttributes.action?.Value).toBe('trigger');
    expect(page?.message).toContain(
      `Acknowledge (stops reminders until it resolves or re-opens)\n  ${command}`,
    );
    const chatPage = (await readSnsNotifications(endpoint)).find((n) => n.topicArn === chat);
    expect(JSON.parse(chatPage?.message ?? '{}').content.description).toContain(command);

    // Run the command as the page prints it.
    const argv = command.replace('npx cognito-sentinel ack ', '').split(' ');
    const acked = await cli(argv, MINUTE);
    expect(acked).toMatchObject({ code: 0, err: '' });
    expect(acked.out).toContain(`Acknowledged incident ${KEY} (episode 1) as alice`);
    expect(await stored()).toMatchObject({
      status: 'open',
      acknowledged: { by: 'alice', at: at(MINUTE).toISOString(), episode: 1 },
    });
    expect((await cli(argv, 2 * MINUTE)).out).toContain('already acknowledged by alice');

    // Still failing past the 10-minute reminder interval: recorded and counted, no reminder.
    await pipeline.handle(logsReport([seedAt(11 * MINUTE)], 11 * MINUTE + 5_000));
    await pipeline.sweep(at(12 * MINUTE));
    await pipeline.sweep(at(14 * MINUTE));
    expect((await emails()).map((n) => n.messageAttributes.action?.Value)).toEqual(['trigger']);
    expect(await stored()).toMatchObject({ status: 'open', count: 2 });

    // Quiet for 15 minutes: resolved (the resolve is never held), and the acknowledgement is gone.
    await pipeline.sweep(at(30 * MINUTE));
    expect((await emails()).map((n) => n.messageAttributes.action?.Value)).toEqual(['trigger', 'resolve']);
    expect(await stored()).toMatchObject({ status: 'resolved' });
    expect((await stored())?.acknowledged).toBeUndefined();
    expect((await cli(argv, 31 * MINUTE)).code).toBe(1);

    // The re-opening pages again, with the command, and reminds again.
    await pipeline.handle(logsReport([seedAt(40 * MINUTE)], 40 * MINUTE + 5_000));
    await pipeline.handle(logsReport([seedAt(51 * MINUTE)], 51 * MINUTE + 5_000));
    const sent = await emails();
    expect(sent.map((n) => n.messageAttributes.action?.Value)).toEqual([
      'trigger',
      'resolve',
      'trigger',
      'remind',
    ]);
    expect(sent[2]?.message).toContain(command);
    expect(sent[3]?.message).toContain(command);
    expect(await stored()).toMatchObject({ status: 'open', episode: 2 });
  });

  it('says when no incident has the key', async () => {
    const missing = await cli(['canary-auth-failed:nope', '--stage', STAGE], 0);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(`no incident has the key canary-auth-failed:nope in ${TABLE}`);
  });
});
