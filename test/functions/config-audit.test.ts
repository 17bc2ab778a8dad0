/**
 * functions/config-audit against moto_server (Cognito, Lambda, DynamoDB) and the PagerDuty
 * stand-in: a baseline run, a real-shaped CloudTrail-via-EventBridge event that runs the audit and
 * puts the change in the page and on PagerDuty's change timeline, a later page for the same pool
 * that still names the change, and the resolve after clean runs. The audit's DynamoDB items never
 * hold the client secret.
 */

import { gunzipSync } from 'node:zlib';
import {
  type CognitoIdentityProviderClient,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DeleteFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { createPagerDutyChangeEvents, toChangeEndpoint } from '../../alerts/change-events';
import { createMemoryIncidentStore } from '../../alerts/incident-store';
import { createAlertPipeline } from '../../alerts/pipeline';
import { createPagerDutySink } from '../../alerts/sinks/pagerduty';
import { createChangeLogLookup } from '../../audit/change-log';
import { auditTableDefinition, createDynamoDbAuditStore } from '../../audit/dynamodb-snapshot-store';
import { createAuditRunner } from '../../audit/runner';
import { awsClientConfig, type MotoServer } from '../../demo/local/moto';
import { createHandler } from '../../functions/config-audit';
import { recordingLogger } from '../alerts/support';
import { deleteFunctionEvent, updateUserPoolClientEvent } from '../fixtures/audit/cloudtrail-events';
import { auditClientsOnMoto, startMotoForFile } from '../support/moto';
import { ROUTING_KEY, startPagerDutyServerForFile } from '../support/pagerduty-server';
import { createShopPool } from '../support/shop-pool-moto';

const moto = await startMotoForFile();
const pagerDuty = await startPagerDutyServerForFile();

const noMetrics = { count() {}, latency() {}, publish() {} };
const context = { getRemainingTimeInMillis: () => 60_000 } as Context;
const scheduled = { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };

describe.runIf(moto)('config-audit function', () => {
  const server = moto as MotoServer;
  let cognito: CognitoIdentityProviderClient;
  let dynamodb: DynamoDBClient;
  let userPoolId: string;
  let clientId: string;
  let clientSecret: string;

  beforeEach(async () => {
    await server.reset();
    pagerDuty.reset();
    dynamodb = new DynamoDBClient(awsClientConfig(server.endpoint));
    ({ cognito, userPoolId, clientId, clientSecret } = await createShopPool(server.endpoint, {
      client: { CallbackURLs: ['https://shop.example.com/callback'] },
      invokable: true,
    }));
    await dynamodb.send(new CreateTableCommand(auditTableDefinition('sentinel-audit')));
  });

  const build = () => {
    const store = createDynamoDbAuditStore({ client: dynamodb, tableName: 'sentinel-audit' });
    const { logger, lines } = recordingLogger();
    let clock = Date.parse('2026-11-26T09:00:00Z');
    // Audit findings carry no evidence time: changes are placed relative to the run's clock.
    const runClock = () => new Date(clock);
    const pipeline = createAlertPipeline({
      store: createMemoryIncidentStore(),
      sinks: [createPagerDutySink({ routingKey: ROUTING_KEY, endpoint: pagerDuty.endpoint })],
      policy: { passesToResolve: 2, reminderIntervalMs: 0 },
      logger,
      recentChanges: createChangeLogLookup(store, undefined, runClock),
    });
    const handler = createHandler({
      pools: [{ userPoolId, region: 'us-east-1', clients: [{ clientId }] }],
      runner: createAuditRunner({
        clients: auditClientsOnMoto(server.endpoint),
        store,
      }),
      alerts: pipeline,
      logger,
      metrics: noMetrics,
      changes: store,
      changeEvents: createPagerDutyChangeEvents({
        routingKey: async () => ROUTING_KEY,
        endpoint: toChangeEndpoint(pagerDuty.endpoint),
      }),
      now: () => {
        clock += 60_000;
        return new Date(clock);
      },
    });
    return { handler, lines };
  };

  it('pages the drift a CloudTrail event reveals, with who changed what; later pages of the pool still name the change; clean runs resolve it', async () => {
    const { handler } = build();
    expect(await handler(scheduled, context)).toMatchObject({ trigger: 'schedule', findings: 0, notes: 0 });

    await cognito.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientId: clientId,
        CallbackURLs: ['https://shop.example.com/callback/'],
      }),
    );
    const changed = await handler(updateUserPoolClientEvent(userPoolId, clientId), context);
    expect(changed).toMatchObject({ trigger: 'UpdateUserPoolClient', findings: 1, alerts: 1 });

    const [page] = pagerDuty.accepted('trigger');
    const details = (page?.payload as { custom_details: Record<string, unknown> } | undefined)
      ?.custom_details;
    expect(details).toMatchObject({
      field: `clients.${clientId}.CallbackURLs`,
      before: '[https://shop.example.com/callback]',
      after: '[https://shop.example.com/callback/]',
      changed_by: {
        call: 'UpdateUserPoolClient',
        who: 'arn:aws:sts::123456789012:assumed-role/PlatformAdmin/jdoe',
        when: '2026-11-26T09:14:31Z',
        from: 'an IP address',
        via: 'aws-cli/2.15.30',
      },
    });
    expect(pagerDuty.changes).toEqual([
      expect.objectContaining({
        routing_key: ROUTING_KEY,
        payload: expect.objectContaining({
          summary: `UpdateUserPoolClient ${clientId} on Cognito pool ${userPoolId} by arn:aws:sts::123456789012:assumed-role/PlatformAdmin/jdoe`,
          timestamp: '2026-11-26T09:14:31Z',
        }),
      }),
    ]);

    // A later page for the pool, from another check, carries the change as a recent change.
    await new LambdaClient(awsClientConfig(server.endpoint)).send(
      new DeleteFunctionCommand({ FunctionName: 'shop-presignup' }),
    );
    await handler(deleteFunctionEvent('shop-presignup'), context);
    const wiring = pagerDuty
      .accepted('trigger')
      .find((event) => String(event.dedup_key).includes('function-missing'));
    const recent = (wiring?.payload as { custom_details: { recent_changes?: string[] } } | undefined)
      ?.custom_details.recent_changes;
    expect(
      recent?.some((line) =>
        line.startsWith(
          `UpdateUserPoolClient (${clientId}) by arn:aws:sts::123456789012:assumed-role/PlatformAdmin/jdoe`,
        ),
      ),
    ).toBe(true);
    expect(
      recent?.some((line) =>
        line.startsWith(
          'DeleteFunction (shop-presignup) by arn:aws:sts::123456789012:assumed-role/PlatformAdmin/jdoe',
        ),
      ),
    ).toBe(true);

    // A breaking change is held while it stands: clean runs do not resolve it...
    await handler(scheduled, context);
    await handler(scheduled, context);
    expect(pagerDuty.accepted('resolve')).toEqual([]);
    expect(pagerDuty.accepted('trigger')).toHaveLength(2);
    // ...until it is reverted (one more update, no new page), then two runs resolve it; the wiring stays open.
    await cognito.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientId: clientId,
        CallbackURLs: ['https://shop.example.com/callback'],
      }),
    );
    await handler(scheduled, context);
    await handler(scheduled, context);
    await handler(scheduled, context);
    expect(pagerDuty.accepted('trigger')).toHaveLength(2);
    expect(pagerDuty.accepted('resolve').map((event) => event.dedup_key)).toEqual([
      `config-drift:${userPoolId}:clients.${clientId}.CallbackURLs`,
    ]);

    const { Items = [] } = await dynamodb.send(new ScanCommand({ TableName: 'sentinel-audit' }));
    expect(Items.map((item) => item.pk?.S).sort()).toEqual([
      `changes#${userPoolId}`,
      'fingerprint-key',
      `snapshot#${userPoolId}`,
    ]);
    const stored = JSON.stringify(Items, (_key, value) =>
      value instanceof Uint8Array ? gunzipSync(value).toString('utf8') : value,
    );
    expect(stored).toContain('hmac-sha256:');
    expect(stored).toContain('held');
    expect(stored).not.toContain(clientSecret);
  }, 60_000);

  it('logs a check that cannot run as a warning and still finishes the run', async () => {
    const { logger, lines } = recordingLogger();
    const store = createDynamoDbAuditStore({ client: dynamodb, tableName: 'no-such-table' });
    const handler = createHandler({
      pools: [{ userPoolId, region: 'us-east-1', clients: [] }],
      runner: createAuditRunner({
        clients: auditClientsOnMoto(server.endpoint),
        store,
      }),
      alerts: { handle: async () => ({ alerts: 0, delivered: [], failed: [] }) },
      logger,
      metrics: noMetrics,
    });
    const result = await handler(scheduled, context);
    // The snapshot table is missing: drift cannot run, everything else does (the wiring is healthy).
    expect(result).toMatchObject({ notes: 1, findings: 0 });
    expect(lines.filter((line) => line.level === 'warn').map((line) => line.message)).toEqual([
      'A config audit check could not run',
    ]);
  });
});
