/**
 * An EventBridge "AWS API Call via CloudTrail" event for a watched pool or trigger function, read
 * at the edge with a schema: which pool or function it names, and the change as the audit carries
 * it (what, when, by whom, from where). The caller's IP address is personal data and is not kept;
 * a call an AWS service made on someone's behalf names the service.
 *
 * Shape: EventBridge's event envelope (`version`, `id`, `detail-type`, `source`, `account`, `time`,
 * `region`, `resources`, `detail`) around CloudTrail's record (`eventVersion`, `userIdentity`,
 * `eventTime`, `eventSource`, `eventName`, `awsRegion`, `sourceIPAddress`, `userAgent`,
 * `requestParameters`, `eventID`, ...); docs/config-audit.md has the sources.
 */
import * as z from 'zod';
import type { ConfigChange } from '../detectors/types';
import { lazySchema } from '../runtime/lazy-schema';

/** The Cognito calls that change what the audit watches. */
export const WATCHED_COGNITO_CALLS = [
  'UpdateUserPool',
  'DeleteUserPool',
  'SetUserPoolMfaConfig',
  'CreateUserPoolClient',
  'UpdateUserPoolClient',
  'DeleteUserPoolClient',
  'CreateUserPoolDomain',
  'UpdateUserPoolDomain',
  'DeleteUserPoolDomain',
] as const;

/**
 * The Lambda calls that change a trigger function, as prefixes: CloudTrail names them with an API
 * version suffix (`UpdateFunctionCode20150331v2`).
 */
export const WATCHED_LAMBDA_CALL_PREFIXES = [
  'UpdateFunctionCode',
  'UpdateFunctionConfiguration',
  'DeleteFunction',
  'RemovePermission',
  'AddPermission',
  'PublishVersion',
  'UpdateAlias',
  'DeleteAlias',
] as const;

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

const detailSchema = lazySchema(() =>
  z.object({
    eventSource: z.enum(['cognito-idp.amazonaws.com', 'lambda.amazonaws.com']),
    eventName: z.string().min(1),
    eventTime: z.string().min(1),
    eventID: z.string().optional(),
    sourceIPAddress: z.string().optional(),
    userAgent: z.string().optional(),
    errorCode: z.string().optional(),
    userIdentity: z
      .object({
        type: z.string().optional(),
        arn: z.string().optional(),
        principalId: z.string().optional(),
        invokedBy: z.string().optional(),
      })
      .loose()
      .optional(),
    requestParameters: z.record(z.string(), z.unknown()).nullish(),
  }),
);

const eventSchema = lazySchema(() =>
  z.object({
    'detail-type': z.literal(CLOUDTRAIL_DETAIL_TYPE),
    source: z.enum(['aws.cognito-idp', 'aws.lambda']),
    detail: detailSchema,
  }),
);

/** What a CloudTrail event says: the change, and the pool or function it touched. */
export interface TrailChange {
  change: ConfigChange;
  /** The pool a Cognito call named. */
  userPoolId?: string;
  /** The function a Lambda call named (its name, from a name or an ARN). */
  functionName?: string;
}

const stringParam = (params: Record<string, unknown> | null | undefined, key: string): string | undefined => {
  const value = params?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

const MAX_VIA_CHARS = 60;

/** `aws-cli/2.15.0 Python/3.11 ...` → `aws-cli/2.15.0`; the console's agent is named as the console. */
const toVia = (userAgent: string | undefined): string | undefined => {
  if (userAgent === undefined || userAgent === '') return undefined;
  if (/console\.amazonaws\.com|signin\.amazonaws\.com/.test(userAgent)) return 'the AWS console';
  const first = userAgent.trim().split(/\s+/)[0] ?? '';
  return first.replace(/[^\w./:@-]/g, '').slice(0, MAX_VIA_CHARS) || undefined;
};

const toSource = (sourceIp: string | undefined): string | undefined => {
  if (sourceIp === undefined || sourceIp === '') return undefined;
  if (/^[a-z0-9.-]+\.amazonaws\.com$/.test(sourceIp) || sourceIp === 'AWS Internal') return sourceIp;
  return 'an IP address';
};

const functionNameOf = (value: string): string =>
  /:function:([^:]+)/.exec(value)?.[1] ?? value.split(':')[0] ?? value;

/**
 * The change in an EventBridge CloudTrail event, or undefined when the event is not one the audit
 * watches (another detail type or service, or a call that failed: nothing changed).
 */
export const parseTrailChange = (event: unknown): TrailChange | undefined => {
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) return undefined;
  const { detail } = parsed.data;
  if (detail.errorCode !== undefined && detail.errorCode !== '') return undefined;
  const params = detail.requestParameters;
  const identity = detail.userIdentity;
  const principal =
    identity?.arn ??
    (identity?.invokedBy ? `${identity.type ?? 'AWSService'}: ${identity.invokedBy}` : undefined) ??
    (identity?.principalId ? `${identity.type ?? 'unknown'}: ${identity.principalId}` : 'unknown principal');
  const userPoolId = stringParam(params, 'userPoolId');
  const rawFunction = stringParam(params, 'functionName');
  const functionName = rawFunction === undefined ? undefined : functionNameOf(rawFunction);
  const resource =
    stringParam(params, 'clientId') ?? stringParam(params, 'domain') ?? functionName ?? userPoolId;
  const source = toSource(detail.sourceIPAddress);
  const via = toVia(detail.userAgent);
  const change: ConfigChange = {
    eventName: detail.eventName.replace(/20\d{6}(v\d+)?$/, ''),
    eventSource: detail.eventSource,
    eventTime: detail.eventTime,
    principal,
    ...(source === undefined ? {} : { source }),
    ...(via === undefined ? {} : { via }),
    ...(detail.eventID === undefined ? {} : { eventId: detail.eventID }),
    ...(resource === undefined ? {} : { resource }),
  };
  return {
    change,
    ...(userPoolId === undefined ? {} : { userPoolId }),
    ...(functionName === undefined ? {} : { functionName }),
  };
};
