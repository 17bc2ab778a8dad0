import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCliFailure } from '../../cli/error-boundary';
import { startMoto } from '../../demo/local/moto';

const root = new URL('../../', import.meta.url).pathname;
const bin = join(root, 'bin', 'cognito-sentinel.mjs');
const exec = promisify(execFile);

/** An environment with no AWS credentials anywhere the default chain looks. */
const noCredentials = (dir: string, endpoint: string): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH ?? '',
  HOME: dir,
  AWS_CONFIG_FILE: join(dir, 'no-config'),
  AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: 'us-east-1',
});

const withCredentials = (dir: string, endpoint: string): NodeJS.ProcessEnv => ({
  ...noCredentials(dir, endpoint),
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
});

/** Runs the real bin (the built CLI) and never rejects. */
const runBin = async (args: string[], env: NodeJS.ProcessEnv) =>
  exec(process.execPath, [bin, ...args], { cwd: root, env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (failure: { code: number; stdout: string; stderr: string }) => failure,
  );

/** One line on stderr, prefixed, with no stack frame in it. */
const expectOneLine = (stderr: string) => {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^cognito-sentinel: /);
  expect(stderr).not.toMatch(/\n\s+at |node:internal|\.mjs:\d+/);
};

const moto = await startMoto();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sentinel-cli-errors-'));
});
afterAll(async () => {
  await moto?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the bin', () => {
  it('prints the version of package.json with --version, before or after a command', async () => {
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;
    for (const args of [['--version'], ['scan-logs', '--version']]) {
      const result = await runBin(args, { PATH: process.env.PATH ?? '' });
      expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });
});

describe.runIf(moto)('one error boundary: the real bin against moto_server', () => {
  const endpoint = moto?.endpoint ?? '';
  const pool = 'us-east-1_D0esN0tEx1st';

  it.each([
    ['setup-canary', ['setup-canary', '--user-pool-id', pool, '--client-id', '1example23456789']],
    ['preflight', ['preflight', '--config', 'CONFIG']],
  ])('%s without AWS credentials: one line that says how to provide them, exit 2', async (_name, args) => {
    const config = join(dir, 'sentinel.config.yml');
    writeFileSync(
      config,
      `pools:\n  - userPoolId: us-east-1_Sh0pP00l\n    region: us-east-1\n    clients: [{ clientId: 1example23456789 }]\n    triggerLogGroups:\n      /aws/lambda/shop-presignup: PreSignUp\n`,
    );
    const result = await runBin(
      args.map((arg) => (arg === 'CONFIG' ? config : arg)),
      noCredentials(dir, endpoint),
    );
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
    expect(result.stderr).toContain('no usable AWS credentials');
    expect(result.stderr).toContain('AWS_PROFILE');
  });

  it('setup-canary with a pool that does not exist: names it and says what to check, exit 2', async () => {
    const args = ['setup-canary', '--user-pool-id', pool, '--client-id', '1example23456789'];
    const result = await runBin(args, withCredentials(dir, endpoint));
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
    expect(result.stderr).toContain('setup-canary: ResourceNotFoundException');
    expect(result.stderr).toContain(pool);
    expect(result.stderr).toContain('--region');
  });

  it('prints the stack trace only with --debug', async () => {
    const args = ['setup-canary', '--user-pool-id', pool, '--client-id', '1example23456789', '--debug'];
    const result = await runBin(args, withCredentials(dir, endpoint));
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toContain('ResourceNotFoundException');
    expect(result.stderr).toMatch(/\n\s+at /);
  });
});

describe('preflight when the API answers 500 (a local server in place of CloudWatch Logs)', () => {
  let server: Server;
  let endpoint: string;
  beforeAll(async () => {
    server = createServer((_request, response) => {
      response.writeHead(500, { 'content-type': 'text/html' });
      response.end('<html><body>Internal Server Error</body></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('says AWS failed and to try again, in one line, exit 2', async () => {
    const config = join(dir, 'account-policy.yml');
    writeFileSync(
      config,
      `pools:\n  - userPoolId: us-east-1_Sh0pP00l\n    region: us-east-1\n    clients: [{ clientId: 1example23456789 }]\n    triggerLogGroups:\n      /aws/lambda/shop-presignup: PreSignUp\ndeployment:\n  subscriptions: { mode: account-policy }\n`,
    );
    // The SDK retries a 500 with backoff; one attempt keeps the test short.
    const env = { ...withCredentials(dir, endpoint), AWS_MAX_ATTEMPTS: '1' };
    const result = await runBin(['preflight', '--config', config], env);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr);
    expect(result.stderr).toContain('preflight: AWS answered HTTP 500');
    expect(result.stderr).toContain('Try again');
  });
});

describe('toCliFailure', () => {
  it('redacts what an AWS message quotes and keeps it on one line', () => {
    const error = Object.assign(new Error('User jane.doe@example.com\nnot found'), {
      name: 'ResourceNotFoundException',
    });
    const failure = toCliFailure(error, 'check');
    expect(failure.exitCode).toBe(2);
    expect(failure.message).not.toContain('jane.doe');
    expect(failure.message).not.toContain('\n');
    expect(failure.message).toMatch(/^check: ResourceNotFoundException: User \[redacted:email\] not found\./);
  });

  it('finds the cause of a wrapped error', () => {
    const error = new Error('could not list', { cause: { name: 'x', code: 'ECONNREFUSED' } });
    expect(toCliFailure(error, 'preflight').message).toContain('could not reach AWS (ECONNREFUSED)');
  });

  it.each(['EPIPE', 'ENETDOWN', 'UND_ERR_HEADERS_TIMEOUT'])(
    'reads %s as the network, as the canary does',
    (code) => {
      const error = new Error('fetch failed', { cause: { name: 'Error', code } });
      expect(toCliFailure(error, 'check').message).toContain(`could not reach AWS (${code})`);
    },
  );
});
