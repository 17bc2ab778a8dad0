/**
 * Reading a thrown value the way the AWS SDK and Node shape it: an exception `name`, a `message`,
 * a Node or undici error `code`, a `cause` chain (`fetch failed` hides the socket error in its
 * cause) and the SDK's `$metadata.httpStatusCode`. The canary and the CLI classify failures from
 * these same fields; each decides what a class means for it.
 */

/** The fields of a thrown value that say what failed; any of them may be missing or of another type. */
export interface AwsErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** The thrown value as an {@link AwsErrorLike}; a thrown primitive becomes its message. */
export const asAwsErrorLike = (error: unknown): AwsErrorLike =>
  typeof error === 'object' && error !== null ? (error as AwsErrorLike) : { message: String(error) };

/** The error and its causes, outermost first, at most `maxLength` of them (causes can be cyclic). */
export const errorChainOf = (error: unknown, maxLength = 5): AwsErrorLike[] => {
  const chain: AwsErrorLike[] = [];
  for (let current: unknown = error; current !== undefined && chain.length < maxLength; ) {
    const like = asAwsErrorLike(current);
    chain.push(like);
    current = like.cause;
  }
  return chain;
};

/** Node and undici error codes that mean no answer came back: refused, reset, DNS, timeouts. */
export const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** The first network error code in the error or its causes (up to `maxLength` deep), if any. */
export const networkCodeOf = (error: unknown, maxLength = 5): string | undefined => {
  const code = errorChainOf(error, maxLength).find(
    (like) => typeof like.code === 'string' && NETWORK_ERROR_CODES.has(like.code),
  )?.code;
  return typeof code === 'string' ? code : undefined;
};

/** HTTP status of the response that carried the error, when there was one. */
export const httpStatusOf = (error: unknown): number | undefined => {
  const status = asAwsErrorLike(error).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
};
