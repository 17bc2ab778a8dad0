/**
 * Alerts: one per incident (findings grouped by dedup key), redacted, with the runbook section and
 * a plain-text report attached, and the sinks that deliver them.
 */
import type { DetectorId, Finding, Severity } from '../detectors/types';

/**
 * What the alert asks the receiving system to do with the incident named by `dedupKey`: page for a
 * new (or re-opened) incident, remind that an open incident is still failing, or resolve it.
 */
export const ALERT_ACTIONS = ['trigger', 'remind', 'resolve'] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

/** Where the findings of a run come from; it also decides how an incident resolves. */
export const CHECK_SOURCES = ['trigger-logs', 'canary', 'config-audit'] as const;
export type CheckSource = (typeof CHECK_SOURCES)[number];

/** A link for the on-call engineer (PagerDuty `links`, chat, email). */
export interface AlertLink {
  href: string;
  text: string;
}

/**
 * The incident behind an alert, from the incident store: how long it has been open, how often it
 * was seen, and (for a resolve) why it resolved. Absent for stateless alerts (CLI, dispatcher).
 */
export interface IncidentContext {
  status: 'open' | 'resolved';
  /** ISO-8601: earliest evidence of this episode (or when it was first detected). */
  firstSeen: string;
  /** ISO-8601: latest evidence. */
  lastSeen: string;
  /** Findings counted in this episode, across runs. */
  count: number;
  /** How many times this incident has opened (1 for a new incident). */
  episode: number;
  /** ISO-8601 time of the last page or reminder that reached a sink. */
  lastNotified?: string;
  /** Re-openings inside the flap window; `heldOpen` when a resolve was held back because of them. */
  reopens: number;
  heldOpen?: boolean;
  /** For a resolve: when and why. */
  resolvedAt?: string;
  resolution?: string;
  /** Pages held by silences since the last page that reached a sink. */
  silenced?: { pages: number; silenceId: string; reason: string; by: string; until: string };
}

/** One incident, ready to send. Everything in it is already redacted. */
export interface Alert {
  action: AlertAction;
  /** Stable per incident (PagerDuty `dedup_key`); never contains a timestamp. */
  dedupKey: string;
  detector: DetectorId;
  /** The worst severity among the grouped findings. */
  severity: Severity;
  title: string;
  /** Representative finding (the most severe, then the latest), already redacted; `evidence` holds up to 5 distinct lines of the group. */
  finding: Finding;
  /** How many findings this alert groups (in this run). */
  occurrences: number;
  /** ISO-8601 time of the earliest and latest grouped finding, when known. */
  firstSeen?: string;
  lastSeen?: string;
  /** The runbook section, rendered for this finding; `url` is the link to it (relative when no base URL is configured). */
  runbook: { id: string; title: string; text: string; markdown: string; url: string };
  /** The incident's state, when the alert comes from the incident pipeline. */
  incident?: IncidentContext;
  /** What changed recently around the failing resource (deploys, config changes), when known. */
  recentChanges?: string[];
  /** The runbook (when its URL is absolute) and AWS console pages for the pool, function and log group. */
  links: AlertLink[];
  /**
   * The command that acknowledges the incident (stops reminders until it resolves or re-opens), on
   * pages and reminders of the incident pipeline when no PagerDuty service takes acknowledgements.
   */
  acknowledgeCommand?: string;
  /** Plain-text report that stands alone (email body, console, ticket). */
  report: string;
}

/** A destination for alerts. `send` rejects when the alert was not delivered. */
export interface AlertSink {
  readonly name: string;
  send(alert: Alert): Promise<void>;
}

/** What the incident logic did with one incident in one run. */
export interface IncidentOutcome {
  dedupKey: string;
  action: 'trigger' | 'update' | 'remind' | 'resolve' | 'nothing';
  /** Why, in a few words (`new incident`, `quiet for 15 min`, `held open: flapping`, ...). */
  reason: string;
}

/** What happened to each alert on each sink in one dispatch. */
export interface DeliveryReport {
  /** Alerts built from the findings (one per dedup key). */
  alerts: number;
  delivered: { sink: string; dedupKey: string; action?: AlertAction }[];
  /** `error` is a one-line description of the sink's error. */
  failed: { sink: string; dedupKey: string; error: string; action?: AlertAction }[];
  /** Incident decisions of this run (incident pipeline only). */
  incidents?: IncidentOutcome[];
}

/** What one run of a check (a log batch, a canary cycle, a config audit) hands to the alert path. */
export interface CheckReport {
  source: CheckSource;
  /** Findings of this run. */
  findings: Finding[];
  /**
   * Dedup-key prefixes of checks that ran in this run and passed: an open incident whose key
   * starts with one of them and was not found again counts one healthy pass toward its resolve
   * (e.g. `canary-auth-failed:us-east-1_AbC:client123` after a successful sign-in).
   */
  passed: string[];
  now: Date;
}

/** The alert path as the handlers see it: incident state, rendering and delivery behind one call. */
export interface AlertHandler {
  handle(report: CheckReport): Promise<DeliveryReport>;
}
