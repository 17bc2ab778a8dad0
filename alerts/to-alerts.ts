/**
 * Findings to alerts: one alert per dedup key, redacted, with the runbook section filled in and a
 * plain-text report that stands alone. Pure: no clock, no I/O. Alerts built here carry no incident
 * state (the CLI and the stateless dispatcher use them); the incident pipeline adds it.
 */
import { type Finding, SEVERITY_RANK, toDedupKey } from '../detectors/types';
import { redactThenClip } from '../redaction/redact';
import { type AlertDraft, MAX_EVIDENCE_CHARS, MAX_EVIDENCE_LINES, type SealOptions, sealAlert } from './seal';
import type { Alert } from './types';

export { RUNBOOK_DOCS } from './links';
export { MAX_EVIDENCE_CHARS, MAX_EVIDENCE_LINES } from './seal';

/** The dedup key of a finding: its own, or one built from its parts when it has none. */
export const keyOf = (finding: Finding): string =>
  typeof finding.dedupKey === 'string' && finding.dedupKey !== ''
    ? finding.dedupKey
    : toDedupKey(
        finding.detector,
        finding.userPoolId,
        finding.trigger ?? finding.clientId,
        finding.field ?? finding.cause,
      );

const timeOf = (finding: Finding): number =>
  finding.timestamp === undefined ? Number.NaN : Date.parse(finding.timestamp);

const rankOf = (finding: Finding): number => SEVERITY_RANK[finding.severity] ?? 0;

/** The most severe finding, then the latest; the first one on a tie. */
const representativeOf = (group: readonly Finding[]): Finding =>
  group.reduce((best, candidate) => {
    const byRank = rankOf(candidate) - rankOf(best);
    if (byRank !== 0) return byRank > 0 ? candidate : best;
    const candidateTime = timeOf(candidate);
    const bestTime = timeOf(best);
    return Number.isFinite(candidateTime) && (!Number.isFinite(bestTime) || candidateTime > bestTime)
      ? candidate
      : best;
  });

const evidenceOf = (group: readonly Finding[]): string[] => {
  const lines = new Set<string>();
  for (const finding of group) {
    for (const line of Array.isArray(finding.evidence) ? finding.evidence : []) {
      if (typeof line !== 'string') continue;
      lines.add(redactThenClip(line, MAX_EVIDENCE_CHARS));
      if (lines.size === MAX_EVIDENCE_LINES) return [...lines];
    }
  }
  return [...lines];
};

/** The first and last time of a group; a collapsed finding brings its own range. */
const seenRange = (group: readonly Finding[]): { firstSeen?: string; lastSeen?: string } => {
  let first: { at: string; time: number } | undefined;
  let last: { at: string; time: number } | undefined;
  for (const finding of group) {
    for (const at of [finding.firstSeen ?? finding.timestamp, finding.lastSeen ?? finding.timestamp]) {
      const time = at === undefined ? Number.NaN : Date.parse(at);
      if (at === undefined || !Number.isFinite(time)) continue;
      if (first === undefined || time < first.time) first = { at, time };
      if (last === undefined || time > last.time) last = { at, time };
    }
  }
  return {
    ...(first === undefined ? {} : { firstSeen: first.at }),
    ...(last === undefined ? {} : { lastSeen: last.at }),
  };
};

/** How many occurrences a group stands for: a collapsed finding counts its `occurrences`. */
export const occurrencesOf = (group: readonly Finding[]): number =>
  group.reduce(
    (total, finding) =>
      total +
      (typeof finding.occurrences === 'number' &&
      Number.isInteger(finding.occurrences) &&
      finding.occurrences > 0
        ? finding.occurrences
        : 1),
    0,
  );

/** The unsealed alert of one group of findings that share a dedup key. */
export const toAlertDraft = (group: readonly Finding[]): AlertDraft => {
  const representative = representativeOf(group);
  const severity = group.reduce((worst, finding) =>
    rankOf(finding) > rankOf(worst) ? finding : worst,
  ).severity;
  return {
    action: 'trigger',
    finding: { ...representative, evidence: evidenceOf(group) },
    severity,
    dedupKey: keyOf(representative),
    occurrences: occurrencesOf(group),
    ...seenRange(group),
  };
};

/** Groups findings by dedup key, in first-seen order. */
export const groupFindings = (findings: readonly Finding[]): Finding[][] => {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = keyOf(finding);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [finding]);
    else group.push(finding);
  }
  return [...groups.values()];
};

/**
 * Groups findings by dedup key (first-seen order) into alerts: the worst severity, the count (a
 * collapsed finding counts its occurrences), the first and last timestamp, up to {@link MAX_EVIDENCE_LINES} distinct evidence lines, the runbook
 * section and the report. Everything that came from a finding is redacted.
 */
export const toAlerts = (findings: readonly Finding[], options: SealOptions = {}): Alert[] =>
  groupFindings(findings).map((group) => sealAlert(toAlertDraft(group), options));
