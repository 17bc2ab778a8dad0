/**
 * The audit engine against moto_server: what a snapshot holds (pool, clients, domain, trigger
 * functions), that a client secret never reaches it, and that a section it could not read keeps
 * its last values instead of reading as drift.
 */
import {
  CreateUserPoolDomainCommand,
  DeleteUserPoolClientCommand,
  ListUserPoolClientsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditClients } from '../../audit/read-pool';
import { createAuditRunner } from '../../audit/runner';
import { createMemorySnapshotStore } from '../../audit/snapshot-store';
import type { MotoServer } from '../../demo/local/moto';
import { runAuditDetectors } from '../../detectors';
import { DEFAULT_DETECTOR_CONFIG } from '../../detectors/types';
import { auditClientsOnMoto, startMotoForFile } from '../support/moto';
import { createShopPool, type ShopPool } from '../support/shop-pool-moto';

const moto = await startMotoForFile();

describe.runIf(moto)('audit runner against moto_server', () => {
  const server = moto as MotoServer;
  const clients = () => auditClientsOnMoto(server.endpoint);
  let shop: ShopPool;

  beforeEach(async () => {
    await server.reset();
    shop = await createShopPool(server.endpoint, { pool: { MfaConfiguration: 'OFF' } });
    await shop.cognito.send(
      new CreateUserPoolDomainCommand({ UserPoolId: shop.userPoolId, Domain: 'shop-auth' }),
    );
  });

  const pool = () => ({
    userPoolId: shop.userPoolId,
    region: 'us-east-1',
    clients: [{ clientId: shop.clientId }],
  });

  it('snapshots the pool, its client, its domain and its trigger function, with the secret only as a fingerprint', async () => {
    const store = createMemorySnapshotStore();
    const run = await createAuditRunner({ clients: clients(), store }).run([pool()], { now: new Date() });
    expect(run.notes).toEqual([]);
    expect(run.baselines).toEqual([shop.userPoolId]);
    const snapshot = store.snapshots.get(shop.userPoolId);
    expect(snapshot?.sections.pool).toMatchObject({
      Name: 'shop',
      MfaConfiguration: 'OFF',
      Domain: 'shop-auth',
      'LambdaConfig.PreSignUp': 'arn:aws:lambda:us-east-1:123456789012:function:shop-presignup',
    });
    expect(snapshot?.sections.domain).toEqual({ 'Domain.Status': 'ACTIVE' });
    expect(snapshot?.sections[`client:${shop.clientId}`]).toMatchObject({
      [`clients.${shop.clientId}.HasSecret`]: true,
      [`clients.${shop.clientId}.ClientSecretFingerprint`]:
        expect.stringMatching(/^hmac-sha256:[0-9a-f]{32}$/),
    });
    expect(snapshot?.sections['function:PreSignUp']).toMatchObject({
      'triggers.PreSignUp.Runtime': 'provided.al2023',
    });
    expect(JSON.stringify(snapshot)).not.toContain(shop.clientSecret);
    expect(JSON.stringify(run.observations)).not.toContain(shop.clientSecret);
  });

  it('keeps a client it could not read this run, so the next run does not report it as deleted', async () => {
    const store = createMemorySnapshotStore();
    const runner = createAuditRunner({ clients: clients(), store });
    await runner.run([pool()], { now: new Date() });

    // ListUserPoolClients throttled once; every other call reaches moto.
    const real = clients();
    const throttled: AuditClients = {
      lambda: real.lambda,
      cognito: (region) => ({
        send: async (command: unknown) => {
          if (command instanceof ListUserPoolClientsCommand) {
            throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
          }
          return real.cognito(region).send(command);
        },
      }),
    };
    const degraded = await createAuditRunner({ clients: throttled, store }).run([pool()], {
      now: new Date(),
    });
    expect(degraded.notes).toEqual([
      {
        userPoolId: shop.userPoolId,
        check: 'ListUserPoolClients (app clients)',
        message: 'TooManyRequestsException: Rate exceeded',
      },
    ]);
    const now = new Date();
    // The function has no invoke permission here; apart from that, nothing: no client reads as deleted.
    expect(
      runAuditDetectors(degraded.observations, { config: DEFAULT_DETECTOR_CONFIG, now }).map(
        (f) => f.cause ?? f.field,
      ),
    ).toEqual(['permission-missing']);
    expect(store.snapshots.get(shop.userPoolId)?.sections[`client:${shop.clientId}`]).toBeDefined();

    // Once it can be read again, a real deletion is reported.
    await shop.cognito.send(
      new DeleteUserPoolClientCommand({ UserPoolId: shop.userPoolId, ClientId: shop.clientId }),
    );
    const after = await runner.run([pool()], { now });
    expect(
      runAuditDetectors(after.observations, { config: DEFAULT_DETECTOR_CONFIG, now }).map((f) => [
        f.detector,
        f.field,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['config-drift', `clients.${shop.clientId}`],
        ['config-expectation-failed', `clients.${shop.clientId}`],
      ]),
    );
  });
});
