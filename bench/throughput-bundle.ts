/**
 * Runs the throughput bench on the pipeline as it ships. The rest of the bench runs under tsx,
 * which compiles with esbuild's `keepNames`: every closure the log reader and the detectors create
 * is wrapped in a naming call the deployed bundle does not have, a cost of the dev tool, not of the
 * code. So the pipeline and its floor are bundled the way serverless.yml bundles the functions
 * (esbuild: bundle, platform node, target node22, ESM, not minified) and measured together, each
 * batch kind in its own fresh process: its heap holds nothing of the bench's other sections, and
 * its figure does not depend on which kinds the JIT saw before it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BATCH_KINDS, type ThroughputResult } from './trigger-logs-throughput';

const here = new URL('.', import.meta.url).pathname;

/** Every batch kind's throughput, measured by the bundled pipeline in a child process per kind. */
export const runBundledThroughput = async (): Promise<ThroughputResult[]> => {
  const out = mkdtempSync(join(tmpdir(), 'sentinel-throughput-'));
  try {
    const outfile = join(out, 'throughput.mjs');
    await build({
      entryPoints: [join(here, 'throughput-main.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      minify: false,
      logLevel: 'error',
      banner: {
        js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
      },
    });
    return BATCH_KINDS.map((kind) => {
      const run = spawnSync(process.execPath, [outfile, kind], { encoding: 'utf8' });
      if (run.status !== 0) {
        throw new Error(
          `the bundled throughput run of ${kind} exited with ${run.status ?? run.signal}: ${run.stderr.slice(0, 2000)}`,
        );
      }
      return JSON.parse(run.stdout) as ThroughputResult;
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
};
