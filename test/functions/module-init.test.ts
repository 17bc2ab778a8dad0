/**
 * What a function's module init loads: each handler bundled as the package bundles it, then its
 * static import graph walked from the entry. The SDK packages only a rare path needs (a secret
 * read, a deploy-time lookup) stay in the bundle but are reached through `import()` only, so
 * Lambda's init phase does not evaluate them.
 */
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/imports';

const FUNCTIONS = ['canary', 'config-audit', 'incident-sweep', 'trigger-logs'] as const;

/** The `node_modules` packages of a bundle, and those its entry reaches through static imports. */
const packagesOf = async (name: string): Promise<{ bundled: Set<string>; atInit: Set<string> }> => {
  const entry = join('functions', `${name}.ts`);
  const { metafile } = await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    write: false,
    outfile: 'out.mjs',
    platform: 'node',
    target: 'node22',
    format: 'esm',
    metafile: true,
    logLevel: 'error',
  });
  const packageOf = (input: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
  const inputs: Metafile['inputs'] = metafile.inputs;
  const bundled = new Set(Object.keys(inputs).flatMap((input) => packageOf(input) ?? []));
  const atInit = new Set<string>();
  const seen = new Set([entry]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const found = packageOf(file);
    if (found !== undefined) atInit.add(found);
    for (const { path, kind } of inputs[file]?.imports ?? []) {
      if (kind === 'dynamic-import' || seen.has(path)) continue;
      seen.add(path);
      queue.push(path);
    }
  }
  return { bundled, atInit };
};

/** Packages each function loads on first use only. */
const LAZY: Readonly<Record<(typeof FUNCTIONS)[number], readonly string[]>> = {
  canary: ['@aws-sdk/client-secrets-manager', '@aws-sdk/client-ssm', '@aws-sdk/client-lambda'],
  // The audit reads trigger functions with its Lambda client on every run.
  'config-audit': ['@aws-sdk/client-secrets-manager', '@aws-sdk/client-ssm'],
  'incident-sweep': ['@aws-sdk/client-secrets-manager', '@aws-sdk/client-ssm'],
  'trigger-logs': ['@aws-sdk/client-secrets-manager', '@aws-sdk/client-ssm', '@aws-sdk/client-lambda'],
};

describe('function module init', () => {
  it.each(FUNCTIONS)('%s: rare-path SDK packages are bundled but not loaded at init', async (name) => {
    const { bundled, atInit } = await packagesOf(name);
    const lazy = LAZY[name];
    expect(lazy.filter((pkg) => !bundled.has(pkg))).toEqual([]);
    expect(lazy.filter((pkg) => atInit.has(pkg))).toEqual([]);
    // The walk itself finds what init does load.
    expect(atInit.has('@aws-sdk/client-dynamodb')).toBe(true);
  });
});
