/**
 * Demo sign-up traffic: a few shoppers signing up through the app client, as the web app would,
 * so the PreSignUp trigger runs and writes its log lines. Each shopper is deleted afterwards.
 */
import { randomBytes } from 'node:crypto';
import {
  AdminDeleteUserCommand,
  type CognitoIdentityProviderClient,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';

export interface SignUpOutcome {
  ok: boolean;
  /** Cognito's exception name when the sign-up failed. */
  error?: string;
}

let sequence = 0;

/** Signs up one throwaway shopper and removes it again; never throws. */
export const signUpShopper = async (
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  clientId: string,
): Promise<SignUpOutcome> => {
  sequence += 1;
  const username = `shopper-${Date.now().toString(36)}-${sequence}`;
  try {
    await client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: `Sh0p-${randomBytes(9).toString('base64url')}!x`,
        UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
      }),
    );
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).name };
  } finally {
    await client
      .send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username }))
      .catch(() => undefined);
  }
};
