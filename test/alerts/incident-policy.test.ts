import { describe, expect, it } from 'vitest';
import {
  acknowledgeIncident,
  completeDelivery,
  DEFAULT_INCIDENT_POLICY,
  type DecisionContext,
  decideOnHealthyRun,
  decideOnSighting,
  type IncidentPolicy,
  type IncidentRecord,
  isAcknowledged,
  owedResolveSinks,
  owedTriggerSinks,
  type Sighting,
} from '../../alerts/incident-policy';
import { toAlerts } from '../../alerts/to-alerts';
import type { CheckSource } from '../../alerts/types';
import type { Finding } from '../../detectors/types';
import { POOL, presignupFinding } from './findings';

const T0 = Date.parse('2024-06-03T09:35:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const iso = (minutes: number) => at(minutes).toISOString();
const SINKS = ['pagerduty', 'sns:alerts'];
const KEY = `trigger-response-invalid:${POOL}:PreSignUp:response.autoConfirmUser`;
const CANARY_KEY = `canary-auth-failed:${POOL}:4i2oaatugssocd44d40kb55kni:incorrect-credentials`;

const ctx = (
  minutes: number,
  policy: Partial<IncidentPolicy> = {},
  claimId = `claim-${minutes}`,
): DecisionContext => ({
  now: at(minutes),
  policy: { ...DEFAULT_INCIDENT_POLICY, ...policy },
  sinks: SINKS,
  claimId,
});

const sighting = (
  minutes: number,
  {
    occurrences = 1,
    source = 'trigger-logs' as CheckSource,
    fingerprint = `batch-${minutes}`,
    finding = {} as Partial<Finding>,
  } = {},
): Sighting => {
  const [alert] = toAlerts([presignupFinding({ timestamp: iso(minutes), ...finding })]);
  if (alert === undefined) throw new Error('no alert');
  return {
    source,
    detector: alert.detector,
    severity: alert.severity,
    title: alert.title,
    finding: alert.finding,
    occurrences,
    firstSeen: iso(minutes),
    lastSeen: iso(minutes),
    fingerprint,
  };
};

const canarySighting = (minutes: number) =>
  sighting(minutes, {
    source: 'canary',
    finding: {
      detector: 'canary-auth-failed',
      cause: 'incorrect-credentials',
      trigger: undefined,
      dedupKey: CANARY_KEY,
      runbook: 'canary-auth-failed',
    },
  });

/** Opens an incident at `minutes` and marks the page delivered to every sink. */
const opened = (minutes: number, s: Sighting = sighting(minutes)): IncidentRecord => {
  const decision = decideOnSighting(undefined, s, ctx(minutes));
  if (decision.next?.claim === undefined) throw new Error('no claim');
  return completeDelivery(decision.next, decision.next.claim, SINKS, ctx(minutes));
};

describe('decideOnSighting', () => {
  it('pages every sink once for a new incident and claims the delivery', () => {
    const decision = decideOnSighting(undefined, sighting(0, { occurrences: 3 }), ctx(0));
    expect(decision).toMatchObject({
      action: 'trigger',
      reason: 'new incident',
      deliver: { action: 'trigger', sinks: SINKS },
      next: {
        dedupKey: KEY,
        version: 1,
        status: 'open',
        source: 'trigger-logs',
        count: 3,
        episode: 1,
        firstSeen: iso(0),
        lastSeen: iso(0),
        lastDetected: iso(0),
        healthyPasses: 0,
        active: true,
        batches: ['batch-0'],
        claim: { id: 'claim-0', action: 'trigger', sinks: SINKS, episode: 1, until: iso(2) },
        notified: {},
      },
    });
    expect(decision.next?.finding.evidence).toHaveLength(1);
  });

  it('only updates the count and last-seen time when the incident repeats', () => {
    const record = opened(0);
    const decision = decideOnSighting(record, sighting(3, { occurrences: 7 }), ctx(3));
    expect(decision.action).toBe('update');
    expect(decision.deliver).toBeUndefined();
    expect(decision.next).toMatchObject({
      count: 8,
      lastSeen: iso(3),
      lastDetected: iso(3),
      version: record.version + 1,
    });
  });

  it('does not deliver while another invocation’s claim is live', () => {
    const first = decideOnSighting(undefined, sighting(0), ctx(0)).next as IncidentRecord;
    const second = decideOnSighting(first, sighting(0.5), ctx(0.5));
    expect(second).toMatchObject({ action: 'update', reason: 'seen again; a delivery is in flight' });
    expect(second.deliver).toBeUndefined();
    expect(second.next?.claim?.id).toBe('claim-0');
  });

  it('pages again when the claim expired without a delivery (its holder died)', () => {
    const first = decideOnSighting(undefined, sighting(0), ctx(0)).next as IncidentRecord;
    const later = decideOnSighting(first, sighting(3), ctx(3));
    expect(later).toMatchObject({ action: 'trigger', deliver: { action: 'trigger', sinks: SINKS } });
    expect(later.next?.claim?.id).toBe('claim-3');
  });

  it('sends a reminder to every sink once the interval has passed, and not before', () => {
    const record = opened(0);
    const policy = { reminderIntervalMs: 60 * 60_000 };
    expect(decideOnSighting(record, sighting(59), ctx(59, policy)).action).toBe('update');
    expect(decideOnSighting(record, sighting(60), ctx(60, policy))).toMatchObject({
      action: 'remind',
      deliver: { action: 'remind', sinks: SINKS },
    });
    expect(decideOnSighting(record, sighting(600), ctx(600, { reminderIntervalMs: 0 })).action).toBe(
      'update',
    );
  });

  it('pages only the sink that missed the page', () => {
    const decision = decideOnSighting(undefined, sighting(0), ctx(0));
    const next = decision.next as IncidentRecord;
    const partly = completeDelivery(next, next.claim ?? ({} as never), ['sns:alerts'], ctx(0));
    expect(owedTriggerSinks(partly, SINKS)).toEqual(['pagerduty']);
    expect(decideOnSighting(partly, sighting(1), ctx(1))).toMatchObject({
      action: 'trigger',
      deliver: { action: 'trigger', sinks: ['pagerduty'] },
    });
  });

  it('does not count a redelivered batch again, and does not page again', () => {
    const record = opened(0);
    const decision = decideOnSighting(record, sighting(0), ctx(2));
    expect(decision).toEqual({ action: 'nothing', reason: 'batch already counted (redelivery)' });
  });

  it('pages a redelivered batch whose page no sink took', () => {
    const first = decideOnSighting(undefined, sighting(0), ctx(0)).next as IncidentRecord;
    const failed = completeDelivery(first, first.claim ?? ({} as never), [], ctx(0));
    expect(failed.claim).toBeUndefined();
    expect(decideOnSighting(failed, sighting(0), ctx(1))).toMatchObject({
      action: 'trigger',
      reason: 'batch already counted (redelivery); delivery owed',
      deliver: { sinks: SINKS },
      next: { count: 1 },
    });
  });

  it('re-opens a resolved incident as a new episode and pages again', () => {
    const resolved = resolveQuietly(opened(0), 20);
    const decision = decideOnSighting(resolved, sighting(30, { occurrences: 2 }), ctx(30));
    expect(decision).toMatchObject({
      action: 'trigger',
      deliver: { action: 'trigger', sinks: SINKS },
      next: {
        status: 'open',
        episode: 2,
        count: 2,
        firstSeen: iso(30),
        reopenedAt: [iso(30)],
        healthyPasses: 0,
      },
    });
    expect(decision.next).not.toHaveProperty('resolvedAt');
  });

  it('ignores evidence older than what a resolved incident already saw (a late replay)', () => {
    const resolved = resolveQuietly(opened(10), 30);
    expect(decideOnSighting(resolved, sighting(5, { fingerprint: 'other' }), ctx(40))).toEqual({
      action: 'nothing',
      reason: 'evidence older than the resolve',
    });
  });
});

/** Resolves a trigger-log incident by quiet window and marks the resolve delivered. */
const resolveQuietly = (record: IncidentRecord, minutes: number): IncidentRecord => {
  const decision = decideOnHealthyRun(record, { source: 'trigger-logs', passed: [] }, ctx(minutes));
  if (decision.next?.claim === undefined) throw new Error(`not resolved: ${decision.reason}`);
  return completeDelivery(decision.next, decision.next.claim, SINKS, ctx(minutes));
};

describe('decideOnHealthyRun', () => {
  it('keeps a trigger-log incident open within the quiet window', () => {
    expect(decideOnHealthyRun(opened(0), { source: 'trigger-logs', passed: [] }, ctx(14))).toEqual({
      action: 'nothing',
      reason: 'open; within the quiet window',
    });
  });

  it('resolves a trigger-log incident after the quiet window, telling the sinks that were paged', () => {
    const decision = decideOnHealthyRun(opened(0), { source: 'canary', passed: [] }, ctx(15));
    expect(decision).toMatchObject({
      action: 'resolve',
      reason: 'no recurrence for 15 min',
      deliver: { action: 'resolve', sinks: SINKS },
      next: { status: 'resolved', resolvedAt: iso(15), resolution: 'no recurrence for 15 min', active: true },
    });
  });

  it('marks a resolved incident inactive, with a TTL, once every paged sink was told', () => {
    const resolved = resolveQuietly(opened(0), 15);
    expect(resolved).toMatchObject({ status: 'resolved', active: false });
    expect(resolved.expiresAt).toBe(
      Math.floor((at(15).getTime() + DEFAULT_INCIDENT_POLICY.retentionMs) / 1000),
    );
    expect(owedResolveSinks(resolved, SINKS)).toEqual([]);
  });

  it('sends a resolve only to the sinks that got the page', () => {
    const first = decideOnSighting(undefined, sighting(0), ctx(0)).next as IncidentRecord;
    const partly = completeDelivery(first, first.claim ?? ({} as never), ['sns:alerts'], ctx(0));
    const decision = decideOnHealthyRun(partly, { source: 'trigger-logs', passed: [] }, ctx(20));
    expect(decision).toMatchObject({
      action: 'resolve',
      deliver: { action: 'resolve', sinks: ['sns:alerts'] },
    });
  });

  it('resolves an incident no sink was paged for, and still owes every sink its page, then the resolve', () => {
    const first = decideOnSighting(undefined, sighting(0), ctx(0)).next as IncidentRecord;
    const unpaged = completeDelivery(first, first.claim ?? ({} as never), [], ctx(0));
    const decision = decideOnHealthyRun(unpaged, { passed: [] }, ctx(20));
    expect(decision).toMatchObject({
      action: 'resolve',
      reason: 'no recurrence for 15 min',
      deliver: { action: 'trigger', sinks: SINKS },
      next: { status: 'resolved', active: true },
    });
    const paged = completeDelivery(
      decision.next as IncidentRecord,
      decision.next?.claim ?? ({} as never),
      SINKS,
      ctx(21),
    );
    expect(decideOnHealthyRun(paged, { passed: [] }, ctx(22))).toMatchObject({
      action: 'resolve',
      deliver: { action: 'resolve', sinks: SINKS },
    });
  });

  it('gives an owed page up as lost once the give-up time after the resolve has passed', () => {
    const first = decideOnSighting(undefined, sighting(0), ctx(0)).next as IncidentRecord;
    const unpaged = completeDelivery(first, first.claim ?? ({} as never), ['sns:alerts'], ctx(0));
    const resolved = decideOnHealthyRun(unpaged, { passed: [] }, ctx(20));
    const told = completeDelivery(
      resolved.next as IncidentRecord,
      resolved.next?.claim ?? ({} as never),
      ['sns:alerts'],
      ctx(20),
    );
    // 24 h later PagerDuty still has not taken its page.
    const decision = decideOnHealthyRun(told, { passed: [] }, ctx(20 + 24 * 60 + 1));
    expect(decision).toMatchObject({
      action: 'nothing',
      lost: ['pagerduty'],
      next: { active: false, notified: { pagerduty: { action: 'lost', episode: 1 } } },
    });
    expect(decision.deliver).toBeUndefined();
  });

  it('resolves a canary incident after the configured consecutive passes', () => {
    const record = opened(0, canarySighting(0));
    const prefix = `canary-auth-failed:${POOL}:4i2oaatugssocd44d40kb55kni`;
    const first = decideOnHealthyRun(record, { source: 'canary', passed: [prefix] }, ctx(1));
    expect(first).toMatchObject({
      action: 'update',
      reason: 'healthy pass 1 of 2',
      next: { healthyPasses: 1 },
    });
    const second = decideOnHealthyRun(
      first.next as IncidentRecord,
      { source: 'canary', passed: [prefix] },
      ctx(2),
    );
    expect(second).toMatchObject({
      action: 'resolve',
      reason: 'the check passed 2 times in a row',
      deliver: { action: 'resolve', sinks: SINKS },
    });
  });

  it('starts counting passes again after the check fails again', () => {
    const record = opened(0, canarySighting(0));
    const prefix = 'canary-auth-failed:';
    const passed = decideOnHealthyRun(record, { source: 'canary', passed: [prefix] }, ctx(1))
      .next as IncidentRecord;
    const failedAgain = decideOnSighting(passed, canarySighting(2), ctx(2)).next as IncidentRecord;
    expect(failedAgain.healthyPasses).toBe(0);
    expect(decideOnHealthyRun(failedAgain, { source: 'canary', passed: [prefix] }, ctx(3)).action).toBe(
      'update',
    );
  });

  it.each([
    ['a prefix of another check', ['canary-refresh-failed:']],
    ['no passed checks', []],
    ['an empty prefix', ['']],
  ])('does not count %s as a pass', (_name, passed) => {
    expect(
      decideOnHealthyRun(opened(0, canarySighting(0)), { source: 'canary', passed }, ctx(1)).action,
    ).toBe('nothing');
  });

  it('does not resolve a trigger-log incident on canary passes; only the quiet window does', () => {
    expect(
      decideOnHealthyRun(opened(0), { source: 'canary', passed: ['trigger-response-invalid:'] }, ctx(1))
        .action,
    ).toBe('nothing');
  });

  it('delivers a resolve still owed to a sink', () => {
    const record = opened(0);
    const resolving = decideOnHealthyRun(record, { passed: [] }, ctx(15)).next as IncidentRecord;
    const partly = completeDelivery(resolving, resolving.claim ?? ({} as never), ['sns:alerts'], ctx(15));
    expect(decideOnHealthyRun(partly, { passed: [] }, ctx(16))).toMatchObject({
      action: 'resolve',
      deliver: { action: 'resolve', sinks: ['pagerduty'] },
    });
  });
});

describe('flap damping', () => {
  const policy = { flapMaxReopens: 2, flapWindowMs: 60 * 60_000, quietWindowMs: 5 * 60_000 };
  const cycle = (record: IncidentRecord, minutes: number) => {
    const reopened = decideOnSighting(record, sighting(minutes), ctx(minutes, policy));
    const next = reopened.next as IncidentRecord;
    return {
      decision: reopened,
      record: completeDelivery(next, next.claim ?? ({} as never), SINKS, ctx(minutes, policy)),
    };
  };
  const resolve = (record: IncidentRecord, minutes: number) => {
    const decision = decideOnHealthyRun(record, { passed: [] }, ctx(minutes, policy));
    const next = decision.next ?? record;
    return {
      decision,
      record:
        next.claim === undefined ? next : completeDelivery(next, next.claim, SINKS, ctx(minutes, policy)),
    };
  };

  it('holds an incident that keeps re-opening open, so it stops paging, and resolves it once it stays quiet', () => {
    const pages: string[] = ['new'];
    let record = opened(0);
    record = resolve(record, 6).record;
    const first = cycle(record, 7);
    if (first.decision.deliver?.action === 'trigger') pages.push('re-open 1');
    record = resolve(first.record, 13).record;
    const second = cycle(record, 14);
    if (second.decision.deliver?.action === 'trigger') pages.push('re-open 2');
    record = second.record;

    const held = resolve(record, 20);
    expect(held.decision).toMatchObject({
      action: 'update',
      reason: 'held open: flapping (2 re-openings in 1 h)',
    });
    expect(held.record).toMatchObject({ status: 'open', heldOpen: true });
    record = held.record;

    const recurrence = decideOnSighting(record, sighting(25), ctx(25, policy));
    expect(recurrence).toMatchObject({ action: 'update' });
    expect(recurrence.deliver).toBeUndefined();
    record = recurrence.next as IncidentRecord;

    expect(resolve(record, 40).decision.action).toBe('nothing');
    const released = resolve(record, 14 + 60);
    expect(released.decision).toMatchObject({ action: 'resolve', deliver: { action: 'resolve' } });
    expect(released.record).toMatchObject({ status: 'resolved', heldOpen: false, reopenedAt: [] });
    expect(pages).toEqual(['new', 're-open 1', 're-open 2']);
  });
});

describe('completeDelivery', () => {
  it('records the sinks that took the page, releases the claim and notes when it was sent', () => {
    const next = decideOnSighting(undefined, sighting(0), ctx(0)).next as IncidentRecord;
    const done = completeDelivery(next, next.claim ?? ({} as never), ['pagerduty'], ctx(0.1));
    expect(done).toMatchObject({
      version: next.version + 1,
      lastNotified: new Date(T0 + 6_000).toISOString(),
      notified: { pagerduty: { action: 'trigger', at: new Date(T0 + 6_000).toISOString(), episode: 1 } },
    });
    expect(done.claim).toBeUndefined();
    expect(done.notified).not.toHaveProperty('sns:alerts');
  });

  it('keeps a newer claim that belongs to someone else', () => {
    const next = decideOnSighting(undefined, sighting(0), ctx(0)).next as IncidentRecord;
    const other = { ...next, claim: { ...(next.claim ?? ({} as never)), id: 'other' } };
    expect(completeDelivery(other, next.claim ?? ({} as never), SINKS, ctx(0)).claim?.id).toBe('other');
  });
});

describe('acknowledgement (cognito-sentinel ack)', () => {
  const HOUR = { reminderIntervalMs: 60 * 60_000 };
  const acknowledged = (record: IncidentRecord, minutes: number): IncidentRecord => {
    const outcome = acknowledgeIncident(record, 'alice', at(minutes));
    if (outcome.outcome !== 'acknowledged') throw new Error(outcome.outcome);
    return outcome.next;
  };

  it('records who acknowledged which episode and when, as a new version', () => {
    const record = opened(0);
    expect(acknowledged(record, 5)).toMatchObject({
      version: record.version + 1,
      acknowledged: { by: 'alice', at: iso(5), episode: 1 },
    });
    expect(isAcknowledged(acknowledged(record, 5))).toBe(true);
    expect(acknowledgeIncident(acknowledged(record, 5), 'bob', at(6)).outcome).toBe('already-acknowledged');
    expect(acknowledgeIncident(undefined, 'bob', at(6)).outcome).toBe('not-found');
    expect(acknowledgeIncident(resolveQuietly(record, 20), 'bob', at(21)).outcome).toBe('not-open');
  });

  it('sends no reminder while acknowledged, from a run that finds it or from the sweep', () => {
    const record = acknowledged(opened(0), 5);
    expect(decideOnSighting(record, sighting(60), ctx(60, HOUR))).toMatchObject({
      action: 'update',
      reason: 'seen again; acknowledged, so no reminder',
    });
    expect(decideOnSighting(record, sighting(60), ctx(60, HOUR)).deliver).toBeUndefined();
    const canary = acknowledged(opened(0, canarySighting(0)), 5);
    expect(decideOnHealthyRun(canary, { passed: [] }, ctx(60, HOUR))).toEqual({
      action: 'nothing',
      reason: 'open; acknowledged, so no reminder',
    });
    // Without the acknowledgement the same runs remind.
    expect(decideOnHealthyRun(opened(0, canarySighting(0)), { passed: [] }, ctx(60, HOUR)).action).toBe(
      'remind',
    );
  });

  it('still delivers a page owed to a sink that missed it', () => {
    const decision = decideOnSighting(undefined, sighting(0), ctx(0));
    if (decision.next?.claim === undefined) throw new Error('no claim');
    const partly = completeDelivery(decision.next, decision.next.claim, ['sns:alerts'], ctx(0));
    const record = acknowledged(partly, 5);
    expect(decideOnSighting(record, sighting(10), ctx(10, HOUR)).deliver).toEqual({
      action: 'trigger',
      sinks: ['pagerduty'],
    });
  });

  it('is cleared by a resolve, and a re-opening pages and reminds again', () => {
    const resolved = resolveQuietly(acknowledged(opened(0), 5), 20);
    expect(resolved.status).toBe('resolved');
    expect(resolved).not.toHaveProperty('acknowledged');
    const reopened = decideOnSighting(resolved, sighting(30), ctx(30, HOUR));
    expect(reopened).toMatchObject({ action: 'trigger', next: { episode: 2 } });
    expect(reopened.next).not.toHaveProperty('acknowledged');
  });

  it('does not hold back the reminders of a later episode', () => {
    // A stale acknowledgement (of episode 1) left on an episode-2 record is not honoured.
    const first = opened(0);
    const record: IncidentRecord = {
      ...first,
      episode: 2,
      notified: Object.fromEntries(
        Object.entries(first.notified).map(([sink, notice]) => [sink, { ...notice, episode: 2 }]),
      ),
      acknowledged: { by: 'alice', at: iso(5), episode: 1 },
    };
    expect(isAcknowledged(record)).toBe(false);
    expect(decideOnSighting(record, sighting(60), ctx(60, HOUR)).action).toBe('remind');
  });
});
