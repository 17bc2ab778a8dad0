/**
 * The production alert path: findings of a check run → incidents (state in the incident store) →
 * sealed alerts → sinks. One page per incident, reminders while it keeps failing, one resolve when
 * it is healthy again (rules in `incident-policy.ts`).
 *
 * Nothing is lost:
 * - every sink is tried independently; delivery is recorded per sink only once the sink took it,
 *   so a sink that missed a page is owed it and gets it on the next run or sweep;
 * - when no sink took a delivery of this call, `handle` throws AlertDeliveryError (after trying
 *   everything) so the Lambda invocation fails and its retry, or the on-failure destination,
 *   keeps the batch; the retry pages because the state never recorded the page as delivered;
 * - writes are conditional on the record's version and a delivery is claimed in the same write,
 *   so concurrent invocations and redelivered batches never page twice;
 * - if the incident store itself is unavailable, a new finding is paged without deduplication
 *   (once per incident per container) rather than not at all.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Finding } from '../detectors/types';
import { type DispatchLogger, deliverAlert } from './dispatch';
import { AlertConfigError, AlertDeliveryError, describeError, type UndeliveredAlert } from './errors';
import {
  completeDelivery,
  DEFAULT_INCIDENT_POLICY,
  type DecisionContext,
  decideOnHealthyRun,
  decideOnSighting,
  type IncidentDecision,
  type IncidentPolicy,
  type IncidentRecord,
  type Sighting,
  toIncidentContext,
} from './incident-policy';
import type { IncidentStore } from './incident-store';
import { redact } from './redact';
import { type AlertDraft, sealAlert, toDraft } from './seal';
import { groupFindings, toAlertDraft } from './to-alerts';
import type { Alert, AlertAction, AlertHandler, AlertSink, CheckSource, DeliveryReport } from './types';

/** Looks up what changed recently around a finding (deploys, config changes); optional. */
export type RecentChangesLookup = (finding: Finding) => Promise<readonly string[] | undefined>;

/** Options of {@link createAlertPipeline}. */
export interface AlertPipelineOptions {
  store: IncidentStore;
  /** At least one sink; names must be stable across deployments (delivery state is kept per name). */
  sinks: AlertSink[];
  /** Incident rules; missing keys take {@link DEFAULT_INCIDENT_POLICY}. */
  policy?: Partial<IncidentPolicy>;
  /** Defaults to `console`. */
  logger?: DispatchLogger;
  /** The time for `sweep()` without an argument. `handle` uses the report's `now`. */
  clock?: () => Date;
  /** Base URL of the published docs/runbook.md, for absolute runbook links. */
  runbookBaseUrl?: string;
  /** Adds `recentChanges` to pages and reminders; a failing lookup is logged and skipped. */
  recentChanges?: RecentChangesLookup;
  /** Claim ids; defaults to random UUIDs. */
  newId?: () => string;
  /** Logged once, on the first call (e.g. that state is kept in memory only). */
  startupWarning?: string;
}

/** The alert handler plus the scheduled sweep. */
export interface AlertPipeline extends AlertHandler {
  /**
   * Looks at every active incident without new findings: resolves trigger-log incidents whose
   * quiet window has passed and delivers what is owed (pages a sink missed, resolves not yet
   * told, claims whose holder died). Throws AlertDeliveryError when a delivery reached no sink.
   */
  sweep(now?: Date): Promise<DeliveryReport>;
}

/** Conditional-write conflicts tolerated per incident per run before giving up (another invocation is working on it). */
const MAX_CONFLICTS = 8;

/**
 * Identifies a group of findings by the log events they came from (timestamp, request id, log
 * stream; never their content), so a redelivered batch is recognised. `undefined` when the
 * findings carry none of these (then every run counts).
 */
export const toBatchFingerprint = (group: readonly Finding[]): string | undefined => {
  const identities = group.map((finding) =>
    [finding.timestamp, finding.requestId, finding.logStream].map((part) => part ?? '').join('|'),
  );
  if (identities.some((identity) => identity === '||')) return undefined;
  return createHash('sha256').update(identities.sort().join('\n')).digest('hex').slice(0, 16);
};

const toSighting = (alert: Alert, source: CheckSource, fingerprint: string | undefined): Sighting => ({
  source,
  detector: alert.detector,
  severity: alert.severity,
  title: alert.title,
  finding: alert.finding,
  occurrences: alert.occurrences,
  ...(alert.firstSeen === undefined ? {} : { firstSeen: alert.firstSeen }),
  ...(alert.lastSeen === undefined ? {} : { lastSeen: alert.lastSeen }),
  ...(fingerprint === undefined ? {} : { fingerprint }),
});

/**
 * Creates the alert pipeline (the production `AlertHandler`). Throws AlertConfigError without sinks
 * or with two sinks of the same name.
 */
export const createAlertPipeline = ({
  store,
  sinks,
  policy: policyOverrides = {},
  logger = console,
  clock = () => new Date(),
  runbookBaseUrl,
  recentChanges,
  newId = randomUUID,
  startupWarning,
}: AlertPipelineOptions): AlertPipeline => {
  if (sinks.length === 0) throw new AlertConfigError('createAlertPipeline needs at least one sink');
  const sinkNames = sinks.map((sink) => sink.name);
  if (new Set(sinkNames).size !== sinkNames.length)
    throw new AlertConfigError(
      `Sink names must be unique (delivery is tracked per name): ${sinkNames.join(', ')}`,
    );
  const policy: IncidentPolicy = { ...DEFAULT_INCIDENT_POLICY, ...policyOverrides };
  const sealOptions = runbookBaseUrl === undefined ? {} : { runbookBaseUrl };
  let warned = startupWarning === undefined;
  // Incidents paged while the store was down, so an outage pages once per incident, not per batch.
  const pagedWithoutState = new Map<string, number>();

  /** One call's bookkeeping. */
  interface Run {
    now: Date;
    report: DeliveryReport;
    undelivered: UndeliveredAlert[];
    causes: unknown[];
  }

  const contextOf = (run: Run): DecisionContext => ({
    now: run.now,
    policy,
    sinks: sinkNames,
    claimId: newId(),
  });

  const lookupChanges = async (finding: Finding): Promise<string[] | undefined> => {
    if (recentChanges === undefined) return undefined;
    try {
      const changes = await recentChanges(finding);
      return changes === undefined ? undefined : [...changes];
    } catch (error) {
      logger.warn('Recent-changes lookup failed; paging without it', { error: redact(describeError(error)) });
      return undefined;
    }
  };

  /** The sealed alert for a delivery, from this run's sighting when there is one, else from the stored record. */
  const toDeliveryAlert = async (
    record: IncidentRecord,
    action: AlertAction,
    run: Run,
    current: Alert | undefined,
  ): Promise<Alert> => {
    const incident = toIncidentContext(record, run.now, policy);
    const draft: AlertDraft =
      current !== undefined && action !== 'resolve'
        ? { ...toDraft(current), action, incident }
        : {
            action,
            finding: record.finding,
            severity: record.severity,
            title: record.title,
            dedupKey: record.dedupKey,
            occurrences: current?.occurrences ?? record.count,
            firstSeen: record.firstSeen,
            lastSeen: record.lastSeen,
            incident,
          };
    const changes = action === 'resolve' ? undefined : await lookupChanges(draft.finding);
    return sealAlert(changes === undefined ? draft : { ...draft, recentChanges: changes }, sealOptions);
  };

  const recordFanOut = (run: Run, alert: Alert, outcome: Awaited<ReturnType<typeof deliverAlert>>): void => {
    for (const sink of outcome.delivered)
      run.report.delivered.push({ sink, dedupKey: alert.dedupKey, action: alert.action });
    for (const { sink, error, cause } of outcome.failed) {
      run.report.failed.push({ sink, dedupKey: alert.dedupKey, error, action: alert.action });
      run.causes.push(cause);
    }
    if (outcome.delivered.length === 0 && outcome.failed.length > 0)
      run.undelivered.push({
        dedupKey: alert.dedupKey,
        errors: outcome.failed.map(({ sink, error }) => ({ sink, error })),
      });
    logger.info(outcome.delivered.length > 0 ? 'Alert delivered' : 'Alert not delivered', {
      action: alert.action,
      dedupKey: alert.dedupKey,
      title: alert.title,
      delivered: outcome.delivered,
      failed: outcome.failed.map(({ sink }) => sink),
      ...(alert.action === 'resolve' ? {} : { report: alert.report }),
    });
  };

  /** Delivers a claimed action, then records which sinks took it (merging with concurrent writes). */
  const deliverClaimed = async (
    written: IncidentRecord,
    deliver: NonNullable<IncidentDecision['deliver']>,
    run: Run,
    current: Alert | undefined,
  ): Promise<void> => {
    const claim = written.claim;
    if (claim === undefined) return;
    const alert = await toDeliveryAlert(written, deliver.action, run, current);
    const targets = sinks.filter((sink) => deliver.sinks.includes(sink.name));
    const outcome = await deliverAlert(alert, targets, logger);
    recordFanOut(run, alert, outcome);
    const ctx = contextOf(run);
    let latest: IncidentRecord | undefined = written;
    for (let attempt = 0; attempt < MAX_CONFLICTS && latest !== undefined; attempt += 1) {
      try {
        if (await store.put(completeDelivery(latest, claim, outcome.delivered, ctx), latest.version)) return;
        latest = await store.get(written.dedupKey);
      } catch (error) {
        logger.error('Could not record the delivery; the claim expires and the incident is re-evaluated', {
          dedupKey: written.dedupKey,
          error: redact(describeError(error)),
        });
        return;
      }
    }
  };

  /** Pages a new finding without state when the store is down (once per incident per container). */
  const pageWithoutState = async (alert: Alert, run: Run, error: unknown): Promise<void> => {
    logger.error('Incident store unavailable; paging without deduplication', {
      dedupKey: alert.dedupKey,
      error: redact(describeError(error)),
    });
    const pagedAt = pagedWithoutState.get(alert.dedupKey);
    // Without state, page again at most once per reminder interval (or quiet window when reminders are off).
    const repeatAfterMs = Math.max(policy.reminderIntervalMs, policy.quietWindowMs);
    if (pagedAt !== undefined && run.now.getTime() - pagedAt < repeatAfterMs) {
      run.report.incidents?.push({
        dedupKey: alert.dedupKey,
        action: 'nothing',
        reason: 'store unavailable; already paged',
      });
      return;
    }
    const outcome = await deliverAlert(alert, sinks, logger);
    recordFanOut(run, alert, outcome);
    if (outcome.delivered.length > 0) pagedWithoutState.set(alert.dedupKey, run.now.getTime());
    run.report.incidents?.push({
      dedupKey: alert.dedupKey,
      action: 'trigger',
      reason: 'store unavailable; paged without state',
    });
  };

  /** Read, decide, write (conditionally), deliver: retried on conflicts. */
  const evaluate = async (
    dedupKey: string,
    decide: (record: IncidentRecord | undefined, ctx: DecisionContext) => IncidentDecision,
    run: Run,
    current?: Alert,
  ): Promise<void> => {
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt += 1) {
      let record: IncidentRecord | undefined;
      let decision: IncidentDecision;
      try {
        record = await store.get(dedupKey);
        decision = decide(record, contextOf(run));
        if (decision.next !== undefined && !(await store.put(decision.next, record?.version))) continue;
      } catch (error) {
        if (current !== undefined) return pageWithoutState(current, run, error);
        logger.error('Incident store unavailable; the incident is evaluated again on the next run', {
          dedupKey,
          error: redact(describeError(error)),
        });
        return;
      }
      run.report.incidents?.push({ dedupKey, action: decision.action, reason: decision.reason });
      if (decision.action !== 'nothing')
        logger.info('Incident', { dedupKey, action: decision.action, reason: decision.reason });
      if (decision.next !== undefined && decision.deliver !== undefined)
        await deliverClaimed(decision.next, decision.deliver, run, current);
      return;
    }
    logger.warn('Incident busy: another invocation kept updating it; leaving it to that one', { dedupKey });
    run.report.incidents?.push({
      dedupKey,
      action: 'nothing',
      reason: 'write conflicts; left to another invocation',
    });
  };

  const evaluateActive = async (
    run: Run,
    skip: ReadonlySet<string>,
    healthy: { source?: CheckSource; passed: readonly string[] },
  ): Promise<void> => {
    let keys: string[];
    try {
      keys = await store.listActive();
    } catch (error) {
      logger.error('Could not list active incidents; resolves wait for the next run', {
        error: redact(describeError(error)),
      });
      return;
    }
    for (const key of keys) {
      if (skip.has(key)) continue;
      await evaluate(
        key,
        (record, ctx) =>
          record === undefined
            ? { action: 'nothing', reason: 'gone' }
            : decideOnHealthyRun(record, healthy, ctx),
        run,
      );
    }
  };

  const start = (now: Date, alerts: number): Run => {
    if (!warned) {
      warned = true;
      logger.warn(startupWarning ?? '');
    }
    return { now, report: { alerts, delivered: [], failed: [], incidents: [] }, undelivered: [], causes: [] };
  };

  const finish = (run: Run): DeliveryReport => {
    if (run.undelivered.length > 0) throw new AlertDeliveryError(run.undelivered, run.causes, run.report);
    return run.report;
  };

  return {
    async handle({ source, findings, passed, now }) {
      const groups = groupFindings(findings);
      const run = start(now, groups.length);
      const seen = new Set<string>();
      // One incident at a time keeps bursts under sink rate limits (PagerDuty: about 120 events a minute).
      for (const group of groups) {
        const alert = sealAlert(toAlertDraft(group), sealOptions);
        seen.add(alert.dedupKey);
        const sighting = toSighting(alert, source, toBatchFingerprint(group));
        await evaluate(alert.dedupKey, (record, ctx) => decideOnSighting(record, sighting, ctx), run, alert);
      }
      await evaluateActive(run, seen, { source, passed });
      return finish(run);
    },

    async sweep(now = clock()) {
      const run = start(now, 0);
      await evaluateActive(run, new Set(), { passed: [] });
      return finish(run);
    },
  };
};
