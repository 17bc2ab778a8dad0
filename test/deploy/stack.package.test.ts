import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readZipEntry } from './read-zip';

const root = new URL('../../', import.meta.url).pathname;
const fixtures = new URL('./fixtures/', import.meta.url).pathname;
const exec = promisify(execFile);

interface Resource {
  Type: string;
  Condition?: string;
  DependsOn?: string[];
  Properties: Record<string, unknown>;
}
interface Template {
  Conditions?: Record<string, unknown>;
  Resources: Record<string, Resource>;
  Outputs?: Record<string, unknown>;
}
interface Statement {
  Sid: string;
  Effect: string;
  Action: string[];
  Resource: unknown[];
  Condition?: unknown;
}

// Everything osls and esbuild need, copied so the test never leaves .serverless/ in the tree.
const SKIP = new Set(['node_modules', '.git', '.serverless', '.esbuild', 'coverage', 'test', 'reports']);

/** `osls package` with no AWS credentials, no network and no login, in a copy of the project. */
const packageWith = async (configFile: string, stage: string) => {
  const work = mkdtempSync(join(tmpdir(), 'sentinel-package-'));
  for (const entry of readdirSync(root)) {
    if (!SKIP.has(entry)) cpSync(join(root, entry), join(work, entry), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'), 'dir');
  await exec(
    process.execPath,
    [join(root, 'node_modules/osls/bin/serverless.js'), 'package', '--stage', stage],
    {
      cwd: work,
      timeout: 180_000,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: work,
        SLS_TELEMETRY_DISABLED: '1',
        SLS_NOTIFICATIONS_MODE: 'off',
        AWS_EC2_METADATA_DISABLED: 'true',
        SENTINEL_CONFIG_FILE: configFile,
      },
    },
  ).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(`osls package failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
  });
  const template = JSON.parse(
    readFileSync(join(work, '.serverless/cloudformation-template-update-stack.json'), 'utf8'),
  ) as Template;
  return { work, template };
};

const ACCOUNT = '111122223333';
const POOLS = ['us-east-1_Sh0pP00l', 'us-east-1_Adm1nP00l'];
/** Renders a CloudFormation value with fixed pseudo parameters; Ref/GetAtt of stack resources become `<Id>` / `<Id.Attr>`. */
const render = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if ('Ref' in node) {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::AccountId': ACCOUNT,
      'AWS::Region': 'us-east-1',
    };
    return pseudo[String(node.Ref)] ?? `<${String(node.Ref)}>`;
  }
  if ('Fn::GetAtt' in node) return `<${(node['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Fn::Join' in node) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map(render).join(separator);
  }
  throw new Error(`cannot render ${JSON.stringify(value)}`);
};

const byType = (template: Template, type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
const statementsOf = (template: Template, roleId: string): Statement[] => {
  const role = template.Resources[roleId];
  const policies = (role?.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
};
/** Rendered resources of a role, per action. */
const grantsOf = (template: Template, roleId: string): Record<string, string[]> => {
  const grants: Record<string, string[]> = {};
  for (const statement of statementsOf(template, roleId)) {
    for (const action of statement.Action) {
      grants[action] = [...(grants[action] ?? []), ...statement.Resource.map(render)].sort();
    }
  }
  return grants;
};
/** A property of a resource, typed by the caller; undefined when the resource or property is absent. */
const propertyOf = <T>(template: Template, id: string, key: string): T | undefined =>
  template.Resources[id]?.Properties[key] as T | undefined;
const variablesOf = (template: Template, id: string): Record<string, unknown> =>
  propertyOf<{ Variables: Record<string, unknown> }>(template, id, 'Environment')?.Variables ?? {};

const reportBundles = (work: string) => {
  for (const file of readdirSync(join(work, '.serverless')).filter((name) => name.endsWith('.zip'))) {
    console.info(`${file}: ${(statSync(join(work, '.serverless', file)).size / 1024).toFixed(0)} KiB (zip)`);
  }
};

const DASHBOARD_URL =
  'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=cognito-sentinel-acme';

const LOGS = (fn: string) => [
  `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/cognito-sentinel-acme-${fn}:*`,
];
const SHOP = `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/us-east-1_Sh0pP00l`;
const ADMIN = `arn:aws:cognito-idp:us-east-1:${ACCOUNT}:userpool/us-east-1_Adm1nP00l`;
const TABLE = ['<IncidentTable.Arn>', '<IncidentTable.Arn>/index/active-incidents'].sort();
const PAGERDUTY_SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:cognito-sentinel/pagerduty-??????`;
const KMS_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

describe('osls package, one subscription filter per log group (offline, no credentials)', () => {
  let template: Template;
  let work: string;

  beforeAll(async () => {
    ({ template, work } = await packageWith(join(fixtures, 'sentinel.config.yml'), 'acme'));
  }, 200_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('deploys every function on nodejs22.x with its own role and the on-failure queue', () => {
    const functions = byType(template, 'AWS::Lambda::Function');
    expect(functions.map(([id]) => id).sort()).toEqual([
      'CanaryLambdaFunction',
      'ConfigAuditLambdaFunction',
      'IncidentSweepLambdaFunction',
      'TriggerLogsLambdaFunction',
    ]);
    for (const [id, fn] of functions) {
      expect(fn.Properties.Runtime, id).toBe('nodejs22.x');
      expect(render((fn.Properties.Role as { 'Fn::GetAtt': string[] }) ?? '')).toBe(
        `<${id.replace('LambdaFunction', 'Role')}.Arn>`,
      );
    }
    expect(byType(template, 'AWS::IAM::Role').map(([id]) => id)).not.toContain('IamRoleLambdaExecution');
    const invokeConfigs = byType(template, 'AWS::Lambda::EventInvokeConfig').map(([, config]) =>
      render(
        (config.Properties.DestinationConfig as { OnFailure: { Destination: unknown } }).OnFailure
          .Destination,
      ),
    );
    expect(invokeConfigs).toEqual(Array(4).fill('<FailedInvocationsQueue.Arn>'));
  });

  it('runs the canary on the configured EventBridge schedule, without retries', () => {
    const rules = byType(template, 'AWS::Events::Rule').map(([, rule]) => rule);
    const rule = rules.find(
      (candidate) =>
        render(((candidate.Properties.Targets ?? []) as { Arn: unknown }[])[0]?.Arn) ===
        '<CanaryLambdaFunction.Arn>',
    );
    expect(rule?.Properties).toMatchObject({ ScheduleExpression: 'rate(2 minutes)', State: 'ENABLED' });
    expect(render(((rule?.Properties.Targets ?? []) as { Arn: unknown }[])[0]?.Arn)).toBe(
      '<CanaryLambdaFunction.Arn>',
    );
    const canary = template.Resources.CanaryLambdaFunction?.Properties;
    expect(canary).toMatchObject({ Timeout: 60, MemorySize: 256 });
    const [[, canaryInvoke] = []] = byType(template, 'AWS::Lambda::EventInvokeConfig').filter(([id]) =>
      id.startsWith('Canary'),
    );
    expect(canaryInvoke?.Properties.MaximumRetryAttempts).toBe(0);
  });

  it('subscribes the trigger-log function to each configured log group, each with a scoped permission', () => {
    const filters = byType(template, 'AWS::Logs::SubscriptionFilter').map(([, filter]) => filter);
    expect(filters.map((filter) => filter.Properties.LogGroupName).sort()).toEqual([
      '/aws/lambda/admin-define-auth',
      '/aws/lambda/shop-presignup',
      '/aws/lambda/shop-pretoken',
    ]);
    for (const filter of filters) {
      expect(filter.Properties).toMatchObject({
        FilterName: 'cognito-sentinel-acme-trigger-logs',
        FilterPattern: '',
      });
      expect(render(filter.Properties.DestinationArn)).toBe('<TriggerLogsLambdaFunction.Arn>');
      const permission = template.Resources[filter.DependsOn?.[0] ?? ''];
      expect(permission?.Properties.Principal).toBe('logs.amazonaws.com');
      expect(render(permission?.Properties.SourceArn)).toBe(
        `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${String(filter.Properties.LogGroupName)}:*`,
      );
    }
    expect(byType(template, 'AWS::Logs::AccountPolicy')).toEqual([]);
  });

  it('creates the incident table on demand, with TTL and point-in-time recovery', () => {
    expect(template.Resources.IncidentTable?.Properties).toMatchObject({
      TableName: 'cognito-sentinel-acme-incidents',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'dedupKey', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('encrypts the alert topic at rest with the AWS-managed SNS key', () => {
    expect(template.Resources.AlertTopic?.Properties).toMatchObject({ KmsMasterKeyId: 'alias/aws/sns' });
    expect(render((template.Outputs?.MonitorAlarmTopicArn as { Value?: unknown } | undefined)?.Value)).toBe(
      '<MonitorAlarmTopic>',
    );
  });

  it('creates the alert and Chatbot topics and the encrypted on-failure queue', () => {
    expect(
      byType(template, 'AWS::SNS::Topic').map(([id, topic]) => [id, topic.Properties.TopicName]),
    ).toEqual(
      expect.arrayContaining([
        ['AlertTopic', 'cognito-sentinel-acme-alerts'],
        ['ChatbotTopic', 'cognito-sentinel-acme-chatbot'],
      ]),
    );
    expect(template.Resources.FailedInvocationsQueue?.Properties).toMatchObject({
      QueueName: 'cognito-sentinel-acme-failed-invocations',
      SqsManagedSseEnabled: true,
    });
    const variables = variablesOf(template, 'TriggerLogsLambdaFunction');
    expect(render(variables.SENTINEL_ALERT_TOPIC_ARN)).toBe('<AlertTopic>');
    expect(render(variables.SENTINEL_CHATBOT_TOPIC_ARN)).toBe('<ChatbotTopic>');
    expect(render(variables.SENTINEL_INCIDENT_TABLE)).toBe('<IncidentTable>');
    // PagerDuty's dedup_key and source carry the account, so many accounts can page one service.
    expect(variables.SENTINEL_ACCOUNT_ID).toEqual({ Ref: 'AWS::AccountId' });
    expect(variables.SENTINEL_STAGE).toBe('acme');
  });

  it('watches itself: a dead-man’s switch that treats missing data as breaching, errors and DLQ depth, all to the alert topic', () => {
    const alarms = Object.fromEntries(byType(template, 'AWS::CloudWatch::Alarm'));
    expect(Object.keys(alarms).sort()).toEqual([
      'AlertPathDegradedAlarm',
      'CanaryErrorsAlarm',
      'CanaryNotRunningAlarm',
      'FailedInvocationsAlarm',
      'TriggerLogsErrorsAlarm',
    ]);
    expect(alarms.AlertPathDegradedAlarm?.Properties).toMatchObject({
      Namespace: 'CognitoSentinel',
      MetricName: 'AlertPathDegraded',
      Dimensions: [{ Name: 'service', Value: 'cognito-sentinel' }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(alarms.CanaryNotRunningAlarm?.Properties).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Invocations',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      Period: 120,
      EvaluationPeriods: 5,
      TreatMissingData: 'breaching',
    });
    expect(
      render(((alarms.CanaryNotRunningAlarm?.Properties.Dimensions ?? []) as { Value: unknown }[])[0]?.Value),
    ).toBe('<CanaryLambdaFunction>');
    expect(alarms.FailedInvocationsAlarm?.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
    });
    for (const [id, alarm] of Object.entries(alarms)) {
      // The alert topic is under the AWS-managed key, which CloudWatch alarms cannot publish to.
      expect((alarm.Properties.AlarmActions as unknown[]).map(render), id).toEqual(['<MonitorAlarmTopic>']);
      expect((alarm.Properties.OKActions as unknown[]).map(render), id).toEqual(['<MonitorAlarmTopic>']);
      expect(alarm.Condition).toBe('AlarmsEnabled');
    }
    expect(template.Conditions?.AlarmsEnabled).toEqual({ 'Fn::Equals': ['true', 'true'] });
  });

  it('keeps the functions’ own logs for the configured retention', () => {
    const retention = byType(template, 'AWS::Logs::LogGroup').map(
      ([, group]) => group.Properties.RetentionInDays,
    );
    expect(retention).toEqual([14, 14, 14, 14]);
  });

  it('grants no IAM * action and no * resource, except DescribeUserPoolDomain (it has no resource type)', () => {
    for (const [roleId] of byType(template, 'AWS::IAM::Role')) {
      for (const statement of statementsOf(template, roleId)) {
        for (const action of statement.Action) expect(action, roleId).not.toMatch(/\*/);
        if (statement.Sid === 'AuditPoolDomains') {
          expect(statement.Action).toEqual(['cognito-idp:DescribeUserPoolDomain']);
          continue;
        }
        for (const resource of statement.Resource) expect(render(resource), roleId).not.toBe('*');
      }
    }
  });

  // Only the watched trigger functions, for the "recent changes" line of a page.
  const TRIGGER_FUNCTIONS = ['admin-define-auth', 'shop-presignup', 'shop-pretoken']
    .map((name) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`)
    .sort();

  it('scopes the canary role to the configured pools, secrets, parameters, key, table, topics and queue', () => {
    const secrets = [
      PAGERDUTY_SECRET,
      `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:admin-canary-AbCdEf`,
      `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:admin-canary-AbCdEf-??????`,
      `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:cognito-sentinel/canary/us-east-1_Sh0pP00l-??????`,
    ].sort();
    expect(grantsOf(template, 'CanaryRole')).toEqual({
      'logs:CreateLogStream': LOGS('canary'),
      'logs:PutLogEvents': LOGS('canary'),
      'sns:Publish': ['<AlertTopic>', '<ChatbotTopic>'],
      'dynamodb:GetItem': [...TABLE, '<AuditTable.Arn>'].sort(),
      'dynamodb:PutItem': TABLE,
      'dynamodb:Query': TABLE,
      'sqs:SendMessage': ['<FailedInvocationsQueue.Arn>'],
      'secretsmanager:GetSecretValue': secrets,
      'ssm:GetParameter': [
        `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/cognito-sentinel/admin/answers`,
        `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/cognito-sentinel/shop/backend-client-secret`,
      ],
      'kms:Decrypt': [KMS_KEY],
      'cognito-idp:AdminInitiateAuth': [ADMIN, SHOP],
      'cognito-idp:AdminGetUser': [ADMIN, SHOP],
      'cognito-idp:AdminUserGlobalSignOut': [ADMIN, SHOP],
      'cognito-idp:DescribeUserPool': [ADMIN, SHOP],
      'cognito-idp:DescribeUserPoolClient': [ADMIN, SHOP],
      'cognito-idp:AdminRespondToAuthChallenge': [ADMIN],
      'cognito-idp:AdminDeleteUser': [SHOP],
      'lambda:GetFunctionConfiguration': TRIGGER_FUNCTIONS,
    });
    expect(
      statementsOf(template, 'CanaryRole')
        .find((statement) => statement.Sid === 'ReadPoolChanges')
        ?.Resource.map(render),
    ).toEqual(['<AuditTable.Arn>']);
    const kms = statementsOf(template, 'CanaryRole').find((statement) => statement.Sid === 'DecryptSecrets');
    expect(kms?.Condition).toEqual({
      'ForAnyValue:StringLike': {
        'kms:ViaService': ['secretsmanager.*.amazonaws.com', 'ssm.*.amazonaws.com'],
      },
    });
  });

  it("gives the trigger-log role only its logs, the alert path, the PagerDuty key, the pools' recorded changes and the watched functions' deploy times", () => {
    expect(grantsOf(template, 'TriggerLogsRole')).toEqual({
      'logs:CreateLogStream': LOGS('triggerLogs'),
      'logs:PutLogEvents': LOGS('triggerLogs'),
      'sns:Publish': ['<AlertTopic>', '<ChatbotTopic>'],
      'dynamodb:GetItem': [...TABLE, '<AuditTable.Arn>'].sort(),
      'dynamodb:PutItem': TABLE,
      'dynamodb:Query': TABLE,
      'sqs:SendMessage': ['<FailedInvocationsQueue.Arn>'],
      'secretsmanager:GetSecretValue': [PAGERDUTY_SECRET],
      'kms:Decrypt': [KMS_KEY],
      'lambda:GetFunctionConfiguration': TRIGGER_FUNCTIONS,
    });
  });

  it('gives the incident sweep its own role: logs, the alert path and the PagerDuty key, on a five-minute schedule', () => {
    expect(grantsOf(template, 'IncidentSweepRole')).toEqual({
      'logs:CreateLogStream': LOGS('incidentSweep'),
      'logs:PutLogEvents': LOGS('incidentSweep'),
      'sns:Publish': ['<AlertTopic>', '<ChatbotTopic>'],
      'dynamodb:GetItem': TABLE,
      'dynamodb:PutItem': TABLE,
      'dynamodb:Query': TABLE,
      // The weekly report reads its own table only.
      'dynamodb:Scan': ['<IncidentTable.Arn>'],
      'sqs:SendMessage': ['<FailedInvocationsQueue.Arn>'],
      'secretsmanager:GetSecretValue': [PAGERDUTY_SECRET],
      'kms:Decrypt': [KMS_KEY],
    });
    const schedules = byType(template, 'AWS::Events::Rule').map(
      ([, rule]) => rule.Properties.ScheduleExpression,
    );
    expect(schedules.filter(Boolean).sort()).toEqual([
      'cron(0 8 ? * MON *)',
      'rate(15 minutes)',
      'rate(2 minutes)',
      'rate(5 minutes)',
    ]);
    const weekly = byType(template, 'AWS::Events::Rule').find(
      ([, rule]) => rule.Properties.ScheduleExpression === 'cron(0 8 ? * MON *)',
    );
    expect(JSON.stringify(weekly?.[1])).toContain('weekly-report');
  });

  it('holds the dashboard with widgets for each pool in the config, its URL as an output', () => {
    const dashboards = byType(template, 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const body = JSON.parse(String(dashboards[0]?.[1].Properties.DashboardBody)) as {
      widgets: { properties: { title: string } }[];
    };
    const titles = body.widgets.map((widget) => widget.properties.title);
    for (const pool of POOLS) {
      expect(titles).toContain(`Canary sign-in success: ${pool}`);
      expect(titles).toContain(`Canary latency per step (p50): ${pool}`);
    }
    expect(titles).toEqual(
      expect.arrayContaining([
        "The monitor's own errors",
        'Failed invocations queue and degraded alert path',
      ]),
    );
    expect((template.Outputs?.DashboardUrl as { Value?: unknown } | undefined)?.Value).toBe(DASHBOARD_URL);
  });

  it('gives every function the dashboard URL its pages link to', () => {
    for (const fn of ['CanaryLambdaFunction', 'TriggerLogsLambdaFunction', 'IncidentSweepLambdaFunction'])
      expect(variablesOf(template, fn).SENTINEL_DASHBOARD_URL, fn).toBe(DASHBOARD_URL);
  });

  it('gives the config audit its own role: reads of the configured pools and trigger functions, its table, the alert path', () => {
    expect(grantsOf(template, 'ConfigAuditRole')).toEqual({
      'logs:CreateLogStream': LOGS('configAudit'),
      'logs:PutLogEvents': LOGS('configAudit'),
      'sns:Publish': ['<AlertTopic>', '<ChatbotTopic>'],
      'dynamodb:GetItem': [...TABLE, '<AuditTable.Arn>'].sort(),
      'dynamodb:PutItem': [...TABLE, '<AuditTable.Arn>'].sort(),
      'dynamodb:Query': TABLE,
      'sqs:SendMessage': ['<FailedInvocationsQueue.Arn>'],
      'secretsmanager:GetSecretValue': [PAGERDUTY_SECRET],
      'kms:Decrypt': [KMS_KEY],
      'cognito-idp:DescribeUserPool': [ADMIN, SHOP],
      'cognito-idp:ListUserPoolClients': [ADMIN, SHOP],
      'cognito-idp:DescribeUserPoolClient': [ADMIN, SHOP],
      'cognito-idp:DescribeUserPoolDomain': ['*'],
      'lambda:GetFunctionConfiguration': [
        ...TRIGGER_FUNCTIONS,
        ...TRIGGER_FUNCTIONS.map((arn) => `${arn}:*`),
      ].sort(),
      'lambda:GetPolicy': [...TRIGGER_FUNCTIONS, ...TRIGGER_FUNCTIONS.map((arn) => `${arn}:*`)].sort(),
    });
    const rules = byType(template, 'AWS::Events::Rule').filter(([id]) => id.endsWith('ChangesRule'));
    expect(rules.map(([id]) => id).sort()).toEqual([
      'ConfigAuditPoolChangesRule',
      'ConfigAuditTriggerChangesRule',
    ]);
    expect(template.Resources.AuditTable?.Properties).toMatchObject({ BillingMode: 'PAY_PER_REQUEST' });
  });

  it('embeds the validated config in every bundle (no config file, no YAML parser at run time)', () => {
    for (const [zipName, entry] of [
      ['triggerLogs.zip', 'functions/trigger-logs.mjs'],
      ['canary.zip', 'functions/canary.mjs'],
      ['incidentSweep.zip', 'functions/incident-sweep.mjs'],
    ] as const) {
      const bundle =
        readZipEntry(readFileSync(join(work, '.serverless', zipName)), entry)?.toString('utf8') ?? '';
      expect(bundle.length, entry).toBeGreaterThan(0);
      if (bundle.includes('loadDeployedSentinelConfig')) {
        expect(bundle, entry).toContain('"userPoolId":"us-east-1_Adm1nP00l"');
        expect(bundle, entry).not.toContain('__SENTINEL_CONFIG__');
      }
      expect(bundle, entry).not.toContain('YAMLParseError');
    }
    reportBundles(work);
  });

  it('packages lean bundles: one zod locale, no JSON Schema converters, no source maps unless asked', () => {
    for (const [zipName, entry] of [
      ['triggerLogs.zip', 'functions/trigger-logs.mjs'],
      ['canary.zip', 'functions/canary.mjs'],
      ['incidentSweep.zip', 'functions/incident-sweep.mjs'],
    ] as const) {
      const zip = readFileSync(join(work, '.serverless', zipName));
      const bundle = readZipEntry(zip, entry)?.toString('utf8') ?? '';
      // `import { z } from 'zod'` kept every locale and converter (about 580 KiB of every bundle).
      expect(bundle, entry).toContain('node_modules/zod/v4/locales/en.js');
      expect(bundle, entry).not.toContain('node_modules/zod/v4/locales/he.js');
      expect(bundle, entry).not.toContain('node_modules/zod/v4/classic/from-json-schema.js');
      expect(bundle, entry).not.toContain('sourceMappingURL');
      expect(readZipEntry(zip, `${entry}.map`), entry).toBeUndefined();
    }
    for (const id of ['CanaryLambdaFunction', 'TriggerLogsLambdaFunction', 'IncidentSweepLambdaFunction']) {
      expect(variablesOf(template, id).NODE_OPTIONS ?? '', id).not.toContain('--enable-source-maps');
    }
  });
});

describe('osls package, account-level subscription filter policy (offline, no credentials)', () => {
  let template: Template;
  let work: string;

  beforeAll(async () => {
    ({ template, work } = await packageWith(join(fixtures, 'sentinel.account-policy.yml'), 'acme'));
  }, 200_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('creates one account policy that excludes the monitor’s own log groups, instead of per-group filters', () => {
    expect(byType(template, 'AWS::Logs::SubscriptionFilter')).toEqual([]);
    const [[, policy] = []] = byType(template, 'AWS::Logs::AccountPolicy');
    expect(policy?.Properties).toMatchObject({
      PolicyName: 'cognito-sentinel-acme-trigger-logs',
      PolicyType: 'SUBSCRIPTION_FILTER_POLICY',
      Scope: 'ALL',
    });
    const document = JSON.parse(render(policy?.Properties.PolicyDocument)) as Record<string, string>;
    expect(document.DestinationArn).toBe('<TriggerLogsLambdaFunction.Arn>');
    expect(document.FilterPattern).toMatch(/\?triggerSource/);
    const selection = String(policy?.Properties.SelectionCriteria);
    expect(selection).toMatch(/^LogGroupName NOT IN \[/);
    const excluded = JSON.parse(selection.replace('LogGroupName NOT IN ', '')) as string[];
    expect(excluded).toEqual(
      expect.arrayContaining([
        '/aws/lambda/cognito-sentinel-acme-canary',
        '/aws/lambda/cognito-sentinel-acme-triggerLogs',
        '/aws/lambda/noisy-batch-job',
      ]),
    );
  });

  it('lets CloudWatch Logs invoke the function from this account only', () => {
    const permission = template.Resources.TriggerLogsAccountPolicyPermission?.Properties;
    expect(permission?.Principal).toBe('logs.amazonaws.com');
    expect(render(permission?.SourceArn)).toBe(`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:*`);
    expect(render(permission?.SourceAccount)).toBe(ACCOUNT);
    expect(template.Resources.TriggerLogsAccountPolicy?.DependsOn).toEqual([
      'TriggerLogsAccountPolicyPermission',
    ]);
  });

  it('publishes to and alarms on the configured existing topic; alarms can be switched off', () => {
    const topic = 'arn:aws:sns:us-east-1:111122223333:platform-alerts';
    const variables = variablesOf(template, 'CanaryLambdaFunction');
    expect(variables.SENTINEL_ALERT_TOPIC_ARN).toBe(topic);
    expect(variables.SENTINEL_CHATBOT_TOPIC_ARN).toBe('');
    // This config turns the dashboard off: no dashboard, and no link to one in the pages.
    expect(byType(template, 'AWS::CloudWatch::Dashboard')).toEqual([]);
    expect(variables.SENTINEL_DASHBOARD_URL).toBe('');
    expect(grantsOf(template, 'CanaryRole')['sns:Publish']).toEqual([topic]);
    expect(grantsOf(template, 'CanaryRole')['ssm:GetParameter']).toEqual([
      `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/cognito-sentinel/canary/password`,
    ]);
    for (const [, alarm] of byType(template, 'AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties.AlarmActions).toEqual([topic]);
    }
    expect(template.Conditions?.AlarmsEnabled).toEqual({ 'Fn::Equals': ['false', 'true'] });
  });

  it('runs nodejs22.x everywhere and grants no * action', () => {
    for (const [, fn] of byType(template, 'AWS::Lambda::Function'))
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
    const roles = JSON.stringify(byType(template, 'AWS::IAM::Role'));
    expect(roles).not.toMatch(/"Action":\s*"\*"|"[a-z0-9-]+:\*"/);
    reportBundles(work);
  });
});
