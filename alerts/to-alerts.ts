/**
 * Findings to alerts: one alert per dedup key, redacted, with the runbook section filled in and a
 * plain-text report that stands alone. Pure: no clock, no I/O.
 */
import { type Finding, SEVERITY_RANK, toDedupKey } from '../detectors/types';
import { renderRunbookSection } from '../runbook/render';
import { redact, redactDeep } from './redact';
import type { Alert } from './types';

/** Distinct evidence lines kept per alert. */
export const MAX_EVIDENCE_LINES = 5;
/** Longest evidence line kept, in characters; longer lines are cut with an ellipsis. */
export const MAX_EVIDENCE_CHARS = 2_000;
/** Where the generated runbook lives, for the link in reports. */
export const RUNBOOK_DOCS = 'docs/runbook.md';

const LAMBDA_LOG_GROUP = /^\/aws\/lambda\/(.+)$/;

const keyOf = (finding: Finding): string =>
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

const clip = (line: string): string =>
  line.length > MAX_EVIDENCE_CHARS ? `${line.slice(0, MAX_EVIDENCE_CHARS - 1)}…` : line;

const evidenceOf = (group: readonly Finding[]): string[] => {
  const lines = new Set<string>();
  for (const finding of group) {
    for (const line of Array.isArray(finding.evidence) ? finding.evidence : []) {
      if (typeof line !== 'string') continue;
      lines.add(clip(redact(line)));
      if (lines.size === MAX_EVIDENCE_LINES) return [...lines];
    }
  }
  return [...lines];
};

const seenRange = (group: readonly Finding[]): { firstSeen?: string; lastSeen?: string } => {
  let first: Finding | undefined;
  let last: Finding | undefined;
  for (const finding of group) {
    const time = timeOf(finding);
    if (!Number.isFinite(time)) continue;
    if (first === undefined || time < timeOf(first)) first = finding;
    if (last === undefined || time > timeOf(last)) last = finding;
  }
  return {
    ...(first?.timestamp === undefined ? {} : { firstSeen: redact(first.timestamp) }),
    ...(last?.timestamp === undefined ? {} : { lastSeen: redact(last.timestamp) }),
  };
};

const row = (label: string, value: string | undefined): string | undefined =>
  value === undefined || value === '' ? undefined : `  ${`${label}:`.padEnd(13)} ${value}`;

const indent = (text: string, spaces: number): string =>
  text
    .split(/\r\n|\r|\n/)
    .map((line) => `${' '.repeat(spaces)}${line}`)
    .join('\n');

const block = (heading: string, lines: ReadonlyArray<string | undefined>): string | undefined => {
  const present = lines.filter((line): line is string => line !== undefined);
  return present.length === 0 ? undefined : `${heading}\n${present.join('\n')}`;
};

const functionOf = (finding: Finding): string | undefined =>
  finding.functionName ??
  (finding.logGroup === undefined ? undefined : LAMBDA_LOG_GROUP.exec(finding.logGroup)?.[1]);

const toReport = (alert: Omit<Alert, 'report'>): string => {
  const f = alert.finding;
  const trigger =
    f.trigger === undefined
      ? undefined
      : f.triggerSource === undefined
        ? f.trigger
        : `${f.trigger} (${f.triggerSource})`;
  const times = alert.occurrences === 1 ? 'once' : `${alert.occurrences} times`;
  const span =
    alert.firstSeen === undefined
      ? `Seen ${times} in this batch.`
      : alert.firstSeen === alert.lastSeen || alert.lastSeen === undefined
        ? `Seen ${times} in this batch, at ${alert.firstSeen}.`
        : `Seen ${times} in this batch, first at ${alert.firstSeen}, last at ${alert.lastSeen}.`;
  return [
    `${alert.severity.toUpperCase()}: ${alert.title}`,
    `Detector ${alert.detector}, incident ${alert.dedupKey}`,
    block('Evidence', [
      row('Field', f.field),
      row('Expected', f.expected),
      row('Actual', f.actual),
      row('Cause', f.cause),
      ...(f.evidence.length === 0 ? [] : ['  Excerpts:', ...f.evidence.map((line) => indent(line, 4))]),
    ]),
    block('Where', [
      row('User pool', f.userPoolId),
      row('Region', f.region),
      row('App client', f.clientId),
      row('Trigger', trigger),
      row('Function', functionOf(f)),
      row('Log group', f.logGroup),
      row('Log stream', f.logStream),
      row('Request id', f.requestId),
    ]),
    `When\n  ${span}`,
    `Runbook: ${alert.runbook.title} (${RUNBOOK_DOCS}#${alert.runbook.id})\n\n${alert.runbook.text}`,
  ]
    .filter((part): part is string => part !== undefined)
    .join('\n\n')
    .concat('\n');
};

const toAlert = (group: readonly Finding[]): Alert => {
  const representative = representativeOf(group);
  const redacted = redactDeep(representative);
  const severity = group.reduce((worst, finding) =>
    rankOf(finding) > rankOf(worst) ? finding : worst,
  ).severity;
  const title = redact(
    typeof representative.title === 'string' && representative.title.trim() !== ''
      ? representative.title.trim()
      : `${representative.detector} finding`,
  );
  const finding: Finding = {
    ...redacted,
    severity,
    title,
    dedupKey: redact(keyOf(representative)),
    evidence: evidenceOf(group),
  };
  const text = renderRunbookSection(finding, 'text');
  const markdown = renderRunbookSection(finding, 'markdown');
  const base: Omit<Alert, 'report'> = {
    action: 'trigger',
    dedupKey: finding.dedupKey,
    detector: finding.detector,
    severity,
    title,
    finding,
    occurrences: group.length,
    ...seenRange(group),
    runbook: { id: text.id, title: text.title, text: text.body, markdown: markdown.body },
  };
  return { ...base, report: toReport(base) };
};

/**
 * Groups findings by dedup key (first-seen order) into alerts: the worst severity, the count, the
 * first and last timestamp, up to {@link MAX_EVIDENCE_LINES} distinct evidence lines, the runbook
 * section and the report. Everything that came from a finding is redacted.
 */
export const toAlerts = (findings: readonly Finding[]): Alert[] => {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = keyOf(finding);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [finding]);
    else group.push(finding);
  }
  return [...groups.values()].map(toAlert);
};
