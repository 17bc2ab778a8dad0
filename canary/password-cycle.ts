/**
 * The canary's main cycle for one pool and app client:
 * 1. AdminInitiateAuth ADMIN_USER_PASSWORD_AUTH, or USER_AUTH with PREFERRED_CHALLENGE=PASSWORD
 *    (SECRET_HASH when the client has a secret), then the MFA challenge when Cognito asks for one
 *    (a TOTP code from the configured seed);
 * 2. verification of the ID and access tokens (aws-jwt-verify, lifetime against the client's
 *    validity from DescribeUserPoolClient, expected claims);
 * 3. GetUser with the access token (Cognito itself accepts it: live, not revoked);
 * 4. the protected-API probe, when configured for this client;
 * 5. REFRESH_TOKEN_AUTH (SECRET_HASH over the internal username, the access token's `username`)
 *    and the same verification of the new tokens;
 * 6. clean-up (RevokeToken, else AdminUserGlobalSignOut), always, once tokens were issued.
 * A failed step ends the cycle where later steps depend on it; each step is one observation.
 */
import {
  AdminInitiateAuthCommand,
  type AdminInitiateAuthCommandOutput,
  AdminRespondToAuthChallengeCommand,
  DescribeUserPoolClientCommand,
  GetUserCommand,
  type TimeUnitsType,
  type UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CanaryCleanupMethod, CanaryFlow } from '../config/pool-config';
import type {
  CanaryAuthResult,
  CanaryMfaStep,
  CanaryObservation,
  CanaryTokenCheckObservation,
  TokenPhase,
  TokenUse,
} from '../detectors/canary-observations';
import { type ApiProbeConfig, runApiProbe } from './api-probe';
import type { CallOutcome } from './caller';
import { endSession } from './cleanup';
import { budgetOf, type CycleContext, timed } from './cycle-context';
import { readUserState, triggerFunctionsFor } from './enrich';
import { answerMfaChallenge, type CanaryTotp } from './mfa';
import { computeSecretHash } from './secret-hash';
import type { TokenVerification, TokenVerifier } from './token-verifier';

type Claims = Readonly<Record<string, string | number | boolean>>;

export interface PasswordCycleInput {
  username: string;
  password: string;
  clientSecret?: string;
  /** The sign-in flow. Default `admin-user-password` (ADMIN_USER_PASSWORD_AUTH). */
  flow?: CanaryFlow;
  /** The canary user's TOTP factor, when one is configured. */
  totp?: CanaryTotp;
  cleanup: CanaryCleanupMethod;
  expect?: { idTokenClaims?: Claims; accessTokenClaims?: Claims };
  apiProbe?: ApiProbeConfig;
  verifier: TokenVerifier;
  fetch: typeof globalThis.fetch;
}

/** Token lifetimes the client is configured for, in seconds. */
export interface ClientValidity {
  id: number;
  access: number;
}

const UNIT_SECONDS: Readonly<Record<TimeUnitsType, number>> = {
  seconds: 1,
  minutes: 60,
  hours: 3_600,
  days: 86_400,
};

/** Seconds of a validity setting; Cognito's defaults are 60 minutes, with hours as the unit when unset. */
const toSeconds = (value: number | undefined, unit: TimeUnitsType | undefined): number =>
  value === undefined ? 3_600 : value * UNIT_SECONDS[unit ?? 'hours'];

/** The ID and access token lifetimes a client issues (DescribeUserPoolClient). */
export const toClientValidity = (client: UserPoolClientType): ClientValidity => ({
  id: toSeconds(client.IdTokenValidity, client.TokenValidityUnits?.IdToken),
  access: toSeconds(client.AccessTokenValidity, client.TokenValidityUnits?.AccessToken),
});

/** `{ keyId }` from a JWT's header (not secret: it names a public key), `{}` when unreadable. */
const keyIdOf = (token: string | undefined): { keyId?: string } => {
  try {
    const header = JSON.parse(Buffer.from(token?.split('.')[0] ?? '', 'base64url').toString('utf8')) as {
      kid?: unknown;
    };
    return typeof header.kid === 'string' ? { keyId: header.kid } : {};
  } catch {
    return {};
  }
};

/** What AdminInitiateAuth and AdminRespondToAuthChallenge both answer. */
type AuthAnswer = Pick<
  AdminInitiateAuthCommandOutput,
  'AuthenticationResult' | 'ChallengeName' | 'Session' | 'ChallengeParameters'
>;

/**
 * USER_AUTH with PREFERRED_CHALLENGE=PASSWORD: Cognito either signs in at once, asks for the
 * password (`PASSWORD`), or offers a choice (`SELECT_CHALLENGE`); both are answered with the
 * password. `undefined` when the challenge is neither (MFA comes next).
 */
const answerPasswordChallenge = async (
  ctx: CycleContext,
  input: PasswordCycleInput,
  pending: AuthAnswer,
): Promise<CallOutcome<AuthAnswer> | undefined> => {
  const name = pending.ChallengeName;
  if (name !== 'PASSWORD' && name !== 'SELECT_CHALLENGE') return undefined;
  const username = pending.ChallengeParameters?.USERNAME ?? input.username;
  const answered = await ctx.caller.call((signal) =>
    ctx.cognito.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: ctx.target.userPoolId,
        ClientId: ctx.target.clientId,
        ChallengeName: name,
        ...(pending.Session === undefined ? {} : { Session: pending.Session }),
        ChallengeResponses: {
          USERNAME: username,
          PASSWORD: input.password,
          ...(name === 'SELECT_CHALLENGE' ? { ANSWER: 'PASSWORD' } : {}),
          ...(input.clientSecret === undefined
            ? {}
            : { SECRET_HASH: computeSecretHash(username, ctx.target.clientId, input.clientSecret) }),
        },
      }),
      { abortSignal: signal },
    ),
  );
  if (answered.ok) ctx.scrubber.add(answered.value.Session, 'session');
  return answered;
};

const authResultOf = (outcome: CallOutcome<AuthAnswer>): CanaryAuthResult => {
  if (!outcome.ok) return { outcome: 'error', error: outcome.error };
  if (outcome.value.AuthenticationResult !== undefined) return { outcome: 'tokens' };
  return { outcome: 'challenge', challengeName: outcome.value.ChallengeName ?? 'none' };
};

export const runPasswordCycle = async (
  ctx: CycleContext,
  input: PasswordCycleInput,
): Promise<CanaryObservation[]> => {
  const { target, cognito, caller, clock, scrubber } = ctx;
  const observations: CanaryObservation[] = [];
  const secretHash = (username: string): Record<string, string> =>
    input.clientSecret === undefined
      ? {}
      : { SECRET_HASH: computeSecretHash(username, target.clientId, input.clientSecret) };

  // 1. Sign-in: the first factor (password), then the second when Cognito asks for one.
  let mfa: CanaryMfaStep | undefined;
  const [signIn, signInMs] = await timed(clock, async (): Promise<CallOutcome<AuthAnswer>> => {
    const first = await caller.call((signal) =>
      cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: target.userPoolId,
          ClientId: target.clientId,
          ...(input.flow === 'user-auth'
            ? {
                AuthFlow: 'USER_AUTH',
                AuthParameters: {
                  USERNAME: input.username,
                  PREFERRED_CHALLENGE: 'PASSWORD',
                  PASSWORD: input.password,
                  ...secretHash(input.username),
                },
              }
            : {
                AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
                AuthParameters: {
                  USERNAME: input.username,
                  PASSWORD: input.password,
                  ...secretHash(input.username),
                },
              }),
        }),
        { abortSignal: signal },
      ),
    );
    if (!first.ok || first.value.AuthenticationResult !== undefined) return first;
    scrubber.add(first.value.Session, 'session');
    const afterPassword =
      input.flow === 'user-auth' ? await answerPasswordChallenge(ctx, input, first.value) : undefined;
    const current = afterPassword ?? first;
    if (!current.ok || current.value.AuthenticationResult !== undefined) return current;
    const answered = await answerMfaChallenge(
      ctx,
      {
        username: input.username,
        ...(input.clientSecret === undefined ? {} : { clientSecret: input.clientSecret }),
        ...(input.totp === undefined ? {} : { totp: input.totp }),
      },
      current.value,
    );
    if (answered === undefined) return current;
    mfa = answered.mfa;
    return answered.response ?? current;
  });
  const signInResult = authResultOf(signIn);
  const enrichment =
    signInResult.outcome === 'error'
      ? {
          ...(signInResult.error.name === 'NotAuthorizedException'
            ? await readUserState(ctx, input.username).then((user) => (user === undefined ? {} : { user }))
            : {}),
          ...(await triggerFunctionsFor(ctx, signInResult.error)),
        }
      : {};
  observations.push({
    kind: 'canary-sign-in',
    target,
    durationMs: signInMs,
    ...budgetOf(ctx.budgets, 'sign-in'),
    result: signInResult,
    ...(mfa === undefined ? {} : { mfa }),
    ...enrichment,
  });
  const tokens = signIn.ok ? signIn.value.AuthenticationResult : undefined;
  if (tokens === undefined) return observations;
  scrubber.add(tokens.IdToken, 'jwt');
  scrubber.add(tokens.AccessToken, 'jwt');
  scrubber.add(tokens.RefreshToken, 'refresh-token');

  let internalUsername = input.username;
  try {
    // 2. Verification, against the client's configured validity.
    const described = await caller.call((signal) =>
      cognito.send(
        new DescribeUserPoolClientCommand({ UserPoolId: target.userPoolId, ClientId: target.clientId }),
        {
          abortSignal: signal,
        },
      ),
    );
    const validity =
      described.ok && described.value.UserPoolClient !== undefined
        ? toClientValidity(described.value.UserPoolClient)
        : undefined;
    if (!described.ok) {
      ctx.note(
        `DescribeUserPoolClient failed (${described.error.name}: ${described.error.message}); token lifetimes were not checked`,
      );
    }
    const verify = async (
      phase: TokenPhase,
      tokenUse: TokenUse,
      token: string | undefined,
    ): Promise<TokenVerification> => {
      const [verification, durationMs] = await timed(
        clock,
        async (): Promise<TokenVerification> =>
          token === undefined
            ? {
                failures: [
                  {
                    field: 'format',
                    expected: `an ${tokenUse} token`,
                    actual: 'missing',
                    check: 'verification' as const,
                  },
                ],
              }
            : input.verifier.verify(token, {
                target,
                tokenUse,
                ...(validity === undefined ? {} : { lifetimeSeconds: validity[tokenUse] }),
                ...(tokenUse === 'id' && input.expect?.idTokenClaims
                  ? { claims: input.expect.idTokenClaims }
                  : {}),
                ...(tokenUse === 'access' && input.expect?.accessTokenClaims
                  ? { claims: input.expect.accessTokenClaims }
                  : {}),
              }),
      );
      const observation: CanaryTokenCheckObservation = {
        kind: 'canary-token-check',
        target,
        durationMs,
        ...budgetOf(ctx.budgets, phase === 'refresh' ? 'verify-refreshed-tokens' : 'verify-tokens'),
        phase,
        tokenUse,
        failures: verification.failures,
        ...keyIdOf(token),
      };
      observations.push(observation);
      return verification;
    };
    const idToken = await verify('sign-in', 'id', tokens.IdToken);
    const accessToken = await verify('sign-in', 'access', tokens.AccessToken);
    const claimedUsername = accessToken.payload?.username;
    if (typeof claimedUsername === 'string' && claimedUsername !== '') {
      internalUsername = claimedUsername;
      scrubber.add(claimedUsername, 'username');
    }

    // 3. GetUser: Cognito itself accepts the access token.
    const accessTokenValue = tokens.AccessToken;
    if (accessTokenValue !== undefined) {
      const [gotUser, getUserMs] = await timed(clock, () =>
        caller.call((signal) =>
          cognito.send(new GetUserCommand({ AccessToken: accessTokenValue }), { abortSignal: signal }),
        ),
      );
      observations.push({
        kind: 'canary-get-user',
        target,
        durationMs: getUserMs,
        ...budgetOf(ctx.budgets, 'get-user'),
        result: gotUser.ok ? { outcome: 'ok' } : { outcome: 'error', error: gotUser.error },
      });
    }

    // 4. The protected API, with a token that passed verification.
    if (input.apiProbe !== undefined) {
      const probeToken = input.apiProbe.token === 'id' ? tokens.IdToken : tokens.AccessToken;
      const verified = input.apiProbe.token === 'id' ? idToken : accessToken;
      if (
        probeToken !== undefined &&
        verified.failures.every((failure) => failure.check !== 'verification')
      ) {
        observations.push(await runApiProbe(ctx, input.apiProbe, probeToken, input.fetch));
      } else {
        ctx.note('The API probe was skipped: its token failed verification');
      }
    }

    // 5. Refresh, and the same verification of the new tokens.
    const refreshToken = tokens.RefreshToken;
    if (refreshToken === undefined) {
      ctx.note('Sign-in returned no refresh token; the refresh was not tested');
      return observations;
    }
    const [refreshed, refreshMs] = await timed(clock, () =>
      caller.call((signal) =>
        cognito.send(
          new AdminInitiateAuthCommand({
            UserPoolId: target.userPoolId,
            ClientId: target.clientId,
            AuthFlow: 'REFRESH_TOKEN_AUTH',
            AuthParameters: { REFRESH_TOKEN: refreshToken, ...secretHash(internalUsername) },
          }),
          { abortSignal: signal },
        ),
      ),
    );
    const refreshResult = authResultOf(refreshed);
    let refreshEnrichment = {};
    if (refreshResult.outcome === 'error' && refreshResult.error.kind === 'service') {
      // Does Cognito still accept the access token of the same sign-in? If not, the session was revoked.
      const live =
        accessTokenValue === undefined
          ? undefined
          : await caller.call((signal) =>
              cognito.send(new GetUserCommand({ AccessToken: accessTokenValue }), { abortSignal: signal }),
            );
      refreshEnrichment = {
        ...(live === undefined || (!live.ok && live.error.kind !== 'service')
          ? {}
          : { accessTokenLive: live.ok }),
        ...(await triggerFunctionsFor(ctx, refreshResult.error)),
      };
    }
    observations.push({
      kind: 'canary-refresh',
      target,
      durationMs: refreshMs,
      ...budgetOf(ctx.budgets, 'refresh'),
      result: refreshResult,
      ...refreshEnrichment,
    });
    const newTokens = refreshed.ok ? refreshed.value.AuthenticationResult : undefined;
    if (newTokens !== undefined) {
      scrubber.add(newTokens.IdToken, 'jwt');
      scrubber.add(newTokens.AccessToken, 'jwt');
      scrubber.add(newTokens.RefreshToken, 'refresh-token');
      await verify('refresh', 'id', newTokens.IdToken);
      await verify('refresh', 'access', newTokens.AccessToken);
    }
    return observations;
  } finally {
    // 6. Clean-up, whatever happened after the tokens were issued.
    await endSession(ctx, {
      method: input.cleanup,
      username: internalUsername,
      ...(tokens.RefreshToken === undefined ? {} : { refreshToken: tokens.RefreshToken }),
      ...(input.clientSecret === undefined ? {} : { clientSecret: input.clientSecret }),
    });
  }
};
