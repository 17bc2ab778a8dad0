/**
 * Extra reads after a failure, where they explain more than Cognito's message: the canary user's
 * status (AdminGetUser) after a refusal, and the pool's LambdaConfig when a trigger error names a
 * function instead of a trigger.
 */
import {
  AdminGetUserCommand,
  DescribeUserPoolCommand,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import { listWiredTriggers } from '../contracts/triggers';
import { parseTriggerMessage } from '../detectors/canary-cause';
import type { CanaryError, CanaryUserState, TriggerFunctions } from '../detectors/canary-observations';
import type { Caller } from './caller';
import type { CognitoClient, CycleContext } from './cycle-context';

const TRIGGER_EXCEPTIONS = new Set([
  'UserLambdaValidationException',
  'UnexpectedLambdaException',
  'UnexpectedLambdaExceptionException',
  'InvalidLambdaResponseException',
]);

/** Trigger → function name or ARN, from a pool's LambdaConfig. */
export const toTriggerFunctions = (config: LambdaConfigType | undefined): TriggerFunctions =>
  Object.fromEntries(listWiredTriggers(config).map(({ trigger, arn }) => [trigger, arn]));

/** A cache of pools' LambdaConfig; one per container. A failed read is not cached. */
export const createLambdaConfigCache = () => {
  const cache = new Map<string, Promise<TriggerFunctions | undefined>>();
  return (cognito: CognitoClient, caller: Caller, userPoolId: string, region: string) => {
    const key = `${region}\u0000${userPoolId}`;
    let pending = cache.get(key);
    if (pending === undefined) {
      pending = caller
        .call((signal) =>
          cognito.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }), { abortSignal: signal }),
        )
        .then((outcome) =>
          outcome.ok ? toTriggerFunctions(outcome.value.UserPool?.LambdaConfig) : undefined,
        );
      pending.then((value) => value === undefined && cache.delete(key));
      cache.set(key, pending);
    }
    return pending;
  };
};

/** The LambdaConfig, when the error is a trigger error whose message names a function, not a trigger. */
export const triggerFunctionsFor = async (
  ctx: CycleContext,
  error: CanaryError,
): Promise<{ triggerFunctions?: TriggerFunctions }> => {
  if (!TRIGGER_EXCEPTIONS.has(error.name)) return {};
  const parsed = parseTriggerMessage(error.message);
  if (parsed?.trigger !== undefined || parsed?.functionName === undefined) return {};
  const triggerFunctions = await ctx.triggerFunctions();
  return triggerFunctions === undefined ? {} : { triggerFunctions };
};

/** AdminGetUser for the canary user after an ambiguous refusal; undefined when it cannot tell. */
export const readUserState = async (
  ctx: CycleContext,
  username: string,
): Promise<CanaryUserState | undefined> => {
  const outcome = await ctx.caller.call((signal) =>
    ctx.cognito.send(new AdminGetUserCommand({ UserPoolId: ctx.target.userPoolId, Username: username }), {
      abortSignal: signal,
    }),
  );
  if (outcome.ok) {
    return {
      exists: true,
      ...(outcome.value.UserStatus === undefined ? {} : { status: outcome.value.UserStatus }),
      ...(outcome.value.Enabled === undefined ? {} : { enabled: outcome.value.Enabled }),
    };
  }
  if (outcome.error.name === 'UserNotFoundException') return { exists: false };
  ctx.note(
    `AdminGetUser could not read the canary user (${outcome.error.name}); the cause relies on Cognito's message alone`,
  );
  return undefined;
};
