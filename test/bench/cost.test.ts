import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type BenchFigures, toCostLines, toCostPage, totalOf } from '../../bench/cost';

const root = new URL('../../', import.meta.url).pathname;
const figures = JSON.parse(readFileSync(`${root}bench/figures.json`, 'utf8')) as BenchFigures;
const scenario = {
  pools: 1,
  clientsPerPool: 1,
  metricSet: 'lean',
  secretStore: 'ssm',
  triggerLogBatches: 100_000,
} as const;

describe('docs/cost.md', () => {
  it('is what `npm run docs:cost` writes from bench/figures.json (run it after changing either)', () => {
    expect(readFileSync(`${root}docs/cost.md`, 'utf8')).toBe(toCostPage(figures));
  });

  it('keeps one pool, one client, one-minute cadence, everything included, at or under $1.50', () => {
    expect(totalOf(toCostLines(figures.cost, scenario))).toBeLessThanOrEqual(1.5);
  });

  it('charges every secret in Secrets Manager and every step metric with `full`', () => {
    const lean = totalOf(toCostLines(figures.cost, scenario));
    const full = totalOf(
      toCostLines(figures.cost, { ...scenario, metricSet: 'full', secretStore: 'secretsmanager' }),
    );
    // 10 more metrics for the pair and 6 shared at $0.30, two secrets at $0.40.
    expect(full - lean).toBeCloseTo(16 * 0.3 + 2 * 0.4, 6);
  });
});
