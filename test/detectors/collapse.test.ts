import { describe, expect, it, vi } from 'vitest';
import { createFindingCollector, type FindingHead, MAX_COLLAPSED_EXCERPTS } from '../../detectors/collapse';

const head = (minute: number, overrides: Partial<FindingHead> = {}): FindingHead => ({
  detector: 'trigger-error',
  severity: 'critical',
  title: 'PreSignUp trigger shop-presignup threw (TypeError)',
  logGroup: '/aws/lambda/shop-presignup',
  timestamp: new Date(Date.UTC(2026, 0, 1, 9, minute)).toISOString(),
  requestId: `request-${minute}`,
  dedupKey: 'trigger-error:us-east-1_Sh0pP00l:PreSignUp:TypeError',
  runbook: 'trigger-error',
  ...overrides,
});

describe('createFindingCollector', () => {
  it('keeps every finding as it is without collapse', () => {
    const collector = createFindingCollector(false);
    collector.add(head(0), () => ['a']);
    collector.add(head(1), () => ['b']);
    expect(collector.findings()).toEqual([
      { ...head(0), evidence: ['a'] },
      { ...head(1), evidence: ['b'] },
    ]);
  });

  it('collapses 600 identical findings into one, building evidence for the first few only', () => {
    const collector = createFindingCollector(true);
    let built = 0;
    // Out of order on purpose: first and last seen are times, not arrival order.
    for (const minute of [7, ...Array.from({ length: 598 }, (_, i) => 8 + (i % 40)), 2]) {
      collector.add(head(minute), () => {
        built += 1;
        return ['TypeError: x is undefined', `line of minute ${minute}`];
      });
    }
    expect(built).toBe(MAX_COLLAPSED_EXCERPTS);
    const [finding, ...rest] = collector.findings();
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      requestId: 'request-7',
      occurrences: 600,
      firstSeen: head(2).timestamp,
      lastSeen: head(47).timestamp,
      evidence: ['TypeError: x is undefined', 'line of minute 7', 'line of minute 8', 'line of minute 9'],
    });
  });

  it('counts a repeat as add would, without its head, and only for a finding it already holds', () => {
    const byAdd = createFindingCollector(true);
    const byRepeat = createFindingCollector(true);
    const minutes = [7, 3, 9, 1, 12];
    let built = 0;
    expect(byRepeat.repeat(head(0).dedupKey, 'critical', head(0).title, head(0).timestamp, () => [])).toBe(
      false,
    );
    for (const minute of minutes) {
      const evidence = () => {
        built += 1;
        return [`line of minute ${minute}`];
      };
      byAdd.add(head(minute), evidence);
      const { dedupKey, severity, title, timestamp } = head(minute);
      if (!byRepeat.repeat(dedupKey, severity, title, timestamp, evidence))
        byRepeat.add(head(minute), evidence);
    }
    expect(byRepeat.findings()).toEqual(byAdd.findings());
    expect(built).toBe(2 * MAX_COLLAPSED_EXCERPTS);
    // Another title is another finding: no repeat.
    expect(byRepeat.repeat(head(0).dedupKey, 'critical', 'other', undefined, () => [])).toBe(false);
    expect(
      createFindingCollector(false).repeat(head(0).dedupKey, 'critical', head(0).title, undefined, () => []),
    ).toBe(false);
  });

  it('counts a run of repeats of one finding without looking its dedup key up again', () => {
    const collector = createFindingCollector(true);
    const { dedupKey, severity, title } = head(0);
    collector.add(head(0), () => ['a']);
    collector.add(head(1, { title: 'other' }), () => ['b']);
    const get = vi.spyOn(Map.prototype, 'get');
    for (let minute = 2; minute < 100; minute++)
      expect(collector.repeat(dedupKey, severity, title, head(minute).timestamp, () => [])).toBe(true);
    const lookups = get.mock.calls.length;
    vi.restoreAllMocks();
    // One look-up to find the entry (the last one held the other title), none for the 97 that follow.
    expect(lookups).toBe(1);
    expect(collector.findings().map(({ title: found, occurrences }) => [found, occurrences])).toEqual([
      [title, 99],
      ['other', undefined],
    ]);
  });

  it('keeps findings apart when the dedup key, severity or title differ, and leaves a single one unchanged', () => {
    const collector = createFindingCollector(true);
    collector.add(head(0), () => ['a']);
    collector.add(head(1, { severity: 'warning' }), () => ['b']);
    collector.add(head(2, { title: 'other' }), () => ['c']);
    collector.add(head(3, { dedupKey: 'other' }), () => ['d']);
    collector.add(head(4), () => ['e']);
    const findings = collector.findings();
    expect(findings.map((finding) => finding.occurrences)).toEqual([2, undefined, undefined, undefined]);
    expect(findings[1]).toEqual({ ...head(1, { severity: 'warning' }), evidence: ['b'] });
  });
});

describe('createFindingCollector first and last seen', () => {
  it('orders canonical ISO times without parsing them, and other forms by their time', () => {
    const parse = vi.spyOn(Date, 'parse');
    try {
      const collector = createFindingCollector(true);
      for (const minute of [5, 3, 9, 4]) collector.add(head(minute), () => ['a']);
      expect(parse).not.toHaveBeenCalled();
      // Without milliseconds (not canonical): compared by time, so 09:01 is first and 09:10 last.
      collector.add(head(0, { timestamp: '2026-01-01T09:01:00Z' }), () => ['a']);
      collector.add(head(0, { timestamp: '2026-01-01T09:10:00+00:00' }), () => ['a']);
      // Unreadable times never move first or last seen.
      collector.add(head(0, { timestamp: 'yesterday' }), () => ['a']);
      expect(collector.findings()[0]).toMatchObject({
        occurrences: 7,
        firstSeen: '2026-01-01T09:01:00Z',
        lastSeen: '2026-01-01T09:10:00+00:00',
      });
    } finally {
      parse.mockRestore();
    }
  });

  it('returns to comparing strings once first and last seen are canonical again', () => {
    const collector = createFindingCollector(true);
    collector.add(head(0, { timestamp: '2026-01-01T09:05:00Z' }), () => ['a']);
    collector.add(head(1), () => ['a']);
    collector.add(head(20), () => ['a']);
    const parse = vi.spyOn(Date, 'parse');
    try {
      for (let minute = 2; minute < 20; minute++) collector.add(head(minute), () => ['a']);
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
    collector.add(head(0, { timestamp: '2026-01-01T08:59:00Z' }), () => ['a']);
    expect(collector.findings()[0]).toMatchObject({
      occurrences: 22,
      firstSeen: '2026-01-01T08:59:00Z',
      lastSeen: head(20).timestamp,
    });
  });
});
