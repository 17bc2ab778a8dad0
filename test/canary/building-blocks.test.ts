/**
 * The canary's building blocks: SECRET_HASH, error classification, the retrying caller, scrubbing,
 * client validity, LambdaConfig reading and the endpoint and region helpers.
 */
import { describe, expect, it } from 'vitest';
import { toProbeLocation } from '../../canary/api-probe';
import { cognitoEndpointFrom, regionOfSecret } from '../../canary/aws-clients';
import { classifyError, toCanaryError } from '../../canary/call-error';
import { type CanaryClock, createCaller, DEFAULT_RETRY_POLICY } from '../../canary/caller';
import { toTriggerFunctions } from '../../canary/enrich';
import { toClientValidity } from '../../canary/password-cycle';
import { createScrubber } from '../../canary/scrub';
import { computeSecretHash } from '../../canary/secret-hash';
import { randomPassword, randomUserId } from '../../canary/sign-up-cycle';

describe('computeSecretHash', () => {
  it('is Base64(HMAC-SHA256(client secret, username + client id)), checked against Python hmac', () => {
    expect(
      computeSecretHash(
        'sentinel-canary-user',
        '4i2oaatugssocd44d40kb55kni',
        'planted-client-secret-0123456789abcdef',
      ),
    ).toBe('KouNif/Zd2fxLnG+JDFHGnZduth5PvGRaewgi8GcfWE=');
  });
});

describe('classifyError', () => {
  const withStatus = (name: string, status?: number) =>
    Object.assign(new Error('x'), {
      name,
      ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }),
    });

  it.each([
    ['TooManyRequestsException 400', withStatus('TooManyRequestsException', 400), 'throttled', true],
    ['any 429', withStatus('Whatever', 429), 'throttled', true],
    ['InternalErrorException 500', withStatus('InternalErrorException', 500), 'service', true],
    ['NotAuthorizedException 400', withStatus('NotAuthorizedException', 400), 'service', false],
    ['ECONNRESET', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'network', true],
    [
      'fetch failed (code in the cause)',
      new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }),
      'network',
      true,
    ],
    ['TimeoutError without a response', withStatus('TimeoutError'), 'network', true],
    ['a string', 'boom', 'service', false],
  ] as const)('classifies %s', (_name, error, kind, retryable) => {
    expect(classifyError(error)).toMatchObject({ kind, retryable });
  });

  it('names a network error by its code and drops the SDK deserialisation hint from the message', () => {
    const scrubber = createScrubber();
    expect(
      toCanaryError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 3, scrubber),
    ).toEqual({
      name: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED',
      kind: 'network',
      attempts: 3,
    });
    const deserialisation = Object.assign(
      new SyntaxError(
        `Unexpected token '<'\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response`,
      ),
      { $metadata: { httpStatusCode: 500 } },
    );
    expect(toCanaryError(deserialisation, 1, scrubber)).toMatchObject({
      message: "Unexpected token '<'",
      httpStatus: 500,
    });
  });
});

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

  it('does not retry what another attempt cannot fix', async () => {
    const { clock, sleeps } = fakeClock();
    const caller = createCaller({
      policy: DEFAULT_RETRY_POLICY,
      deadline: 60_000,
      clock,
      scrubber: createScrubber(),
    });
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

describe('createScrubber', () => {
  it('removes registered values (longest first) and whatever redact recognises', () => {
    const scrubber = createScrubber();
    scrubber.add('sentinel-canary-user', 'username');
    scrubber.add('f95b9b17-4a23-47b0-836b-d651c847c58e', 'refresh-token');
    scrubber.add('ab', 'password');
    expect(
      scrubber.scrub('f95b9b17-4a23-47b0-836b-d651c847c58e for sentinel-canary-user, ab, mary@example.com'),
    ).toBe('[redacted:refresh-token] for [redacted:username], ab, [redacted:email]');
  });
});

describe('toClientValidity', () => {
  it.each([
    [{}, { id: 3600, access: 3600 }],
    [
      { IdTokenValidity: 2, AccessTokenValidity: 3 },
      { id: 7200, access: 10_800 },
    ],
    [
      {
        IdTokenValidity: 30,
        AccessTokenValidity: 1,
        TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'days' },
      },
      { id: 1800, access: 86_400 },
    ],
  ] as const)('reads %j as %j seconds', (client, expected) => {
    expect(toClientValidity(client)).toEqual(expected);
  });
});

describe('toTriggerFunctions', () => {
  it('reads the LambdaConfig keys, V2 pre-token config and custom senders', () => {
    expect(
      toTriggerFunctions({
        PreSignUp: 'arn:aws:lambda:us-east-1:1:function:a',
        PreTokenGeneration: 'arn:aws:lambda:us-east-1:1:function:old',
        PreTokenGenerationConfig: {
          LambdaArn: 'arn:aws:lambda:us-east-1:1:function:v2',
          LambdaVersion: 'V2_0',
        },
        CustomEmailSender: { LambdaArn: 'arn:aws:lambda:us-east-1:1:function:mail', LambdaVersion: 'V1_0' },
      }),
    ).toEqual({
      PreSignUp: 'arn:aws:lambda:us-east-1:1:function:a',
      PreTokenGeneration: 'arn:aws:lambda:us-east-1:1:function:v2',
      CustomEmailSender: 'arn:aws:lambda:us-east-1:1:function:mail',
    });
  });
});

describe('environment and references', () => {
  it('prefers the Cognito-specific endpoint variable', () => {
    expect(
      cognitoEndpointFrom({
        AWS_ENDPOINT_URL: 'http://a',
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://b',
      }),
    ).toBe('http://b');
    expect(cognitoEndpointFrom({ AWS_ENDPOINT_URL: ' ' })).toBeUndefined();
  });

  it('reads a secret in its ARN region, else the pool region', () => {
    expect(
      regionOfSecret(
        { store: 'secretsmanager', name: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x' },
        'us-east-1',
      ),
    ).toBe('eu-west-1');
    expect(regionOfSecret({ store: 'ssm', name: '/canary/password' }, 'us-east-1')).toBe('us-east-1');
  });

  it('keeps only the origin and path of a probe URL', () => {
    expect(toProbeLocation('https://api.example.com/v1/orders?apiKey=secret#x')).toBe(
      'https://api.example.com/v1/orders',
    );
  });

  it('makes throwaway ids and passwords that differ every time and meet the usual policy', () => {
    expect(randomUserId()).toMatch(/^[0-9a-f]{16}$/);
    expect(randomUserId()).not.toBe(randomUserId());
    const password = randomPassword();
    expect(password).toMatch(/[A-Z]/);
    expect(password).toMatch(/[a-z]/);
    expect(password).toMatch(/\d/);
    expect(password).toMatch(/[^A-Za-z0-9]/);
    expect(password.length).toBeGreaterThanOrEqual(30);
  });
});
