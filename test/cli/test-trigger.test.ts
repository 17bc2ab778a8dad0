import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import { type LambdaInvokeServer, startLambdaInvokeServer } from '../../demo/local/lambda-invoke-server';
import { PERSONAL_DATA } from '../fixtures/triggers/events';
import { captureIo } from '../support/capture-io';

const root = new URL('../../', import.meta.url).pathname;
const bin = join(root, 'bin', 'cognito-sentinel.mjs');
const handlers = (name: string) => join('test', 'fixtures', 'handlers', name);
const exec = promisify(execFile);

type Line = Record<string, unknown> & { smallestFailingEvent?: Record<string, unknown> };

const toLines = (stdout: string): Line[] =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Line);

/** Runs the installed bin, as `npx cognito-sentinel` does, and never rejects. */
const runBin = async (args: string[], env: Record<string, string> = {}) => {
  const result = await exec(process.execPath, [bin, 'test-trigger', ...args, '--format', 'json'], {
    cwd: root,
    env: { ...process.env, ...env },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (failure: { code: number; stdout: string; stderr: string }) => failure,
  );
  return { ...result, lines: toLines(result.stdout) };
};

/** Runs the command in this process (fast; same code path as the bin after argument parsing). */
const run = async (args: string[]) => {
  const { io, out, err } = captureIo();
  const code = await main(['test-trigger', ...args], io);
  return { code, stdout: out(), stderr: err(), lines: toLines(out()) };
};

const externalProviderFinding = {
  detector: 'trigger-response-invalid',
  trigger: 'PreSignUp',
  triggerSource: 'PreSignUp_ExternalProvider',
  field: 'response.autoConfirmUser',
  expected: 'boolean',
  actual: 'string "true"',
};

describe('npx cognito-sentinel test-trigger (the installed bin)', () => {
  it('flags a PreSignUp handler that returns autoConfirmUser "true" only for PreSignUp_ExternalProvider', async () => {
    const { code, lines, stderr } = await runBin([
      handlers('pre-sign-up-external.mjs'),
      '--trigger',
      'PreSignUp',
    ]);

    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(lines).toEqual([expect.objectContaining(externalProviderFinding)]);
    // The smallest failing event is an external-provider sign-up, shrunk and redacted.
    expect(lines[0]?.smallestFailingEvent).toMatchObject({
      triggerSource: 'PreSignUp_ExternalProvider',
      userName: '[redacted:username]',
      response: { autoConfirmUser: false },
    });
    expect(JSON.stringify(lines[0])).not.toMatch(/@\w+\.example\.com/);
  });

  it('passes the correct version of the same handler (exit 0), selected with #export', async () => {
    const { code, stdout, stderr } = await runBin([
      handlers('pre-sign-up-external.mjs#fixed'),
      '--trigger',
      'PreSignUp',
    ]);
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it.each([
    ['a CommonJS module', 'pre-sign-up-external.cjs'],
    ['a callback-style handler', 'pre-sign-up-callback.cjs'],
  ])('loads %s and flags the same bug', async (_kind, file) => {
    const { code, lines } = await runBin([handlers(file), '--trigger', 'PreSignUp', '--runs', '20']);
    expect(code).toBe(1);
    expect(lines).toEqual([expect.objectContaining(externalProviderFinding)]);
  });

  it('reports a handler that never answers as trigger-timeout instead of hanging', async () => {
    const { code, lines } = await runBin([
      handlers('define-auth-challenge-hangs.mjs'),
      '--trigger',
      'DefineAuthChallenge',
      '--runs',
      '1',
    ]);
    expect(code).toBe(1);
    expect(lines).toEqual([
      expect.objectContaining({
        detector: 'trigger-timeout',
        triggerSource: 'DefineAuthChallenge_Authentication',
        expected: 'under 5.00 s',
      }),
    ]);
  });
});

describe('test-trigger', () => {
  it('passes a callback-style handler that calls back with a valid event', async () => {
    expect(await run([handlers('pre-sign-up-callback.cjs#fixed'), '--trigger', 'PreSignUp'])).toMatchObject({
      code: 0,
      stdout: '',
    });
  });

  it('reports a thrown error as trigger-error for every source, shrunk to an event without clientMetadata', async () => {
    const { code, lines } = await run([
      handlers('post-confirmation-metadata.mjs'),
      '--trigger',
      'PostConfirmation',
    ]);

    expect(code).toBe(1);
    expect(lines.map((line) => [line.detector, line.triggerSource, line.actual])).toEqual([
      ['trigger-error', 'PostConfirmation_ConfirmSignUp', 'TypeError'],
      ['trigger-error', 'PostConfirmation_ConfirmForgotPassword', 'TypeError'],
    ]);
    for (const line of lines) {
      const request = line.smallestFailingEvent?.request as Record<string, unknown>;
      expect(request.clientMetadata ?? null).toBeNull();
    }
  });

  it('prints the text report with the smallest failing event, redacted', async () => {
    const { stdout } = await run([
      handlers('pre-sign-up-external.mjs'),
      '--trigger',
      'PreSignUp',
      '--format',
      'text',
      '--seed',
      '7',
    ]);
    expect(stdout).toContain('FAIL PreSignUp_ExternalProvider');
    expect(stdout).toContain('ok   PreSignUp_SignUp (50 invocations)');
    expect(stdout).toContain('field:         response.autoConfirmUser');
    expect(stdout).toContain('smallest failing event (redacted):');
    expect(stdout).not.toContain(PERSONAL_DATA.email);
    expect(stdout).not.toMatch(/@\w+\.example\.com/);
  });

  it('says how many events it runs by default in --help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('events per triggerSource (default 50)');
  });

  it.each([
    [['--trigger', 'PreSignUp'], 'pass one FILE[#export], or --function-name NAME'],
    [[handlers('pre-sign-up-external.mjs')], '--trigger is required'],
    [
      [handlers('pre-sign-up-external.mjs'), '--trigger', 'PreSignup'],
      '--trigger "PreSignup": expected one of',
    ],
    [
      [handlers('pre-sign-up-external.mjs#nope'), '--trigger', 'PreSignUp'],
      'export "nope" is not a function',
    ],
    [[handlers('missing.mjs'), '--trigger', 'PreSignUp'], 'missing.mjs: cannot read (ENOENT)'],
    [[handlers('pre-sign-up-external.mjs'), '--trigger', 'PreSignUp', '--runs', '0'], '--runs "0"'],
  ])('exits 2 on bad usage: %j', async (args, message) => {
    const { code, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});

describe('test-trigger --function-name (the local Lambda Invoke API)', () => {
  let server: LambdaInvokeServer;
  const versions: string[] = [];
  const env = () => ({
    AWS_ENDPOINT_URL: server.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });

  beforeAll(async () => {
    const buggy = await import('../fixtures/handlers/pre-sign-up-external.mjs');
    server = await startLambdaInvokeServer({
      functions: {
        'shop-presignup': { handler: buggy.handler },
        'shop-presignup-fixed': { handler: buggy.fixed },
        // Lambda's own timeout fires first: the Invoke API answers with "Task timed out".
        'shop-define-auth': { handler: () => new Promise(() => {}), timeoutMs: 50 },
      },
    });
    server.onLogs((batch) => versions.push(batch.logStream));
  });
  afterAll(() => server.stop());

  it('flags the deployed buggy version, invoking the qualifier given', async () => {
    const { code, lines } = await runBin(
      ['--function-name', 'shop-presignup', '--qualifier', '7', '--trigger', 'PreSignUp', '--runs', '10'],
      env(),
    );
    expect(code).toBe(1);
    expect(lines).toEqual([
      expect.objectContaining({ ...externalProviderFinding, logGroup: '/aws/lambda/shop-presignup' }),
    ]);
    expect(versions.length).toBeGreaterThan(0);
    expect(versions.every((stream) => stream.includes('[7]'))).toBe(true);
  });

  it('passes the fixed function', async () => {
    const { code, stdout } = await runBin(
      ['--function-name', 'shop-presignup-fixed', '--trigger', 'PreSignUp', '--runs', '10'],
      env(),
    );
    expect({ code, stdout }).toEqual({ code: 0, stdout: '' });
  });

  it('maps a Lambda-side timeout to trigger-timeout', async () => {
    const { code, lines } = await runBin(
      ['--function-name', 'shop-define-auth', '--trigger', 'DefineAuthChallenge', '--runs', '1'],
      env(),
    );
    expect(code).toBe(1);
    expect(lines).toEqual([expect.objectContaining({ detector: 'trigger-timeout' })]);
  });

  it('exits 2 naming a function that does not exist', async () => {
    const { code, stderr } = await runBin(
      ['--function-name', 'nope', '--trigger', 'PreSignUp', '--runs', '1'],
      env(),
    );
    expect(code).toBe(2);
    expect(stderr).toContain('Cannot invoke nope: ResourceNotFoundException');
  });
});
