import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ALERT_PATH_WORST_CASE_MS,
  awsClientOptions,
  CLIENT_BUDGETS,
  worstCaseMs,
} from '../../runtime/aws-client-options';
import { listTs, ROOT } from '../support/imports';

/** Where clients of the deployed functions (and the CLI) are built. */
const SOURCE_DIRS = ['alerts', 'audit', 'canary', 'cli', 'config', 'functions', 'logs', 'runtime'];

describe('AWS client time budgets', () => {
  it('turns a budget into connect and request timeouts that throw, and a retry budget', () => {
    expect(awsClientOptions('incidentStore')).toEqual({
      maxAttempts: 2,
      requestHandler: {
        connectionTimeout: 500,
        requestTimeout: 1_500,
        socketTimeout: 1_500,
        // Without it the SDK only logs a warning when the request timeout passes.
        throwOnRequestTimeout: true,
      },
    });
  });

  it('keeps the alert path, with every backend hanging, inside the shortest function timeout (60 s sweep and trigger logs, 30 s canary)', () => {
    const { logs: _cliOnly, ...functionBudgets } = CLIENT_BUDGETS;
    for (const budget of Object.values(functionBudgets)) expect(worstCaseMs(budget)).toBeLessThan(30_000);
    expect(ALERT_PATH_WORST_CASE_MS).toBe(23_000);
    expect(ALERT_PATH_WORST_CASE_MS).toBeLessThan(30_000);
  });

  it('builds no AWS client anywhere without a budget from the factory', () => {
    const unbudgeted: string[] = [];
    for (const dir of SOURCE_DIRS.filter((folder) => existsSync(join(ROOT, folder))))
      for (const path of listTs(join(ROOT, dir))) {
        const code = readFileSync(path, 'utf8');
        for (const match of code.matchAll(/new (\w+Client)\(([^)]*)\)/g))
          if (!match[2]?.includes('awsClientOptions'))
            unbudgeted.push(`${relative(ROOT, path)}: ${match[0]}`);
      }
    expect(unbudgeted).toEqual([]);
  });
});
