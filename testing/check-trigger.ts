/**
 * Runs a trigger handler against generated Cognito events, every `triggerSource` of its trigger,
 * and turns what went wrong into findings with the monitor's own detectors: a response that breaks
 * the contract is `trigger-response-invalid`, a thrown error `trigger-error`, no answer within
 * Cognito's 5 s `trigger-timeout`. fast-check shrinks each failure to the smallest event that
 * still fails.
 *
 * How the handler is reached is injected (`invoke`): a module loaded in this process, or a
 * deployed function through Lambda's Invoke API (cli/test-trigger.ts).
 */
import fc from 'fast-check';
import { type Violation, validateTriggerReturn } from '../contracts';
import { COGNITO_TRIGGER_TIMEOUT_MS } from '../contracts/triggers';
import { runTriggerLogDetectors } from '../detectors';
import type { LogObservation, LogOrigin } from '../detectors/observations';
import { DEFAULT_DETECTOR_CONFIG, type Finding } from '../detectors/types';
import { type CognitoEvent, cognitoEvents, LAMBDA_CONFIG_KEY, type TestTrigger } from './cognito-events';

/** How one invocation ended, as the caller of the function sees it. */
export type Invocation =
  | { kind: 'returned'; value: unknown }
  | { kind: 'threw'; errorType: string; errorMessage: string }
  | { kind: 'timed-out'; afterMs: number };

/**
 * Invokes the handler once with `event` (a copy the handler may change). Resolves with how the
 * invocation ended; rejects only when the handler could not be reached at all (a missing function,
 * no credentials), which ends the check.
 */
export type Invoke = (event: CognitoEvent) => Promise<Invocation>;

/** Default events per `triggerSource`. */
export const DEFAULT_RUNS = 50;
/** Invocations spent shrinking one failure to its smallest event, at most. */
export const MAX_SHRINK_RUNS = 200;

export interface CheckTriggerOptions {
  trigger: TestTrigger;
  invoke: Invoke;
  /** Events per `triggerSource`. Default {@link DEFAULT_RUNS}. */
  runs?: number;
  /** fast-check seed, for a reproducible run. Default: random. */
  seed?: number;
  /** Where findings say the evidence comes from: the handler file or the function's log group. */
  logGroup: string;
  functionName?: string;
  /** Time stamped on findings. */
  now: Date;
}

/** What happened for one `triggerSource`. */
export interface SourceResult {
  triggerSource: string;
  /** Invocations made for this source (generated events plus shrinking). */
  invocations: number;
  /** The smallest event that failed, as generated (not redacted); absent when every event passed. */
  smallestFailingEvent?: CognitoEvent;
  findings: Finding[];
}

export interface TriggerCheckResult {
  trigger: TestTrigger;
  seed: number;
  sources: SourceResult[];
  /** Every finding, in source order. */
  findings: Finding[];
}

type Verdict = { ok: true } | { ok: false; violations: Violation[] } | { ok: false; violations?: undefined };

const judge = (input: CognitoEvent, invocation: Invocation): Verdict => {
  if (invocation.kind !== 'returned') return { ok: false };
  const result = validateTriggerReturn(input, invocation.value);
  // A returned event whose triggerSource was rewritten to one Cognito does not know is still judged as the input's.
  if (result.ok === 'unknown-trigger-source') return { ok: true };
  return result.ok ? { ok: true } : { ok: false, violations: result.violations };
};

const stringAt = (value: unknown, key: string): string | undefined => {
  const found = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return typeof found === 'string' && found !== '' ? found : undefined;
};

const toObservation = (
  origin: LogOrigin,
  requestId: string,
  event: CognitoEvent,
  invocation: Invocation,
  violations: Violation[] | undefined,
): LogObservation => {
  const triggerSource = String(event.triggerSource);
  if (invocation.kind === 'timed-out') {
    const seconds = (invocation.afterMs / 1000).toFixed(2);
    return {
      kind: 'timeout',
      origin,
      requestId,
      afterSeconds: invocation.afterMs / 1000,
      line: `${origin.timestamp} ${requestId} Task timed out after ${seconds} seconds`,
    };
  }
  if (invocation.kind === 'threw') {
    const { errorType, errorMessage } = invocation;
    return {
      kind: 'function-error',
      origin,
      requestId,
      label: 'invoke-error',
      errorType,
      errorMessage,
      line: `${origin.timestamp}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify({ errorType, errorMessage })}`,
    };
  }
  const userPoolId = stringAt(event, 'userPoolId');
  const region = stringAt(event, 'region');
  const clientId = stringAt(event.callerContext, 'clientId');
  return {
    kind: 'contract-report',
    origin,
    requestId,
    trigger: origin.trigger ?? 'PreSignUp',
    triggerSource,
    ...(userPoolId ? { userPoolId } : {}),
    ...(region ? { region } : {}),
    ...(clientId ? { clientId } : {}),
    violations: violations ?? [],
    line: JSON.stringify(invocation.value) ?? 'undefined',
  };
};

interface Failure {
  event: CognitoEvent;
  invocation: Invocation;
  verdict: Verdict;
}

const checkSource = async (
  arbitrary: fc.Arbitrary<CognitoEvent>,
  options: CheckTriggerOptions & { seed: number },
): Promise<{ invocations: number; failure?: Failure }> => {
  let invocations = 0;
  let budget = Number.POSITIVE_INFINITY;
  let last: Failure | undefined;
  let unreachable: unknown;

  const property = fc.asyncProperty(arbitrary, async (event) => {
    // Out of budget, or the handler cannot be reached: pass, so fast-check stops descending.
    if (budget <= 0 || unreachable !== undefined) return true;
    budget--;
    invocations++;
    let invocation: Invocation;
    try {
      invocation = await options.invoke(structuredClone(event));
    } catch (error) {
      unreachable = error;
      return true;
    }
    const verdict = judge(event, invocation);
    if (verdict.ok) return true;
    last = { event, invocation, verdict };
    return false;
  });

  const runs = options.runs ?? DEFAULT_RUNS;
  const first = await fc.check(property, { numRuns: runs, seed: options.seed, endOnFailure: true });
  if (unreachable !== undefined) throw unreachable;
  if (!first.failed || last === undefined) return { invocations };
  // Shrinking a timeout would wait 5 s per step: report the first timing-out event as found.
  if (last.invocation.kind !== 'timed-out' && first.counterexamplePath) {
    budget = MAX_SHRINK_RUNS;
    await fc.check(property, { seed: first.seed, path: first.counterexamplePath, endOnFailure: false });
    if (unreachable !== undefined) throw unreachable;
  }
  return { invocations, failure: last };
};

/**
 * Runs `options.invoke` against `options.runs` generated events for every `triggerSource` of
 * `options.trigger` and returns the findings of the smallest failing event of each source.
 */
export const checkTrigger = async (options: CheckTriggerOptions): Promise<TriggerCheckResult> => {
  const seed = options.seed ?? (Math.random() * 0x7fffffff) | 0;
  const trigger = LAMBDA_CONFIG_KEY[options.trigger];
  const origin: LogOrigin = {
    logGroup: options.logGroup,
    timestamp: options.now.toISOString(),
    trigger,
    ...(options.functionName ? { functionName: options.functionName } : {}),
  };
  const sources: SourceResult[] = [];
  let index = 0;
  for (const [triggerSource, arbitrary] of Object.entries(cognitoEvents[options.trigger])) {
    const { invocations, failure } = await checkSource(arbitrary, { ...options, seed });
    if (!failure) {
      sources.push({ triggerSource, invocations, findings: [] });
      continue;
    }
    const requestId = `test-trigger-${++index}`;
    const observation = toObservation(
      origin,
      requestId,
      failure.event,
      failure.invocation,
      failure.verdict.ok ? undefined : failure.verdict.violations,
    );
    const findings = runTriggerLogDetectors([observation], {
      config: DEFAULT_DETECTOR_CONFIG,
      now: options.now,
    }).map((finding) => ({ ...finding, triggerSource: finding.triggerSource ?? triggerSource }));
    sources.push({ triggerSource, invocations, smallestFailingEvent: failure.event, findings });
  }
  return { trigger: options.trigger, seed, sources, findings: sources.flatMap((source) => source.findings) };
};

/** Cognito's wait for a synchronous trigger, the per-invocation timeout of a check. */
export const INVOCATION_TIMEOUT_MS = COGNITO_TRIGGER_TIMEOUT_MS;
