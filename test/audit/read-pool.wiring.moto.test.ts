/**
 * Trigger wiring against moto_server's Lambda (functions and resource policies are stored, never
 * invoked): every cause of `trigger-wiring-broken` from real GetFunctionConfiguration and GetPolicy
 * answers.
 */
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import { DeleteFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAuditRunner } from '../../audit/runner';
import { awsClientConfig, createMotoFunction, type MotoServer } from '../../demo/local/moto';
import { runAuditDetectors } from '../../detectors';
import { DEFAULT_DETECTOR_CONFIG, type WiringCause } from '../../detectors/types';
import { auditClientsOnMoto, startMotoForFile } from '../support/moto';
import { allowCognitoToInvoke } from '../support/trigger-permission';

const moto = await startMotoForFile();

/** Judged as of this date, so the runtime table does not make the test age. */
const NOW = new Date('2026-12-01T00:00:00Z');

interface Setup {
  runtime?: string;
  timeoutSeconds?: number;
  /** Who the resource policy lets invoke: this pool, another pool, or nobody. */
  permission: 'this-pool' | 'other-pool' | 'none';
  deleted?: boolean;
  trigger?: 'PreSignUp' | 'CustomEmailSender';
  kmsKey?: boolean;
}

describe.runIf(moto)('trigger wiring against moto_server', () => {
  const server = moto as MotoServer;
  beforeEach(async () => {
    await server.reset();
  });

  const audit = async (setup: Setup) => {
    const cognito = new CognitoIdentityProviderClient(awsClientConfig(server.endpoint));
    const lambda = new LambdaClient(awsClientConfig(server.endpoint));
    const arn = await createMotoFunction(server.endpoint, 'shop-trigger', {
      runtime: setup.runtime ?? 'provided.al2023',
      timeoutSeconds: setup.timeoutSeconds ?? 5,
    });
    const lambdaConfig: LambdaConfigType =
      setup.trigger === 'CustomEmailSender'
        ? {
            CustomEmailSender: { LambdaArn: arn, LambdaVersion: 'V1_0' },
            ...(setup.kmsKey
              ? { KMSKeyID: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' }
              : {}),
          }
        : { PreSignUp: arn };
    const { UserPool } = await cognito.send(
      new CreateUserPoolCommand({ PoolName: 'shop', LambdaConfig: lambdaConfig }),
    );
    if (setup.permission !== 'none') {
      await allowCognitoToInvoke(
        lambda,
        'shop-trigger',
        setup.permission === 'this-pool' ? UserPool?.Arn : `${UserPool?.Arn}-old`,
      );
    }
    if (setup.deleted) await lambda.send(new DeleteFunctionCommand({ FunctionName: 'shop-trigger' }));
    const run = await createAuditRunner({
      clients: auditClientsOnMoto(server.endpoint),
    }).run([{ userPoolId: UserPool?.Id ?? '', region: 'us-east-1', clients: [] }], {
      now: NOW,
      drift: false,
    });
    expect(run.notes).toEqual([]);
    return runAuditDetectors(run.observations, { config: DEFAULT_DETECTOR_CONFIG, now: NOW }).filter(
      (finding) => finding.detector === 'trigger-wiring-broken',
    );
  };

  it('finds nothing wrong with a function that exists, may be invoked by this pool, fits 5 s and is supported', async () => {
    expect(await audit({ permission: 'this-pool' })).toEqual([]);
  });

  it.each<[string, Setup, WiringCause]>([
    ['a deleted function', { permission: 'this-pool', deleted: true }, 'function-missing'],
    ['a function with no resource policy', { permission: 'none' }, 'permission-missing'],
    ['a permission for another pool', { permission: 'other-pool' }, 'permission-missing'],
    ['a 10 s timeout', { permission: 'this-pool', timeoutSeconds: 10 }, 'timeout-over-limit'],
    ['a deprecated runtime', { permission: 'this-pool', runtime: 'nodejs18.x' }, 'runtime-deprecated'],
    [
      'a custom email sender without a KMS key',
      { permission: 'this-pool', trigger: 'CustomEmailSender' },
      'kms-key-missing',
    ],
  ])('reports %s as %s', async (_name, setup, cause) => {
    const findings = await audit(setup);
    expect(findings.map((finding) => [finding.trigger, finding.cause])).toEqual([
      [setup.trigger ?? 'PreSignUp', cause],
    ]);
    expect(findings[0]?.evidence[0]).toMatch(
      /^LambdaConfig\.\w+: arn:aws:lambda:us-east-1:123456789012:function:shop-trigger$/,
    );
  });

  it('takes a custom email sender with its KMS key, and its long timeout, as wired', async () => {
    expect(
      await audit({
        permission: 'this-pool',
        trigger: 'CustomEmailSender',
        kmsKey: true,
        timeoutSeconds: 30,
      }),
    ).toEqual([]);
  });
});
