import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LambdaInvokeServer,
  type LambdaLogBatch,
  LocalFunctionConfigError,
  startLambdaInvokeServer,
} from '../../../demo/local';
import { toSubscriptionEvent } from '../../../demo/subscription-payload';
import type { LogObservation } from '../../../detectors/observations';
import { decodeSubscriptionEvent, parseLogLine, toLogOrigin } from '../../../logs';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const ISO = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';
const LOG_STREAM = /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Event = Record<string, unknown>;

const deferred = () => {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
};

/** Resolved when a `sleepy` invocation has logged its late line, well after its timeout. */
let sleepyFinished = deferred();

class ValidationError extends Error {
  override readonly name = 'ValidationError';
  readonly code = 'E_BAD_INPUT';
}

/** Real-shaped PreSignUp input, as cognito-local sends it. */
const preSignUpEvent = (userName = 'alice'): Event => ({
  version: '0',
  callerContext: { awsSdkVersion: '2.1693.0', clientId: 'client-1' },
  region: 'local',
  userPoolId: 'local_abc123',
  triggerSource: 'PreSignUp_SignUp',
  userName,
  request: { userAttributes: { email: `${userName}@example.com` } },
  response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
});

const functions = {
  autoConfirm: {
    handler: async (event: Event) => {
      console.log('received %s for %s', event.triggerSource, event.userName);
      console.warn('first line\nsecond line');
      return { ...event, response: { ...(event.response as Event), autoConfirmUser: true } };
    },
  },
  refuses: {
    handler: async () => {
      console.error('about to refuse');
      throw new ValidationError('boom');
    },
  },
  sleepy: {
    timeoutMs: 200,
    handler: async () => {
      console.info('starting a long call');
      await sleep(1_000);
      console.info('finished the long call');
      sleepyFinished.resolve();
      return 'late';
    },
  },
  tagger: {
    memorySizeMb: 256,
    handler: async (event: Event) => {
      for (let i = 0; i < 5; i++) {
        console.log(`tag=${String(event.tag)} step=${i}`);
        await sleep(Math.random() * 10);
      }
      return { tag: event.tag };
    },
  },
  contextual: {
    timeoutMs: 2_000,
    handler: async (_event: unknown, context: Context) => ({
      functionName: context.functionName,
      functionVersion: context.functionVersion,
      invokedFunctionArn: context.invokedFunctionArn,
      memoryLimitInMB: context.memoryLimitInMB,
      awsRequestId: context.awsRequestId,
      logGroupName: context.logGroupName,
      logStreamName: context.logStreamName,
      remainingMs: context.getRemainingTimeInMillis(),
    }),
  },
  nothing: { handler: async () => undefined },
};

describe('startLambdaInvokeServer', () => {
  let server: LambdaInvokeServer;
  const batches: LambdaLogBatch[] = [];
  const batchOf = (requestId: string | null): LambdaLogBatch => {
    const batch = batches.find((candidate) => candidate.requestId === requestId);
    if (!batch) throw new Error(`no log batch for request ${requestId}`);
    return batch;
  };
  const invoke = (name: string, event: unknown = {}, init: RequestInit = {}, query = '') =>
    fetch(`${server.endpoint}/2015-03-31/functions/${name}/invocations${query}`, {
      method: 'POST',
      body: JSON.stringify(event),
      ...init,
    });
  const messages = (batch: LambdaLogBatch) => batch.lines.map((line) => line.message);
  const observe = (batch: LambdaLogBatch, message: string): LogObservation[] => {
    const result = parseLogLine(
      message,
      toLogOrigin(batch.logGroup, { logStream: batch.logStream, timestamp: Date.now() }),
    );
    return result.status === 'signal' ? result.observations : [];
  };

  beforeAll(async () => {
    server = await startLambdaInvokeServer({ functions });
    server.onLogs((batch) => batches.push(batch));
  });

  afterAll(async () => {
    await server.stop();
  });

  it('listens on a free loopback port', () => {
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('returns the handler result as JSON with the request id', async () => {
    const response = await invoke('autoConfirm', preSignUpEvent());

    expect(response.status).toBe(200);
    expect(response.headers.get('x-amz-function-error')).toBeNull();
    expect(response.headers.get('x-amz-executed-version')).toBe('$LATEST');
    expect(response.headers.get('x-amzn-requestid')).toMatch(new RegExp(`^${UUID}$`));
    const body = (await response.json()) as Event;
    expect(body.response).toEqual({ autoConfirmUser: true, autoVerifyEmail: false, autoVerifyPhone: false });
  });

  it('answers null when the handler returns nothing', async () => {
    const response = await invoke('nothing');

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('null');
  });

  it('gives the handler a Lambda context', async () => {
    const response = await invoke('contextual');
    const body = (await response.json()) as Record<string, unknown>;

    expect(body).toMatchObject({
      functionName: 'contextual',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:contextual',
      memoryLimitInMB: '128',
      awsRequestId: response.headers.get('x-amzn-requestid'),
      logGroupName: '/aws/lambda/contextual',
    });
    expect(body.logStreamName).toMatch(LOG_STREAM);
    expect(body.remainingMs).toBeGreaterThan(1_500);
    expect(body.remainingMs).toBeLessThanOrEqual(2_000);
  });

  it('reports a thrown error as an Unhandled function error with the runtime error document', async () => {
    const response = await invoke('refuses', preSignUpEvent());

    expect(response.status).toBe(200);
    expect(response.headers.get('x-amz-function-error')).toBe('Unhandled');
    const body = (await response.json()) as { errorType: string; errorMessage: string; trace: string[] };
    expect(body.errorType).toBe('ValidationError');
    expect(body.errorMessage).toBe('boom');
    expect(body.trace[0]).toBe('ValidationError: boom');
    expect(body.trace.length).toBeGreaterThan(1);
  });

  it('answers past the function timeout with the timeout error message', async () => {
    const started = Date.now();
    const response = await invoke('sleepy');
    const elapsed = Date.now() - started;

    expect(response.status).toBe(200);
    expect(response.headers.get('x-amz-function-error')).toBe('Unhandled');
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['errorMessage']);
    expect(body.errorMessage).toMatch(new RegExp(`^${ISO} ${UUID} Task timed out after 0\\.\\d{2} seconds$`));
    // Answered at the function timeout, not when the handler's 1 s call returned.
    expect(elapsed).toBeLessThan(900);
  });

  it('answers 404 ResourceNotFoundException for an unknown function', async () => {
    const response = await invoke('no-such-function');

    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(await response.json()).toMatchObject({
      Type: 'User',
      Message: 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:no-such-function',
    });
  });

  it.each([
    ['a name with :qualifier', 'autoConfirm:7', '', '7'],
    ['a ?Qualifier= query', 'autoConfirm', '?Qualifier=7', '7'],
    ['an alias', 'autoConfirm:live', '', '$LATEST'],
    [
      'a full ARN',
      encodeURIComponent('arn:aws:lambda:us-east-1:123456789012:function:autoConfirm:$LATEST'),
      '',
      '$LATEST',
    ],
  ])('invokes %s', async (_case, ref, query, version) => {
    const response = await invoke(ref, preSignUpEvent(), {}, query);

    expect(response.status).toBe(200);
    expect(response.headers.get('x-amz-executed-version')).toBe(version);
    const batch = batchOf(response.headers.get('x-amzn-requestid'));
    expect(batch.lines[0]?.message).toBe(`START RequestId: ${batch.requestId} Version: ${version}`);
  });

  it('rejects a body that is not JSON with InvalidRequestContentException', async () => {
    const response = await invoke('autoConfirm', undefined, { body: '{not json' });

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
  });

  it('accepts an Event invocation with 202 and still records its log', async () => {
    const before = batches.length;
    const response = await invoke('autoConfirm', preSignUpEvent('event-user'), {
      headers: { 'X-Amz-Invocation-Type': 'Event' },
    });

    expect(response.status).toBe(202);
    for (let i = 0; i < 50 && batches.length === before; i++) await sleep(10);
    const batch = batches.at(-1);
    expect(
      batch?.lines.some((line) => line.message.endsWith('received PreSignUp_SignUp for event-user')),
    ).toBe(true);
  });

  describe('log lines', () => {
    it('writes START, the handler lines in the text format, END and REPORT', async () => {
      const response = await invoke('autoConfirm', preSignUpEvent());
      const batch = batchOf(response.headers.get('x-amzn-requestid'));
      const id = batch.requestId;

      expect(batch.functionName).toBe('autoConfirm');
      expect(batch.logGroup).toBe('/aws/lambda/autoConfirm');
      expect(batch.logStream).toMatch(LOG_STREAM);
      const lines = messages(batch);
      expect(lines).toHaveLength(5);
      expect(lines[0]).toBe(`START RequestId: ${id} Version: $LATEST`);
      expect(lines[1]).toMatch(new RegExp(`^${ISO}\\t${id}\\tINFO\\treceived PreSignUp_SignUp for alice$`));
      expect(lines[2]).toMatch(new RegExp(`^${ISO}\\t${id}\\tWARN\\tfirst line\\nsecond line$`));
      expect(lines[3]).toBe(`END RequestId: ${id}`);
      expect(lines[4]).toMatch(
        new RegExp(
          `^REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d{2} ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\t$`,
        ),
      );
    });

    it('stamps each line with its epoch-ms time, in order', async () => {
      const response = await invoke('autoConfirm', preSignUpEvent());
      const { lines } = batchOf(response.headers.get('x-amzn-requestid'));

      const times = lines.map((line) => line.timestamp);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(Math.abs((times[0] ?? 0) - Date.now())).toBeLessThan(5_000);
      const appTime = lines[1]?.message.split('\t')[0];
      expect(appTime).toBe(new Date(lines[1]?.timestamp ?? 0).toISOString());
    });

    it('writes a REPORT the log parser reads, with Init Duration on a cold start only', async () => {
      server.setFunction('tagger', functions.tagger);
      const cold = batchOf((await invoke('tagger', { tag: 'a' })).headers.get('x-amzn-requestid'));
      const warm = batchOf((await invoke('tagger', { tag: 'b' })).headers.get('x-amzn-requestid'));

      const coldReport = observe(cold, cold.lines.at(-1)?.message ?? '');
      expect(coldReport).toHaveLength(1);
      expect(coldReport[0]).toMatchObject({
        kind: 'invocation-report',
        requestId: cold.requestId,
        memorySizeMb: 256,
        origin: { logGroup: '/aws/lambda/tagger', functionName: 'tagger', logStream: cold.logStream },
      });
      const report = coldReport[0] as Extract<LogObservation, { kind: 'invocation-report' }>;
      expect(report.durationMs).toBeGreaterThan(0);
      expect(report.billedDurationMs).toBe(Math.ceil(report.durationMs));
      expect(report.initDurationMs).toBeGreaterThanOrEqual(0);
      expect(report.maxMemoryUsedMb).toBeGreaterThan(0);
      expect(report.maxMemoryUsedMb).toBeLessThanOrEqual(256);
      expect(report.status).toBeUndefined();

      const warmReport = observe(warm, warm.lines.at(-1)?.message ?? '')[0];
      expect(warmReport).toMatchObject({ kind: 'invocation-report', requestId: warm.requestId });
      expect(warmReport).not.toHaveProperty('initDurationMs');
      expect(warm.logStream).toBe(cold.logStream);
    });

    it('writes the runtime Invoke Error line for a thrown error, read as a function error', async () => {
      const response = await invoke('refuses', preSignUpEvent());
      const batch = batchOf(response.headers.get('x-amzn-requestid'));
      const lines = messages(batch);

      expect(lines).toHaveLength(5);
      expect(lines[1]).toMatch(new RegExp(`^${ISO}\\t${batch.requestId}\\tERROR\\tabout to refuse$`));
      const invokeError = lines[2] ?? '';
      expect(invokeError).toMatch(new RegExp(`^${ISO}\\t${batch.requestId}\\tERROR\\tInvoke Error \\t\\{`));
      const details = JSON.parse(invokeError.slice(invokeError.indexOf('{'))) as Record<string, unknown>;
      expect(details).toMatchObject({
        errorType: 'ValidationError',
        errorMessage: 'boom',
        code: 'E_BAD_INPUT',
      });
      expect((details.stack as string[])[0]).toBe('ValidationError: boom');
      expect(observe(batch, invokeError)).toEqual([
        expect.objectContaining({
          kind: 'function-error',
          label: 'invoke-error',
          requestId: batch.requestId,
          errorType: 'ValidationError',
          errorMessage: 'boom',
        }),
      ]);
      expect(lines[3]).toBe(`END RequestId: ${batch.requestId}`);
    });

    it('writes the timeout line and Status: timeout, drops what the handler logs afterwards, and resets the sandbox', async () => {
      sleepyFinished = deferred();
      const first = await invoke('sleepy');
      const timedOut = batchOf(first.headers.get('x-amzn-requestid'));
      const lines = messages(timedOut);

      expect(lines).toHaveLength(5);
      expect(lines[1]).toMatch(/\tINFO\tstarting a long call$/);
      const timeoutLine = lines[2] ?? '';
      expect(timeoutLine).toMatch(
        new RegExp(`^${ISO} ${timedOut.requestId} Task timed out after 0\\.\\d{2} seconds$`),
      );
      expect(timeoutLine).toBe(((await first.json()) as { errorMessage: string }).errorMessage);
      expect(observe(timedOut, timeoutLine)).toEqual([
        expect.objectContaining({ kind: 'timeout', requestId: timedOut.requestId }),
      ]);
      expect(lines[3]).toBe(`END RequestId: ${timedOut.requestId}`);
      expect(lines[4]).toMatch(/\tStatus: timeout$/);
      expect(observe(timedOut, lines[4] ?? '')).toEqual([
        expect.objectContaining({ kind: 'invocation-report', status: 'timeout' }),
      ]);

      await sleepyFinished.promise;
      expect(
        batches.some((batch) => batch.lines.some((line) => line.message.includes('finished the long call'))),
      ).toBe(false);
      expect(timedOut.lines).toHaveLength(5);

      const next = batchOf((await invoke('sleepy')).headers.get('x-amzn-requestid'));
      expect(next.logStream).not.toBe(timedOut.logStream);
      expect(next.lines.at(-1)?.message).toMatch(/\tInit Duration: \d+\.\d{2} ms\t/);
    });

    it('keeps concurrent invocations’ lines apart', async () => {
      const tags = Array.from({ length: 12 }, (_, i) => `t${i}`);
      const responses = await Promise.all(
        tags.map(async (tag) => {
          const response = await invoke('tagger', { tag });
          return { tag, requestId: response.headers.get('x-amzn-requestid') };
        }),
      );

      for (const { tag, requestId } of responses) {
        const appLines = messages(batchOf(requestId)).filter((line) => /\tINFO\t/.test(line));
        expect(appLines).toHaveLength(5);
        for (const line of appLines) {
          expect(line).toContain(`\t${requestId}\tINFO\ttag=${tag} step=`);
        }
      }
    });
  });

  it('turns an invocation log into a subscription payload the trigger-log boundary decodes', async () => {
    const response = await invoke('refuses', preSignUpEvent());
    const batch = batchOf(response.headers.get('x-amzn-requestid'));

    const decoded = decodeSubscriptionEvent(toSubscriptionEvent(batch));

    expect(decoded.stats).toMatchObject({ lines: 5, unreadable: 0 });
    expect(decoded.observations.map((observation) => observation.kind).sort()).toEqual([
      'function-error',
      'invocation-report',
    ]);
    expect(decoded.observations[0]?.origin).toMatchObject({
      logGroup: '/aws/lambda/refuses',
      logStream: batch.logStream,
      functionName: 'refuses',
    });
  });

  it('hot-swaps a function: the new code answers from a new, cold sandbox', async () => {
    const before = server.invocations('autoConfirm');
    const warm = batchOf((await invoke('autoConfirm', preSignUpEvent())).headers.get('x-amzn-requestid'));

    server.setFunction('autoConfirm', {
      handler: async (event: unknown) => {
        const typed = event as Event;
        return { ...typed, response: { ...(typed.response as Event), autoConfirmUser: 'true' } };
      },
    });
    const response = await invoke('autoConfirm', preSignUpEvent());
    const swapped = batchOf(response.headers.get('x-amzn-requestid'));

    expect(((await response.json()) as { response: Event }).response.autoConfirmUser).toBe('true');
    expect(swapped.logStream).not.toBe(warm.logStream);
    expect(swapped.lines.at(-1)?.message).toContain('\tInit Duration: ');
    expect(server.invocations('autoConfirm')).toBe(before + 2);
    expect(server.invocations('never-defined')).toBe(0);

    server.setFunction('autoConfirm', functions.autoConfirm);
  });

  it('refuses a function definition Lambda would refuse', () => {
    expect(() => server.setFunction('bad name!', functions.nothing)).toThrow(LocalFunctionConfigError);
    expect(() => server.setFunction('ok', { ...functions.nothing, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => server.setFunction('ok', { ...functions.nothing, memorySizeMb: 64 })).toThrow(
      /memorySizeMb/,
    );
  });

  describe('with the AWS SDK Lambda client', () => {
    const client = () =>
      new LambdaClient({
        endpoint: server.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
      });

    it('reads a function error, its payload and the tail of its log', async () => {
      const output = await client().send(
        new InvokeCommand({
          FunctionName: 'refuses',
          Payload: Buffer.from(JSON.stringify(preSignUpEvent())),
          LogType: 'Tail',
        }),
      );

      expect(output.StatusCode).toBe(200);
      expect(output.FunctionError).toBe('Unhandled');
      expect(output.ExecutedVersion).toBe('$LATEST');
      expect(JSON.parse(Buffer.from(output.Payload ?? []).toString('utf8'))).toMatchObject({
        errorType: 'ValidationError',
        errorMessage: 'boom',
      });
      const tail = Buffer.from(output.LogResult ?? '', 'base64').toString('utf8');
      expect(tail).toMatch(/^START RequestId: /);
      expect(tail).toContain('\tERROR\tInvoke Error \t{');
      expect(tail).toMatch(/REPORT RequestId: .*\n$/);
    });

    it('gets ResourceNotFoundException for an unknown function', async () => {
      await expect(client().send(new InvokeCommand({ FunctionName: 'missing' }))).rejects.toBeInstanceOf(
        ResourceNotFoundException,
      );
    });
  });
});

describe('the host process console', () => {
  it('still receives its own calls made while invocations run, and none of the handlers’', async () => {
    const original = console.log;
    const host: string[] = [];
    console.log = (...args: unknown[]) => {
      host.push(args.join(' '));
    };
    try {
      const server = await startLambdaInvokeServer({
        functions: {
          chatty: {
            handler: async () => {
              console.log('from the handler, before');
              await sleep(50);
              console.log('from the handler, after');
              return 'ok';
            },
          },
        },
      });
      const batches: LambdaLogBatch[] = [];
      server.onLogs((batch) => batches.push(batch));
      const pending = fetch(`${server.endpoint}/2015-03-31/functions/chatty/invocations`, {
        method: 'POST',
        body: '{}',
      });
      await sleep(20);
      console.log('from the host, meanwhile');
      await (await pending).json();
      await server.stop();

      expect(host).toEqual(['from the host, meanwhile']);
      expect(batches[0]?.lines.map((line) => line.message.split('\t').at(-1))).toEqual([
        expect.stringMatching(/^START /),
        'from the handler, before',
        'from the handler, after',
        expect.stringMatching(/^END /),
        '',
      ]);
    } finally {
      console.log = original;
    }
  });
});

describe('stopping the invoke server', () => {
  it('closes open connections and restores the console', async () => {
    const originalLog = console.log;
    const server = await startLambdaInvokeServer({ functions: { idle: { handler: async () => 'ok' } } });
    expect(console.log).not.toBe(originalLog);

    const response = await fetch(`${server.endpoint}/2015-03-31/functions/idle/invocations`, {
      method: 'POST',
      body: '{}',
      headers: { Connection: 'keep-alive' },
    });
    expect(await response.json()).toBe('ok');

    await server.stop();
    await server.stop();

    expect(console.log).toBe(originalLog);
    await expect(
      fetch(`${server.endpoint}/2015-03-31/functions/idle/invocations`, { method: 'POST', body: '{}' }),
    ).rejects.toThrow();
  });
});
