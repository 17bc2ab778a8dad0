/**
 * CustomEmailSender and CustomSMSSender: Cognito invokes them asynchronously and discards what
 * they return, so no return value (not even a string, `undefined` or a wrapper) can break the
 * contract. A report here would be a false page; failures of these triggers show up only as
 * function errors in their logs (see the trigger-error detector).
 *
 * Facts: docs/cognito-triggers-and-logs.md.
 */
import type { ResponseCheck } from './response-check';

/** Checks the response of a custom sender: always clean, the return value is unused. */
export const checkCustomSender: ResponseCheck = () => [];
