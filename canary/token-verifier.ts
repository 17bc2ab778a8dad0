/**
 * Verifies the tokens Cognito issues to the canary the way an API would, with aws-jwt-verify:
 * signature against the pool's JWKS, `iss`, `token_use`, `aud` (ID token) or `client_id` (access
 * token), `exp` and `nbf`; then the lifetime (`exp - iat`) against the client's configured
 * validity, and any expected claims from config.
 *
 * Real pools: `CognitoJwtVerifier`, its JWKS fetched once per container (`hydrate`). Emulators
 * (an endpoint is set): `JwtVerifier` (the class `JwtRsaVerifier` aliases) trusting both issuers an
 * emulator may write, `https://cognito-idp.<region>.amazonaws.com/<poolId>` (moto) and
 * `<endpoint>/<poolId>` (cognito-local), with the JWKS read from `<endpoint>/<poolId>/.well-known/jwks.json`
 * and loaded with `cacheJwks`. One verifier per pool per container either way.
 */
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  FailedAssertionError,
  FetchError,
  JwksNotAvailableInCacheError,
  JwksValidationError,
  JwkValidationError,
  JwtExpiredError,
  JwtInvalidAudienceError,
  JwtInvalidIssuerError,
  JwtNotBeforeError,
  JwtParseError,
  ParameterValidationError,
  WaitPeriodNotYetEndedJwkError,
} from 'aws-jwt-verify/error';
import type { Jwks } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { CanaryTarget, TokenCheckFailure, TokenUse } from '../detectors/canary-observations';
import { SentinelError } from '../runtime/errors';

/** What one token is checked against. */
export interface TokenExpectations {
  target: CanaryTarget;
  tokenUse: TokenUse;
  /** The client's configured validity for this token, in seconds; undefined skips the lifetime check. */
  lifetimeSeconds?: number;
  /** Claims the token must carry (config `expect`). */
  claims?: Readonly<Record<string, string | number | boolean>>;
}

export interface TokenVerification {
  /** Empty when the token passed every check. */
  failures: TokenCheckFailure[];
  /** The verified payload, when the signature and standard claims passed. */
  payload?: JwtPayload;
}

export interface TokenVerifier {
  /** Verifies one token. Never throws. */
  verify(token: string, expectations: TokenExpectations): Promise<TokenVerification>;
}

export interface TokenVerifierOptions {
  /** Cognito endpoint of an emulator (AWS_ENDPOINT_URL); unset for AWS. */
  endpoint?: string;
  /** Supplies a pool's JWKS instead of fetching it (loaded with `cacheJwks`). */
  loadJwks?: (target: CanaryTarget) => Promise<Jwks>;
  fetch?: typeof globalThis.fetch;
  /** Called with the duration of every JWKS fetch, in ms. */
  onRoundTrip?: (ms: number) => void;
}

/** Failed to fetch or read a pool's JWKS. */
export class JwksLoadError extends SentinelError {
  override readonly name = 'JwksLoadError';
  readonly code = 'jwks-load';
}

interface PoolVerifier {
  verify(token: string, tokenUse: TokenUse, clientId: string): Promise<JwtPayload>;
}

/** The AWS-format issuer of a pool. */
export const toIssuer = (target: Pick<CanaryTarget, 'region' | 'userPoolId'>): string =>
  `https://cognito-idp.${target.region}.amazonaws.com/${target.userPoolId}`;

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

const fetchJwks = async (url: string, fetchFn: typeof globalThis.fetch): Promise<Jwks> => {
  let response: Response;
  try {
    response = await fetchFn(url, { signal: AbortSignal.timeout(5_000) });
  } catch (error) {
    throw new JwksLoadError(`Failed to fetch ${url}: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok) throw new JwksLoadError(`Failed to fetch ${url}: HTTP ${response.status}`);
  try {
    return (await response.json()) as Jwks;
  } catch (error) {
    throw new JwksLoadError(`${url} is not JSON: ${(error as Error).message}`, { cause: error });
  }
};

const describe = (value: unknown): string => {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return value;
  // aws-jwt-verify reports `aud` and allowed values as arrays.
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(', ');
  return JSON.stringify(value);
};

const epochText = (seconds: unknown): string =>
  typeof seconds === 'number' ? `${new Date(seconds * 1000).toISOString()} (${seconds})` : describe(seconds);

/** Seconds as `60 min (3600 s)`, `1 day (86400 s)` or `90 s`. */
export const formatLifetime = (seconds: number): string => {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} day${seconds === 86_400 ? '' : 's'} (${seconds} s)`;
  if (seconds % 60 === 0) return `${seconds / 60} min (${seconds} s)`;
  return `${seconds} s`;
};

const JWKS_ERRORS = [
  FetchError,
  JwksLoadError,
  JwksValidationError,
  JwkValidationError,
  WaitPeriodNotYetEndedJwkError,
  JwksNotAvailableInCacheError,
];

/** The failed check an aws-jwt-verify error stands for. */
export const toTokenFailure = (
  error: unknown,
  tokenUse: TokenUse,
  expectedIssuer: string,
): TokenCheckFailure => {
  const message = error instanceof Error ? error.message : String(error);
  const assertion = error instanceof FailedAssertionError ? error.failedAssertion : undefined;
  const verification = (field: string, expected: string, actual: string): TokenCheckFailure => ({
    field,
    expected,
    actual,
    check: 'verification',
  });
  if (JWKS_ERRORS.some((type) => error instanceof type)) {
    return { field: 'jwks', expected: 'the pool’s signing keys', actual: message, check: 'jwks-unavailable' };
  }
  if (error instanceof JwtInvalidIssuerError) {
    return verification('iss', expectedIssuer, describe(assertion?.actual));
  }
  if (error instanceof ParameterValidationError && /issuer not configured/.test(message)) {
    return verification('iss', expectedIssuer, message.replace(/^.*issuer not configured:\s*/, ''));
  }
  if (error instanceof CognitoJwtInvalidTokenUseError) {
    return verification('token_use', tokenUse, describe(assertion?.actual));
  }
  if (error instanceof CognitoJwtInvalidClientIdError || error instanceof JwtInvalidAudienceError) {
    return verification(
      tokenUse === 'id' ? 'aud' : 'client_id',
      describe(assertion?.expected),
      describe(assertion?.actual),
    );
  }
  if (error instanceof JwtExpiredError) {
    return verification('exp', 'a time in the future', `expired at ${epochText(assertion?.actual)}`);
  }
  if (error instanceof JwtNotBeforeError) {
    return verification('nbf', 'a time in the past', `not before ${epochText(assertion?.actual)}`);
  }
  if (error instanceof JwtParseError) return verification('format', 'a JWT (three base64url parts)', message);
  // Invalid signature, unknown kid, wrong algorithm, key decoding: the token is not the pool's.
  return verification(
    'signature',
    'signed by a key in the pool’s JWKS',
    `${(error as Error).name ?? 'Error'}: ${message}`,
  );
};

const sameClaim = (actual: unknown, expected: string | number | boolean): boolean =>
  actual === expected || (typeof actual === 'string' && actual === String(expected));

const checkClaims = (payload: JwtPayload, expectations: TokenExpectations): TokenCheckFailure[] => {
  const failures: TokenCheckFailure[] = [];
  if (expectations.lifetimeSeconds !== undefined) {
    const { exp, iat } = payload;
    const lifetime = typeof exp === 'number' && typeof iat === 'number' ? exp - iat : undefined;
    if (lifetime !== expectations.lifetimeSeconds) {
      failures.push({
        field: 'validity',
        expected: formatLifetime(expectations.lifetimeSeconds),
        actual: lifetime === undefined ? 'no exp or iat claim' : formatLifetime(lifetime),
        check: 'lifetime',
      });
    }
  }
  for (const [claim, expected] of Object.entries(expectations.claims ?? {})) {
    const actual = payload[claim];
    if (!sameClaim(actual, expected)) {
      failures.push({ field: claim, expected: describe(expected), actual: describe(actual), check: 'claim' });
    }
  }
  return failures;
};

export const createTokenVerifier = ({
  endpoint,
  loadJwks,
  fetch: fetchFn = globalThis.fetch,
  onRoundTrip,
}: TokenVerifierOptions = {}): TokenVerifier => {
  const pools = new Map<string, Promise<PoolVerifier>>();

  const timed = async <T>(work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      onRoundTrip?.(performance.now() - started);
    }
  };

  const createPoolVerifier = async (target: CanaryTarget): Promise<PoolVerifier> => {
    if (endpoint === undefined) {
      const verifier = CognitoJwtVerifier.create({
        userPoolId: target.userPoolId,
        tokenUse: null,
        clientId: null,
      });
      if (loadJwks) verifier.cacheJwks(await timed(() => loadJwks(target)));
      else await timed(() => verifier.hydrate());
      return { verify: (token, tokenUse, clientId) => verifier.verify(token, { tokenUse, clientId }) };
    }
    const base = trimSlash(endpoint);
    const jwksUri = `${base}/${target.userPoolId}/.well-known/jwks.json`;
    const issuers = [toIssuer(target), `${base}/${target.userPoolId}`];
    const verifier = JwtVerifier.create(issuers.map((issuer) => ({ issuer, jwksUri, audience: null })));
    const jwks = await timed(() => (loadJwks ? loadJwks(target) : fetchJwks(jwksUri, fetchFn)));
    for (const issuer of issuers) verifier.cacheJwks(jwks, issuer);
    return {
      verify: async (token, tokenUse, clientId) => {
        const payload = await verifier.verify(token);
        validateCognitoJwtFields(payload, { tokenUse, clientId });
        return payload;
      },
    };
  };

  const poolVerifier = (target: CanaryTarget): Promise<PoolVerifier> => {
    const key = `${target.region}\u0000${target.userPoolId}`;
    let pending = pools.get(key);
    if (pending === undefined) {
      pending = createPoolVerifier(target);
      // A failed JWKS fetch is not cached: the next run tries again.
      pending.catch(() => pools.delete(key));
      pools.set(key, pending);
    }
    return pending;
  };

  return {
    async verify(token, expectations) {
      const { target, tokenUse } = expectations;
      const issuer = toIssuer(target);
      let payload: JwtPayload;
      try {
        const verifier = await poolVerifier(target);
        payload = await verifier.verify(token, tokenUse, target.clientId);
      } catch (error) {
        return { failures: [toTokenFailure(error, tokenUse, issuer)] };
      }
      return { failures: checkClaims(payload, expectations), payload };
    },
  };
};
