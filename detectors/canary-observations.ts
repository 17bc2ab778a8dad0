/**
 * Typed observations that the synthetic auth canary (canary) produces and the canary detectors
 * consume: one observation per step of a cycle, a discriminated union on `kind`.
 *
 * Everything here is plain data and already scrubbed: an error message never carries the canary's
 * password, client secret, tokens, session or username (canary removes them at the boundary).
 */
import type { TriggerName } from '../contracts/triggers';

/** The pool and app client a step ran against. */
export interface CanaryTarget {
  userPoolId: string;
  clientId: string;
  region: string;
  /** The pool's short name from config, for titles. */
  poolName?: string;
}

/**
 * How the canary classified a failed call after its retries:
 * `service` (Cognito answered with an error), `throttled` (it kept throttling), `network` (it could
 * not be reached, or did not answer in time).
 */
export const CANARY_ERROR_KINDS = ['service', 'throttled', 'network'] as const;
export type CanaryErrorKind = (typeof CANARY_ERROR_KINDS)[number];

/** A failed API call, as the canary saw it after retries. */
export interface CanaryError {
  /** Exception name (`NotAuthorizedException`), or the transport error's name/code (`ECONNREFUSED`, `TimeoutError`). */
  name: string;
  /** The message, scrubbed of the canary's secrets, tokens and username. */
  message: string;
  kind: CanaryErrorKind;
  /** How many attempts were made (1 = no retry). */
  attempts: number;
  /** HTTP status of the last attempt, when there was a response. */
  httpStatus?: number;
}

/** What AdminGetUser said about the canary user, fetched when it explains a failure. */
export interface CanaryUserState {
  /** False when AdminGetUser says the user does not exist. */
  exists: boolean;
  /** `CONFIRMED`, `UNCONFIRMED`, `RESET_REQUIRED`, `FORCE_CHANGE_PASSWORD`, ... */
  status?: string;
  enabled?: boolean;
}

/**
 * The pool's LambdaConfig (trigger → function name or ARN), fetched when a trigger error names a
 * function instead of a trigger, so the finding can still name the trigger.
 */
export type TriggerFunctions = Readonly<Partial<Record<TriggerName, string>>>;

/** How an authentication call (sign-in, refresh) ended. */
export type CanaryAuthResult =
  | { outcome: 'tokens' }
  | { outcome: 'challenge'; challengeName: string }
  | { outcome: 'error'; error: CanaryError };

/**
 * The MFA step of a sign-in, when Cognito asked for a second factor. The sign-in's `result` is
 * then the end of the whole exchange (tokens after a TOTP answer, the refusal of the code, or the
 * challenge the canary could not answer).
 */
export interface CanaryMfaStep {
  /** The challenge Cognito asked for first: `SOFTWARE_TOKEN_MFA`, `SMS_MFA`, `EMAIL_OTP`, `MFA_SETUP`, `SELECT_MFA_TYPE`. */
  challengeName: string;
  /** Whether a TOTP seed is configured for the canary user (`canary.mfa.totpSecret`). */
  seedConfigured: boolean;
  /** Whether the canary answered with a TOTP code. */
  answered: boolean;
}

/** Fields every step carries. */
interface CanaryStepBase {
  target: CanaryTarget;
  /** Wall time of the step in ms, retries and backoff included. */
  durationMs: number;
  /** The step's latency budget in ms, when one is configured (`canary-slow`). */
  budgetMs?: number;
}

/** AdminInitiateAuth with ADMIN_USER_PASSWORD_AUTH. */
export interface CanarySignInObservation extends CanaryStepBase {
  kind: 'canary-sign-in';
  result: CanaryAuthResult;
  /** The MFA exchange, when Cognito asked for a second factor. */
  mfa?: CanaryMfaStep;
  /** AdminGetUser enrichment after an ambiguous refusal. */
  user?: CanaryUserState;
  triggerFunctions?: TriggerFunctions;
}

/** Which tokens a check covered: those from the sign-in, or those from the refresh. */
export const TOKEN_PHASES = ['sign-in', 'refresh'] as const;
export type TokenPhase = (typeof TOKEN_PHASES)[number];

export const TOKEN_USES = ['id', 'access'] as const;
export type TokenUse = (typeof TOKEN_USES)[number];

/** One failed check of one token. */
export interface TokenCheckFailure {
  /** The claim or property: `signature`, `iss`, `token_use`, `aud`, `client_id`, `exp`, `nbf`, `validity`, `format`, `jwks`, or an expected claim name. */
  field: string;
  expected: string;
  actual: string;
  /**
   * `verification`: the token fails what an API verifier checks; `lifetime`: its lifetime differs
   * from the client's configured validity; `claim`: a configured expected claim differs;
   * `jwks-unavailable`: the pool's signing keys could not be fetched, so nothing was verified.
   */
  check: 'verification' | 'lifetime' | 'claim' | 'jwks-unavailable';
}

/** Verification of one token (aws-jwt-verify, lifetime, expected claims). */
export interface CanaryTokenCheckObservation extends CanaryStepBase {
  kind: 'canary-token-check';
  phase: TokenPhase;
  tokenUse: TokenUse;
  /** Empty when the token passed every check. */
  failures: TokenCheckFailure[];
  /** The `kid` of the token's header (the hosted UI probe looks for it in the JWKS). */
  keyId?: string;
}

/** GetUser with the fresh access token: Cognito itself accepts it (not revoked). */
export interface CanaryGetUserObservation extends CanaryStepBase {
  kind: 'canary-get-user';
  result: { outcome: 'ok' } | { outcome: 'error'; error: CanaryError };
}

/** AdminInitiateAuth with REFRESH_TOKEN_AUTH. */
export interface CanaryRefreshObservation extends CanaryStepBase {
  kind: 'canary-refresh';
  result: CanaryAuthResult;
  /**
   * After a refused refresh: whether GetUser still accepts the access token issued with the
   * refresh token. `false` means the whole session was revoked (global sign-out, RevokeToken).
   */
  accessTokenLive?: boolean;
  user?: CanaryUserState;
  triggerFunctions?: TriggerFunctions;
}

/** The sign-up cycle: SignUp a throwaway user, read its status, delete it. */
export interface CanarySignUpObservation extends CanaryStepBase {
  kind: 'canary-sign-up';
  /** True when the pool is expected to auto-confirm (a PreSignUp trigger sets autoConfirmUser). */
  expectConfirmed: boolean;
  result:
    | { outcome: 'created'; userStatus: string; userConfirmed: boolean }
    | { outcome: 'error'; call: 'SignUp' | 'AdminGetUser'; error: CanaryError };
  /** Whether AdminDeleteUser removed the throwaway user afterwards. */
  deleted: boolean;
  triggerFunctions?: TriggerFunctions;
}

/** The custom-auth cycle: CUSTOM_AUTH, then AdminRespondToAuthChallenge until tokens. */
export interface CanaryCustomAuthObservation extends CanaryStepBase {
  kind: 'canary-custom-auth';
  /** Challenges answered. */
  rounds: number;
  /** The max-rounds guard that stops a looping flow. */
  maxRounds: number;
  /** Challenge names Cognito asked for, in order. */
  challenges: string[];
  result:
    | { outcome: 'tokens' }
    | { outcome: 'error'; error: CanaryError }
    /** Cognito kept asking past `maxRounds`. */
    | { outcome: 'loop' }
    /** Cognito asked for a challenge other than CUSTOM_CHALLENGE, or answered with neither tokens nor a challenge. */
    | { outcome: 'stalled'; challengeName?: string }
    /** The configured answers ran out before the flow finished. */
    | { outcome: 'no-answer' };
  triggerFunctions?: TriggerFunctions;
}

/** The protected-API probe: the configured URL called with the fresh token. */
export interface CanaryApiProbeObservation extends CanaryStepBase {
  kind: 'canary-api-probe';
  /** Origin and path only (never the query string). */
  url: string;
  method: string;
  tokenUse: TokenUse;
  result: { outcome: 'status'; status: number } | { outcome: 'error'; error: CanaryError };
}

/** How `GET /oauth2/authorize` answered for one expected redirect URI. */
export interface HostedUiRedirect {
  redirectUri: string;
  /**
   * `login`: a redirect to the sign-in page (what Cognito does for a valid request); `error`: a
   * redirect carrying `error=` (Cognito's error page, or the redirect URI itself); `unexpected`:
   * any other answer; `unreachable`: no HTTP answer at all.
   */
  outcome: 'login' | 'error' | 'unexpected' | 'unreachable';
  status?: number;
  /** The OAuth error code of an `error` outcome (`redirect_mismatch`, `unauthorized_client`, ...). */
  error?: string;
  /** What went wrong, for `unexpected` and `unreachable` (status, location path, transport error). */
  detail?: string;
}

/** What the OIDC discovery document said, or why it could not be read. */
export type HostedUiDiscovery =
  | { outcome: 'ok'; issuer: string; jwksUri: string; keyIds: string[] }
  | { outcome: 'error'; detail: string };

/** The TLS certificate a custom domain serves. */
export type HostedUiCertificate =
  | { outcome: 'ok'; host: string; validTo: string; daysLeft: number }
  | { outcome: 'error'; host: string; detail: string };

/**
 * The hosted UI (managed login) probe: `/oauth2/authorize` for each expected redirect URI, the OIDC
 * discovery document and JWKS, and for a custom domain its DNS and TLS certificate. No credentials,
 * nothing created.
 */
export interface CanaryHostedUiObservation extends CanaryStepBase {
  kind: 'canary-hosted-ui';
  /** The domain's origin (`https://shop.auth.us-east-1.amazoncognito.com`). */
  domain: string;
  redirects: HostedUiRedirect[];
  /** The client's CallbackURLs (DescribeUserPoolClient), for the page of a refused URL. */
  allowedCallbackUrls?: string[];
  expectedIssuer: string;
  /** Absent when the discovery check was skipped (an emulator that serves none). */
  discovery?: HostedUiDiscovery;
  /** The key id that signs the canary's tokens, when a sign-in ran before the probe. */
  signingKeyId?: string;
  /** DNS of a custom domain; absent for Cognito prefix domains and local stand-ins. */
  dns?: { host: string; resolved: boolean; detail?: string };
  certificate?: HostedUiCertificate;
  /** Days before expiry that raise `certificate-expiring` (warning). */
  certificateWarningDays: number;
}

/** A machine-to-machine token request (`grant_type=client_credentials`) and its verification. */
export interface CanaryM2mTokenObservation extends CanaryStepBase {
  kind: 'canary-m2m-token';
  /** The token endpoint's origin and path. */
  tokenUrl: string;
  scopes: string[];
  result:
    | { outcome: 'token'; failures: TokenCheckFailure[] }
    /** The endpoint answered with an OAuth error (`invalid_client`, `invalid_scope`, ...). */
    | { outcome: 'oauth-error'; status: number; error: string; description?: string }
    | { outcome: 'error'; error: CanaryError };
}

/** Everything a canary cycle observes. */
export type CanaryObservation =
  | CanarySignInObservation
  | CanaryTokenCheckObservation
  | CanaryGetUserObservation
  | CanaryRefreshObservation
  | CanarySignUpObservation
  | CanaryCustomAuthObservation
  | CanaryApiProbeObservation
  | CanaryHostedUiObservation
  | CanaryM2mTokenObservation;

/** Observation kinds, in cycle order. */
export const CANARY_OBSERVATION_KINDS = [
  'canary-sign-in',
  'canary-token-check',
  'canary-get-user',
  'canary-refresh',
  'canary-sign-up',
  'canary-custom-auth',
  'canary-api-probe',
  'canary-hosted-ui',
  'canary-m2m-token',
] as const satisfies readonly CanaryObservation['kind'][];

/** The steps of a canary cycle, as metrics and latency budgets name them. */
export const CANARY_STEPS = [
  'sign-in',
  'verify-tokens',
  'get-user',
  'refresh',
  'verify-refreshed-tokens',
  'sign-up',
  'custom-auth',
  'api-probe',
  'hosted-ui',
  'm2m-token',
] as const;
export type CanaryStep = (typeof CANARY_STEPS)[number];

/** The step an observation belongs to. */
export const stepOf = (observation: CanaryObservation): CanaryStep => {
  switch (observation.kind) {
    case 'canary-sign-in':
      return 'sign-in';
    case 'canary-token-check':
      return observation.phase === 'refresh' ? 'verify-refreshed-tokens' : 'verify-tokens';
    case 'canary-get-user':
      return 'get-user';
    case 'canary-refresh':
      return 'refresh';
    case 'canary-sign-up':
      return 'sign-up';
    case 'canary-custom-auth':
      return 'custom-auth';
    case 'canary-api-probe':
      return 'api-probe';
    case 'canary-hosted-ui':
      return 'hosted-ui';
    case 'canary-m2m-token':
      return 'm2m-token';
  }
};

/** Whether the step an observation records succeeded (what the success metric counts). */
export const isStepSuccessful = (observation: CanaryObservation): boolean => {
  switch (observation.kind) {
    case 'canary-sign-in':
    case 'canary-refresh':
    case 'canary-custom-auth':
      return observation.result.outcome === 'tokens';
    case 'canary-token-check':
      return observation.failures.length === 0;
    case 'canary-get-user':
      return observation.result.outcome === 'ok';
    case 'canary-sign-up':
      return (
        observation.result.outcome === 'created' &&
        (!observation.expectConfirmed || observation.result.userStatus === 'CONFIRMED')
      );
    case 'canary-api-probe':
      return observation.result.outcome === 'status' && observation.result.status < 400;
    case 'canary-hosted-ui':
      return (
        observation.redirects.every((redirect) => redirect.outcome === 'login') &&
        observation.discovery?.outcome !== 'error' &&
        observation.dns?.resolved !== false &&
        observation.certificate?.outcome !== 'error' &&
        (observation.certificate === undefined ||
          observation.certificate.daysLeft >= observation.certificateWarningDays)
      );
    case 'canary-m2m-token':
      return observation.result.outcome === 'token' && observation.result.failures.length === 0;
  }
};
