import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeAccountPoliciesCommand,
  DescribeSubscriptionFiltersCommand,
  PutSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { preflight, toSlotCheck } from '../../cli/preflight';
import { awsClientConfig, createMotoFunction } from '../../demo/local/moto';
import { captureIo } from '../support/capture-io';
import { startMotoForFile } from '../support/moto';
import { runMain, usageRefusal } from '../support/run-main';

const PRESIGNUP = '/aws/lambda/shop-presignup';
const PRETOKEN = '/aws/lambda/shop-pretoken';
const OURS = {
  filterName: 'cognito-sentinel-acme-trigger-logs',
  functionName: 'cognito-sentinel-acme-triggerLogs',
};

const configYaml = (mode = 'auto') => `
pools:
  - userPoolId: us-east-1_Sh0pP00l
    region: us-east-1
    clients: [{ clientId: 1example23456789 }]
    triggerLogGroups:
      ${PRESIGNUP}: PreSignUp
      ${PRETOKEN}: PreTokenGeneration
deployment:
  subscriptions: { mode: ${mode} }
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sentinel-preflight-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const writeConfig = (text: string) => {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(path, text);
  return path;
};

describe('toSlotCheck', () => {
  const filter = (
    name: string,
    destination = 'arn:aws:lambda:us-east-1:123456789012:function:datadog-forwarder',
  ) => ({
    filterName: name,
    destinationArn: destination,
  });

  it.each([
    ['missing', undefined],
    ['free', []],
    ['free', [filter('datadog')]],
    ['full', [filter('datadog'), filter('splunk')]],
    ['ours', [filter('datadog'), filter(OURS.filterName)]],
    [
      'ours',
      [
        filter('renamed', `arn:aws:lambda:us-east-1:123456789012:function:${OURS.functionName}`),
        filter('datadog'),
      ],
    ],
  ] as const)('classifies a log group as %s', (state, filters) => {
    expect(toSlotCheck(PRESIGNUP, filters, OURS).state).toBe(state);
  });

  it('tells what to do about a full log group, naming the filters in the way', () => {
    const check = toSlotCheck(PRESIGNUP, [filter('datadog'), filter('splunk')], OURS);
    expect(check.advice).toMatch(/datadog -> arn:aws:lambda:.*datadog-forwarder/);
    expect(check.advice).toMatch(/mode: account-policy/);
    expect(check.advice).toMatch(/remove one of these filters/);
  });
});

describe('preflight usage', () => {
  it('exits 2 naming the config key when the config is bad', async () => {
    const path = writeConfig('pools:\n  - userPoolId: nope\n    region: us-east-1\n    clients: []\n');
    const { code, stderr } = await runMain(['preflight', '--config', path]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/pools\.0\.userPoolId: expected a user pool id/);
    // A pool without a canary needs no clients (the config audit watches it), so only the id is named.
    expect(stderr).not.toMatch(/pools\.0\.clients/);
  });

  it('exits 2 when the config file does not exist', async () => {
    expect(await runMain(['preflight', '--config', join(dir, 'absent.yml')])).toMatchObject(
      usageRefusal(/no such file; copy sentinel.config.example.yml/),
    );
  });
});

describe('preflight in account-policy mode (aws-sdk-client-mock: moto has no DescribeAccountPolicies)', () => {
  const logs = mockClient(CloudWatchLogsClient);
  // mockClient(Class) replaces `send` on every instance: give the moto suite the real one back.
  afterAll(() => logs.restore());
  beforeEach(() => {
    logs.reset();
    logs.on(DescribeSubscriptionFiltersCommand).resolves({ subscriptionFilters: [] });
  });

  it('passes when no other account-level subscription policy exists, without needing a per-group slot', async () => {
    logs.on(DescribeAccountPoliciesCommand).resolves({
      accountPolicies: [
        { policyName: 'cognito-sentinel-acme-trigger-logs', policyType: 'SUBSCRIPTION_FILTER_POLICY' },
      ],
    });
    const { io, out } = captureIo();
    const code = await preflight(
      ['--config', writeConfig(configYaml('account-policy')), '--stage', 'acme', '--format', 'text'],
      io,
      { logsFor: () => new CloudWatchLogsClient({ region: 'us-east-1' }) },
    );
    expect(out()).toMatch(/Subscription mode: account-policy/);
    expect(out()).toMatch(/no slot needed/);
    expect(code).toBe(0);
  });

  it('fails when another account-level subscription policy is in place', async () => {
    logs.on(DescribeAccountPoliciesCommand).resolves({
      accountPolicies: [{ policyName: 'org-log-forwarder', policyType: 'SUBSCRIPTION_FILTER_POLICY' }],
    });
    const { io, out } = captureIo();
    const code = await preflight(
      ['--config', writeConfig(configYaml('account-policy')), '--stage', 'acme', '--format', 'text'],
      io,
      { logsFor: () => new CloudWatchLogsClient({ region: 'us-east-1' }) },
    );
    expect(code).toBe(1);
    expect(out()).toMatch(/PROBLEM .*org-log-forwarder.*mode: log-group/);
  });
});

const moto = await startMotoForFile();

describe.runIf(moto)('preflight against moto_server', () => {
  const endpoint = moto?.endpoint ?? '';
  const logs = new CloudWatchLogsClient(awsClientConfig(endpoint));
  const deps = { logsFor: () => logs };
  let forwarderArn: string;

  // PutSubscriptionFilter in moto needs a destination Lambda, and Lambda needs an IAM role moto knows.
  const createFunction = (name: string): Promise<string> => createMotoFunction(endpoint, name);
  const subscribe = (logGroupName: string, filterName: string, destinationArn = forwarderArn) =>
    logs.send(
      new PutSubscriptionFilterCommand({ logGroupName, filterName, filterPattern: '', destinationArn }),
    );

  beforeEach(async () => {
    await moto?.reset();
    forwarderArn = await createFunction('datadog-forwarder');
    await logs.send(new CreateLogGroupCommand({ logGroupName: PRESIGNUP }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: PRETOKEN }));
  });

  const run = async (mode = 'auto') => {
    const capture = captureIo();
    const code = await preflight(
      ['--config', writeConfig(configYaml(mode)), '--stage', 'acme', '--format', 'text'],
      capture.io,
      deps,
    );
    return { code, out: capture.out() };
  };

  it('is ready when every log group has a free slot', async () => {
    await subscribe(PRESIGNUP, 'datadog');

    const { code, out } = await run();

    expect(code).toBe(0);
    expect(out).toMatch(/ok {6}\/aws\/lambda\/shop-presignup {2}\(1\/2 filters\) {2}free slot/);
    expect(out).toMatch(/Ready: npx osls deploy/);
  });

  it('recognises this deployment’s own filter as no obstacle', async () => {
    const ours = await createFunction(OURS.functionName);
    await subscribe(PRESIGNUP, 'datadog');
    await subscribe(PRESIGNUP, OURS.filterName, ours);

    const { code, out } = await run();

    expect(code).toBe(0);
    expect(out).toMatch(
      /\/aws\/lambda\/shop-presignup {2}\(2\/2 filters\) {2}already subscribed by this deployment/,
    );
  });

  it('fails on a full log group and says what to do instead of CloudFormation’s raw error', async () => {
    await subscribe(PRESIGNUP, 'datadog');
    await subscribe(PRESIGNUP, 'splunk');
    // moto enforces the quota like AWS does: a third filter is refused.
    await expect(subscribe(PRESIGNUP, 'third')).rejects.toThrow(/LimitExceeded|Resource limit exceeded/);

    const { code, out } = await run();

    expect(code).toBe(1);
    expect(out).toMatch(/FULL {4}\/aws\/lambda\/shop-presignup {2}\(2\/2 filters\) {2}no free slot/);
    expect(out).toMatch(/mode: account-policy/);
    expect(out).toMatch(/Not ready/);
  });

  it('fails on a log group that does not exist, naming it', async () => {
    const capture = captureIo();
    const path = writeConfig(configYaml().replace(PRETOKEN, '/aws/lambda/shop-typo'));

    const code = await preflight(['--config', path, '--format', 'json'], capture.io, deps);

    expect(code).toBe(1);
    const lines = capture
      .out()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { logGroup: string; state: string });
    expect(lines).toContainEqual(
      expect.objectContaining({ logGroup: '/aws/lambda/shop-typo', state: 'missing' }),
    );
  });
});
