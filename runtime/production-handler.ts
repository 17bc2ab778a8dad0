/**
 * Production wiring of a Lambda handler module (`export const handler = toProductionHandler(...)`).
 *
 * The handler (config validation, clients, caches, the alert path) is built on the first call and
 * kept for the life of the container. Importing the module does no wiring: Lambda's init phase
 * only loads code, the CLI and tests can import a handler module for `createHandler` without a
 * deployed configuration, and a bad or missing config fails the first invocation (and every later
 * one, so it never goes unnoticed) with the key named. A build that throws is not kept: the next
 * invocation tries again.
 */
export type LambdaHandler<E, C, R> = (event: E, context: C) => Promise<R>;

/** The handler `build` returns, built on the first call and reused by every later one. */
export const toProductionHandler = <E, C, R>(build: () => LambdaHandler<E, C, R>): LambdaHandler<E, C, R> => {
  let built: LambdaHandler<E, C, R> | undefined;
  return async (event, context) => {
    built ??= build();
    return built(event, context);
  };
};
