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
 * A change that can break sign-in (warning or worse) is held: it is found again on every run while
 * the setting still differs from its value before the change, so its incident stays open until the
 * change is reverted, or for at most the hold time (default 24 h; then it is the new baseline).
 * Other changes are reported once; the next snapshot is their baseline.
 * Known false positives: an intended breaking change stays open until the hold time passes.
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
import {
  type ConfigChange,
  type Detector,
  detectEachOfKind,
  type Finding,
  SEVERITY_RANK,
  type Severity,
} from './types';

/** The snapshot section that holds breaking changes still in effect (not compared as settings). */
export const HELD_SECTION = 'held';
/** How long a breaking change stays held (and its incident open) unless reverted, in ms. Default 24 h. */
export const DEFAULT_DRIFT_HOLD_MS = 24 * 60 * 60_000;

interface HeldDrift {
  /** The value before the change; null when the setting was not set. */
  before: SettingValue | null;
  /** ISO-8601 time the change was first seen. */
  since: string;
}

const readHeld = (snapshot: PoolSnapshot | undefined): Map<string, HeldDrift> => {
  const held = new Map<string, HeldDrift>();
  for (const [field, text] of Object.entries(snapshot?.sections[HELD_SECTION] ?? {})) {
    if (typeof text !== 'string') continue;
    try {
      const value = JSON.parse(text) as HeldDrift;
      if (typeof value.since === 'string') held.set(field, value);
    } catch {
      // a damaged entry is dropped: the setting is compared as usual from now on
    }
  }
  return held;
};

/** A field's value in a snapshot; `clients.<id>` alone is `exists` while the client does. */
const valueIn = (snapshot: PoolSnapshot, field: string): SettingValue | undefined => {
  const client = /^clients\.([^.]+)$/.exec(field);
  if (client) return snapshot.sections[`client:${client[1]}`] === undefined ? undefined : 'exists';
  for (const [section, settings] of Object.entries(snapshot.sections)) {
    if (section !== HELD_SECTION && field in settings) return settings[field];
  }
  return undefined;
};

const sectionOf = (snapshot: PoolSnapshot | undefined, field: string): string | undefined => {
  const client = /^clients\.([^.]+)/.exec(field);
  if (client) return `client:${client[1]}`;
  for (const [section, settings] of Object.entries(snapshot?.sections ?? {}))
    if (field in settings) return section;
  return undefined;
};

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
    if (skip.has(section) || section === HELD_SECTION) continue;
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
  detect: detectEachOfKind('config-snapshot', (observation) => {
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
    const heldBefore = readHeld(previous);
    const fresh = diffSnapshots(observation, previous, current.snapshot, current.unread).map((finding) => {
      const held = finding.field === undefined ? undefined : heldBefore.get(finding.field);
      // Back to the value before a held change: a revert, not a new breaking change.
      if (
        held === undefined ||
        !sameValue(valueIn(current.snapshot, finding.field ?? ''), held.before ?? undefined)
      )
        return finding;
      return {
        ...finding,
        severity: 'info' as const,
        title: `${finding.title.replace(/ changed( \(|:)[\s\S]*$/, '')} reverted to ${finding.after} (its value before ${held.since})`,
      };
    });
    const reported = new Set(fresh.map((finding) => finding.field));
    // Breaking changes still in effect are found again, so their incidents stay open.
    const still = [...readHeld(previous)].flatMap(([field, held]) => {
      if (reported.has(field)) return [];
      const section = sectionOf(previous, field);
      if (section !== undefined && current.unread.includes(section)) return [];
      const now = valueIn(current.snapshot, field);
      const before = held.before ?? undefined;
      if (sameValue(now, before)) return [];
      const finding = /^clients\.[^.]+$/.test(field)
        ? diffSnapshots(
            observation,
            { ...previous, sections: { [`client:${field.slice('clients.'.length)}`]: {} } },
            { ...current.snapshot, sections: {} },
            [],
          )[0]
        : fieldFinding(observation, field, before, now);
      return finding === undefined
        ? []
        : [{ ...finding, evidence: [...finding.evidence, `changed since: ${held.since}`] }];
    });
    return [...fresh, ...still];
  }),
};

/**
 * The breaking changes to hold after this run (stored in the snapshot's `held` section): those
 * held before and still in effect and within the hold time, plus this run's new breaking changes.
 * Pure; the audit stores the result with the snapshot.
 */
export const toHeldDrift = (
  observation: ConfigSnapshotObservation,
  now: Date,
  holdMs: number = DEFAULT_DRIFT_HOLD_MS,
): Record<string, string> => {
  const { previous, current } = observation;
  if (holdMs <= 0) return {};
  const held = readHeld(previous);
  if (current.outcome !== 'read' || previous === undefined) {
    return Object.fromEntries([...held].map(([field, value]) => [field, JSON.stringify(value)]));
  }
  const next = new Map<string, HeldDrift>();
  const reverted = new Set<string>();
  for (const [field, value] of held) {
    if (now.getTime() - Date.parse(value.since) > holdMs) continue;
    const section = sectionOf(previous, field);
    const unread = section !== undefined && current.unread.includes(section);
    if (unread || !sameValue(valueIn(current.snapshot, field), value.before ?? undefined))
      next.set(field, value);
    else reverted.add(field);
  }
  for (const finding of diffSnapshots(observation, previous, current.snapshot, current.unread)) {
    if (finding.field === undefined || next.has(finding.field) || reverted.has(finding.field)) continue;
    if (SEVERITY_RANK[finding.severity] < SEVERITY_RANK.warning) continue;
    next.set(finding.field, { before: valueIn(previous, finding.field) ?? null, since: now.toISOString() });
  }
  return Object.fromEntries([...next].map(([field, value]) => [field, JSON.stringify(value)]));
};
