/**
 * Runs one API call of the canary with retries: throttled, unreachable and 5xx calls are retried
 * with exponential backoff and full jitter, each attempt bounded by a timeout, all of it inside the
 * run's deadline. Every attempt's round trip is reported (the bench compares the canary's own
 * overhead against their sum). Never throws: the outcome is a value.
 */
import type { CanaryError } from '../detectors/canary-observations';
import { classifyError, toCanaryError } from './call-error';
import type { Scrubber } from './scrub';

/** Retry settings of one run; see canaryRetrySchema for the config keys. */
export interface RetryPolicy {
  /** Attempts per call, the first included. */
  maxAttempts: number;
  /** First backoff in ms; doubles per attempt, capped at `maxDelayMs`, full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Timeout of one attempt in ms. */
  attemptTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 2_000,
  // Longer than Cognito's own 5 s wait for a trigger, so its answer about a slow trigger arrives.
  attemptTimeoutMs: 8_000,
};

/** Time as the canary sees it: a monotonic clock in ms, a sleep, and a source of jitter. */
export interface CanaryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

export const systemClock: CanaryClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

export type CallOutcome<T> =
  | { ok: true; value: T; attempts: number }
  | { ok: false; error: CanaryError; cause: unknown; attempts: number };

export interface CallOptions {
  /** Retry throttling, network errors and 5xx (default true). Clean-up calls with a fallback pass false. */
  retry?: boolean;
}

export interface Caller {
  call<T>(send: (signal: AbortSignal) => Promise<T>, options?: CallOptions): Promise<CallOutcome<T>>;
}

export interface CallerOptions {
  policy: RetryPolicy;
  /** The run's deadline on `clock.now()`'s scale; no attempt starts or sleeps past it. */
  deadline: number;
  clock: CanaryClock;
  scrubber: Scrubber;
  /** Called with the duration of every attempt, in ms. */
  onRoundTrip?: (ms: number) => void;
}

/** Shortest attempt worth starting, in ms: anything less would only produce a timeout. */
const MIN_ATTEMPT_MS = 50;

class AttemptTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

export const createCaller = ({ policy, deadline, clock, scrubber, onRoundTrip }: CallerOptions): Caller => ({
  async call(send, options = {}) {
    const maxAttempts = options.retry === false ? 1 : policy.maxAttempts;
    let attempts = 0;
    for (;;) {
      attempts += 1;
      const budget = Math.min(policy.attemptTimeoutMs, Math.max(MIN_ATTEMPT_MS, deadline - clock.now()));
      const controller = new AbortController();
      const timer = setTimeout(
        () => controller.abort(new AttemptTimeoutError(`no answer within ${Math.round(budget)} ms`)),
        budget,
      );
      const started = clock.now();
      let failure: unknown;
      try {
        const value = await send(controller.signal);
        return { ok: true, value, attempts };
      } catch (error) {
        // The SDK rejects with its own AbortError; the reason says it was our timeout.
        failure = controller.signal.aborted ? controller.signal.reason : error;
      } finally {
        clearTimeout(timer);
        onRoundTrip?.(clock.now() - started);
      }
      const { retryable } = classifyError(failure);
      const backoff = clock.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempts - 1));
      const nextStart = clock.now() + backoff;
      if (!retryable || attempts >= maxAttempts || nextStart + MIN_ATTEMPT_MS > deadline) {
        return { ok: false, error: toCanaryError(failure, attempts, scrubber), cause: failure, attempts };
      }
      await clock.sleep(backoff);
    }
  },
});
