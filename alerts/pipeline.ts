/**
 * The production alert path: findings of a check run → incidents (state in the incident store) →
 * sealed alerts → sinks. One page per incident, reminders while it keeps failing, one resolve when
 * it is healthy again (rules in `incident-policy.ts`).
 *
 * Nothing is lost:
 * - every sink is tried independently; delivery is recorded per sink only once the sink took it,
 *   so a sink that missed a page is owed it and gets it on the next run or sweep, even after the
 *   incident resolved (trigger, then resolve; given up and reported as lost after
 *   `owedPageMaxAgeMs`);
 * - when no sink took a delivery of this call, `handle` throws AlertDeliveryError (after trying
 *   everything) so the Lambda invocation fails and its retry, or the on-failure destination,
 *   keeps the batch; the retry pages because the state never recorded the page as delivered;
 * - writes are conditional on the record's version and a delivery is claimed in the same write,
 *   so concurrent invocations and redelivered batches never page twice;
 * - nothing waits without bound: every store and sink call has a time budget, a store that failed
 *   once in a run is not called again in that run, and a sink that failed once in a run is not
 *   tried again in that run (its pages stay owed), so a run costs each broken backend's budget once.
 *
 * When the incident store is unreachable (refused, timed out): a new finding is paged without
 * state, once per incident per container (PagerDuty merges the containers' pages by dedup key),
 * and kept in a per-container journal: the count, first and last seen, and which sinks took the
 * page. The first run that reaches the store again writes the journal back (merged with what the
 * store holds), so the incident keeps one count, is not paged again as new, and resolves by the
 * usual rules (the sweep resolves one that went quiet during the outage). Each such run counts
 * `IncidentStoreUnavailable`.
 *
 * When the store refuses a request as invalid (ValidationException): that is a bug, not an outage.
 * The page still goes out (once per container), the error is logged and counted
 * (`IncidentStoreRejected`), and the call throws IncidentStoreRejectedError once every delivery
 * is done, so the invocation fails visibly.
 */
import { createHash, randomUUID } from 'node:crypto';
import { boundDedupKey, type Finding } from '../detectors/types';
import { redact } from '../redaction/redact';
import { ConfigError, describeError } from '../runtime/errors';
import type { AckTarget } from './acknowledge';
import { type DispatchLogger, deliverAlert, type FanOutResult } from './dispatch';
import { AlertDeliveryError, IncidentStoreRejectedError, type UndeliveredAlert } from './errors';
import {
  completeDelivery,
  DEFAULT_INCIDENT_POLICY,
  type DecisionContext,
  decideOnHealthyRun,
  decideOnSighting,
  holdForSilence,
  type IncidentDecision,
  type IncidentPolicy,
  type IncidentRecord,
  isOwedPageExpired,
  owedTriggerSinks,
  reconcileUnrecorded,
  type Sighting,
  toIncidentContext,
  type UnrecordedIncident,
} from './incident-policy';
import type { IncidentStore } from './incident-store';
import { type AlertDraft, sealAlert, toDraft } from './seal';
import { matchSilence, type Silence, type SilenceLookup, silenceEnd } from './silences';
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
  /** Console URL of the monitor's dashboard; every page links to it. */
  dashboardUrl?: string;
  /** Pages and reminders carry the `cognito-sentinel ack` command for this stage (no PagerDuty to acknowledge in). */
  acknowledge?: AckTarget;
  /** Adds `recentChanges` to pages and reminders; a failing lookup is logged and skipped. */
  recentChanges?: RecentChangesLookup;
  /** Claim ids; defaults to random UUIDs. */
  newId?: () => string;
  /** Logged once, on the first call (e.g. that state is kept in memory only). */
  startupWarning?: string;
  /** Counts of degraded modes ({@link ALERT_METRICS}); published by the function. */
  metrics?: AlertMetrics;
  /**
   * The silences and maintenance windows in force, read once per run. A matching incident is still
   * recorded and counted but its page is held (see `holdForSilence`); a lookup that fails is logged
   * and the run pages as if nothing were silenced (a monitor fails loud, not quiet).
   */
  silences?: SilenceLookup;
}

/**
 * Metrics the pipeline counts: runs that could not reach the incident store, requests the store
 * refused as invalid (a bug), pages sent without state, and pages given up for a sink.
 */
export const ALERT_METRICS = [
  'IncidentStoreUnavailable',
  'IncidentStoreRejected',
  'PagesWithoutState',
  'PageLost',
  'AlertPathDegraded',
  'PagesSilenced',
] as const;

/**
 * The degraded modes that also count as `AlertPathDegraded`: one metric, so one alarm ($0.10 a
 * month) covers them all; the error log of the function says which it was.
 */
const DEGRADED_MODES: ReadonlySet<AlertMetricName> = new Set([
  'IncidentStoreUnavailable',
  'IncidentStoreRejected',
  'PageLost',
]);
export type AlertMetricName = (typeof ALERT_METRICS)[number];

/** Where the pipeline counts; lib/telemetry's MetricsRecorder fits. */
export interface AlertMetrics {
  count(name: AlertMetricName, value: number): void;
}

/** Incidents a container keeps in its journal while the store is unreachable; the oldest go first beyond it. */
export const MAX_JOURNAL_ENTRIES = 500;

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
  const identities = group.map((finding) => {
    const identity = [finding.timestamp, finding.requestId, finding.logStream]
      .map((part) => part ?? '')
      .join('|');
    // A collapsed finding stands for many events: its count and last time tell batches apart too.
    return finding.occurrences === undefined
      ? identity
      : `${identity}|${finding.occurrences}|${finding.lastSeen ?? ''}`;
  });
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

/** An alert of this run with what the incident state needs from it. */
interface Current {
  alert: Alert;
  sighting: Sighting;
}

/** A journal entry: what was paged without state; `recordLater` false when the store refused it (a bug). */
interface JournalEntry {
  unrecorded: UnrecordedIncident;
  recordLater: boolean;
}

/** The alert with its dedup key bounded (the final guard: keys from any source fit the store and PagerDuty). */
const withBoundedKey = (alert: Alert): Alert => {
  const dedupKey = boundDedupKey(alert.dedupKey);
  return dedupKey === alert.dedupKey
    ? alert
    : { ...alert, dedupKey, finding: { ...alert.finding, dedupKey } };
};

/**
 * Creates the alert pipeline (the production `AlertHandler`). Throws ConfigError without sinks
 * or with two sinks of the same name.
 */
export const createAlertPipeline = ({
  store,
  sinks,
  policy: policyOverrides = {},
  logger = console,
  clock = () => new Date(),
  runbookBaseUrl,
  dashboardUrl,
  acknowledge,
  recentChanges,
  newId = randomUUID,
  startupWarning,
  metrics,
  silences,
}: AlertPipelineOptions): AlertPipeline => {
  if (sinks.length === 0) throw new ConfigError('createAlertPipeline needs at least one sink');
  const sinkNames = sinks.map((sink) => sink.name);
  if (new Set(sinkNames).size !== sinkNames.length)
    throw new ConfigError(
      `Sink names must be unique (delivery is tracked per name): ${sinkNames.join(', ')}`,
    );
  const policy: IncidentPolicy = { ...DEFAULT_INCIDENT_POLICY, ...policyOverrides };
  const sealOptions = {
    ...(runbookBaseUrl === undefined ? {} : { runbookBaseUrl }),
    ...(dashboardUrl === undefined ? {} : { dashboardUrl }),
    ...(acknowledge === undefined ? {} : { acknowledge }),
  };
  let warned = startupWarning === undefined;
  // Incidents paged while the store was unreachable (or refused them), per container, in insertion order.
  const journal = new Map<string, JournalEntry>();

  /** One call's bookkeeping. */
  interface Run {
    now: Date;
    report: DeliveryReport;
    undelivered: UndeliveredAlert[];
    causes: unknown[];
    /** The error that showed the store unreachable in this run; later store calls are skipped. */
    storeDown?: unknown;
    /** Requests the store refused as invalid in this run. */
    rejected: unknown[];
    /** Sinks that failed in this run: not tried again until the next run. */
    failedSinks: Set<string>;
    /** Silences in force in this run, read on the first delivery that could be held. */
    silences?: Promise<readonly Silence[]>;
  }

  const count = (name: AlertMetricName, value = 1): void => {
    metrics?.count(name, value);
    if (DEGRADED_MODES.has(name)) metrics?.count('AlertPathDegraded', value);
  };

  const contextOf = (run: Run): DecisionContext => ({
    now: run.now,
    policy,
    sinks: sinkNames,
    claimId: newId(),
  });

  /** A store call, skipped once the store proved unreachable in this run. */
  const fromStore = async <T>(run: Run, call: () => Promise<T>): Promise<T> => {
    if (run.storeDown !== undefined) throw run.storeDown;
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof IncidentStoreRejectedError) && run.storeDown === undefined) {
        run.storeDown = error;
        count('IncidentStoreUnavailable');
      }
      throw error;
    }
  };

  const reportRejected = (run: Run, dedupKey: string, error: unknown): void => {
    run.rejected.push(error);
    count('IncidentStoreRejected');
    logger.error('Incident store refused the request as invalid: a bug in the monitor, not an outage', {
      dedupKey,
      error: redact(describeError(error)),
    });
  };

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
    return withBoundedKey(
      sealAlert(changes === undefined ? draft : { ...draft, recentChanges: changes }, sealOptions),
    );
  };

  /** Delivers to the targets, skipping sinks that already failed in this run. */
  const fanOut = async (alert: Alert, targets: readonly AlertSink[], run: Run): Promise<FanOutResult> => {
    const live = targets.filter((sink) => !run.failedSinks.has(sink.name));
    const outcome = await deliverAlert(alert, live, logger);
    for (const { sink } of outcome.failed) run.failedSinks.add(sink);
    for (const sink of targets)
      if (!live.includes(sink))
        outcome.failed.push({
          sink: sink.name,
          error: 'not tried: it failed earlier in this run (the delivery stays owed)',
          cause: undefined,
        });
    recordFanOut(run, alert, outcome);
    return outcome;
  };

  const recordFanOut = (run: Run, alert: Alert, outcome: FanOutResult): void => {
    for (const sink of outcome.delivered)
      run.report.delivered.push({ sink, dedupKey: alert.dedupKey, action: alert.action });
    for (const { sink, error, cause } of outcome.failed) {
      run.report.failed.push({ sink, dedupKey: alert.dedupKey, error, action: alert.action });
      if (cause !== undefined) run.causes.push(cause);
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
    const outcome = await fanOut(alert, targets, run);
    const ctx = contextOf(run);
    let latest: IncidentRecord | undefined = written;
    for (let attempt = 0; attempt < MAX_CONFLICTS && latest !== undefined; attempt += 1) {
      try {
        const next = completeDelivery(latest, claim, outcome.delivered, ctx);
        if (await fromStore(run, () => store.put(next, latest?.version))) return;
        latest = await fromStore(run, () => store.get(written.dedupKey));
      } catch (error) {
        if (error instanceof IncidentStoreRejectedError) reportRejected(run, written.dedupKey, error);
        logger.error('Could not record the delivery; the claim expires and the incident is re-evaluated', {
          dedupKey: written.dedupKey,
          error: redact(describeError(error)),
        });
        return;
      }
    }
  };

  /**
   * Pages without state (store unreachable or refusing the incident): once per incident per
   * container, a missed sink again, a reminder when due; journals what was seen and paged.
   */
  const pageWithoutState = async (
    { alert, sighting }: Current,
    run: Run,
    error: unknown,
    recordLater: boolean,
  ): Promise<void> => {
    const key = alert.dedupKey;
    const now = run.now.toISOString();
    if (recordLater)
      logger.error('Incident store unavailable; paging without it (recorded when the store is back)', {
        dedupKey: key,
        error: redact(describeError(error)),
      });
    let entry = journal.get(key);
    if (entry === undefined) {
      entry = {
        unrecorded: {
          sighting,
          count: 0,
          firstSeen: sighting.firstSeen ?? now,
          lastSeen: sighting.lastSeen ?? sighting.firstSeen ?? now,
          lastDetected: now,
          batches: [],
          notified: {},
        },
        recordLater,
      };
      journal.set(key, entry);
      for (const oldest of journal.keys()) {
        if (journal.size <= MAX_JOURNAL_ENTRIES) break;
        logger.error('Journal of pages sent without state is full; the oldest entry is dropped', {
          dedupKey: oldest,
        });
        journal.delete(oldest);
      }
    }
    const unrecorded = entry.unrecorded;
    entry.recordLater &&= recordLater;
    const fingerprint = sighting.fingerprint;
    if (fingerprint === undefined || !unrecorded.batches.includes(fingerprint)) {
      unrecorded.count += sighting.occurrences;
      if (fingerprint !== undefined) unrecorded.batches.push(fingerprint);
      if (
        sighting.firstSeen !== undefined &&
        Date.parse(sighting.firstSeen) < Date.parse(unrecorded.firstSeen)
      )
        unrecorded.firstSeen = sighting.firstSeen;
      if (sighting.lastSeen !== undefined && Date.parse(sighting.lastSeen) > Date.parse(unrecorded.lastSeen))
        unrecorded.lastSeen = sighting.lastSeen;
      unrecorded.lastDetected = now;
    }
    const owed = sinks.filter((sink) => unrecorded.notified[sink.name] === undefined);
    const sinceNotified =
      unrecorded.lastNotified === undefined ? 0 : run.now.getTime() - Date.parse(unrecorded.lastNotified);
    const remind =
      owed.length === 0 && policy.reminderIntervalMs > 0 && sinceNotified >= policy.reminderIntervalMs;
    if (owed.length === 0 && !remind) {
      run.report.incidents?.push({
        dedupKey: key,
        action: 'nothing',
        reason: 'store unavailable; already paged from this container',
      });
      return;
    }
    const action: AlertAction = remind ? 'remind' : 'trigger';
    const draft: AlertDraft = {
      ...toDraft(alert),
      action,
      occurrences: unrecorded.count,
      firstSeen: unrecorded.firstSeen,
      lastSeen: unrecorded.lastSeen,
    };
    const outcome = await fanOut(withBoundedKey(sealAlert(draft, sealOptions)), remind ? sinks : owed, run);
    for (const sink of outcome.delivered)
      unrecorded.notified[sink] = { action: 'trigger', at: now, episode: 0 };
    if (outcome.delivered.length > 0) {
      unrecorded.lastNotified = now;
      count('PagesWithoutState');
    }
    run.report.incidents?.push({
      dedupKey: key,
      action,
      reason: recordLater
        ? 'store unavailable; paged without state'
        : 'store refused the incident; paged without state',
    });
  };

  /** Writes back what was paged while the store was unreachable, as soon as it answers again. */
  const recordJournal = async (run: Run): Promise<void> => {
    for (const [key, entry] of journal) {
      if (!entry.recordLater) continue;
      if (run.storeDown !== undefined) return;
      for (let attempt = 0; attempt < MAX_CONFLICTS; attempt += 1) {
        try {
          const record = await fromStore(run, () => store.get(key));
          const next = reconcileUnrecorded(record, entry.unrecorded, contextOf(run));
          if (next !== undefined && !(await fromStore(run, () => store.put(next, record?.version)))) continue;
          journal.delete(key);
          logger.info('Recorded what was paged while the incident store was unavailable', {
            dedupKey: key,
            count: entry.unrecorded.count,
            paged: Object.keys(entry.unrecorded.notified),
          });
          run.report.incidents?.push({
            dedupKey: key,
            action: 'update',
            reason: 'recorded what was paged while the store was unavailable',
          });
        } catch (error) {
          if (error instanceof IncidentStoreRejectedError) {
            entry.recordLater = false;
            reportRejected(run, key, error);
          } else
            logger.warn('Incident store still unavailable; the journal is kept for the next run', {
              error: redact(describeError(error)),
            });
        }
        break;
      }
    }
  };

  /** Read, decide, write (conditionally), deliver: retried on conflicts. Returns the decision carried out. */
  const evaluateOnce = async (
    dedupKey: string,
    decide: (record: IncidentRecord | undefined, ctx: DecisionContext) => IncidentDecision,
    run: Run,
    current: Current | undefined,
  ): Promise<IncidentDecision | undefined> => {
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt += 1) {
      let decision: IncidentDecision;
      try {
        const record = await fromStore(run, () => store.get(dedupKey));
        decision = await holdIfSilenced(decide(record, contextOf(run)), record, run);
        const next = decision.next;
        if (next !== undefined && !(await fromStore(run, () => store.put(next, record?.version)))) continue;
      } catch (error) {
        const rejected = error instanceof IncidentStoreRejectedError;
        if (rejected) reportRejected(run, dedupKey, error);
        if (current !== undefined) {
          await pageWithoutState(current, run, error, !rejected);
          return undefined;
        }
        if (!rejected)
          logger.error('Incident store unavailable; the incident is evaluated again on the next run', {
            dedupKey,
            error: redact(describeError(error)),
          });
        return undefined;
      }
      run.report.incidents?.push({ dedupKey, action: decision.action, reason: decision.reason });
      if (decision.held !== undefined) {
        count('PagesSilenced');
        const { silence, action, sinks: heldFor } = decision.held;
        logger.warn('Page held by a silence (the incident is still recorded and counted)', {
          dedupKey,
          action,
          sinks: heldFor,
          silence: silence.id,
          reason: redact(silence.reason),
          by: redact(silence.createdBy),
          until: silence.until,
        });
      }
      if (decision.action !== 'nothing')
        logger.info('Incident', { dedupKey, action: decision.action, reason: decision.reason });
      if (decision.lost !== undefined && decision.lost.length > 0) {
        count('PageLost', decision.lost.length);
        logger.error('Page lost: a sink could not take it before the give-up time', {
          dedupKey,
          sinks: decision.lost,
          reason: decision.reason,
        });
      }
      if (decision.next !== undefined && decision.deliver !== undefined)
        await deliverClaimed(decision.next, decision.deliver, run, current?.alert);
      return decision;
    }
    logger.warn('Incident busy: another invocation kept updating it; leaving it to that one', { dedupKey });
    run.report.incidents?.push({
      dedupKey,
      action: 'nothing',
      reason: 'write conflicts; left to another invocation',
    });
    return undefined;
  };

  const evaluate = async (
    dedupKey: string,
    decide: (record: IncidentRecord | undefined, ctx: DecisionContext) => IncidentDecision,
    run: Run,
    current?: Current,
  ): Promise<void> => {
    let decision = await evaluateOnce(dedupKey, decide, run, current);
    // A resolved incident may owe several deliveries in turn (resolve to the paged sinks, then the
    // page a sink missed before the resolve, then its resolve): they follow in the same run.
    const owesMore = (made: IncidentDecision | undefined): boolean =>
      made?.deliver !== undefined &&
      made.next?.status === 'resolved' &&
      (made.deliver.action === 'trigger' ||
        (!isOwedPageExpired(made.next, run.now, policy) &&
          owedTriggerSinks(made.next, sinkNames).length > 0));
    for (let round = 0; round < 3 && owesMore(decision); round += 1)
      decision = await evaluateOnce(dedupKey, decide, run, undefined);
  };

  const evaluateActive = async (
    run: Run,
    skip: ReadonlySet<string>,
    healthy: { source?: CheckSource; passed: readonly string[] },
  ): Promise<void> => {
    let keys: string[];
    try {
      keys = await fromStore(run, () => store.listActive());
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

  const warnOnce = (): void => {
    if (warned) return;
    warned = true;
    logger.warn(startupWarning ?? '');
  };

  /** The decision with its page held when a silence in force matches the incident. */
  const holdIfSilenced = async (
    decision: IncidentDecision,
    record: IncidentRecord | undefined,
    run: Run,
  ): Promise<IncidentDecision> => {
    const finding = decision.next?.finding;
    if (silences === undefined || finding === undefined || decision.deliver === undefined) return decision;
    if (decision.deliver.action === 'resolve') return decision;
    run.silences ??= loadSilences(run.now);
    const silence = matchSilence(await run.silences, finding, run.now);
    if (silence === undefined) return decision;
    return holdForSilence(
      decision,
      record,
      {
        id: silence.id,
        reason: silence.reason,
        createdBy: silence.createdBy,
        until: new Date(silenceEnd(silence)).toISOString(),
      },
      contextOf(run),
    );
  };

  const loadSilences = async (now: Date): Promise<readonly Silence[]> => {
    if (silences === undefined) return [];
    try {
      return await silences(now);
    } catch (error) {
      logger.error('Could not read silences; paging as if none were set', {
        error: redact(describeError(error)),
      });
      return [];
    }
  };

  const start = async (now: Date, alerts: number): Promise<Run> => {
    warnOnce();
    const run: Run = {
      now,
      report: { alerts, delivered: [], failed: [], incidents: [] },
      undelivered: [],
      causes: [],
      rejected: [],
      failedSinks: new Set(),
    };
    if (journal.size > 0) await recordJournal(run);
    return run;
  };

  const finish = (run: Run): DeliveryReport => {
    if (run.undelivered.length > 0) throw new AlertDeliveryError(run.undelivered, run.causes, run.report);
    if (run.rejected.length > 0)
      throw new IncidentStoreRejectedError(
        `The incident store refused ${run.rejected.length} request${run.rejected.length === 1 ? '' : 's'} as invalid (a bug; pages went out without state): ${redact(describeError(run.rejected[0]))}`,
        { cause: run.rejected[0] },
      );
    return run.report;
  };

  return {
    async handle({ source, findings, passed, now }) {
      warnOnce();
      // A log batch without findings proves nothing healthy (log incidents resolve by quiet
      // window, in the sweep): it costs no store call, unless pages sent without state await
      // their write-back.
      if (source === 'trigger-logs' && findings.length === 0 && journal.size === 0)
        return { alerts: 0, delivered: [], failed: [], incidents: [] };
      const groups = groupFindings(findings);
      const run = await start(now, groups.length);
      const seen = new Set<string>();
      // One incident at a time keeps bursts under sink rate limits (PagerDuty: about 120 events a minute).
      for (const group of groups) {
        const alert = withBoundedKey(sealAlert(toAlertDraft(group), sealOptions));
        seen.add(alert.dedupKey);
        const sighting = toSighting(alert, source, toBatchFingerprint(group));
        await evaluate(alert.dedupKey, (record, ctx) => decideOnSighting(record, sighting, ctx), run, {
          alert,
          sighting,
        });
      }
      await evaluateActive(run, seen, { source, passed });
      return finish(run);
    },

    async sweep(now = clock()) {
      const run = await start(now, 0);
      await evaluateActive(run, new Set(), { passed: [] });
      return finish(run);
    },
  };
};
