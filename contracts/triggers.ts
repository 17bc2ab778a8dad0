/**
 * Cognito user-pool Lambda triggers as domain data: the LambdaConfig keys, and the mapping from a
 * logged `triggerSource` to the trigger that receives it.
 *
 * Pure: no I/O. Facts: docs/cognito-triggers-and-logs.md.
 */

/** LambdaConfig keys, in the order Cognito's console lists them. */
export const TRIGGERS = [
  'PreSignUp',
  'PostConfirmation',
  'PreAuthentication',
  'PostAuthentication',
  'DefineAuthChallenge',
  'CreateAuthChallenge',
  'VerifyAuthChallengeResponse',
  'PreTokenGeneration',
  'UserMigration',
  'CustomMessage',
  'CustomEmailSender',
  'CustomSMSSender',
  'InboundFederation',
] as const;

export type TriggerName = (typeof TRIGGERS)[number];

/** Cognito waits this long for a synchronous trigger before it gives up (not configurable). */
export const COGNITO_TRIGGER_TIMEOUT_MS = 5_000;

/** Triggers Cognito invokes asynchronously: their return value is unused and they are not bound by the 5 s wait. */
export const ASYNC_TRIGGERS: readonly TriggerName[] = ['CustomEmailSender', 'CustomSMSSender'];

/** The `triggerSource` values of a CustomMessage invocation. */
export const CUSTOM_MESSAGE_SOURCES = [
  'CustomMessage_SignUp',
  'CustomMessage_AdminCreateUser',
  'CustomMessage_ResendCode',
  'CustomMessage_ForgotPassword',
  'CustomMessage_UpdateUserAttribute',
  'CustomMessage_VerifyUserAttribute',
  'CustomMessage_Authentication',
] as const;

/**
 * The `triggerSource` values of a PreTokenGeneration invocation for a user; machine-to-machine
 * tokens add `TokenGeneration_ClientCredentials` (event version 3 only).
 */
export const USER_TOKEN_GENERATION_SOURCES = [
  'TokenGeneration_HostedAuth',
  'TokenGeneration_Authentication',
  'TokenGeneration_NewPasswordChallenge',
  'TokenGeneration_AuthenticateDevice',
  'TokenGeneration_RefreshTokens',
] as const;

const PREFIX_TO_TRIGGER: ReadonlyMap<string, TriggerName> = new Map([
  ['presignup', 'PreSignUp'],
  ['postconfirmation', 'PostConfirmation'],
  ['preauthentication', 'PreAuthentication'],
  ['postauthentication', 'PostAuthentication'],
  ['defineauthchallenge', 'DefineAuthChallenge'],
  ['createauthchallenge', 'CreateAuthChallenge'],
  ['verifyauthchallengeresponse', 'VerifyAuthChallengeResponse'],
  // The current per-API list spells it VerifyAuthChallenge_Authentication; accept both.
  ['verifyauthchallenge', 'VerifyAuthChallengeResponse'],
  ['tokengeneration', 'PreTokenGeneration'],
  ['usermigration', 'UserMigration'],
  ['custommessage', 'CustomMessage'],
  ['customemailsender', 'CustomEmailSender'],
  // Documented both as CustomSMSSender_* and CustomSmsSender_*; matched case-insensitively.
  ['customsmssender', 'CustomSMSSender'],
  ['inboundfederation', 'InboundFederation'],
]);

/**
 * Maps a `triggerSource` such as `PreSignUp_SignUp` or `TokenGeneration_RefreshTokens` to its
 * LambdaConfig key. Returns `undefined` for a source Cognito does not document.
 */
export const toTrigger = (triggerSource: string): TriggerName | undefined => {
  // Hot path: every logged event is mapped, mostly to the source before it. Each is a new string,
  // and comparing it with the last one costs less than hashing it for the memo.
  if (triggerSource === lastSource) return lastTrigger;
  if (KNOWN_SOURCES.has(triggerSource)) {
    lastSource = triggerSource;
    lastTrigger = KNOWN_SOURCES.get(triggerSource);
    return lastTrigger;
  }
  const underscore = triggerSource.indexOf('_');
  if (underscore <= 0 || underscore === triggerSource.length - 1) return undefined;
  const trigger = PREFIX_TO_TRIGGER.get(triggerSource.slice(0, underscore).toLowerCase());
  if (KNOWN_SOURCES.size < MAX_KNOWN_SOURCES) KNOWN_SOURCES.set(triggerSource, trigger);
  lastSource = triggerSource;
  lastTrigger = trigger;
  return trigger;
};

let lastSource = '';
let lastTrigger: TriggerName | undefined;

/** Memo of sources already mapped; bounded so hostile input cannot grow it without limit. */
const KNOWN_SOURCES = new Map<string, TriggerName | undefined>();
const MAX_KNOWN_SOURCES = 256;

/** True when `value` is one of the LambdaConfig trigger keys (exact spelling). */
export const isTriggerName = (value: string): value is TriggerName =>
  (TRIGGERS as readonly string[]).includes(value);

/** Where LambdaConfig names a trigger whose value is an object with its function ARN. */
interface ArnConfig {
  LambdaArn?: string;
}

/**
 * The trigger-function part of a pool's LambdaConfig, as DescribeUserPool returns it (the SDK's
 * `LambdaConfigType` fits it): most triggers as a plain ARN, the custom senders and inbound
 * federation as an object, and the pre-token trigger in either shape.
 */
export type TriggerLambdaConfig = Partial<
  Record<Exclude<TriggerName, 'CustomSMSSender' | 'CustomEmailSender' | 'InboundFederation'>, string>
> & {
  PreTokenGenerationConfig?: ArnConfig;
  CustomSMSSender?: ArnConfig;
  CustomEmailSender?: ArnConfig;
  InboundFederation?: ArnConfig;
};

/** A trigger's function ARN in LambdaConfig, whichever shape the trigger uses. */
export const triggerArnOf = (
  config: TriggerLambdaConfig | undefined,
  trigger: TriggerName,
): string | undefined => {
  if (config === undefined) return undefined;
  switch (trigger) {
    case 'PreTokenGeneration':
      return config.PreTokenGenerationConfig?.LambdaArn ?? config.PreTokenGeneration;
    case 'CustomSMSSender':
    case 'CustomEmailSender':
    case 'InboundFederation':
      return config[trigger]?.LambdaArn;
    default:
      return config[trigger];
  }
};

/** Every wired trigger and its function ARN, in LambdaConfig order; an empty ARN is not wired. */
export const listWiredTriggers = (
  config: TriggerLambdaConfig | undefined,
): { trigger: TriggerName; arn: string }[] =>
  TRIGGERS.flatMap((trigger) => {
    const arn = triggerArnOf(config, trigger);
    return arn === undefined || arn === '' ? [] : [{ trigger, arn }];
  });
