/**
 * The sign-up cycle: SignUp a throwaway user with a random name and password, read its status with
 * AdminGetUser (CONFIRMED when the pool auto-confirms), and ALWAYS delete it with AdminDeleteUser,
 * whatever happened before. This is the cycle that catches a PreSignUp trigger that stops
 * auto-confirming even when the trigger logs nothing.
 */
import { randomBytes } from 'node:crypto';
import {
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CanarySignUpObservation } from '../detectors/canary-observations';
import { budgetOf, type CycleContext, timed } from './cycle-context';
import { triggerFunctionsFor } from './enrich';
import { computeSecretHash } from './secret-hash';

export interface SignUpCycleInput {
  expectConfirmed: boolean;
  /** Username with `{id}` where the random id goes. */
  usernameTemplate: string;
  attributes?: Readonly<Record<string, string>>;
  clientMetadata?: Readonly<Record<string, string>>;
  clientSecret?: string;
}

/** A random id for a throwaway user: 16 lowercase hex characters. */
export const randomUserId = (): string => randomBytes(8).toString('hex');

/** A password that meets Cognito's strictest default policy: upper, lower, digit, symbol, 30+ characters. */
export const randomPassword = (): string => `Aa1!${randomBytes(24).toString('base64url')}`;

const fill = (template: string, id: string): string => template.replaceAll('{id}', id);

export const runSignUpCycle = async (
  ctx: CycleContext,
  input: SignUpCycleInput,
): Promise<CanarySignUpObservation> => {
  const { target, cognito, caller, clock, scrubber } = ctx;
  const id = randomUserId();
  const username = fill(input.usernameTemplate, id);
  const password = randomPassword();
  scrubber.add(username, 'username');
  scrubber.add(password, 'password');
  const attributes = Object.entries(input.attributes ?? {}).map(([Name, value]) => {
    const Value = fill(value, id);
    scrubber.add(Value, 'username');
    return { Name, Value };
  });

  let deleted = false;
  let userExists = false;
  let observation: Omit<CanarySignUpObservation, 'deleted'>;
  try {
    const [result, durationMs] = await timed(clock, async (): Promise<CanarySignUpObservation['result']> => {
      const signedUp = await caller.call((signal) =>
        cognito.send(
          new SignUpCommand({
            ClientId: target.clientId,
            Username: username,
            Password: password,
            ...(attributes.length === 0 ? {} : { UserAttributes: attributes }),
            ...(input.clientMetadata === undefined ? {} : { ClientMetadata: { ...input.clientMetadata } }),
            ...(input.clientSecret === undefined
              ? {}
              : { SecretHash: computeSecretHash(username, target.clientId, input.clientSecret) }),
          }),
          { abortSignal: signal },
        ),
      );
      // A SignUp that failed in a late trigger (PostConfirmation, CustomMessage) may still have created the user.
      userExists = true;
      if (!signedUp.ok) return { outcome: 'error', call: 'SignUp', error: signedUp.error };
      scrubber.add(signedUp.value.UserSub, 'username');
      const read = await caller.call((signal) =>
        cognito.send(new AdminGetUserCommand({ UserPoolId: target.userPoolId, Username: username }), {
          abortSignal: signal,
        }),
      );
      if (!read.ok) return { outcome: 'error', call: 'AdminGetUser', error: read.error };
      return {
        outcome: 'created',
        userStatus: read.value.UserStatus ?? 'UNKNOWN',
        userConfirmed: signedUp.value.UserConfirmed === true,
      };
    });
    const enrichment = result.outcome === 'error' ? await triggerFunctionsFor(ctx, result.error) : {};
    observation = {
      kind: 'canary-sign-up',
      target,
      durationMs,
      ...budgetOf(ctx.budgets, 'sign-up'),
      expectConfirmed: input.expectConfirmed,
      result,
      ...enrichment,
    };
  } finally {
    if (userExists) {
      const removed = await caller.call((signal) =>
        cognito.send(new AdminDeleteUserCommand({ UserPoolId: target.userPoolId, Username: username }), {
          abortSignal: signal,
        }),
      );
      deleted = removed.ok || removed.error.name === 'UserNotFoundException';
      if (!removed.ok && !deleted) {
        ctx.note(
          `AdminDeleteUser could not remove the throwaway sign-up user (${removed.error.name}: ${removed.error.message}); delete users matching the template ${input.usernameTemplate} by hand`,
        );
      }
    }
  }
  return { ...observation, deleted };
};
