/**
 * Local stand-ins for AWS parts the tests and `npm start`'s demo run against: a Lambda Invoke API
 * that runs our own handlers and records their log lines as Lambda writes them, and cognito-local
 * (a Cognito emulator that invokes those handlers as triggers).
 */
export {
  COGNITO_LOCAL_TRIGGERS,
  type CognitoLocal,
  CognitoLocalError,
  type CognitoLocalOptions,
  type CognitoLocalTrigger,
  cognitoLocalClientConfig,
  resolveCognitoLocalBin,
  startCognitoLocal,
} from './cognito-local';
export {
  DEFAULT_FUNCTION_TIMEOUT_MS,
  DEFAULT_MEMORY_SIZE_MB,
  type LambdaInvokeServer,
  type LambdaInvokeServerOptions,
  type LambdaLogBatch,
  type LambdaLogListener,
  type LocalFunction,
  LocalFunctionConfigError,
  MAX_REQUEST_BYTES,
  startLambdaInvokeServer,
} from './lambda-invoke-server';
export {
  type LambdaErrorDocument,
  type LambdaTimeoutDocument,
  type ReportFields,
  toApplicationLine,
  toEndLine,
  toErrorDocument,
  toInvokeErrorLine,
  toReportLine,
  toStartLine,
  toTimeoutMessage,
} from './lambda-log-lines';
