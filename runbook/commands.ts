/**
 * AWS CLI and cognito-sentinel commands, filled in from a finding. Pure: the time window comes from
 * the finding's timestamp, or from a shell expression evaluated when the engineer runs the command.
 */
import type { TriggerName } from '../contracts/triggers';
import type { Finding } from '../detectors/types';
import { isUsableValue, shellQuote } from './shell';

/** Placeholders shown when the finding does not carry the value. */
export const PLACEHOLDERS = {
  userPoolId: '<user-pool-id>',
  region: '<region>',
  clientId: '<client-id>',
  functionName: '<function-name>',
  logGroup: '<log-group>',
  alias: '<alias>',
  previousVersion: '<previous-version>',
  username: '<canary-username>',
  accountId: '<account-id>',
} as const;

const LAMBDA_LOG_GROUP = /^\/aws\/lambda\/(.+)$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const REQUEST_ID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;
const FILTER_TERM = /^[A-Za-z0-9_:.-]{1,128}$/;
const WINDOW_BEFORE_MS = 15 * 60_000;
const WINDOW_AFTER_MS = 15 * 60_000;
const METRIC_WINDOW_MS = 60 * 60_000;

/** Finding values, quoted for the shell, or placeholders where the finding lacks them. */
export interface CommandContext {
  userPoolId: string;
  region: string;
  clientId: string;
  functionName: string;
  logGroup: string;
  /** Bare (unquoted) request id when the finding has a well-formed one. */
  requestId?: string;
  trigger?: TriggerName;
  /** `--start-time` value in epoch ms: 15 min before the evidence, or one hour ago when unknown. */
  startTimeMs: string;
  /** `--end-time` value in epoch ms, only when the evidence time is known. */
  endTimeMs?: string;
  /** Metric window (ISO-8601, or epoch seconds from the shell): an hour either side of the evidence. */
  metricWindow: { start: string; end: string };
  /** The usable finding values before quoting; a key is absent when the finding lacks it. */
  raw: {
    userPoolId?: string;
    region?: string;
    clientId?: string;
    functionName?: string;
    logGroup?: string;
  };
}

const fill = (value: string | undefined, placeholder: string): string =>
  isUsableValue(value) ? shellQuote(value) : placeholder;

/** The region a pool id starts with (`us-east-1_abc` → `us-east-1`). */
const regionOfPool = (userPoolId: string | undefined): string | undefined => {
  const prefix = userPoolId?.split('_')[0];
  return prefix !== undefined && REGION.test(prefix) ? prefix : undefined;
};

/** Builds the command context for a finding. Never throws. */
export const toCommandContext = (finding: Finding): CommandContext => {
  const logGroupFunction = isUsableValue(finding.logGroup)
    ? LAMBDA_LOG_GROUP.exec(finding.logGroup)?.[1]
    : undefined;
  const functionName = isUsableValue(finding.functionName) ? finding.functionName : logGroupFunction;
  const logGroup = isUsableValue(finding.logGroup)
    ? finding.logGroup
    : isUsableValue(functionName)
      ? `/aws/lambda/${functionName}`
      : undefined;
  const region = isUsableValue(finding.region) ? finding.region : regionOfPool(finding.userPoolId);
  const evidenceMs = finding.timestamp === undefined ? Number.NaN : Date.parse(finding.timestamp);
  const timeKnown = Number.isFinite(evidenceMs);
  return {
    userPoolId: fill(finding.userPoolId, PLACEHOLDERS.userPoolId),
    region: fill(region, PLACEHOLDERS.region),
    clientId: fill(finding.clientId, PLACEHOLDERS.clientId),
    functionName: fill(functionName, PLACEHOLDERS.functionName),
    logGroup: fill(logGroup, PLACEHOLDERS.logGroup),
    ...(finding.requestId !== undefined && REQUEST_ID.test(finding.requestId)
      ? { requestId: finding.requestId }
      : {}),
    ...(finding.trigger === undefined ? {} : { trigger: finding.trigger }),
    startTimeMs: timeKnown ? String(evidenceMs - WINDOW_BEFORE_MS) : '$(( $(date +%s) * 1000 - 3600000 ))',
    ...(timeKnown ? { endTimeMs: String(evidenceMs + WINDOW_AFTER_MS) } : {}),
    metricWindow: timeKnown
      ? {
          start: new Date(evidenceMs - METRIC_WINDOW_MS).toISOString(),
          end: new Date(evidenceMs + METRIC_WINDOW_MS).toISOString(),
        }
      : { start: '$(( $(date +%s) - 7200 ))', end: '$(date +%s)' },
    raw: {
      ...(isUsableValue(finding.userPoolId) ? { userPoolId: finding.userPoolId } : {}),
      ...(isUsableValue(region) ? { region } : {}),
      ...(isUsableValue(finding.clientId) ? { clientId: finding.clientId } : {}),
      ...(isUsableValue(functionName) ? { functionName } : {}),
      ...(isUsableValue(logGroup) ? { logGroup } : {}),
    },
  };
};

/** The last segment of a dotted field path, usable as a CloudWatch Logs filter term. */
export const fieldFilterTerm = (field: string | undefined): string | undefined => {
  const last = field
    ?.split('.')
    .at(-1)
    ?.replace(/\[\d+\]$/, '');
  return last !== undefined && FILTER_TERM.test(last) ? last : undefined;
};

const where = (c: CommandContext): string => `--region ${c.region}`;

/** `describe-user-pool` narrowed to a JMESPath query. */
export const describeUserPool = (c: CommandContext, query = 'UserPool.LambdaConfig'): string =>
  `aws cognito-idp describe-user-pool --user-pool-id ${c.userPoolId} ${where(c)} --query ${shellQuote(query)}`;

/** `describe-user-pool-client` narrowed to a JMESPath query. */
export const describeUserPoolClient = (c: CommandContext, query: string): string =>
  `aws cognito-idp describe-user-pool-client --user-pool-id ${c.userPoolId} --client-id ${c.clientId} ${where(c)} --query ${shellQuote(query)}`;

/**
 * `filter-log-events` over the evidence window. `term` is a bare word or a request id; it is
 * double-quoted for CloudWatch Logs and single-quoted for the shell.
 */
export const filterLogEvents = (c: CommandContext, term?: string): string => {
  const pattern = term === undefined ? '' : ` --filter-pattern ${shellQuote(`"${term}"`)}`;
  const end = c.endTimeMs === undefined ? '' : ` --end-time ${c.endTimeMs}`;
  return `aws logs filter-log-events --log-group-name ${c.logGroup} ${where(c)} --start-time ${c.startTimeMs}${end}${pattern} --query 'events[].message' --output text`;
};

/** `filter-log-events` for an OR of quoted terms (`?"a" ?"b"`). */
export const filterLogEventsAny = (c: CommandContext, terms: readonly string[]): string => {
  const pattern = terms.map((term) => `?"${term}"`).join(' ');
  const end = c.endTimeMs === undefined ? '' : ` --end-time ${c.endTimeMs}`;
  return `aws logs filter-log-events --log-group-name ${c.logGroup} ${where(c)} --start-time ${c.startTimeMs}${end} --filter-pattern ${shellQuote(pattern)} --query 'events[].message' --output text`;
};

/** The evidence itself: the finding's request id when known, else the field name, else everything. */
export const filterEvidence = (c: CommandContext, field?: string): string =>
  filterLogEvents(c, c.requestId ?? fieldFilterTerm(field));

/** Timeout, last change and code hash of the function. */
export const getFunctionConfiguration = (c: CommandContext): string =>
  `aws lambda get-function-configuration --function-name ${c.functionName} ${where(c)} --query '{Timeout:Timeout,MemorySize:MemorySize,LastModified:LastModified,CodeSha256:CodeSha256,Runtime:Runtime}'`;

/** The five newest published versions. */
export const listVersions = (c: CommandContext): string =>
  `aws lambda list-versions-by-function --function-name ${c.functionName} ${where(c)} --query 'Versions[-5:].{Version:Version,LastModified:LastModified,Description:Description,CodeSha256:CodeSha256}'`;

/** Aliases and the version each points at. */
export const listAliases = (c: CommandContext): string =>
  `aws lambda list-aliases --function-name ${c.functionName} ${where(c)} --query 'Aliases[].{Name:Name,Version:FunctionVersion}'`;

/** Points an alias back at a known-good version. */
export const updateAlias = (c: CommandContext): string =>
  `aws lambda update-alias --function-name ${c.functionName} ${where(c)} --name ${PLACEHOLDERS.alias} --function-version ${PLACEHOLDERS.previousVersion}`;

/** Raises the function timeout (seconds). */
export const updateTimeout = (c: CommandContext, seconds: number): string =>
  `aws lambda update-function-configuration --function-name ${c.functionName} ${where(c)} --timeout ${seconds}`;

/** The function's resource policy (who may invoke it). */
export const getPolicy = (c: CommandContext): string =>
  `aws lambda get-policy --function-name ${c.functionName} ${where(c)} --query Policy --output text`;

/** Grants Cognito permission to invoke the function for this pool only. */
export const addCognitoPermission = (c: CommandContext): string =>
  `aws lambda add-permission --function-name ${c.functionName} ${where(c)} --statement-id cognito-trigger --action lambda:InvokeFunction --principal cognito-idp.amazonaws.com --source-arn arn:aws:cognito-idp:${c.region}:${PLACEHOLDERS.accountId}:userpool/${c.userPoolId}`;

/** How many users sit in UNCONFIRMED. */
export const countUnconfirmedUsers = (c: CommandContext): string =>
  `aws cognito-idp list-users --user-pool-id ${c.userPoolId} ${where(c)} --filter 'cognito:user_status = "UNCONFIRMED"' --query 'length(Users)'`;

/** Confirms one user by hand (the username is never in a finding). */
export const adminConfirmSignUp = (c: CommandContext): string =>
  `aws cognito-idp admin-confirm-sign-up --user-pool-id ${c.userPoolId} ${where(c)} --username <username>`;

/** Status of the canary user. */
export const adminGetCanaryUser = (c: CommandContext): string =>
  `aws cognito-idp admin-get-user --user-pool-id ${c.userPoolId} ${where(c)} --username ${PLACEHOLDERS.username} --query '{Status:UserStatus,Enabled:Enabled,Modified:UserLastModifiedDate}'`;

/** Who called a Cognito management API recently (e.g. `UpdateUserPool`, `UpdateUserPoolClient`). */
export const lookupCloudTrail = (c: CommandContext, eventName: string): string =>
  `aws cloudtrail lookup-events ${where(c)} --lookup-attributes AttributeKey=EventName,AttributeValue=${shellQuote(eventName)} --max-results 10 --query 'Events[].{Time:EventTime,User:Username}'`;

/** Saves the last 15 minutes of the function's logs for `scan-logs`. */
export const fetchFreshLogs = (c: CommandContext): string =>
  `aws logs filter-log-events --log-group-name ${c.logGroup} ${where(c)} --start-time $(( $(date +%s) * 1000 - 900000 )) --output json > fresh-logs.json`;

/** Runs the trigger-log detectors over the saved logs; exit code 0 means nothing at or above `error`. */
export const scanLogs = (c: CommandContext): string => {
  const map =
    c.trigger === undefined
      ? ''
      : ` --trigger-map ${c.raw.logGroup === undefined ? `${PLACEHOLDERS.logGroup}=${c.trigger}` : shellQuote(`${c.raw.logGroup}=${c.trigger}`)}`;
  return `npx cognito-sentinel scan-logs --log-group ${c.logGroup}${map} fresh-logs.json`;
};

/**
 * One canary cycle against the real pool, with the password read where the deployed canary reads
 * it: the `canary.password` reference of the pool in sentinel.config.yml (setup-canary's default is
 * the SSM parameter named after the pool and the user).
 */
export const sentinelCheck = (c: CommandContext): string =>
  `AWS_REGION=${c.region} npx cognito-sentinel check --user-pool-id ${c.userPoolId} --client-id ${c.clientId} --username ${PLACEHOLDERS.username} --password-from ssm:/cognito-sentinel/canary/${c.userPoolId}/${PLACEHOLDERS.username}`;

/** The config audit of the pool, against the snapshot the last audit left (drift, expectations, wiring). */
export const sentinelAudit = (c: CommandContext): string =>
  `AWS_REGION=${c.region} npx cognito-sentinel audit --user-pool-id ${c.userPoolId} --snapshot-file audit-snapshot.json`;

/** Cognito's own success-rate metric around the evidence time (Average below 1 means failures). */
export const cognitoMetric = (
  c: CommandContext,
  metric: 'SignUpSuccesses' | 'SignInSuccesses' | 'TokenRefreshSuccesses',
): string =>
  `aws cloudwatch get-metric-statistics --namespace AWS/Cognito --metric-name ${metric} --dimensions Name=UserPool,Value=${c.userPoolId} Name=UserPoolClient,Value=${c.clientId} ${where(c)} --statistics Average SampleCount --period 300 --start-time ${c.metricWindow.start} --end-time ${c.metricWindow.end}`;
