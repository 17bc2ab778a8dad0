/**
 * `cognito-sentinel audit` against moto_server: the acceptance path through the real bin with
 * AWS_ENDPOINT_URL (baseline, drift of callback URLs, a deleted PreSignUp function), and
 * in-process through `audit` for expectations, usage and a check that cannot run.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  DeleteFunctionCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  LambdaClient,
  LambdaServiceException,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { audit } from '../../cli/audit';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/usage-error';
import { awsClientConfig, type MotoServer } from '../../demo/local/moto';
import { auditClientsOnMoto, startMotoForFile, updateMotoPoolClient } from '../support/moto';
import { createShopPool, type ShopPool } from '../support/shop-pool-moto';

const moto = await startMotoForFile();
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

const captureIo = (env: Record<string, string | undefined> = {}) => {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: (text) => {
      out.stdout += text;
    },
    stderr: (text) => {
      out.stderr += text;
    },
    readStdin: async () => '',
    readFile: async (path) => readFile(path, 'utf8'),
    isTty: false,
    env,
  };
  return { io, out };
};

const lines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('audit usage', () => {
  it.each([
    ['no pool', [], /--user-pool-id or --config is required/],
    ['both a pool and a config', ['--user-pool-id', 'us-east-1_AbC', '--config', 'x.yml'], /not both/],
    ['a malformed pool id', ['--user-pool-id', 'nope'], /--user-pool-id: expected a user pool id/],
    ['a missing config file', ['--config', '/nonexistent/sentinel.config.yml'], /--config .*no such file/],
    ['an unknown --fail-on', ['--user-pool-id', 'us-east-1_AbC', '--fail-on', 'loud'], /--fail-on "loud"/],
    ['an unknown option', ['--pool', 'x'], /Unknown option '--pool'/],
  ])('exits 2 for %s, naming the problem', async (_name, args, message) => {
    const { io, out } = captureIo();
    expect(await main(['audit', ...args], io)).toBe(2);
    expect(out.stderr).toMatch(message);
  });

  it('prints its usage with --help and exits 0', async () => {
    const { io, out } = captureIo();
    expect(await main(['audit', '--help'], io)).toBe(0);
    expect(out.stdout).toContain('--snapshot-file FILE');
  });
});

describe.runIf(moto)('audit against moto_server', () => {
  const server = moto as MotoServer;
  const motoClients = () => auditClientsOnMoto(server.endpoint);
  let dir: string;
  let pool: ShopPool;
  beforeEach(async () => {
    await server.reset();
    pool = await createShopPool(server.endpoint, {
      function: { timeoutSeconds: 5 },
      pool: { DeletionProtection: 'ACTIVE' },
      client: {
        CallbackURLs: ['https://shop.example.com/callback'],
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid'],
        AllowedOAuthFlowsUserPoolClient: true,
      },
      invokable: true,
    });
    dir = await mkdtemp(join(tmpdir(), 'sentinel-audit-'));
    return async () => {
      await rm(dir, { recursive: true, force: true });
    };
  });

  const bin = async (args: string[]) => {
    try {
      const { stdout, stderr } = await run('node', ['bin/cognito-sentinel.mjs', 'audit', ...args], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          AWS_ENDPOINT_URL: server.endpoint,
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  it('writes the baseline and exits 0, reports changed callback URLs with before and after and exits 1, then a deleted PreSignUp function', async () => {
    const snapshotFile = join(dir, 's.json');
    const args = ['--user-pool-id', pool.userPoolId, '--snapshot-file', snapshotFile, '--format', 'json'];

    const baseline = await bin(args);
    expect(baseline).toMatchObject({ code: 0, stdout: '' });
    expect(baseline.stderr).toContain(
      `baseline: wrote the first snapshot of ${pool.userPoolId} to ${snapshotFile}`,
    );
    const stored = await readFile(snapshotFile, 'utf8');
    expect(stored).toContain('https://shop.example.com/callback');
    expect(stored).toContain('hmac-sha256:');
    expect(stored).not.toContain(pool.clientSecret);

    await updateMotoPoolClient(pool, { CallbackURLs: ['https://shop.example.com/callback/'] });
    const drifted = await bin(args);
    expect(drifted.code).toBe(1);
    expect(lines(drifted.stdout)).toEqual([
      expect.objectContaining({
        detector: 'config-drift',
        severity: 'warning',
        userPoolId: pool.userPoolId,
        field: `clients.${pool.clientId}.CallbackURLs`,
        before: '[https://shop.example.com/callback]',
        after: '[https://shop.example.com/callback/]',
      }),
    ]);
    expect(drifted.stdout).toMatch(/"title":"[^"]*CallbackURLs changed/);

    // The snapshot moved on: the same drift is not reported twice.
    expect(await bin(args)).toMatchObject({ code: 0, stdout: '' });

    await pool.lambda.send(new DeleteFunctionCommand({ FunctionName: 'shop-presignup' }));
    const broken = await bin(args);
    expect(broken.code).toBe(1);
    expect(lines(broken.stdout)).toContainEqual(
      expect.objectContaining({
        detector: 'trigger-wiring-broken',
        severity: 'critical',
        trigger: 'PreSignUp',
        cause: 'function-missing',
        userPoolId: pool.userPoolId,
      }),
    );
    expect(await readFile(snapshotFile, 'utf8')).not.toContain(pool.clientSecret);
  }, 60_000);

  it('reports no drift without --snapshot-file', async () => {
    const { io, out } = captureIo();
    const deps = { clients: motoClients() };
    expect(await audit(['--user-pool-id', pool.userPoolId, '--format', 'json'], io, deps)).toBe(0);
    await updateMotoPoolClient(pool, { CallbackURLs: ['https://x.example'] });
    expect(await audit(['--user-pool-id', pool.userPoolId, '--format', 'json'], io, deps)).toBe(0);
    expect(out.stdout).toBe('');
  });

  it('reports a rotated client secret from its fingerprint, never the secret', async () => {
    const snapshotFile = join(dir, 's.json');
    const deps = { clients: motoClients() };
    const args = ['--user-pool-id', pool.userPoolId, '--snapshot-file', snapshotFile, '--format', 'json'];
    expect(await audit(args, captureIo().io, deps)).toBe(0);
    // moto has no rotation API: the client is replaced by one with the same id and a new secret in the file's eyes.
    const file = JSON.parse(await readFile(snapshotFile, 'utf8'));
    const fingerprint = `clients.${pool.clientId}.ClientSecretFingerprint`;
    file.pools[pool.userPoolId].sections[`client:${pool.clientId}`][fingerprint] =
      'hmac-sha256:00000000000000000000000000000000';
    await writeFile(snapshotFile, JSON.stringify(file));
    const { io, out } = captureIo();
    expect(await audit(args, io, deps)).toBe(1);
    const [finding] = lines(out.stdout);
    expect(finding).toMatchObject({
      field: fingerprint,
      severity: 'warning',
      before: 'hmac-sha256:00000000000000000000000000000000',
    });
    expect(out.stdout).not.toContain(pool.clientSecret);
  });

  it('checks the expectations of a config file, for an audit-only pool without a canary', async () => {
    const config = join(dir, 'sentinel.config.yml');
    await writeFile(
      config,
      [
        'pools:',
        `  - userPoolId: ${pool.userPoolId}`,
        '    region: us-east-1',
        '    expect:',
        '      deletionProtection: true',
        '      mfa: "ON"',
        '      triggers: { PreSignUp: shop-presignup }',
        '    clients:',
        `      - clientId: ${pool.clientId}`,
        '        expect:',
        '          callbackUrls: [https://shop.example.com/callback/]',
        '          explicitAuthFlows: [ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH]',
        '          hasSecret: true',
        '          tokenValidity: { accessToken: 60m, refreshToken: 30d }',
        '      - clientId: gone0000000000000000000000',
      ].join('\n'),
    );
    const { io, out } = captureIo();
    const code = await audit(['--config', config, '--format', 'json'], io, {
      clients: motoClients(),
    });
    expect(code).toBe(1);
    const findings = lines(out.stdout);
    expect(
      findings.map((finding) => [finding.detector, finding.field, finding.expected, finding.actual]),
    ).toEqual(
      expect.arrayContaining([
        ['config-expectation-failed', 'MfaConfiguration', 'ON', 'OFF'],
        [
          'config-expectation-failed',
          `clients.${pool.clientId}.CallbackURLs`,
          '[https://shop.example.com/callback/]',
          '[https://shop.example.com/callback]',
        ],
        ['config-expectation-failed', 'clients.gone0000000000000000000000', 'exists', 'not found'],
      ]),
    );
    // Met expectations raise nothing: deletion protection, the trigger, flows, secret, validity.
    expect(findings).toHaveLength(3);
  });

  it('degrades a Lambda call that is denied to a note and still reports the rest', async () => {
    // moto cannot deny one call; AWS's answers, verbatim in shape, for the function's Lambda calls.
    const lambda = new LambdaClient(awsClientConfig(server.endpoint));
    const mocked = mockClient(lambda);
    mocked.on(GetFunctionConfigurationCommand).resolves({
      FunctionName: 'shop-presignup',
      FunctionArn: pool.functionArn,
      Runtime: 'nodejs18.x',
      Timeout: 10,
      LastModified: '2026-11-26T07:13:02.123+0000',
      CodeSha256: 'hznHbmgfkAkjuQDJ3w73XPQh05yrtUZQxLmtGbanbYU=',
      Version: '$LATEST',
    });
    mocked.on(GetPolicyCommand).rejects(
      new LambdaServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: `User: arn:aws:sts::123456789012:assumed-role/cognito-sentinel-dev-configAudit/cognito-sentinel-dev-configAudit is not authorized to perform: lambda:GetPolicy on resource: ${pool.functionArn} because no identity-based policy allows the lambda:GetPolicy action`,
      }),
    );
    const clients = motoClients();
    const { io, out } = captureIo();
    const code = await audit(['--user-pool-id', pool.userPoolId, '--format', 'json'], io, {
      clients: { cognito: clients.cognito, lambda: () => lambda },
    });
    expect(code).toBe(1);
    const causes = lines(out.stdout).map((finding) => finding.cause);
    expect(causes.sort()).toEqual(['runtime-deprecated', 'timeout-over-limit']);
    expect(out.stderr).toContain(
      `note: ${pool.userPoolId}: GetPolicy ${pool.functionArn} (PreSignUp invoke permission) could not run: AccessDeniedException`,
    );
    mocked.restore();
  });

  it('refuses a snapshot file that is not one as bad input (exit 2), naming it', async () => {
    const snapshotFile = join(dir, 'notes.json');
    await writeFile(snapshotFile, '{"hello":1}');
    const { io } = captureIo();
    await expect(
      audit(['--user-pool-id', pool.userPoolId, '--snapshot-file', snapshotFile], io, {
        clients: motoClients(),
      }),
    ).rejects.toThrow(`--snapshot-file ${snapshotFile}: not a cognito-sentinel/audit-snapshot/v1 file`);
  });

  it('reports a deleted pool as a finding, not a crash', async () => {
    const { io, out } = captureIo();
    const code = await audit(
      ['--user-pool-id', 'us-east-1_0000000000000000000000000000dead', '--format', 'json'],
      io,
      {
        clients: motoClients(),
      },
    );
    expect(code).toBe(1);
    expect(lines(out.stdout)).toEqual([
      expect.objectContaining({
        detector: 'config-expectation-failed',
        field: 'UserPool',
        severity: 'critical',
      }),
    ]);
  });
});
