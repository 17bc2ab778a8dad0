/**
 * Runs the throughput bench on the pipeline as it ships. The rest of the bench runs under tsx,
 * which compiles with esbuild's `keepNames`: every closure the log reader and the detectors create
 * is wrapped in a naming call the deployed bundle does not have, a cost of the dev tool, not of the
 * code. So the pipeline and its floor are bundled the way serverless.yml bundles the functions
 * (esbuild: bundle, platform node, target node22, ESM, not minified) and measured together, each
 * batch kind in its own fresh process: its heap holds nothing of the bench's other sections, and
 * its figure does not depend on which kinds the JIT saw before it. Each kind runs in
 * `PROCESSES_PER_KIND` processes and reports the median.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { SHIPPED_BUILD_OPTIONS } from './shipped-bundle';
import { BATCH_KINDS, type ThroughputResult } from './trigger-logs-throughput';

const here = new URL('.', import.meta.url).pathname;

/**
 * Fresh processes per batch kind; the figure is the median one's. On a shared machine one
 * process in several lands in a slow spell for all its rounds (a ratio 30% off the others'), so a
 * single process per kind decided the verdict by luck, either way.
 */
export const PROCESSES_PER_KIND = 3;

/** Every batch kind's throughput, measured by the bundled pipeline in a child process per kind. */
export const runBundledThroughput = async (): Promise<ThroughputResult[]> => {
  const out = mkdtempSync(join(tmpdir(), 'sentinel-throughput-'));
  try {
    const outfile = join(out, 'throughput.mjs');
    await build({
      ...SHIPPED_BUILD_OPTIONS,
      entryPoints: [join(here, 'throughput-main.ts')],
      outfile,
      logLevel: 'error',
    });
    const runOnce = (kind: string): ThroughputResult => {
      const run = spawnSync(process.execPath, [outfile, kind], { encoding: 'utf8' });
      if (run.status !== 0) {
        throw new Error(
          `the bundled throughput run of ${kind} exited with ${run.status ?? run.signal}: ${run.stderr.slice(0, 2000)}`,
        );
      }
      return JSON.parse(run.stdout) as ThroughputResult;
    };
    return BATCH_KINDS.map((kind) => {
      const runs = Array.from({ length: PROCESSES_PER_KIND }, () => runOnce(kind));
      runs.sort((a, b) => a.ratio - b.ratio);
      return {
        ...(runs[(runs.length - 1) >> 1] as ThroughputResult),
        processRatios: runs.map((run) => run.ratio),
      };
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
};
