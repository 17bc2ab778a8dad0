import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redact, redactDeep } from '../../alerts/redact';

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
