import { describe, expect, it } from 'vitest';
import type { TriggerName } from '../../contracts/triggers';
import type { LogObservation } from '../../detectors/observations';
import { triggerSlow } from '../../detectors/trigger-slow';
import type { DetectorConfig } from '../../detectors/types';
import {
  context,
  FUNCTION,
  LOG_GROUP,
  OTHER_REQUEST_ID,
  origin,
  originFor,
  originLocation,
  POOL,
  report,
  timeoutLine,
} from '../fixtures/observations/builders';

const detect = (observations: LogObservation[], config: Partial<DetectorConfig> = {}) =>
  triggerSlow.detect(observations, context(config));

describe('trigger-slow', () => {
  it('warns about a 3500 ms PreSignUp invocation', () => {
    const slow = report({ durationMs: 3500, status: 'success' });
    expect(detect([slow])).toEqual([
      {
        detector: 'trigger-slow',
        severity: 'warning',
        title: "PreSignUp trigger shop-presignup took 3.50 s, close to Cognito's 5.00 s limit",
        ...originLocation(),
        field: 'duration',
        expected: 'under 3.00 s',
        actual: '3.50 s',
        evidence: [slow.line],
        dedupKey: `trigger-slow:${POOL}:PreSignUp`,
        runbook: 'trigger-slow',
      },
    ]);
  });

  it.each([
    [1, 50, 'took 0.05 s, over the 1 ms warning budget'],
    [1000, 2400, 'took 2.40 s, over the 1.00 s warning budget'],
    [1000, 2500, "took 2.50 s, close to Cognito's 5.00 s limit"],
  ])(
    'says "close to Cognito\'s limit" only when it is: budget %i ms, %i ms taken',
    (slowThresholdMs, durationMs, phrase) => {
      const [finding] = detect([report({ durationMs, status: 'success' })], { slowThresholdMs });
      expect(finding?.title).toBe(`PreSignUp trigger shop-presignup ${phrase}`);
    },
  );

  it.each<{ name: string; durationMs: number; initDurationMs?: number; count: number }>([
    { name: '2999 ms', durationMs: 2999, count: 0 },
    { name: '3000 ms', durationMs: 3000, count: 1 },
    { name: '4999 ms', durationMs: 4999, count: 1 },
    { name: '5000 ms (trigger-timeout owns it)', durationMs: 5000, count: 0 },
    { name: '7000 ms (trigger-timeout owns it)', durationMs: 7000, count: 0 },
    { name: 'a healthy 48 ms', durationMs: 48, count: 0 },
    {
      name: '2000 ms plus 1100 ms of init (cold start counts)',
      durationMs: 2000,
      initDurationMs: 1100,
      count: 1,
    },
    {
      name: '4000 ms plus 1200 ms of init (past the wait)',
      durationMs: 4000,
      initDurationMs: 1200,
      count: 0,
    },
  ])('$name gives $count warning(s)', ({ durationMs, initDurationMs, count }) => {
    const observation = report({ durationMs, ...(initDurationMs !== undefined ? { initDurationMs } : {}) });
    expect(detect([observation])).toHaveLength(count);
  });

  it('names the cold start in the title', () => {
    const [finding] = detect([report({ durationMs: 2000, initDurationMs: 1100 })]);
    expect(finding?.title).toBe(
      "PreSignUp trigger shop-presignup took 3.10 s (cold start: 1.10 s init), close to Cognito's 5.00 s limit",
    );
    expect(finding?.actual).toBe('3.10 s');
  });

  it('reads the JSON platform.report the same way', () => {
    expect(detect([report({ durationMs: 3512.7, status: 'success', json: true })])).toHaveLength(1);
  });

  it('leaves an invocation with Status: timeout to trigger-timeout', () => {
    expect(detect([report({ durationMs: 3000, status: 'timeout' })])).toEqual([]);
  });

  it("leaves Lambda's own 3 s timeout in the older format (timeout line, REPORT without Status) to trigger-timeout", () => {
    expect(detect([timeoutLine(3.0), report({ durationMs: 3003.18 })])).toEqual([]);
  });

  it('still warns about another slow request next to a timed-out one', () => {
    const findings = detect([
      timeoutLine(3.0),
      report({ durationMs: 3003.18 }),
      report({ requestId: OTHER_REQUEST_ID, durationMs: 3400 }),
    ]);
    expect(findings.map((finding) => finding.requestId)).toEqual([OTHER_REQUEST_ID]);
  });

  it.each<[number, number, number]>([
    [1000, 999, 0],
    [1000, 1000, 1],
    [1000, 4000, 1],
    [4500, 4400, 0],
    [4500, 4600, 1],
  ])('honours a threshold of %i ms: %i ms gives %i warning(s)', (slowThresholdMs, durationMs, count) => {
    const findings = detect([report({ durationMs })], { slowThresholdMs });
    expect(findings).toHaveLength(count);
    if (count > 0) expect(findings[0]?.expected).toBe(`under ${(slowThresholdMs / 1000).toFixed(2)} s`);
  });

  it.each<TriggerName>(['CustomEmailSender', 'CustomSMSSender'])(
    'ignores the asynchronous %s: Cognito does not wait for it',
    (trigger) => {
      expect(detect([report({ origin: originFor(trigger), durationMs: 4200 })])).toEqual([]);
    },
  );

  it('treats a function whose trigger is unknown as synchronous and keys it by function name', () => {
    const unknown = origin({ userPoolId: undefined, region: undefined, trigger: undefined });
    const [finding] = detect([report({ origin: unknown, durationMs: 3500 })]);
    expect(finding).toMatchObject({
      title: "Lambda shop-presignup took 3.50 s, close to Cognito's 5.00 s limit",
      dedupKey: `trigger-slow:${LOG_GROUP}:${FUNCTION}`,
    });
  });

  it('keeps one dedup key per function across invocations', () => {
    const findings = detect([
      report({ durationMs: 3500 }),
      report({
        origin: origin({ timestamp: '2024-05-01T12:04:00.000Z' }),
        requestId: OTHER_REQUEST_ID,
        durationMs: 4100,
      }),
    ]);
    expect(findings).toHaveLength(2);
    expect(new Set(findings.map((finding) => finding.dedupKey))).toEqual(
      new Set([`trigger-slow:${POOL}:PreSignUp`]),
    );
  });
});

describe('trigger-slow, work per report', () => {
  /** Counts reads of `logGroup`, which the invocation key of a report is built from. */
  const countingOrigin = () => {
    const counter = { reads: 0 };
    const base = origin();
    const counted = { ...base };
    Object.defineProperty(counted, 'logGroup', {
      enumerable: true,
      get: () => {
        counter.reads++;
        return base.logGroup;
      },
    });
    return { counter, origin: counted };
  };

  it('builds no invocation key for reports under the warning budget, even beside a timeout', () => {
    const { counter, origin: counted } = countingOrigin();
    const fast = Array.from({ length: 50 }, (_, index) =>
      report({ durationMs: 31.6, status: 'success', requestId: `fast-${index}`, origin: counted }),
    );
    expect(detect([timeoutLine(3), ...fast])).toEqual([]);
    expect(counter.reads).toBe(0);
  });
});
