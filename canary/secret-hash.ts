/**
 * Cognito's SECRET_HASH: `Base64(HMAC_SHA256(key = client secret, message = username + client id))`
 * (docs/cognito-triggers-and-logs.md). Required on every call that names a user when the app client has a secret.
 */
import { createHmac } from 'node:crypto';

/** The SECRET_HASH of `username` for `clientId`, keyed by the client's secret. */
export const computeSecretHash = (username: string, clientId: string, clientSecret: string): string =>
  createHmac('sha256', clientSecret).update(`${username}${clientId}`, 'utf8').digest('base64');
