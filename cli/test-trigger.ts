/**
 * `cognito-sentinel test-trigger FILE[#export] | --function-name NAME [--qualifier Q] --trigger NAME`:
 * runs a trigger handler against generated Cognito events for every triggerSource of its trigger
 * and checks each response against the contracts the monitor uses. Findings print as `scan-logs`
 * prints them, each with the smallest failing event (shrunk by fast-check, redacted).
 *
 * A FILE is loaded in this process (ESM or CommonJS, async or callback-style handler); a deployed
 * function is called through Lambda's Invoke API (any runtime; honours AWS_ENDPOINT_URL).
 * Exit codes: 0 nothing at or above `--fail-on`, 1 found something, 2 bad usage or unloadable input.
 */
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SEVERITIES } from '../detectors/types';
import { redactDeep } from '../redaction/redact';
import { awsClientOptions } from '../runtime/aws-client-options';
import {
  type CognitoEvent,
  checkTrigger,
  DEFAULT_RUNS,
  INVOCATION_TIMEOUT_MS,
  type Invocation,
  type Invoke,
  invokeHandler,
  isTestTrigger,
  type LambdaHandler,
  TEST_TRIGGERS,
  type TriggerCheckResult,
} from '../testing';
import { type CommandRun, parseCommandArgs, printUsage } from './command-args';
import { exitCodeFor, FINDING_OUTPUT_OPTIONS, toFindingOutput } from './finding-output';
import { UsageError } from './usage-error';

export const TEST_TRIGGER_USAGE = `Usage: cognito-sentinel test-trigger FILE[#export] --trigger NAME [options]
       cognito-sentinel test-trigger --function-name NAME [--qualifier VERSION_OR_ALIAS] --trigger NAME [options]

Runs a trigger handler against generated Cognito events, every triggerSource of the trigger, and
checks each response against Cognito's contract (the monitor's own checks). A thrown error is
trigger-error, no answer within 5 s is trigger-timeout. Each failure is shrunk to the smallest
failing event, printed redacted.

FILE is an ES module (.mjs, or .js under "type": "module") or a CommonJS module; the export
defaults to 'handler'. Async handlers and callback-style (event, context, callback) handlers work.
--function-name invokes a deployed function (any runtime) through Lambda's Invoke API with the
standard credential chain; AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_LAMBDA are honoured.

Options:
  --trigger NAME            ${TEST_TRIGGERS.join(', ')}
                            (PreTokenGeneration is event version 1)
  --runs N                  events per triggerSource (default ${DEFAULT_RUNS})
  --seed N                  fast-check seed, to replay a run
  --function-name NAME      invoke this Lambda function instead of a FILE
  --qualifier Q             version or alias of --function-name
  --region REGION           region of --function-name (default AWS_REGION)
  --format json|text        json: one finding per line; text: the report (default on a terminal)
  --fail-on SEVERITY        exit 1 when a finding is at or above it: ${SEVERITIES.join('|')} (default error)
  -h, --help                show this help

Exit codes: 0 nothing at or above --fail-on, 1 found something, 2 bad usage or unloadable input.`;

/** The deployed function could not be invoked at all (missing, no permission, no credentials). */
export class TriggerInvokeError extends Error {
  override readonly name = 'TriggerInvokeError';
}

const parse = (argv: readonly string[]) => {
  try {
    return parseCommandArgs(
      argv,
      {
        ...FINDING_OUTPUT_OPTIONS,
        trigger: { type: 'string' },
        runs: { type: 'string' },
        seed: { type: 'string' },
        'function-name': { type: 'string' },
        qualifier: { type: 'string' },
        region: { type: 'string' },
      },
      true,
    );
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${TEST_TRIGGER_USAGE}`);
  }
};

const toInteger = (name: string, raw: string | undefined, min: number, max: number): number | undefined => {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} "${raw}": expected a whole number from ${min} to ${max}`);
  }
  return value;
};

/** Splits `FILE#export` at the last `#`; the export defaults to `handler`. */
const splitTarget = (target: string): { file: string; exportName: string } => {
  const hash = target.lastIndexOf('#');
  if (hash <= 0) return { file: target, exportName: 'handler' };
  return { file: target.slice(0, hash), exportName: target.slice(hash + 1) || 'handler' };
};

const loadHandler = async (target: string): Promise<{ handler: LambdaHandler; name: string }> => {
  const { file, exportName } = splitTarget(target);
  const path = resolve(file);
  try {
    await stat(path);
  } catch (error) {
    throw new UsageError(
      `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`,
    );
  }
  let mod: Record<string, unknown>;
  try {
    // The CLI runs compiled JavaScript: a TypeScript handler needs tsx's loader, registered on demand.
    if (/\.[cm]?tsx?$/.test(path)) (await import('tsx/esm/api')).register();
    // import() of a file URL loads ES modules and CommonJS alike.
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`${file}: failed to load (${(error as Error).name}: ${(error as Error).message})`);
  }
  const cjsDefault = mod.default as Record<string, unknown> | undefined;
  const handler =
    mod[exportName] ?? (cjsDefault && typeof cjsDefault === 'object' ? cjsDefault[exportName] : undefined);
  if (typeof handler !== 'function') {
    const names = [...new Set([...Object.keys(mod), ...Object.keys(cjsDefault ?? {})])].filter(
      (name) => name !== 'default' && name !== 'module.exports',
    );
    throw new UsageError(
      `${file}: export "${exportName}" is not a function (exports: ${names.join(', ') || 'none'}); name one with ${file}#EXPORT`,
    );
  }
  return { handler: handler as LambdaHandler, name: `${basename(file)}#${exportName}` };
};

const TASK_TIMED_OUT = /Task timed out after ([\d.]+) seconds/;

/** Invokes a deployed function once per event through the Lambda Invoke API. */
const toRemoteInvoke = (
  client: LambdaClient,
  functionName: string,
  qualifier: string | undefined,
): Invoke => {
  const decoder = new TextDecoder();
  return async (event: CognitoEvent): Promise<Invocation> => {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), INVOCATION_TIMEOUT_MS);
    try {
      const output = await client.send(
        new InvokeCommand({
          FunctionName: functionName,
          ...(qualifier ? { Qualifier: qualifier } : {}),
          Payload: new TextEncoder().encode(JSON.stringify(event)),
        }),
        { abortSignal: abort.signal },
      );
      const text = output.Payload ? decoder.decode(output.Payload) : '';
      if (output.FunctionError) {
        let document: { errorType?: unknown; errorMessage?: unknown } = {};
        try {
          document = JSON.parse(text) as typeof document;
        } catch {
          document = { errorMessage: text };
        }
        const errorMessage = typeof document.errorMessage === 'string' ? document.errorMessage : text;
        const timedOut = TASK_TIMED_OUT.exec(errorMessage);
        if (timedOut) return { kind: 'timed-out', afterMs: Number(timedOut[1]) * 1000 };
        const errorType = typeof document.errorType === 'string' ? document.errorType : output.FunctionError;
        return { kind: 'threw', errorType, errorMessage };
      }
      if (text === '' || text === 'null')
        return { kind: 'returned', value: text === 'null' ? null : undefined };
      try {
        return { kind: 'returned', value: JSON.parse(text) };
      } catch {
        // Cognito cannot read a non-JSON payload either: judge it as the string it is.
        return { kind: 'returned', value: text };
      }
    } catch (error) {
      if (abort.signal.aborted) return { kind: 'timed-out', afterMs: INVOCATION_TIMEOUT_MS };
      const name = (error as Error).name;
      throw new TriggerInvokeError(
        `Cannot invoke ${functionName}${qualifier ? `:${qualifier}` : ''}: ${name}: ${(error as Error).message}`,
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
    }
  };
};

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/**
 * Runs `work` with the handler's console output dropped: it would interleave with the findings on
 * stdout, and handlers often log the whole event (personal data).
 */
const withQuietConsole = async <T>(work: () => Promise<T>): Promise<T> => {
  const saved = CONSOLE_METHODS.map((method) => [method, console[method]] as const);
  for (const method of CONSOLE_METHODS) console[method] = () => undefined;
  try {
    return await work();
  } finally {
    for (const [method, original] of saved) console[method] = original;
  }
};

const indent = (text: string, prefix: string) =>
  text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');

const renderText = (result: TriggerCheckResult, label: string): string => {
  const invocations = result.sources.reduce((sum, source) => sum + source.invocations, 0);
  const count = result.findings.length;
  const lines = [
    `test-trigger ${result.trigger} (${label}): ${invocations} invocations over ${result.sources.length} triggerSource${result.sources.length === 1 ? '' : 's'}, ${count} finding${count === 1 ? '' : 's'} (seed ${result.seed}).`,
    '',
  ];
  for (const source of result.sources) {
    const mark = source.findings.length === 0 ? 'ok  ' : 'FAIL';
    lines.push(`  ${mark} ${source.triggerSource} (${source.invocations} invocations)`);
  }
  for (const source of result.sources) {
    for (const finding of source.findings) {
      const safe = redactDeep(finding);
      lines.push(
        '',
        `[${safe.severity}] ${safe.detector}: ${safe.title}`,
        `  triggerSource: ${safe.triggerSource ?? source.triggerSource}`,
        ...(safe.field ? [`  field:         ${safe.field}`] : []),
        ...(safe.expected ? [`  expected:      ${safe.expected}`] : []),
        ...(safe.actual ? [`  actual:        ${safe.actual}`] : []),
        `  runbook:       ${safe.runbook}`,
        '  smallest failing event (redacted):',
        indent(JSON.stringify(redactDeep(source.smallestFailingEvent), null, 2), '    '),
      );
    }
  }
  return `${lines.join('\n')}\n`;
};

/** Runs `test-trigger` and returns its exit code. */
export const testTrigger: CommandRun = async (argv, io) => {
  const { values, positionals } = parse(argv);
  if (values.help) return printUsage(io, TEST_TRIGGER_USAGE);
  const { format, failOn } = toFindingOutput(values, io);
  const trigger = values.trigger;
  if (trigger === undefined)
    throw new UsageError(`test-trigger: --trigger is required (one of ${TEST_TRIGGERS.join(', ')})`);
  if (!isTestTrigger(trigger)) {
    throw new UsageError(`--trigger "${trigger}": expected one of ${TEST_TRIGGERS.join(', ')}`);
  }
  const runs = toInteger('runs', values.runs, 1, 10_000) ?? DEFAULT_RUNS;
  const seed = toInteger('seed', values.seed, -0x80000000, 0x7fffffff);
  const functionName = values['function-name'];
  if (functionName !== undefined && positionals.length > 0) {
    throw new UsageError('test-trigger: pass either FILE[#export] or --function-name, not both');
  }
  if (functionName === undefined && positionals.length !== 1) {
    throw new UsageError('test-trigger: pass one FILE[#export], or --function-name NAME');
  }
  if (values.qualifier !== undefined && functionName === undefined) {
    throw new UsageError('--qualifier needs --function-name');
  }

  let invoke: Invoke;
  let label: string;
  let logGroup: string;
  if (functionName !== undefined) {
    const region = values.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
    if (!region) throw new UsageError('test-trigger: --function-name needs --region or AWS_REGION');
    const endpoint = io.env.AWS_ENDPOINT_URL_LAMBDA ?? io.env.AWS_ENDPOINT_URL;
    const client = new LambdaClient({
      region,
      ...awsClientOptions('triggerInvoke'),
      ...(endpoint ? { endpoint } : {}),
    });
    invoke = toRemoteInvoke(client, functionName, values.qualifier);
    label = `${functionName}${values.qualifier ? `:${values.qualifier}` : ''}`;
    logGroup = `/aws/lambda/${functionName}`;
  } else {
    const { handler, name } = await loadHandler(positionals[0] ?? '');
    invoke = (event) => invokeHandler(handler, event, { functionName: name });
    label = name;
    logGroup = positionals[0] ?? name;
  }

  let result: TriggerCheckResult;
  try {
    result = await withQuietConsole(() =>
      checkTrigger({
        trigger,
        invoke,
        runs,
        logGroup,
        functionName: label,
        now: new Date(),
        ...(seed === undefined ? {} : { seed }),
      }),
    );
  } catch (error) {
    if (error instanceof TriggerInvokeError) throw new UsageError(error.message);
    throw error;
  }

  if (format === 'json') {
    for (const source of result.sources) {
      for (const finding of source.findings) {
        io.stdout(
          `${JSON.stringify({ ...redactDeep(finding), smallestFailingEvent: redactDeep(source.smallestFailingEvent) })}\n`,
        );
      }
    }
  } else {
    io.stdout(renderText(result, label));
  }
  return exitCodeFor(result.findings, failOn);
};

/** The `test-trigger` command, as the CLI loads it. */
export const COMMAND = { run: testTrigger, usage: TEST_TRIGGER_USAGE };
