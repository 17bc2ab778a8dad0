/**
 * trigger-wiring-broken: a LambdaConfig entry names a function Cognito cannot use.
 *
 * Reads: `trigger-wiring` observations (LambdaConfig entry, GetFunctionConfiguration, GetPolicy).
 * Causes, one finding each:
 * - `function-missing`: GetFunctionConfiguration says ResourceNotFoundException;
 * - `permission-missing`: no resource-policy statement allows `cognito-idp.amazonaws.com` to call
 *   `lambda:InvokeFunction` for this pool (a `AWS:SourceArn` condition must match the pool's ARN,
 *   `AWS:SourceAccount` the pool's account; conditions on other keys are assumed to allow);
 * - `timeout-over-limit`: a synchronous trigger's function timeout is above Cognito's 5 s wait;
 * - `runtime-deprecated`: the runtime is past its Lambda deprecation date ({@link RUNTIME_DEPRECATIONS});
 * - `kms-key-missing`: a custom sender trigger without `LambdaConfig.KMSKeyID`.
 * A lookup that failed (throttled, access denied) checks nothing and raises nothing.
 * Severity: `critical` for a missing function or permission on a synchronous trigger (`error` for
 * the asynchronous custom senders and a missing KMS key), `warning` for timeout and runtime.
 * Known false positives: a policy that allows Cognito through a condition this detector does not
 * evaluate is taken as allowing; a deprecation date AWS moved later than the table says.
 */
import { ASYNC_TRIGGERS, COGNITO_TRIGGER_TIMEOUT_MS, type TriggerName } from '../contracts/triggers';
import { auditDedupKey, auditLocation, describePool } from './audit-finding';
import {
  type AuditObservation,
  type PolicyStatement,
  type TriggerWiringObservation,
  triggerField,
} from './config-observations';
import { type Detector, detectEachOfKind, type Finding, type Severity, type WiringCause } from './types';

/**
 * Lambda runtimes and the date Lambda deprecated them (or will), from AWS's runtime table
 * (docs/config-audit.md#sources). Identifiers not listed are taken as supported.
 */
export const RUNTIME_DEPRECATIONS: Readonly<Record<string, string>> = {
  nodejs: '2016-10-31',
  'nodejs4.3': '2020-03-05',
  'nodejs6.10': '2019-08-12',
  'nodejs8.10': '2020-03-06',
  'nodejs10.x': '2021-07-30',
  'nodejs12.x': '2023-03-31',
  'nodejs14.x': '2023-12-04',
  'nodejs16.x': '2024-06-12',
  'nodejs18.x': '2025-09-01',
  'nodejs20.x': '2026-04-30',
  'nodejs22.x': '2027-04-30',
  'python2.7': '2021-07-15',
  'python3.6': '2022-07-18',
  'python3.7': '2023-12-04',
  'python3.8': '2024-10-14',
  'python3.9': '2025-12-15',
  'python3.10': '2026-06-30',
  'python3.11': '2026-06-30',
  'ruby2.5': '2021-07-30',
  'ruby2.7': '2023-12-07',
  'ruby3.2': '2026-03-31',
  java8: '2024-01-08',
  'go1.x': '2024-01-08',
  provided: '2024-01-08',
  'dotnetcore1.0': '2019-07-30',
  'dotnetcore2.0': '2019-05-30',
  'dotnetcore2.1': '2022-01-05',
  'dotnetcore3.1': '2023-04-03',
  dotnet5: '2022-05-10',
  dotnet6: '2024-12-20',
  dotnet7: '2024-05-14',
};

/** One wiring check of one trigger: its dedup key, and the finding when it failed. */
export interface WiringCheck {
  dedupKey: string;
  cause: WiringCause;
  finding?: Finding;
}

/**
 * `*` and `?` wildcards, as ArnLike and StringLike read them: the greedy two-pointer match that
 * backtracks only to the last `*` (no regular expression is built from policy text).
 */
export const wildcardMatch = (pattern: string, value: string): boolean => {
  let p = 0;
  let v = 0;
  let star = -1;
  let resume = 0;
  while (v < value.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === value[v])) {
      p += 1;
      v += 1;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p;
      resume = v;
      p += 1;
    } else if (star !== -1) {
      p = star + 1;
      resume += 1;
      v = resume;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p += 1;
  return p === pattern.length;
};

const accountOf = (arn: string | undefined): string | undefined => arn?.split(':')[4];

const conditionAllows = (
  statement: PolicyStatement,
  poolArn: string | undefined,
  userPoolId: string,
): boolean => {
  for (const [operator, keys] of Object.entries(statement.conditions)) {
    const like = /like$/i.test(operator);
    for (const [key, values] of Object.entries(keys)) {
      if (key === 'aws:sourcearn') {
        const matches = (candidate: string) =>
          // Without the pool's ARN (an emulator that leaves it out) only its id can be compared.
          poolArn === undefined
            ? candidate.endsWith(`:userpool/${userPoolId}`) || (like && /(^|[:/])\*$/.test(candidate))
            : like
              ? wildcardMatch(candidate, poolArn)
              : candidate === poolArn;
        if (!values.some(matches)) return false;
      } else if (key === 'aws:sourceaccount') {
        const account = accountOf(poolArn);
        if (
          account !== undefined &&
          !values.some((value) => (like ? wildcardMatch(value, account) : value === account))
        )
          return false;
      }
    }
  }
  return true;
};

/** Whether the resource policy lets Cognito invoke the function for this pool. */
export const allowsCognitoInvoke = (
  statements: readonly PolicyStatement[],
  poolArn: string | undefined,
  userPoolId: string,
): boolean =>
  statements.some(
    (statement) =>
      statement.effect === 'Allow' &&
      statement.principals.some(
        (principal) => principal === '*' || principal === 'cognito-idp.amazonaws.com',
      ) &&
      statement.actions.some((action) =>
        ['*', 'lambda:*', 'lambda:invokefunction'].includes(action.toLowerCase()),
      ) &&
      conditionAllows(statement, poolArn, userPoolId),
  );

const SEVERITY: Readonly<Record<WiringCause, { sync: Severity; async: Severity }>> = {
  'function-missing': { sync: 'critical', async: 'error' },
  'permission-missing': { sync: 'critical', async: 'error' },
  'timeout-over-limit': { sync: 'warning', async: 'warning' },
  'runtime-deprecated': { sync: 'warning', async: 'warning' },
  'kms-key-missing': { sync: 'error', async: 'error' },
};

const functionNameOf = (arn: string): string => /:function:([^:]+)/.exec(arn)?.[1] ?? arn;

const whatFails = (trigger: TriggerName): string =>
  ASYNC_TRIGGERS.includes(trigger)
    ? 'Cognito cannot deliver its messages'
    : 'every sign-up or sign-in that runs it fails with UnexpectedLambdaException';

/** Every wiring check of the observation that could run, failed or not. */
export const checkWiring = (observation: TriggerWiringObservation, now: Date): WiringCheck[] => {
  const { target, trigger, functionArn, poolArn } = observation;
  const functionName =
    observation.function.outcome === 'found'
      ? observation.function.functionName
      : functionNameOf(functionArn);
  const lastChange =
    observation.function.outcome === 'found' && observation.function.lastModified !== undefined
      ? [
          `last changed: ${observation.function.lastModified}${observation.function.version === undefined ? '' : ` (version ${observation.function.version}${observation.function.codeSha256 === undefined ? '' : `, code ${observation.function.codeSha256.slice(0, 12)}`})`}`,
        ]
      : [];
  const result = (
    cause: WiringCause,
    failed: boolean,
    title: string,
    extra: Partial<Finding> = {},
  ): WiringCheck => {
    const dedupKey = auditDedupKey('trigger-wiring-broken', target, trigger, cause);
    if (!failed) return { dedupKey, cause };
    const severity = SEVERITY[cause][ASYNC_TRIGGERS.includes(trigger) ? 'async' : 'sync'];
    return {
      dedupKey,
      cause,
      finding: {
        detector: 'trigger-wiring-broken',
        severity,
        title,
        ...auditLocation(target, undefined),
        trigger,
        cause,
        functionName,
        field: triggerField(trigger),
        ...extra,
        evidence: [`${triggerField(trigger)}: ${functionArn}`, ...lastChange, ...(extra.evidence ?? [])],
        dedupKey,
        runbook: 'trigger-wiring-broken',
      },
    };
  };
  const checks: WiringCheck[] = [];
  if (ASYNC_TRIGGERS.includes(trigger)) {
    checks.push(
      result(
        'kms-key-missing',
        !observation.kmsKeyConfigured,
        `${trigger} of ${describePool(target)} is wired without a KMS key (LambdaConfig.KMSKeyID): Cognito cannot encrypt the codes it sends`,
        { expected: 'a KMS key ARN', actual: '(not set)' },
      ),
    );
  }
  const lookup = observation.function;
  if (lookup.outcome === 'unreadable') return checks;
  if (lookup.outcome === 'not-found') {
    checks.push(
      result(
        'function-missing',
        true,
        `${trigger} of ${describePool(target)} points at function ${functionName}, which does not exist: ${whatFails(trigger)}`,
        {
          expected: 'an existing function',
          actual: 'ResourceNotFoundException',
          evidence: [`GetFunctionConfiguration: ${lookup.message}`],
        },
      ),
    );
    return checks;
  }
  checks.push(result('function-missing', false, ''));
  const policy = observation.policy;
  if (policy.outcome === 'found' || policy.outcome === 'none') {
    const allowed =
      policy.outcome === 'found' && allowsCognitoInvoke(policy.statements, poolArn, target.userPoolId);
    checks.push(
      result(
        'permission-missing',
        !allowed,
        `Cognito may not invoke ${trigger} function ${functionName} for ${describePool(target)}: ${policy.outcome === 'none' ? 'the function has no resource policy' : 'no resource-policy statement lets cognito-idp.amazonaws.com invoke it for this pool'}; ${whatFails(trigger)}`,
        {
          expected: `lambda:InvokeFunction for cognito-idp.amazonaws.com, SourceArn ${poolArn ?? `…:userpool/${target.userPoolId}`}`,
          actual:
            policy.outcome === 'none'
              ? 'no resource policy'
              : `${policy.statements.length} statement(s), none for this pool`,
        },
      ),
    );
  }
  if (!ASYNC_TRIGGERS.includes(trigger) && lookup.timeoutSeconds !== undefined) {
    const limitSeconds = COGNITO_TRIGGER_TIMEOUT_MS / 1000;
    checks.push(
      result(
        'timeout-over-limit',
        lookup.timeoutSeconds > limitSeconds,
        `${trigger} function ${functionName} has a ${lookup.timeoutSeconds} s timeout, longer than Cognito's ${limitSeconds} s wait: a slow run fails the caller while the function keeps running`,
        { expected: `at most ${limitSeconds} s`, actual: `${lookup.timeoutSeconds} s` },
      ),
    );
  }
  if (lookup.runtime !== undefined) {
    const deprecated = RUNTIME_DEPRECATIONS[lookup.runtime];
    checks.push(
      result(
        'runtime-deprecated',
        deprecated !== undefined && Date.parse(deprecated) <= now.getTime(),
        `${trigger} function ${functionName} runs on ${lookup.runtime}, deprecated by Lambda since ${deprecated}: no security patches, and updates will be blocked`,
        { expected: 'a supported runtime', actual: `${lookup.runtime} (deprecated ${deprecated})` },
      ),
    );
  }
  return checks;
};

export const triggerWiringBroken: Detector<AuditObservation> = {
  id: 'trigger-wiring-broken',
  description:
    'A trigger points at a missing function, Cognito may not invoke it, its timeout exceeds 5 s, its runtime is deprecated, or a custom sender lacks its KMS key.',
  detect: detectEachOfKind('trigger-wiring', (observation, { now }) =>
    checkWiring(observation, now).map((check) => check.finding),
  ),
};
