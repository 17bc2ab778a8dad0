/**
 * The one structured log line the trigger-contract middleware writes per invocation, and its
 * parser for the log pipeline. Writer (`toContractReport`, `formatContractReport`) and reader
 * (`parseContractReport`) live together so they cannot drift.
 *
 * The record carries the verdict and where it happened, never the event: no user attributes,
 * usernames, codes or tokens.
 */
import * as z from 'zod';
import { isJsonObject } from './json-value';
import { TRIGGERS } from './triggers';
import type { ContractResult } from './validate';

/** Value of the `sentinel` key that marks a contract report. */
export const CONTRACT_REPORT_SENTINEL = 'trigger-contract/v1';

/** The `message` of each verdict. */
export const CONTRACT_REPORT_MESSAGES = {
  ok: 'cognito-sentinel trigger contract ok',
  violated: 'cognito-sentinel trigger contract violated',
  unknown: 'cognito-sentinel trigger contract skipped: unknown triggerSource',
} as const;

const reportedViolationSchema = z.object({
  field: z.string(),
  expected: z.string(),
  actual: z.string(),
  message: z.string(),
  severity: z.literal('warning').optional(),
});

/**
 * The fields of a contract report that carry the verdict. The log reader (logs) reads these
 * only, so a team's logger may rewrite `level` and `message` without hiding the verdict.
 */
export const contractReportFieldsSchema = z.object({
  sentinel: z.literal(CONTRACT_REPORT_SENTINEL),
  trigger: z.enum(TRIGGERS).optional(),
  triggerSource: z.string(),
  userPoolId: z.string().optional(),
  region: z.string().optional(),
  clientId: z.string().optional(),
  requestId: z.string().optional(),
  violations: z.array(reportedViolationSchema),
  unknownTriggerSource: z.literal(true).optional(),
});

/** The contract report record, exactly as the middleware writes it. */
export const contractReportSchema = contractReportFieldsSchema
  .extend({
    level: z.enum(['INFO', 'WARN']),
    message: z.enum([
      CONTRACT_REPORT_MESSAGES.ok,
      CONTRACT_REPORT_MESSAGES.violated,
      CONTRACT_REPORT_MESSAGES.unknown,
    ]),
  })
  .refine((report) => {
    if (report.unknownTriggerSource) {
      return report.message === CONTRACT_REPORT_MESSAGES.unknown && report.violations.length === 0;
    }
    if (report.trigger === undefined) return false;
    return report.violations.length === 0
      ? report.level === 'INFO' && report.message === CONTRACT_REPORT_MESSAGES.ok
      : report.level === 'WARN' && report.message === CONTRACT_REPORT_MESSAGES.violated;
  });

export type ContractReport = z.infer<typeof contractReportSchema>;

/** Where the report happened: taken from the input event and the Lambda context. */
export interface ContractReportInput {
  result: ContractResult;
  /** The event Cognito sent (only `userPoolId`, `region` and `callerContext.clientId` are read). */
  event: unknown;
  /** `context.awsRequestId`. */
  requestId?: string;
}

const stringAt = (container: unknown, key: string): string | undefined => {
  const value = isJsonObject(container) ? container[key] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** Builds the report record for a verdict (key order as written to the log). */
export const toContractReport = ({ result, event, requestId }: ContractReportInput): ContractReport => {
  const known = {
    userPoolId: stringAt(event, 'userPoolId'),
    region: stringAt(event, 'region'),
    clientId: stringAt(isJsonObject(event) ? event.callerContext : undefined, 'clientId'),
    requestId: requestId === '' ? undefined : requestId,
  };
  const where = Object.fromEntries(Object.entries(known).filter(([, value]) => value !== undefined));
  if (result.ok === 'unknown-trigger-source') {
    return {
      level: 'WARN',
      message: CONTRACT_REPORT_MESSAGES.unknown,
      sentinel: CONTRACT_REPORT_SENTINEL,
      triggerSource: result.triggerSource,
      ...where,
      violations: [],
      unknownTriggerSource: true,
    };
  }
  const violations =
    result.ok === true
      ? []
      : result.violations.map(({ field, expected, actual, message, severity }) => ({
          field,
          expected,
          actual,
          message,
          ...(severity === undefined ? {} : { severity }),
        }));
  return {
    level: violations.length === 0 ? 'INFO' : 'WARN',
    message: violations.length === 0 ? CONTRACT_REPORT_MESSAGES.ok : CONTRACT_REPORT_MESSAGES.violated,
    sentinel: CONTRACT_REPORT_SENTINEL,
    trigger: result.trigger,
    triggerSource: result.triggerSource ?? '',
    ...where,
    violations,
  };
};

/** The report as one JSON line; keys left undefined are omitted. */
export const formatContractReport = (report: ContractReport): string => JSON.stringify(report);

/**
 * Recognises a contract report: a parsed JSON value, or a JSON string of one. Returns
 * `undefined` for anything else (including a malformed report).
 */
export const parseContractReport = (value: unknown): ContractReport | undefined => {
  let candidate = value;
  if (typeof value === 'string') {
    if (!value.includes(CONTRACT_REPORT_SENTINEL)) return undefined;
    try {
      candidate = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const parsed = contractReportSchema.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
};
