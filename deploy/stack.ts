/**
 * The per-account pieces of the CloudFormation stack, derived from a validated sentinel.config.yml:
 * one IAM role per function with every statement scoped to the configured ARNs, the trigger-log
 * subscriptions (one filter per log group, or one account-level subscription filter policy), the
 * optional Chatbot topic, and the values serverless.yml reads (`${self:custom.sentinel.*}`).
 *
 * Pure: config and context in, plain CloudFormation out. deploy/sentinel.cjs calls it while osls
 * resolves serverless.yml. The account id is never known here: every ARN is built from the
 * `AWS::Partition` and `AWS::AccountId` pseudo parameters, so packaging needs no AWS credentials.
 */
import { createHash } from 'node:crypto';
import {
  CLOUDTRAIL_DETAIL_TYPE,
  WATCHED_COGNITO_CALLS,
  WATCHED_LAMBDA_CALL_PREFIXES,
} from '../audit/cloudtrail-event';
import type { SecretRef } from '../config/secret-ref';
import {
  listTriggerLogGroups,
  type SentinelConfig,
  toRateMinutes,
  toSubscriptionMode,
} from '../config/sentinel-config';
import { toWatchedFunctions } from '../config/watched-functions';
import {
  ALERT_PATH_RESERVE_MS,
  ALERT_PATH_WORST_CASE_MS,
  MIN_CANARY_RUN_SECONDS,
} from '../runtime/aws-client-options';
import { ConfigError } from '../runtime/errors';

import { toDashboardResources, toDashboardUrl } from './dashboard';

/** A CloudFormation value: a literal or an intrinsic function. */
export type Cfn =
  | string
  | { Ref: string }
  | { 'Fn::GetAtt': [string, string] }
  | { 'Fn::Join': [string, Cfn[]] }
  | { 'Fn::If': [string, Cfn, Cfn] };

export interface IamStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: Cfn[];
  Condition?: Record<string, Record<string, Cfn | Cfn[]>>;
}

export interface StackContext {
  /** serverless.yml `service`. */
  service: string;
  stage: string;
  /** The region the stack deploys to. */
  region: string;
  /** Function keys declared in serverless.yml (a role is made for each). */
  functions: readonly FunctionKey[];
}

export const FUNCTION_KEYS = ['canary', 'triggerLogs', 'incidentSweep', 'configAudit'] as const;
export type FunctionKey = (typeof FUNCTION_KEYS)[number];

/** CloudFormation logical ids osls gives the functions and the resources serverless.yml declares. */
export const LOGICAL_IDS = {
  canary: { function: 'CanaryLambdaFunction', role: 'CanaryRole' },
  triggerLogs: { function: 'TriggerLogsLambdaFunction', role: 'TriggerLogsRole' },
  incidentSweep: { function: 'IncidentSweepLambdaFunction', role: 'IncidentSweepRole' },
  configAudit: { function: 'ConfigAuditLambdaFunction', role: 'ConfigAuditRole' },
  auditTable: 'AuditTable',
  alertTopic: 'AlertTopic',
  alarmTopic: 'MonitorAlarmTopic',
  chatbotTopic: 'ChatbotTopic',
  incidentTable: 'IncidentTable',
  failedInvocations: 'FailedInvocationsQueue',
} as const;

/** The index alerts/incident-store.ts queries (kept in step with ACTIVE_INDEX there). */
export const INCIDENT_ACTIVE_INDEX = 'active-incidents';

const partition = { Ref: 'AWS::Partition' };
const account = { Ref: 'AWS::AccountId' };
const stackRegion = { Ref: 'AWS::Region' };

/** `arn:<partition>:<service>:<region>:<account>:<resource>` from pseudo parameters. */
export const toArn = (service: string, region: Cfn, resource: string): Cfn => ({
  'Fn::Join': ['', ['arn:', partition, `:${service}:`, region, ':', account, `:${resource}`]],
});

/** The Lambda function name osls gives a function key. */
export const toFunctionName = (ctx: StackContext, key: FunctionKey): string =>
  `${ctx.service}-${ctx.stage}-${key}`;

/** The monitor's own log group of a function. */
export const toOwnLogGroup = (ctx: StackContext, key: FunctionKey): string =>
  `/aws/lambda/${toFunctionName(ctx, key)}`;

/** Name of the subscription filters and of the account policy; preflight recognises ours by it. */
export const toSubscriptionName = (ctx: Pick<StackContext, 'service' | 'stage'>): string =>
  `${ctx.service}-${ctx.stage}-trigger-logs`;

// --- secrets --------------------------------------------------------------------------------------

interface LocatedSecret {
  /** Config key path, for messages. */
  key: string;
  ref: SecretRef;
  /** Region the reading function looks in when the reference is a name. */
  region: Cfn;
}

/** Every secret reference in the config with the region it is read from. */
export const listSecretRefs = (config: SentinelConfig): LocatedSecret[] => {
  const located: LocatedSecret[] = [];
  config.pools.forEach((pool, index) => {
    if (pool.canary) {
      located.push({ key: `pools.${index}.canary.password`, ref: pool.canary.password, region: pool.region });
      if (pool.canary.mfa) {
        located.push({
          key: `pools.${index}.canary.mfa.totpSecret`,
          ref: pool.canary.mfa.totpSecret,
          region: pool.region,
        });
      }
      if (pool.canary.customAuth) {
        located.push({
          key: `pools.${index}.canary.customAuth.answers`,
          ref: pool.canary.customAuth.answers,
          region: pool.region,
        });
      }
    }
    pool.clients.forEach((client, clientIndex) => {
      if (client.secret) {
        located.push({
          key: `pools.${index}.clients.${clientIndex}.secret`,
          ref: client.secret,
          region: pool.region,
        });
      }
    });
  });
  if (config.alerts.pagerDuty) {
    located.push({
      key: 'alerts.pagerDuty.routingKey',
      ref: config.alerts.pagerDuty.routingKey,
      region: stackRegion,
    });
  }
  return located;
};

/** Deployed functions must not read secrets from plain variables: `env:` references fail the package. */
export const assertDeployableSecrets = (config: SentinelConfig): void => {
  const envRefs = listSecretRefs(config).filter((secret) => secret.ref.store === 'env');
  if (envRefs.length > 0) {
    throw new ConfigError(
      envRefs
        .map(
          (secret) =>
            `${secret.key}: env:${secret.ref.name} is for the CLI only; deployed functions read secretsmanager:NAME or ssm:PATH`,
        )
        .join('; '),
    );
  }
};

const SECRET_ARN = /^arn:(aws[\w-]*):secretsmanager:([a-z0-9-]+):(\d{12}):secret:(.+)$/;

/**
 * The ARNs a secret reference may resolve to. Secrets Manager appends a random 6-character suffix
 * to a secret's ARN, so a name is granted as `<name>-??????` (the narrowest pattern AWS documents);
 * an ARN is granted as given and with the suffix pattern, in case it is a partial ARN.
 */
export const toSecretResources = (secret: LocatedSecret): { action: string; resources: Cfn[] } => {
  const { ref, region } = secret;
  if (ref.store === 'ssm') {
    return {
      action: 'ssm:GetParameter',
      resources: [toArn('ssm', region, `parameter/${ref.name.replace(/^\//, '')}`)],
    };
  }
  const match = SECRET_ARN.exec(ref.name);
  if (match) return { action: 'secretsmanager:GetSecretValue', resources: [ref.name, `${ref.name}-??????`] };
  return {
    action: 'secretsmanager:GetSecretValue',
    resources: [toArn('secretsmanager', region, `secret:${ref.name}-??????`)],
  };
};

const secretStatements = (
  secrets: readonly LocatedSecret[],
  kmsKeyArns: readonly string[],
): IamStatement[] => {
  const byAction = new Map<string, Cfn[]>();
  for (const secret of secrets) {
    const { action, resources } = toSecretResources(secret);
    byAction.set(action, [...(byAction.get(action) ?? []), ...resources]);
  }
  const statements: IamStatement[] = [...byAction.entries()].map(([action, resources]) => ({
    Sid: action === 'ssm:GetParameter' ? 'ReadParameters' : 'ReadSecrets',
    Effect: 'Allow',
    Action: [action],
    Resource: dedupe(resources),
  }));
  if (secrets.length > 0 && kmsKeyArns.length > 0) {
    statements.push({
      Sid: 'DecryptSecrets',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: [...kmsKeyArns],
      // Only when Secrets Manager or SSM asks on the function's behalf.
      Condition: {
        'ForAnyValue:StringLike': {
          'kms:ViaService': ['secretsmanager.*.amazonaws.com', 'ssm.*.amazonaws.com'],
        },
      },
    });
  }
  return statements;
};

const dedupe = (values: readonly Cfn[]): Cfn[] => {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = JSON.stringify(value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

// --- roles ----------------------------------------------------------------------------------------

/**
 * Cognito calls of the canary (canary/): sign-in, user status, pool and client settings, the
 * session clean-up fallback. GetUser, RevokeToken and SignUp are authorised by the token or the app
 * client, not IAM.
 */
export const CANARY_COGNITO_ACTIONS = [
  'cognito-idp:AdminInitiateAuth',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminUserGlobalSignOut',
  'cognito-idp:DescribeUserPool',
  'cognito-idp:DescribeUserPoolClient',
] as const;
/** Only on pools with a custom-auth cycle, a TOTP seed (MFA answer) or USER_AUTH sign-in. */
export const CUSTOM_AUTH_ACTIONS = ['cognito-idp:AdminRespondToAuthChallenge'] as const;
/** Only on pools with a sign-up cycle: deleting its throwaway users. */
export const SIGN_UP_ACTIONS = ['cognito-idp:AdminDeleteUser'] as const;

type PoolConfig = SentinelConfig['pools'][number];

/** Canary permissions granted only on the pools whose canary cycle needs them. */
const CANARY_OPTIONAL_STATEMENTS: readonly {
  sid: string;
  actions: readonly string[];
  uses: (pool: PoolConfig) => unknown;
}[] = [
  {
    sid: 'CanaryCustomAuth',
    actions: CUSTOM_AUTH_ACTIONS,
    uses: (pool) => pool.canary?.customAuth || pool.canary?.mfa || pool.canary?.flow === 'user-auth',
  },
  { sid: 'CanarySignUpCleanup', actions: SIGN_UP_ACTIONS, uses: (pool) => pool.canary?.signUp },
];

const toUserPoolArn = (region: string, userPoolId: string): Cfn =>
  toArn('cognito-idp', region, `userpool/${userPoolId}`);

/** Cognito reads of the config audit, on the configured pools. */
export const AUDIT_COGNITO_ACTIONS = [
  'cognito-idp:DescribeUserPool',
  'cognito-idp:ListUserPoolClients',
  'cognito-idp:DescribeUserPoolClient',
] as const;
/**
 * DescribeUserPoolDomain takes a domain, not a pool: the Service Authorization Reference lists no
 * resource type for it, so it can only be granted on `*` (a read of domain settings, nothing else).
 */
export const AUDIT_DOMAIN_ACTION = 'cognito-idp:DescribeUserPoolDomain';
/** Lambda reads of the trigger wiring check, on the configured trigger functions. */
export const AUDIT_LAMBDA_ACTIONS = ['lambda:GetFunctionConfiguration', 'lambda:GetPolicy'] as const;

/** A trigger function named in the config: a log group's function, or a name or ARN under `expect.triggers`. */
interface ConfiguredFunction {
  name: string;
  region: string;
}

/**
 * The trigger functions the config names, per pool region: the functions behind the trigger log
 * groups and those under `expect.triggers`. The audit may read only these.
 */
export const listConfiguredTriggerFunctions = (config: SentinelConfig): ConfiguredFunction[] => {
  const seen = new Map<string, ConfiguredFunction>();
  for (const pool of config.pools) {
    const names = [
      ...toWatchedFunctions(Object.keys(pool.triggerLogGroups ?? {})),
      ...Object.values(pool.expect?.triggers ?? {}),
    ];
    for (const entry of names) {
      const arn = /^arn:aws[\w-]*:lambda:([a-z0-9-]+):\d{12}:function:([^:]+)/.exec(entry);
      const fn = arn
        ? { name: arn[2] ?? entry, region: arn[1] ?? pool.region }
        : { name: entry, region: pool.region };
      seen.set(`${fn.region}:${fn.name}`, fn);
    }
  }
  return [...seen.values()];
};

/** Where reports and the monitor's own alarms go: `alerts.snsTopicArn` when set, else the stack's topic. */
export const toAlertTopicArn = (config: SentinelConfig): Cfn =>
  config.alerts.snsTopicArn ?? { Ref: LOGICAL_IDS.alertTopic };

/** The AWS-managed SNS key: encrypts at no charge, but only AWS services it names may use it. */
export const AWS_MANAGED_SNS_KEY = 'alias/aws/sns';

/**
 * Where the monitor's own CloudWatch alarms notify: the alert topic, except when it is the stack's
 * topic under the AWS-managed key (CloudWatch cannot publish to that), then a topic of their own.
 */
export const toAlarmTopicArn = (config: SentinelConfig): Cfn =>
  config.alerts.snsTopicArn === undefined && config.deployment.alertTopicKmsKey === 'aws-managed'
    ? { Ref: LOGICAL_IDS.alarmTopic }
    : toAlertTopicArn(config);

/** The stack's alert topic, encrypted per `deployment.alertTopicKmsKey`. */
export const toAlertTopic = (config: SentinelConfig, ctx: StackContext) => {
  const key = config.deployment.alertTopicKmsKey;
  return {
    Type: 'AWS::SNS::Topic',
    Properties: {
      TopicName: `${ctx.service}-${ctx.stage}-alerts`,
      DisplayName: 'cognito-sentinel',
      ...(key === 'none' ? {} : { KmsMasterKeyId: key === 'aws-managed' ? AWS_MANAGED_SNS_KEY : key }),
    },
  };
};

/** The Chatbot topic: the stack's (`deployment.chatbotTopic: true`), `alerts.chatbotTopicArn`, or none (''). */
export const toChatbotTopicArn = (config: SentinelConfig): Cfn =>
  config.deployment.chatbotTopic ? { Ref: LOGICAL_IDS.chatbotTopic } : (config.alerts.chatbotTopicArn ?? '');

/** The IAM statements of one function's role. */
export const toRoleStatements = (
  config: SentinelConfig,
  ctx: StackContext,
  key: FunctionKey,
): IamStatement[] => {
  const logGroupArn = toArn('logs', stackRegion, `log-group:${toOwnLogGroup(ctx, key)}:*`);
  const topics: Cfn[] = [toAlertTopicArn(config)];
  const chatbot = toChatbotTopicArn(config);
  if (chatbot !== '') topics.push(chatbot);
  const tableArn: Cfn = { 'Fn::GetAtt': [LOGICAL_IDS.incidentTable, 'Arn'] };
  const auditTableArn: Cfn = { 'Fn::GetAtt': [LOGICAL_IDS.auditTable, 'Arn'] };
  const statements: IamStatement[] = [
    {
      Sid: 'WriteOwnLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: [logGroupArn],
    },
    { Sid: 'PublishAlerts', Effect: 'Allow', Action: ['sns:Publish'], Resource: topics },
    {
      Sid: 'IncidentState',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
      Resource: [tableArn, { 'Fn::Join': ['', [tableArn, `/index/${INCIDENT_ACTIVE_INDEX}`]] }],
    },
    {
      Sid: 'OnFailureDestination',
      Effect: 'Allow',
      Action: ['sqs:SendMessage'],
      Resource: [{ 'Fn::GetAtt': [LOGICAL_IDS.failedInvocations, 'Arn'] }],
    },
  ];
  const secrets = listSecretRefs(config).filter(
    (secret) => key === 'canary' || secret.key.startsWith('alerts.'),
  );
  statements.push(...secretStatements(secrets, config.deployment.kmsKeyArns));
  const topicKey = config.deployment.alertTopicKmsKey;
  if (config.alerts.snsTopicArn === undefined && topicKey !== 'aws-managed' && topicKey !== 'none') {
    // Publishing to a topic under a customer key needs the key (the AWS-managed key's policy grants it itself).
    statements.push({
      Sid: 'PublishEncryptedAlerts',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: [topicKey],
      Condition: { StringLike: { 'kms:ViaService': 'sns.*.amazonaws.com' } },
    });
  }
  if (key === 'incidentSweep') {
    // The weekly report reads the run records, incidents and silences from the table (one Scan a week).
    statements.push({
      Sid: 'WeeklyReport',
      Effect: 'Allow',
      Action: ['dynamodb:Scan'],
      Resource: [tableArn],
    });
  }
  if (key === 'canary' || key === 'triggerLogs') {
    // "Recent changes" on a page: when a watched trigger function was last deployed (alerts/recent-changes.ts).
    const functionArns = dedupe(
      config.pools.flatMap((pool) =>
        [...toWatchedFunctions(Object.keys(pool.triggerLogGroups ?? {}))].map((name) =>
          toArn('lambda', pool.region, `function:${name}`),
        ),
      ),
    );
    if (functionArns.length > 0) {
      statements.push({
        Sid: 'ReadTriggerFunctionDeploys',
        Effect: 'Allow',
        Action: ['lambda:GetFunctionConfiguration'],
        Resource: functionArns,
      });
    }
  }
  if (key === 'canary' || key === 'triggerLogs') {
    // Pages name the pool's recent configuration changes, which the config audit keeps in its table.
    statements.push({
      Sid: 'ReadPoolChanges',
      Effect: 'Allow',
      Action: ['dynamodb:GetItem'],
      Resource: [auditTableArn],
    });
  }
  const poolArns = (pools: SentinelConfig['pools']) =>
    dedupe(pools.map((pool) => toUserPoolArn(pool.region, pool.userPoolId)));
  if (key === 'configAudit') {
    statements.push(
      {
        Sid: 'AuditSnapshots',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        Resource: [auditTableArn],
      },
      {
        Sid: 'AuditPools',
        Effect: 'Allow',
        Action: [...AUDIT_COGNITO_ACTIONS],
        Resource: poolArns(config.pools),
      },
      { Sid: 'AuditPoolDomains', Effect: 'Allow', Action: [AUDIT_DOMAIN_ACTION], Resource: ['*'] },
    );
    const functions = listConfiguredTriggerFunctions(config);
    if (functions.length > 0) {
      statements.push({
        Sid: 'AuditTriggerWiring',
        Effect: 'Allow',
        Action: [...AUDIT_LAMBDA_ACTIONS],
        // The function and its versions and aliases (a pool may point at `name:alias`).
        Resource: functions.flatMap((fn) => [
          toArn('lambda', fn.region, `function:${fn.name}`),
          toArn('lambda', fn.region, `function:${fn.name}:*`),
        ]),
      });
    }
  }
  if (key === 'canary') {
    statements.push({
      Sid: 'CanaryCycle',
      Effect: 'Allow',
      Action: [...CANARY_COGNITO_ACTIONS],
      Resource: poolArns(config.pools),
    });
    for (const { sid, actions, uses } of CANARY_OPTIONAL_STATEMENTS) {
      const pools = config.pools.filter(uses);
      if (pools.length > 0)
        statements.push({ Sid: sid, Effect: 'Allow', Action: [...actions], Resource: poolArns(pools) });
    }
  }
  return statements;
};

const toRole = (config: SentinelConfig, ctx: StackContext, key: FunctionKey) => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    Description: `${toFunctionName(ctx, key)}: least-privilege execution role (deploy/stack.ts)`,
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] },
      ],
    },
    Policies: [
      {
        PolicyName: `${key}-least-privilege`,
        PolicyDocument: { Version: '2012-10-17', Statement: toRoleStatements(config, ctx, key) },
      },
    ],
  },
});

// --- subscriptions --------------------------------------------------------------------------------

/** A CloudFormation logical id for a log group: its letters and digits plus a short hash (unique, stable). */
export const toLogGroupLogicalSuffix = (logGroup: string): string => {
  const readable = logGroup.replace(/[^A-Za-z0-9]/g, '').slice(-40);
  const hash = createHash('sha256').update(logGroup).digest('hex').slice(0, 8);
  return `${readable}${hash}`;
};

const triggerLogsArn: Cfn = { 'Fn::GetAtt': [LOGICAL_IDS.triggerLogs.function, 'Arn'] };

const toLogGroupSubscriptions = (config: SentinelConfig, ctx: StackContext): Record<string, unknown> => {
  const resources: Record<string, unknown> = {};
  for (const logGroup of listTriggerLogGroups(config)) {
    const suffix = toLogGroupLogicalSuffix(logGroup);
    resources[`TriggerLogsPermission${suffix}`] = {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        FunctionName: triggerLogsArn,
        Action: 'lambda:InvokeFunction',
        Principal: 'logs.amazonaws.com',
        SourceArn: toArn('logs', stackRegion, `log-group:${logGroup}:*`),
        SourceAccount: account,
      },
    };
    resources[`TriggerLogsSubscription${suffix}`] = {
      Type: 'AWS::Logs::SubscriptionFilter',
      DependsOn: [`TriggerLogsPermission${suffix}`],
      Properties: {
        FilterName: toSubscriptionName(ctx),
        LogGroupName: logGroup,
        FilterPattern: config.deployment.subscriptions.filterPattern,
        DestinationArn: triggerLogsArn,
      },
    };
  }
  return resources;
};

/** Log groups the account policy never sends: the monitor's own (a loop otherwise) and the configured ones. */
export const toAccountPolicyExclusions = (config: SentinelConfig, ctx: StackContext): string[] => [
  ...new Set([
    ...ctx.functions.map((key) => toOwnLogGroup(ctx, key)),
    ...config.deployment.subscriptions.excludeLogGroups,
  ]),
];

const toAccountPolicySubscription = (config: SentinelConfig, ctx: StackContext): Record<string, unknown> => ({
  TriggerLogsAccountPolicyPermission: {
    Type: 'AWS::Lambda::Permission',
    Properties: {
      FunctionName: triggerLogsArn,
      Action: 'lambda:InvokeFunction',
      Principal: 'logs.amazonaws.com',
      // The policy covers every log group in the account and region: nothing narrower exists.
      SourceArn: toArn('logs', stackRegion, 'log-group:*'),
      SourceAccount: account,
    },
  },
  TriggerLogsAccountPolicy: {
    Type: 'AWS::Logs::AccountPolicy',
    DependsOn: ['TriggerLogsAccountPolicyPermission'],
    Properties: {
      PolicyName: toSubscriptionName(ctx),
      PolicyType: 'SUBSCRIPTION_FILTER_POLICY',
      Scope: 'ALL',
      PolicyDocument: {
        'Fn::Join': [
          '',
          [
            '{"DestinationArn":"',
            triggerLogsArn,
            `","FilterPattern":${JSON.stringify(config.deployment.subscriptions.accountPolicyFilterPattern)},"Distribution":"Random"}`,
          ],
        ],
      },
      // The only selection AWS accepts for subscription filter policies is `LogGroupName NOT IN [...]`.
      SelectionCriteria: `LogGroupName NOT IN ${JSON.stringify(toAccountPolicyExclusions(config, ctx))}`,
    },
  },
});

// --- config audit on change ----------------------------------------------------------------------

const configAuditArn: Cfn = { 'Fn::GetAtt': [LOGICAL_IDS.configAudit.function, 'Arn'] };

/**
 * EventBridge rules that run the config audit within seconds of a change: the watched pools'
 * mutating Cognito calls and the configured trigger functions' Lambda calls, as CloudTrail records
 * them ("AWS API Call via CloudTrail"; needs a trail with management events, and sees only calls
 * in the stack's region). Each rule may invoke the function, and only it.
 */
export const toChangeRules = (config: SentinelConfig, ctx: StackContext): Record<string, unknown> => {
  if (!ctx.functions.includes('configAudit') || !config.deployment.configAudit.onChange) return {};
  const resources: Record<string, unknown> = {};
  const rule = (id: string, description: string, pattern: unknown) => {
    resources[id] = {
      Type: 'AWS::Events::Rule',
      Properties: {
        Description: description,
        State: 'ENABLED',
        EventPattern: pattern,
        Targets: [{ Id: 'config-audit', Arn: configAuditArn }],
      },
    };
    resources[`${id}Permission`] = {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        FunctionName: configAuditArn,
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [id, 'Arn'] },
      },
    };
  };
  const pools = config.pools.filter((pool) => pool.region === ctx.region).map((pool) => pool.userPoolId);
  if (pools.length > 0) {
    rule('ConfigAuditPoolChangesRule', 'cognito-sentinel: run the config audit when a watched pool changes', {
      source: ['aws.cognito-idp'],
      'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
      detail: {
        eventSource: ['cognito-idp.amazonaws.com'],
        eventName: [...WATCHED_COGNITO_CALLS],
        requestParameters: { userPoolId: pools },
      },
    });
  }
  const functions = listConfiguredTriggerFunctions(config).filter((fn) => fn.region === ctx.region);
  if (functions.length > 0) {
    rule(
      'ConfigAuditTriggerChangesRule',
      'cognito-sentinel: run the config audit when a trigger function changes',
      {
        source: ['aws.lambda'],
        'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
        detail: {
          eventSource: ['lambda.amazonaws.com'],
          eventName: WATCHED_LAMBDA_CALL_PREFIXES.map((prefix) => ({ prefix })),
          // CloudTrail records the name or the ARN, as the caller gave it.
          requestParameters: {
            functionName: functions.flatMap((fn) => [
              fn.name,
              { wildcard: `arn:*:lambda:*:*:function:${fn.name}` },
              { wildcard: `arn:*:lambda:*:*:function:${fn.name}:*` },
            ]),
          },
        },
      },
    );
  }
  return resources;
};

// --- everything -----------------------------------------------------------------------------------

/** What serverless.yml reads as `${self:custom.sentinel.*}`. */
export interface StackPieces {
  stage: string;
  region: string;
  /** JavaScript string literal of the config JSON, for esbuild's `define` (see embedConfig). */
  embeddedConfig: string;
  subscriptionMode: 'log-group' | 'account-policy';
  canary: {
    schedule: string;
    enabled: boolean;
    memorySize: number;
    timeout: number;
    intervalSeconds: number;
  };
  triggerLogs: { memorySize: number; timeout: number };
  configAudit: { schedule: string; enabled: boolean; memorySize: number; timeout: number };
  logRetentionDays: number;
  /** `deployment.sourceMaps`: serverless-esbuild's `sourcemap` and the functions' NODE_OPTIONS. */
  sourceMaps: { esbuild: 'linked' | false; nodeOptions: string };
  alarms: {
    enabled: 'true' | 'false';
    canaryMissedRuns: number;
    canaryErrorRuns: number;
    triggerLogErrors: number;
  };
  /** The topic functions publish reports to. */
  alertTopicArn: Cfn;
  /** The topic the monitor's own alarms notify. */
  alarmTopicArn: Cfn;
  chatbotTopicArn: Cfn;
  /** The dashboard's console URL for the functions' pages (SENTINEL_DASHBOARD_URL); `''` without a dashboard. */
  dashboardUrl: string;
  resources: { Resources: Record<string, unknown>; Outputs: Record<string, unknown> };
}

/**
 * The config as a JavaScript string literal for esbuild's `define`. `$` is written `\u0024` so osls,
 * which resolves `${...}` variables inside values its resolvers return, leaves the text alone.
 */
export const embedConfig = (raw: unknown): string =>
  JSON.stringify(JSON.stringify(raw).replace(/\$/g, '\\u0024'));

/** Checks that only make sense for a deployment (the schema accepts them for the CLI). */
export const assertDeployable = (config: SentinelConfig, ctx: StackContext): void => {
  assertDeployableSecrets(config);
  // A subscription's destination must be in the log group's region: the stack's.
  const problems: string[] = [];
  config.pools.forEach((pool, index) => {
    if (pool.region !== ctx.region && Object.keys(pool.triggerLogGroups ?? {}).length > 0) {
      problems.push(
        `pools.${index}.triggerLogGroups: the pool is in ${pool.region} but the stack deploys to ${ctx.region}; CloudWatch Logs subscriptions only reach a function in the log group's region (deploy with --region ${pool.region})`,
      );
    }
  });
  // Every AWS client and the PagerDuty call have time budgets (runtime/aws-client-options.ts); the
  // alert path must be able to use them up and still end inside the function.
  const floorSeconds = Math.ceil(ALERT_PATH_WORST_CASE_MS / 1000) + 5;
  if (config.deployment.triggerLogs.timeoutSeconds < floorSeconds)
    problems.push(
      `deployment.triggerLogs.timeoutSeconds: ${config.deployment.triggerLogs.timeoutSeconds} s is shorter than the alert path can take when its backends hang (${floorSeconds} s); raise it`,
    );
  // The canary keeps the alert path's worst case free at the end of its run, and needs time to run.
  const canaryFloorSeconds = Math.ceil(ALERT_PATH_RESERVE_MS / 1000) + MIN_CANARY_RUN_SECONDS;
  if (config.deployment.canary.timeoutSeconds < canaryFloorSeconds)
    problems.push(
      `deployment.canary.timeoutSeconds: ${config.deployment.canary.timeoutSeconds} s leaves the canary no time to run once the alert path's worst case is kept free (${canaryFloorSeconds} s at least); raise it`,
    );
  if (config.deployment.configAudit.timeoutSeconds < floorSeconds)
    problems.push(
      `deployment.configAudit.timeoutSeconds: ${config.deployment.configAudit.timeoutSeconds} s is shorter than the alert path can take when its backends hang (${floorSeconds} s); raise it`,
    );
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
};

export const toStackPieces = (config: SentinelConfig, raw: unknown, ctx: StackContext): StackPieces => {
  assertDeployable(config, ctx);
  const mode = toSubscriptionMode(config);
  const { deployment } = config;
  const resources: Record<string, unknown> = {};
  resources[LOGICAL_IDS.alertTopic] = toAlertTopic(config, ctx);
  const alarmTopic = toAlarmTopicArn(config);
  if (typeof alarmTopic !== 'string' && 'Ref' in alarmTopic && alarmTopic.Ref === LOGICAL_IDS.alarmTopic) {
    // Alarm notifications hold alarm names and metric values only, no log content: no encryption needed.
    resources[LOGICAL_IDS.alarmTopic] = {
      Type: 'AWS::SNS::Topic',
      Properties: {
        TopicName: `${ctx.service}-${ctx.stage}-monitor-alarms`,
        DisplayName: 'cognito-sentinel alarms',
      },
    };
  }
  for (const key of ctx.functions) resources[LOGICAL_IDS[key].role] = toRole(config, ctx, key);
  Object.assign(
    resources,
    mode === 'account-policy'
      ? toAccountPolicySubscription(config, ctx)
      : toLogGroupSubscriptions(config, ctx),
  );
  Object.assign(resources, toChangeRules(config, ctx));
  const outputs: Record<string, unknown> = {};
  if (resources[LOGICAL_IDS.alarmTopic] !== undefined)
    outputs.MonitorAlarmTopicArn = {
      Description:
        "The monitor's own alarms (the alert topic is under the AWS-managed key, which CloudWatch cannot publish to): subscribe the on-call here too",
      Value: { Ref: LOGICAL_IDS.alarmTopic },
    };
  if (deployment.chatbotTopic) {
    resources[LOGICAL_IDS.chatbotTopic] = {
      Type: 'AWS::SNS::Topic',
      Properties: {
        TopicName: `${ctx.service}-${ctx.stage}-chatbot`,
        DisplayName: 'cognito-sentinel (Chatbot)',
      },
    };
    outputs.ChatbotTopicArn = {
      Description: 'Subscribe AWS Chatbot (Amazon Q Developer in chat applications) to this topic',
      Value: { Ref: LOGICAL_IDS.chatbotTopic },
    };
  }
  const dashboard = toDashboardResources(config, ctx);
  Object.assign(resources, dashboard.resources);
  Object.assign(outputs, dashboard.outputs);
  return {
    stage: ctx.stage,
    region: ctx.region,
    embeddedConfig: embedConfig(raw),
    subscriptionMode: mode,
    canary: {
      schedule: deployment.canary.schedule,
      enabled: deployment.canary.enabled,
      memorySize: deployment.canary.memorySize,
      timeout: deployment.canary.timeoutSeconds,
      intervalSeconds: (toRateMinutes(deployment.canary.schedule) ?? 1) * 60,
    },
    triggerLogs: {
      memorySize: deployment.triggerLogs.memorySize,
      timeout: deployment.triggerLogs.timeoutSeconds,
    },
    configAudit: {
      schedule: deployment.configAudit.schedule,
      enabled: deployment.configAudit.enabled,
      memorySize: deployment.configAudit.memorySize,
      timeout: deployment.configAudit.timeoutSeconds,
    },
    logRetentionDays: deployment.logRetentionDays,
    sourceMaps: deployment.sourceMaps
      ? { esbuild: 'linked', nodeOptions: '--enable-source-maps' }
      : { esbuild: false, nodeOptions: '' },
    alarms: {
      enabled: deployment.alarms.enabled ? 'true' : 'false',
      canaryMissedRuns: deployment.alarms.canaryMissedRuns,
      canaryErrorRuns: deployment.alarms.canaryErrorRuns,
      triggerLogErrors: deployment.alarms.triggerLogErrors,
    },
    alertTopicArn: toAlertTopicArn(config),
    alarmTopicArn: alarmTopic,
    chatbotTopicArn: toChatbotTopicArn(config),
    dashboardUrl: config.deployment.dashboard ? toDashboardUrl(ctx) : '',
    resources: { Resources: resources, Outputs: outputs },
  };
};
