/**
 * The whole monitor, wired for the demo: the real trigger-log handler fed with real subscription
 * payloads built from the trigger invocations' log lines, the real canary handler pointed at the
 * embedded Cognito, and the real incident pipeline (in-memory state) delivering to the demo's sinks.
 */

import { DescribeUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { createMemoryIncidentStore } from '../alerts/incident-store';
import { type AlertPipeline, createAlertPipeline } from '../alerts/pipeline';
import { combineRecentChanges, toDeployChange } from '../alerts/recent-changes';
import type { AlertSink } from '../alerts/types';
import { createAuditClients } from '../audit/aws-clients';
import { createChangeLogLookup, createMemoryChangeLog } from '../audit/change-log';
import { createAuditRunner } from '../audit/runner';
import { createMemorySnapshotStore } from '../audit/snapshot-store';
import { createCognitoClient } from '../canary/aws-clients';
import type { CognitoClient } from '../canary/cycle-context';
import { createCanaryRunner } from '../canary/runner';
import type { PoolConfig } from '../config/pool-config';
import { parseSecretRef, type SecretRef } from '../config/secret-ref';
import { createSecretResolver } from '../config/secrets';
import { toResolveLogGroup } from '../config/trigger-logs-config';
import type { TriggerName } from '../contracts/triggers';
import { DEFAULT_DETECTOR_CONFIG } from '../detectors/types';
import { type CanaryInvocationResult, createHandler as createCanaryHandler } from '../functions/canary';
import { type ConfigAuditResult, createHandler as createConfigAuditHandler } from '../functions/config-audit';
import { createHandler as createTriggerLogsHandler, type TriggerLogsResult } from '../functions/trigger-logs';
import type { LogGroupInfo } from '../logs/types';
import type { Log } from '../runtime/telemetry';
import type { DemoEmulator } from './emulator';
import { toCognitoAnswer } from './emulator-answers';
import type { LambdaLogBatch } from './local';
import { toSubscriptionEvent } from './subscription-payload';
import { DEMO_PRESIGNUP, DEMO_PRETOKEN } from './triggers';

/** The region the demo's config names; cognito-local answers for any region. */
export const DEMO_REGION = 'eu-west-1';
const PASSWORD_VARIABLE = 'SENTINEL_DEMO_CANARY_PASSWORD';

export interface DemoMonitor {
  pool: PoolConfig;
  pipeline: AlertPipeline;
  /** One scheduled canary run; never throws (a failed run is returned as `error`). */
  runCanary(): Promise<{ result?: CanaryInvocationResult; error?: Error }>;
  /** Queues one invocation's log lines for the trigger-log handler (as one subscription payload). */
  feed(batch: LambdaLogBatch): void;
  /** Waits until every queued payload has been handled; returns what they found. */
  drain(): Promise<{ batches: number; lines: number; findings: number; unreadable: number; errors: Error[] }>;
  /** Resolves quiet trigger-log incidents and delivers what is owed. */
  sweep(): Promise<void>;
  /**
   * One run of the config-audit function: on its schedule (no event) or for an EventBridge
   * CloudTrail event. Never throws (a failed run is returned as `error`).
   */
  runAudit(event?: unknown): Promise<{ result?: ConfigAuditResult; error?: Error }>;
}

const quietLog: Log = { debug() {}, info() {}, warn() {}, error() {} };
const noMetrics = { count() {}, latency() {}, publish() {} };

const lambdaContext = (functionName: string, budgetMs: number): Context =>
  ({
    functionName,
    functionVersion: '$LATEST',
    awsRequestId: 'demo',
    getRemainingTimeInMillis: () => budgetMs,
  }) as Context;

const secretRef = (text: string): SecretRef => {
  const parsed = parseSecretRef(text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
};

/**
 * cognito-local issues ID and access tokens that live one day, but its DescribeUserPoolClient
 * leaves out the validity settings (AWS always reports them). Fill in what the emulator actually
 * applies, so the canary's lifetime check compares like with like. Errors get Cognito's name and
 * message back (./emulator-answers). Every other call passes through.
 */
const withEmulatorValidity = (client: CognitoClient): CognitoClient => ({
  send: (async (command: unknown, options?: unknown) => {
    const output = await (client.send as (c: unknown, o?: unknown) => Promise<unknown>)(
      command,
      options,
    ).catch((error: unknown) => {
      throw toCognitoAnswer(error, (command as object).constructor.name);
    });
    if (command instanceof DescribeUserPoolClientCommand) {
      const described = output as { UserPoolClient?: Record<string, unknown> };
      if (described.UserPoolClient && described.UserPoolClient.IdTokenValidity === undefined) {
        described.UserPoolClient = {
          ...described.UserPoolClient,
          IdTokenValidity: 1,
          AccessTokenValidity: 1,
          TokenValidityUnits: {
            ...(described.UserPoolClient.TokenValidityUnits as object),
            IdToken: 'days',
            AccessToken: 'days',
          },
        };
      }
    }
    return output;
  }) as CognitoClient['send'],
});

export interface DemoMonitorOptions {
  emulator: DemoEmulator;
  sinks: AlertSink[];
  /** Quiet time after which a trigger-log incident resolves. */
  quietWindowMs: number;
}

export const createDemoMonitor = ({ emulator, sinks, quietWindowMs }: DemoMonitorOptions): DemoMonitor => {
  const logGroups: Record<string, TriggerName> = {
    [`/aws/lambda/${DEMO_PRESIGNUP}`]: 'PreSignUp',
    [`/aws/lambda/${DEMO_PRETOKEN}`]: 'PreTokenGeneration',
  };
  const pool: PoolConfig = {
    name: 'demo-shop',
    userPoolId: emulator.userPoolId,
    region: DEMO_REGION,
    clients: [{ clientId: emulator.clientId, expect: { idTokenClaims: { tenant: 'demo-shop' } } }],
    canary: {
      username: emulator.canaryUsername,
      password: secretRef(`env:${PASSWORD_VARIABLE}`),
      cleanup: 'revoke-token',
      retry: { maxAttempts: 1, attemptTimeoutMs: 8_000 },
      signUp: {
        expectConfirmed: true,
        usernameTemplate: 'sentinel-canary-{id}',
        attributes: { email: 'sentinel+{id}@example.com' },
      },
    },
    triggerLogGroups: logGroups,
  };
  const changes = createMemoryChangeLog();
  const pipeline = createAlertPipeline({
    store: createMemoryIncidentStore(),
    sinks,
    policy: { quietWindowMs, passesToResolve: 2, reminderIntervalMs: 0 },
    logger: quietLog,
    // What Lambda's GetFunctionConfiguration answers in production, from the demo's own deploys,
    // and the pool's configuration changes the config audit recorded from CloudTrail.
    recentChanges: combineRecentChanges(createChangeLogLookup(changes), async (finding) => {
      const functionName =
        finding.functionName ?? (finding.trigger === 'PreSignUp' ? DEMO_PRESIGNUP : undefined);
      const deployed = functionName ? emulator.deployedAt(functionName) : undefined;
      if (!functionName || !deployed) return undefined;
      const change = toDeployChange(
        functionName,
        deployed,
        new Date(finding.timestamp ?? Date.now()),
        {},
        60 * 60_000,
      );
      return change === undefined ? undefined : [change];
    }),
  });

  const logGroupInfo: Record<string, LogGroupInfo> = Object.fromEntries(
    Object.entries(logGroups).map(([logGroup, trigger]) => [
      logGroup,
      { trigger, userPoolId: emulator.userPoolId, region: DEMO_REGION },
    ]),
  );
  const triggerLogs = createTriggerLogsHandler({
    config: {
      logGroups: logGroupInfo,
      resolveLogGroup: toResolveLogGroup(logGroupInfo),
      detectors: { ...DEFAULT_DETECTOR_CONFIG },
    },
    alerts: pipeline,
    logger: quietLog,
    metrics: noMetrics,
  });

  const canary = createCanaryHandler({
    pools: [pool],
    runner: createCanaryRunner({
      // cognito-local accepts any credentials; the demo needs no AWS account.
      cognito: (region) =>
        withEmulatorValidity(
          createCognitoClient(region, emulator.endpoint, { accessKeyId: 'local', secretAccessKey: 'local' }),
        ),
      // The password never leaves this process: the canary reads it as it would read env: in the CLI.
      secrets: createSecretResolver({
        env: { [PASSWORD_VARIABLE]: emulator.canaryPassword },
        allowEnv: true,
      }),
      endpoint: emulator.endpoint,
    }),
    alerts: pipeline,
    logger: quietLog,
    metrics: noMetrics,
  });

  // The config audit reads the emulator; cognito-local has no Lambda API, so wiring checks become notes.
  const configAudit = createConfigAuditHandler({
    pools: [pool],
    runner: createAuditRunner({
      clients: createAuditClients(
        { AWS_ENDPOINT_URL: emulator.endpoint },
        { accessKeyId: 'local', secretAccessKey: 'local' },
      ),
      store: createMemorySnapshotStore(),
    }),
    alerts: pipeline,
    logger: quietLog,
    metrics: noMetrics,
    changes,
  });

  let queue: Promise<void> = Promise.resolve();
  let totals = { batches: 0, lines: 0, findings: 0, unreadable: 0, errors: [] as Error[] };
  const handleBatch = async (batch: LambdaLogBatch) => {
    const event = toSubscriptionEvent({
      logGroup: batch.logGroup,
      logStream: batch.logStream,
      lines: batch.lines,
    });
    try {
      const result: TriggerLogsResult = await triggerLogs(
        event,
        lambdaContext('cognito-sentinel-trigger-logs', 30_000),
      );
      totals.batches += 1;
      totals.lines += result.lines;
      totals.findings += result.findings;
      totals.unreadable += result.unreadable;
    } catch (error) {
      totals.errors.push(error as Error);
    }
  };

  return {
    pool,
    pipeline,
    runCanary: async () => {
      try {
        const result = await canary({} as ScheduledEvent, lambdaContext('cognito-sentinel-canary', 30_000));
        return { result };
      } catch (error) {
        return { error: error as Error };
      }
    },
    feed: (batch) => {
      queue = queue.then(() => handleBatch(batch));
    },
    drain: async () => {
      await queue;
      const done = totals;
      totals = { batches: 0, lines: 0, findings: 0, unreadable: 0, errors: [] };
      return done;
    },
    sweep: async () => {
      await pipeline.sweep();
    },
    runAudit: async (event) => {
      try {
        const result = await configAudit(
          event ?? { 'detail-type': 'Scheduled Event', source: 'aws.events' },
          lambdaContext('cognito-sentinel-config-audit', 30_000),
        );
        return { result };
      } catch (error) {
        return { error: error as Error };
      }
    },
  };
};
