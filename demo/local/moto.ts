/**
 * A real moto_server for tests: one per test file, on a free loopback port, stopped in `afterAll`.
 *
 * When `moto_server` is not on PATH, `startMoto()` prints a notice and resolves `undefined`, so a
 * suite can `describe.runIf(moto)`; with `REQUIRE_MOTO=1` (CI) it throws instead.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { SentinelError } from '../../runtime/errors';
import { sleep } from '../../runtime/text';
import { freePort, stopChild } from './process';

export { freePort };

/** A running moto_server. */
export interface MotoServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** Stops the server and waits for it to exit. */
  stop(): Promise<void>;
  /** Drops all state (`POST /moto-api/reset`). */
  reset(): Promise<void>;
}

/** A message moto recorded as published to an SNS topic. */
export interface SnsNotification {
  topicArn: string;
  messageId: string;
  message: string;
  subject: string | null;
  messageAttributes: Record<string, { Type: string; Value: string }>;
}

const READY_TIMEOUT_MS = 15_000;
const POLL_INTERVAL_MS = 100;

/** Error thrown when moto_server is required but unavailable or does not start. */
export class MotoUnavailableError extends SentinelError {
  override readonly name = 'MotoUnavailableError';
  readonly code = 'moto-unavailable';
}

/** Path of the `moto_server` executable on PATH, or `undefined`. */
export const findMotoServer = (): string | undefined => {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'moto_server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
};

const waitUntilReady = async (endpoint: string, child: ChildProcess, output: () => string): Promise<void> => {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new MotoUnavailableError(
        `moto_server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output()}`,
      );
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(POLL_INTERVAL_MS);
  }
  throw new MotoUnavailableError(
    `moto_server at ${endpoint} was not ready after ${READY_TIMEOUT_MS} ms:\n${output()}`,
  );
};

/**
 * Starts `moto_server -H 127.0.0.1 -p <free port>` and waits until it answers (up to 15 s).
 * Resolves `undefined` with a notice when moto_server is not installed, unless `REQUIRE_MOTO=1`.
 */
export const startMoto = async (): Promise<MotoServer | undefined> => {
  const executable = findMotoServer();
  if (executable === undefined) {
    if (process.env.REQUIRE_MOTO === '1') {
      throw new MotoUnavailableError(
        'REQUIRE_MOTO=1 but moto_server is not on PATH. Install it with `pip install "moto[server]"`.',
      );
    }
    console.warn(
      'moto_server is not on PATH: skipping the tests that need it. Install it with `pip install "moto[server]"`, or set REQUIRE_MOTO=1 to fail instead.',
    );
    return undefined;
  }

  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(executable, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // A crashed test run must not leave the server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  try {
    await waitUntilReady(endpoint, child, () => output);
  } catch (error) {
    process.off('exit', killOnExit);
    await stopChild(child);
    throw error;
  }

  return {
    endpoint,
    async stop() {
      process.off('exit', killOnExit);
      await stopChild(child);
    },
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new MotoUnavailableError(`moto reset failed: HTTP ${response.status}`);
    },
  };
};

/** SDK client settings for moto: its endpoint, us-east-1, dummy credentials. */
export const awsClientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

interface MotoSnsData {
  sns?: {
    Topic?: Array<{
      arn?: string;
      sent_notifications?: Array<
        [string, string, string | null, Record<string, { Type: string; Value: string }> | null, unknown]
      >;
    }>;
  };
}

/** Every message moto recorded as published, from `GET /moto-api/data.json` (`sns.Topic[i].sent_notifications`). */
export const readSnsNotifications = async (endpoint: string): Promise<SnsNotification[]> => {
  const response = await fetch(`${endpoint}/moto-api/data.json`);
  if (!response.ok) throw new MotoUnavailableError(`moto data.json: HTTP ${response.status}`);
  const data = (await response.json()) as MotoSnsData;
  return (data.sns?.Topic ?? []).flatMap((topic) =>
    (topic.sent_notifications ?? []).map(([messageId, message, subject, attributes]) => ({
      topicArn: topic.arn ?? '',
      messageId,
      message,
      subject,
      messageAttributes: attributes ?? {},
    })),
  );
};

/**
 * Creates a Lambda function in moto (with the IAM role moto requires) and returns its ARN. moto
 * stores it without running anything; enough for GetFunctionConfiguration and as a subscription
 * filter destination. The role goes through moto's IAM query API, as the project has no IAM client.
 */
export const createMotoFunction = async (
  endpoint: string,
  name: string,
  options: { runtime?: string; timeoutSeconds?: number } = {},
): Promise<string> => {
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization:
        'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: new URLSearchParams({
      Action: 'CreateRole',
      Version: '2010-05-08',
      RoleName: `${name}-role`,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    }),
  });
  const roleArn = /<Arn>(.*?)<\/Arn>/.exec(await response.text())?.[1] ?? '';
  const { LambdaClient, CreateFunctionCommand } = await import('@aws-sdk/client-lambda');
  const lambda = new LambdaClient(awsClientConfig(endpoint));
  const emptyZip = Buffer.from('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==', 'base64');
  const created = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: (options.runtime ?? 'nodejs22.x') as 'nodejs22.x',
      Role: roleArn,
      ...(options.timeoutSeconds === undefined ? {} : { Timeout: options.timeoutSeconds }),
      Handler: 'index.handler',
      Code: { ZipFile: emptyZip },
    }),
  );
  lambda.destroy();
  return created.FunctionArn ?? '';
};
