import { describe, expect, it } from 'vitest';
import { type CanaryClock, createCaller, DEFAULT_RETRY_POLICY } from '../../canary/caller';
import { createScrubber } from '../../canary/scrub';

/** Cognito's text, verbatim (rahulpsd18/cognito-backup-restore#46). */
const EMAIL_LIMIT =
  'Exceeded daily email limit for the operation or the account. If a higher limit is required, please configure your user pool to use your own Amazon SES configuration for sending email.';

/** A caller with the default retry policy and a minute to spend, on `clock`. */
const defaultCaller = (clock: CanaryClock) =>
  createCaller({ policy: DEFAULT_RETRY_POLICY, deadline: 60_000, clock, scrubber: createScrubber() });

describe('createCaller', () => {
  const fakeClock = () => {
    let now = 0;
    const sleeps: number[] = [];
    const clock: CanaryClock = {
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
      random: () => 0.5,
    };
    return { clock, sleeps, advance: (ms: number) => (now += ms) };
  };
  const throttle = () => Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });

  it('backs off exponentially with jitter, capped, and reports every attempt as a round trip', async () => {
    const { clock, sleeps } = fakeClock();
    const trips: number[] = [];
    const caller = createCaller({
      policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 300 },
      deadline: 60_000,
      clock,
      scrubber: createScrubber(),
      onRoundTrip: (ms) => trips.push(ms),
    });

    const outcome = await caller.call(async () => {
      throw throttle();
    });

    expect(outcome).toMatchObject({ ok: false, attempts: 5, error: { kind: 'throttled', attempts: 5 } });
    expect(sleeps).toEqual([50, 100, 150, 150]);
    expect(trips).toHaveLength(5);
  });

  it("does not retry Cognito's daily email limit, which shares LimitExceededException with throttling", async () => {
    const { clock, sleeps } = fakeClock();
    const caller = defaultCaller(clock);
    let calls = 0;

    const outcome = await caller.call(async () => {
      calls++;
      throw Object.assign(new Error(EMAIL_LIMIT), {
        name: 'LimitExceededException',
        $metadata: { httpStatusCode: 400 },
      });
    });

    expect(outcome).toMatchObject({
      ok: false,
      attempts: 1,
      error: { kind: 'service', name: 'LimitExceededException' },
    });
    expect({ calls, sleeps }).toEqual({ calls: 1, sleeps: [] });
  });

  it('does not retry what another attempt cannot fix', async () => {
    const { clock, sleeps } = fakeClock();
    const caller = defaultCaller(clock);
    let calls = 0;

    const outcome = await caller.call(async () => {
      calls += 1;
      throw Object.assign(new Error('User is disabled.'), { name: 'NotAuthorizedException' });
    });

    expect(outcome).toMatchObject({ ok: false, attempts: 1 });
    expect(calls).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('aborts an attempt that outlives its timeout and reports it as a network timeout', async () => {
    const caller = createCaller({
      policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 1, attemptTimeoutMs: 50 },
      deadline: Number.POSITIVE_INFINITY,
      clock: { now: () => 0, sleep: async () => undefined, random: () => 0 },
      scrubber: createScrubber(),
    });

    const outcome = await caller.call(
      (signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () =>
            reject(Object.assign(new Error('aborted'), { name: 'AbortError' })),
          );
        }),
    );

    expect(outcome).toMatchObject({
      ok: false,
      error: { name: 'TimeoutError', kind: 'network', message: 'no answer within 50 ms' },
    });
  });
});
