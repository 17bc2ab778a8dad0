import { describe, expect, it } from 'vitest';
import { percentile, sparkline, toWeeklyReport, toWeeklyReportSubject } from '../../alerts/weekly-report';

describe('percentile (nearest rank)', () => {
  it.each([
    [[], 50, undefined],
    [[7], 95, 7],
    [[1, 2, 3, 4], 50, 2],
    [[4, 3, 2, 1], 95, 4],
    [Array.from({ length: 100 }, (_, i) => i + 1), 95, 95],
  ])('of %j at p%d is %s', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });
});

describe('sparkline', () => {
  it('scales from the lowest to the highest, one character per value, a gap as a space', () => {
    expect(sparkline([1, 2, undefined, 8])).toBe('▁▂ █');
  });
  it('draws a flat line for equal values and nothing without data', () => {
    expect(sparkline([5, 5])).toBe('▁▁');
    expect(sparkline([undefined])).toBe('');
  });
});

describe('toWeeklyReport', () => {
  const input = {
    since: new Date('2024-06-03T00:00:00Z'),
    now: new Date('2024-06-10T00:00:00Z'),
    runs: [],
    incidents: [],
    silences: [
      {
        id: 's-1',
        userPoolId: 'us-east-1_AbC123xyz',
        startsAt: '2024-06-04T00:00:00Z',
        endsAt: '2024-06-04T02:00:00Z',
        reason: 'a | pipe\nand a line break',
        createdBy: 'alice',
        createdAt: '2024-06-04T00:00:00Z',
      },
    ],
  };
  it('says what is missing instead of printing empty tables', () => {
    const text = toWeeklyReport(input, 'text');
    expect(text).toContain('No canary runs recorded in this period.');
    expect(text).toContain('No trigger-log findings in this period.');
  });
  it('keeps a table cell on one line and escapes pipes in Markdown', () => {
    const md = toWeeklyReport(input, 'md');
    const row = md.split('\n').find((line) => line.startsWith('| s-1 |')) ?? '';
    expect(row).toContain('a \\| pipe\\x0aand a line break');
  });
  it('gives the published report a printable ASCII subject under 100 characters', () => {
    expect(toWeeklyReportSubject('prod')).toBe('cognito-sentinel weekly report (prod)');
  });
});
