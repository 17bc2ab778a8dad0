/**
 * The `response` keys Cognito reads from each trigger. Used to recognise a bare response object
 * in a log line and, when the log group's trigger is unknown, to attribute it by keys that belong
 * to one trigger only. Facts: docs/cognito-triggers-and-logs.md.
 */
import type { TriggerName } from './triggers';

export const RESPONSE_KEYS: Readonly<Record<TriggerName, readonly string[]>> = {
  PreSignUp: ['autoConfirmUser', 'autoVerifyEmail', 'autoVerifyPhone'],
  PostConfirmation: [],
  PreAuthentication: [],
  PostAuthentication: [],
  DefineAuthChallenge: ['challengeName', 'issueTokens', 'failAuthentication'],
  CreateAuthChallenge: ['publicChallengeParameters', 'privateChallengeParameters', 'challengeMetadata'],
  VerifyAuthChallengeResponse: ['answerCorrect'],
  PreTokenGeneration: ['claimsOverrideDetails', 'claimsAndScopeOverrideDetails'],
  UserMigration: [
    'userAttributes',
    'finalUserStatus',
    'messageAction',
    'desiredDeliveryMediums',
    'forceAliasCreation',
    'enableSMSMFA',
  ],
  CustomMessage: ['smsMessage', 'emailMessage', 'emailSubject'],
  CustomEmailSender: [],
  CustomSMSSender: [],
  InboundFederation: ['userAttributesToMap'],
};

/**
 * Attributes a bare response object to the one trigger whose response keys it uses. Returns
 * `undefined` when no key is known or the keys fit several triggers. `userAttributes` alone is
 * also request data, so UserMigration needs `finalUserStatus` or `messageAction` as well.
 */
export const attributeResponse = (keys: readonly string[]): TriggerName | undefined => {
  const matches = new Set<TriggerName>();
  for (const [trigger, responseKeys] of Object.entries(RESPONSE_KEYS) as [TriggerName, readonly string[]][]) {
    if (keys.some((key) => responseKeys.includes(key))) matches.add(trigger);
  }
  if (
    matches.has('UserMigration') &&
    !keys.some((key) => key === 'finalUserStatus' || key === 'messageAction')
  ) {
    matches.delete('UserMigration');
  }
  // `challengeName` also appears in CreateAuthChallenge requests; a response needs a Define-only key.
  if (
    matches.has('DefineAuthChallenge') &&
    !keys.some((key) => key === 'issueTokens' || key === 'failAuthentication')
  ) {
    matches.delete('DefineAuthChallenge');
  }
  return matches.size === 1 ? [...matches][0] : undefined;
};
