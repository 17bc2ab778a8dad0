/**
 * `cognito-sentinel/testing`: the monitor's trigger contracts and realistic Cognito events for a
 * trigger project's own tests.
 *
 * @example
 * import fc from 'fast-check';
 * import { assertValidResponse, cognitoEvents } from 'cognito-sentinel/testing';
 *
 * await fc.assert(fc.asyncProperty(cognitoEvents.PreSignUp.PreSignUp_ExternalProvider, async (event) => {
 *   assertValidResponse(event, await handler(structuredClone(event)));
 * }));
 */
export { assertValidResponse, TriggerContractError } from './assert-valid-response';
export {
  type CheckTriggerOptions,
  checkTrigger,
  DEFAULT_RUNS,
  INVOCATION_TIMEOUT_MS,
  type Invocation,
  type Invoke,
  MAX_SHRINK_RUNS,
  type SourceResult,
  type TriggerCheckResult,
} from './check-trigger';
export {
  anyCognitoEvent,
  type CognitoEvent,
  type CognitoEventArbitraries,
  cognitoEvents,
  isTestTrigger,
  LAMBDA_CONFIG_KEY,
  TEST_TRIGGERS,
  type TestTrigger,
  TRIGGER_SOURCES,
  type TriggerSourceOf,
} from './cognito-events';
export {
  type InvokeHandlerOptions,
  invokeHandler,
  type LambdaCallback,
  type LambdaContext,
  type LambdaHandler,
} from './invoke-handler';
