/**
 * The production handler is built on the first invocation, not at import: the wiring runs once per
 * container, a bad config fails the first invocation (and each later one) with the key named, and
 * the config-audit function's "no audit table" warning is logged once, on the first invocation.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { startMoto } from '../../demo/local/moto';
import { ConfigError } from '../../runtime/errors';
import { toProductionHandler } from '../../runtime/production-handler';

describe('toProductionHandler', () => {
  it('builds nothing until the first call, then reuses the handler it built', async () => {
    let builds = 0;
    const handler = toProductionHandler(() => {
      builds += 1;
      return async (event: number) => event * 2;
    });
    expect(builds).toBe(0);
    expect(await handler(1, undefined)).toBe(2);
    expect(await handler(2, undefined)).toBe(4);
    expect(await handler(3, undefined)).toBe(6);
    expect(builds).toBe(1);
  });

  it('rejects every call while the build throws, and keeps the first build that succeeds', async () => {
    let builds = 0;
    let fail = true;
    const handler = toProductionHandler(() => {
      builds += 1;
      if (fail) throw new ConfigError('pools.0.userPoolId: expected a user pool id');
      return async () => 'ok';
    });
    await expect(handler(undefined, undefined)).rejects.toThrow(ConfigError);
    await expect(handler(undefined, undefined)).rejects.toThrow(/pools\.0\.userPoolId/);
    fail = false;
    expect(await handler(undefined, undefined)).toBe('ok');
    expect(await handler(undefined, undefined)).toBe('ok');
    expect(builds).toBe(3);
  });
});

/** A deployed config for one pool, as JSON (the SENTINEL_CONFIG override). */
const deployedConfig = (userPoolId: string): string =>
  JSON.stringify({ pools: [{ userPoolId, region: 'us-east-1', clients: [{ clientId: 'abc123' }] }] });

const FUNCTIONS = ['canary', 'config-audit', 'incident-sweep', 'trigger-logs'] as const;

/** Imports a handler module afresh, as a new Lambda container does, with `env` set. */
const importFresh = async (name: (typeof FUNCTIONS)[number], env: Record<string, string>) => {
  vi.resetModules();
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
  return (await import(`../../functions/${name}.ts`)) as {
    handler: (event: unknown, context: unknown) => Promise<unknown>;
  };
};

/** What the Powertools logger writes (info to stdout, warnings to stderr) while `run` runs. */
const logOf = async (run: () => Promise<unknown>): Promise<string> => {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(capture),
    vi.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  try {
    await run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines.join('');
};

const moto = await startMoto();
afterAll(async () => moto?.stop());
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('a handler module in a Lambda container', () => {
  it.each(FUNCTIONS)(
    '%s: imports with a bad config, then fails the first invocation with ConfigError naming the key',
    async (name) => {
      const { handler } = await importFresh(name, {
        AWS_LAMBDA_FUNCTION_NAME: `sentinel-${name}`,
        AWS_REGION: 'us-east-1',
        SENTINEL_CONFIG: deployedConfig('not-a-pool-id'),
      });
      const failure = handler({}, { getRemainingTimeInMillis: () => 60_000 });
      // A fresh module graph has its own ConfigError class: compare by name.
      await expect(failure).rejects.toMatchObject({ name: 'ConfigError', message: /pools\.0\.userPoolId/ });
      // Still loud on the next invocation: a failed build is not kept.
      await expect(handler({}, { getRemainingTimeInMillis: () => 60_000 })).rejects.toThrow(
        /pools\.0\.userPoolId/,
      );
    },
  );

  it.runIf(moto)(
    'config-audit: logs the no-audit-table warning once, on the first invocation, not at import',
    async () => {
      const endpoint = moto?.endpoint ?? '';
      let module: Awaited<ReturnType<typeof importFresh>> | undefined;
      const atImport = await logOf(async () => {
        module = await importFresh('config-audit', {
          AWS_LAMBDA_FUNCTION_NAME: 'sentinel-config-audit',
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_ENDPOINT_URL: endpoint,
          SENTINEL_CONFIG: deployedConfig('us-east-1_Abc123456'),
          SENTINEL_AUDIT_TABLE: '',
          POWERTOOLS_METRICS_DISABLED: 'true',
        });
      });
      expect(atImport).not.toContain('No audit table configured');
      const scheduled = { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };
      const invoked = await logOf(async () => {
        await module?.handler(scheduled, { getRemainingTimeInMillis: () => 60_000 });
        await module?.handler(scheduled, { getRemainingTimeInMillis: () => 60_000 });
      });
      expect(invoked.match(/No audit table configured/g)).toHaveLength(1);
      // Both runs happened: the warning was not lost with a failed second build.
      expect(invoked.match(/"message":"Config audit run"/g)).toHaveLength(2);
    },
  );
});
