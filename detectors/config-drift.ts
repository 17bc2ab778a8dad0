/**
 * config-drift: a watched pool, app-client, domain or trigger-function setting differs from the
 * last snapshot.
 *
 * Reads: `config-snapshot` observations (the previous snapshot and this run's). Sections the audit
 * could not read this run are not compared (their values are carried over, not reported). One
 * finding per changed field, named in AWS API terms (`clients.<clientId>.CallbackURLs`,
 * `LambdaConfig.PreSignUp`, `Domain`), with `before` and `after`; a deleted client is one finding
 * (`clients.<clientId>`), a deleted pool one more (`UserPool`).
 * Severity: `warning` for a change that can break sign-in (a removed auth flow, callback or logout
 * URL, OAuth flow or scope, identity provider or attribute permission; a shorter token or session
 * validity; a changed domain, custom domain target or default redirect; a trigger re-pointed,
 * added or removed; a rotated or removed client secret; MFA changed; refresh token rotation
 * switched), `info` for the rest (additions, longer validities, names, a trigger function's new
 * code); `error` for a deleted app client and `critical` for a deleted pool.
 * Known false positives: an intended change (deploys included) is reported once; the next
 * snapshot is the new baseline, so it resolves on the following clean runs.
 */
import { auditDedupKey, auditLocation, describeChange, describePool } from './audit-finding';
import {
  type AuditObservation,
  type AuditTarget,
  type ConfigSnapshotObservation,
  clientOfSection,
  describeSetting,
  type PoolSnapshot,
  type SettingValue,
  validitySeconds,
} from './config-observations';
import type { ConfigChange, Detector, Finding, Severity } from './types';

/** Lists where a removed entry can break sign-in (an app still uses it). */
const BREAKING_ON_REMOVE = new Set([
  'CallbackURLs',
  'LogoutURLs',
  'ExplicitAuthFlows',
  'AllowedOAuthFlows',
  'AllowedOAuthScopes',
  'SupportedIdentityProviders',
  'ReadAttributes',
  'WriteAttributes',
]);

/** Durations where a shorter value ends sessions or tokens sooner than the apps expect. */
const VALIDITIES = new Set(['AccessTokenValidity', 'IdTokenValidity', 'RefreshTokenValidity']);

/** Fields whose any change can break sign-in. */
const BREAKING_ON_CHANGE = new Set([
  'Domain',
  'CustomDomain',
  'CustomDomain.CloudFrontDistribution',
  'DefaultRedirectURI',
  'MfaConfiguration',
  'HasSecret',
  'ClientSecretFingerprint',
  'RefreshTokenRotation',
  'AllowedOAuthFlowsUserPoolClient',
  'LambdaConfig.KMSKeyID',
]);

/** Fields recorded for the page but never compared: they move whenever anything else does. */
const NOT_COMPARED = new Set(['LastModified', 'Version']);

/** The setting's own name: the part after `clients.<id>.` or `triggers.<Trigger>.`. */
const settingName = (field: string): string => {
  const match = /^(?:clients|triggers)\.[^.]+\.(.+)$/.exec(field);
  return match?.[1] ?? field;
};

const asList = (value: SettingValue | undefined): readonly string[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [String(value)];

interface Verdict {
  severity: Severity;
  /** What the change means, for the title. */
  why: string;
}

/** How bad one field's change is, and what it means. */
export const classifyDrift = (
  field: string,
  before: SettingValue | undefined,
  after: SettingValue | undefined,
): Verdict => {
  const name = settingName(field);
  if (BREAKING_ON_REMOVE.has(name) || Array.isArray(before) || Array.isArray(after)) {
    const previous = asList(before);
    const next = new Set(asList(after));
    const removed = previous.filter((entry) => !next.has(entry));
    const added = [...next].filter((entry) => !previous.includes(entry));
    const parts = [
      ...(removed.length > 0 ? [`removed ${removed.join(', ')}`] : []),
      ...(added.length > 0 ? [`added ${added.join(', ')}`] : []),
    ];
    const breaking = BREAKING_ON_REMOVE.has(name) && removed.length > 0;
    return {
      severity: breaking ? 'warning' : 'info',
      why: `${parts.join('; ')}${breaking ? '; sign-ins that use a removed entry fail' : ''}`,
    };
  }
  if (VALIDITIES.has(name) || name === 'AuthSessionValidity') {
    const from = name === 'AuthSessionValidity' ? Number(before) * 60 : validitySeconds(before);
    const to = name === 'AuthSessionValidity' ? Number(after) * 60 : validitySeconds(after);
    const shorter = from !== undefined && to !== undefined && to < from;
    return {
      severity: shorter ? 'warning' : 'info',
      why: shorter ? 'shorter: sessions and tokens end sooner than the apps expect' : 'longer',
    };
  }
  if (name.startsWith('LambdaConfig.')) {
    const what =
      before === undefined ? 'trigger added' : after === undefined ? 'trigger removed' : 'trigger re-pointed';
    return { severity: 'warning', why: `${what}; every sign-up or sign-in that runs it is affected` };
  }
  if (name === 'ClientSecretFingerprint') {
    return {
      severity: 'warning',
      why: 'the client secret was rotated; apps still using the old secret fail with a SECRET_HASH mismatch',
    };
  }
  if (name.endsWith('Status')) {
    return after === 'ACTIVE'
      ? { severity: 'info', why: 'now active' }
      : { severity: 'warning', why: 'the domain is not active: hosted sign-in pages may not load' };
  }
  if (name === 'CodeSha256') return { severity: 'info', why: 'the trigger function was deployed' };
  if (name === 'RefreshTokenRotation')
    return { severity: 'warning', why: 'apps must now store the new refresh token after every refresh' };
  if (BREAKING_ON_CHANGE.has(name)) return { severity: 'warning', why: 'this can break sign-in' };
  return { severity: 'info', why: 'not expected to break sign-in' };
};

const sameValue = (a: SettingValue | undefined, b: SettingValue | undefined): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

const what = (field: string, target: AuditTarget): string => {
  const client = /^clients\.([^.]+)\.(.+)$/.exec(field);
  if (client) return `App client ${client[1]} of ${describePool(target)}: ${client[2]}`;
  return `${describePool(target)}: ${field}`;
};

const evidenceOf = (
  before: SettingValue | undefined,
  after: SettingValue | undefined,
  change: ConfigChange | undefined,
): string[] => [
  `before: ${describeSetting(before)}`,
  `after: ${describeSetting(after)}`,
  ...(change === undefined ? [] : [`change: ${describeChange(change)}`]),
];

const fieldFinding = (
  observation: ConfigSnapshotObservation,
  field: string,
  before: SettingValue | undefined,
  after: SettingValue | undefined,
): Finding => {
  const { target, change } = observation;
  const verdict = classifyDrift(field, before, after);
  const clientId = /^clients\.([^.]+)\./.exec(field)?.[1];
  const shown =
    settingName(field) === 'ClientSecretFingerprint'
      ? ''
      : ` (${describeSetting(before)} → ${describeSetting(after)})`;
  return {
    detector: 'config-drift',
    severity: verdict.severity,
    title: `${what(field, target)} changed${shown}: ${verdict.why}`,
    ...auditLocation(target, change),
    ...(clientId === undefined ? {} : { clientId }),
    field,
    before: describeSetting(before),
    after: describeSetting(after),
    evidence: evidenceOf(before, after, change),
    dedupKey: auditDedupKey('config-drift', target, field),
    runbook: 'config-drift',
  };
};

/** The drift between two snapshots, skipping sections not read this run. */
export const diffSnapshots = (
  observation: ConfigSnapshotObservation,
  previous: PoolSnapshot,
  current: PoolSnapshot,
  unread: readonly string[],
): Finding[] => {
  const { target, change } = observation;
  const skip = new Set(unread);
  const findings: Finding[] = [];
  const sections = new Set([...Object.keys(previous.sections), ...Object.keys(current.sections)]);
  for (const section of [...sections].sort()) {
    if (skip.has(section)) continue;
    const before = previous.sections[section];
    const after = current.sections[section];
    const clientId = clientOfSection(section);
    if (before === undefined || after === undefined) {
      if (clientId === undefined) continue; // a domain or function appearing or going: its LambdaConfig or Domain field says so
      const deleted = after === undefined;
      findings.push({
        detector: 'config-drift',
        severity: deleted ? 'error' : 'info',
        title: deleted
          ? `App client ${clientId} of ${describePool(target)} was deleted: every app that signs in with it fails`
          : `App client ${clientId} was added to ${describePool(target)}`,
        ...auditLocation(target, change),
        clientId,
        field: `clients.${clientId}`,
        before: deleted ? 'exists' : '(not set)',
        after: deleted ? '(deleted)' : 'exists',
        evidence: evidenceOf(deleted ? 'exists' : undefined, deleted ? undefined : 'exists', change),
        dedupKey: auditDedupKey('config-drift', target, `clients.${clientId}`),
        runbook: 'config-drift',
      });
      continue;
    }
    const fields = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const field of [...fields].sort()) {
      if (NOT_COMPARED.has(settingName(field))) continue;
      if (sameValue(before[field], after[field])) continue;
      findings.push(fieldFinding(observation, field, before[field], after[field]));
    }
  }
  return findings;
};

export const configDrift: Detector<AuditObservation> = {
  id: 'config-drift',
  description:
    'A watched pool, app-client, domain or trigger setting changed since the last snapshot (field, before, after).',
  detect: (observations) =>
    observations.flatMap((candidate) => {
      if (candidate.kind !== 'config-snapshot') return [];
      const observation = candidate;
      const { previous, current, target, change } = observation;
      if (previous === undefined) return [];
      if (current.outcome === 'pool-not-found') {
        return [
          {
            detector: 'config-drift',
            severity: 'critical',
            title: `User pool ${describePool(target)} was deleted: nobody can sign in to it`,
            ...auditLocation(target, change),
            field: 'UserPool',
            before: 'exists',
            after: '(deleted)',
            evidence: evidenceOf('exists', undefined, change),
            dedupKey: auditDedupKey('config-drift', target, 'UserPool'),
            runbook: 'config-drift',
          },
        ];
      }
      if (current.outcome !== 'read') return [];
      return diffSnapshots(observation, previous, current.snapshot, current.unread);
    }),
};
