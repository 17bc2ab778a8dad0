/**
 * The monitor's trigger contracts as a test assertion: what a handler returned for an event is
 * checked exactly as the trigger-log path checks a logged response.
 */
import { type Violation, validateTriggerReturn } from '../contracts';

/** Thrown by {@link assertValidResponse}: the returned value breaks Cognito's contract. */
export class TriggerContractError extends Error {
  override readonly name = 'TriggerContractError';

  constructor(
    message: string,
    /** Each broken field, with what Cognito expects and what was found (no personal data). */
    readonly violations: readonly Violation[],
    /** The `triggerSource` of the input event. */
    readonly triggerSource: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Throws a {@link TriggerContractError} listing every violation when `returned` (what the handler
 * returned, or passed to its callback, for `input`) is not a response Cognito accepts for the
 * input's `triggerSource`. An input with a `triggerSource` Cognito does not send also throws.
 *
 * @example
 * const input = fc.sample(cognitoEvents.PreSignUp.PreSignUp_SignUp, 1)[0];
 * assertValidResponse(input, await handler(structuredClone(input)));
 */
export function assertValidResponse(input: unknown, returned: unknown): void {
  const result = validateTriggerReturn(input, returned);
  if (result.ok === true) return;
  if (result.ok === 'unknown-trigger-source') {
    throw new TriggerContractError(
      `Unknown triggerSource ${JSON.stringify(result.triggerSource)}: not an event Cognito sends`,
      [],
      result.triggerSource,
    );
  }
  const triggerSource = result.triggerSource ?? '';
  const lines = result.violations.map(
    (violation) => `  - ${violation.field}: expected ${violation.expected}, got ${violation.actual}`,
  );
  throw new TriggerContractError(
    `${result.trigger} response for ${triggerSource} breaks Cognito's contract:\n${lines.join('\n')}`,
    result.violations,
    triggerSource,
  );
}
