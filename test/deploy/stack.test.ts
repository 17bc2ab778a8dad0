import { describe, expect, it } from 'vitest';
import { parseConfigText, parseSentinelConfig } from '../../config/load';
import {
  embedConfig,
  FUNCTION_KEYS,
  type StackContext,
  toAccountPolicyExclusions,
  toLogGroupLogicalSuffix,
  toStackPieces,
} from '../../deploy/stack';
import { ConfigError } from '../../runtime/errors';

const ctx: StackContext = {
  service: 'cognito-sentinel',
  stage: 'acme',
  region: 'us-east-1',
  functions: FUNCTION_KEYS,
};
const yaml = (extra = '', region = 'us-east-1') => `
pools:
  - userPoolId: ${region}_Sh0pP00l
    region: ${region}
    clients: [{ clientId: abc }]
    canary: { username: canary, password: "secretsmanager:cognito-sentinel/canary" }
    triggerLogGroups: { /aws/lambda/shop-presignup: PreSignUp }
${extra}`;

describe('stack pieces', () => {
  it('packages without source maps by default; deployment.sourceMaps turns them and --enable-source-maps on', () => {
    expect(toStackPieces(parseSentinelConfig(yaml(), 't.yml'), {}, ctx).sourceMaps).toEqual({
      esbuild: false,
      nodeOptions: '',
    });
    const withMaps = parseSentinelConfig(yaml('deployment:\n  sourceMaps: true\n'), 't.yml');
    expect(toStackPieces(withMaps, {}, ctx).sourceMaps).toEqual({
      esbuild: 'linked',
      nodeOptions: '--enable-source-maps',
    });
  });

  it('encrypts the alert topic with the AWS-managed SNS key by default, alarms on a topic CloudWatch can publish to', () => {
    const pieces = toStackPieces(parseSentinelConfig(yaml(), 't.yml'), {}, ctx);
    expect(pieces.resources.Resources.AlertTopic).toMatchObject({
      Properties: { TopicName: 'cognito-sentinel-acme-alerts', KmsMasterKeyId: 'alias/aws/sns' },
    });
    expect(pieces.alarmTopicArn).toEqual({ Ref: 'MonitorAlarmTopic' });
    expect(pieces.resources.Resources.MonitorAlarmTopic).toMatchObject({ Type: 'AWS::SNS::Topic' });
  });

  it('encrypts the alert topic with a customer key, lets the functions use it, and alarms on the alert topic', () => {
    const key = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const pieces = toStackPieces(
      parseSentinelConfig(yaml(`deployment:\n  alertTopicKmsKey: "${key}"\n`), 't.yml'),
      {},
      ctx,
    );
    expect(pieces.resources.Resources.AlertTopic).toMatchObject({ Properties: { KmsMasterKeyId: key } });
    expect(pieces.alarmTopicArn).toEqual({ Ref: 'AlertTopic' });
    expect(pieces.resources.Resources.MonitorAlarmTopic).toBeUndefined();
    expect(JSON.stringify(pieces.resources.Resources.TriggerLogsRole)).toContain('kms:GenerateDataKey*');
  });

  it('refuses a trigger-log timeout too short for the alert path to use up its time budgets', () => {
    const config = parseSentinelConfig(yaml('deployment:\n  triggerLogs: { timeoutSeconds: 10 }\n'), 't.yml');
    expect(() => toStackPieces(config, {}, ctx)).toThrow(
      /deployment\.triggerLogs\.timeoutSeconds: 10 s is shorter/,
    );
  });

  it('refuses a canary timeout that leaves no run once the alert path is kept free', () => {
    const config = parseSentinelConfig(yaml('deployment:\n  canary: { timeoutSeconds: 30 }\n'), 't.yml');
    expect(() => toStackPieces(config, {}, ctx)).toThrow(
      /deployment\.canary\.timeoutSeconds: 30 s leaves the canary no time/,
    );
    const roomy = parseSentinelConfig(yaml('deployment:\n  canary: { timeoutSeconds: 55 }\n'), 't.yml');
    expect(() => toStackPieces(roomy, {}, ctx)).not.toThrow();
  });

  it('refuses env: secret references for a deployment, naming the key', () => {
    const config = parseSentinelConfig(yaml('alerts:\n  pagerDuty: { routingKey: "env:PD_KEY" }\n'), 't.yml');
    expect(() => toStackPieces(config, {}, ctx)).toThrow(ConfigError);
    expect(() => toStackPieces(config, {}, ctx)).toThrow(
      /alerts\.pagerDuty\.routingKey: env:PD_KEY is for the CLI only/,
    );
  });

  it('refuses trigger log groups in another region than the stack, saying which --region to use', () => {
    const config = parseSentinelConfig(yaml('', 'eu-west-1'), 't.yml');
    expect(() => toStackPieces(config, {}, ctx)).toThrow(/pools\.0\.triggerLogGroups: .*--region eu-west-1/);
  });

  it('embeds the config so that osls leaves variable-like text alone and the function reads it back unchanged', () => {
    const raw = parseConfigText(
      yaml(`deployment:\n  subscriptions: { filterPattern: "${'$'}{odd} $x" }\n`),
      't.yml',
    );
    const literal = embedConfig(raw);
    expect(literal).not.toContain('$');
    expect(JSON.parse(JSON.parse(literal) as string)).toEqual(raw);
  });

  it('gives every log group a distinct, valid logical id', () => {
    const ids = ['/aws/lambda/a-b', '/aws/lambda/a_b', '/aws/lambda/ab'].map(toLogGroupLogicalSuffix);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9]{1,200}$/);
  });

  it('excludes the monitor’s own log groups from the account policy, so it never reads itself', () => {
    const config = parseSentinelConfig(yaml(), 't.yml');
    expect(toAccountPolicyExclusions(config, ctx)).toEqual([
      '/aws/lambda/cognito-sentinel-acme-canary',
      '/aws/lambda/cognito-sentinel-acme-triggerLogs',
      '/aws/lambda/cognito-sentinel-acme-incidentSweep',
      '/aws/lambda/cognito-sentinel-acme-configAudit',
    ]);
  });
});

describe('the dashboard', () => {
  it('is off when deployment.dashboard is false', () => {
    const on = toStackPieces(parseSentinelConfig(yaml(), 't.yml'), {}, ctx);
    const off = toStackPieces(
      parseSentinelConfig(yaml('deployment:\n  dashboard: false\n'), 't.yml'),
      {},
      ctx,
    );
    const types = (pieces: typeof on) =>
      Object.values(pieces.resources.Resources).map((resource) => (resource as { Type: string }).Type);
    expect(types(on)).toContain('AWS::CloudWatch::Dashboard');
    expect(on.resources.Outputs.DashboardUrl).toBeDefined();
    expect(types(off)).not.toContain('AWS::CloudWatch::Dashboard');
    expect(off.resources.Outputs.DashboardUrl).toBeUndefined();
  });

  it('gives the functions its URL for their pages, and nothing when it is off', () => {
    const on = toStackPieces(parseSentinelConfig(yaml(), 't.yml'), {}, ctx);
    const off = toStackPieces(
      parseSentinelConfig(yaml('deployment:\n  dashboard: false\n'), 't.yml'),
      {},
      ctx,
    );
    expect(on.dashboardUrl).toBe(
      'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=cognito-sentinel-acme',
    );
    expect(on.dashboardUrl).toBe((on.resources.Outputs.DashboardUrl as { Value: string }).Value);
    expect(off.dashboardUrl).toBe('');
  });
});

describe('stack pieces: the config audit', () => {
  const auditYaml = `
pools:
  - userPoolId: us-east-1_Sh0pP00l
    region: us-east-1
    expect: { triggers: { PreSignUp: shop-presignup-v2, PostConfirmation: "arn:aws:lambda:us-east-1:111122223333:function:shop-welcome" } }
    triggerLogGroups: { /aws/lambda/shop-presignup: PreSignUp }
  - userPoolId: eu-west-1_Eur0P00l
    region: eu-west-1
`;
  const pieces = () => toStackPieces(parseSentinelConfig(auditYaml, 't.yml'), {}, ctx);
  const statements = () =>
    (
      pieces().resources.Resources.ConfigAuditRole as {
        Properties: {
          Policies: {
            PolicyDocument: { Statement: { Sid: string; Action: string[]; Resource: unknown[] }[] };
          }[];
        };
      }
    ).Properties.Policies[0]?.PolicyDocument.Statement ?? [];
  const arn = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const node = value as { Ref?: string; 'Fn::Join'?: [string, unknown[]] };
    if (node.Ref === 'AWS::Partition') return 'aws';
    if (node.Ref === 'AWS::AccountId') return 'ACCOUNT';
    if (node['Fn::Join']) return node['Fn::Join'][1].map(arn).join(node['Fn::Join'][0]);
    return JSON.stringify(value);
  };

  it('reads the configured pools only, and the domain call on * (it has no resource type)', () => {
    const byId = Object.fromEntries(statements().map((statement) => [statement.Sid, statement]));
    expect(byId.AuditPools?.Action).toEqual([
      'cognito-idp:DescribeUserPool',
      'cognito-idp:ListUserPoolClients',
      'cognito-idp:DescribeUserPoolClient',
    ]);
    expect(byId.AuditPools?.Resource.map(arn)).toEqual([
      'arn:aws:cognito-idp:us-east-1:ACCOUNT:userpool/us-east-1_Sh0pP00l',
      'arn:aws:cognito-idp:eu-west-1:ACCOUNT:userpool/eu-west-1_Eur0P00l',
    ]);
    expect(byId.AuditPoolDomains).toMatchObject({
      Action: ['cognito-idp:DescribeUserPoolDomain'],
      Resource: ['*'],
    });
    expect(
      statements()
        .filter((statement) => statement.Resource.includes('*'))
        .map((statement) => statement.Sid),
    ).toEqual(['AuditPoolDomains']);
  });

  it('reads the configured trigger functions only (log groups and expectations), with their versions and aliases', () => {
    const wiring = statements().find((statement) => statement.Sid === 'AuditTriggerWiring');
    expect(wiring?.Action).toEqual(['lambda:GetFunctionConfiguration', 'lambda:GetPolicy']);
    expect(wiring?.Resource.map(arn)).toEqual([
      'arn:aws:lambda:us-east-1:ACCOUNT:function:shop-presignup',
      'arn:aws:lambda:us-east-1:ACCOUNT:function:shop-presignup:*',
      'arn:aws:lambda:us-east-1:ACCOUNT:function:shop-presignup-v2',
      'arn:aws:lambda:us-east-1:ACCOUNT:function:shop-presignup-v2:*',
      'arn:aws:lambda:us-east-1:ACCOUNT:function:shop-welcome',
      'arn:aws:lambda:us-east-1:ACCOUNT:function:shop-welcome:*',
    ]);
  });

  it('runs the audit on CloudTrail changes of the stack region’s pools and trigger functions, each rule allowed to invoke it', () => {
    const { Resources } = pieces().resources;
    const poolRule = Resources.ConfigAuditPoolChangesRule as {
      Properties: { EventPattern: Record<string, unknown> };
    };
    expect(poolRule.Properties.EventPattern).toEqual({
      source: ['aws.cognito-idp'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['cognito-idp.amazonaws.com'],
        eventName: expect.arrayContaining([
          'UpdateUserPool',
          'UpdateUserPoolClient',
          'DeleteUserPoolClient',
          'SetUserPoolMfaConfig',
          'UpdateUserPoolDomain',
        ]),
        requestParameters: { userPoolId: ['us-east-1_Sh0pP00l'] },
      },
    });
    const functionRule = Resources.ConfigAuditTriggerChangesRule as {
      Properties: { EventPattern: { detail: Record<string, unknown> } };
    };
    expect(functionRule.Properties.EventPattern.detail.eventName).toContainEqual({
      prefix: 'UpdateFunctionCode',
    });
    expect(Resources.ConfigAuditPoolChangesRulePermission).toMatchObject({
      Properties: {
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': ['ConfigAuditPoolChangesRule', 'Arn'] },
      },
    });
  });

  it('schedules the audit every 15 minutes by default', () => {
    expect(pieces().configAudit).toEqual({
      schedule: 'rate(15 minutes)',
      enabled: true,
      memorySize: 256,
      timeout: 60,
    });
  });
});
