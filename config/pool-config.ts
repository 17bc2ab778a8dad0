/**
 * The per-pool part of sentinel.config.yml: which user pool, its app clients, the canary user and
 * where its secrets live, the canary's optional cycles (sign-up, custom auth, API probe), its
 * expectations (claims in the tokens) and its budgets (per-step latency, retries). Durations are in
 * milliseconds unless the key says otherwise.
 */
import * as z from 'zod';
import { TRIGGERS } from '../contracts/triggers';
import { lazySchema } from '../runtime/lazy-schema';
import { secretRefSchema } from './secret-ref';

export const userPoolIdSchema = lazySchema(() =>
  z.string().regex(/^[\w-]+_[0-9A-Za-z]+$/, 'expected a user pool id such as us-east-1_AbC123'),
);
export const regionSchema = lazySchema(() =>
  z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region such as us-east-1'),
);
const clientIdSchema = lazySchema(() => z.string().regex(/^[a-z0-9]{1,128}$/i, 'expected an app client id'));

/** Claim name → the value a token must carry (compared as JSON values; custom attributes are strings). */
const expectedClaimsSchema = lazySchema(() =>
  z.record(
    z.string().min(1),
    z.union([z.string(), z.number(), z.boolean()]),
    'expected a map of claim name to string, number or boolean',
  ),
);

const DURATION_UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/**
 * A token validity as written in the config: a whole number and a unit, `s`, `m`, `h` or `d`
 * (`60m`, `1h`, `30d`; `minutes`, `hours`, `days` spelled out also work). Compared in seconds with
 * whatever unit the client uses.
 */
export const durationSchema = lazySchema(() =>
  z
    .string()
    .regex(/^\d+\s*(s|m|h|d|seconds?|minutes?|hours?|days?)$/, 'expected a duration such as 60m, 1h or 30d')
    .transform((text) => {
      const match = /^(\d+)\s*([smhd])/.exec(text) ?? [];
      return { seconds: Number(match[1]) * (DURATION_UNITS[match[2] ?? ''] ?? 0), text };
    }),
);

const stringSetSchema = lazySchema(() => z.array(z.string().min(1)).max(100));

/**
 * What the config audit checks on an app client, beside the canary's token claims. List keys are
 * exact sets: nothing missing and nothing extra (a trailing slash is part of a URL).
 */
export const clientExpectationsSchema = lazySchema(() =>
  z.strictObject({
    idTokenClaims: expectedClaimsSchema.optional(),
    accessTokenClaims: expectedClaimsSchema.optional(),
    /**
     * The exact callback URLs (the audit compares sets). With a pool `domain`, the canary also checks
     * that `/oauth2/authorize` leads each of them to the sign-in page (`redirect-mismatch`).
     */
    callbackUrls: stringSetSchema.optional(),
    logoutUrls: stringSetSchema.optional(),
    /** `ALLOW_USER_SRP_AUTH`, `ALLOW_REFRESH_TOKEN_AUTH`, ... */
    explicitAuthFlows: stringSetSchema.optional(),
    /** `code`, `implicit`, `client_credentials`. */
    allowedOAuthFlows: stringSetSchema.optional(),
    allowedOAuthScopes: stringSetSchema.optional(),
    hasSecret: z.boolean().optional(),
    tokenValidity: z
      .strictObject({
        accessToken: durationSchema.optional(),
        idToken: durationSchema.optional(),
        refreshToken: durationSchema.optional(),
      })
      .optional(),
    /** PreventUserExistenceErrors is `ENABLED`. */
    preventUserExistenceErrors: z.boolean().optional(),
    enableTokenRevocation: z.boolean().optional(),
    /** RefreshTokenRotation.Feature is `ENABLED` (where the API reports it). */
    refreshTokenRotation: z.boolean().optional(),
  }),
);

/** What the config audit checks on the pool itself. */
export const poolExpectationsSchema = lazySchema(() =>
  z.strictObject({
    /** DeletionProtection is `ACTIVE`. */
    deletionProtection: z.boolean().optional(),
    /** MfaConfiguration. */
    mfa: z.enum(['OFF', 'ON', 'OPTIONAL']).optional(),
    /** The Cognito domain prefix or the custom domain. */
    domain: z.string().min(1).optional(),
    /** LambdaConfig key → function name or ARN it must point at. */
    triggers: z.partialRecord(z.enum(TRIGGERS), z.string().min(1)).optional(),
  }),
);

export const appClientConfigSchema = lazySchema(() =>
  z.strictObject({
    clientId: clientIdSchema,
    /** Where the client secret lives, for clients that have one (SECRET_HASH is computed from it). */
    secret: secretRefSchema.optional(),
    /**
     * `idTokenClaims` / `accessTokenClaims`: claims the canary's tokens must carry, e.g. one a
     * PreTokenGeneration trigger adds (a missing or different claim raises `token-invalid`). The
     * other keys are settings the config audit checks every run (`config-expectation-failed`).
     */
    expect: clientExpectationsSchema.optional(),
    /**
     * Machine-to-machine tokens: the canary requests a `client_credentials` token with these scopes
     * from the pool `domain`'s token endpoint (the client needs `secret`). AWS bills each request.
     */
    clientCredentials: z
      .strictObject({
        /** Scopes to request, e.g. `orders-api/read`; each must be in the token. */
        scopes: z.array(z.string().min(1)).min(1),
        /** Minutes between two token requests. Default 15. */
        everyMinutes: z.int().min(1).max(1_440).default(15),
      })
      .optional(),
  }),
);

/** How the canary ends its session: RevokeToken (this session only) or AdminUserGlobalSignOut (every session of the user). */
export const CANARY_CLEANUP_METHODS = ['revoke-token', 'global-sign-out'] as const;
export type CanaryCleanupMethod = (typeof CANARY_CLEANUP_METHODS)[number];

const budgetMs = lazySchema(() => z.int().min(1).max(120_000));

/** Per-step latency budgets in ms; a step over its budget raises `canary-slow`. Each is optional (off). */
export const canaryBudgetsSchema = lazySchema(() =>
  z.strictObject({
    signIn: budgetMs.optional(),
    /** Verification of the ID and access tokens (also after the refresh); includes a JWKS fetch on a cold start. */
    verifyTokens: budgetMs.optional(),
    getUser: budgetMs.optional(),
    refresh: budgetMs.optional(),
    signUp: budgetMs.optional(),
    customAuth: budgetMs.optional(),
    apiProbe: budgetMs.optional(),
    /** The hosted UI probe (authorize redirects, discovery, JWKS, DNS and TLS of a custom domain). */
    hostedUi: budgetMs.optional(),
    /** The client_credentials token request and its verification. */
    m2mToken: budgetMs.optional(),
  }),
);
export type CanaryBudgets = z.infer<typeof canaryBudgetsSchema>;

/** Retries of throttled or unreachable calls, within the run's time budget. */
export const canaryRetrySchema = lazySchema(() =>
  z.strictObject({
    /** Attempts per call, the first included. Default 4. */
    maxAttempts: z.int().min(1).max(10).optional(),
    /** First backoff in ms (exponential, full jitter). Default 200. */
    baseDelayMs: z.int().min(1).max(10_000).optional(),
    /** Longest backoff in ms. Default 2000. */
    maxDelayMs: z.int().min(1).max(30_000).optional(),
    /** Timeout of one attempt in ms. Default 5000. */
    attemptTimeoutMs: z.int().min(100).max(60_000).optional(),
  }),
);
export type CanaryRetryConfig = z.infer<typeof canaryRetrySchema>;

/** The sign-up cycle: SignUp a throwaway user, check its status, always delete it. */
export const canarySignUpSchema = lazySchema(() =>
  z.strictObject({
    /** The app client to sign up with; default the pool's first client. */
    clientId: clientIdSchema.optional(),
    /** Whether the pool auto-confirms new users (a PreSignUp trigger). Default true. */
    expectConfirmed: z.boolean().default(true),
    /**
     * Username of each throwaway user; `{id}` is replaced by a random id. Default
     * `sentinel-canary-{id}`; pools that sign in by email need an address such as
     * `sentinel+{id}@example.com`.
     */
    usernameTemplate: z
      .string()
      .max(100)
      .refine((text) => text.includes('{id}'), 'must contain {id}, so every run signs up a new user')
      .default('sentinel-canary-{id}'),
    /** User attributes to sign up with; `{id}` is replaced by the random id (e.g. `sentinel+{id}@example.com`). */
    attributes: z.record(z.string().min(1), z.string()).optional(),
    /** ClientMetadata for the PreSignUp trigger (e.g. to recognise canary sign-ups). */
    clientMetadata: z.record(z.string().min(1), z.string()).optional(),
  }),
);

/** The custom-auth cycle: CUSTOM_AUTH for the canary user, answers from a secret. */
export const canaryCustomAuthSchema = lazySchema(() =>
  z.strictObject({
    /** The app client (ALLOW_CUSTOM_AUTH); default the pool's first client. */
    clientId: clientIdSchema.optional(),
    /** Where the answers live: one string answers every challenge; a JSON array of strings answers them in order. */
    answers: secretRefSchema,
    /** Challenges answered before the flow counts as looping. Default 3. */
    maxRounds: z.int().min(1).max(10).default(3),
  }),
);

/** The protected-API probe: the configured URL called with the fresh token. */
export const canaryApiProbeSchema = lazySchema(() =>
  z.strictObject({
    url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
    method: z.enum(['GET', 'HEAD', 'POST']).default('GET'),
    /** The client whose sign-in token is sent; default the pool's first client. */
    clientId: clientIdSchema.optional(),
    /** Which token to send. Default `access`. */
    token: z.enum(['access', 'id']).default('access'),
    /** `bearer`: `Authorization: Bearer <token>`; `raw`: `Authorization: <token>` (API Gateway Cognito authorizers). Default bearer. */
    scheme: z.enum(['bearer', 'raw']).default('bearer'),
  }),
);

/** The canary user's second factor, for pools that ask for MFA. */
export const canaryMfaSchema = lazySchema(() =>
  z.strictObject({
    /**
     * Where the TOTP seed lives (the base32 SecretCode of AssociateSoftwareToken, stored by
     * `setup-canary --mfa totp`): secretsmanager:NAME[#key] or ssm:PATH. SMS and email codes cannot
     * be read by a canary, so TOTP is the only factor it can answer.
     */
    totpSecret: secretRefSchema,
  }),
);

/**
 * How the canary signs in: `admin-user-password` (AdminInitiateAuth ADMIN_USER_PASSWORD_AUTH; the
 * client needs ALLOW_ADMIN_USER_PASSWORD_AUTH) or `user-auth` (choice-based sign-in, USER_AUTH
 * with PREFERRED_CHALLENGE=PASSWORD, on the Essentials and Plus tiers; the client needs
 * ALLOW_USER_AUTH).
 */
export const CANARY_FLOWS = ['admin-user-password', 'user-auth'] as const;
export type CanaryFlow = (typeof CANARY_FLOWS)[number];

export const canaryUserConfigSchema = lazySchema(() =>
  z.strictObject({
    /** The canary user's username (not a secret, but never printed in alerts). */
    username: z.string().min(1),
    /** Where the canary password lives: secretsmanager:NAME[#key] or ssm:PATH. */
    password: secretRefSchema,
    /** How the session ends after each cycle. Default `revoke-token` (falls back to a global sign-out where RevokeToken fails). */
    cleanup: z.enum(CANARY_CLEANUP_METHODS).default('revoke-token'),
    budgetsMs: canaryBudgetsSchema.optional(),
    retry: canaryRetrySchema.optional(),
    signUp: canarySignUpSchema.optional(),
    customAuth: canaryCustomAuthSchema.optional(),
    apiProbe: canaryApiProbeSchema.optional(),
    mfa: canaryMfaSchema.optional(),
    /** The sign-in flow. Default `admin-user-password`. */
    flow: z.enum(CANARY_FLOWS).optional(),
  }),
);

export const poolConfigSchema = lazySchema(() =>
  z
    .strictObject({
      /** A short name used in alert titles; defaults to the pool id. */
      name: z.string().min(1).optional(),
      userPoolId: userPoolIdSchema,
      region: regionSchema,
      /** App clients to check. The audit reads every client of the pool; listed ones must exist. */
      clients: z.array(appClientConfigSchema).default([]),
      /** The canary user; a pool without one is watched by the config audit (and its trigger logs) only. */
      canary: canaryUserConfigSchema.optional(),
      /**
       * The pool's hosted UI domain: a Cognito prefix (`shop`), a custom domain (`auth.example.com`)
       * or a URL. Enables the hosted UI probe (clients with `expect.callbackUrls`) and
       * machine-to-machine tokens (clients with `clientCredentials`).
       */
      domain: z.string().min(1).optional(),
      /** The OIDC discovery document; default `<issuer>/.well-known/openid-configuration`. */
      oidcDiscoveryUrl: z.url({ error: 'expected a URL' }).optional(),
      /** Settings the config audit checks on the pool every run. */
      expect: poolExpectationsSchema.optional(),
      /** Trigger log groups to read, and which trigger each serves. Discovered from LambdaConfig when omitted. */
      triggerLogGroups: z
        .record(
          z.string().startsWith('/', 'expected a log group name such as /aws/lambda/fn'),
          z.enum(TRIGGERS),
        )
        .optional(),
    })
    .superRefine((pool, ctx) => {
      if (pool.canary !== undefined && pool.clients.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['clients'],
          message: 'list at least one app client for the canary to sign in with',
        });
      }
      pool.clients.forEach((client, index) => {
        if (client.clientCredentials !== undefined && client.secret === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['clients', index, 'secret'],
            message: 'clientCredentials needs the client secret (secret: secretsmanager:NAME or ssm:PATH)',
          });
        }
        if (client.clientCredentials !== undefined && pool.domain === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['domain'],
            message: 'clientCredentials needs the pool domain (its token endpoint)',
          });
        }
      });
      const clientIds = new Set(pool.clients.map((client) => client.clientId));
      for (const cycle of ['signUp', 'customAuth', 'apiProbe'] as const) {
        const clientId = pool.canary?.[cycle]?.clientId;
        if (clientId !== undefined && !clientIds.has(clientId)) {
          ctx.addIssue({
            code: 'custom',
            path: ['canary', cycle, 'clientId'],
            message: `${clientId} is not one of this pool's clients (${[...clientIds].join(', ')})`,
          });
        }
      }
    }),
);

export type AppClientConfig = z.infer<typeof appClientConfigSchema>;
export type CanaryUserConfig = z.infer<typeof canaryUserConfigSchema>;
export type PoolConfig = z.infer<typeof poolConfigSchema>;
