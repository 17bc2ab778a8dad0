/**
 * The one door every alert goes through on its way out. `sealAlert` redacts everything that came
 * from a finding, the incident store or a recent-changes lookup (titles, keys, evidence, fields,
 * resolutions, change notes), then renders the runbook section, the links and the report from the
 * redacted data. Sinks only ever receive sealed alerts, so no sink can print a token, password,
 * secret, SECRET_HASH, email address or phone number; the runbook text is generated from the
 * redacted finding and is not redacted again (its commands hold `Name=...` pairs the redactor
 * would take for personal data). Control characters from log content are escaped here too
 * (`\x1b`), so no sink can print a terminal escape sequence. Long text is cut only by
 * `redactThenClip`: redacted whole first, then cut.
 */
import type { Finding, Severity } from '../detectors/types';
import { escapeControl, escapeControlDeep } from '../redaction/escape-control';
import { redact, redactDeep, redactThenClip } from '../redaction/redact';
import { renderRunbookSection } from '../runbook/render';
import { type AckTarget, toAckCommand } from './acknowledge';
import { toAlertLinks, toRunbookUrl } from './links';
import { toReport } from './report';
import type { Alert, AlertAction, IncidentContext } from './types';

/** Distinct evidence lines kept per alert. */
export const MAX_EVIDENCE_LINES = 5;
/** Longest evidence line kept, in characters; longer lines are cut with an ellipsis. */
export const MAX_EVIDENCE_CHARS = 2_000;
/** Recent-change notes kept per alert, and their longest length in characters. */
export const MAX_RECENT_CHANGES = 10;
export const MAX_RECENT_CHANGE_CHARS = 300;
/** Longest title kept, in characters; sinks cut further to their own limits. */
export const MAX_TITLE_CHARS = 8_192;

/** What the pipeline knows about an alert before it is sealed. Nothing in it needs to be redacted yet. */
export interface AlertDraft {
  action: AlertAction;
  /** The representative finding; its `evidence` holds the lines to show. */
  finding: Finding;
  /** Defaults to the finding's. */
  severity?: Severity;
  title?: string;
  dedupKey?: string;
  occurrences: number;
  firstSeen?: string;
  lastSeen?: string;
  incident?: IncidentContext;
  recentChanges?: readonly string[];
}

/** Options of {@link sealAlert}. */
export interface SealOptions {
  /** Base URL of docs/runbook.md for absolute links (PagerDuty, chat); relative links otherwise. */
  runbookBaseUrl?: string;
  /** Console URL of the monitor's dashboard: every alert links to it (when absolute). */
  dashboardUrl?: string;
  /**
   * Where `cognito-sentinel ack` finds the incident, when pages land where nothing can acknowledge
   * them (SNS, Chatbot; no PagerDuty): pages and reminders of the incident pipeline carry the command.
   */
  acknowledge?: AckTarget;
}

/** Redacted, control characters escaped, at most `max` characters. */
const sealText = (text: string, max: number, multiline = true): string =>
  escapeControl(redactThenClip(text, max), { multiline });

const cleanLines = (lines: readonly unknown[], maxLines: number, maxChars: number): string[] => {
  const kept = new Set<string>();
  for (const line of lines) {
    if (typeof line !== 'string') continue;
    kept.add(sealText(line, maxChars));
    if (kept.size === maxLines) break;
  }
  return [...kept];
};

/**
 * Redacts the draft and renders the runbook section, links and report. Pure and idempotent:
 * sealing a sealed alert gives the same alert.
 */
export const sealAlert = (draft: AlertDraft, options: SealOptions = {}): Alert => {
  const source = draft.finding;
  const finding: Finding = {
    ...escapeControlDeep(redactDeep(source)),
    severity: draft.severity ?? source.severity,
    evidence: cleanLines(
      Array.isArray(source.evidence) ? source.evidence : [],
      MAX_EVIDENCE_LINES,
      MAX_EVIDENCE_CHARS,
    ),
  };
  const rawTitle = draft.title ?? source.title;
  const title = sealText(
    typeof rawTitle === 'string' && rawTitle.trim() !== '' ? rawTitle.trim() : `${source.detector} finding`,
    MAX_TITLE_CHARS,
    false,
  );
  finding.title = title;
  const dedupKey = escapeControl(redact(String(draft.dedupKey ?? source.dedupKey ?? source.detector)), {
    multiline: false,
  });
  finding.dedupKey = dedupKey;
  const text = renderRunbookSection(finding, 'text');
  const markdown = renderRunbookSection(finding, 'markdown');
  const url = toRunbookUrl(text.id, options.runbookBaseUrl);
  const runbook = { id: text.id, title: text.title, text: text.body, markdown: markdown.body, url };
  const recentChanges =
    draft.recentChanges === undefined
      ? undefined
      : cleanLines(draft.recentChanges, MAX_RECENT_CHANGES, MAX_RECENT_CHANGE_CHARS);
  const base: Omit<Alert, 'report'> = {
    action: draft.action,
    dedupKey,
    detector: finding.detector,
    severity: finding.severity,
    title,
    finding,
    occurrences: draft.occurrences,
    ...(draft.firstSeen === undefined ? {} : { firstSeen: sealText(draft.firstSeen, 64, false) }),
    ...(draft.lastSeen === undefined ? {} : { lastSeen: sealText(draft.lastSeen, 64, false) }),
    runbook,
    ...(draft.incident === undefined ? {} : { incident: escapeControlDeep(redactDeep(draft.incident)) }),
    ...(recentChanges === undefined || recentChanges.length === 0 ? {} : { recentChanges }),
    links: toAlertLinks(finding, runbook, options.dashboardUrl),
    ...(options.acknowledge === undefined || draft.incident === undefined || draft.action === 'resolve'
      ? {}
      : { acknowledgeCommand: toAckCommand(dedupKey, options.acknowledge) }),
  };
  return { ...base, report: toReport(base) };
};

/** The draft an already sealed alert came from, for sealing it again with another action or state. */
export const toDraft = (alert: Alert): AlertDraft => ({
  action: alert.action,
  finding: alert.finding,
  severity: alert.severity,
  title: alert.title,
  dedupKey: alert.dedupKey,
  occurrences: alert.occurrences,
  ...(alert.firstSeen === undefined ? {} : { firstSeen: alert.firstSeen }),
  ...(alert.lastSeen === undefined ? {} : { lastSeen: alert.lastSeen }),
  ...(alert.incident === undefined ? {} : { incident: alert.incident }),
  ...(alert.recentChanges === undefined ? {} : { recentChanges: alert.recentChanges }),
});
