/**
 * PostConfirmation, PreAuthentication, PostAuthentication: Cognito reads no response key, but
 * the function must still return the whole event (to deny, it throws). Only the shape is checked,
 * and that happens in validate.ts for every trigger: the returned value must be the event and its
 * `response` an object. Anything inside `response` is ignored by Cognito, so nothing here can
 * break the contract.
 *
 * Facts: docs/cognito-triggers-and-logs.md.
 */
import type { ResponseCheck } from './response-check';

/** Checks the response of a trigger whose response Cognito does not read: always clean. */
export const checkNoResponse: ResponseCheck = () => [];
