/**
 * Secret resolvers load their SDK client on the first read from its store, never at creation, and
 * once per resolver: a function that reads no secret loads neither package.
 */
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createAwsSecretResolver, createSecretResolver } from '../../config/secrets';
import { awsClientConfig, startMoto } from '../../demo/local/moto';

const moto = await startMoto();
afterAll(async () => moto?.stop());
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createSecretResolver with client loaders', () => {
  it('calls a loader on the first read from its store only, and once', async () => {
    let ssmLoads = 0;
    let secretsManagerLoads = 0;
    const ssm = new SSMClient(awsClientConfig(moto?.endpoint ?? 'http://127.0.0.1:9'));
    const resolver = createSecretResolver({
      ssm: async () => {
        ssmLoads += 1;
        return ssm;
      },
      secretsManager: async () => {
        secretsManagerLoads += 1;
        throw new Error('not used in this test');
      },
      env: { PD_KEY: 'from-env' },
      allowEnv: true,
    });
    expect(await resolver.get({ store: 'env', name: 'PD_KEY' })).toBe('from-env');
    expect([ssmLoads, secretsManagerLoads]).toEqual([0, 0]);
    if (moto === undefined) return;
    await ssm.send(new PutParameterCommand({ Name: '/a', Value: 'one', Type: 'SecureString' }));
    await ssm.send(new PutParameterCommand({ Name: '/b', Value: 'two', Type: 'SecureString' }));
    expect(await resolver.get({ store: 'ssm', name: '/a' })).toBe('one');
    expect(await resolver.get({ store: 'ssm', name: '/b' })).toBe('two');
    expect([ssmLoads, secretsManagerLoads]).toEqual([1, 0]);
  });

  it.runIf(moto)('createAwsSecretResolver reads an SSM SecureString with the client it loads', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', moto?.endpoint ?? '');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    const ssm = new SSMClient(awsClientConfig(moto?.endpoint ?? ''));
    await ssm.send(new PutParameterCommand({ Name: '/pd/key', Value: 'routing-key', Type: 'SecureString' }));
    const resolver = createAwsSecretResolver({ region: 'us-east-1' });
    expect(await resolver.get({ store: 'ssm', name: '/pd/key' })).toBe('routing-key');
  });
});
