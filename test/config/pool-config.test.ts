/**
 * The canary part of the pool config (config/pool-config.ts): optional cycles, expectations and
 * budgets, with defaults, and errors that name the key.
 */
import { describe, expect, it } from 'vitest';
import { poolConfigSchema } from '../../config/pool-config';

const base = {
  userPoolId: 'us-east-1_AbC123xyz',
  region: 'us-east-1',
  clients: [{ clientId: '4i2oaatugssocd44d40kb55kni' }],
  canary: { username: 'sentinel-canary', password: 'secretsmanager:canary/password' },
};

const issues = (input: unknown) => {
  const parsed = poolConfigSchema.safeParse(input);
  return parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('pool config: the canary', () => {
  it('keeps the minimal canary and defaults clean-up to token revocation', () => {
    const pool = poolConfigSchema.parse(base);
    expect(pool.canary).toEqual({
      username: 'sentinel-canary',
      password: { store: 'secretsmanager', name: 'canary/password' },
      cleanup: 'revoke-token',
    });
  });

  it('fills the defaults of the optional cycles', () => {
    const pool = poolConfigSchema.parse({
      ...base,
      canary: {
        ...base.canary,
        signUp: {},
        customAuth: { answers: 'ssm:/canary/answers' },
        apiProbe: { url: 'https://api.example.com/me' },
        budgetsMs: { signIn: 1500 },
        retry: { maxAttempts: 2 },
      },
    });
    expect(pool.canary).toMatchObject({
      signUp: { expectConfirmed: true, usernameTemplate: 'sentinel-canary-{id}' },
      customAuth: { answers: { store: 'ssm', name: '/canary/answers' }, maxRounds: 3 },
      apiProbe: { url: 'https://api.example.com/me', method: 'GET', token: 'access', scheme: 'bearer' },
      budgetsMs: { signIn: 1500 },
      retry: { maxAttempts: 2 },
    });
  });

  it('reads expected claims per client', () => {
    const pool = poolConfigSchema.parse({
      ...base,
      clients: [
        { clientId: 'abc', expect: { idTokenClaims: { 'custom:tenant': 'acme', email_verified: true } } },
      ],
    });
    expect(pool.clients[0]?.expect?.idTokenClaims).toEqual({ 'custom:tenant': 'acme', email_verified: true });
  });

  it.each([
    ['a budget of zero', { budgetsMs: { refresh: 0 } }, 'canary.budgetsMs.refresh'],
    ['an unknown budget', { budgetsMs: { logout: 10 } }, 'canary.budgetsMs'],
    [
      'a sign-up template without {id}',
      { signUp: { usernameTemplate: 'fixed-user' } },
      'canary.signUp.usernameTemplate: must contain {id}',
    ],
    [
      'a probe URL that is not http(s)',
      { apiProbe: { url: 'ftp://x/y' } },
      'canary.apiProbe.url: expected an http(s) URL',
    ],
    ['a clean-up method that does not exist', { cleanup: 'delete-user' }, 'canary.cleanup'],
    [
      'a cycle on a client the pool does not list',
      { customAuth: { clientId: 'otherclient', answers: 'env:A' } },
      "canary.customAuth.clientId: otherclient is not one of this pool's clients",
    ],
    [
      'more than 10 rounds',
      { customAuth: { answers: 'env:A', maxRounds: 50 } },
      'canary.customAuth.maxRounds',
    ],
  ])('refuses %s, naming the key', (_name, canary, key) => {
    expect(issues({ ...base, canary: { ...base.canary, ...canary } }).join('\n')).toContain(key);
  });
});

describe('pool config: the config audit', () => {
  const auditOnly = { userPoolId: 'us-east-1_AbC123xyz', region: 'us-east-1' };

  it('accepts a pool with no canary and no clients: the audit watches it without signing in', () => {
    expect(poolConfigSchema.parse(auditOnly)).toEqual({ ...auditOnly, clients: [] });
  });

  it('still needs a client for the canary to sign in with', () => {
    expect(issues({ ...base, clients: [] })).toEqual([
      'clients: list at least one app client for the canary to sign in with',
    ]);
  });

  it('reads pool and client expectations, durations in seconds with their text', () => {
    const pool = poolConfigSchema.parse({
      ...auditOnly,
      expect: {
        deletionProtection: true,
        mfa: 'OPTIONAL',
        domain: 'shop-auth',
        triggers: { PreSignUp: 'shop-presignup' },
      },
      clients: [
        {
          clientId: '4i2oaatugssocd44d40kb55kni',
          expect: {
            idTokenClaims: { tenant: 'shop' },
            callbackUrls: ['https://shop.example.com/callback/'],
            tokenValidity: { accessToken: '60m', idToken: '1 hour', refreshToken: '30d' },
            hasSecret: false,
          },
        },
      ],
    });
    expect(pool.expect?.triggers).toEqual({ PreSignUp: 'shop-presignup' });
    expect(pool.clients[0]?.expect?.tokenValidity).toEqual({
      accessToken: { seconds: 3_600, text: '60m' },
      idToken: { seconds: 3_600, text: '1 hour' },
      refreshToken: { seconds: 2_592_000, text: '30d' },
    });
  });

  it.each([
    [{ expect: { mfa: 'SOMETIMES' } }, /^expect\.mfa: /],
    [{ expect: { triggers: { PreSignIn: 'x' } } }, /^expect\.triggers: Unrecognized key: "PreSignIn"/],
    [
      { clients: [{ clientId: 'abc', expect: { tokenValidity: { accessToken: 'an hour' } } }] },
      /^clients\.0\.expect\.tokenValidity\.accessToken: expected a duration such as 60m, 1h or 30d$/,
    ],
    [{ clients: [{ clientId: 'abc', expect: { callbackURLs: ['https://x'] } }] }, /^clients\.0\.expect: /],
  ])('names the key of a bad expectation (%o)', (input, message) => {
    const problems = issues({ ...auditOnly, ...input });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });
});
