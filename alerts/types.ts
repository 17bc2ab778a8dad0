/**
 * Alerts: one per incident (findings grouped by dedup key), redacted, with the runbook section and
 * a plain-text report attached, and the sinks that deliver them.
 */
import type { DetectorId, Finding, Severity } from '../detectors/types';

/** What the alert asks the receiving system to do with the incident named by `dedupKey`. */
export const ALERT_ACTIONS = ['trigger', 'resolve'] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

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
  /** How many findings this alert groups. */
  occurrences: number;
  /** ISO-8601 time of the earliest and latest grouped finding, when known. */
  firstSeen?: string;
  lastSeen?: string;
  /** The runbook section, rendered for this finding. */
  runbook: { id: string; title: string; text: string; markdown: string };
  /** Plain-text report that stands alone (email body, console, ticket). */
  report: string;
}

/** A destination for alerts. `send` rejects when the alert was not delivered. */
export interface AlertSink {
  readonly name: string;
  send(alert: Alert): Promise<void>;
}

/** What happened to each alert on each sink in one dispatch. */
export interface DeliveryReport {
  /** Alerts built from the findings (one per dedup key). */
  alerts: number;
  delivered: { sink: string; dedupKey: string }[];
  /** `error` is a one-line description of the sink's error. */
  failed: { sink: string; dedupKey: string; error: string }[];
}

/** What one run of a check (a log batch, a canary cycle, a config audit) hands to the alert path. */
export interface CheckReport {
  source: 'trigger-logs' | 'canary' | 'config-audit';
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
