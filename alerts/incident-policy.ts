/**
 * Incident decisions, pure: given the stored incident, what this run saw and the time, decide what
 * to do (trigger, update, remind, resolve, nothing), the state to store and which sinks to tell.
 * No I/O and no clock: `incident-store.ts` persists, `pipeline.ts` delivers.
 *
 * Rules (defaults in {@link DEFAULT_INCIDENT_POLICY}):
 * - A new incident pages every sink once. Repeats only update the count and the last-seen time; an
 *   incident that keeps failing sends a reminder every `reminderIntervalMs` (0: never).
 * - Resolve: incidents from canary and config-audit runs after `passesToResolve` consecutive runs
 *   that report the check as passed (a `passed` prefix of the incident's key) without finding it;
 *   trigger-log incidents after `quietWindowMs` without a recurrence. Evaluated on every run and by
 *   the sweep.
 * - Flapping: an incident that re-opened `flapMaxReopens` times within `flapWindowMs` is not
 *   resolved; it stays open (a recurrence is then an update, not a new page) until it has not
 *   recurred for a whole flap window (it would otherwise have re-opened inside one). So one
 *   incident pages at most `1 + flapMaxReopens` times per window, plus reminders.
 * - Reminders: an open incident still failing (found within its quiet window, or not yet passed
 *   again) gets a reminder every `reminderIntervalMs`, from a run that finds it or from the sweep;
 *   none while its current episode is acknowledged (`cognito-sentinel ack`). A resolve or a
 *   re-opening clears the acknowledgement, so the next episode pages and reminds again.
 * - Delivery is tracked per sink: a sink that missed a page (PagerDuty down while SNS delivered)
 *   is owed it and gets it on the next run that touches the incident or on the sweep; a resolve
 *   goes to the sinks that got the trigger. An owed page outlives the resolve: a sink that missed
 *   the trigger of an episode that has since resolved gets the trigger and then the resolve, for
 *   up to `owedPageMaxAgeMs` after the resolve; later the page is recorded as lost for that sink
 *   (`lost` on the decision, which the pipeline logs and counts). Before delivering, the decision takes a claim (a
 *   lease longer than the function timeout) in the same conditional write, so two concurrent
 *   invocations never both deliver; a claim that expired (its holder died) is retried.
 * - A redelivered batch (same findings fingerprint) is not counted twice and never pages twice;
 *   evidence older than what a resolved incident already saw does not re-open it.
 */

import type { IncidentPolicy } from '../config/incident-policy';
import type { DetectorId, Finding, Severity } from '../detectors/types';
import { SEVERITY_RANK } from '../detectors/types';
import type { Alert, AlertAction, CheckSource, IncidentContext, IncidentOutcome } from './types';

export { DEFAULT_INCIDENT_POLICY, type IncidentPolicy } from '../config/incident-policy';

export const INCIDENT_STATUSES = ['open', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/**
 * What a sink was last told: `lost` when a page owed to it was given up (see `owedPageMaxAgeMs`);
 * `silenced` when its page was held by a silence (still owed while the incident is open, so it
 * goes out once the silence ends; dropped if the incident resolves first).
 */
export const SINK_NOTICE_ACTIONS = ['trigger', 'resolve', 'lost', 'silenced'] as const;

/** What a sink was last told about the incident. */
export interface SinkNotice {
  action: (typeof SINK_NOTICE_ACTIONS)[number];
  /** ISO-8601 time of the delivery. */
  at: string;
  /** The episode it was about (an incident that re-opens starts a new episode). */
  episode: number;
}

/** An in-flight delivery: only its holder delivers until `until`. */
export interface DeliveryClaim {
  id: string;
  action: AlertAction;
  sinks: string[];
  episode: number;
  /** ISO-8601 end of the lease. */
  until: string;
}

/** The stored state of one incident (one dedup key). Everything in it is already redacted. */
export interface IncidentRecord {
  dedupKey: string;
  /** Incremented on every write; writes are conditional on it. */
  version: number;
  status: IncidentStatus;
  /** The run kind that opened it; decides how it resolves (trigger-logs: quiet window; others: passes). */
  source: CheckSource;
  detector: DetectorId;
  severity: Severity;
  title: string;
  /** The representative finding of the episode's first sighting, redacted; its evidence is the first evidence. */
  finding: Finding;
  /** ISO-8601: earliest and latest evidence time of this episode. */
  firstSeen: string;
  lastSeen: string;
  /** ISO-8601: when a run last found it (the quiet window counts from here). */
  lastDetected: string;
  /** Findings counted in this episode. */
  count: number;
  /** How many times the incident opened. */
  episode: number;
  /** Consecutive passing runs since the last finding. */
  healthyPasses: number;
  /** ISO-8601 times of re-openings inside the flap window (flap history). */
  reopenedAt: string[];
  /** A resolve was held back because the incident is flapping. */
  heldOpen: boolean;
  resolvedAt?: string;
  resolution?: string;
  /** ISO-8601 time of the last trigger or reminder that reached a sink. */
  lastNotified?: string;
  /** Per sink name: what it was last told. */
  notified: Record<string, SinkNotice>;
  claim?: DeliveryClaim;
  /** Fingerprints of the batches already counted (redelivery detection), newest last. */
  batches: string[];
  /** True while the incident is open, a delivery is in flight, or a resolve is owed (the sweep reads these). */
  active: boolean;
  /** Epoch seconds after which the store may delete it (set once inactive). */
  expiresAt?: number;
  /** Pages held by silences since the last page that reached a sink (the next page mentions them). */
  silenced?: HeldPages;
  /** Who acknowledged the episode (no reminders while it stays open); cleared by a resolve or re-opening. */
  acknowledged?: Acknowledgement;
}

/** An acknowledgement of one episode of an incident (from `cognito-sentinel ack`). */
export interface Acknowledgement {
  /** Who acknowledged (`--by`, default the CLI user). */
  by: string;
  /** ISO-8601 time of the acknowledgement. */
  at: string;
  /** The episode it was for; a re-opened incident is a new episode and is not acknowledged. */
  episode: number;
}

/** Pages held by a silence since the last delivered page: how many, and the latest silence's who and why. */
export interface HeldPages {
  /** Pages (triggers and reminders) held. */
  pages: number;
  /** The silence that held the latest one (`window:<name>:<start>` for a maintenance window). */
  silenceId: string;
  reason: string;
  by: string;
  /** ISO-8601 end of that silence. */
  until: string;
  /** ISO-8601 time the latest page was held. */
  at: string;
}

/** The silence that holds a page: the parts a held page records. */
export interface HoldingSilence {
  id: string;
  reason: string;
  createdBy: string;
  /** ISO-8601: when it stops holding pages. */
  until: string;
}

/** What one run saw of one incident: its sealed alert, reduced to what the state needs. */
export interface Sighting
  extends Pick<
    Alert,
    'detector' | 'severity' | 'title' | 'finding' | 'occurrences' | 'firstSeen' | 'lastSeen'
  > {
  source: CheckSource;
  /** Identifies the batch of findings; the same batch delivered again has the same fingerprint. */
  fingerprint?: string;
}

/** The inputs every decision needs besides the record. */
export interface DecisionContext {
  now: Date;
  policy: IncidentPolicy;
  /** Names of the configured sinks. */
  sinks: readonly string[];
  /** Id for the claim this decision takes if it delivers. */
  claimId: string;
}

/** A run without a finding for this incident. */
export interface HealthyRun {
  /** `undefined` for the sweep. */
  source?: CheckSource;
  passed: readonly string[];
}

/** What to do with one incident. */
export interface IncidentDecision {
  action: IncidentOutcome['action'];
  reason: string;
  /** The record to write (conditional on the stored version), or `undefined` when nothing changes. */
  next?: IncidentRecord;
  /** Deliver this action to these sinks after `next` is written; `next.claim` covers it. */
  deliver?: { action: AlertAction; sinks: string[] };
  /** Sinks whose owed page was given up by this decision (the pipeline reports the loss). */
  lost?: string[];
  /** The delivery this decision would have made, held by a silence (the pipeline logs it). */
  held?: { action: AlertAction; sinks: string[]; silence: HoldingSilence };
}

/** Fingerprints remembered per incident. */
export const MAX_BATCH_FINGERPRINTS = 50;

const ms = (iso: string | undefined): number => (iso === undefined ? Number.NaN : Date.parse(iso));

const later = (a: string, b: string | undefined): string =>
  b !== undefined && Number.isFinite(ms(b)) && (!Number.isFinite(ms(a)) || ms(b) > ms(a)) ? b : a;

const worse = (a: Severity, b: Severity): Severity =>
  (SEVERITY_RANK[b] ?? 0) > (SEVERITY_RANK[a] ?? 0) ? b : a;

/** `15 min`, `2 h`, `90 s`: for resolution notes. */
const describeSpan = (spanMs: number): string => {
  if (spanMs % 3_600_000 === 0) return `${spanMs / 3_600_000} h`;
  if (spanMs % 60_000 === 0) return `${spanMs / 60_000} min`;
  return `${Math.round(spanMs / 1000)} s`;
};

/** How the incident resolves: trigger-log incidents after a quiet window, the others after passes. */
export const resolveModeOf = (record: Pick<IncidentRecord, 'source'>): 'quiet-window' | 'passes' =>
  record.source === 'trigger-logs' ? 'quiet-window' : 'passes';

/** True when someone else's delivery claim is still running. */
export const hasLiveClaim = (record: IncidentRecord, now: Date): boolean =>
  record.claim !== undefined && ms(record.claim.until) > now.getTime();

/** True while the incident is open and its current episode is acknowledged: no reminders. */
export const isAcknowledged = (
  record: Pick<IncidentRecord, 'status' | 'episode' | 'acknowledged'>,
): boolean => record.status === 'open' && record.acknowledged?.episode === record.episode;

/** What {@link acknowledgeIncident} did: the record to write, or why there is none. */
export type AcknowledgeOutcome =
  | { outcome: 'acknowledged'; next: IncidentRecord }
  | { outcome: 'not-found' }
  | { outcome: 'not-open'; record: IncidentRecord }
  | { outcome: 'already-acknowledged'; record: IncidentRecord };

/**
 * Acknowledges the open incident's current episode: reminders stop until it resolves or re-opens.
 * Owed pages (a sink that missed the page) still go out. Pure; the caller writes `next`
 * conditionally on the stored version.
 */
export const acknowledgeIncident = (
  record: IncidentRecord | undefined,
  by: string,
  now: Date,
): AcknowledgeOutcome => {
  if (record === undefined) return { outcome: 'not-found' };
  if (record.status !== 'open') return { outcome: 'not-open', record };
  if (isAcknowledged(record)) return { outcome: 'already-acknowledged', record };
  return {
    outcome: 'acknowledged',
    next: {
      ...record,
      version: record.version + 1,
      acknowledged: { by, at: now.toISOString(), episode: record.episode },
    },
  };
};

/**
 * Sinks owed the page of the current episode: of an open incident, those not paged for it; of a
 * resolved one, those told nothing about it (they get the trigger, then the resolve).
 */
export const owedTriggerSinks = (record: IncidentRecord, sinks: readonly string[]): string[] =>
  sinks.filter((sink) => {
    const notice = record.notified[sink];
    if (notice === undefined || notice.episode !== record.episode) return true;
    return record.status === 'open' && notice.action !== 'trigger';
  });

/** True when a resolved incident's owed pages are too old to deliver (see `owedPageMaxAgeMs`). */
export const isOwedPageExpired = (record: IncidentRecord, now: Date, policy: IncidentPolicy): boolean =>
  record.status === 'resolved' && now.getTime() - ms(record.resolvedAt) > policy.owedPageMaxAgeMs;

/** Sinks that were paged and have not been told that the incident resolved. */
export const owedResolveSinks = (record: IncidentRecord, sinks: readonly string[]): string[] =>
  record.status !== 'resolved' ? [] : sinks.filter((sink) => record.notified[sink]?.action === 'trigger');

/** Re-openings inside the flap window ending at `now`. */
export const recentReopens = (record: IncidentRecord, now: Date, policy: IncidentPolicy): string[] =>
  record.reopenedAt.filter((at) => now.getTime() - ms(at) < policy.flapWindowMs);

/** The incident as alerts show it. */
export const toIncidentContext = (
  record: IncidentRecord,
  now: Date,
  policy: IncidentPolicy,
): IncidentContext => ({
  status: record.status,
  firstSeen: record.firstSeen,
  lastSeen: record.lastSeen,
  count: record.count,
  episode: record.episode,
  ...(record.lastNotified === undefined ? {} : { lastNotified: record.lastNotified }),
  reopens: recentReopens(record, now, policy).length,
  ...(record.heldOpen ? { heldOpen: true } : {}),
  ...(record.resolvedAt === undefined ? {} : { resolvedAt: record.resolvedAt }),
  ...(record.resolution === undefined ? {} : { resolution: record.resolution }),
  ...(record.silenced === undefined ? {} : { silenced: record.silenced }),
});

/** Sets `active` and `expiresAt` from the rest of the record. */
const settle = (record: IncidentRecord, ctx: DecisionContext): IncidentRecord => {
  const active =
    record.status === 'open' ||
    record.claim !== undefined ||
    owedResolveSinks(record, ctx.sinks).length > 0 ||
    owedTriggerSinks(record, ctx.sinks).length > 0;
  const { expiresAt: _expires, ...rest } = record;
  return active
    ? { ...rest, active }
    : { ...rest, active, expiresAt: Math.floor((ctx.now.getTime() + ctx.policy.retentionMs) / 1000) };
};

const bump = (record: IncidentRecord, previous: IncidentRecord | undefined): IncidentRecord => ({
  ...record,
  version: (previous?.version ?? 0) + 1,
});

/** Takes a claim for a delivery and returns the decision. */
const withDelivery = (
  next: IncidentRecord,
  previous: IncidentRecord | undefined,
  deliver: { action: AlertAction; sinks: string[] },
  action: IncidentDecision['action'],
  reason: string,
  ctx: DecisionContext,
): IncidentDecision => {
  const claim: DeliveryClaim = {
    id: ctx.claimId,
    action: deliver.action,
    sinks: deliver.sinks,
    episode: next.episode,
    until: new Date(ctx.now.getTime() + ctx.policy.claimLeaseMs).toISOString(),
  };
  return { action, reason, next: settle(bump({ ...next, claim }, previous), ctx), deliver };
};

const withoutDelivery = (
  next: IncidentRecord,
  previous: IncidentRecord,
  action: IncidentDecision['action'],
  reason: string,
  ctx: DecisionContext,
): IncidentDecision => {
  // A claim whose lease ran out belonged to an invocation that died; drop it.
  const cleaned =
    next.claim !== undefined && !hasLiveClaim(next, ctx.now) ? { ...next, claim: undefined } : next;
  const { claim, ...rest } = cleaned;
  const settled = settle(bump(claim === undefined ? rest : { ...rest, claim }, previous), ctx);
  return { action, reason, next: settled };
};

/**
 * Deliveries still owed for the record as it now stands (a page a sink missed, a resolve not yet
 * told), unless someone else's claim is live. `undefined` when nothing is owed.
 */
const owedDelivery = (
  record: IncidentRecord,
  ctx: DecisionContext,
): { action: AlertAction; sinks: string[] } | undefined => {
  if (hasLiveClaim(record, ctx.now)) return undefined;
  const triggers = isOwedPageExpired(record, ctx.now, ctx.policy) ? [] : owedTriggerSinks(record, ctx.sinks);
  const resolves = owedResolveSinks(record, ctx.sinks);
  // Of a resolved incident, the sinks that were paged hear of the resolve first; a sink owed the
  // page since before the resolve then gets the trigger, and its resolve after that.
  if (resolves.length > 0) return { action: 'resolve', sinks: resolves };
  if (triggers.length > 0) return { action: 'trigger', sinks: triggers };
  return undefined;
};

/** The delivery of what is owed on the record unchanged, or `undefined` when nothing is owed. */
const deliverOwed = (
  record: IncidentRecord,
  ctx: DecisionContext,
  reasonOf: (action: AlertAction) => string,
): IncidentDecision | undefined => {
  const owed = owedDelivery(record, ctx);
  if (owed === undefined) return undefined;
  const action = owed.action === 'resolve' ? 'resolve' : 'trigger';
  return withDelivery(record, record, owed, action, reasonOf(owed.action), ctx);
};

const firstEpisode = (sighting: Sighting, ctx: DecisionContext): IncidentRecord => {
  const now = ctx.now.toISOString();
  const firstSeen = sighting.firstSeen ?? now;
  return {
    dedupKey: sighting.finding.dedupKey,
    version: 0,
    status: 'open',
    source: sighting.source,
    detector: sighting.detector,
    severity: sighting.severity,
    title: sighting.title,
    finding: sighting.finding,
    firstSeen,
    lastSeen: later(firstSeen, sighting.lastSeen),
    lastDetected: now,
    count: sighting.occurrences,
    episode: 1,
    healthyPasses: 0,
    reopenedAt: [],
    heldOpen: false,
    notified: {},
    batches: sighting.fingerprint === undefined ? [] : [sighting.fingerprint],
    active: true,
  };
};

const rememberBatch = (batches: readonly string[], fingerprint: string | undefined): string[] =>
  fingerprint === undefined ? [...batches] : [...batches, fingerprint].slice(-MAX_BATCH_FINGERPRINTS);

/** True when reminders are on and a whole reminder interval passed since the last notification. */
const reminderIntervalPassed = (record: IncidentRecord, ctx: DecisionContext): boolean =>
  ctx.policy.reminderIntervalMs > 0 &&
  ctx.now.getTime() - ms(record.lastNotified) >= ctx.policy.reminderIntervalMs;

/** A reminder to every sink for an incident that keeps failing. */
const remind = (next: IncidentRecord, record: IncidentRecord, ctx: DecisionContext): IncidentDecision =>
  withDelivery(
    next,
    record,
    { action: 'remind', sinks: [...ctx.sinks] },
    'remind',
    'still failing; reminder due',
    ctx,
  );

/** The decision for an incident this run found again (or for the first time). */
export const decideOnSighting = (
  record: IncidentRecord | undefined,
  sighting: Sighting,
  ctx: DecisionContext,
): IncidentDecision => {
  const now = ctx.now.toISOString();
  if (record === undefined) {
    const next = firstEpisode(sighting, ctx);
    return withDelivery(
      next,
      undefined,
      { action: 'trigger', sinks: [...ctx.sinks] },
      'trigger',
      'new incident',
      ctx,
    );
  }

  const redelivered = sighting.fingerprint !== undefined && record.batches.includes(sighting.fingerprint);
  const stale =
    record.status === 'resolved' &&
    sighting.lastSeen !== undefined &&
    Number.isFinite(ms(sighting.lastSeen)) &&
    ms(sighting.lastSeen) <= ms(record.lastSeen);
  if (redelivered || stale) {
    const reason = redelivered ? 'batch already counted (redelivery)' : 'evidence older than the resolve';
    return deliverOwed(record, ctx, () => `${reason}; delivery owed`) ?? { action: 'nothing', reason };
  }

  if (record.status === 'resolved') {
    const reopenedAt = [...recentReopens(record, ctx.now, ctx.policy), now];
    const fresh = firstEpisode(sighting, ctx);
    const next: IncidentRecord = {
      ...fresh,
      version: record.version,
      episode: record.episode + 1,
      reopenedAt,
      notified: record.notified,
      ...(record.lastNotified === undefined ? {} : { lastNotified: record.lastNotified }),
      ...(record.claim === undefined ? {} : { claim: record.claim }),
    };
    if (hasLiveClaim(record, ctx.now))
      return withoutDelivery(next, record, 'update', 're-opened while a delivery is in flight', ctx);
    return withDelivery(
      next,
      record,
      { action: 'trigger', sinks: [...ctx.sinks] },
      'trigger',
      `re-opened (${reopenedAt.length} in the flap window)`,
      ctx,
    );
  }

  const next: IncidentRecord = {
    ...record,
    severity: worse(record.severity, sighting.severity),
    lastSeen: later(record.lastSeen, sighting.lastSeen ?? now),
    lastDetected: now,
    count: record.count + sighting.occurrences,
    healthyPasses: 0,
    batches: rememberBatch(record.batches, sighting.fingerprint),
  };
  if (hasLiveClaim(record, ctx.now))
    return withoutDelivery(next, record, 'update', 'seen again; a delivery is in flight', ctx);
  const owed = owedTriggerSinks(next, ctx.sinks);
  if (owed.length > 0)
    return withDelivery(
      next,
      record,
      { action: 'trigger', sinks: owed },
      'trigger',
      'seen again; page owed to a sink that missed it',
      ctx,
    );
  const reminderDue = reminderIntervalPassed(record, ctx);
  if (reminderDue && !isAcknowledged(record)) return remind(next, record, ctx);
  return withoutDelivery(
    next,
    record,
    'update',
    reminderDue ? 'seen again; acknowledged, so no reminder' : 'seen again',
    ctx,
  );
};

/** The decision for an active incident that this run (or the sweep) did not find. */
export const decideOnHealthyRun = (
  record: IncidentRecord,
  run: HealthyRun,
  ctx: DecisionContext,
): IncidentDecision => {
  const now = ctx.now.toISOString();
  if (record.status === 'resolved') {
    const lost = isOwedPageExpired(record, ctx.now, ctx.policy) ? owedTriggerSinks(record, ctx.sinks) : [];
    if (lost.length > 0 && !hasLiveClaim(record, ctx.now)) {
      const notified = { ...record.notified };
      for (const sink of lost) notified[sink] = { action: 'lost', at: now, episode: record.episode };
      const reason = `page lost: not delivered within ${describeSpan(ctx.policy.owedPageMaxAgeMs)} of the resolve`;
      return { ...withoutDelivery({ ...record, notified }, record, 'nothing', reason, ctx), lost };
    }
    const owed = deliverOwed(record, ctx, (action) =>
      action === 'resolve' ? 'resolve owed to a sink' : 'page owed to a sink since before the resolve',
    );
    if (owed !== undefined) return owed;
    if (record.active && !hasLiveClaim(record, ctx.now))
      return withoutDelivery(record, record, 'nothing', 'resolved and delivered', ctx);
    return { action: 'nothing', reason: 'resolved' };
  }

  const mode = resolveModeOf(record);
  const passedNow =
    mode === 'passes' && run.passed.some((prefix) => prefix !== '' && record.dedupKey.startsWith(prefix));
  const healthyPasses = record.healthyPasses + (passedNow ? 1 : 0);
  const resolveDue =
    mode === 'quiet-window'
      ? ctx.now.getTime() - ms(record.lastDetected) >= ctx.policy.quietWindowMs
      : healthyPasses >= ctx.policy.passesToResolve;

  if (resolveDue) {
    const reopens = recentReopens(record, ctx.now, ctx.policy);
    // Once held, it stays held until a whole flap window has passed since its last re-opening,
    // not merely until older re-openings age out of the window.
    const lastReopen = record.reopenedAt.at(-1);
    const reopenedWithinWindow =
      lastReopen !== undefined && ctx.now.getTime() - ms(lastReopen) < ctx.policy.flapWindowMs;
    if (reopens.length >= ctx.policy.flapMaxReopens || (record.heldOpen && reopenedWithinWindow)) {
      const reason = `held open: flapping (${Math.max(reopens.length, record.reopenedAt.length)} re-openings in ${describeSpan(ctx.policy.flapWindowMs)})`;
      const next = { ...record, healthyPasses, heldOpen: true };
      const owed = owedDelivery(next, ctx);
      if (owed !== undefined) return withDelivery(next, record, owed, 'trigger', `${reason}; page owed`, ctx);
      if (record.heldOpen && healthyPasses === record.healthyPasses) return { action: 'nothing', reason };
      return withoutDelivery(next, record, 'update', reason, ctx);
    }
    const resolution =
      mode === 'quiet-window'
        ? `no recurrence for ${describeSpan(ctx.policy.quietWindowMs)}`
        : `the check passed ${healthyPasses} time${healthyPasses === 1 ? '' : 's'} in a row`;
    // A resolve ends the acknowledged episode: a re-opening pages and reminds afresh.
    const { acknowledged: _acknowledged, ...unacknowledged } = record;
    const next: IncidentRecord = {
      ...unacknowledged,
      status: 'resolved',
      healthyPasses,
      heldOpen: false,
      resolvedAt: now,
      resolution,
      reopenedAt: reopens,
    };
    const owed = owedDelivery(next, ctx);
    if (owed !== undefined) return withDelivery(next, record, owed, 'resolve', resolution, ctx);
    const why = hasLiveClaim(record, ctx.now)
      ? 'the resolve waits for the delivery in flight'
      : 'no sink was paged';
    return withoutDelivery(next, record, 'resolve', `${resolution}; ${why}`, ctx);
  }

  const next = { ...record, healthyPasses };
  const owed = owedDelivery(next, ctx);
  if (owed !== undefined)
    return withDelivery(next, record, owed, 'trigger', 'page owed to a sink that missed it', ctx);
  if (passedNow)
    return withoutDelivery(
      next,
      record,
      'update',
      `healthy pass ${healthyPasses} of ${ctx.policy.passesToResolve}`,
      ctx,
    );
  const reminderDue =
    healthyPasses === 0 && reminderIntervalPassed(record, ctx) && !hasLiveClaim(record, ctx.now);
  if (reminderDue && !isAcknowledged(record)) return remind(next, record, ctx);
  if (record.claim !== undefined && !hasLiveClaim(record, ctx.now))
    return withoutDelivery(next, record, 'nothing', 'expired claim dropped', ctx);
  if (reminderDue) return { action: 'nothing', reason: 'open; acknowledged, so no reminder' };
  return { action: 'nothing', reason: mode === 'quiet-window' ? 'open; within the quiet window' : 'open' };
};

/**
 * The record after a delivery: marks the sinks that took it, releases the claim (when it is still
 * this delivery's) and settles `active`. Applied to whatever is stored now, so it merges with
 * writes other invocations made meanwhile.
 */
export const completeDelivery = (
  record: IncidentRecord,
  claim: DeliveryClaim,
  delivered: readonly string[],
  ctx: DecisionContext,
): IncidentRecord => {
  const now = ctx.now.toISOString();
  const notified = { ...record.notified };
  const told: SinkNotice['action'] = claim.action === 'resolve' ? 'resolve' : 'trigger';
  for (const sink of delivered) notified[sink] = { action: told, at: now, episode: claim.episode };
  const { claim: held, ...rest } = record;
  const pagedNow = delivered.length > 0 && told === 'trigger';
  const { silenced, ...unsilenced } = rest;
  const next: IncidentRecord = {
    ...(pagedNow ? unsilenced : rest),
    notified,
    ...(pagedNow ? { lastNotified: now } : {}),
    ...(held !== undefined && held.id !== claim.id ? { claim: held } : {}),
  };
  return settle(bump(next, record), ctx);
};

/**
 * The decision with its page held by a silence: the record is still written (counts, times), the
 * sinks the trigger was for are marked `silenced` (so the page stays owed while the incident is
 * open and goes out on the first run or sweep after the silence ends), a held reminder simply
 * waits (the next one is due as soon as the silence ends), and the hold is counted on the record
 * for the next page to mention. Resolves are never held. Pure.
 */
export const holdForSilence = (
  decision: IncidentDecision,
  previous: IncidentRecord | undefined,
  silence: HoldingSilence,
  ctx: DecisionContext,
): IncidentDecision => {
  const { next, deliver } = decision;
  if (next === undefined || deliver === undefined || deliver.action === 'resolve') return decision;
  const now = ctx.now.toISOString();
  // The page this run would send is one already held (the sweep, or a repeat, retrying it): not a new hold.
  const alreadyHeld =
    deliver.action === 'trigger' &&
    previous?.silenced !== undefined &&
    deliver.sinks.every((sink) => {
      const notice = previous.notified[sink];
      return notice?.action === 'silenced' && notice.episode === next.episode;
    });
  const reason = `${decision.reason}; ${deliver.action} held by silence ${silence.id}`;
  if (
    alreadyHeld &&
    previous.status === next.status &&
    previous.count === next.count &&
    previous.lastDetected === next.lastDetected &&
    previous.healthyPasses === next.healthyPasses
  )
    return { action: 'nothing', reason };
  const notified = { ...next.notified };
  if (deliver.action === 'trigger')
    for (const sink of deliver.sinks) notified[sink] = { action: 'silenced', at: now, episode: next.episode };
  const { claim: _claim, ...unclaimed } = next;
  const held: IncidentRecord = {
    ...unclaimed,
    notified,
    silenced: {
      pages: (previous?.silenced?.pages ?? 0) + (alreadyHeld ? 0 : 1),
      silenceId: silence.id,
      reason: silence.reason,
      by: silence.createdBy,
      until: silence.until,
      at: now,
    },
  };
  return {
    action: decision.action === 'trigger' || decision.action === 'remind' ? 'update' : decision.action,
    reason,
    next: settle(bump(held, previous), ctx),
    ...(alreadyHeld ? {} : { held: { action: deliver.action, sinks: deliver.sinks, silence } }),
  };
};

/**
 * Pages sent while the incident store was unreachable, kept per container until the store is back
 * (see `pipeline.ts`): what was seen and which sinks took a page. Sink notices carry episode 0
 * until {@link reconcileUnrecorded} places them in the stored incident's episode.
 */
export interface UnrecordedIncident {
  /** The first sighting of the outage (finding, title, source). */
  sighting: Sighting;
  /** Findings seen during the outage. */
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** ISO-8601: when a run last found it during the outage. */
  lastDetected: string;
  batches: string[];
  /** Per sink: the page it took during the outage. */
  notified: Record<string, SinkNotice>;
  lastNotified?: string;
}

const earlier = (a: string, b: string): string => (ms(b) < ms(a) ? b : a);

const inEpisode = (
  notified: Record<string, SinkNotice>,
  pages: Record<string, SinkNotice>,
  episode: number,
): Record<string, SinkNotice> => {
  const merged = { ...notified };
  for (const [sink, notice] of Object.entries(pages)) merged[sink] = { ...notice, episode };
  return merged;
};

/**
 * The stored record once what was paged without state is written back: counts and times merged,
 * the sinks that took a page marked as paged (for the stored episode, or for a new episode when the
 * outage's sightings came after the stored resolve). `undefined` when nothing needs writing.
 */
export const reconcileUnrecorded = (
  record: IncidentRecord | undefined,
  unrecorded: UnrecordedIncident,
  ctx: DecisionContext,
): IncidentRecord | undefined => {
  const seen: Sighting = {
    ...unrecorded.sighting,
    occurrences: unrecorded.count,
    firstSeen: unrecorded.firstSeen,
    lastSeen: unrecorded.lastSeen,
  };
  const lastNotified = (current: string | undefined): Partial<IncidentRecord> => {
    const latest =
      unrecorded.lastNotified === undefined
        ? current
        : current === undefined
          ? unrecorded.lastNotified
          : later(current, unrecorded.lastNotified);
    return latest === undefined ? {} : { lastNotified: latest };
  };
  if (record === undefined) {
    const fresh = firstEpisode(seen, { ...ctx, now: new Date(ms(unrecorded.lastDetected)) });
    const next: IncidentRecord = {
      ...fresh,
      batches: unrecorded.batches.slice(-MAX_BATCH_FINGERPRINTS),
      notified: inEpisode({}, unrecorded.notified, fresh.episode),
      ...lastNotified(undefined),
    };
    return settle(bump(next, undefined), ctx);
  }
  const batches = unrecorded.batches.filter((batch) => !record.batches.includes(batch));
  if (unrecorded.batches.length > 0 && batches.length === 0 && Object.keys(unrecorded.notified).length === 0)
    return undefined;
  if (record.status === 'resolved' && ms(unrecorded.lastDetected) > ms(record.resolvedAt)) {
    const fresh = firstEpisode(seen, { ...ctx, now: new Date(ms(unrecorded.lastDetected)) });
    const episode = record.episode + 1;
    const next: IncidentRecord = {
      ...fresh,
      version: record.version,
      episode,
      reopenedAt: [...recentReopens(record, ctx.now, ctx.policy), unrecorded.lastDetected],
      batches: rememberBatches(record.batches, batches),
      notified: inEpisode(record.notified, unrecorded.notified, episode),
      ...lastNotified(record.lastNotified),
      ...(record.claim === undefined ? {} : { claim: record.claim }),
    };
    return settle(bump(next, record), ctx);
  }
  const next: IncidentRecord = {
    ...record,
    severity: worse(record.severity, unrecorded.sighting.severity),
    firstSeen: earlier(record.firstSeen, unrecorded.firstSeen),
    lastSeen: later(record.lastSeen, unrecorded.lastSeen),
    lastDetected: later(record.lastDetected, unrecorded.lastDetected),
    count: record.count + unrecorded.count,
    healthyPasses: ms(unrecorded.lastDetected) > ms(record.lastDetected) ? 0 : record.healthyPasses,
    batches: rememberBatches(record.batches, batches),
    notified: inEpisode(record.notified, unrecorded.notified, record.episode),
    ...lastNotified(record.lastNotified),
  };
  return settle(bump(next, record), ctx);
};

const rememberBatches = (batches: readonly string[], added: readonly string[]): string[] =>
  [...batches, ...added].slice(-MAX_BATCH_FINGERPRINTS);
