/**
 * CLI start time as a new user meets it: `node bin/cognito-sentinel.mjs --help` and a small
 * `scan-logs`, each against `node -e 0` measured in the same run (wall time of a fresh process,
 * median of 9, interleaved so drift hits all three alike). Budget: at most 5x `node -e 0`.
 * Runs the built CLI: the bench builds it first, as `npm ci` does.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('../', import.meta.url).pathname;
const bin = join(root, 'bin', 'cognito-sentinel.mjs');

/** The commands measured, each with the arguments after `node`. */
export const CLI_COMMANDS = [
  { name: '--help', args: [bin, '--help'] },
  { name: 'scan-logs', args: [bin, 'scan-logs', join(root, 'examples', 'healthy.subscription.json')] },
] as const;

export interface CliStartResult {
  name: string;
  medianMs: number;
  baselineMs: number;
  ratio: number;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const wallMs = (args: readonly string[]): number => {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'ignore' });
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  return performance.now() - started;
};

export const runCliStartBench = (runs = 9): CliStartResult[] => {
  execFileSync(process.execPath, [join(root, 'bin', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  const baseline: number[] = [];
  const samples = CLI_COMMANDS.map(() => [] as number[]);
  wallMs(['-e', '0']);
  for (let run = 0; run < runs; run += 1) {
    baseline.push(wallMs(['-e', '0']));
    for (const [index, command] of CLI_COMMANDS.entries()) samples[index]?.push(wallMs(command.args));
  }
  const baselineMs = median(baseline);
  return CLI_COMMANDS.map((command, index) => {
    const medianMs = median(samples[index] ?? []);
    return { name: command.name, medianMs, baselineMs, ratio: medianMs / baselineMs };
  });
};
