/**
 * One section per canary cause (`canary-cause-<cause>`). Canary findings that carry a cause name
 * this section instead of their detector's: the page then opens on the steps for what actually
 * broke (a disabled canary user, a client without the flow, a trigger that throws), whichever step
 * of the cycle (sign-in, refresh, sign-up, custom auth) hit it.
 */

import { canaryCauseSectionId } from '../../detectors/runbook-section-id';
import { CAUSES, type Cause, type Finding } from '../../detectors/types';
import {
  addCognitoPermission,
  adminConfirmSignUp,
  adminGetCanaryUser,
  type CommandContext,
  cognitoMetric,
  countUnconfirmedUsers,
  describeUserPool,
  describeUserPoolClient,
  filterLogEventsAny,
  getFunctionConfiguration,
  getPolicy,
  lookupCloudTrail,
  PLACEHOLDERS,
  sentinelCheck,
} from '../commands';
import { rollbackSteps, SYNC_TRIGGER_NOTES, verifyFromLogs, whatChangedSteps, wiringStep } from '../steps';
import type { RunbookSection, Step } from '../types';
import {
  CAUSE_HINTS,
  clientAuthStep,
  recentChangeSteps,
  UPDATE_CLIENT_WARNING,
  verifyByCheck,
} from './canary';

/** Which part of the cycle hit the cause, from the finding's detector. */
const stepOf = (finding: Finding): string => {
  switch (finding.detector) {
    case 'canary-refresh-failed':
      return 'the token refresh (REFRESH_TOKEN_AUTH)';
    case 'custom-auth-failed':
      return 'the custom auth flow (CUSTOM_AUTH)';
    case 'signup-not-confirmed':
      return 'the sign-up cycle (SignUp)';
    case 'canary-auth-failed':
      return 'the sign-in (AdminInitiateAuth)';
    case 'hosted-ui-failed':
      return 'the hosted UI probe (no credentials, nothing created)';
    case 'm2m-token-failed':
      return 'the client_credentials token request';
    default:
      return 'a canary call';
  }
};

const whatStep = (finding: Finding, cause: Cause): Step => ({
  text: `${CAUSE_HINTS[cause]} It was hit by ${stepOf(finding)}${finding.trigger === undefined ? '' : `, in the ${finding.trigger} trigger`}.`,
});

const where = (c: CommandContext): string => `--region ${c.region}`;

const setPermanentPassword = (c: CommandContext): string =>
  `aws cognito-idp admin-set-user-password --user-pool-id ${c.userPoolId} ${where(c)} --username ${PLACEHOLDERS.username} --password "$NEW_CANARY_PASSWORD" --permanent`;

const storeCanaryPassword: Step = {
  text: 'Store the same password where the canary reads it (the secret or SecureString named in the canary config), so the next run uses it. Never paste the password into a ticket or chat.',
  command:
    'aws secretsmanager put-secret-value --secret-id <canary-password-secret> --secret-string "$NEW_CANARY_PASSWORD"',
};

const userHistoryStep = (c: CommandContext, eventName: string): Step => ({
  text: `Who called ${eventName} recently (CloudTrail keeps 90 days of management events).`,
  command: lookupCloudTrail(c, eventName),
});

const realUsersStep = (c: CommandContext): Step => ({
  text: 'Are real users affected? An `Average` below 1 means failed sign-ins.',
  command: cognitoMetric(c, 'SignInSuccesses'),
});

/** The steps every trigger cause shares: wiring, the function's log, what changed. */
const triggerSteps = (c: CommandContext, terms: readonly string[]): Step[] => [
  wiringStep(c),
  {
    text: 'Read the function log around the failure (the function comes from the LambdaConfig when the finding does not name it).',
    command: filterLogEventsAny(c, terms),
  },
  ...whatChangedSteps(c),
];

const userCauseFix = (c: CommandContext): Step[] => [
  {
    text: 'Repair the canary user, not the pool: give it a new permanent password (generate one; it must meet the pool’s password policy).',
    command: setPermanentPassword(c),
  },
  storeCanaryPassword,
];

/**
 * A cause's section as written: `firstTenMinutes` lists the steps after the first one, which is
 * always what the cause means and where it was hit; `verify` defaults to a canary check.
 */
type CauseSection = Omit<RunbookSection, 'id' | 'verify'> & { verify?: RunbookSection['verify'] };

const SECTIONS: Readonly<Record<Cause, CauseSection>> = {
  'user-not-confirmed': {
    title: 'Canary cause: the canary user is UNCONFIRMED',
    meaning:
      'Cognito answered UserNotConfirmedException: the canary user exists but was never confirmed. Cognito returns this even when the password is wrong. If the canary user was created through sign-up, the pool’s auto-confirmation (a PreSignUp trigger) may be broken for everyone.',
    firstTenMinutes: (_finding, c) => [
      { text: 'Check the canary user’s status.', command: adminGetCanaryUser(c) },
      {
        text: 'Count UNCONFIRMED users; a growing count means real sign-ups are not being confirmed either.',
        command: countUnconfirmedUsers(c),
      },
      wiringStep(c),
    ],
    likelyCauses: [
      'The canary user was recreated through SignUp and never confirmed.',
      'PreSignUp stopped auto-confirming (`autoConfirmUser` returned as a string, or not at all): see the signup-not-confirmed section.',
      'A UserMigration trigger imported the user without `finalUserStatus: "CONFIRMED"`.',
    ],
    fix: (_finding, c) => [
      {
        text: 'Confirm the canary user (use the canary username).',
        command: adminConfirmSignUp(c).replace('<username>', PLACEHOLDERS.username),
      },
      {
        text: 'If real users are stuck too, fix PreSignUp first (signup-not-confirmed section), then confirm the users who signed up meanwhile.',
      },
    ],
  },
  'user-disabled': {
    title: 'Canary cause: the canary user is disabled',
    meaning:
      'Cognito answered `User is disabled.`: someone or something disabled the canary user (AdminDisableUser, which also revokes its tokens). Real users are not affected by this alone, but the canary is blind until the user is enabled again.',
    firstTenMinutes: (_finding, c) => [
      { text: 'Confirm the user is disabled.', command: adminGetCanaryUser(c) },
      userHistoryStep(c, 'AdminDisableUser'),
      realUsersStep(c),
    ],
    likelyCauses: [
      'A clean-up job or an engineer disabled test users.',
      'An automated response (compromised-credentials or risk rules) disabled it.',
    ],
    fix: (_finding, c) => [
      {
        text: 'Enable the canary user again.',
        command: `aws cognito-idp admin-enable-user --user-pool-id ${c.userPoolId} ${where(c)} --username ${PLACEHOLDERS.username}`,
      },
      { text: 'Exclude the canary user from whatever job disabled it.' },
    ],
  },
  'incorrect-credentials': {
    title: 'Canary cause: Cognito rejects the canary password',
    meaning:
      'Cognito answered NotAuthorizedException (`Incorrect username or password.`, or `Password attempts exceeded` after repeated failures): the password the canary reads from Secrets Manager or SSM no longer matches the user. In the custom auth flow it means the configured answer was judged wrong.',
    firstTenMinutes: (_finding, c) => [
      {
        text: 'When did the canary user last change (a recent `Modified` with a password reset points at a hand change).',
        command: adminGetCanaryUser(c),
      },
      userHistoryStep(c, 'AdminSetUserPassword'),
      {
        text: 'When did the stored canary password last change?',
        command:
          'aws secretsmanager describe-secret --secret-id <canary-password-secret> --query LastChangedDate',
      },
    ],
    likelyCauses: [
      'The password was changed on the user, or in the secret, but not in both.',
      'The canary user was recreated with a new password.',
      'Too many failed attempts locked the user for a while (`Password attempts exceeded`).',
      'Custom auth: the stored answer is stale, or VerifyAuthChallengeResponse judges every answer wrong.',
    ],
    fix: (_finding, c) => userCauseFix(c),
  },
  'user-not-found': {
    title: 'Canary cause: the canary user does not exist',
    meaning:
      'Cognito answered UserNotFoundException, or (with PreventUserExistenceErrors on) `Incorrect username or password.` while AdminGetUser found no such user. The canary user was deleted, the pool was recreated, or a UserMigration trigger could not find it.',
    firstTenMinutes: (_finding, c) => [
      { text: 'Confirm the user is gone.', command: adminGetCanaryUser(c) },
      userHistoryStep(c, 'AdminDeleteUser'),
      {
        text: 'When was the pool created? A recent date means it was recreated and every user is gone.',
        command: describeUserPool(c, 'UserPool.{Created:CreationDate,Users:EstimatedNumberOfUsers}'),
      },
    ],
    likelyCauses: [
      'A clean-up job deleted the canary user.',
      'The pool was recreated (every user is gone, and real users cannot sign in either).',
      'UserMigration returned nothing for the canary user (`Exception migrating user`).',
    ],
    fix: (_finding, c) => [
      {
        text: 'Recreate the canary user without sending a message, then give it a permanent password.',
        command: `aws cognito-idp admin-create-user --user-pool-id ${c.userPoolId} ${where(c)} --username ${PLACEHOLDERS.username} --message-action SUPPRESS`,
      },
      { text: 'Set its permanent password.', command: setPermanentPassword(c) },
      storeCanaryPassword,
    ],
  },
  'password-reset-required': {
    title: 'Canary cause: the canary user must reset its password',
    meaning:
      'Cognito answered PasswordResetRequiredException: the user is in RESET_REQUIRED (AdminResetUserPassword, or an import that requires a reset).',
    firstTenMinutes: (_finding, c) => [
      { text: 'Check the status.', command: adminGetCanaryUser(c) },
      userHistoryStep(c, 'AdminResetUserPassword'),
    ],
    likelyCauses: [
      'Someone reset the password of the canary user (or of all users).',
      'The user was imported with a reset required.',
    ],
    fix: (_finding, c) => userCauseFix(c),
  },
  'new-password-required': {
    title: 'Canary cause: the canary user has a temporary password',
    meaning:
      'Sign-in answered with the NEW_PASSWORD_REQUIRED challenge instead of tokens: the user is in FORCE_CHANGE_PASSWORD, which happens when it is created with AdminCreateUser and a temporary password.',
    firstTenMinutes: (_finding, c) => [
      { text: 'Check the status (FORCE_CHANGE_PASSWORD).', command: adminGetCanaryUser(c) },
      userHistoryStep(c, 'AdminCreateUser'),
    ],
    likelyCauses: [
      'The canary user was recreated with AdminCreateUser and a temporary password.',
      'An admin set a non-permanent password (`admin-set-user-password` without `--permanent`).',
    ],
    fix: (_finding, c) => userCauseFix(c),
  },
  'flow-not-enabled': {
    title: 'Canary cause: the app client does not allow the auth flow',
    meaning:
      'Cognito answered InvalidParameterException (`Auth flow not enabled for this client`): the app client’s ExplicitAuthFlows lack the flow the call uses: ALLOW_ADMIN_USER_PASSWORD_AUTH for sign-in (ALLOW_USER_AUTH for choice-based sign-in, USER_AUTH), ALLOW_REFRESH_TOKEN_AUTH for refresh, ALLOW_CUSTOM_AUTH for custom auth. Every user signing in through this client with that flow is refused.',
    firstTenMinutes: (_finding, c) => [
      {
        text: 'List the flows the client allows.',
        command: describeUserPoolClient(c, 'UserPoolClient.ExplicitAuthFlows'),
      },
      ...recentChangeSteps(c),
      realUsersStep(c),
    ],
    likelyCauses: [
      'An infrastructure change rewrote the client’s ExplicitAuthFlows (a flow dropped, or a list replaced by the default).',
      'An `update-user-pool-client` call that did not repeat the flows, which resets them.',
      'The client was recreated without the flow.',
    ],
    fix: () => [
      { text: 'Restore the flow in the infrastructure code that owns the client and deploy it.' },
      { text: UPDATE_CLIENT_WARNING },
    ],
  },
  'secret-hash-mismatch': {
    title: 'Canary cause: the SECRET_HASH does not match the client secret',
    meaning:
      'Cognito answered NotAuthorizedException (`Unable to verify secret hash for client ...`, `SecretHash does not match for the client ...`, or `Client ... is configured with secret but SECRET_HASH was not received`): the client secret the canary holds is not the client’s current secret, or the client gained a secret. Every caller using the old secret fails the same way.',
    firstTenMinutes: (_finding, c) => [
      clientAuthStep(c),
      {
        text: 'Compare the client’s secret with the stored one by digest, without printing either.',
        command: `diff <(aws cognito-idp describe-user-pool-client --user-pool-id ${c.userPoolId} --client-id ${c.clientId} ${where(c)} --query UserPoolClient.ClientSecret --output text | sha256sum) <(aws secretsmanager get-secret-value --secret-id <client-secret-secret> --query SecretString --output text | sha256sum) && echo same`,
      },
      ...recentChangeSteps(c),
    ],
    likelyCauses: [
      'The client secret was rotated (or the client recreated) and the stored secret was not updated.',
      'A secret was added to a client that callers use without one.',
      'Refresh only: the hash was computed over an alias; in pools that sign in by email or phone it must use the internal username (the access token’s `username` claim, equal to `sub`).',
    ],
    fix: () => [
      { text: 'Update the stored client secret for every caller, starting with the apps users depend on.' },
      {
        text: 'If the rotation was a mistake and the old secret is still attached (clients can hold two during a rotation), keep it until callers move over.',
      },
    ],
  },
  'client-not-found': {
    title: 'Canary cause: the app client does not exist',
    meaning:
      'Cognito answered ResourceNotFoundException for the app client: it was deleted, recreated with a new id, or the monitor points at the wrong pool or region.',
    firstTenMinutes: (_finding, c) => [
      {
        text: 'List the pool’s clients and their ids.',
        command: `aws cognito-idp list-user-pool-clients --user-pool-id ${c.userPoolId} ${where(c)} --query 'UserPoolClients[].{Id:ClientId,Name:ClientName}'`,
      },
      userHistoryStep(c, 'DeleteUserPoolClient'),
      userHistoryStep(c, 'CreateUserPoolClient'),
    ],
    likelyCauses: [
      'An infrastructure change replaced the client (a property that forces replacement), giving it a new id.',
      'The client was deleted by hand.',
      'The monitor’s config names a client of another pool.',
    ],
    fix: () => [
      {
        text: 'If the client was replaced on purpose, update every app and this monitor’s config with the new id.',
      },
      { text: 'If not, restore it through the infrastructure code; apps need the new id either way.' },
    ],
  },
  'pool-not-found': {
    title: 'Canary cause: the user pool does not exist',
    meaning:
      'Cognito answered ResourceNotFoundException (`User pool ... does not exist.`): the pool was deleted, or the monitor is looking in the wrong region or account.',
    firstTenMinutes: (_finding, c) => [
      { text: 'Which account are these credentials for?', command: 'aws sts get-caller-identity' },
      {
        text: 'List the pools in the region.',
        command: `aws cognito-idp list-user-pools --max-results 60 ${where(c)} --query 'UserPools[].{Id:Id,Name:Name,Created:CreationDate}'`,
      },
      userHistoryStep(c, 'DeleteUserPool'),
    ],
    likelyCauses: [
      'The pool was deleted (deletion protection off) or replaced by an infrastructure change.',
      'The monitor’s config names a pool of another account or region.',
    ],
    fix: () => [
      {
        text: 'A deleted pool cannot be restored: recreate it from infrastructure code, re-import users, and turn on deletion protection.',
      },
      { text: 'If the config is wrong, correct the pool id or region.' },
    ],
  },
  'trigger-failed': {
    title: 'Canary cause: a trigger failed during the call',
    meaning:
      'Cognito answered UserLambdaValidationException (`<Trigger> failed with error ...`: the function threw, crashed or hit its own timeout) or UnexpectedLambdaException with a timeout (`... Socket timeout while invoking Lambda function.`: Cognito’s 5-second wait ran out). The finding names the trigger; every user whose request reaches that trigger fails the same way.',
    firstTenMinutes: (_finding, c) => [
      ...triggerSteps(c, ['Invoke Error', 'Task timed out', 'Runtime exited', 'ERROR']),
    ],
    likelyCauses: [
      'A deploy of the trigger function that throws on this path.',
      'A dependency of the function (database, secret, API) failing or slow.',
      'The function’s timeout (Lambda’s default is 3 s) or cold start pushing it past Cognito’s 5 s.',
    ],
    fix: (_finding, c) => rollbackSteps(c),
    notes: [...SYNC_TRIGGER_NOTES],
    verify: verifyFromLogs,
  },
  'trigger-invalid-response': {
    title: 'Canary cause: a trigger returned a response Cognito cannot use',
    meaning:
      'Cognito answered InvalidLambdaResponseException (`Unrecognizable lambda output`): a trigger on the path returned something other than the event, or a response Cognito rejects. The function’s own log shows a normal REPORT line; only the returned value is wrong.',
    firstTenMinutes: (_finding, c) => [
      ...triggerSteps(c, ['response', 'triggerSource']),
      {
        text: 'The trigger-response-invalid section for the trigger lists what Cognito expects; the trigger-log findings name the field.',
      },
    ],
    likelyCauses: [
      'The handler returns a new object, or nothing, instead of the event.',
      'A response field of the wrong type (`"true"` instead of `true`).',
      'A response field the trigger may not set for this source.',
    ],
    fix: (_finding, c) => rollbackSteps(c),
    notes: [...SYNC_TRIGGER_NOTES],
    verify: verifyFromLogs,
  },
  'trigger-unreachable': {
    title: 'Canary cause: Cognito cannot invoke a trigger',
    meaning:
      'Cognito answered UnexpectedLambdaException (`<Trigger> invocation failed due to error AccessDeniedException.` or similar): it could not run the function at all: the permission for cognito-idp.amazonaws.com is missing, the function was deleted while still configured, or Lambda throttled it.',
    firstTenMinutes: (_finding, c) => [
      wiringStep(c),
      {
        text: 'Does the function exist, and what is its state?',
        command: getFunctionConfiguration(c),
      },
      {
        text: 'May Cognito invoke it? Look for cognito-idp.amazonaws.com with this pool’s ARN.',
        command: getPolicy(c),
      },
    ],
    likelyCauses: [
      'The function’s resource policy lost the permission for cognito-idp.amazonaws.com (a redeploy that recreated the function).',
      'The function was deleted or renamed while the pool still points at it.',
      'Lambda throttled the function (reserved concurrency 0 or the account limit).',
    ],
    fix: (_finding, c) => [
      {
        text: 'Grant Cognito permission to invoke the function, for this pool only.',
        command: addCognitoPermission(c),
      },
      { text: 'If the function is gone, redeploy it before anything else; the pool keeps calling it.' },
    ],
    verify: verifyFromLogs,
  },
  'refresh-token-revoked': {
    title: 'Canary cause: the session was revoked right after sign-in',
    meaning:
      'The refresh token the canary received seconds earlier was refused as revoked (`Refresh Token has been revoked`, and GetUser refused the access token of the same sign-in): something signed the user out globally, revoked the token, or changed the password in between.',
    firstTenMinutes: (_finding, c) => [
      userHistoryStep(c, 'AdminUserGlobalSignOut'),
      userHistoryStep(c, 'RevokeToken'),
      clientAuthStep(c),
      {
        text: 'Are real users affected? An `Average` below 1 means failed refreshes.',
        command: cognitoMetric(c, 'TokenRefreshSuccesses'),
      },
    ],
    likelyCauses: [
      'A PostAuthentication trigger (or other automation) that signs users out globally.',
      'Two canaries signing in as the same user at once (a `check` run during a scheduled run) with global sign-out clean-up.',
      'A password change or AdminDisableUser on the canary user.',
    ],
    fix: () => [
      {
        text: 'Stop whatever revokes fresh sessions; for the canary, use token-revocation clean-up (the default).',
      },
    ],
  },
  'refresh-token-invalid': {
    title: 'Canary cause: Cognito does not accept the fresh refresh token',
    meaning:
      'REFRESH_TOKEN_AUTH with a refresh token issued seconds earlier was refused (`Invalid Refresh Token`) while the session is still live. Users are sent back to the sign-in screen whenever their access token expires.',
    firstTenMinutes: (_finding, c) => [
      clientAuthStep(c),
      {
        text: 'Device tracking changes what a refresh needs (a confirmed device and DEVICE_KEY).',
        command: describeUserPool(c, 'UserPool.DeviceConfiguration'),
      },
      ...recentChangeSteps(c),
    ],
    likelyCauses: [
      'Refresh token rotation enabled on the client: refreshes must use GetTokensFromRefreshToken.',
      'Device tracking turned on, so a refresh without a confirmed device key fails.',
      'The refresh used another app client than the sign-in.',
    ],
    fix: () => [
      { text: 'Revert the client or pool change through its infrastructure code.' },
      { text: UPDATE_CLIENT_WARNING },
    ],
  },
  'unexpected-challenge': {
    title: 'Canary cause: Cognito asked for an unexpected challenge',
    meaning:
      'Sign-in answered with a challenge (MFA such as SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP or MFA_SETUP, or a custom challenge) instead of tokens. If MFA was made mandatory pool-wide, every user without a second factor is now stuck at sign-in.',
    firstTenMinutes: (_finding, c) => [
      {
        text: 'The pool’s MFA setting and risk configuration.',
        command: describeUserPool(c, 'UserPool.{Mfa:MfaConfiguration,Addons:UserPoolAddOns}'),
      },
      { text: 'The canary user’s MFA state.', command: adminGetCanaryUser(c) },
      userHistoryStep(c, 'SetUserPoolMfaConfig'),
    ],
    likelyCauses: [
      'MFA changed from OPTIONAL to ON.',
      'Threat protection (adaptive authentication) now requires MFA for the canary’s sign-ins.',
      'An MFA preference was set on the canary user.',
    ],
    fix: () => [
      { text: 'If the MFA change was intended, give the canary a pool or client where MFA stays optional.' },
      { text: 'If not, revert it through the infrastructure code.' },
    ],
  },
  throttled: {
    title: 'Canary cause: Cognito throttled every attempt',
    meaning:
      'Cognito answered TooManyRequestsException (or LimitExceededException) to every attempt the canary made within its time budget. Sign-in was not proven broken, but the quota it shares with real users is exhausted, so they are probably throttled too.',
    firstTenMinutes: (_finding, c) => [
      {
        text: 'Throttled sign-ins on the pool.',
        command: `aws cloudwatch get-metric-statistics --namespace AWS/Cognito --metric-name SignInThrottles --dimensions Name=UserPool,Value=${c.userPoolId} Name=UserPoolClient,Value=${c.clientId} ${where(c)} --statistics Sum --period 300 --start-time ${c.metricWindow.start} --end-time ${c.metricWindow.end}`,
      },
      {
        text: 'The account’s Cognito quotas in the region (UserAuthentication is 120 requests per second by default).',
        command: `aws service-quotas list-service-quotas --service-code cognito-idp ${where(c)} --query 'Quotas[].{Name:QuotaName,Value:Value}'`,
      },
    ],
    likelyCauses: [
      'A traffic spike, a retry storm from a client, or a load test sharing the account’s quota.',
      'A batch job calling admin APIs in the same category.',
    ],
    fix: () => [
      {
        text: 'Find and slow down the caller consuming the quota; request a quota increase if the traffic is genuine.',
      },
    ],
  },
  'access-denied': {
    title: 'Canary cause: the monitor’s own credentials were refused',
    meaning:
      'AWS refused the monitor itself (AccessDeniedException, an unrecognised or expired credential): its role may not call this API on this pool, or the credentials are missing. Sign-in was not tested.',
    firstTenMinutes: (_finding, c) => [
      { text: 'Which identity is the monitor using?', command: 'aws sts get-caller-identity' },
      {
        text: 'The pool’s ARN, as the role’s policy must name it.',
        command: describeUserPool(c, 'UserPool.Arn'),
      },
      {
        text: 'Simulate the calls the canary makes against this pool (use the monitor role’s ARN).',
        command: `aws iam simulate-principal-policy --policy-source-arn <monitor-role-arn> --action-names cognito-idp:AdminInitiateAuth cognito-idp:AdminGetUser cognito-idp:DescribeUserPoolClient cognito-idp:AdminUserGlobalSignOut --resource-arns arn:aws:cognito-idp:${c.region}:${PLACEHOLDERS.accountId}:userpool/${c.userPoolId} --query 'EvaluationResults[].{Action:EvalActionName,Decision:EvalDecision}'`,
      },
    ],
    likelyCauses: [
      'The pool is not listed in the monitor role’s policy (a new pool, or a recreated one with a new id).',
      'A permissions boundary or SCP change.',
      'Expired or missing credentials (CLI runs).',
    ],
    fix: () => [
      { text: 'Grant the role the canary actions on the pool ARN, through the monitor’s deployment.' },
    ],
  },
  unknown: {
    title: 'Canary cause: an error the canary does not recognise',
    meaning:
      'A canary call failed with an exception or message that matches no known cause. The evidence holds the exact exception name and message (secrets removed).',
    firstTenMinutes: (_finding, c) => [
      clientAuthStep(c),
      wiringStep(c),
      ...recentChangeSteps(c),
      realUsersStep(c),
    ],
    likelyCauses: [
      'A Cognito error this version does not map yet.',
      'A regional service problem (check the AWS Health Dashboard).',
    ],
    fix: () => [
      {
        text: 'Search the exception message in the Cognito API reference for the call that failed, and follow it.',
      },
    ],
  },
  'email-quota-exceeded': {
    title: 'Canary cause: Cognito’s daily email limit is exhausted',
    meaning:
      'Cognito answered LimitExceededException with `Exceeded daily email limit for the operation or the account. If a higher limit is required, please configure your user pool to use your own Amazon SES configuration for sending email.`: the pool sends email with Cognito’s default sender, whose small daily quota is used up. It is a quota, not throttling: every sign-up confirmation, forgot-password and attribute verification email fails until the quota resets, and retrying only adds to the count.',
    firstTenMinutes: (_finding, c) => [
      {
        text: 'How the pool sends email (`COGNITO_DEFAULT` is the limited default sender).',
        command: describeUserPool(c, 'UserPool.EmailConfiguration'),
      },
      userHistoryStep(c, 'SignUp'),
    ],
    likelyCauses: [
      'The pool still uses Cognito’s default email sender (EmailSendingAccount COGNITO_DEFAULT), and traffic grew past its daily quota.',
      'A sign-up bot, a load test or a migration sending verification emails in bulk.',
    ],
    fix: (_finding, c) => [
      {
        text: 'Configure the pool to send through your own verified Amazon SES identity (DEVELOPER mode); repeat every other setting of update-user-pool, which resets what it omits.',
        command: `aws cognito-idp update-user-pool --user-pool-id ${c.userPoolId} ${where(c)} --email-configuration EmailSendingAccount=DEVELOPER,SourceArn=<ses-identity-arn>,From=<from-address>`,
      },
      { text: 'Stop whatever is sending the burst of verification emails.' },
    ],
  },
  'custom-auth-not-configured': {
    title: 'Canary cause: CUSTOM_AUTH without a DefineAuthChallenge trigger',
    meaning:
      'Cognito answered InvalidParameterException `Custom auth lambda trigger is not configured for the user pool.`: the custom-auth cycle started CUSTOM_AUTH, but the pool’s LambdaConfig has no DefineAuthChallenge trigger. Every custom (passwordless, OTP) sign-in through this pool fails the same way.',
    firstTenMinutes: (_finding, c) => [wiringStep(c), userHistoryStep(c, 'UpdateUserPool')],
    likelyCauses: [
      'An update-user-pool call or an infrastructure change rewrote the LambdaConfig without the custom auth triggers (update-user-pool resets what it omits).',
      'The monitor’s config points the custom-auth cycle at a pool that never had custom auth.',
    ],
    fix: () => [
      {
        text: 'Restore DefineAuthChallenge, CreateAuthChallenge and VerifyAuthChallengeResponse in the infrastructure code that owns the pool and deploy it; or turn the custom-auth cycle off for a pool that does not use it.',
      },
    ],
  },
  'auth-flow-not-supported': {
    title: 'Canary cause: Cognito does not take this auth flow on this API',
    meaning:
      'Cognito answered InvalidParameterException `Initiate Auth method not supported.`: the AuthFlow is not valid for the API called (ADMIN_USER_PASSWORD_AUTH only on AdminInitiateAuth, USER_PASSWORD_AUTH only on InitiateAuth). This is a request the caller builds wrongly, not a client setting.',
    firstTenMinutes: (_finding, c) => [clientAuthStep(c)],
    likelyCauses: [
      'A client library or SDK upgrade that changed which API or flow it calls.',
      'The monitor’s or an app’s configuration names a flow for the wrong API.',
    ],
    fix: () => [
      { text: 'Call the flow on the API that takes it, or enable and use the flow the API supports.' },
    ],
  },
  network: {
    title: 'Canary cause: the monitor could not reach Cognito',
    meaning:
      'Every attempt to reach Cognito failed at the network level (connection refused or reset, DNS failure, timeout) within the canary’s time budget. Nothing was tested; this says nothing yet about real users.',
    firstTenMinutes: (_finding, c) => [
      {
        text: 'Can this network reach the regional endpoint? Any HTTP status means yes.',
        command: `curl -sS -o /dev/null -w '%{http_code}\\n' https://cognito-idp.${c.region}.amazonaws.com/`,
      },
      {
        text: 'Cognito’s own view: sign-ins still succeeding means the problem is on the monitor’s side.',
        command: cognitoMetric(c, 'SignInSuccesses'),
      },
      {
        text: 'If the canary runs in a VPC, it needs a NAT gateway or an interface endpoint for cognito-idp.',
        command: `aws lambda get-function-configuration --function-name <canary-function> ${where(c)} --query VpcConfig`,
      },
    ],
    likelyCauses: [
      'The canary function’s network: VPC without a route out, a security group or NACL change, DNS.',
      'A regional Cognito or network event.',
    ],
    fix: () => [
      { text: 'Restore the monitor’s route to the regional endpoint; nothing changes on the pool.' },
    ],
  },
  'mfa-required': {
    title: 'Canary cause: Cognito asks for a second factor the canary cannot give',
    meaning:
      'Sign-in answered with an MFA challenge instead of tokens, and the canary could not answer it: either a TOTP code (SOFTWARE_TOKEN_MFA or SELECT_MFA_TYPE) while no TOTP seed is configured for the canary (`canary.mfa.totpSecret`), or an SMS or email one-time code (SMS_MFA, EMAIL_OTP). A canary cannot read SMS or email codes: give the canary user a TOTP factor instead. If MFA was just made mandatory, every user without a factor is asked for one too.',
    firstTenMinutes: (_finding, c) => [
      {
        text: 'The pool’s MFA setting and which factors it offers.',
        command: `aws cognito-idp get-user-pool-mfa-config --user-pool-id ${c.userPoolId} ${where(c)}`,
      },
      {
        text: 'The canary user’s factors and preference.',
        command: `aws cognito-idp admin-get-user --user-pool-id ${c.userPoolId} ${where(c)} --username ${PLACEHOLDERS.username} --query '{Preferred:PreferredMfaSetting,Factors:UserMFASettingList}'`,
      },
      userHistoryStep(c, 'SetUserPoolMfaConfig'),
    ],
    likelyCauses: [
      'MFA was turned ON (or threat protection now requires it) and the canary has no TOTP seed configured.',
      'The canary user has only an SMS or email factor, which a canary cannot read.',
      'The canary config lost its `mfa.totpSecret` entry.',
    ],
    fix: (_finding, c) => [
      {
        text: 'Enrol a TOTP factor for the canary user and store its seed beside the password; the command prints the config line to add (`mfa: totpSecret: ...`).',
        command: `npx cognito-sentinel setup-canary --user-pool-id ${c.userPoolId} --client-id ${c.clientId} --username ${PLACEHOLDERS.username} --mfa totp`,
      },
      { text: 'If MFA was made mandatory by mistake, revert it through the infrastructure code.' },
    ],
    verify: (_finding, c) => [
      {
        text: 'Run one canary cycle with the seed; it exits 0 when sign-in with the TOTP code, token checks and refresh pass.',
        command: `${sentinelCheck(c)} --totp-secret-from secretsmanager:<canary-totp-secret>`,
      },
    ],
  },
  'mfa-not-enrolled': {
    title: 'Canary cause: the canary user has no usable TOTP factor',
    meaning:
      'MFA is required but the canary user cannot answer with TOTP: Cognito asked for MFA_SETUP (no factor enrolled), answered SoftwareTokenMFANotFoundException, or asked for an SMS or email code although a TOTP seed is configured (the software token is not enabled, or another factor is preferred).',
    firstTenMinutes: (_finding, c) => [
      {
        text: 'The canary user’s factors and preference (SOFTWARE_TOKEN_MFA must be listed and preferred).',
        command: `aws cognito-idp admin-get-user --user-pool-id ${c.userPoolId} ${where(c)} --username ${PLACEHOLDERS.username} --query '{Preferred:PreferredMfaSetting,Factors:UserMFASettingList}'`,
      },
      userHistoryStep(c, 'AdminSetUserMFAPreference'),
      userHistoryStep(c, 'AdminCreateUser'),
    ],
    likelyCauses: [
      'The canary user was recreated, which drops its TOTP enrolment.',
      'Someone changed its MFA preference to SMS or email, or disabled the software token.',
      'The pool stopped offering software tokens (`SoftwareTokenMfaConfiguration` disabled).',
    ],
    fix: (_finding, c) => [
      {
        text: 'If the factor is enrolled but not preferred, prefer it again.',
        command: `aws cognito-idp admin-set-user-mfa-preference --user-pool-id ${c.userPoolId} ${where(c)} --username ${PLACEHOLDERS.username} --software-token-mfa-settings Enabled=true,PreferredMfa=true`,
      },
      {
        text: 'Otherwise enrol it again; the new seed replaces the stored one.',
        command: `npx cognito-sentinel setup-canary --user-pool-id ${c.userPoolId} --client-id ${c.clientId} --username ${PLACEHOLDERS.username} --mfa totp --rotate`,
      },
    ],
  },
  'mfa-code-rejected': {
    title: 'Canary cause: Cognito rejects the canary’s TOTP code',
    meaning:
      'The canary answered SOFTWARE_TOKEN_MFA with a code computed from its stored seed and Cognito refused it (`CodeMismatchException: Invalid code or auth state for the user.`). Either the seed is stale (the user re-enrolled, so the authenticator changed), or the monitor’s clock is more than a step (30 s) off. The canary never sends the same code twice, so reuse is not the cause.',
    firstTenMinutes: (_finding, c) => [
      userHistoryStep(c, 'AssociateSoftwareToken'),
      userHistoryStep(c, 'VerifySoftwareToken'),
      {
        text: 'When did the stored seed last change?',
        command:
          'aws secretsmanager describe-secret --secret-id <canary-totp-secret> --query LastChangedDate',
      },
      {
        text: 'Is this machine’s clock right? Compare it with an HTTP Date header from AWS.',
        command: `date -u; curl -sI https://cognito-idp.${c.region}.amazonaws.com/ | grep -i '^date'`,
      },
    ],
    likelyCauses: [
      'The canary user’s software token was re-associated (AssociateSoftwareToken) and the stored seed was not replaced.',
      'The seed stored for the canary belongs to another user or pool.',
      'Clock drift on the machine running `check` (Lambda’s clock is synchronised).',
    ],
    fix: (_finding, c) => [
      {
        text: 'Enrol the canary user again and store the new seed beside the password.',
        command: `npx cognito-sentinel setup-canary --user-pool-id ${c.userPoolId} --client-id ${c.clientId} --username ${PLACEHOLDERS.username} --mfa totp --rotate`,
      },
    ],
  },
  'redirect-mismatch': {
    title: 'Canary cause: the hosted UI refuses an expected redirect URI',
    meaning:
      'GET `/oauth2/authorize?response_type=code&client_id=...&redirect_uri=...` led to Cognito’s error page (`error=redirect_mismatch`, "Callback URL mismatch: allowed callback URL in app client doesn’t match the request’s redirect_uri") instead of the sign-in page. Cognito compares the redirect URI with the client’s CallbackURLs exactly: a trailing slash, `http` versus `https`, another port or path, or a missing entry all refuse it. Every user of the web app that sends this URI is stopped before the sign-in page.',
    firstTenMinutes: (finding, c) => [
      {
        text: `Refused: ${finding.actual ?? '(see the evidence)'}. Allowed by the client: ${finding.expected?.replace(/^one of the client's callback URLs: /, '') ?? '(see below)'}. Compare them character by character (trailing slash, scheme, host, port, path).`,
      },
      {
        text: 'The client’s callback URLs as Cognito has them now.',
        command: describeUserPoolClient(c, 'UserPoolClient.CallbackURLs'),
      },
      ...recentChangeSteps(c),
    ],
    likelyCauses: [
      'An infrastructure change rewrote CallbackURLs (a URL dropped, or the list replaced).',
      'The app now sends another URI (a new path, a trailing slash, a new host or port).',
      'An `update-user-pool-client` call that did not repeat the callback URLs, which removes them.',
    ],
    fix: () => [
      {
        text: 'Add the refused URI to the client’s CallbackURLs in the infrastructure code, exactly as the app sends it, and deploy; or make the app send an allowed one.',
      },
      { text: UPDATE_CLIENT_WARNING },
    ],
    verify: (_finding, c) => [
      {
        text: 'Probe the hosted UI again with the URI; it exits 0 when it leads to the sign-in page.',
        command: `${sentinelCheck(c)} --oauth-domain <domain-url> --redirect-uri <refused-uri>`,
      },
    ],
  },
  'domain-unreachable': {
    title: 'Canary cause: the hosted UI domain cannot be reached',
    meaning:
      'The pool’s domain did not lead to the sign-in page: its name does not resolve, the connection failed, or it answered with neither the sign-in page nor an error redirect. Web apps cannot start a sign-in.',
    firstTenMinutes: (_finding, c) => [
      {
        text: 'The pool’s domains as Cognito has them.',
        command: describeUserPool(c, 'UserPool.{Domain:Domain,CustomDomain:CustomDomain}'),
      },
      {
        text: 'The domain’s status and, for a custom domain, its CloudFront target.',
        command: `aws cognito-idp describe-user-pool-domain --domain <domain> --region ${c.region} --query 'DomainDescription.{Status:Status,CloudFront:CloudFrontDistribution,Version:Version}'`,
      },
      {
        text: 'Does the name resolve (a custom domain needs an alias or CNAME to the CloudFront target)?',
        command: 'dig +short <domain>',
      },
      userHistoryStep(c, 'DeleteUserPoolDomain'),
    ],
    likelyCauses: [
      'The domain was deleted or renamed (a prefix change breaks every app that uses the old one).',
      'The DNS record of a custom domain was removed or points at an old CloudFront target.',
      'A regional problem of the hosted UI (check the AWS Health Dashboard).',
    ],
    fix: () => [
      {
        text: 'Restore the domain (or its DNS record) through the infrastructure code; apps keep using the old name.',
      },
    ],
  },
  'certificate-expiring': {
    title: 'Canary cause: the custom domain’s TLS certificate expires soon',
    meaning:
      'The certificate served by the pool’s custom domain expires within the warning window (21 days by default) or already has; browsers refuse the hosted UI once it has. Cognito uses an ACM certificate in us-east-1; an imported one is never renewed automatically, and an ACM one renews only while its DNS validation record exists.',
    firstTenMinutes: (_finding, c) => [
      {
        text: 'The certificate the custom domain uses.',
        command: describeUserPool(c, 'UserPool.CustomDomain'),
      },
      {
        text: 'Its status, expiry and renewal eligibility (ACM in us-east-1).',
        command: `aws acm describe-certificate --certificate-arn <certificate-arn> --region us-east-1 --query 'Certificate.{Status:Status,NotAfter:NotAfter,Type:Type,Renewal:RenewalEligibility,RenewalStatus:RenewalSummary.RenewalStatus}'`,
      },
      {
        text: 'What the domain serves now.',
        command:
          'echo | openssl s_client -connect <domain>:443 -servername <domain> 2>/dev/null | openssl x509 -noout -enddate',
      },
    ],
    likelyCauses: [
      'An imported certificate nobody re-imported.',
      'An ACM certificate whose DNS validation record was removed, so it cannot renew.',
    ],
    fix: () => [
      {
        text: 'Renew or re-import the certificate in us-east-1, then point the custom domain at it (update-user-pool-domain with the new certificate ARN).',
      },
    ],
  },
  'issuer-mismatch': {
    title: 'Canary cause: the OIDC discovery document names another issuer',
    meaning:
      'The discovery document (`<issuer>/.well-known/openid-configuration`) does not name the pool’s own issuer (`https://cognito-idp.` + region + `.amazonaws.com/` + pool id), or cannot be read. Relying parties that configure themselves from it trust the wrong issuer and refuse the pool’s tokens.',
    firstTenMinutes: (_finding, c) => [
      {
        text: 'The pool must exist in this region and account: its id is the last part of the issuer.',
        command: describeUserPool(c, 'UserPool.{Id:Id,Name:Name,Created:CreationDate}'),
      },
      {
        text: 'Read the document and its issuer.',
        command: `curl -s https://cognito-idp.${c.region}.amazonaws.com/${c.userPoolId}/.well-known/openid-configuration | jq '{issuer, jwks_uri}'`,
      },
    ],
    likelyCauses: [
      'The monitor or an app points at another pool’s (or a recreated pool’s) discovery document.',
      'A proxy or custom domain in front of the document rewrites it.',
    ],
    fix: () => [
      { text: 'Point relying parties at the pool’s own issuer; correct the pool id in their config.' },
    ],
  },
  'jwks-key-missing': {
    title: 'Canary cause: the JWKS does not serve the signing key',
    meaning:
      'The key id (`kid`) in the header of the canary’s tokens is not in the JWKS named by the discovery document, so a verifier cannot check the signature and refuses every token.',
    firstTenMinutes: (_finding, c) => [
      {
        text: 'When was the pool created? A recent date means it was recreated with new keys.',
        command: describeUserPool(c, 'UserPool.{Id:Id,Created:CreationDate}'),
      },
      {
        text: 'The key ids the pool serves.',
        command: `curl -s https://cognito-idp.${c.region}.amazonaws.com/${c.userPoolId}/.well-known/jwks.json | jq '[.keys[].kid]'`,
      },
    ],
    likelyCauses: [
      'The pool was recreated: its keys changed while tokens or caches of the old one remain.',
      'A verifier or proxy serving a stale copy of the JWKS.',
    ],
    fix: () => [
      {
        text: 'Refresh the JWKS caches of the verifiers; if the pool was recreated, move every relying party to the new one.',
      },
    ],
  },
  'invalid-client': {
    title: 'Canary cause: the token endpoint refuses the client (invalid_client)',
    meaning:
      'POST `/oauth2/token` with `grant_type=client_credentials` and the stored client secret answered `{"error":"invalid_client"}`: the secret was rotated or the client deleted. Every service using the old secret now fails to get tokens.',
    firstTenMinutes: (_finding, c) => [
      clientAuthStep(c),
      userHistoryStep(c, 'UpdateUserPoolClient'),
      userHistoryStep(c, 'DeleteUserPoolClient'),
    ],
    likelyCauses: [
      'The client secret was rotated (or the client recreated) and the stored secret was not updated.',
      'The client was deleted.',
    ],
    fix: () => [
      { text: 'Update the stored client secret for every service that uses it, the monitor included.' },
    ],
  },
  'invalid-scope': {
    title: 'Canary cause: the token endpoint refuses a scope (invalid_scope)',
    meaning:
      'The token endpoint answered `{"error":"invalid_scope"}`: a requested custom scope (`<resource-server>/<scope>`) is no longer allowed for the client, or its resource server no longer defines it.',
    firstTenMinutes: (_finding, c) => [
      {
        text: 'The scopes the client allows.',
        command: describeUserPoolClient(c, 'UserPoolClient.AllowedOAuthScopes'),
      },
      {
        text: 'The scopes the resource servers define.',
        command: `aws cognito-idp list-resource-servers --user-pool-id ${c.userPoolId} --max-results 50 ${where(c)} --query 'ResourceServers[].{Id:Identifier,Scopes:Scopes[].ScopeName}'`,
      },
      userHistoryStep(c, 'UpdateResourceServer'),
    ],
    likelyCauses: ['A scope removed from the resource server or from the client’s AllowedOAuthScopes.'],
    fix: () => [
      { text: 'Restore the scope through the infrastructure code.' },
      { text: UPDATE_CLIENT_WARNING },
    ],
  },
  'unauthorized-client': {
    title: 'Canary cause: the client may not use client_credentials (unauthorized_client)',
    meaning:
      'The token endpoint answered `{"error":"unauthorized_client"}`: the client’s AllowedOAuthFlows no longer include `client_credentials`, or OAuth is off for the client.',
    firstTenMinutes: (_finding, c) => [
      {
        text: 'The client’s OAuth grants.',
        command: describeUserPoolClient(
          c,
          'UserPoolClient.{Flows:AllowedOAuthFlows,OAuth:AllowedOAuthFlowsUserPoolClient}',
        ),
      },
      ...recentChangeSteps(c),
    ],
    likelyCauses: [
      'An infrastructure change that rewrote AllowedOAuthFlows, or an `update-user-pool-client` call that left them out.',
    ],
    fix: () => [
      { text: 'Restore the grant through the infrastructure code.' },
      { text: UPDATE_CLIENT_WARNING },
    ],
  },
};

/** One section per canary cause, in the order of CAUSES. */
export const CANARY_CAUSE_SECTIONS: readonly RunbookSection[] = CAUSES.map(
  (cause): RunbookSection => ({
    id: canaryCauseSectionId(cause),
    ...SECTIONS[cause],
    firstTenMinutes: (finding, c) => [
      whatStep(finding, cause),
      ...SECTIONS[cause].firstTenMinutes(finding, c),
    ],
    verify: SECTIONS[cause].verify ?? verifyByCheck,
  }),
);
