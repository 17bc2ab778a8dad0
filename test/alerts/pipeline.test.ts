import { beforeEach, describe, expect, it } from 'vitest';
import { AlertDeliveryError, IncidentStoreError } from '../../alerts/errors';
import { createMemoryIncidentStore, type IncidentStore } from '../../alerts/incident-store';
import { type AlertPipelineOptions, createAlertPipeline, toBatchFingerprint } from '../../alerts/pipeline';
import { ConfigError } from '../../runtime/errors';
import { startPagerDutyServerForFile } from '../support/pagerduty-server';
import { POOL, presignupFinding } from './findings';
import {
  at,
  fastPagerDutySink,
  logsReport,
  type RecordingSink,
  recordingLogger,
  recordingSink,
  SEED_DEDUP_KEY,
  seedAt,
} from './support';

const SECOND = 1_000;
const MINUTE = 60_000;

const pd = await startPagerDutyServerForFile();
beforeEach(() => pd.reset());

const pagerDuty = () => fastPagerDutySink(pd.endpoint, { maxBackoffMs: 40 });

const build = (
  options: Partial<AlertPipelineOptions> & { email?: RecordingSink } = {},
): {
  pipeline: ReturnType<typeof createAlertPipeline>;
  email: RecordingSink;
  store: IncidentStore;
  lines: ReturnType<typeof recordingLogger>['lines'];
} => {
  const email = options.email ?? recordingSink('sns:alerts');
  const store = options.store ?? createMemoryIncidentStore();
  const { logger, lines } = recordingLogger();
  const pipeline = createAlertPipeline({
    store,
    sinks: [pagerDuty(), email],
    logger,
    newId: (() => {
      let id = 0;
      return () => {
        id += 1;
        return `claim-${id}`;
      };
    })(),
    ...options,
  });
  return { pipeline, email, store, lines };
};

describe('one page per incident', () => {
  it('turns 1,000 identical findings over ten minutes into exactly one trigger, then exactly one resolve', async () => {
    const { pipeline, email, store } = build();
    // 100 batches, 6 s apart, of 10 findings each: ten minutes of a broken PreSignUp.
    for (let batch = 0; batch < 100; batch += 1) {
      const findings = Array.from({ length: 10 }, (_, i) => seedAt(batch * 6 * SECOND + i * 100));
      await pipeline.handle(logsReport(findings, batch * 6 * SECOND + 2 * SECOND));
    }
    expect(pd.accepted('trigger')).toHaveLength(1);
    expect(email.actions()).toEqual(['trigger']);
    expect(await store.get(SEED_DEDUP_KEY)).toMatchObject({ status: 'open', count: 1_000, episode: 1 });

    // Healthy again: nothing for the quiet window (15 min), then one resolve; later runs stay quiet.
    const lastBatch = 99 * 6 * SECOND + 2 * SECOND;
    await pipeline.sweep(at(lastBatch + 14 * MINUTE));
    expect(pd.accepted('resolve')).toHaveLength(0);
    const resolved = await pipeline.sweep(at(lastBatch + 15 * MINUTE));
    await pipeline.sweep(at(lastBatch + 16 * MINUTE));
    await pipeline.sweep(at(lastBatch + 30 * MINUTE));

    expect(pd.accepted('resolve')).toHaveLength(1);
    expect(pd.alerts.get(SEED_DEDUP_KEY)).toMatchObject({
      status: 'resolved',
      triggers: 1,
      opened: 1,
      resolves: 1,
    });
    expect(email.actions()).toEqual(['trigger', 'resolve']);
    expect(resolved.incidents).toEqual([
      { dedupKey: SEED_DEDUP_KEY, action: 'resolve', reason: 'no recurrence for 15 min' },
    ]);
    expect(await store.get(SEED_DEDUP_KEY)).toMatchObject({ status: 'resolved', active: false });
  });

  it('says since when and how often in the page, and why in the resolve', async () => {
    const { pipeline, email } = build({ policy: { reminderIntervalMs: 10 * MINUTE } });
    await pipeline.handle(logsReport([seedAt(0), seedAt(SECOND)], 2 * SECOND));
    for (let minute = 1; minute <= 10; minute += 1)
      await pipeline.handle(logsReport([seedAt(minute * MINUTE)], minute * MINUTE + 3 * SECOND));
    await pipeline.sweep(at(30 * MINUTE));
    const [page, reminder, resolve] = email.sent;
    expect(email.actions()).toEqual(['trigger', 'remind', 'resolve']);
    expect(page?.report).toContain(`New incident ${SEED_DEDUP_KEY} (detector trigger-response-invalid)`);
    expect(page?.report).toContain(
      `First seen ${at(0).toISOString()}, last seen ${at(SECOND).toISOString()}; seen 2 times so far.`,
    );
    expect(reminder?.report).toContain(`Still open: incident ${SEED_DEDUP_KEY}`);
    expect(reminder?.report).toContain('seen 12 times (1 in the latest run) so far');
    expect(reminder?.report).toContain(`Last paged at ${at(2 * SECOND).toISOString()}.`);
    expect(resolve?.report.split('\n').slice(0, 2)).toEqual([
      'RESOLVED: PreSignUp returned autoConfirmUser as a string ("true"), Cognito expects a boolean',
      `Incident ${SEED_DEDUP_KEY} (detector trigger-response-invalid) resolved at ${at(30 * MINUTE).toISOString()}: no recurrence for 15 min.`,
    ]);
    expect(resolve?.report).toContain(
      `Open from ${at(0).toISOString()} to ${at(30 * MINUTE).toISOString()} (30 min); seen 12 times, last at ${at(10 * MINUTE).toISOString()}.`,
    );
  });

  it('never pages twice for a redelivered batch', async () => {
    const { pipeline, email, store } = build();
    const batch = logsReport([seedAt(0), seedAt(100)], SECOND);
    await pipeline.handle(batch);
    await pipeline.handle({ ...batch, now: at(70 * SECOND) });
    expect(pd.accepted('trigger')).toHaveLength(1);
    expect(email.sent).toHaveLength(1);
    expect((await store.get(SEED_DEDUP_KEY))?.count).toBe(2);
  });

  it('pages once when two invocations handle a new incident at the same moment', async () => {
    const store = createMemoryIncidentStore();
    const email = recordingSink('sns:alerts');
    const first = build({ store, email }).pipeline;
    const second = build({ store, email }).pipeline;
    await Promise.all([
      first.handle(logsReport([seedAt(0)], SECOND)),
      second.handle(logsReport([seedAt(500)], SECOND)),
    ]);
    expect(pd.accepted('trigger')).toHaveLength(1);
    expect(email.sent).toHaveLength(1);
    expect((await store.get(SEED_DEDUP_KEY))?.count).toBe(2);
  });

  it('resolves a canary incident after the configured number of passing runs', async () => {
    const { pipeline, email } = build({ policy: { passesToResolve: 3 } });
    const canaryKey = `canary-auth-failed:${POOL}:4i2oaatugssocd44d40kb55kni:user-disabled`;
    const finding = presignupFinding({
      detector: 'canary-auth-failed',
      cause: 'user-disabled',
      trigger: undefined,
      dedupKey: canaryKey,
      runbook: 'canary-auth-failed',
      timestamp: at(0).toISOString(),
    });
    const passed = [`canary-auth-failed:${POOL}:4i2oaatugssocd44d40kb55kni`];
    await pipeline.handle({ source: 'canary', findings: [finding], passed: [], now: at(0) });
    for (let run = 1; run <= 5; run += 1)
      await pipeline.handle({ source: 'canary', findings: [], passed, now: at(run * MINUTE) });
    expect(email.actions()).toEqual(['trigger', 'resolve']);
    expect(email.sent[1]?.report).toContain('the check passed 3 times in a row');
    expect(pd.alerts.get(canaryKey)).toMatchObject({ status: 'resolved', triggers: 1 });
  });

  it('truncates a 5,000-character title for PagerDuty, which accepts it', async () => {
    const { pipeline, email } = build();
    const title = `PreSignUp returned autoConfirmUser as a string, ${'and more detail '.repeat(310)}`;
    expect(title.length).toBeGreaterThanOrEqual(5_000);
    await pipeline.handle(logsReport([seedAt(0, { title })], SECOND));
    const [event] = pd.accepted('trigger');
    expect(((event?.payload as { summary: string } | undefined)?.summary ?? '').length).toBeLessThanOrEqual(
      1024,
    );
    expect(email.sent[0]?.title).toBe(title.trim());
  });
});

describe('nothing lost', () => {
  it('PagerDuty down then up: the retry of the invocation pages, exactly one trigger reaches PagerDuty', async () => {
    const { logger } = recordingLogger();
    const store = createMemoryIncidentStore();
    const pipeline = createAlertPipeline({ store, sinks: [pagerDuty()], logger });
    pd.mode = '500';
    const batch = logsReport([seedAt(0)], SECOND);
    const error = await pipeline.handle(batch).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AlertDeliveryError);
    expect(pd.accepted()).toEqual([]);
    expect(await store.get(SEED_DEDUP_KEY)).toMatchObject({ notified: {}, status: 'open' });
    expect((await store.get(SEED_DEDUP_KEY))?.claim).toBeUndefined();

    pd.mode = '202';
    // Lambda retries the same event a minute later.
    const report = await pipeline.handle({ ...batch, now: at(61 * SECOND) });
    expect(report.delivered).toEqual([{ sink: 'pagerduty', dedupKey: SEED_DEDUP_KEY, action: 'trigger' }]);
    await pipeline.handle(logsReport([seedAt(2 * MINUTE)], 2 * MINUTE + SECOND));
    expect(pd.accepted('trigger')).toHaveLength(1);
  });

  it('PagerDuty down while email works: email pages now, PagerDuty gets the page on the next run', async () => {
    const { pipeline, email, lines } = build();
    pd.mode = '500';
    const first = await pipeline.handle(logsReport([seedAt(0)], SECOND));
    expect(first.failed.map((failure) => failure.sink)).toEqual(['pagerduty']);
    expect(email.actions()).toEqual(['trigger']);
    expect(lines.some((line) => line.level === 'warn' && line.message.startsWith('Some sinks failed'))).toBe(
      true,
    );

    pd.mode = '202';
    await pipeline.sweep(at(2 * MINUTE));
    await pipeline.handle(logsReport([seedAt(3 * MINUTE)], 3 * MINUTE));
    expect(pd.accepted('trigger')).toHaveLength(1);
    expect(email.actions()).toEqual(['trigger']);
  });

  it('SNS and PagerDuty both down: the invocation fails naming both, and a later retry pages each once', async () => {
    const { pipeline, email, store } = build();
    pd.mode = '500';
    email.down = true;
    const batch = logsReport([seedAt(0)], SECOND);
    const error = (await pipeline.handle(batch).catch((caught: unknown) => caught)) as AlertDeliveryError;
    expect(error).toBeInstanceOf(AlertDeliveryError);
    expect(error.message).toContain(`No sink delivered 1 alert: alert ${SEED_DEDUP_KEY}`);
    expect(error.message).toMatch(/pagerduty: AlertSinkError: .*HTTP 500/);
    expect(error.message).toContain('sns:alerts: sns:alerts is down');
    expect((await store.get(SEED_DEDUP_KEY))?.notified).toEqual({});

    pd.mode = '202';
    email.down = false;
    await pipeline.handle({ ...batch, now: at(MINUTE) });
    await pipeline.handle({ ...batch, now: at(3 * MINUTE) });
    expect(pd.accepted('trigger')).toHaveLength(1);
    expect(email.actions()).toEqual(['trigger']);
  });

  it('fails the sweep when an owed resolve reaches no sink, and delivers it on the next sweep', async () => {
    const { pipeline, email } = build();
    await pipeline.handle(logsReport([seedAt(0)], SECOND));
    pd.mode = '500';
    email.down = true;
    await expect(pipeline.sweep(at(20 * MINUTE))).rejects.toBeInstanceOf(AlertDeliveryError);
    pd.mode = '202';
    email.down = false;
    await pipeline.sweep(at(25 * MINUTE));
    await pipeline.sweep(at(30 * MINUTE));
    expect(pd.accepted('resolve')).toHaveLength(1);
    expect(email.actions()).toEqual(['trigger', 'resolve']);
  });

  it('pages without deduplication when the incident store is down, once per incident', async () => {
    const broken: IncidentStore = {
      kind: 'broken',
      get: async () => {
        throw new IncidentStoreError('Incident table t: GetItem failed: ServiceUnavailable');
      },
      put: async () => false,
      listActive: async () => {
        throw new IncidentStoreError('Incident table t: Query failed: ServiceUnavailable');
      },
    };
    const { pipeline, email, lines } = build({ store: broken });
    const first = await pipeline.handle(logsReport([seedAt(0)], SECOND));
    await pipeline.handle(logsReport([seedAt(MINUTE)], MINUTE + SECOND));
    expect(first.incidents).toEqual([
      { dedupKey: SEED_DEDUP_KEY, action: 'trigger', reason: 'store unavailable; paged without state' },
    ]);
    expect(email.sent).toHaveLength(1);
    expect(pd.accepted('trigger')).toHaveLength(1);
    expect(
      lines.filter((line) => line.message.startsWith('Incident store unavailable; paging without it')),
    ).toHaveLength(2);
  });
});

describe('wiring', () => {
  it('refuses to start without sinks, or with two sinks of the same name', () => {
    const store = createMemoryIncidentStore();
    expect(() => createAlertPipeline({ store, sinks: [] })).toThrow(ConfigError);
    expect(() => createAlertPipeline({ store, sinks: [recordingSink('a'), recordingSink('a')] })).toThrow(
      /Sink names must be unique/,
    );
  });

  it('logs the start-up warning once, on the first call', async () => {
    const { pipeline, lines } = build({ startupWarning: 'No incident table configured' });
    await pipeline.handle(logsReport([], SECOND));
    await pipeline.handle(logsReport([], 2 * SECOND));
    expect(lines.filter((line) => line.level === 'warn').map((line) => line.message)).toEqual([
      'No incident table configured',
    ]);
  });

  it('adds recent changes to the page, and pages anyway when the lookup fails', async () => {
    const withChanges = build({
      recentChanges: async (finding) => [`${finding.functionName} version 42 published 2024-06-03T09:30:02Z`],
    });
    await withChanges.pipeline.handle(logsReport([seedAt(0)], SECOND));
    expect(withChanges.email.sent[0]?.recentChanges).toEqual([
      'shop-presignup version 42 published 2024-06-03T09:30:02Z',
    ]);
    expect(withChanges.email.sent[0]?.report).toContain(
      'Recent changes\n  - shop-presignup version 42 published 2024-06-03T09:30:02Z',
    );

    pd.reset();
    const failing = build({
      recentChanges: async () => {
        throw new Error('AccessDeniedException: lambda:ListVersionsByFunction');
      },
    });
    await failing.pipeline.handle(logsReport([seedAt(0)], SECOND));
    expect(failing.email.sent).toHaveLength(1);
    expect(failing.lines.some((line) => line.message.startsWith('Recent-changes lookup failed'))).toBe(true);
  });

  it('fingerprints a batch by its log events, not their content, and not at all without identities', () => {
    const a = seedAt(0);
    expect(toBatchFingerprint([a, seedAt(1)])).toBe(toBatchFingerprint([seedAt(1), a]));
    expect(toBatchFingerprint([a])).toBe(toBatchFingerprint([{ ...a, evidence: ['other'] }]));
    expect(toBatchFingerprint([a])).not.toBe(toBatchFingerprint([seedAt(2)]));
    expect(
      toBatchFingerprint([{ ...a, timestamp: undefined, requestId: undefined, logStream: undefined }]),
    ).toBeUndefined();
  });
});
