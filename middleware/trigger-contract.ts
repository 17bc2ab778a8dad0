/**
 * Middy middleware for trigger authors: validates what the handler returns against Cognito's
 * contract for the event's triggerSource and writes exactly one structured JSON line per
 * invocation that returns (the contract report, see contracts/contract-report.ts), which the
 * monitor's log pipeline recognises by its `sentinel` key. A handler that throws gets no line
 * here: the runtime's own error line covers it.
 *
 * - `observe`: log (WARN on violations) and return the response unchanged.
 * - `enforce`: log, then throw `TriggerContractError` on violations, so the caller's
 *   `UserLambdaValidationException` names the field instead of a vague Cognito error.
 * An unknown triggerSource is logged (WARN, `unknownTriggerSource: true`) and never thrown.
 * The line never includes the event, user attributes, usernames, codes or tokens.
 */
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { formatContractReport, toContractReport } from '../contracts/contract-report';
import { validateTriggerReturn } from '../contracts/validate';
import { TriggerContractError } from './trigger-contract-error';

export const TRIGGER_CONTRACT_MODES = ['observe', 'enforce'] as const;
export type TriggerContractMode = (typeof TRIGGER_CONTRACT_MODES)[number];

export interface TriggerContractOptions {
  /** `observe` logs only; `enforce` also fails the invocation on a violation. */
  mode: TriggerContractMode;
  /** Writes one log line. Default: `console.log`, which Lambda sends to the function's log group. */
  log?: (line: string) => void;
}

const defaultLog = (line: string): void => {
  // The team's own trigger function: stdout is its CloudWatch log stream.
  console.log(line);
};

/**
 * Creates the middleware. Use it last in `.use()` chains that change the response, so it sees
 * what Cognito will receive: `middy(handler).use(triggerContract({ mode: 'observe' }))`.
 */
export const triggerContract = <TEvent = unknown, TResult = unknown>({
  mode,
  log = defaultLog,
}: TriggerContractOptions): MiddlewareObj<TEvent, TResult> => {
  if (!TRIGGER_CONTRACT_MODES.includes(mode)) {
    throw new TypeError(
      `triggerContract: mode must be one of ${TRIGGER_CONTRACT_MODES.join(', ')}, got ${String(mode)}`,
    );
  }
  return {
    name: 'cognito-sentinel-trigger-contract',
    after: (request) => {
      const result = validateTriggerReturn(request.event, request.response);
      const context: Partial<Context> | undefined = request.context;
      const requestId = typeof context?.awsRequestId === 'string' ? context.awsRequestId : undefined;
      log(
        formatContractReport(
          toContractReport({ result, event: request.event, ...(requestId ? { requestId } : {}) }),
        ),
      );
      if (mode === 'enforce' && result.ok === false)
        throw new TriggerContractError(result.trigger, result.violations);
    },
  };
};
