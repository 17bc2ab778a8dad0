/**
 * Ends the canary's session after a cycle so sessions never pile up: RevokeToken on the refresh
 * token (revokes it and every access token issued with it, this session only), falling back to
 * AdminUserGlobalSignOut (every session of the canary user) where RevokeToken fails. moto does not
 * implement RevokeToken (HTTP 500), so against moto the fallback runs and a note says so.
 */
import { AdminUserGlobalSignOutCommand, RevokeTokenCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { CanaryCleanupMethod } from '../config/pool-config';
import type { CycleContext } from './cycle-context';

export interface CleanupInput {
  method: CanaryCleanupMethod;
  /** The internal or login username, for the global sign-out. */
  username: string;
  refreshToken?: string;
  clientSecret?: string;
}

/** How the session ended: `revoked`, `signed-out` (global sign-out), or `failed` (a note says why). */
export type CleanupResult = 'revoked' | 'signed-out' | 'failed';

export const endSession = async (ctx: CycleContext, input: CleanupInput): Promise<CleanupResult> => {
  const { target } = ctx;
  if (input.method === 'revoke-token' && input.refreshToken !== undefined) {
    const { refreshToken } = input;
    const revoked = await ctx.caller.call(
      (signal) =>
        ctx.cognito.send(
          new RevokeTokenCommand({
            Token: refreshToken,
            ClientId: target.clientId,
            ...(input.clientSecret === undefined ? {} : { ClientSecret: input.clientSecret }),
          }),
          { abortSignal: signal },
        ),
      // A fallback exists, so a failing RevokeToken is not worth the retries.
      { retry: false },
    );
    if (revoked.ok) return 'revoked';
    ctx.note(
      `RevokeToken failed (${revoked.error.name}${revoked.error.httpStatus === undefined ? '' : `, HTTP ${revoked.error.httpStatus}`}); fell back to AdminUserGlobalSignOut`,
    );
  }
  const signedOut = await ctx.caller.call((signal) =>
    ctx.cognito.send(
      new AdminUserGlobalSignOutCommand({ UserPoolId: target.userPoolId, Username: input.username }),
      {
        abortSignal: signal,
      },
    ),
  );
  if (signedOut.ok) return 'signed-out';
  ctx.note(
    `Clean-up failed: AdminUserGlobalSignOut answered ${signedOut.error.name}: ${signedOut.error.message}; the canary session lasts until its tokens expire`,
  );
  return 'failed';
};
