import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const exec = promisify(execFile);

/** What a run of the bin printed, and how it exited. */
export interface BinResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built bin (`bin/cognito-sentinel.mjs`) in the repository root with `argv` and exactly
 * `env`; a non-zero exit is a result, not a throw.
 */
export const runBin = async (argv: readonly string[], env: NodeJS.ProcessEnv): Promise<BinResult> => {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['bin/cognito-sentinel.mjs', ...argv], {
      cwd: ROOT,
      env,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

/**
 * The environment of a bin run against moto_server: PATH and HOME, the endpoint, us-east-1 and
 * moto's test credentials, then `extra` (the canary's password and the like).
 */
export const motoBinEnv = (endpoint: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  ...extra,
});

/** Whom a `check` run signs in as: the pool, its app client and the canary user. */
export interface CheckTarget {
  userPoolId: string;
  clientId: string;
  username: string;
}

/** The argv of `check` for `target` with the password from `env:CANARY_PASSWORD`, then `extra`. */
export const checkArgv = (target: CheckTarget, ...extra: string[]): string[] => [
  'check',
  '--user-pool-id',
  target.userPoolId,
  '--client-id',
  target.clientId,
  '--username',
  target.username,
  '--password-from',
  'env:CANARY_PASSWORD',
  ...extra,
];
