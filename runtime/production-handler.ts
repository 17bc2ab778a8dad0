/**
 * Production wiring of a Lambda handler module (`export const handler = toProductionHandler(...)`).
 *
 * In Lambda (AWS_LAMBDA_FUNCTION_NAME is set) the handler is built at once, during the init
 * phase: clients are created once per container and a bad or missing config fails the init with
 * the key named. Anywhere else (the CLI and tests import handler modules for `createHandler`) it is
 * built on the first call, so importing the module needs no deployed configuration.
 */
export type LambdaHandler<E, C, R> = (event: E, context: C) => Promise<R>;

export const toProductionHandler = <E, C, R>(
  build: () => LambdaHandler<E, C, R>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): LambdaHandler<E, C, R> => {
  if (env.AWS_LAMBDA_FUNCTION_NAME) return build();
  let built: LambdaHandler<E, C, R> | undefined;
  return (event, context) => {
    built ??= build();
    return built(event, context);
  };
};
