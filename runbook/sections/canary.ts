/**
 * Sections for the synthetic auth cycle: sign-in, refresh, token checks, the optional sign-up,
 * custom-auth and API-probe cycles, and latency.
 */
import type { Cause, Finding } from '../../detectors/types';
import {
  adminGetCanaryUser,
  type CommandContext,
  cognitoMetric,
  countUnconfirmedUsers,
  describeUserPool,
  describeUserPoolClient,
  lookupCloudTrail,
  sentinelCheck,
} from '../commands';
import { shellQuote } from '../shell';
import { wiringStep } from '../steps';
import type { RunbookSection, Step } from '../types';

/** What each canary cause id means, in one sentence, for the first step of the canary sections. */
export const CAUSE_HINTS: Readonly<Record<Cause, string>> = {
  'user-not-confirmed': 'The canary user is UNCONFIRMED (UserNotConfirmedException).',
  'user-disabled': 'The canary user is disabled (`User is disabled.`).',
  'incorrect-credentials':
    'Cognito rejected the username or password (`Incorrect username or password.`): the stored canary password no longer matches, or the user was recreated.',
  'user-not-found':
    'The canary user does not exist in the pool (or a UserMigration trigger did not find it).',
  'password-reset-required': 'The canary user must reset its password (PasswordResetRequiredException).',
  'new-password-required':
    'Sign-in returned a NEW_PASSWORD_REQUIRED challenge: the user has a temporary password, for example after being recreated with AdminCreateUser.',
  'flow-not-enabled':
    'The app client does not allow the flow (`Auth flow not enabled for this client`): `ALLOW_ADMIN_USER_PASSWORD_AUTH` (or `ALLOW_USER_AUTH` for a canary that signs in with USER_AUTH) or `ALLOW_REFRESH_TOKEN_AUTH` is missing from its ExplicitAuthFlows.',
  'secret-hash-mismatch':
    'The SECRET_HASH did not match (`Unable to verify secret hash for client ...`): the client secret was rotated, or the hash was computed over the wrong username.',
  'client-not-found': 'The app client id does not exist in the pool (deleted or recreated with a new id).',
  'pool-not-found':
    'The user pool does not exist in this region and account (deleted, or the wrong region or account).',
  'trigger-failed':
    'A trigger threw or timed out during the call (UserLambdaValidationException or UnexpectedLambdaException); see the trigger-error and trigger-timeout sections.',
  'trigger-invalid-response':
    'A trigger returned output Cognito could not use (InvalidLambdaResponseException); see the trigger-response-invalid sections.',
  'trigger-unreachable':
    'Cognito could not invoke a trigger at all (for example `AccessDeniedException`): see trigger-wiring-broken.',
  'refresh-token-revoked':
    'The refresh token was revoked (`Refresh Token has been revoked`): a global sign-out, a password change, or RevokeToken.',
  'refresh-token-invalid':
    'Cognito does not accept the refresh token (`Invalid Refresh Token`): another app client, device tracking, or refresh token rotation.',
  'unexpected-challenge':
    'Sign-in answered with a challenge the canary does not expect (MFA, NEW_PASSWORD_REQUIRED, a custom challenge).',
  throttled:
    'Cognito throttled the call (TooManyRequestsException): a quota is exhausted, possibly by other traffic.',
  'access-denied': 'The monitor’s own IAM role may not call this API on this pool.',
  unknown: 'The error did not match a known cause; the evidence holds the exact exception and message.',
  'email-quota-exceeded':
    'Cognito’s default email sender hit its daily quota (LimitExceededException `Exceeded daily email limit for the operation or the account`). This is not throttling and retrying does not help: configure the pool to send through your own Amazon SES.',
  'custom-auth-not-configured':
    'CUSTOM_AUTH was started on a pool without a DefineAuthChallenge trigger (InvalidParameterException `Custom auth lambda trigger is not configured for the user pool.`): the trigger was removed from the LambdaConfig, or the call goes to the wrong pool.',
  'auth-flow-not-supported':
    'Cognito does not take this auth flow on this API (InvalidParameterException `Initiate Auth method not supported.`): e.g. ADMIN_USER_PASSWORD_AUTH sent to InitiateAuth, or USER_PASSWORD_AUTH to AdminInitiateAuth.',
  network:
    'The monitor could not reach Cognito after retries (connection refused or reset, DNS, timeout), so nothing was tested; this says nothing about real users yet.',
  'mfa-required':
    'Cognito asked for a second factor the canary cannot give: a TOTP code (SOFTWARE_TOKEN_MFA) with no seed configured, or an SMS or email one-time code (SMS_MFA, EMAIL_OTP), which a canary has no phone or mailbox to read.',
  'mfa-not-enrolled':
    'MFA is required but the canary user has no usable TOTP factor: Cognito asked for MFA_SETUP, or for an SMS or email code although a TOTP seed is configured (the software token is not enabled or not preferred).',
  'redirect-mismatch':
    'The hosted UI sent `/oauth2/authorize` with an expected redirect URI to its error page (`error=redirect_mismatch`): the URI is not, character for character, one of the app client’s callback URLs.',
  'domain-unreachable':
    'The hosted UI domain did not answer with its sign-in page: the name does not resolve, the connection fails, or the answer is neither the sign-in page nor an error redirect.',
  'certificate-expiring':
    'The custom domain’s TLS certificate (ACM, in us-east-1) expires soon or has expired; browsers refuse the hosted UI once it has.',
  'issuer-mismatch':
    'The OIDC discovery document does not name the pool’s issuer (or cannot be read): relying parties that discover their settings trust the wrong issuer.',
  'jwks-key-missing':
    'The JWKS the discovery document points to does not serve the key id that signs the pool’s tokens: verifiers reject every token.',
  'invalid-client':
    'The token endpoint answered `invalid_client`: the client secret was rotated, the client was deleted, or the id and secret do not belong together.',
  'invalid-scope':
    'The token endpoint answered `invalid_scope`: a requested custom scope was removed from the app client or its resource server.',
  'unauthorized-client':
    'The token endpoint answered `unauthorized_client`: the app client no longer allows the client_credentials grant.',
  'mfa-code-rejected':
    'Cognito refused the TOTP code the canary computed (`CodeMismatchException: Invalid code or auth state for the user.`): the stored seed no longer matches the user’s enrolment, or the monitor’s clock is off.',
};

export const causeStep = (finding: Finding): Step[] => {
  if (finding.cause === undefined) return [];
  // Findings arrive as JSON too, so the cause may be an id this version does not know.
  const hint = (CAUSE_HINTS as Readonly<Record<string, string | undefined>>)[finding.cause];
  return [
    {
      text: `Cause \`${finding.cause}\`: ${hint ?? 'not a cause id this runbook knows; read the evidence.'}`,
    },
  ];
};

export const clientAuthStep = (c: CommandContext): Step => ({
  text: 'Check the app client: allowed flows, whether it has a secret, and token validity.',
  command: describeUserPoolClient(
    c,
    'UserPoolClient.{Flows:ExplicitAuthFlows,HasSecret:ClientSecret != `null`,Access:AccessTokenValidity,Id:IdTokenValidity,Refresh:RefreshTokenValidity,Units:TokenValidityUnits,Revocation:EnableTokenRevocation,Rotation:RefreshTokenRotation}',
  ),
});

export const recentChangeSteps = (c: CommandContext): Step[] => [
  {
    text: 'Who changed the app client recently (CloudTrail keeps 90 days of management events).',
    command: lookupCloudTrail(c, 'UpdateUserPoolClient'),
  },
  {
    text: 'Who changed the pool (triggers, policies) recently.',
    command: lookupCloudTrail(c, 'UpdateUserPool'),
  },
];

export const checkStep = (c: CommandContext): Step => ({
  text: 'Run one canary cycle now; it exits 0 when sign-in, token verification and refresh pass.',
  command: sentinelCheck(c),
});

/** The usual proof of a canary fix: one cycle that passes. */
export const verifyByCheck = (_finding: Finding, c: CommandContext): Step[] => [checkStep(c)];

export const UPDATE_CLIENT_WARNING =
  'Make client changes through your infrastructure code. `aws cognito-idp update-user-pool-client` resets every setting you leave out (flows, callback URLs, token validity) to its default.';

/** `canary-auth-failed`. */
export const CANARY_AUTH_FAILED_SECTION: RunbookSection = {
  id: 'canary-auth-failed',
  title: 'The canary could not sign in',
  meaning:
    'The scheduled canary tried to sign in (AdminInitiateAuth with ADMIN_USER_PASSWORD_AUTH) and Cognito refused. Unless the cause is specific to the canary user (disabled, wrong password), real users signing in through the same app client are probably failing too.',
  firstTenMinutes: (finding, c) => {
    return [
      ...causeStep(finding),
      {
        text: 'Check the canary user’s status and whether it is enabled.',
        command: adminGetCanaryUser(c),
      },
      clientAuthStep(c),
      wiringStep(c),
      {
        text: 'Are real users affected? An `Average` below 1 means failed sign-ins.',
        command: cognitoMetric(c, 'SignInSuccesses'),
      },
      ...recentChangeSteps(c),
    ];
  },
  likelyCauses: [
    'An app client change: ADMIN_USER_PASSWORD_AUTH removed from the flows, a secret added or rotated, the client recreated with a new id.',
    'A trigger on the sign-in path (PreAuthentication, UserMigration, PostAuthentication, PreTokenGeneration) failing.',
    'The canary user changed: disabled, password reset, recreated with a temporary password, or left UNCONFIRMED.',
    'The monitor pointed at the wrong pool, region or account (staging versus production).',
    'Throttling from traffic sharing the UserAuthentication quota.',
  ],
  fix: (_finding, c) => {
    return [
      {
        text: 'If a client or pool change caused it, revert that change through the pipeline that owns the pool.',
      },
      { text: UPDATE_CLIENT_WARNING },
      {
        text: 'If a trigger fails, follow the trigger section the trigger-log findings point at, and roll the function back.',
      },
      {
        text: 'If only the canary user is broken (disabled, password changed), repair it and update the stored canary password in Secrets Manager or SSM; do not weaken the pool for it.',
        command: `aws cognito-idp admin-enable-user --user-pool-id ${c.userPoolId} --region ${c.region} --username <canary-username>`,
      },
    ];
  },
  verify: verifyByCheck,
};

/** `canary-refresh-failed`. */
export const CANARY_REFRESH_FAILED_SECTION: RunbookSection = {
  id: 'canary-refresh-failed',
  title: 'The canary could not refresh its tokens',
  meaning:
    'Sign-in worked, but exchanging the fresh refresh token for new tokens (REFRESH_TOKEN_AUTH) failed. Users stay signed in only until their access token expires (an hour by default), then they are sent back to the sign-in screen.',
  firstTenMinutes: (finding, c) => {
    return [
      ...causeStep(finding),
      clientAuthStep(c),
      {
        text: 'Is PreTokenGeneration configured? It also runs on every refresh (`TokenGeneration_RefreshTokens`).',
        command: describeUserPool(
          c,
          'UserPool.LambdaConfig.{PreTokenGeneration:PreTokenGeneration,Config:PreTokenGenerationConfig}',
        ),
      },
      {
        text: 'Are real users affected? An `Average` below 1 means failed refreshes.',
        command: cognitoMetric(c, 'TokenRefreshSuccesses'),
      },
      ...recentChangeSteps(c),
    ];
  },
  likelyCauses: [
    '`ALLOW_REFRESH_TOKEN_AUTH` removed from the client flows.',
    'Refresh token rotation enabled on the client: refreshes must then go through GetTokensFromRefreshToken, which also returns a new refresh token.',
    'A rotated client secret, or a SECRET_HASH computed over an alias: for refreshes in pools that sign in by email or phone, the hash must use the internal username (the `sub`).',
    'Device tracking on the client, with the device not confirmed or DEVICE_KEY not sent.',
    'The token was revoked by a global sign-out, a password change or RevokeToken.',
    'PreTokenGeneration failing on refresh events only.',
  ],
  fix: () => [
    { text: 'Revert the client change through the pipeline that owns it.' },
    { text: UPDATE_CLIENT_WARNING },
    {
      text: 'If PreTokenGeneration fails, follow the PreTokenGeneration contract section and roll the function back.',
    },
  ],
  verify: verifyByCheck,
};

/** `token-invalid`. */
export const TOKEN_INVALID_SECTION: RunbookSection = {
  id: 'token-invalid',
  title: 'A token Cognito issued fails verification',
  meaning:
    'The canary signed in, but a token it received fails the checks an API would apply: the signature against the pool’s JWKS, `iss`, `token_use`, `aud` (ID token) or `client_id` (access token), `exp`, or the expected validity. The finding’s field names the claim. APIs that verify tokens correctly will reject every user the same way.',
  firstTenMinutes: (finding, c) => {
    return [
      {
        text: `The failing check is \`${finding.field ?? 'unknown'}\`; expected ${finding.expected ?? 'unknown'}, got ${finding.actual ?? 'unknown'}.`,
      },
      clientAuthStep(c),
      {
        text: 'The issuer every token of this pool carries, and every verifier must expect.',
        command: `echo https://cognito-idp.${c.region}.amazonaws.com/${c.userPoolId}`,
      },
      {
        text: 'Fetch the pool’s signing keys and compare their `kid` values with the token header. A token should be decoded locally (never pasted into a website): its header and payload are base64url JSON.',
        command: `curl -s https://cognito-idp.${c.region}.amazonaws.com/${c.userPoolId}/.well-known/jwks.json`,
      },
      ...recentChangeSteps(c),
    ];
  },
  likelyCauses: [
    '`iss`: the verifier is configured for another pool or region (staging versus production); the issuer is built from the region and the pool id, so nothing else can match.',
    '`aud` or `client_id`: the verifier expects another app client id, or a new client was created.',
    '`token_use`: an ID token sent where an access token is expected, or the reverse.',
    '`exp` or validity: the client’s token validity or its units changed, or the verifying host’s clock is off.',
    '`signature`: a stale JWKS cache, or keys fetched from the wrong pool.',
    'A PreTokenGeneration change that altered claims the API checks.',
  ],
  fix: () => [
    { text: 'Align the verifier with the pool: user pool id, region, client ids and token use.' },
    {
      text: 'If the client’s token validity changed by mistake, restore it through the pipeline that owns the client.',
    },
    { text: UPDATE_CLIENT_WARNING },
  ],
  verify: verifyByCheck,
};

/** `signup-not-confirmed`: the seed incident, seen from the outside. */
export const SIGNUP_NOT_CONFIRMED_SECTION: RunbookSection = {
  id: 'signup-not-confirmed',
  title: 'A sign-up that should auto-confirm left the user UNCONFIRMED',
  meaning:
    'The canary’s sign-up cycle registered a test user that the PreSignUp trigger should have confirmed automatically, and the user stayed UNCONFIRMED. Every new user is then locked out: sign-up appears to work, sign-in fails with UserNotConfirmedException. The usual cause is a PreSignUp response that sets `autoConfirmUser` to something other than the boolean `true`.',
  firstTenMinutes: (_finding, c) => {
    return [
      {
        ...wiringStep(c),
        text: 'Find the PreSignUp function in the pool’s LambdaConfig (empty means no trigger is wired, so nothing auto-confirms).',
        command: describeUserPool(c, 'UserPool.LambdaConfig.PreSignUp'),
      },
      {
        text: 'Read what PreSignUp returned for recent sign-ups (use the function name from the previous step).',
        command: `aws logs filter-log-events --log-group-name /aws/lambda/<presignup-function> --region ${c.region} --start-time $(( $(date +%s) * 1000 - 3600000 )) --filter-pattern ${shellQuote('"autoConfirmUser"')} --query 'events[].message' --output text`,
      },
      {
        text: 'Count users stuck in UNCONFIRMED; if the count grows with every sign-up, real users are affected.',
        command: countUnconfirmedUsers(c),
      },
      {
        text: 'When did the PreSignUp function last change?',
        command: `aws lambda get-function-configuration --function-name <presignup-function> --region ${c.region} --query '{LastModified:LastModified,CodeSha256:CodeSha256}'`,
      },
    ];
  },
  likelyCauses: [
    'PreSignUp returns `autoConfirmUser: "true"` (a string) instead of `true`.',
    'PreSignUp returns a new object, or nothing, instead of the event.',
    'The PreSignUp trigger was removed from the pool or points at another function.',
    'The function decides not to confirm (a changed allow-list or environment variable).',
  ],
  fix: (_finding, c) => {
    return [
      {
        text: 'Roll the PreSignUp function back to its last healthy version (alias update, or redeploy the previous build), then fix the response type. The PreSignUp contract section has the details.',
        command: `aws lambda update-alias --function-name <presignup-function> --region ${c.region} --name <alias> --function-version <previous-version>`,
      },
      {
        text: 'Confirm the genuine users who signed up during the incident.',
        command: `aws cognito-idp admin-confirm-sign-up --user-pool-id ${c.userPoolId} --region ${c.region} --username <username>`,
      },
    ];
  },
  verify: (_finding, c) => {
    return [
      checkStep(c),
      {
        text: 'The UNCONFIRMED count should stop growing while sign-ups continue.',
        command: countUnconfirmedUsers(c),
      },
    ];
  },
};

/** `custom-auth-failed`. */
export const CUSTOM_AUTH_FAILED_SECTION: RunbookSection = {
  id: 'custom-auth-failed',
  title: 'The custom authentication flow failed, stalled or looped',
  meaning:
    'The canary’s CUSTOM_AUTH cycle did not end in tokens: a challenge step failed, the flow kept asking for more challenges, or Cognito rejected a trigger’s answer. The three triggers (DefineAuthChallenge, CreateAuthChallenge, VerifyAuthChallengeResponse) work as one state machine, so look at all three.',
  firstTenMinutes: (finding, c) => {
    return [
      ...causeStep(finding),
      {
        ...wiringStep(c),
        text: 'Which functions serve the three challenge triggers.',
        command: describeUserPool(
          c,
          'UserPool.LambdaConfig.{Define:DefineAuthChallenge,Create:CreateAuthChallenge,Verify:VerifyAuthChallengeResponse}',
        ),
      },
      clientAuthStep(c),
      {
        text: 'Read the DefineAuthChallenge log for the session it received and the decision it returned (use the function name from the LambdaConfig step).',
        command: `aws logs filter-log-events --log-group-name /aws/lambda/<define-auth-challenge-function> --region ${c.region} --start-time $(( $(date +%s) * 1000 - 3600000 )) --filter-pattern ${shellQuote('"session"')} --query 'events[].message' --output text`,
      },
      ...recentChangeSteps(c),
    ];
  },
  likelyCauses: [
    'DefineAuthChallenge returns none of `challengeName`, `issueTokens`, `failAuthentication`, or booleans as strings.',
    'CreateAuthChallenge stores the answer as a number, so VerifyAuthChallengeResponse never matches.',
    'VerifyAuthChallengeResponse omits `answerCorrect` on some path.',
    '`ALLOW_CUSTOM_AUTH` removed from the client flows.',
    'A slow challenge sender: Cognito retries and the user receives several codes.',
  ],
  fix: () => [
    {
      text: 'Roll back whichever of the three functions changed last, then fix it following its contract section.',
    },
    { text: UPDATE_CLIENT_WARNING },
  ],
  verify: verifyByCheck,
};

/** `api-probe-rejected`. */
export const API_PROBE_REJECTED_SECTION: RunbookSection = {
  id: 'api-probe-rejected',
  title: 'The protected API rejected a fresh, valid access token',
  meaning:
    'The canary called the protected API with an access token that had just passed every verification check, and the API answered 401 or 403. Cognito is working; the API’s authorizer is not, and every signed-in user is being refused.',
  firstTenMinutes: (_finding, c) => {
    return [
      {
        text: 'List the REST API authorizers and check the user pool ARN, the token source header and the cached-result TTL.',
        command: `aws apigateway get-authorizers --rest-api-id <rest-api-id> --region ${c.region}`,
      },
      {
        text: 'For an HTTP API, check the JWT authorizer issuer and audience.',
        command: `aws apigatewayv2 get-authorizers --api-id <api-id> --region ${c.region} --query 'Items[].{Name:Name,Issuer:JwtConfiguration.Issuer,Audience:JwtConfiguration.Audience}'`,
      },
      {
        text: 'The issuer the authorizer must trust for this pool.',
        command: `echo https://cognito-idp.${c.region}.amazonaws.com/${c.userPoolId}`,
      },
    ];
  },
  likelyCauses: [
    'The authorizer points at another user pool (staging versus production), or the pool was recreated.',
    'An HTTP API JWT authorizer whose audience does not list this app client id (access tokens carry `client_id`, not `aud`).',
    'A REST API method that requires OAuth scopes the token does not have, or an authorizer that expects an ID token where the canary sends an access token.',
    'A custom Lambda authorizer with a stale JWKS cache or wrong issuer.',
    'A cached deny from the authorizer (result TTL).',
  ],
  fix: () => [
    {
      text: 'Correct the authorizer configuration through the pipeline that owns the API, and redeploy the stage.',
    },
  ],
  verify: verifyByCheck,
};

/** `hosted-ui-failed`. */
export const HOSTED_UI_FAILED_SECTION: RunbookSection = {
  id: 'hosted-ui-failed',
  title: 'The hosted UI (managed login) would not sign users in',
  meaning:
    'The hosted UI probe found that web sign-in through the pool’s domain breaks, or its trust chain does not match the pool. The finding’s cause has its own section: redirect-mismatch, domain-unreachable, certificate-expiring, issuer-mismatch or jwks-key-missing.',
  firstTenMinutes: (finding, c) => [
    ...causeStep(finding),
    {
      text: 'The pool’s domains (prefix and custom).',
      command: describeUserPool(c, 'UserPool.{Domain:Domain,CustomDomain:CustomDomain}'),
    },
    {
      text: 'The client’s OAuth settings.',
      command: describeUserPoolClient(
        c,
        'UserPoolClient.{Callbacks:CallbackURLs,Logouts:LogoutURLs,Flows:AllowedOAuthFlows,Scopes:AllowedOAuthScopes,OAuth:AllowedOAuthFlowsUserPoolClient}',
      ),
    },
    ...recentChangeSteps(c),
  ],
  likelyCauses: [
    'A client change that rewrote the callback URLs.',
    'A domain change (deleted, renamed, custom domain certificate).',
  ],
  fix: () => [{ text: 'Follow the section of the finding’s cause.' }],
  verify: verifyByCheck,
};

/** `m2m-token-failed`. */
export const M2M_TOKEN_FAILED_SECTION: RunbookSection = {
  id: 'm2m-token-failed',
  title: 'Machine-to-machine tokens (client_credentials) fail',
  meaning:
    'A POST to the token endpoint with `grant_type=client_credentials` failed, or returned an access token that fails verification (signature, issuer, `client_id`, `token_use`, expected scopes). Services that call APIs with such tokens fail the same way. A cause names Cognito’s OAuth error (invalid-client, invalid-scope, unauthorized-client) and has its own section.',
  firstTenMinutes: (finding, c) => [
    ...causeStep(finding),
    {
      text: 'The client’s grants and scopes.',
      command: describeUserPoolClient(
        c,
        'UserPoolClient.{Flows:AllowedOAuthFlows,Scopes:AllowedOAuthScopes,OAuth:AllowedOAuthFlowsUserPoolClient,HasSecret:ClientSecret != `null`}',
      ),
    },
    {
      text: 'The resource servers and the scopes they define.',
      command: `aws cognito-idp list-resource-servers --user-pool-id ${c.userPoolId} --max-results 50 --region ${c.region} --query 'ResourceServers[].{Id:Identifier,Scopes:Scopes[].ScopeName}'`,
    },
    ...recentChangeSteps(c),
  ],
  likelyCauses: [
    'The client secret was rotated and callers still hold the old one.',
    'A scope was removed from the client or its resource server.',
    'A pool moved to another issuer or key (a recreated pool).',
  ],
  fix: () => [
    { text: 'Restore the client or resource server through its infrastructure code.' },
    { text: UPDATE_CLIENT_WARNING },
  ],
  verify: verifyByCheck,
};

/** `canary-slow`. */
export const CANARY_SLOW_SECTION: RunbookSection = {
  id: 'canary-slow',
  title: 'A canary step exceeded its latency budget',
  meaning:
    'A step of the canary cycle (sign-in, verification, refresh, API probe) took longer than its budget. Sign-in still works, but users feel it, and slow triggers on the path are one step away from timing out.',
  firstTenMinutes: (_finding, c) => {
    return [
      wiringStep(c),
      {
        text: 'Look for throttling on the pool.',
        command: `aws cloudwatch get-metric-statistics --namespace AWS/Cognito --metric-name SignInThrottles --dimensions Name=UserPool,Value=${c.userPoolId} Name=UserPoolClient,Value=${c.clientId} --region ${c.region} --statistics Sum --period 300 --start-time ${c.metricWindow.start} --end-time ${c.metricWindow.end}`,
      },
      {
        text: 'Check for trigger-slow findings on the sign-in triggers (PreAuthentication, PostAuthentication, PreTokenGeneration, UserMigration); their durations add to every sign-in.',
      },
    ];
  },
  likelyCauses: [
    'A slow trigger on the sign-in path.',
    'Throttling or quota pressure from other traffic in the account.',
    'A regional Cognito or network problem (check the AWS Health Dashboard).',
    'The canary’s own environment (cold start, network) when only one run is slow.',
  ],
  fix: () => [
    { text: 'If a trigger is slow, follow the trigger-slow section for that function.' },
    { text: 'If throttled, find the caller consuming the quota, or request a quota increase.' },
  ],
  verify: verifyByCheck,
};
