/**
 * Enrols a TOTP factor for the canary user: signs in with its password (ADMIN_USER_PASSWORD_AUTH),
 * AssociateSoftwareToken, VerifySoftwareToken with a code from the new seed, then
 * AdminSetUserMFAPreference (software token enabled and preferred), and signs the enrolment
 * session out. Works whether the pool already requires MFA (sign-in answers `MFA_SETUP`, enrolment
 * runs on the challenge session) or not (enrolment runs on the access token), and re-enrols a user
 * whose current seed is known (sign-in answers `SOFTWARE_TOKEN_MFA`). Returns the new seed; the
 * caller stores it and never prints it.
 */
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminUserGlobalSignOutCommand,
  AssociateSoftwareTokenCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { SentinelError } from '../runtime/errors';
import type { CognitoClient } from './cycle-context';
import { computeSecretHash } from './secret-hash';
import { toTotpCode } from './totp';

/** Enrolment could not finish; the message says what to do (never a secret). */
export class TotpEnrolmentError extends SentinelError {
  override readonly name = 'TotpEnrolmentError';
  readonly code = 'totp-enrolment';
}

export interface EnrolTotpInput {
  userPoolId: string;
  clientId: string;
  clientSecret?: string;
  username: string;
  password: string;
  /** The seed enrolled now, when re-enrolling a user whose sign-in asks for SOFTWARE_TOKEN_MFA. */
  currentSeed?: string;
  /** Wall-clock time in epoch ms. Default `Date.now`. */
  epochNow?: () => number;
  /** Name of the authenticator in the user's factor list. */
  deviceName?: string;
  /**
   * Called with the new seed before VerifySoftwareToken makes it the user's factor, so the seed is
   * stored before Cognito depends on it.
   */
  beforeVerify?: (seed: string) => Promise<void>;
}

const DEFAULT_DEVICE_NAME = 'cognito-sentinel-canary';

export const enrolTotp = async (cognito: CognitoClient, input: EnrolTotpInput): Promise<string> => {
  const now = input.epochNow ?? Date.now;
  const hash = (username: string): Record<string, string> =>
    input.clientSecret === undefined
      ? {}
      : { SECRET_HASH: computeSecretHash(username, input.clientId, input.clientSecret) };
  const signedIn = await cognito.send(
    new AdminInitiateAuthCommand({
      UserPoolId: input.userPoolId,
      ClientId: input.clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: input.username, PASSWORD: input.password, ...hash(input.username) },
    }),
  );
  const username = signedIn.ChallengeParameters?.USER_ID_FOR_SRP ?? input.username;
  let accessToken = signedIn.AuthenticationResult?.AccessToken;
  let session: string | undefined;

  if (accessToken === undefined) {
    switch (signedIn.ChallengeName) {
      case 'MFA_SETUP':
        session = signedIn.Session;
        break;
      case 'SOFTWARE_TOKEN_MFA': {
        if (input.currentSeed === undefined) {
          throw new TotpEnrolmentError(
            `${input.username} already has a TOTP factor whose seed is not stored; turn it off first (aws cognito-idp admin-set-user-mfa-preference --user-pool-id ${input.userPoolId} --username ${input.username} --software-token-mfa-settings Enabled=false,PreferredMfa=false) and run again`,
          );
        }
        const answered = await cognito.send(
          new AdminRespondToAuthChallengeCommand({
            UserPoolId: input.userPoolId,
            ClientId: input.clientId,
            ChallengeName: 'SOFTWARE_TOKEN_MFA',
            Session: signedIn.Session,
            ChallengeResponses: {
              USERNAME: username,
              SOFTWARE_TOKEN_MFA_CODE: toTotpCode(input.currentSeed, now()),
              ...hash(username),
            },
          }),
        );
        accessToken = answered.AuthenticationResult?.AccessToken;
        break;
      }
      default:
        throw new TotpEnrolmentError(
          `sign-in of ${input.username} answered ${signedIn.ChallengeName ?? 'neither tokens nor a challenge'}; enrolment needs tokens, MFA_SETUP or SOFTWARE_TOKEN_MFA`,
        );
    }
  }

  const associated = await cognito.send(
    new AssociateSoftwareTokenCommand(
      accessToken === undefined ? { Session: session } : { AccessToken: accessToken },
    ),
  );
  const seed = associated.SecretCode;
  if (seed === undefined) throw new TotpEnrolmentError('AssociateSoftwareToken returned no SecretCode');
  await input.beforeVerify?.(seed);
  const verified = await cognito.send(
    new VerifySoftwareTokenCommand({
      ...(accessToken === undefined
        ? { Session: associated.Session ?? session }
        : { AccessToken: accessToken }),
      UserCode: toTotpCode(seed, now()),
      FriendlyDeviceName: input.deviceName ?? DEFAULT_DEVICE_NAME,
    }),
  );
  if (verified.Status !== 'SUCCESS') {
    throw new TotpEnrolmentError(`VerifySoftwareToken answered ${verified.Status ?? 'no status'}`);
  }
  if (accessToken === undefined) {
    // Finish the MFA_SETUP challenge so the enrolment counts; the tokens are not needed.
    await cognito.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: input.userPoolId,
        ClientId: input.clientId,
        ChallengeName: 'MFA_SETUP',
        Session: verified.Session,
        ChallengeResponses: { USERNAME: username, ...hash(username) },
      }),
    );
  }
  await cognito.send(
    new AdminSetUserMFAPreferenceCommand({
      UserPoolId: input.userPoolId,
      Username: input.username,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );
  await cognito.send(
    new AdminUserGlobalSignOutCommand({ UserPoolId: input.userPoolId, Username: input.username }),
  );
  return seed;
};
