/**
 * One section per trigger for `trigger-response-invalid`, plus the generic section for a violation
 * whose trigger is unknown. The contract facts are data (one entry per LambdaConfig key); the
 * sections are built from them. Facts: docs/cognito-triggers-and-logs.md.
 */
import {
  ASYNC_TRIGGERS,
  CUSTOM_MESSAGE_SOURCES,
  TRIGGERS,
  type TriggerName,
  USER_TOKEN_GENERATION_SOURCES,
} from '../../contracts/triggers';
import { runbookSectionId } from '../../detectors/runbook-section-id';
import type { Finding } from '../../detectors/types';
import {
  adminConfirmSignUp,
  type CommandContext,
  cognitoMetric,
  countUnconfirmedUsers,
  describeUserPool,
  fieldFilterTerm,
  filterEvidence,
} from '../commands';
import {
  ASYNC_TRIGGER_NOTES,
  MIDDLEWARE_NOTE,
  rollbackSteps,
  SYNC_TRIGGER_NOTES,
  verifySteps,
  whatChangedSteps,
  wiringStep,
} from '../steps';
import type { RunbookSection, Step } from '../types';

/** What one trigger must return, and how its breakage looks from the outside. */
export interface TriggerContract {
  trigger: TriggerName;
  /** The `triggerSource` values this trigger receives. */
  sources: readonly string[];
  /** What the trigger is for, as a predicate of "The <Trigger> trigger ...". */
  purpose: string;
  /** Types, required keys and cross-field rules of the response. */
  rules: readonly string[];
  /** What the API caller or the user experiences when the response is wrong. */
  symptoms: string;
  causes: readonly string[];
  /** Trigger-specific repair after the rollback. */
  repair: (c: CommandContext) => Step[];
  /** Read-only checks of the blast radius. */
  impact?: (c: CommandContext) => Step[];
}

const texts =
  (...lines: string[]) =>
  (): Step[] =>
    lines.map((text) => ({ text }));

/** The events both custom senders receive, as the suffix of `<Trigger>_<event>`. */
const SENDER_EVENTS = [
  'SignUp',
  'ResendCode',
  'ForgotPassword',
  'UpdateUserAttribute',
  'VerifyUserAttribute',
  'AdminCreateUser',
  'Authentication',
] as const;

const senderSources = (trigger: 'CustomEmailSender' | 'CustomSMSSender'): string[] =>
  SENDER_EVENTS.map((event) => `${trigger}_${event}`);

/** Both custom senders are repaired the same way and share one KMS key and LambdaConfig entry. */
const SENDER_REPAIR_AND_IMPACT = {
  repair: texts(
    'Decrypt the code, send the message yourself, and log delivery failures as errors so they are visible here.',
  ),
  impact: (c: CommandContext): Step[] => [
    {
      text: 'Which function and KMS key the pool uses for custom senders.',
      command: describeUserPool(
        c,
        'UserPool.LambdaConfig.{CustomEmailSender:CustomEmailSender,CustomSMSSender:CustomSMSSender,KMSKeyID:KMSKeyID}',
      ),
    },
  ],
} satisfies Pick<TriggerContract, 'repair' | 'impact'>;

const RETURN_THE_EVENT =
  'Return the event object Cognito sent, changed only under `response`. A new object, `undefined` from an `async` handler that forgot to `return`, a string, or an API Gateway shape such as `{ statusCode, body }` is output Cognito cannot recognise.';

const signInMetric = (c: CommandContext): Step[] => [
  {
    text: 'Measure the blast radius: an `Average` below 1 means sign-ins are failing (each failure counts as 0).',
    command: cognitoMetric(c, 'SignInSuccesses'),
  },
];

/** Contract facts per trigger, in LambdaConfig order. */
export const TRIGGER_CONTRACTS: Readonly<Record<TriggerName, TriggerContract>> = {
  PreSignUp: {
    trigger: 'PreSignUp',
    sources: ['PreSignUp_SignUp', 'PreSignUp_AdminCreateUser', 'PreSignUp_ExternalProvider'],
    purpose:
      'runs before Cognito creates a user and may ask Cognito to confirm the user and verify the email address or phone number on the spot.',
    rules: [
      '`response.autoConfirmUser`, `response.autoVerifyEmail` and `response.autoVerifyPhone` are optional and must be JSON booleans. The string `"true"` is not `true`, however it reads in a log.',
      'The event arrives with all three set to `false`; change them in place and return the event.',
      '`autoVerifyEmail: true` needs a non-empty `email` attribute on the new user, and `autoVerifyPhone: true` a non-empty `phone_number`; otherwise the sign-up fails.',
      'For `PreSignUp_AdminCreateUser` Cognito ignores all three flags; that is not an error.',
      'To refuse a sign-up, throw an error. `autoConfirmUser: false` does not refuse anything; it only leaves the user to confirm by code.',
      'When email or phone is an alias, auto-verifying moves that alias away from any existing user who has it, and the old user’s attribute becomes unverified.',
    ],
    symptoms:
      'Sign-up either fails outright (InvalidLambdaResponseException, or UserLambdaValidationException `PreSignUp failed with error ...`), or it appears to succeed while the user is left UNCONFIRMED, and every sign-in then fails with UserNotConfirmedException. The second form is the quiet one: the sign-up screen looks fine and the complaints arrive as "cannot log in".',
    causes: [
      'A flag built from a string: an environment variable (`process.env.AUTO_CONFIRM` is always a string), a JSON config value, or a feature flag service returning `"true"`.',
      'A refactor that builds a fresh `{ autoConfirmUser: ... }` object instead of returning the event.',
      '`autoVerifyEmail: true` for users who signed up with a phone number only (no `email` attribute).',
    ],
    repair: (c) => [
      {
        text: 'Fix the code to return real booleans (for an environment variable: `process.env.AUTO_CONFIRM === "true"`) and add a test that asserts `typeof response.autoConfirmUser === "boolean"`.',
      },
      {
        text: 'Users created while the bug was live and meant to be auto-confirmed stay UNCONFIRMED. After checking they are genuine sign-ups, confirm each one (the PostConfirmation trigger runs for each).',
        command: adminConfirmSignUp(c),
      },
    ],
    impact: (c) => [
      {
        text: 'Count users stuck in UNCONFIRMED. A count that keeps growing while sign-ups continue is this incident.',
        command: countUnconfirmedUsers(c),
      },
      {
        text: 'Sign-up success rate around the evidence (an `Average` below 1 means failed sign-ups).',
        command: cognitoMetric(c, 'SignUpSuccesses'),
      },
    ],
  },
  PostConfirmation: {
    trigger: 'PostConfirmation',
    sources: ['PostConfirmation_ConfirmSignUp', 'PostConfirmation_ConfirmForgotPassword'],
    purpose:
      'runs after a user confirms a sign-up or a forgotten-password reset; Cognito reads nothing from its response but still needs the event back.',
    rules: [
      RETURN_THE_EVENT,
      '`response` stays `{}`. Nothing you put there changes what Cognito does.',
      'It runs for password resets as well as sign-ups (`PostConfirmation_ConfirmForgotPassword`): code that creates a profile row must not fail, or duplicate the row, on a reset.',
    ],
    symptoms:
      'ConfirmSignUp, AdminConfirmSignUp or ConfirmForgotPassword returns an error to the user although the code they typed was right. Check the user with `admin-get-user` before telling them to retry: the confirmation may already be stored.',
    causes: [
      'An `async` handler without `return event`.',
      'A downstream write (database, CRM, welcome email) that throws, or that is slow enough to hit the timeout, and is retried by Cognito into duplicates.',
      'The handler assumes `ConfirmSignUp` and breaks on `ConfirmForgotPassword` events.',
    ],
    repair: texts(
      'Return the event on every path, and make the side effect idempotent (keyed on `userName` and `userPoolId`).',
      'Move slow work out of the request: put a message on a queue and return.',
    ),
  },
  PreAuthentication: {
    trigger: 'PreAuthentication',
    sources: ['PreAuthentication_Authentication'],
    purpose:
      'runs before Cognito checks a sign-in and can refuse it; Cognito reads nothing from its response.',
    rules: [
      RETURN_THE_EVENT,
      'There is no allow/deny field. To refuse the sign-in, throw an error; its message reaches the caller as `PreAuthentication failed with error <message>`.',
      'Unknown fields in `response` are not a way to signal anything; at best they are ignored.',
      '`request.userNotFound` is present only when the app client has PreventUserExistenceErrors enabled.',
    ],
    symptoms:
      'Every sign-in through this pool fails before the password is even checked, with UserLambdaValidationException or InvalidLambdaResponseException.',
    causes: [
      'A deny rule (IP, domain, lockout counter) that now matches everyone, for example after a data-store change.',
      'An `async` handler without `return event`.',
    ],
    repair: texts('Return the event on every allow path and throw only on deliberate denials.'),
    impact: signInMetric,
  },
  PostAuthentication: {
    trigger: 'PostAuthentication',
    sources: ['PostAuthentication_Authentication'],
    purpose:
      'runs after a successful sign-in, typically for auditing; Cognito reads nothing from its response.',
    rules: [RETURN_THE_EVENT, '`response` stays `{}`.'],
    symptoms:
      'Users type the right password and still get an error: the trigger runs before tokens are handed out, so its failure fails the sign-in.',
    causes: [
      'An audit write (database, analytics) that throws or is slow.',
      'An `async` handler without `return event`.',
    ],
    repair: texts(
      'Never let auditing block sign-in: catch and log audit errors, or send the record to a queue, and always return the event.',
    ),
    impact: signInMetric,
  },
  DefineAuthChallenge: {
    trigger: 'DefineAuthChallenge',
    sources: ['DefineAuthChallenge_Authentication'],
    purpose:
      'drives the custom authentication flow: after each step it decides whether to issue tokens, fail, or ask for another challenge.',
    rules: [
      '`response.issueTokens` and `response.failAuthentication` must be JSON booleans.',
      'When neither is `true`, `response.challengeName` must be a string naming the next challenge (`CUSTOM_CHALLENGE`, or `PASSWORD_VERIFIER` after `SRP_A`).',
      'Spell the challenge exactly as Cognito does: `CUSTOM_CHALLENGE`, `PASSWORD_VERIFIER`, `SRP_A`, `SMS_MFA`, `EMAIL_OTP`, `SOFTWARE_TOKEN_MFA`, `DEVICE_SRP_AUTH`, `DEVICE_PASSWORD_VERIFIER`, `ADMIN_NO_SRP_AUTH`. Any other name (`CUSTOM`, `custom_challenge`) is reported as a warning: AWS publishes no list for this field, so a brand-new name may be legitimate, but a typo stalls the sign-in.',
      'Setting both `issueTokens` and `failAuthentication` to `true` contradicts itself; Cognito does not document which wins, so treat it as a bug.',
      'Decide from `request.session`, the list of earlier steps (`challengeName`, `challengeResult`, `challengeMetadata`). Issue tokens only when the last expected challenge is in the session with `challengeResult: true`.',
      'Fail after a bounded number of wrong answers, or a client can loop forever.',
    ],
    symptoms:
      'The custom sign-in hangs, keeps returning new challenges, or ends in InvalidLambdaResponseException or NotAuthorizedException for users who answered correctly.',
    causes: [
      'Returning none of `challengeName`, `issueTokens`, `failAuthentication`, or returning booleans as strings.',
      'Session logic that indexes `request.session` by position and breaks when a step (SRP, MFA) is added or removed.',
      'A new challenge type added in CreateAuthChallenge that this function does not know.',
    ],
    repair: texts(
      'Make every branch return all three keys explicitly, and unit-test the decision table for session lengths 0 to the maximum.',
      'Check the app client still allows the custom flow (`ALLOW_CUSTOM_AUTH` in `ExplicitAuthFlows`).',
    ),
    impact: signInMetric,
  },
  CreateAuthChallenge: {
    trigger: 'CreateAuthChallenge',
    sources: ['CreateAuthChallenge_Authentication'],
    purpose:
      'builds the challenge DefineAuthChallenge asked for: what the client is shown, and the expected answer that only VerifyAuthChallengeResponse sees.',
    rules: [
      '`response.publicChallengeParameters` and `response.privateChallengeParameters` are maps whose values must all be strings. A numeric code (`1234`), a boolean or a nested object breaks the contract: stringify it.',
      '`response.challengeMetadata` is a string; it shows up in later `request.session` entries.',
      'Public parameters go to the client. The answer belongs in the private parameters only.',
      'Cognito may call the function again for the same step (5-second wait). Sending a code on each call texts the user several different codes; reuse the code for the session.',
    ],
    symptoms:
      'The client never receives a usable challenge, or VerifyAuthChallengeResponse compares against a value that is not there and rejects every answer.',
    causes: [
      'A one-time code generated as a number and stored without `String(...)`.',
      'A slow SMS or email provider: the 5-second wait expires and the retry sends a second code.',
    ],
    repair: texts(
      'Store challenge values as strings, and generate the code once per session (for example from `challengeMetadata`).',
    ),
    impact: signInMetric,
  },
  VerifyAuthChallengeResponse: {
    trigger: 'VerifyAuthChallengeResponse',
    sources: ['VerifyAuthChallengeResponse_Authentication', 'VerifyAuthChallenge_Authentication'],
    purpose: 'checks the user’s answer to a custom challenge and tells Cognito whether it was right.',
    rules: [
      '`response.answerCorrect` is required and must be a JSON boolean.',
      '`request.challengeAnswer` is always a string, and so are the values of `request.privateChallengeParameters`. Compare strings with strings; `===` against a number is never true.',
      'Normalise deliberately (trim, case, encoding such as base64 versus plain text) and in one place.',
    ],
    symptoms:
      'Every answer is treated as wrong (or as right), or the step fails with InvalidLambdaResponseException; users end in NotAuthorizedException after their attempts run out.',
    causes: [
      '`answerCorrect` missing on one code path, or returned as `"true"`.',
      'A type or encoding mismatch between the stored answer and `challengeAnswer`.',
    ],
    repair: texts('Always set `answerCorrect` to the result of a string comparison, and test both outcomes.'),
    impact: signInMetric,
  },
  PreTokenGeneration: {
    trigger: 'PreTokenGeneration',
    sources: [...USER_TOKEN_GENERATION_SOURCES, 'TokenGeneration_ClientCredentials'],
    purpose:
      'edits the claims (and, from event version 2, the scopes) of the tokens Cognito is about to issue, at sign-in and at every refresh.',
    rules: [
      'The response container must match the event version: version `"1"` events answer in `response.claimsOverrideDetails`; version `"2"` and `"3"` events answer in `response.claimsAndScopeOverrideDetails`.',
      'Version 1: `claimsToAddOrOverride` values must be strings; `claimsToSuppress` is a list of strings; `groupOverrideDetails` holds `groupsToOverride`, `iamRolesToOverride` (lists of strings) and `preferredRole` (a string).',
      'Versions 2 and 3: claim values may be strings, numbers, booleans, lists or objects, except that in the ID token `email_verified`, `phone_number_verified`, `updated_at` and `address` may not be objects. Entries of `scopesToAdd` may not contain spaces.',
      'Versions 2 and 3: change scopes only with `accessTokenGeneration.scopesToAdd` and `scopesToSuppress`. A `scope` key in `claimsToAddOrOverride` or an entry `scope` in `claimsToSuppress` (either token) is a contract violation.',
      'Protected claims cannot be added, changed or suppressed: `sub`, `iss`, `exp`, `iat`, `token_use`, `client_id`, `username`, `cognito:username` and the other `cognito:*` claims, `event_id`, `jti`, `auth_time` and the rest of the JWT registered claims. `aud` may be set only on access tokens, and only to the requesting app client id.',
      'The incoming event carries placeholders (`null`, or `[]` for version 2); those are input, not a response.',
    ],
    symptoms:
      'Sign-ins fail, and so do refreshes (`TokenGeneration_RefreshTokens`): users who are already signed in are thrown out when their access token expires, typically within the hour.',
    causes: [
      'A version mismatch after changing `PreTokenGenerationConfig.LambdaVersion` (V1 code answering a V2 event, or the reverse).',
      'An attempt to override a protected claim, or a non-string claim value in a version 1 response.',
      'A scope built by joining strings with spaces.',
    ],
    repair: texts(
      'Check which event version the pool sends (`describe-user-pool --query UserPool.LambdaConfig.PreTokenGenerationConfig`) and answer in the matching container.',
      'Drop overrides of protected claims; put such data in a custom claim instead.',
    ),
    impact: (c) => [
      {
        text: 'Which event version the pool sends to this trigger.',
        command: describeUserPool(c, 'UserPool.LambdaConfig.PreTokenGenerationConfig'),
      },
      ...signInMetric(c),
      {
        text: 'Refresh success rate: a drop here means signed-in users are being logged out.',
        command: cognitoMetric(c, 'TokenRefreshSuccesses'),
      },
    ],
  },
  UserMigration: {
    trigger: 'UserMigration',
    sources: ['UserMigration_Authentication', 'UserMigration_ForgotPassword'],
    purpose:
      'moves a user from a legacy store into the pool the first time an unknown user signs in or asks for a password reset.',
    rules: [
      '`response.userAttributes` is required and must be a non-empty map of strings (so `email_verified` is `"true"` here, as a string). A response that migrates the user (sets any of `finalUserStatus`, `messageAction`, `desiredDeliveryMediums`, `forceAliasCreation`) without it is reported.',
      '`response.finalUserStatus` is `CONFIRMED` or `RESET_REQUIRED`; `response.messageAction` is `SUPPRESS` or absent; `response.desiredDeliveryMediums` is a list of `EMAIL` and/or `SMS`; `forceAliasCreation` and `enableSMSMFA` are booleans.',
      '`enableSMSMFA: true` needs MFA enabled on the pool and a `phone_number`; `forceAliasCreation: false` with an alias another user already has fails the migration.',
      'A migration from `UserMigration_ForgotPassword` needs a verified email or phone, or the user cannot receive the reset code.',
      'Returning nothing for a user you do not know is the way to say "not found": the caller gets UserNotFoundException `Exception migrating user in app client <client-id>` (or NotAuthorizedException when PreventUserExistenceErrors is on).',
      'Cognito does not apply the pool password policy to migrated passwords.',
    ],
    symptoms:
      'Legacy users cannot sign in or reset their password, while users already in the pool are unaffected.',
    causes: [
      'Attributes copied from the legacy store with non-string values (numbers, booleans, `null`).',
      '`finalUserStatus` or `messageAction` spelled in a different case, or a legacy status passed through.',
      'The legacy store being slow: password hashing plus a remote lookup easily exceeds 5 seconds.',
    ],
    repair: texts(
      'Map attributes explicitly to strings and set `finalUserStatus` from a fixed list.',
      'The event carries the user’s plaintext password in `request.password`: never log the whole event. Alerts are redacted, but the function’s own log group keeps whatever it printed.',
    ),
    impact: signInMetric,
  },
  CustomMessage: {
    trigger: 'CustomMessage',
    sources: CUSTOM_MESSAGE_SOURCES,
    purpose: 'rewrites the text of the codes and invitations Cognito sends by SMS and email.',
    rules: [
      '`response.smsMessage`, `response.emailMessage` and `response.emailSubject` are strings; leave one `null` to keep Cognito’s default.',
      'Every message you set must contain `request.codeParameter` (the placeholder, such as `{####}`) so Cognito can put the code in. For `CustomMessage_AdminCreateUser` it must also contain `request.usernameParameter`.',
      'A verification email sent as a link (`request.linkParameter` is set, such as `{##Click Here##}`) may contain the link placeholder instead of the code placeholder: Cognito builds the link around the code.',
      'An SMS may be at most 140 characters and an email at most 20,000, both counted with the code substituted.',
      '`emailMessage` and `emailSubject` are honoured only when the pool sends email through Amazon SES (`EmailSendingAccount: DEVELOPER`); with Cognito’s built-in email they are rejected.',
    ],
    symptoms:
      'Users receive no code, a message without the code, or Cognito’s default text; the API call behind it (SignUp, ForgotPassword, ResendConfirmationCode, AdminCreateUser) may fail with InvalidLambdaResponseException or may succeed silently.',
    causes: [
      'A template edit that dropped or re-spelled the `{####}` placeholder instead of using `request.codeParameter`.',
      'A message that grew past 140 SMS characters after a translation or a longer brand name.',
      'Custom email text on a pool that uses Cognito’s default email sender.',
    ],
    repair: texts(
      'Build messages around `event.request.codeParameter` (and `usernameParameter`) rather than a literal, and test every `triggerSource` including AdminCreateUser.',
    ),
    impact: (c) => [
      {
        text: 'Which email sender the pool uses (`DEVELOPER` is SES; `COGNITO_DEFAULT` ignores custom email text).',
        command: describeUserPool(c, 'UserPool.EmailConfiguration.EmailSendingAccount'),
      },
    ],
  },
  CustomEmailSender: {
    trigger: 'CustomEmailSender',
    sources: [...senderSources('CustomEmailSender'), 'CustomEmailSender_AccountTakeOverNotification'],
    purpose:
      'replaces Cognito’s email delivery: Cognito hands the function an encrypted code and sends nothing itself.',
    rules: [
      'Cognito invokes it asynchronously and ignores the return value. Returning `emailMessage` or other CustomMessage fields does nothing: when a custom sender is configured, the function itself must send the email.',
      '`request.code` is encrypted with the pool’s KMS key (`LambdaConfig.KMSKeyID`); decrypt it with the AWS Encryption SDK, which needs `kms:Decrypt` on that key.',
      'Temporary passwords are HTML-escaped before encryption.',
    ],
    symptoms:
      'No API call fails. Users simply never receive their code or invitation, and the only trace is this function’s log group.',
    causes: [
      'Code written for CustomMessage (returning text) attached as a custom sender.',
      'Missing `kms:Decrypt` permission, or a key rotated or replaced in the pool configuration.',
      'The email provider rejecting or throttling requests.',
    ],
    ...SENDER_REPAIR_AND_IMPACT,
  },
  CustomSMSSender: {
    trigger: 'CustomSMSSender',
    sources: senderSources('CustomSMSSender'),
    purpose:
      'replaces Cognito’s SMS delivery: Cognito hands the function an encrypted code and sends nothing itself.',
    rules: [
      'Cognito invokes it asynchronously and ignores the return value. Returning `smsMessage` does nothing: the function itself must send the SMS.',
      '`request.code` is encrypted with the pool’s KMS key (`LambdaConfig.KMSKeyID`); decrypt it with the AWS Encryption SDK, which needs `kms:Decrypt` on that key.',
      'Trigger sources are documented both as `CustomSMSSender_*` and `CustomSmsSender_*`; match them without regard to case.',
    ],
    symptoms:
      'No API call fails. Users never receive their SMS code, and the only trace is this function’s log group.',
    causes: [
      'Code written for CustomMessage (returning text) attached as a custom sender.',
      'Missing `kms:Decrypt` permission, or the SMS provider rejecting the number or the sender id.',
    ],
    ...SENDER_REPAIR_AND_IMPACT,
  },
  InboundFederation: {
    trigger: 'InboundFederation',
    sources: ['InboundFederation_ExternalProvider'],
    purpose:
      'runs on a federated sign-in before Cognito creates or updates the user profile, and decides which identity-provider attributes the profile keeps.',
    rules: [
      '`response.userAttributesToMap` is a map whose values must be strings.',
      'Attributes left out of the map are dropped from the profile. Return an empty map `{}` to keep every attribute as the provider sent it.',
      'The pool must register it with `LambdaVersion: V1_0`.',
    ],
    symptoms:
      'Federated users sign in but lose attributes (email, name, groups), or federated sign-in fails while local users are fine.',
    causes: [
      'A map built from the provider claims with non-string values (booleans, arrays from SAML).',
      'A partial map that meant "change these" but, by the contract, means "keep only these".',
    ],
    repair: texts(
      'Start from the provider attributes and return the complete map you want kept, with string values.',
    ),
  },
};

const contractFor = (trigger: TriggerName): TriggerContract => TRIGGER_CONTRACTS[trigger];

const withTrigger = (c: CommandContext, trigger?: TriggerName): CommandContext =>
  trigger === undefined ? c : { ...c, trigger };

/** Step builders that run in the command context of the trigger the finding names, when it names one. */
const withFindingTrigger =
  (steps: (c: CommandContext, finding: Finding) => Step[]) =>
  (finding: Finding, context: CommandContext): Step[] =>
    steps(withTrigger(context, finding.trigger), finding);

const isAsync = (trigger: TriggerName): boolean => ASYNC_TRIGGERS.includes(trigger);

const evidenceStep = (c: CommandContext, finding: Finding): Step => ({
  text:
    c.requestId !== undefined
      ? 'Read every line of the failing invocation, including the logged response.'
      : fieldFilterTerm(finding.field) !== undefined
        ? 'Read the logged responses that carry the offending field, around the first occurrence.'
        : 'Read the function log around the first occurrence.',
  command: filterEvidence(c, finding.field),
});

const toTriggerSection = (contract: TriggerContract): RunbookSection => {
  const { trigger } = contract;
  const async = isAsync(trigger);
  return {
    id: runbookSectionId('trigger-response-invalid', trigger),
    title: `${trigger} returned a response that breaks Cognito's contract`,
    meaning: `The ${trigger} trigger ${contract.purpose} A response it logged (trigger sources ${contract.sources.map((source) => `\`${source}\``).join(', ')}) does not match what Cognito expects. ${contract.symptoms}`,
    contract: [...contract.rules],
    firstTenMinutes: (finding, context) => {
      const c = withTrigger(context, trigger);
      return [
        wiringStep(c),
        evidenceStep(c, finding),
        ...(contract.impact?.(c) ?? []),
        ...whatChangedSteps(c),
      ];
    },
    likelyCauses: [
      ...contract.causes,
      'A deploy that changed the response shape and was tested only with the Lambda console’s sample event, which lacks fields production events carry (`clientMetadata`, `validationData: null`, users without an email).',
    ],
    fix: (_finding, context) => {
      const c = withTrigger(context, trigger);
      return [
        ...(async ? [] : rollbackSteps(c)),
        ...contract.repair(c),
        async
          ? {
              text: 'Wrap the handler in `triggerContract({ mode: "observe" })` from `middleware/trigger-contract.ts`, so each invocation logs a report line this monitor reads.',
            }
          : {
              text: 'Wrap the handler in `triggerContract({ mode: "enforce" })` from `middleware/trigger-contract.ts`: a response that breaks this contract then fails the invocation with an error naming the field, instead of reaching Cognito.',
            },
      ];
    },
    notes: async ? [...ASYNC_TRIGGER_NOTES] : [...SYNC_TRIGGER_NOTES, MIDDLEWARE_NOTE],
    verify: (_finding, context) => verifySteps(withTrigger(context, trigger)),
  };
};

/** The per-trigger contract sections, in LambdaConfig order. */
export const TRIGGER_CONTRACT_SECTIONS: readonly RunbookSection[] = TRIGGERS.map((trigger) =>
  toTriggerSection(contractFor(trigger)),
);

/** The contract section for a violation whose trigger the detector could not tell. */
export const TRIGGER_RESPONSE_INVALID_SECTION: RunbookSection = {
  id: runbookSectionId('trigger-response-invalid'),
  title: "A trigger returned a response that breaks Cognito's contract",
  meaning:
    'A logged trigger response does not match what Cognito expects, and the detector could not tell which trigger wrote it (the log group is not mapped to a trigger and the response keys fit several). The per-trigger sections below hold the exact rules; start by finding out which trigger this function serves.',
  contract: [
    'Every synchronous trigger must return the whole event Cognito sent, changed only under `response`.',
    'Flags are JSON booleans (`autoConfirmUser`, `issueTokens`, `failAuthentication`, `answerCorrect`); the string `"true"` is not a boolean.',
    'Map values are strings (`publicChallengeParameters`, `privateChallengeParameters`, `userAttributes` for migration, version 1 claim overrides, `userAttributesToMap`).',
    'Cross-field rules: DefineAuthChallenge must set `issueTokens`, `failAuthentication` or a `challengeName`; PreSignUp may verify an email or phone only if the user has one; CustomMessage text must contain the code placeholder.',
  ],
  firstTenMinutes: withFindingTrigger((c, finding) => [
    {
      ...wiringStep(c),
      text: 'Find which trigger this function serves: look for its ARN in the pool’s LambdaConfig.',
    },
    evidenceStep(c, finding),
    ...whatChangedSteps(c),
  ]),
  likelyCauses: [
    'A value of the wrong JSON type (a string `"true"`, a number where a string is required).',
    'A required key missing on one code path, or contradictory keys.',
    'A handler that returns something other than the event.',
  ],
  fix: withFindingTrigger((c) => [
    ...rollbackSteps(c),
    {
      text: 'Map the log group to its trigger (`--trigger-map <log-group>=<Trigger>` for the CLI, or the trigger log groups in the deployment config) so the next finding names the exact rule.',
    },
    {
      text: 'Wrap the handler in `triggerContract({ mode: "observe" })` from `middleware/trigger-contract.ts`: its report line names the trigger source, so the next finding names the exact rule. Switch to `enforce` once it is quiet.',
    },
  ]),
  notes: [...SYNC_TRIGGER_NOTES, MIDDLEWARE_NOTE],
  verify: withFindingTrigger(verifySteps),
};
