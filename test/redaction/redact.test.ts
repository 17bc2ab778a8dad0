import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countRedactionSteps, redact, redactDeep, redactThenClip } from '../../redaction/redact';

const JWT =
  'eyJraWQiOiJhYmMxMjMiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhMWIyYzNkNC01Njc4LTkwYWItY2RlZi1FWEFNUExFMTExMTEiLCJ0b2tlbl91c2UiOiJhY2Nlc3MifQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmU';
const REFRESH =
  'eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.kX3Qc9lqY2VuY3J5cHRlZC1rZXk.aXYtYnl0ZXM.Y2lwaGVydGV4dC1ieXRlcy1oZXJl.dGFnLWJ5dGVz';

describe('redact', () => {
  it.each([
    ['a JWT in free text', `got ${JWT} from cognito`, JWT, '[redacted:jwt]'],
    ['a five-segment JWE refresh token', `refresh with ${REFRESH}`, REFRESH, '[redacted:refresh-token]'],
    [
      'a refresh token under RefreshToken in JSON',
      '{"RefreshToken":"opaque-value-123"}',
      'opaque-value-123',
      '[redacted:refresh-token]',
    ],
    [
      'a refresh token under refreshToken in inspect text',
      "{ refreshToken: 'opaque-value-123' }",
      'opaque-value-123',
      '[redacted:refresh-token]',
    ],
    [
      'a refresh token as REFRESH_TOKEN=',
      'AuthParameters REFRESH_TOKEN=opaque-value-123',
      'opaque-value-123',
      '[redacted:refresh-token]',
    ],
    ['a password in JSON', '{"password":"Hunter2!x"}', 'Hunter2!x', '[redacted:password]'],
    [
      'a password with quotes and backslashes in JSON',
      JSON.stringify({ password: 'p"w\\d\'x9' }),
      'p\\"w',
      '[redacted:password]',
    ],
    [
      'a password in JSON nested in a JSON string',
      JSON.stringify({ message: JSON.stringify({ newPassword: 'Nest3d"pw' }) }),
      'Nest3d',
      '[redacted:password]',
    ],
    [
      'a password in inspect text',
      inspect({ request: { password: "it's-S3cret" } }),
      'S3cret',
      '[redacted:password]',
    ],
    ['a password as key=value', 'USERNAME=canary,PASSWORD=Tr0ub4dor&3', 'Tr0ub4dor', '[redacted:password]'],
    ['a password as key: value', "password: 'Correct-Horse-9'", 'Correct-Horse-9', '[redacted:password]'],
    [
      'a SECRET_HASH',
      'SECRET_HASH=q8Zk2n0Yl9s1R4c7b3VmX0pE=',
      'q8Zk2n0Yl9s1R4c7b3VmX0pE',
      '[redacted:secret]',
    ],
    [
      'a client secret',
      '{"ClientSecret":"1q2w3e4r5t6y7u8i9o0p"}',
      '1q2w3e4r5t6y7u8i9o0p',
      '[redacted:secret]',
    ],
    [
      'an authorization header',
      'Authorization: Bearer abcdef123456opaque',
      'abcdef123456opaque',
      '[redacted:credential]',
    ],
    [
      'a Cognito session string',
      "{ Session: 'AYABeBxQzVpZ2hlZnJvbWNvZ25pdG8' }",
      'AYABeBxQzVpZ2hlZnJvbWNvZ25pdG8',
      '[redacted:session]',
    ],
    ['a challenge answer', '{"challengeAnswer":"482913"}', '482913', '[redacted:secret]'],
    [
      'an email address',
      'sign-up from mary_major@example.com failed',
      'mary_major@example.com',
      '[redacted:email]',
    ],
    [
      'a percent-encoded email address',
      'redirect?user=mary%40example.com',
      'mary%40example.com',
      '[redacted:email]',
    ],
    ['an E.164 phone number', 'SMS to +12065551212 failed', '+12065551212', '[redacted:phone]'],
    ['a spaced international phone number', 'call +44 20 7946 0958 now', '7946 0958', '[redacted:phone]'],
    ['a (206) 555-1212 phone number', 'call (206) 555-1212 now', '555-1212', '[redacted:phone]'],
    ['a 206-555-1212 phone number', 'call 206-555-1212 now', '206-555-1212', '[redacted:phone]'],
    ['a 206.555.1212 phone number', 'call 206.555.1212 now', '206.555.1212', '[redacted:phone]'],
    ['a userName value', '{"userName":"mary_major2"}', 'mary_major2', '[redacted:username]'],
    ['a username value in inspect text', "{ username: 'mary_major2' }", 'mary_major2', '[redacted:username]'],
    ['a cognito:username claim', '{"cognito:username":"mary_major2"}', 'mary_major2', '[redacted:username]'],
    ['a USERNAME auth parameter', 'USERNAME=mary_major2,SECRET_HASH=x', 'mary_major2', '[redacted:username]'],
    [
      'an email attribute that is not an address',
      "{ email: 'not-an-address' }",
      'not-an-address',
      '[redacted:email]',
    ],
    ['a phone_number attribute', '{"phone_number":"2065551212"}', '2065551212', '[redacted:phone]'],
    ['a name attribute', "{ name: 'Mary' }", 'Mary', '[redacted:name]'],
    ['a given_name attribute', '{"given_name":"Mary"}', 'Mary', '[redacted:name]'],
    ['a family_name attribute', '{"family_name":"Major"}', 'Major', '[redacted:name]'],
    ['an address object', "{ address: { formatted: '123 Any Street' } }", 'Any Street', '[redacted:address]'],
    ['a birthdate', '{"birthdate":"1990-04-01"}', '1990-04-01', '[redacted:birthdate]'],
    [
      'a username after an escaped newline',
      'line one\\nusername: mary_major2',
      'mary_major2',
      '[redacted:username]',
    ],
    [
      'credentials in a URL',
      'connect https://admin:s3cr3tpw@db.internal/x',
      's3cr3tpw',
      '[redacted:credential]',
    ],
  ])('removes %s', (_name, input, secret, marker) => {
    const output = redact(input);
    expect(output).not.toContain(secret);
    expect(output).toContain(marker);
  });

  it.each([
    ['a request id', 'c793869b-ee49-115b-a5b6-4fd21e8dedac'],
    ['a pool id', 'us-east-1_AbC123xyz'],
    ['an app client id', '4i2oaatugssocd44d40kb55kni'],
    ['an ISO timestamp', '2024-06-03T09:35:12.345Z'],
    [
      'a REPORT line',
      'REPORT RequestId: c793869b-ee49-115b-a5b6-4fd21e8dedac\tDuration: 5000.41 ms\tBilled Duration: 5000 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\tInit Duration: 166.62 ms\tStatus: timeout',
    ],
    ['the seed evidence', "{ autoConfirmUser: 'true' }"],
    ['the seed evidence as JSON', '{"autoConfirmUser":"true","autoVerifyEmail":false}'],
    [
      'a timeout line',
      '2024-06-03T09:35:12.345Z c793869b-ee49-115b-a5b6-4fd21e8dedac Task timed out after 3.01 seconds',
    ],
    ['a function ARN', 'arn:aws:lambda:us-east-1:123456789012:function:shop-presignup:live'],
    [
      'a log group and stream',
      '/aws/lambda/shop-presignup 2024/06/03/[$LATEST]e6f4a0c4241adcd70c262d34c0bbc85c',
    ],
    ['an epoch time in ms', '"timestamp":1717407312345'],
    ['an error class under name', '{"error":{"name":"TypeError","message":"x is not a function"}}'],
    ['email_verified', "{ email_verified: 'true', phone_number_verified: 'false' }"],
    ['a challenge session array', "session: [ { challengeName: 'SRP_A', challengeResult: true } ]"],
    [
      'a Cognito error message',
      'UserLambdaValidationException: PreSignUp failed with error callback is not a function.',
    ],
    [
      'a PasswordResetRequiredException message',
      'PasswordResetRequiredException Password reset required for the user',
    ],
    [
      'an ADMIN_USER_PASSWORD_AUTH flow name',
      'Auth flow not enabled for this client: ADMIN_USER_PASSWORD_AUTH',
    ],
    ['a package version', '@aws-sdk/client-sns@3.1169.0'],
    [
      'an invoke error',
      '2024-06-03T09:35:12.345Z\tc793869b-ee49-115b-a5b6-4fd21e8dedac\tERROR\tInvoke Error \t{"errorType":"Error","errorMessage":"boom","stack":["Error: boom","    at Runtime.handler (file:///var/task/index.mjs:10:5)"]}',
    ],
  ])('keeps %s intact', (_name, input) => {
    expect(redact(input)).toBe(input);
  });

  it('redacts a whole trigger event logged by JSON.stringify and keeps its evidence', () => {
    const line = JSON.stringify({
      version: '1',
      triggerSource: 'PreSignUp_SignUp',
      region: 'us-west-2',
      userPoolId: 'us-west-2_EXAMPLE',
      userName: 'mary_major2',
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: '1example23456789' },
      request: {
        userAttributes: { email: 'mary_major@example.com', name: 'Mary', phone_number: '+12065551212' },
        validationData: null,
      },
      response: { autoConfirmUser: 'true', autoVerifyEmail: false, autoVerifyPhone: false },
    });
    const output = redact(line);
    for (const secret of ['mary_major2', 'mary_major@example.com', '"Mary"', '+12065551212']) {
      expect(output).not.toContain(secret);
    }
    for (const kept of [
      'PreSignUp_SignUp',
      'us-west-2_EXAMPLE',
      '"autoConfirmUser":"true"',
      '1example23456789',
    ]) {
      expect(output).toContain(kept);
    }
    expect(JSON.parse(output).userName).toBe('[redacted:username]');
  });

  // Quadratic backtracking on these would take minutes and hit the test timeout.
  it.each([
    ['letters', 'a'],
    ['digits', '1'],
    ['dashed words', 'a-b-'],
    ['eyJ prefixes', 'eyJ'],
    ['dotted words', 'a.'],
    ['key-like colons', 'a:'],
    ['backslashes', '\\'],
  ])('reads a 256 KB run of %s in one pass and leaves it unchanged', (_name, unit) => {
    const text = unit.repeat(Math.floor(262_144 / unit.length));
    expect(redact(text)).toBe(text);
  });

  it('is idempotent', () => {
    const input = `USERNAME=mary,PASSWORD=pw12345 ${JWT} mary@example.com +12065551212 { address: { formatted: 'x' } }`;
    expect(redact(redact(input))).toBe(redact(input));
  });

  it('replaces any string JSON.stringify wrote under a secret key and keeps the JSON valid (property)', () => {
    const requestId = 'c793869b-ee49-115b-a5b6-4fd21e8dedac';
    fc.assert(
      fc.property(
        fc.constantFrom(
          'password',
          'PASSWORD',
          'newPassword',
          'clientSecret',
          'SECRET_HASH',
          'refreshToken',
          'Authorization',
        ),
        fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }),
        fc.boolean(),
        (key, secret, nested) => {
          const json = JSON.stringify({ level: 'INFO', [key]: secret, requestId });
          const output = redact(nested ? JSON.stringify({ message: json }) : json);
          const parsed = nested ? JSON.parse(JSON.parse(output).message) : JSON.parse(output);
          expect(parsed[key]).toMatch(/^\[redacted:[a-z-]+\]$/);
          expect(parsed.requestId).toBe(requestId);
        },
      ),
    );
  });
});

describe('redactDeep', () => {
  it('replaces values under secret and personal keys at any depth and redacts every string', () => {
    const value = {
      userName: 'mary_major2',
      request: {
        password: 'Hunter2!x',
        userAttributes: {
          email: 'mary@example.com',
          email_verified: 'true',
          address: { formatted: '1 Main St' },
        },
        session: [{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: true }],
      },
      response: { autoConfirmUser: 'true' },
      evidence: [`got ${JWT}`, 'call +12065551212'],
      error: { name: 'TypeError' },
    };
    expect(redactDeep(value)).toEqual({
      userName: '[redacted:username]',
      request: {
        password: '[redacted:password]',
        userAttributes: { email: '[redacted:email]', email_verified: 'true', address: '[redacted:address]' },
        session: [{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: true }],
      },
      response: { autoConfirmUser: 'true' },
      evidence: ['got [redacted:jwt]', 'call [redacted:phone]'],
      error: { name: 'TypeError' },
    });
  });

  it('does not change its input', () => {
    const value = { password: 'Hunter2!x', nested: { email: 'mary@example.com' } };
    redactDeep(value);
    expect(value).toEqual({ password: 'Hunter2!x', nested: { email: 'mary@example.com' } });
  });

  it('survives cycles', () => {
    const value: Record<string, unknown> = { password: 'x1' };
    value.self = value;
    expect(redactDeep(value)).toEqual({ password: '[redacted:password]', self: '[circular]' });
  });
});

describe('redact: AWS access keys', () => {
  const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
  const TEMP_KEY_ID = 'ASIAY34FZKBOKMUTVV7A';
  const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  it.each([
    ['an access key id in free text', `using ${KEY_ID} now`, KEY_ID],
    ['a temporary access key id under an unrelated key', `{"foo":"${TEMP_KEY_ID}"}`, TEMP_KEY_ID],
    ['an access key id under AccessKeyId', `{ AccessKeyId: '${KEY_ID}' }`, KEY_ID],
    ['a secret key under aws_secret_access_key', `aws_secret_access_key=${SECRET}`, SECRET],
    ['a secret key under SecretAccessKey', `{"SecretAccessKey":"${SECRET}"}`, SECRET],
    ['a secret key under secretAccessKey', `{ secretAccessKey: '${SECRET}' }`, SECRET],
    ['a secret key right after its key id', `creds ${KEY_ID} ${SECRET} end`, SECRET],
    ['a secret key after its key id and a colon', `${KEY_ID}:${SECRET}`, SECRET],
  ])('removes %s', (_name, input, secret) => {
    expect(redact(input)).not.toContain(secret);
    expect(redact(input)).not.toContain(secret.slice(4, 12));
  });
});

describe('redact: shapes without a key', () => {
  it.each([
    ['half a JWT (header and part of the payload)', 'got eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0', 'eyJzdWIi'],
    [
      'a client secret (51 lower-case letters and digits)',
      `secret ${'1q2w3e4r5t6y7u8i9o0p'.repeat(2)}abcdefghijk`,
      '1q2w3e4r',
    ],
    ['a SECRET_HASH value', 'hash q8Zk2n0Yl9s1R4c7b3VmX0pEq8Zk2n0Yl9s1R4c7b3Vm=', 'q8Zk2n0Y'],
    ['a Cognito session', 'AYABeBxQzVpZ2hlZnJvbWNvZ25pdG8AAA1xyz2B', 'AYABeBxQ'],
  ])('removes %s', (_name, input, fragment) => {
    expect(redact(input)).not.toContain(fragment);
  });

  it.each([
    ['a pool id in a long region', 'ap-southeast-2_AbCdEfGhI'],
    ['a log group of a mixed-case function', '/aws/lambda/MyFunction2Handler'],
    ['a log stream', '2024/05/01/[$LATEST]0a1b2c3d4e5f60718293a4b5c6d7e8f9'],
    ['a trigger source', 'PreTokenGeneration_V2_0'],
    ['a SHA-1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['an X-Ray trace id', 'Root=1-5759e988-bd862e3fe1be46a994272793'],
    ['a stack frame', 'at Runtime.handler (file:///var/task/index.mjs:10:5)'],
  ])('keeps %s', (_name, input) => {
    expect(redact(input)).toBe(input);
  });
});

describe('redact: ordinary words after a key', () => {
  it('keeps the prose of a missing-variable message (issue 14)', () => {
    const message = 'env:SENTINEL_CANARY_PASSWORD: the variable is not set';
    expect(redact(message)).toBe(message);
  });

  it('keeps ordinary words after any secret key in prose, and still removes a value that is not one (property)', () => {
    const words = ['the', 'not', 'missing', 'empty', 'required', 'invalid', 'is', 'a'] as const;
    fc.assert(
      fc.property(
        fc.constantFrom('PASSWORD', 'client_secret', 'SECRET_HASH', 'refreshToken', 'password'),
        fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 6 }),
        fc.stringMatching(/^[A-Za-z0-9!#%*+.^_~-]{6,16}$/).filter((value) => !/^[a-z]{1,12}$/.test(value)),
        (key, sentence, secret) => {
          const prose = `${key}: ${sentence.join(' ')} set`;
          expect(redact(prose)).toBe(prose);
          expect(redact(`${key}: ${secret} set`)).not.toContain(secret);
        },
      ),
      { seed: 9, numRuns: 200 },
    );
  });
});

describe('redact: text cut at an edge', () => {
  it.each([
    ['a password whose key was cut off', '…sword":"Hunter2-S3cretPass","next":1', 'Hunter2'],
    ['a refresh token whose key was cut off', '…shToken":"opaque-refresh-value"}', 'opaque-refresh'],
    ['a value whose whole key was cut off', '…":"Hunter2-S3cretPass"}', 'Hunter2'],
    ['the tail of a value', '…ter2-S3cretPass", "x": 1', 'S3cretPass'],
    ['a half email address', 'contact diego.ramirez@e…', 'diego.ramirez'],
    ['a half phone number', 'SMS to +120655…', '120655'],
    ['a JWT header alone', 'Bearer-less eyJhbGciOiJSUzI1…', 'eyJhbGci'],
    ['the tail of a JWT signature', '…Xk2Pq9LmZt7Rw3Yv', 'Xk2Pq9Lm'],
    ['half an access key id', 'id AKIAIOSFOD…', 'AKIAIOSFOD'],
  ])('removes %s', (_name, input, fragment) => {
    expect(redact(input)).not.toContain(fragment);
  });

  it('keeps a cut key whose value is a small number or a flag', () => {
    expect(redact('…unt": 5, "ok": true')).toBe('…unt": 5, "ok": true');
  });
});

describe('redactThenClip', () => {
  const line = `{"level":"INFO","password":"Hunter2-S3cretPass","email":"diego.ramirez@example.com","phone":"+12065551212","token":"${JWT}"}`;

  it('redacts the whole text before it cuts, at every window', () => {
    for (let max = 8; max <= line.length; max += 1) {
      for (const focus of [undefined, 'email', 'token', 'phone']) {
        const clipped = redactThenClip(line, max, focus === undefined ? {} : { focus });
        expect(clipped.length).toBeLessThanOrEqual(max);
        for (const fragment of [
          'Hunter2',
          'S3cretPass',
          'diego.ra',
          'ramirez@',
          '2065551',
          'eyJraWQi',
          'c2lnbmF0',
        ])
          expect(clipped, `max ${max} focus ${focus}`).not.toContain(fragment);
      }
    }
  });

  it('never splits a marker', () => {
    const clipped = redactThenClip('x [redacted:password] y', 12);
    expect(clipped).toBe('x…');
  });
});

describe('redact is linear in its input (counted steps, no clock)', () => {
  // Shapes that made the old scan quadratic or close to it (`session:{` took 671 ms on 50,000 characters).
  const SHAPES = [
    'session:{',
    'password:"[redacted:',
    'name:{',
    'x:"',
    'password: the ',
    'eyJ',
    'eyJaaaaaaaaaaaaa.',
    'a@a.',
    '+1 ',
    'AKIA',
    'Aa1/',
    '\\"password\\":\\"',
    "{ session: [ { password: '",
    '…sword":"',
  ] as const;
  const sized = (unit: string, chars: number) => unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars);

  it.each(SHAPES)('does bounded work per character on 256 KB of %j', (unit) => {
    const small = countRedactionSteps(sized(unit, 65_536)).steps;
    const large = countRedactionSteps(sized(unit, 262_144)).steps;
    expect(large).toBeLessThanOrEqual(8 * 262_144);
    // Four times the input, at most a little over four times the work.
    expect(large).toBeLessThanOrEqual(4.5 * Math.max(small, 1));
  });

  it('finds keys from their separators: text without ":" or "=" costs the key scan nothing', () => {
    const prose = 'the quick brown fox jumps over the lazy dog '.repeat(2_000);
    const { output, steps } = countRedactionSteps(`${prose}"password": "hunter2" ${prose}`);
    expect(output).toContain('"password": "[redacted:password]"');
    // The key, its separator and its value; none of the 176,000 characters of prose around it.
    expect(steps).toBeLessThan(100);
  });

  it('counts every character a value scanner reads', () => {
    expect(countRedactionSteps('{"password":"abc"}').steps).toBeGreaterThan(0);
  });
});
