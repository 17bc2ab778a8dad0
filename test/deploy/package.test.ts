import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const exec = promisify(execFile);

interface Template {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

const LOG_GROUPS = {
  '/aws/lambda/shop-presignup': {
    trigger: 'PreSignUp',
    userPoolId: 'us-east-1_Sh0pP00l',
    region: 'us-east-1',
  },
  '/aws/lambda/shop-pretoken': {
    trigger: 'PreTokenGeneration',
    userPoolId: 'us-east-1_Sh0pP00l',
    region: 'us-east-1',
  },
};

// `osls package` with no AWS credentials and no network, in a copy of the project so the test
// never leaves a .serverless/ folder behind in the working tree.
describe('osls package (offline, no credentials)', () => {
  let template: Template;
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'sentinel-package-'));
    for (const entry of [
      'serverless.yml',
      'package.json',
      'tsconfig.json',
      'functions',
      'detectors',
      'contracts',
      'alerts',
      'runbook',
      'lib',
      'deploy',
    ]) {
      cpSync(join(root, entry), join(work, entry), { recursive: true });
    }
    symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'), 'dir');
    await exec(
      process.execPath,
      [join(root, 'node_modules/osls/bin/serverless.js'), 'package', '--stage', 'test'],
      {
        cwd: work,
        timeout: 180_000,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: work,
          SLS_TELEMETRY_DISABLED: '1',
          SLS_NOTIFICATIONS_MODE: 'off',
          AWS_EC2_METADATA_DISABLED: 'true',
          SENTINEL_LOG_GROUPS: JSON.stringify(LOG_GROUPS),
        },
      },
    );
    template = JSON.parse(
      readFileSync(join(work, '.serverless/cloudformation-template-update-stack.json'), 'utf8'),
    ) as Template;
  }, 200_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const resourcesOf = (type: string) =>
    Object.values(template.Resources).filter((resource) => resource.Type === type);

  it('deploys the trigger-log function on nodejs22.x', () => {
    const [fn, ...others] = resourcesOf('AWS::Lambda::Function');
    expect(others).toEqual([]);
    expect(fn?.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Handler: 'functions/trigger-logs.handler',
    });
  });

  it('subscribes the function to every configured trigger log group', () => {
    const filters = resourcesOf('AWS::Logs::SubscriptionFilter')
      .map((filter) => filter.Properties.LogGroupName)
      .sort();
    expect(filters).toEqual(Object.keys(LOG_GROUPS).sort());
  });

  it('passes the log-group map to the function', () => {
    const [fn] = resourcesOf('AWS::Lambda::Function');
    const environment = fn?.Properties.Environment as { Variables: Record<string, unknown> } | undefined;
    const variables = environment?.Variables ?? {};
    expect(JSON.parse(String(variables.SENTINEL_LOG_GROUPS))).toEqual(LOG_GROUPS);
  });

  it('grants no IAM * action', () => {
    const policies = JSON.stringify(resourcesOf('AWS::IAM::Role'));
    expect(policies).not.toMatch(/"Action":\s*"\*"|"[a-z0-9-]+:\*"/);
  });

  it('bundles the function into a small zip (size reported)', () => {
    const size = statSync(join(work, '.serverless/triggerLogs.zip')).size;
    console.info(`triggerLogs.zip: ${(size / 1024).toFixed(0)} KiB`);
    expect(size).toBeGreaterThan(10_000);
  });
});
