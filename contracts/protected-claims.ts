/**
 * Token claims a pre token generation trigger may not add, override or suppress.
 * Facts: docs/cognito-triggers-and-logs.md (PreTokenGeneration; the developer guide's "claims and scopes reference").
 */

/** Claims no override may touch (besides every `cognito:*` claim). */
export const PROTECTED_CLAIMS = [
  'username',
  'sub',
  'identities',
  'client_id',
  'event_id',
  'device_key',
  'version',
  'acr',
  'amr',
  'at_hash',
  'auth_time',
  'azp',
  'exp',
  'iat',
  'iss',
  'jti',
  'nbf',
  'nonce',
  'origin_jti',
  'token_use',
  'aud',
] as const;

/** `cognito:*` claims that `claimsToSuppress` may list (their values come from group overrides). */
export const SUPPRESSIBLE_COGNITO_CLAIMS = [
  'cognito:groups',
  'cognito:preferred_role',
  'cognito:roles',
] as const;

const PROTECTED: ReadonlySet<string> = new Set(PROTECTED_CLAIMS);
const SUPPRESSIBLE: ReadonlySet<string> = new Set(SUPPRESSIBLE_COGNITO_CLAIMS);

/**
 * True when a trigger may not add or override `claim`. `aud` on an access token is the one
 * exception (allowed when equal to the app client id); callers handle it before asking.
 */
export const isProtectedFromOverride = (claim: string): boolean =>
  PROTECTED.has(claim) || claim.startsWith('cognito:') || claim.startsWith('dev:');

/** True when a trigger may not suppress `claim` (`dev:*` and group-derived claims may be suppressed). */
export const isProtectedFromSuppression = (claim: string): boolean =>
  PROTECTED.has(claim) || (claim.startsWith('cognito:') && !SUPPRESSIBLE.has(claim));
