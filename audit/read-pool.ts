/**
 * Reads one pool for the audit: DescribeUserPool, ListUserPoolClients + DescribeUserPoolClient,
 * DescribeUserPoolDomain (prefix and custom domain), and for each LambdaConfig entry
 * GetFunctionConfiguration and GetPolicy. Returns the snapshot sections, the wiring observations
 * and a note for every call that failed.
 *
 * Never throws for a failed call: a call that fails (throttled, access denied, an API the region
 * or an emulator does not have) leaves its section unread, and the rest of the audit still runs.
 * A client secret is turned into its fingerprint here and goes no further.
 */
import {
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  ListUserPoolClientsCommand,
  type UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetFunctionConfigurationCommand, GetPolicyCommand } from '@aws-sdk/client-lambda';
import * as z from 'zod';
import { listWiredTriggers } from '../contracts/triggers';
import type {
  AuditedPool,
  AuditTarget,
  PolicyStatement,
  Settings,
  TriggerFunctionLookup,
  TriggerPolicyLookup,
  TriggerWiringObservation,
} from '../detectors/config-observations';
import { redactThenClip } from '../redaction/redact';
import { describeError } from '../runtime/errors';
import { lazySchema } from '../runtime/lazy-schema';
import { toClientSettings, toDomainSettings, toFunctionSettings, toPoolSettings } from './normalise';
import { toSecretFingerprint } from './secret-fingerprint';

/** The `send` of an SDK client: all the audit needs, so tests and the demo can wrap one. */
export interface Sender {
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's overloads; each call site names its command type.
  send(command: any, options?: any): Promise<any>;
}

/** The AWS clients of the audit, per region. */
export interface AuditClients {
  cognito: (region: string) => Sender;
  lambda: (region: string) => Sender;
}

/** A check that could not run, as the output and the log show it. */
export interface AuditNote {
  userPoolId: string;
  /** The call that failed, and what it was for: `DescribeUserPoolDomain (domain)`. */
  check: string;
  /** One line, redacted. */
  message: string;
}

/** One pool as the audit read it. */
export interface PoolReading {
  pool: AuditedPool;
  wiring: TriggerWiringObservation[];
  notes: AuditNote[];
}

const MAX_MESSAGE_CHARS = 300;
const CLIENT_PAGE = 60;
/** Most app clients read per pool, so one pool never turns into an unbounded run. */
export const MAX_CLIENTS = 1_000;

const errorName = (error: unknown): string => (error instanceof Error ? error.name : '');
const isNotFound = (error: unknown): boolean => errorName(error) === 'ResourceNotFoundException';
const oneLine = (error: unknown): string =>
  redactThenClip(describeError(error).replace(/\s+/g, ' '), MAX_MESSAGE_CHARS);

const lambdaRegionOf = (arn: string, fallback: string): string =>
  /^arn:aws[\w-]*:lambda:([a-z0-9-]+):/.exec(arn)?.[1] ?? fallback;

const stringList = lazySchema(() =>
  z.union([z.string(), z.array(z.string())]).transform((value) => (Array.isArray(value) ? value : [value])),
);

/** A resource policy as GetPolicy returns it (JSON text); only what the wiring check reads. */
const policySchema = lazySchema(() =>
  z.object({
    Statement: z
      .union([z.array(z.unknown()), z.unknown()])
      .transform((value) => (Array.isArray(value) ? value : [value])),
  }),
);

const statementSchema = lazySchema(() =>
  z.object({
    Sid: z.string().optional(),
    Effect: z.string(),
    Principal: z.union([z.literal('*'), z.record(z.string(), stringList)]).optional(),
    Action: stringList.optional(),
    Condition: z.record(z.string(), z.record(z.string(), stringList)).optional(),
  }),
);

/** The statements of a resource policy (JSON text); a statement that does not parse is left out. */
export const parsePolicy = (text: string): PolicyStatement[] => {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return [];
  }
  const policy = policySchema.safeParse(raw);
  if (!policy.success) return [];
  return policy.data.Statement.flatMap((candidate) => {
    const statement = statementSchema.safeParse(candidate);
    if (!statement.success) return [];
    const { Sid, Effect, Principal, Action, Condition } = statement.data;
    const principals =
      Principal === undefined ? [] : Principal === '*' ? ['*'] : Object.values(Principal).flat();
    const conditions = Object.fromEntries(
      Object.entries(Condition ?? {}).map(([operator, keys]) => [
        operator,
        Object.fromEntries(Object.entries(keys).map(([key, values]) => [key.toLowerCase(), values])),
      ]),
    );
    return [
      {
        ...(Sid === undefined ? {} : { sid: Sid }),
        effect: Effect,
        principals,
        actions: Action ?? [],
        conditions,
      },
    ];
  });
};

const listClientIds = async (cognito: Sender, userPoolId: string): Promise<string[]> => {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await cognito.send(
      new ListUserPoolClientsCommand({
        UserPoolId: userPoolId,
        MaxResults: CLIENT_PAGE,
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
      }),
    );
    for (const client of page.UserPoolClients ?? []) if (client.ClientId) ids.push(client.ClientId);
    nextToken = page.NextToken || undefined;
  } while (nextToken !== undefined && ids.length < MAX_CLIENTS);
  return ids;
};

export interface ReadPoolOptions {
  clients: AuditClients;
  target: AuditTarget;
  /** Key of the client secrets' fingerprints. */
  fingerprintKey: string;
  /** Client ids that must be looked at even when the listing fails (configured, or in the last snapshot). */
  knownClientIds: readonly string[];
  now: Date;
}

/** Reads the pool, its clients, its domains and its trigger functions. */
export const readPool = async ({
  clients,
  target,
  fingerprintKey,
  knownClientIds,
  now,
}: ReadPoolOptions): Promise<PoolReading> => {
  const { userPoolId, region } = target;
  const cognito = clients.cognito(region);
  const notes: AuditNote[] = [];
  const note = (check: string, error: unknown) => notes.push({ userPoolId, check, message: oneLine(error) });

  let described: Awaited<ReturnType<Sender['send']>>;
  try {
    described = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
  } catch (error) {
    if (isNotFound(error)) return { pool: { outcome: 'pool-not-found' }, wiring: [], notes };
    note('DescribeUserPool (pool settings, triggers, domain)', error);
    return { pool: { outcome: 'unreadable', message: oneLine(error) }, wiring: [], notes };
  }
  const userPool = described.UserPool ?? {};
  const sections: Record<string, Settings> = { pool: toPoolSettings(userPool) };
  const unread: string[] = [];

  // App clients: the listing is the truth about which exist; each is then described.
  let clientIds: string[] | undefined;
  try {
    clientIds = await listClientIds(cognito, userPoolId);
  } catch (error) {
    note('ListUserPoolClients (app clients)', error);
    unread.push(...knownClientIds.map((id) => `client:${id}`));
  }
  for (const clientId of clientIds ?? []) {
    try {
      const answer = await cognito.send(
        new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }),
      );
      const client: UserPoolClientType = answer.UserPoolClient ?? { ClientId: clientId };
      const secret = client.ClientSecret;
      sections[`client:${clientId}`] = toClientSettings(
        { ...client, ClientSecret: undefined },
        secret ? toSecretFingerprint(secret, fingerprintKey) : undefined,
      );
    } catch (error) {
      if (isNotFound(error)) continue; // deleted between the listing and now: absent, as the listing will soon say
      note(`DescribeUserPoolClient ${clientId} (app client settings)`, error);
      unread.push(`client:${clientId}`);
    }
  }

  // Domains: the prefix domain and the custom domain, each described on its own.
  const domainSettings: Record<string, string | number | boolean | readonly string[]> = {};
  let domainUnread = false;
  for (const [kind, domain] of [
    ['Domain', userPool.Domain],
    ['CustomDomain', userPool.CustomDomain],
  ] as const) {
    if (!domain) continue;
    try {
      const answer = await cognito.send(new DescribeUserPoolDomainCommand({ Domain: domain }));
      Object.assign(domainSettings, toDomainSettings(kind, answer.DomainDescription ?? {}));
    } catch (error) {
      note(`DescribeUserPoolDomain ${domain} (domain status)`, error);
      domainUnread = true;
    }
  }
  if (domainUnread) unread.push('domain');
  else if (Object.keys(domainSettings).length > 0) sections.domain = domainSettings;

  // Trigger wiring: each LambdaConfig entry's function and resource policy.
  const wiring: TriggerWiringObservation[] = [];
  const kmsKeyConfigured = Boolean(userPool.LambdaConfig?.KMSKeyID);
  for (const { trigger, arn } of listWiredTriggers(userPool.LambdaConfig)) {
    const lambda = clients.lambda(lambdaRegionOf(arn, region));
    let fn: TriggerFunctionLookup;
    try {
      const configuration = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: arn }));
      fn = {
        outcome: 'found',
        functionName: configuration.FunctionName ?? arn,
        ...(configuration.Runtime ? { runtime: configuration.Runtime } : {}),
        ...(configuration.Timeout === undefined ? {} : { timeoutSeconds: configuration.Timeout }),
        ...(configuration.LastModified ? { lastModified: configuration.LastModified } : {}),
        ...(configuration.Version ? { version: configuration.Version } : {}),
        ...(configuration.CodeSha256 ? { codeSha256: configuration.CodeSha256 } : {}),
      };
      sections[`function:${trigger}`] = toFunctionSettings(trigger, configuration);
    } catch (error) {
      if (isNotFound(error)) fn = { outcome: 'not-found', message: oneLine(error) };
      else {
        note(`GetFunctionConfiguration ${arn} (${trigger} wiring)`, error);
        fn = { outcome: 'unreadable', message: oneLine(error) };
        unread.push(`function:${trigger}`);
      }
    }
    let policy: TriggerPolicyLookup = { outcome: 'skipped' };
    if (fn.outcome === 'found') {
      try {
        const answer = await lambda.send(new GetPolicyCommand({ FunctionName: arn }));
        policy = { outcome: 'found', statements: parsePolicy(answer.Policy ?? '') };
      } catch (error) {
        if (isNotFound(error)) policy = { outcome: 'none' };
        else {
          note(`GetPolicy ${arn} (${trigger} invoke permission)`, error);
          policy = { outcome: 'unreadable', message: oneLine(error) };
        }
      }
    }
    wiring.push({
      kind: 'trigger-wiring',
      target,
      ...(userPool.Arn ? { poolArn: userPool.Arn } : {}),
      trigger,
      functionArn: arn,
      kmsKeyConfigured,
      function: fn,
      policy,
    });
  }

  return {
    pool: {
      outcome: 'read',
      snapshot: { userPoolId, region, takenAt: now.toISOString(), sections },
      unread,
    },
    wiring,
    notes,
  };
};
