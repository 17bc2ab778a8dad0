/**
 * Time budgets of every AWS client the functions build, in one place, so no client is created
 * without a connection timeout, a request timeout and a retry budget.
 *
 * Why each part matters: without `connectionTimeout` a black-holed endpoint (SYN never answered)
 * waits for the kernel; without `requestTimeout` a server that accepts and never answers keeps the
 * invocation until Lambda kills it; and the SDK's `requestTimeout` only logs a warning unless
 * `throwOnRequestTimeout` is set, so it is always set here. `maxAttempts` counts the first try.
 *
 * Worst case of one call: `maxAttempts × (connectionTimeoutMs + requestTimeoutMs)` plus the SDK's
 * backoff between attempts (at most {@link MAX_RETRY_BACKOFF_MS} each with these attempt counts).
 * `deploy/stack.ts` checks that the alert path's worst case fits the function timeouts.
 */

/** A client's time budget. Milliseconds. */
export interface ClientBudget {
  /** Longest TCP (and TLS) connect. */
  readonly connectionTimeoutMs: number;
  /** Longest request and response once connected. */
  readonly requestTimeoutMs: number;
  /** Attempts including the first (the SDK retries throttling, 5xx, timeouts and network errors). */
  readonly maxAttempts: number;
}

/** The budgets by use. */
export const CLIENT_BUDGETS = {
  /** DynamoDB incident table: small items, single-digit-ms service; a slow store must not hold the page back. */
  incidentStore: { connectionTimeoutMs: 500, requestTimeoutMs: 1_500, maxAttempts: 2 },
  /** SNS Publish of a report (up to 256 KB). */
  alertPublish: { connectionTimeoutMs: 500, requestTimeoutMs: 2_500, maxAttempts: 2 },
  /** Secrets Manager and SSM reads (cached per container after the first). */
  secrets: { connectionTimeoutMs: 500, requestTimeoutMs: 1_500, maxAttempts: 2 },
  /** Cognito calls of the canary: one attempt (the canary retries inside its own time budget), longer than Cognito's 5 s trigger wait. */
  cognito: { connectionTimeoutMs: 2_000, requestTimeoutMs: 8_000, maxAttempts: 1 },
  /** Lambda GetFunctionConfiguration for "recent changes": optional, so short. */
  recentChanges: { connectionTimeoutMs: 1_000, requestTimeoutMs: 2_000, maxAttempts: 1 },
  /** The CLI's Lambda Invoke of a deployed function (`test-page --stage`): it waits for the deliveries. */
  invoke: { connectionTimeoutMs: 2_000, requestTimeoutMs: 25_000, maxAttempts: 1 },
  /** Describe/List calls of the config audit (Cognito, Lambda): low-TPS APIs, so the SDK retries throttling. */
  audit: { connectionTimeoutMs: 2_000, requestTimeoutMs: 5_000, maxAttempts: 3 },
  /** CloudWatch Logs reads of the CLI (preflight). */
  logs: { connectionTimeoutMs: 2_000, requestTimeoutMs: 10_000, maxAttempts: 3 },
  /**
   * `test-trigger --function-name` (CLI only): one Invoke per generated event, never retried (a retry
   * would hide how the function answered); the request outlasts Cognito's 5 s wait so a slow
   * function is reported as trigger-timeout, not as an SDK timeout.
   */
  triggerInvoke: { connectionTimeoutMs: 2_000, requestTimeoutMs: 10_000, maxAttempts: 1 },
} as const satisfies Record<string, ClientBudget>;

export type ClientBudgetName = keyof typeof CLIENT_BUDGETS;

/** The PagerDuty Events API call: all attempts and waits of one event, and one attempt. Milliseconds. */
export const PAGERDUTY_BUDGET = { timeBudgetMs: 8_000, attemptTimeoutMs: 4_000 } as const;

/** Upper bound of the SDK's standard backoff before a second attempt (base 100 ms × 2, jittered). */
export const MAX_RETRY_BACKOFF_MS = 1_000;

/** Longest one SDK call with this budget can take, retries included. */
export const worstCaseMs = (budget: ClientBudget): number =>
  budget.maxAttempts * (budget.connectionTimeoutMs + budget.requestTimeoutMs) +
  (budget.maxAttempts - 1) * MAX_RETRY_BACKOFF_MS;

/** The SDK client options for a budget (`requestHandler` takes NodeHttpHandler options directly). */
export interface AwsClientOptions {
  maxAttempts: number;
  requestHandler: {
    connectionTimeout: number;
    requestTimeout: number;
    socketTimeout: number;
    throwOnRequestTimeout: true;
  };
}

/**
 * Client options for a named budget (or an explicit one: tests shorten them), to spread into a
 * client's constructor: `new DynamoDBClient({ ...awsClientOptions('incidentStore'), region })`.
 */
export const awsClientOptions = (budget: ClientBudgetName | ClientBudget): AwsClientOptions => {
  const { connectionTimeoutMs, requestTimeoutMs, maxAttempts } =
    typeof budget === 'string' ? CLIENT_BUDGETS[budget] : budget;
  return {
    maxAttempts,
    requestHandler: {
      connectionTimeout: connectionTimeoutMs,
      requestTimeout: requestTimeoutMs,
      socketTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  };
};

/**
 * Longest the alert path of one invocation takes when its backends hang instead of failing: one
 * store call (the pipeline skips the store for the rest of the run once it failed), the sinks in
 * parallel (PagerDuty after reading its routing key; a sink that failed is not tried again in the
 * run), and one store call to record the delivery. 23 s with the budgets above.
 */
export const ALERT_PATH_WORST_CASE_MS =
  2 * worstCaseMs(CLIENT_BUDGETS.incidentStore) +
  Math.max(
    worstCaseMs(CLIENT_BUDGETS.secrets) + PAGERDUTY_BUDGET.timeBudgetMs,
    worstCaseMs(CLIENT_BUDGETS.alertPublish),
  );

/**
 * Time a function keeps free at the end of its invocation for the alert path, in ms: the worst
 * case above plus a margin for the handler's own work. The canary stops its cycles this long
 * before Lambda's timeout.
 */
export const ALERT_PATH_RESERVE_MS = ALERT_PATH_WORST_CASE_MS + 2_000;

/** The shortest canary run worth having once the reserve is kept, in seconds. */
export const MIN_CANARY_RUN_SECONDS = 10;
