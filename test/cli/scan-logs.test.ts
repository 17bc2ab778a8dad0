import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import { captureIo } from '../support/capture-io';
import {
  encodeSubscriptionData,
  endLine,
  reportLine,
  startLine,
  textLine,
  toSubscriptionEvent,
  toSubscriptionMessage,
} from '../support/log-payloads';

const root = new URL('../../', import.meta.url).pathname;
const example = (name: string) => join(root, 'examples', name);
const LOG_GROUP = '/aws/lambda/shop-presignup';

const run = async (argv: string[], { stdin = '', isTty = false } = {}) => {
  const { io, out, err } = captureIo({
    readStdin: async () => stdin,
    readFile: async (path) => readFileSync(path, 'utf8'),
    isTty,
  });
  const code = await main(argv, io);
  const stdout = out();
  const stderr = err();
  const findings = stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { code, stdout, stderr, findings };
};

const tmp = mkdtempSync(join(tmpdir(), 'scan-logs-'));
const write = (name: string, content: string) => {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
};

const seedFinding = {
  detector: 'trigger-response-invalid',
  trigger: 'PreSignUp',
  field: 'response.autoConfirmUser',
  expected: 'boolean',
  actual: 'string "true"',
};

describe('scan-logs', () => {
  it.each([
    ['a Lambda subscription event', ['seed-incident.subscription.json']],
    ['aws logs filter-log-events output', ['seed-incident.filter-log-events.json', '--log-group', LOG_GROUP]],
    [
      'plain text, one line per line',
      ['seed-incident.log', '--log-group', LOG_GROUP, '--trigger-map', `${LOG_GROUP}=PreSignUp`],
    ],
  ])('finds the seed incident in %s and exits 1', async (_shape, [file, ...options]) => {
    const { code, findings, stderr } = await run([
      'scan-logs',
      example(file ?? ''),
      ...options,
      '--format',
      'json',
    ]);

    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(findings).toHaveLength(3);
    for (const finding of findings) expect(finding).toMatchObject(seedFinding);
  });

  it('reads a decoded subscription message from stdin', async () => {
    const message = toSubscriptionMessage({
      logGroup: LOG_GROUP,
      lines: [
        textLine('0b9d8c7e-6f5a-4b3c-8d2e-1a0f9e8d7c6b', 'INFO', "response { autoConfirmUser: 'true' }"),
      ],
    });

    const { code, findings } = await run(
      ['scan-logs', '-', '--trigger-map', `${LOG_GROUP}=PreSignUp`, '--format', 'json'],
      {
        stdin: JSON.stringify(message),
      },
    );

    expect(code).toBe(1);
    expect(findings).toEqual([expect.objectContaining(seedFinding)]);
  });

  it('prints nothing and exits 0 on healthy logs', async () => {
    const { code, stdout, stderr } = await run([
      'scan-logs',
      example('healthy.subscription.json'),
      '--format',
      'json',
    ]);

    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('prints the human report with the runbook section in text format', async () => {
    const { code, stdout } = await run([
      'scan-logs',
      example('seed-incident.subscription.json'),
      '--format',
      'text',
    ]);

    expect(code).toBe(1);
    expect(stdout).toContain('3 findings in 1 incident');
    expect(stdout).toContain('PreSignUp returned autoConfirmUser as a string');
    expect(stdout).toContain('aws cognito-idp describe-user-pool --user-pool-id eu-west-1_Dem0P00l1');
    expect(stdout).not.toMatch(/@example\.(com|org|net)/);
  });

  it('defaults to text on a terminal and to JSON lines when piped', async () => {
    const piped = await run(['scan-logs', example('seed-incident.subscription.json')]);
    const terminal = await run(['scan-logs', example('seed-incident.subscription.json')], { isTty: true });

    expect(piped.findings).toHaveLength(3);
    expect(terminal.stdout).toContain('Scanned');
  });

  it.each([
    ['critical', 1],
    ['error', 1],
  ])('exits per --fail-on %s', async (failOn, expected) => {
    const { code } = await run([
      'scan-logs',
      example('seed-incident.subscription.json'),
      '--fail-on',
      failOn,
    ]);
    expect(code).toBe(expected);
  });

  it('reports a slow trigger as a warning that only fails with --fail-on warning', async () => {
    const requestId = '6f1c0a52-3b7e-4c1e-9a51-1f2d3c4b5a6e';
    const file = write(
      'slow.json',
      JSON.stringify(
        toSubscriptionEvent({
          logGroup: LOG_GROUP,
          lines: [startLine(requestId), endLine(requestId), reportLine({ requestId, durationMs: 3890.4 })],
        }),
      ),
    );

    const byDefault = await run(['scan-logs', file, '--trigger-map', `${LOG_GROUP}=PreSignUp`]);
    const strict = await run([
      'scan-logs',
      file,
      '--trigger-map',
      `${LOG_GROUP}=PreSignUp`,
      '--fail-on',
      'warning',
    ]);

    expect(byDefault.code).toBe(0);
    expect(byDefault.findings).toEqual([
      expect.objectContaining({ detector: 'trigger-slow', severity: 'warning' }),
    ]);
    expect(strict.code).toBe(1);
  });

  it.each([
    ['an unknown option', ['--colour'], /colour/],
    ['a bad --format', ['--format', 'xml'], /--format "xml"/],
    ['a bad --fail-on', ['--fail-on', 'loud'], /--fail-on "loud"/],
    ['a bad --trigger-map', ['--trigger-map', `${LOG_GROUP}=PreSignup2`], /unknown trigger "PreSignup2"/],
    ['a --trigger-map without =', ['--trigger-map', 'PreSignUp'], /LOGGROUP=Trigger/],
  ])('exits 2 on %s with a message naming it', async (_name, options, message) => {
    const { code, stderr } = await run(['scan-logs', example('healthy.subscription.json'), ...options]);

    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it.each([
    ['a missing file', () => join(tmp, 'nope.json'), /nope\.json.*ENOENT/],
    ['JSON of no known shape', () => write('other.json', '{"hello":"world"}'), /other\.json/],
    [
      'invalid base64 in a subscription event',
      () => write('b64.json', '{"awslogs":{"data":"%%%"}}'),
      /base64/,
    ],
    [
      'plain text without --log-group',
      () => write('plain.log', 'START RequestId: x Version: $LATEST\n'),
      /--log-group/,
    ],
  ])('exits 2 on %s and names the input', async (_name, file, message) => {
    const { code, stderr } = await run(['scan-logs', file()]);

    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('still reports findings from the other inputs when one input is unreadable', async () => {
    const { code, findings, stderr } = await run([
      'scan-logs',
      join(tmp, 'missing.json'),
      example('seed-incident.subscription.json'),
      '--format',
      'json',
    ]);

    expect(code).toBe(2);
    expect(findings).toHaveLength(3);
    expect(stderr).toContain('missing.json');
  });

  it('exits 2 with usage for an unknown command', async () => {
    const { code, stderr } = await run(['scan-everything']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "scan-everything"');
  });
});

describe('npx cognito-sentinel scan-logs (the installed bin, no build step)', () => {
  const exec = promisify(execFile);
  const bin = join(root, 'bin', 'cognito-sentinel.mjs');

  it('prints the seed finding as JSON and exits 1', async () => {
    const error = await exec(
      process.execPath,
      [bin, 'scan-logs', example('seed-incident.subscription.json'), '--format', 'json'],
      {
        cwd: root,
      },
    ).catch((failure: { code: number; stdout: string }) => failure);

    expect('code' in error ? error.code : 0).toBe(1);
    const first = JSON.parse(error.stdout.split('\n')[0] ?? '{}') as Record<string, unknown>;
    expect(first).toMatchObject(seedFinding);
  });

  it('stops quietly when the reader closes the pipe early (`| head`)', async () => {
    const child = spawn(
      process.execPath,
      [bin, 'scan-logs', example('seed-incident.subscription.json'), '--format', 'json'],
      {
        cwd: root,
      },
    );
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Error:|\n\s+at /);
    expect(code).toBe(1);
  });

  it("gives a Python trigger's print(event) of the seed incident the same findings as the Node version", async () => {
    const python = JSON.parse(
      readFileSync(new URL('../fixtures/logs/python-seed-incident.json', import.meta.url), 'utf8'),
    ) as { logGroup: string; logStream: string; logEvents: { timestamp: number; message: string }[] };
    const file = write(
      'python-seed-incident.subscription.json',
      JSON.stringify(
        encodeSubscriptionData({
          messageType: 'DATA_MESSAGE',
          owner: '123456789012',
          logGroup: python.logGroup,
          logStream: python.logStream,
          subscriptionFilters: ['cognito-sentinel'],
          logEvents: python.logEvents.map((event, index) => ({ id: String(index), ...event })),
        }),
      ),
    );
    const scan = (input: string) =>
      exec(process.execPath, [bin, 'scan-logs', input, '--format', 'json'], { cwd: root }).catch(
        (failure: { code: number; stdout: string }) => failure,
      );
    // Everything but the evidence excerpt (which quotes the line as written) and the event time.
    const project = (stdout: string) =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => {
          const {
            evidence: _evidence,
            timestamp: _timestamp,
            ...rest
          } = JSON.parse(line) as Record<string, unknown>;
          return rest;
        });

    const [node, fromPython] = await Promise.all([
      scan(example('seed-incident.subscription.json')),
      scan(file),
    ]);

    expect('code' in fromPython ? fromPython.code : 0).toBe(1);
    expect(project(fromPython.stdout)).toHaveLength(3);
    expect(project(fromPython.stdout)).toEqual(project(node.stdout));
    for (const finding of project(fromPython.stdout)) expect(finding).toMatchObject(seedFinding);
  });

  it('prints nothing and exits 0 on healthy logs', async () => {
    const { stdout, stderr } = await exec(
      process.execPath,
      [bin, 'scan-logs', example('healthy.subscription.json'), '--format', 'json'],
      {
        cwd: root,
      },
    );
    expect({ stdout, stderr }).toEqual({ stdout: '', stderr: '' });
  });
});
