import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeliveryRecord } from '../../demo/report-dir';

const root = new URL('../../', import.meta.url).pathname;
const bin = join(root, 'bin', 'cognito-sentinel.mjs');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI as `npm start` does, with no AWS credentials in its environment. */
const runDemo = (args: string[], { interruptAfter }: { interruptAfter?: RegExp } = {}): Promise<Run> =>
  new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' };
    const child = spawn(process.execPath, [bin, 'demo', ...args], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (interruptAfter && !interrupted && interruptAfter.test(stdout)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });

const readJournal = (dir: string): DeliveryRecord[] =>
  readFileSync(join(dir, 'alerts.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as DeliveryRecord);

describe('npm start (cognito-sentinel demo)', () => {
  it('plays the seed incident: one page naming the field, one resolve after the rollback, no other page', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sentinel-demo-'));

    const run = await runDemo(['--cycles', '10', '--interval-ms', '400', '--report-dir', dir]);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const journal = readJournal(dir);
    expect(journal.map((record) => record.action)).toEqual(['trigger', 'resolve']);
    const [trigger, resolve] = journal;
    expect(trigger).toMatchObject({
      action: 'trigger',
      detector: 'trigger-response-invalid',
      trigger: 'PreSignUp',
      field: 'response.autoConfirmUser',
      sink: 'console',
    });
    expect(trigger?.title).toContain('autoConfirmUser');
    expect(resolve).toMatchObject({ action: 'resolve', dedupKey: trigger?.dedupKey });
    // Each delivery is also a Markdown report that stands alone.
    const page = readFileSync(join(dir, trigger?.report ?? ''), 'utf8');
    expect(page).toContain('# Page: PreSignUp returned autoConfirmUser as a string');
    expect(page).toContain('## Runbook');
    expect(readdirSync(dir).filter((file) => file.endsWith('.md'))).toHaveLength(2);
    // The story is told in phases, without colour when NO_COLOR is set, and the canary password never shows.
    expect(run.stdout).toMatch(/✔ The story played out as expected \(10 cycles in \d+\.\d s\)/);
    expect(run.stdout).not.toContain(String.fromCharCode(27));
    expect(run.stdout).not.toMatch(/Dm0-/);
    // --cycles 10 runs ten cycles, also after the story is complete; counts read as English.
    expect(run.stdout.match(/^ {2}cycle +\d+ /gm)).toHaveLength(10);
    expect(run.stdout).not.toMatch(/\b1 findings\b/);
  }, 120_000);

  it('plays client-config-drift: the CloudTrail event runs the audit, the page names the setting, before, after and who changed it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sentinel-demo-'));

    const run = await runDemo([
      '--scenario',
      'client-config-drift',
      '--cycles',
      '10',
      '--interval-ms',
      '200',
      '--report-dir',
      dir,
    ]);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const journal = readJournal(dir);
    expect(journal.map((record) => [record.action, record.detector])).toEqual([
      ['trigger', 'config-drift'],
      ['resolve', 'config-drift'],
    ]);
    expect(journal[0]?.field).toMatch(/^clients\.\w+\.ExplicitAuthFlows$/);
    const page = readFileSync(join(dir, journal[0]?.report ?? ''), 'utf8');
    expect(page).toContain('removed ALLOW_REFRESH_TOKEN_AUTH');
    expect(page).toMatch(
      /Before: +\[ALLOW_ADMIN_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_PASSWORD_AUTH\]/,
    );
    expect(page).toMatch(/After: +\[ALLOW_ADMIN_USER_PASSWORD_AUTH, ALLOW_USER_PASSWORD_AUTH\]/);
    expect(page).toContain('arn:aws:sts::123456789012:assumed-role/PlatformAdmin/jdoe: UpdateUserPoolClient');
    expect(page).not.toContain('198.51.100.23');
    expect(run.stdout).toContain('CloudTrail → EventBridge → config audit: 1 finding');
  }, 120_000);

  it('stops cleanly on Ctrl-C and removes the emulator and its temporary files', async () => {
    const run = await runDemo(['--interval-ms', '400'], { interruptAfter: /cycle {2}1/ });

    expect(run.code).toBe(130);
    expect(run.stdout).toContain('Stopped.');
    const dataDir = /data in (\S+)/.exec(run.stdout)?.[1];
    expect(dataDir).toBeDefined();
    expect(existsSync(dataDir ?? '/')).toBe(false);
  }, 120_000);

  it.each([
    [['--scenario', 'nope'], /--scenario "nope": expected one of/],
    [['--scenario', 'client-secret-rotated'], /does not check SECRET_HASH/],
    [
      ['--cycles', '2'],
      /--cycles "2": a story needs at least 5 cycles: 1 healthy, 2 broken \(the page\), 2 after the fix/,
    ],
    [['--cycles', 'ten'], /--cycles "ten": expected a whole number of at least 5/],
  ])('exits 2 on bad usage %j', async (args, message) => {
    const run = await runDemo(args);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
