import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSentinelConfig, readSentinelConfigFile } from '../../config/load';
import { loadDeployedSentinelConfig, toRateMinutes, toSubscriptionMode } from '../../config/sentinel-config';
import { toTriggerLogsConfig } from '../../config/trigger-logs-config';
import { ConfigError } from '../../runtime/errors';

const root = new URL('../../', import.meta.url).pathname;

const VALID = `
pools:
  - userPoolId: us-east-1_Sh0pP00l
    region: us-east-1
    clients:
      - clientId: 1example23456789
    canary:
      username: cognito-sentinel-canary
      password: secretsmanager:cognito-sentinel/canary/us-east-1_Sh0pP00l
    triggerLogGroups:
      /aws/lambda/shop-presignup: PreSignUp
`;

/** VALID with `line` appended under the top level (a block of YAML at column 0). */
const withTopLevel = (yaml: string) => `${VALID}${yaml}\n`;
/** VALID with `yaml` added to the first pool (indented under `  - `). */
const withPool = (yaml: string) => `${VALID}${yaml.replace(/^/gm, '    ')}\n`;

describe('sentinel.config.yml validation', () => {
  it('accepts the commented example at the repository root, filling every deployment default', () => {
    const { config } = readSentinelConfigFile(`${root}sentinel.config.example.yml`);
    expect(config.pools[0]?.userPoolId).toBe('us-east-1_AbCdEf123');
    expect(config.deployment.canary.schedule).toBe('rate(1 minute)');
    expect(config.deployment.logRetentionDays).toBe(30);
  });

  it('fills the deployment section with defaults when it is left out', () => {
    const config = parseSentinelConfig(VALID, 'test.yml');
    expect(config.deployment).toMatchObject({
      canary: { schedule: 'rate(1 minute)', enabled: true, memorySize: 256, timeoutSeconds: 55 },
      logRetentionDays: 30,
      subscriptions: { mode: 'auto', maxLogGroupFilters: 20, filterPattern: '' },
      alarms: { enabled: true, canaryMissedRuns: 5, canaryErrorRuns: 3, triggerLogErrors: 1 },
      chatbotTopic: false,
      kmsKeyArns: [],
    });
  });

  it.each([
    ['an empty file', '', /\(root\): /],
    ['no pools', 'pools: []\n', /pools: list at least one user pool/],
    ['a YAML syntax error', 'pools: [\n', /not valid YAML/],
    ['an unknown top-level key', withTopLevel('alert: {}'), /\(root\): Unrecognized key: "alert"/],
    [
      'a bad user pool id',
      VALID.replace('us-east-1_Sh0pP00l\n', 'Sh0pP00l\n'),
      /pools\.0\.userPoolId: expected a user pool id/,
    ],
    [
      'a bad region',
      VALID.replace('region: us-east-1', 'region: useast1'),
      /pools\.0\.region: expected an AWS region/,
    ],
    [
      'a bad client id',
      VALID.replace('clientId: 1example23456789', 'clientId: "not a client"'),
      /pools\.0\.clients\.0\.clientId: expected an app client id/,
    ],
    [
      'a secret reference with an unknown store',
      VALID.replace('password: secretsmanager:', 'password: vault:'),
      /pools\.0\.canary\.password: .*not a secret reference/,
    ],
    [
      'an unknown trigger',
      VALID.replace(': PreSignUp', ': PreSignup'),
      /pools\.0\.triggerLogGroups\.\/aws\/lambda\/shop-presignup: Invalid option/,
    ],
    [
      'a log group listed under two pools',
      `${VALID}  - userPoolId: us-east-1_Other1\n    region: us-east-1\n    clients: [{ clientId: abc }]\n    triggerLogGroups: { /aws/lambda/shop-presignup: PreSignUp }\n`,
      /pools\.1\.triggerLogGroups\.\/aws\/lambda\/shop-presignup: already listed under pools\.0/,
    ],
    [
      'an alerts topic that is not an ARN',
      withTopLevel('alerts:\n  snsTopicArn: alerts'),
      /alerts\.snsTopicArn: expected an SNS topic ARN/,
    ],
    [
      'a schedule that is not a rate',
      withTopLevel('deployment:\n  canary:\n    schedule: every minute'),
      /deployment\.canary\.schedule: expected an EventBridge rate/,
    ],
    [
      'a cron schedule',
      withTopLevel('deployment:\n  canary:\n    schedule: cron(* * * * ? *)'),
      /deployment\.canary\.schedule: expected an EventBridge rate/,
    ],
    [
      'a canary timeout longer than the interval',
      withTopLevel('deployment:\n  canary:\n    timeoutSeconds: 90'),
      /deployment\.canary\.timeoutSeconds: 90 s is longer than the schedule interval \(60 s\)/,
    ],
    [
      'a canary memory size below Lambda’s minimum',
      withTopLevel('deployment:\n  canary:\n    memorySize: 64'),
      /deployment\.canary\.memorySize: Too small/,
    ],
    [
      'a retention CloudWatch Logs does not offer',
      withTopLevel('deployment:\n  logRetentionDays: 10'),
      /deployment\.logRetentionDays: expected one of CloudWatch Logs' retention values/,
    ],
    [
      'an unknown subscription mode',
      withTopLevel('deployment:\n  subscriptions:\n    mode: kinesis'),
      /deployment\.subscriptions\.mode: Invalid option/,
    ],
    [
      'a non-integer filter threshold',
      withTopLevel('deployment:\n  subscriptions:\n    maxLogGroupFilters: 2.5'),
      /deployment\.subscriptions\.maxLogGroupFilters: /,
    ],
    [
      'an excluded log group with spaces',
      withTopLevel('deployment:\n  subscriptions:\n    excludeLogGroups: ["not a group"]'),
      /deployment\.subscriptions\.excludeLogGroups\.0: expected a log group name/,
    ],
    [
      'an alarm window longer than a day',
      withTopLevel(
        'deployment:\n  canary:\n    schedule: rate(6 hours)\n    timeoutSeconds: 30\n  alarms:\n    canaryMissedRuns: 5',
      ),
      /deployment\.alarms\.canaryMissedRuns: .*over one day/,
    ],
    [
      'alarms enabled as a string',
      withTopLevel('deployment:\n  alarms:\n    enabled: "yes"'),
      /deployment\.alarms\.enabled: Invalid input: expected boolean/,
    ],
    [
      'a runbook URL that is not http(s)',
      withTopLevel('deployment:\n  runbookBaseUrl: ftp://example.com/runbook'),
      /deployment\.runbookBaseUrl: expected an http\(s\) URL/,
    ],
    [
      'a KMS key that is not an ARN',
      withTopLevel('deployment:\n  kmsKeyArns: [alias/aws/ssm]'),
      /deployment\.kmsKeyArns\.0: expected a KMS key ARN/,
    ],
    [
      'an unknown deployment key',
      withTopLevel('deployment:\n  schedule: rate(1 minute)'),
      /deployment: Unrecognized key: "schedule"/,
    ],
    ['an unknown pool key', withPool('triggers: {}'), /pools\.0: Unrecognized key: "triggers"/],
  ])('refuses %s, naming the key', (_name, text, message) => {
    expect(() => parseSentinelConfig(text, 'sentinel.config.yml')).toThrow(ConfigError);
    expect(() => parseSentinelConfig(text, 'sentinel.config.yml')).toThrow(message);
    expect(() => parseSentinelConfig(text, 'sentinel.config.yml')).toThrow(/^sentinel\.config\.yml: /);
  });

  it.each([
    ['rate(1 minute)', 1],
    ['rate(5 minutes)', 5],
    ['rate(1 hour)', 60],
    ['rate(2 hours)', 120],
    ['rate(1 day)', 1440],
    ['rate(1 minutes)', undefined],
    ['rate(0 minutes)', undefined],
    ['cron(0 * * * ? *)', undefined],
  ])('reads %s as %s minutes', (expression, minutes) => {
    expect(toRateMinutes(expression)).toBe(minutes);
  });
});

describe('subscription mode', () => {
  const withGroups = (count: number, extra = '') =>
    parseSentinelConfig(
      `pools:\n  - userPoolId: us-east-1_Sh0pP00l\n    region: us-east-1\n    clients: [{ clientId: abc }]\n    triggerLogGroups:\n${Array.from({ length: count }, (_, index) => `      /aws/lambda/fn-${index}: PreSignUp\n`).join('')}${extra}`,
      'test.yml',
    );

  it('subscribes one filter per log group up to the threshold, then switches to the account policy', () => {
    expect(toSubscriptionMode(withGroups(20))).toBe('log-group');
    expect(toSubscriptionMode(withGroups(21))).toBe('account-policy');
    expect(
      toSubscriptionMode(withGroups(2, 'deployment:\n  subscriptions: { maxLogGroupFilters: 1 }\n')),
    ).toBe('account-policy');
  });

  it('keeps a forced mode whatever the count', () => {
    expect(
      toSubscriptionMode(withGroups(1, 'deployment:\n  subscriptions: { mode: account-policy }\n')),
    ).toBe('account-policy');
    expect(toSubscriptionMode(withGroups(30, 'deployment:\n  subscriptions: { mode: log-group }\n'))).toBe(
      'log-group',
    );
  });

  it('makes the trigger-log function skip unlisted log groups only under the account policy', () => {
    expect(toTriggerLogsConfig(withGroups(1)).ignoreUnlistedLogGroups).toBeUndefined();
    expect(toTriggerLogsConfig(withGroups(21)).ignoreUnlistedLogGroups).toBe(true);
  });
});

describe('the deployed functions’ config', () => {
  const json = JSON.stringify({
    pools: [{ userPoolId: 'us-east-1_Sh0pP00l', region: 'us-east-1', clients: [{ clientId: 'abc' }] }],
  });

  it('reads the copy embedded at package time', () => {
    expect(loadDeployedSentinelConfig({}, json).pools[0]?.userPoolId).toBe('us-east-1_Sh0pP00l');
  });

  it('prefers SENTINEL_CONFIG over the embedded copy (tests and local runs)', () => {
    const other = json.replace('us-east-1_Sh0pP00l', 'us-east-1_Other1');
    expect(loadDeployedSentinelConfig({ SENTINEL_CONFIG: other }, json).pools[0]?.userPoolId).toBe(
      'us-east-1_Other1',
    );
  });

  it('validates the same text once: a function reading its config twice at init gets the same object', () => {
    const first = loadDeployedSentinelConfig({}, json);
    expect(loadDeployedSentinelConfig({}, json)).toBe(first);
    // Another text (or the same text from another source) is validated on its own.
    const other = json.replace('us-east-1_Sh0pP00l', 'us-east-1_Other1');
    expect(loadDeployedSentinelConfig({}, other).pools[0]?.userPoolId).toBe('us-east-1_Other1');
    expect(loadDeployedSentinelConfig({ SENTINEL_CONFIG: json }, other)).not.toBe(first);
  });

  it('fails naming the source and the key', () => {
    const bad = json.replace('us-east-1_Sh0pP00l', 'nope');
    expect(() => loadDeployedSentinelConfig({ SENTINEL_CONFIG: bad })).toThrow(
      /^SENTINEL_CONFIG: pools\.0\.userPoolId: expected a user pool id/,
    );
    expect(() => loadDeployedSentinelConfig({}, bad)).toThrow(
      /embedded at package time: pools\.0\.userPoolId/,
    );
    expect(() => loadDeployedSentinelConfig({}, undefined)).toThrow(/No configuration/);
  });

  it('never pulls the YAML parser into a function bundle', () => {
    const source = readFileSync(`${root}config/sentinel-config.ts`, 'utf8');
    expect(source).not.toMatch(/from 'yaml'/);
  });
});
