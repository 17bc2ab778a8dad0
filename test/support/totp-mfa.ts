import {
  type CognitoIdentityProviderClient,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';

/** Makes MFA required on the pool, by TOTP (software token) only, as the MFA canary tests need. */
export const requireTotpMfa = (
  cognito: Pick<CognitoIdentityProviderClient, 'send'>,
  userPoolId: string,
): Promise<unknown> =>
  cognito.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: userPoolId,
      MfaConfiguration: 'ON',
      SoftwareTokenMfaConfiguration: { Enabled: true },
    }),
  );
