/**
 * Thrown by the trigger-contract middleware in `enforce` mode so that Cognito's
 * `UserLambdaValidationException` tells the caller which field broke the contract
 * (`PreSignUp failed with error PreSignUp response invalid: response.autoConfirmUser must be a
 * boolean, got string "true"`). The message holds field paths and value descriptions only, never
 * personal data.
 */
import type { TriggerName } from '../contracts/triggers';
import type { Violation } from '../contracts/violation';
import { SentinelError } from '../runtime/errors';

export class TriggerContractError extends SentinelError {
  override readonly name = 'TriggerContractError';
  readonly code = 'trigger-contract';

  constructor(
    readonly trigger: TriggerName,
    readonly violations: readonly Violation[],
    options?: ErrorOptions,
  ) {
    super(
      `${trigger} response invalid: ${violations.map((violation) => violation.message).join('; ')}`,
      options,
    );
  }
}
