/**
 * The CLI's one error boundary: whatever a command throws becomes one line on stderr that names
 * what failed and what to do, and an exit code (docs/cli.md). The stack trace is printed only with
 * `--debug`. Everything printed is redacted and stripped of control characters: AWS error messages
 * can quote user names, ARNs with account data, or text from a log line.
 */
import { escapeControl } from '../redaction/escape-control';
import { redact, redactThenClip } from '../redaction/redact';
import {
  type AwsErrorLike,
  asAwsErrorLike,
  errorChainOf,
  httpStatusOf,
  networkCodeOf,
} from '../runtime/aws-error';
import { ConfigError } from '../runtime/errors';
import { EXIT, UsageError } from './usage-error';

/** Longest message the boundary prints, in characters. */
export const MAX_FAILURE_CHARS = 400;

/** What the boundary prints and returns for a thrown value. */
export interface CliFailure {
  /** One line, without the `cognito-sentinel:` prefix and without a line break. */
  message: string;
  exitCode: number;
}

const stringOf = (value: unknown): string => (typeof value === 'string' ? value : '');

const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'TokenRefreshRequired',
]);

const ACCESS_ERRORS = new Set(['AccessDeniedException', 'AccessDenied', 'NotAuthorizedException']);

const NOT_FOUND_ERRORS = new Set([
  'ResourceNotFoundException',
  'UserPoolNotFoundException',
  'NotFoundException',
  'ParameterNotFound',
]);

const DEBUG_HINT = 'run again with --debug for the details';

/** The error's own text on one line (control characters escaped, secrets redacted, clipped). */
const oneLine = (text: string): string =>
  redactThenClip(escapeControl(text.replace(/\s*[\r\n]+\s*/g, ' '), { multiline: false }).trim(), 300, {
    wordBoundary: 20,
  });

/** `Name: message` of an AWS or Node error, on one line. */
const describe = (like: AwsErrorLike): string => {
  const name = stringOf(like.name);
  const message = oneLine(stringOf(like.message));
  if (name === '' || name === 'Error') return message;
  return message === '' ? name : `${name}: ${message}`;
};

/**
 * Maps anything a command threw to its one-line message and exit code. Bad usage, unreadable
 * input and everything that keeps a command from running (no credentials, a pool or log group
 * that does not exist, access denied, AWS or the network failing) exit 2; `command` names the
 * command in the message.
 */
export const toCliFailure = (error: unknown, command: string | undefined): CliFailure => {
  const what = command === undefined ? 'cognito-sentinel' : command;
  // Our own usage messages are written for the terminal (some end with the command list).
  if (error instanceof UsageError) return { message: error.message, exitCode: EXIT.usage };
  const code = stringOf(asAwsErrorLike(error).code);
  // parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown or malformed options.
  if (code.startsWith('ERR_PARSE_ARGS'))
    return { message: oneLine(stringOf(asAwsErrorLike(error).message)), exitCode: EXIT.usage };
  if (error instanceof ConfigError)
    return { message: `${what}: ${oneLine(error.message)}`, exitCode: EXIT.usage };

  const chain = errorChainOf(error);
  const named = (names: ReadonlySet<string>) => chain.find((like) => names.has(stringOf(like.name)));
  const fail = (message: string): CliFailure => ({ message: `${what}: ${message}`, exitCode: EXIT.usage });

  const credentials = named(CREDENTIAL_ERRORS);
  if (credentials !== undefined)
    return fail(
      `no usable AWS credentials (${describe(credentials)}). Set AWS_PROFILE (after 'aws sso login' or 'aws configure'), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then run it again.`,
    );
  const denied = named(ACCESS_ERRORS);
  if (denied !== undefined)
    return fail(
      `AWS refused the request (${describe(denied)}). Use credentials whose IAM policy allows this call, in the account that owns the resource.`,
    );
  const missing = named(NOT_FOUND_ERRORS);
  if (missing !== undefined)
    return fail(
      `${describe(missing)}. Check the id and --region: the resource must exist in the account and region of your credentials.`,
    );
  const network = networkCodeOf(error);
  if (network !== undefined)
    return fail(
      `could not reach AWS (${network}). Check the network, the region, and AWS_ENDPOINT_URL if you set one.`,
    );
  const status = chain.map(httpStatusOf).find((value) => value !== undefined);
  if (status !== undefined && status >= 500)
    return fail(
      `AWS answered HTTP ${status} (${describe(chain[0] ?? {})}): a service-side failure. Try again in a minute; ${DEBUG_HINT}.`,
    );
  if (status !== undefined)
    return fail(`AWS refused the request with HTTP ${status} (${describe(chain[0] ?? {})}); ${DEBUG_HINT}.`);
  return fail(`failed unexpectedly (${describe(chain[0] ?? {})}); ${DEBUG_HINT}.`);
};

/** The stack trace for `--debug`, redacted (a stack's messages can quote input). */
export const toDebugTrace = (error: unknown): string => {
  const parts = errorChainOf(error).map((like) =>
    typeof (like as { stack?: unknown }).stack === 'string'
      ? (like as { stack: string }).stack
      : describe(like),
  );
  return escapeControl(redact(parts.join('\nCaused by: ')));
};
