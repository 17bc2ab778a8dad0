import { describe, expect, it } from 'vitest';
import { formatDuration, MAX_REPORT_EXCERPTS } from '../../alerts/report';
import { sealAlert, toDraft } from '../../alerts/seal';
import { toAlerts } from '../../alerts/to-alerts';
import type { Alert, IncidentContext } from '../../alerts/types';
import { POOL, presignupFinding } from './findings';

const KEY = `trigger-response-invalid:${POOL}:PreSignUp:response.autoConfirmUser`;
const TITLE = 'PreSignUp returned autoConfirmUser as a string ("true"), Cognito expects a boolean';

const alertFor = (overrides: Parameters<typeof presignupFinding>[0] = {}): Alert => {
  const [alert] = toAlerts([presignupFinding(overrides)]);
  if (alert === undefined) throw new Error('no alert');
  return alert;
};

const incident = (overrides: Partial<IncidentContext> = {}): IncidentContext => ({
  status: 'open',
  firstSeen: '2024-06-03T09:35:12.345Z',
  lastSeen: '2024-06-03T09:44:59.000Z',
  count: 1_000,
  episode: 1,
  reopens: 0,
  ...overrides,
});

const reportOf = (alert: Alert, action: Alert['action'], context: IncidentContext) =>
  sealAlert({ ...toDraft(alert), action, incident: context }).report;

describe('formatDuration', () => {
  it.each([
    [42_000, '42 s'],
    [12 * 60_000, '12 min'],
    [3 * 3_600_000 + 5 * 60_000, '3 h 5 min'],
    [2 * 3_600_000, '2 h'],
    [52 * 3_600_000, '2 d 4 h'],
    [-1, 'unknown'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('report', () => {
  it('names a new incident and says since when and how often', () => {
    const report = reportOf(
      alertFor(),
      'trigger',
      incident({ count: 1, lastSeen: '2024-06-03T09:35:12.345Z' }),
    );
    expect(report.split('\n').slice(0, 2)).toEqual([
      `CRITICAL: ${TITLE}`,
      `New incident ${KEY} (detector trigger-response-invalid)`,
    ]);
    expect(report).toContain('When\n  First seen 2024-06-03T09:35:12.345Z; seen once so far.\n');
  });

  it('names a re-opened, flapping incident', () => {
    const report = reportOf(alertFor(), 'trigger', incident({ episode: 3, reopens: 2, heldOpen: true }));
    expect(report).toContain(`Re-opened incident ${KEY}`);
    expect(report).toContain('This incident has opened 3 times.');
    expect(report).toContain('Flapping: it re-opened 2 times recently, so it stays open (no new pages)');
  });

  it('keeps a resolve short: why, how long, how often, the first evidence and the runbook link only', () => {
    const report = reportOf(
      alertFor(),
      'resolve',
      incident({
        status: 'resolved',
        resolvedAt: '2024-06-03T10:00:00.000Z',
        resolution: 'no recurrence for 15 min',
      }),
    );
    expect(report.split('\n').slice(0, 2)).toEqual([
      `RESOLVED: ${TITLE}`,
      `Incident ${KEY} (detector trigger-response-invalid) resolved at 2024-06-03T10:00:00.000Z: no recurrence for 15 min.`,
    ]);
    expect(report).toContain('Evidence (when it opened)\n');
    expect(report).toContain(
      'Open from 2024-06-03T09:35:12.345Z to 2024-06-03T10:00:00.000Z (24 min); seen 1000 times, last at 2024-06-03T09:44:59.000Z.',
    );
    expect(report.trimEnd().endsWith('(docs/runbook.md#trigger-response-invalid-presignup)')).toBe(true);
    expect(report).not.toContain('First ten minutes');
  });

  it(`prints at most ${MAX_REPORT_EXCERPTS} excerpts and counts the rest`, () => {
    const report = alertFor({ evidence: ['one', 'two', 'three', 'four'] }).report;
    expect(report).toContain('  Excerpts:\n    one\n    two\n    (2 more similar lines)\n');
  });

  it('lists recent changes when known', () => {
    const alert = sealAlert({
      ...toDraft(alertFor()),
      recentChanges: ['shop-presignup version 42 at 09:30Z'],
    });
    expect(alert.report).toContain('Recent changes\n  - shop-presignup version 42 at 09:30Z\n');
  });

  it('links the console pages of the pool, the function and the log group', () => {
    expect(alertFor().report).toContain(
      `Links\n  Cognito user pool ${POOL}: https://us-east-1.console.aws.amazon.com/cognito/v2/idp/user-pools/${POOL}?region=us-east-1\n`,
    );
  });
});
