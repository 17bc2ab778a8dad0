/**
 * The demo pool's trigger functions: real handlers, wrapped in the project's trigger-contract
 * middleware (observe mode), served by the local Lambda Invoke API. Each scenario swaps one in,
 * the way a deploy would.
 */
import middy from '@middy/core';
import type { PreSignUpTriggerEvent, PreTokenGenerationTriggerEvent } from 'aws-lambda';
import { triggerContract } from '../middleware/trigger-contract';
import { sleep } from '../runtime/text';

export const DEMO_PRESIGNUP = 'demo-presignup';
export const DEMO_PRETOKEN = 'demo-pretoken';

const wrap = <E>(handler: (event: E) => Promise<E>) =>
  middy<E, E>()
    .handler(handler)
    .use(triggerContract<E, E>({ mode: 'observe' }));

/** Healthy PreSignUp: auto-confirms demo sign-ups and verifies their email. */
export const healthyPreSignUp = wrap<PreSignUpTriggerEvent>(async (event) => {
  console.log(`Sign-up for client ${event.callerContext.clientId}: auto-confirming`);
  event.response.autoConfirmUser = true;
  event.response.autoVerifyEmail = Boolean(event.request.userAttributes.email);
  console.log('Returning', JSON.stringify(event.response));
  return event;
});

/**
 * The seed incident's bad deploy: the flag now comes from an environment variable, a string,
 * so every response carries `autoConfirmUser: "true"`.
 */
export const stringFlagPreSignUp = wrap<PreSignUpTriggerEvent>(async (event) => {
  const autoConfirm = process.env.DEMO_AUTO_CONFIRM ?? 'true';
  console.log(`Sign-up for client ${event.callerContext.clientId}: auto-confirm=${autoConfirm}`);
  (event.response as Record<string, unknown>).autoConfirmUser = autoConfirm;
  console.log('Returning', JSON.stringify(event.response));
  return event;
});

/** A deploy that crashes on every call. */
export const throwingPreSignUp = wrap<PreSignUpTriggerEvent>(async (event) => {
  const allowList = (
    event.request.clientMetadata as unknown as { allowList: { domains: string[] } } | undefined
  )?.allowList;
  // The new code assumes clientMetadata always carries an allow-list; production sign-ups do not.
  if (!allowList) throw new TypeError("Cannot read properties of undefined (reading 'domains')");
  return event;
});

/** A deploy that waits on a slow dependency past Cognito's 5-second limit. */
export const slowPreSignUp = wrap<PreSignUpTriggerEvent>(async (event) => {
  console.log('Calling the CRM to score the sign-up');
  await sleep(5_600);
  event.response.autoConfirmUser = true;
  return event;
});

/** PreTokenGeneration (V1): adds the tenant claim the demo's canary looks for. */
export const tenantClaimPreToken = wrap<PreTokenGenerationTriggerEvent>(async (event) => {
  event.response.claimsOverrideDetails = { claimsToAddOrOverride: { tenant: 'demo-shop' } };
  console.log('Adding tenant claim');
  return event;
});

/** A PreTokenGeneration refactor that forgot the tenant claim. */
export const untaggedPreToken = wrap<PreTokenGenerationTriggerEvent>(async (event) => {
  console.log('Token generation: nothing to add');
  return event;
});
