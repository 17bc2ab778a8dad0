/**
 * config-expectation-failed: a pool or app client does not meet what sentinel.config.yml declares.
 *
 * Reads: `config-expectations` observations (the declared expectations and this run's snapshot).
 * Pool: `deletionProtection`, `mfa`, `domain` (the Cognito prefix or the custom domain),
 * `triggers` (function name or ARN per LambdaConfig key). Client: it exists; `callbackUrls`,
 * `logoutUrls`, `explicitAuthFlows`, `allowedOAuthFlows`, `allowedOAuthScopes` (each an exact set:
 * nothing missing, nothing extra, a trailing slash counts), `hasSecret`, `tokenValidity` (compared
 * in seconds, whatever unit either side uses), `preventUserExistenceErrors`,
 * `enableTokenRevocation`, `refreshTokenRotation`. A section the audit could not read is not
 * checked. One finding per unmet expectation, with `field`, `expected` and `actual`.
 * Severity: `warning`; `error` for a configured client that does not exist; `critical` for a pool
 * that does not exist.
 * Known false positives: an expectation left stale after an intended change.
 */
import type { TriggerName } from '../contracts/triggers';
import { auditDedupKey, auditLocation, describePool } from './audit-finding';
import {
  type AuditObservation,
  type ClientExpectations,
  type ConfigExpectationsObservation,
  clientField,
  describeSetting,
  type ExpectedDuration,
  type Settings,
  type SettingValue,
  triggerField,
  validitySeconds,
} from './config-observations';
import { type Detector, detectEachOfKind, type Finding, type Severity } from './types';

/** One expectation checked: its dedup key, and the finding when it is not met. */
export interface ExpectationCheck {
  dedupKey: string;
  finding?: Finding;
}

const sortedSet = (values: readonly string[]): string[] => [...new Set(values)].sort();

const sameSet = (expected: readonly string[], actual: SettingValue | undefined): boolean =>
  JSON.stringify(sortedSet(expected)) ===
  JSON.stringify(Array.isArray(actual) ? sortedSet(actual) : actual === undefined ? [] : [String(actual)]);

/** `function:NAME` at the end of a Lambda ARN (a version or alias after it is kept). */
const functionNameOf = (arn: string): string => /:function:([^:]+)/.exec(arn)?.[1] ?? arn;

/**
 * Whether LambdaConfig's ARN is the function the config names: an ARN must match exactly; a name
 * matches the function whatever version or alias LambdaConfig adds.
 */
export const isSameFunction = (expected: string, actualArn: string): boolean =>
  expected.startsWith('arn:') ? expected === actualArn : functionNameOf(actualArn) === expected;

const formatDuration = (seconds: number | undefined): string => {
  if (seconds === undefined) return '(not set)';
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
  ] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
};

interface Context {
  observation: ConfigExpectationsObservation;
  settings: Settings;
}

const check = (
  { observation }: Context,
  field: string,
  met: boolean,
  expected: string,
  actual: string,
  options: { clientId?: string; severity?: Severity; title?: string } = {},
): ExpectationCheck => {
  const { target } = observation;
  const dedupKey = auditDedupKey('config-expectation-failed', target, field);
  if (met) return { dedupKey };
  const subject =
    options.clientId === undefined
      ? describePool(target)
      : `App client ${options.clientId} of ${describePool(target)}`;
  return {
    dedupKey,
    finding: {
      detector: 'config-expectation-failed',
      severity: options.severity ?? 'warning',
      title:
        options.title ??
        `${subject}: ${field.replace(/^clients\.[^.]+\./, '')} is ${actual}, the config expects ${expected}`,
      ...auditLocation(target, undefined),
      ...(options.clientId === undefined ? {} : { clientId: options.clientId }),
      field,
      expected,
      actual,
      evidence: [`expected: ${expected}`, `actual: ${actual}`],
      dedupKey,
      runbook: 'config-expectation-failed',
    },
  };
};

const boolSetting = (value: SettingValue | undefined, truthy: string): boolean | undefined =>
  value === undefined ? undefined : value === true || value === truthy;

const clientChecks = (context: Context, expectations: ClientExpectations): ExpectationCheck[] => {
  const { clientId } = expectations;
  const field = (name: string) => clientField(clientId, name);
  const actual = (name: string) => context.settings[field(name)];
  const checks: ExpectationCheck[] = [];
  const lists: ReadonlyArray<readonly [keyof ClientExpectations, string]> = [
    ['callbackUrls', 'CallbackURLs'],
    ['logoutUrls', 'LogoutURLs'],
    ['explicitAuthFlows', 'ExplicitAuthFlows'],
    ['allowedOAuthFlows', 'AllowedOAuthFlows'],
    ['allowedOAuthScopes', 'AllowedOAuthScopes'],
  ];
  for (const [key, name] of lists) {
    const expected = expectations[key] as readonly string[] | undefined;
    if (expected === undefined) continue;
    checks.push(
      check(
        context,
        field(name),
        sameSet(expected, actual(name)),
        describeSetting(sortedSet(expected)),
        describeSetting(actual(name)),
        { clientId },
      ),
    );
  }
  const flags: ReadonlyArray<readonly [keyof ClientExpectations, string, string]> = [
    ['hasSecret', 'HasSecret', 'true'],
    ['preventUserExistenceErrors', 'PreventUserExistenceErrors', 'ENABLED'],
    ['enableTokenRevocation', 'EnableTokenRevocation', 'true'],
    ['refreshTokenRotation', 'RefreshTokenRotation', 'ENABLED'],
  ];
  for (const [key, name, truthy] of flags) {
    const expected = expectations[key] as boolean | undefined;
    if (expected === undefined) continue;
    const value = boolSetting(actual(name), truthy) ?? false;
    checks.push(
      check(
        context,
        field(name),
        value === expected,
        String(expected),
        `${value}${actual(name) === undefined ? ' (not set)' : ''}`,
        {
          clientId,
        },
      ),
    );
  }
  const validities: ReadonlyArray<readonly ['accessToken' | 'idToken' | 'refreshToken', string]> = [
    ['accessToken', 'AccessTokenValidity'],
    ['idToken', 'IdTokenValidity'],
    ['refreshToken', 'RefreshTokenValidity'],
  ];
  for (const [key, name] of validities) {
    const expected: ExpectedDuration | undefined = expectations.tokenValidity?.[key];
    if (expected === undefined) continue;
    const seconds = validitySeconds(actual(name));
    checks.push(
      check(
        context,
        field(name),
        seconds === expected.seconds,
        expected.text,
        seconds === undefined
          ? describeSetting(actual(name))
          : `${formatDuration(seconds)} (${describeSetting(actual(name))})`,
        { clientId },
      ),
    );
  }
  return checks;
};

/** Every expectation of the observation that could be checked, met or not. */
export const checkExpectations = (observation: ConfigExpectationsObservation): ExpectationCheck[] => {
  const { current, expectations, target } = observation;
  if (current.outcome === 'unreadable') return [];
  if (current.outcome === 'pool-not-found') {
    const context: Context = { observation, settings: {} };
    return [
      check(context, 'UserPool', false, 'exists', 'not found', {
        severity: 'critical',
        title: `User pool ${describePool(target)} does not exist (DescribeUserPool: ResourceNotFoundException)`,
      }),
    ];
  }
  const { snapshot, unread } = current;
  const skipped = new Set(unread);
  const checks: ExpectationCheck[] = [];
  if (!skipped.has('pool')) {
    const settings = snapshot.sections.pool ?? {};
    const context: Context = { observation, settings };
    if (expectations.deletionProtection !== undefined) {
      const actual = settings.DeletionProtection;
      checks.push(
        check(
          context,
          'DeletionProtection',
          (actual === 'ACTIVE') === expectations.deletionProtection,
          expectations.deletionProtection ? 'ACTIVE' : 'INACTIVE',
          describeSetting(actual),
        ),
      );
    }
    if (expectations.mfa !== undefined) {
      const actual = settings.MfaConfiguration;
      checks.push(
        check(
          context,
          'MfaConfiguration',
          actual === expectations.mfa,
          expectations.mfa,
          describeSetting(actual),
        ),
      );
    }
    if (expectations.domain !== undefined) {
      const actual = [settings.Domain, settings.CustomDomain].filter((value) => value !== undefined);
      checks.push(
        check(
          context,
          'Domain',
          actual.includes(expectations.domain),
          expectations.domain,
          actual.length === 0 ? '(no domain)' : actual.map((value) => describeSetting(value)).join(' and '),
        ),
      );
    }
    for (const [trigger, expected] of Object.entries(expectations.triggers ?? {}) as [
      TriggerName,
      string,
    ][]) {
      const actual = settings[triggerField(trigger)];
      checks.push(
        check(
          context,
          triggerField(trigger),
          typeof actual === 'string' && isSameFunction(expected, actual),
          expected,
          describeSetting(actual),
        ),
      );
    }
  }
  for (const client of expectations.clients) {
    const section = `client:${client.clientId}`;
    if (skipped.has(section)) continue;
    const settings = snapshot.sections[section];
    const context: Context = { observation, settings: settings ?? {} };
    if (settings === undefined) {
      checks.push(
        check(context, `clients.${client.clientId}`, false, 'exists', 'not found', {
          clientId: client.clientId,
          severity: 'error',
          title: `App client ${client.clientId} of ${describePool(target)} does not exist: apps configured with it cannot sign in`,
        }),
      );
      continue;
    }
    checks.push(
      check(context, `clients.${client.clientId}`, true, 'exists', 'exists'),
      ...clientChecks(context, client),
    );
  }
  return checks;
};

export const configExpectationFailed: Detector<AuditObservation> = {
  id: 'config-expectation-failed',
  description:
    'A pool or app client does not meet an expectation declared in sentinel.config.yml (expected, actual).',
  detect: detectEachOfKind('config-expectations', (observation) =>
    checkExpectations(observation).map((result) => result.finding),
  ),
};
