/**
 * The monitor's exceptions. They mean broken infrastructure or bad input (a config key, a
 * destination that cannot be reached); expected outcomes (a finding, a failed check) are values.
 * Every exception extends {@link SentinelError}: `name` is the class, `code` a stable kebab-case id
 * for logs and metrics, `cause` the underlying error when there is one.
 */

/** Base of every exception the monitor throws on purpose. */
export abstract class SentinelError extends Error {
  /** A stable id of the kind of failure (`config`, `alert-delivery`, ...), for logs and metrics. */
  abstract readonly code: string;
}

/**
 * A bad configuration value or command-line input. The message names the key, variable or option
 * and what is wrong with it (`alerts.pagerDuty.routingKey: expected secretsmanager:NAME ...`); it
 * never repeats a value that may be a secret.
 */
export class ConfigError extends SentinelError {
  override readonly name = 'ConfigError';
  readonly code = 'config';
  /** The config key, variable or option at fault, when one is known. */
  readonly key: string | undefined;

  constructor(message: string, options: { key?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.key = options.key;
  }
}

/** A one-line description of any thrown value: `Name: message`, or the message for a plain Error. */
export const describeError = (error: unknown): string => {
  if (error instanceof Error)
    return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
};
