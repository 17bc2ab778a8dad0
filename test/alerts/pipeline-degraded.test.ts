/**
 * The alert pipeline when time passes and destinations stay down: owed pages outliving the resolve
 * (PagerDuty down longer than the quiet window), flap damping on a 17-minute recurrence, reminders
 * from the sweep, and bounded dedup keys. Simulated time; the PagerDuty stand-in is real HTTP.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryIncidentStore } from '../../alerts/incident-store';
import { type AlertMetricName, createAlertPipeline } from '../../alerts/pipeline';
import type { CheckReport } from '../../alerts/types';
import { MAX_DEDUP_KEY_CHARS } from '../../detectors/types';
import { startPagerDutyServerForFile } from '../support/pagerduty-server';
import { POOL } from './findings';
import {
  at,
  fastPagerDutySink,
  logsReport,
  recordingLogger,
  recordingSink,
  SEED_DEDUP_KEY,
  seedAt,
} from './support';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const pd = await startPagerDutyServerForFile();
beforeEach(() => pd.reset());

const build = () => {
  const email = recordingSink('sns:alerts');
  const store = createMemoryIncidentStore();
  const { logger, lines } = recordingLogger();
  const counted: Partial<Record<AlertMetricName, number>> = {};
  const pipeline = createAlertPipeline({
    store,
    sinks: [fastPagerDutySink(pd.endpoint, { maxBackoffMs: 40 }), email],
    logger,
    metrics: { count: (name, value) => (counted[name] = (counted[name] ?? 0) + value) },
  });
  return { pipeline, email, store, lines, counted };
};

/** Runs the sweep every 5 simulated minutes in [from, to]; a sweep that reaches no sink is what Lambda would retry. */
const sweepEvery5 = async (pipeline: ReturnType<typeof build>['pipeline'], from: number, to: number) => {
  for (let t = from; t <= to; t += 5 * MINUTE) await pipeline.sweep(at(t)).catch(() => undefined);
};

describe('a page owed to a destination outlives the resolve', () => {
  it('PagerDuty down longer than the quiet window gets the trigger, then the resolve, once it is back', async () => {
    const { pipeline, email, store } = build();
    pd.mode = '500';
    await pipeline.handle(logsReport([seedAt(0)], 1_000));
    expect(email.actions()).toEqual(['trigger']);
    // 40 minutes of sweeps while PagerDuty keeps failing: the incident resolves after its quiet window.
    await sweepEvery5(pipeline, 5 * MINUTE, 40 * MINUTE);
    expect(email.actions()).toEqual(['trigger', 'resolve']);
    expect((await store.get(SEED_DEDUP_KEY))?.status).toBe('resolved');
    expect((await store.get(SEED_DEDUP_KEY))?.active).toBe(true);
    expect(pd.accepted()).toEqual([]);

    pd.mode = '202';
    await pipeline.sweep(at(45 * MINUTE));
    expect(pd.accepted().map((event) => event.event_action)).toEqual(['trigger', 'resolve']);
    expect(pd.alerts.get(SEED_DEDUP_KEY)).toMatchObject({ status: 'resolved' });
    expect((await store.get(SEED_DEDUP_KEY))?.active).toBe(false);
    await pipeline.sweep(at(50 * MINUTE));
    expect(pd.accepted()).toHaveLength(2);
    expect(email.actions()).toEqual(['trigger', 'resolve']);
  });

  it('PagerDuty refusing for longer than the give-up time: nothing reaches it, and the loss is logged and counted', async () => {
    const { pipeline, lines, counted, store } = build();
    pd.mode = '500';
    await pipeline.handle(logsReport([seedAt(0)], 1_000));
    await sweepEvery5(pipeline, 5 * MINUTE, 30 * MINUTE);
    // The day after: PagerDuty is back, but the page is too old to deliver.
    pd.mode = '202';
    await pipeline.sweep(at(25 * HOUR));
    expect(pd.accepted()).toEqual([]);
    expect(counted.PageLost).toBe(1);
    expect(counted.AlertPathDegraded).toBe(1);
    expect(lines.find((line) => line.message.startsWith('Page lost'))).toMatchObject({
      level: 'error',
      extra: [expect.objectContaining({ dedupKey: SEED_DEDUP_KEY, sinks: ['pagerduty'] })],
    });
    expect(await store.get(SEED_DEDUP_KEY)).toMatchObject({
      active: false,
      notified: { pagerduty: { action: 'lost' }, 'sns:alerts': { action: 'resolve' } },
    });
  });
});

describe('flap damping', () => {
  it('a 17-minute recurrence for 101 minutes pages 4 times and resolves 3 times, then stays held a whole flap window after its last re-opening', async () => {
    const { pipeline, email } = build();
    const recurrences = [0, 17, 34, 51, 68, 85];
    // A log batch at each recurrence and the sweep every minute, as a busy deployment sees it.
    for (let minute = 0; minute <= 101; minute += 1) {
      if (recurrences.includes(minute))
        await pipeline.handle(logsReport([seedAt(minute * MINUTE)], minute * MINUTE + 1_000));
      if (minute > 0) await pipeline.sweep(at(minute * MINUTE + 2_000));
    }
    // Before the fix: 5 triggers and 5 resolves in these 101 minutes.
    expect(email.actions().filter((action) => action === 'trigger')).toHaveLength(4);
    expect(email.actions().filter((action) => action === 'resolve')).toHaveLength(3);
    expect(pd.accepted('trigger')).toHaveLength(4);

    // Last re-opening at minute 51: held until minute 111 at least, and resolved once quiet after that.
    for (let minute = 102; minute <= 130; minute += 1) {
      await pipeline.sweep(at(minute * MINUTE + 2_000));
      if (minute < 111) expect(email.actions().at(-1)).toBe('trigger');
    }
    const finalResolve = email.sent.at(-1);
    expect(finalResolve?.action).toBe('resolve');
    expect(Date.parse(finalResolve?.incident?.resolvedAt ?? '')).toBeGreaterThanOrEqual(
      at(111 * MINUTE).getTime(),
    );
    expect(email.actions().filter((action) => action === 'trigger')).toHaveLength(4);
  });
});

describe('reminders', () => {
  it('the sweep reminds about an incident still failing, not only a batch that finds it', async () => {
    const { pipeline, email } = build();
    const canary = (nowMs: number): CheckReport => ({
      source: 'canary',
      findings: [
        seedAt(nowMs, {
          detector: 'canary-auth-failed',
          dedupKey: `canary-auth-failed:${POOL}:abc:user-disabled`,
        }),
      ],
      passed: [],
      now: at(nowMs),
    });
    await pipeline.handle(canary(0));
    // The canary keeps failing, but its function is the only one that finds it; the sweep runs alone 4 h later.
    await pipeline.sweep(at(4 * HOUR + MINUTE));
    expect(email.actions()).toEqual(['trigger', 'remind']);
    expect(pd.accepted('trigger')).toHaveLength(2);
    await pipeline.sweep(at(4 * HOUR + 6 * MINUTE));
    expect(email.actions()).toEqual(['trigger', 'remind']);
  });

  it('the sweep does not remind about a trigger-log incident once it went quiet (it resolves instead)', async () => {
    const { pipeline, email } = build();
    await pipeline.handle(logsReport([seedAt(0)], 1_000));
    await pipeline.sweep(at(4 * HOUR + MINUTE));
    expect(email.actions()).toEqual(['trigger', 'resolve']);
  });
});

describe('dedup keys', () => {
  it('a 3,000-character key pages once under a bounded key, updates the same incident, and resolves', async () => {
    const { pipeline, email, store } = build();
    const long = `trigger-error:${POOL}:PreSignUp:${'session:{'.repeat(334)}`;
    await pipeline.handle(logsReport([seedAt(0, { dedupKey: long })], 1_000));
    await pipeline.handle(logsReport([seedAt(MINUTE, { dedupKey: long })], MINUTE + 1_000));
    const [key] = await store.listActive();
    expect(key?.length).toBeLessThanOrEqual(MAX_DEDUP_KEY_CHARS);
    expect(key?.startsWith(`trigger-error:${POOL}:PreSignUp:session:{`)).toBe(true);
    expect(await store.get(key ?? '')).toMatchObject({ count: 2 });
    expect(pd.accepted('trigger')).toHaveLength(1);
    expect(pd.accepted('trigger')[0]?.dedup_key).toBe(key);
    await pipeline.sweep(at(20 * MINUTE));
    expect(email.actions()).toEqual(['trigger', 'resolve']);
  });
});
