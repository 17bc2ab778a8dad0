import { describe, expect, it } from 'vitest';
import { createMemoryIncidentStore } from '../../alerts/incident-store';
import { createAlertPipeline } from '../../alerts/pipeline';
import {
  createMemorySilenceStore,
  createSilenceLookup,
  matchSilence,
  type Silence,
  toWindowSilences,
} from '../../alerts/silences';
import { parseAlertsConfig } from '../../config/alerts-config';
import { POOL } from './findings';
import { at, logsReport, recordingLogger, recordingSink, seedAt } from './support';

const HOUR = 3_600_000;
const silence = (overrides: Partial<Silence> = {}): Silence => ({
  id: 's-1',
  userPoolId: POOL,
  startsAt: at(0).toISOString(),
  endsAt: at(2 * HOUR).toISOString(),
  reason: 'planned change',
  createdBy: 'alice',
  createdAt: at(0).toISOString(),
  ...overrides,
});
const finding = { userPoolId: POOL, clientId: 'client-a', detector: 'trigger-error' } as const;

describe('matchSilence', () => {
  it.each([
    ['the pool', {}, true],
    ['the pool and detector', { detector: 'trigger-error' }, true],
    ['another detector', { detector: 'trigger-slow' }, false],
    ['another client', { clientId: 'client-b' }, false],
    ['another pool', { userPoolId: 'us-east-1_Other' }, false],
    ['a silence ended early', { endedAt: at(HOUR - 1).toISOString() }, false],
    ['a silence not started yet', { startsAt: at(HOUR + 1).toISOString() }, false],
  ] as const)('matching %s: %s', (_name, overrides, matches) => {
    expect(matchSilence([silence(overrides)], finding, at(HOUR)) !== undefined).toBe(matches);
  });

  it('never matches a finding that names no pool (the monitor about itself)', () => {
    expect(matchSilence([silence()], { detector: 'trigger-error' }, at(HOUR))).toBeUndefined();
  });
});

describe('toWindowSilences', () => {
  // 2024-06-03 (T0) is a Monday.
  const window =
    parseAlertsConfig({
      maintenanceWindows: [
        {
          name: 'deploy',
          pools: [POOL],
          days: ['mon'],
          start: '23:30',
          durationMinutes: 60,
          reason: 'weekly deploy',
        },
      ],
    }).maintenanceWindows ?? [];

  it.each([
    ['2024-06-03T23:29:59Z', false],
    ['2024-06-03T23:30:00Z', true],
    ['2024-06-04T00:29:59Z', true],
    ['2024-06-04T00:30:00Z', false],
    ['2024-06-10T23:45:00Z', true],
    ['2024-06-05T23:45:00Z', false],
  ])('at %s the window is open: %s', (now, open) => {
    const silences = toWindowSilences(window, new Date(now));
    expect(silences.length > 0).toBe(open);
    if (open)
      expect(silences[0]).toMatchObject({
        userPoolId: POOL,
        reason: 'weekly deploy',
        id: expect.stringMatching(/^window:deploy:/),
      });
  });

  it.each([
    [{ start: '24:00' }, /start/],
    [{ days: ['someday'] }, /days/],
    [{ pools: [] }, /pools/],
    [{ durationMinutes: 0 }, /durationMinutes/],
  ])('refuses a malformed window %j', (overrides, key) => {
    const base = { name: 'w', pools: [POOL], days: ['mon'], start: '01:00', durationMinutes: 5, reason: 'r' };
    expect(() => parseAlertsConfig({ maintenanceWindows: [{ ...base, ...overrides }] })).toThrow(key);
  });
});

describe('the pipeline with silences (memory store)', () => {
  it('holds a reminder while silenced and sends it once the silence is over', async () => {
    const sink = recordingSink('sns');
    const silences = createMemorySilenceStore();
    const pipeline = createAlertPipeline({
      store: createMemoryIncidentStore(),
      sinks: [sink],
      logger: recordingLogger().logger,
      policy: { reminderIntervalMs: HOUR, quietWindowMs: 24 * HOUR },
      silences: createSilenceLookup(silences),
    });
    await pipeline.handle({ source: 'trigger-logs', findings: [seedAt(0)], passed: [], now: at(0) });
    await silences.add(silence({ startsAt: at(HOUR / 2).toISOString(), endsAt: at(3 * HOUR).toISOString() }));
    await pipeline.handle(logsReport([seedAt(2 * HOUR)], 2 * HOUR));
    expect(sink.actions()).toEqual(['trigger']);
    await pipeline.sweep(at(3 * HOUR));
    expect(sink.actions()).toEqual(['trigger', 'remind']);
    expect(sink.sent[1]?.report).toContain('1 page was held by silence s-1 (set by alice: planned change)');
  });

  it('pages when the silences cannot be read (fails loud, not quiet)', async () => {
    const sink = recordingSink('sns');
    const { logger, lines } = recordingLogger();
    const pipeline = createAlertPipeline({
      store: createMemoryIncidentStore(),
      sinks: [sink],
      logger,
      silences: async () => {
        throw new Error('table unreachable');
      },
    });
    await pipeline.handle({ source: 'trigger-logs', findings: [seedAt(0)], passed: [], now: at(0) });
    expect(sink.actions()).toEqual(['trigger']);
    expect(lines.some((line) => line.message.startsWith('Could not read silences'))).toBe(true);
  });
});
