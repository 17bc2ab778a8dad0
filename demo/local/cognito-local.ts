/**
 * Runs cognito-local (a Cognito user-pool emulator that invokes Lambda triggers) as a child
 * process for tests and `npm start`'s demo: a fresh temporary directory per instance, a free
 * loopback port, readiness by `GET /health`, and a clean stop that removes the directory.
 *
 * cognito-local is a dev dependency: this module works from a development checkout (`npm ci`),
 * not from a production install, and says so when it is missing.
 *
 * What the generated `.cognito/config.json` changes from cognito-local's defaults, and why:
 * - `LambdaClient.httpOptions.timeout` = `triggerTimeoutMs` (default 5 s) with `maxRetries: 0`:
 *   Cognito gives up on a trigger after 5 s; cognito-local would otherwise wait two minutes and
 *   retry three times, so a slow trigger could not fail the way it does on AWS.
 * - `UserPoolDefaults.UsernameAttributes` = `[]`: cognito-local's default makes every pool
 *   email-username (SignUp/AdminCreateUser refuse `alice`); AWS pools are free-form unless
 *   CreateUserPool sets `UsernameAttributes`, which still works.
 * Facts: docs/testing.md (cognito-local).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { COGNITO_TRIGGER_TIMEOUT_MS, type TriggerName } from '../../contracts/triggers';
import { SentinelError } from '../../runtime/errors';
import { sleep } from '../../runtime/text';
import { freePort, hasExited, stopChild } from './process';

/** The triggers cognito-local 5.3 invokes. It never calls the custom-auth challenge triggers, PreAuthentication, CustomSMSSender or InboundFederation. */
export const COGNITO_LOCAL_TRIGGERS = [
  'PreSignUp',
  'PostConfirmation',
  'PostAuthentication',
  'PreTokenGeneration',
  'UserMigration',
  'CustomMessage',
  'CustomEmailSender',
] as const satisfies readonly TriggerName[];
export type CognitoLocalTrigger = (typeof COGNITO_LOCAL_TRIGGERS)[number];

export interface CognitoLocalOptions {
  /** Lambda Invoke API endpoint cognito-local calls for triggers (a `LambdaInvokeServer`'s `endpoint`). */
  lambdaEndpoint?: string;
  /** Trigger → function name, set globally for every pool (cognito-local ignores a pool's LambdaConfig). */
  triggers?: Partial<Record<TriggerName, string>>;
  /** Loopback address to listen on. Default `127.0.0.1`. */
  host?: string;
  /** How long cognito-local waits for a trigger before failing the API call, in ms. Default 5000, like Cognito. */
  triggerTimeoutMs?: number;
  /** How long to wait for `GET /health`, in ms. Default 15000. */
  readyTimeoutMs?: number;
}

/** A running cognito-local. */
export interface CognitoLocal {
  /**
   * `http://127.0.0.1:<port>`: the SDK endpoint (see `cognitoLocalClientConfig`). Tokens are
   * issued by `<endpoint>/<poolId>`, with the JWKS at `<endpoint>/<poolId>/.well-known/jwks.json`.
   */
  readonly endpoint: string;
  /** The temporary working directory; config and data live in its `.cognito/`. Removed by `stop()`. */
  readonly dataDir: string;
  /** The last few KB of cognito-local's stdout and stderr, for diagnostics. */
  output(): string;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s) and removes `dataDir`. Idempotent. */
  stop(): Promise<void>;
}

/** cognito-local is missing, did not start, or did not become ready. */
export class CognitoLocalError extends SentinelError {
  override readonly name = 'CognitoLocalError';
  readonly code = 'cognito-local';
}

const DEFAULT_READY_TIMEOUT_MS = 15_000;
const POLL_INTERVAL_MS = 100;
const OUTPUT_TAIL_CHARS = 8_000;
const PORT_ATTEMPTS = 3;

/** SDK client settings for cognito-local: its endpoint, region `local`, dummy credentials. */
export const cognitoLocalClientConfig = (endpoint: string) => ({
  endpoint,
  region: 'local',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

/** Path of cognito-local's `lib/bin/start.js`; throws `CognitoLocalError` naming the fix when it is not installed. */
export const resolveCognitoLocalBin = (): string => {
  let packageJson: string;
  try {
    packageJson = createRequire(import.meta.url).resolve('cognito-local/package.json');
  } catch (error) {
    throw new CognitoLocalError(
      'cognito-local is not installed. It is a dev dependency of cognito-sentinel: run `npm ci` in a development checkout (not `npm ci --omit=dev`).',
      { cause: error },
    );
  }
  const bin = join(dirname(packageJson), 'lib', 'bin', 'start.js');
  if (!existsSync(bin)) {
    throw new CognitoLocalError(
      `cognito-local is installed at ${dirname(packageJson)} but has no lib/bin/start.js`,
    );
  }
  return bin;
};

const toTriggerFunctions = (
  triggers: Partial<Record<TriggerName, string>>,
  lambdaEndpoint: string | undefined,
): Record<string, string> => {
  const entries = Object.entries(triggers).filter(([, name]) => name !== undefined);
  const unsupported = entries
    .map(([trigger]) => trigger)
    .filter((trigger) => !(COGNITO_LOCAL_TRIGGERS as readonly string[]).includes(trigger));
  if (unsupported.length > 0) {
    throw new CognitoLocalError(
      `cognito-local never invokes ${unsupported.join(', ')}; it supports ${COGNITO_LOCAL_TRIGGERS.join(', ')}`,
    );
  }
  for (const [trigger, name] of entries) {
    if (typeof name !== 'string' || name === '') {
      throw new CognitoLocalError(`triggers.${trigger} must be a function name, got ${JSON.stringify(name)}`);
    }
  }
  if (entries.length > 0 && lambdaEndpoint === undefined) {
    throw new CognitoLocalError('triggers need a lambdaEndpoint for cognito-local to invoke them');
  }
  return Object.fromEntries(entries) as Record<string, string>;
};

const toConfig = (options: {
  lambdaEndpoint: string | undefined;
  triggerFunctions: Record<string, string>;
  triggerTimeoutMs: number;
}) => ({
  LambdaClient: {
    ...(options.lambdaEndpoint !== undefined ? { endpoint: options.lambdaEndpoint } : {}),
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxRetries: 0,
    httpOptions: { timeout: options.triggerTimeoutMs, connectTimeout: options.triggerTimeoutMs },
  },
  TriggerFunctions: options.triggerFunctions,
  UserPoolDefaults: { UsernameAttributes: [] },
});

/** Instances whose caller has not called `stop()`: killed and removed when this process exits. */
const live = new Set<{ child: ChildProcess; dir: string }>();
let exitHookInstalled = false;
const installExitHook = () => {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const instance of live) {
      if (instance.child.exitCode === null && instance.child.signalCode === null)
        instance.child.kill('SIGKILL');
      rmSync(instance.dir, { recursive: true, force: true });
    }
    live.clear();
  });
};

type ReadyResult = { ok: true } | { ok: false; exited: boolean; reason: string };

const waitUntilReady = async (
  endpoint: string,
  child: ChildProcess,
  timeoutMs: number,
): Promise<ReadyResult> => {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer';
  while (Date.now() < deadline) {
    if (hasExited(child)) {
      return { ok: false, exited: true, reason: `exited (${child.exitCode ?? child.signalCode})` };
    }
    try {
      const response = await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(1_000) });
      const body = (await response.json().catch(() => undefined)) as { ok?: unknown } | undefined;
      if (response.ok && body?.ok === true) return { ok: true };
      lastProblem = `GET /health answered HTTP ${response.status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await sleep(POLL_INTERVAL_MS);
  }
  return { ok: false, exited: false, reason: `was not ready after ${timeoutMs} ms (${lastProblem})` };
};

/**
 * Starts cognito-local in a new temporary directory on a free port of `host` and waits for
 * `GET /health` → `{"ok":true}`. Throws `CognitoLocalError` (with cognito-local's output) when it
 * is not installed, exits, or is not ready in time; the directory is removed in every case.
 * The caller owns signals: call `stop()` on SIGINT/SIGTERM; a plain process exit is covered.
 */
export const startCognitoLocal = async ({
  lambdaEndpoint,
  triggers = {},
  host = '127.0.0.1',
  triggerTimeoutMs = COGNITO_TRIGGER_TIMEOUT_MS,
  readyTimeoutMs = DEFAULT_READY_TIMEOUT_MS,
}: CognitoLocalOptions = {}): Promise<CognitoLocal> => {
  if (!Number.isFinite(triggerTimeoutMs) || triggerTimeoutMs <= 0) {
    throw new CognitoLocalError(
      `triggerTimeoutMs must be a positive number of milliseconds, got ${triggerTimeoutMs}`,
    );
  }
  const triggerFunctions = toTriggerFunctions(triggers, lambdaEndpoint);
  const bin = resolveCognitoLocalBin();

  const dir = mkdtempSync(join(tmpdir(), 'cognito-local-'));
  mkdirSync(join(dir, '.cognito'));
  writeFileSync(
    join(dir, '.cognito', 'config.json'),
    `${JSON.stringify(toConfig({ lambdaEndpoint, triggerFunctions, triggerTimeoutMs }), null, 2)}\n`,
  );
  installExitHook();

  let output = '';
  // cognito-local's logger always colours its output; errors and `output()` carry plain text.
  const collect = (chunk: Buffer) => {
    output = (output + stripVTControlCharacters(chunk.toString('utf8'))).slice(-OUTPUT_TAIL_CHARS);
  };

  for (let attempt = 1; ; attempt++) {
    let port: number;
    try {
      port = await freePort(host);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw new CognitoLocalError(`No free port on ${host} for cognito-local`, { cause: error });
    }
    const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    output = '';
    const child = spawn(process.execPath, [bin], {
      cwd: dir,
      env: {
        ...process.env,
        HOST: host,
        PORT: String(port),
        // aws-sdk v2 (cognito-local's Lambda client) prints an end-of-support notice on load.
        AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Drained always: a full pipe would block cognito-local's logger.
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.on('error', (error) =>
      collect(Buffer.from(`\nfailed to run ${process.execPath}: ${error.message}\n`)),
    );
    const instance = { child, dir };
    live.add(instance);

    const ready = await waitUntilReady(endpoint, child, readyTimeoutMs);
    if (ready.ok) {
      let stopping: Promise<void> | undefined;
      return {
        endpoint,
        dataDir: dir,
        output: () => output,
        stop() {
          stopping ??= (async () => {
            await stopChild(child);
            live.delete(instance);
            await rm(dir, { recursive: true, force: true, maxRetries: 3 });
          })();
          return stopping;
        },
      };
    }

    await stopChild(child);
    live.delete(instance);
    // Another process can take the free port between the probe and cognito-local's listen.
    if (ready.exited && output.includes('EADDRINUSE') && attempt < PORT_ATTEMPTS) continue;
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    throw new CognitoLocalError(
      `cognito-local at ${endpoint} ${ready.reason}. Its output:\n${output || '(none)'}`,
    );
  }
};
