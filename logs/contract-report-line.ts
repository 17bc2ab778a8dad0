/**
 * Recognises the verdict record the trigger-contract middleware writes once per invocation
 * (`{"sentinel":"trigger-contract/v1","trigger":"PreSignUp",...,"violations":[...]}`) and turns it
 * into a `ContractReportObservation`.
 *
 * The writer is contracts/contract-report.ts. This reader is deliberately more lenient than the
 * writer's schema: it ignores `level` and `message`, which a team's own logger may rewrite, and
 * needs only what the detectors read. test/logs/contract-report-line.test.ts proves that every
 * record the middleware writes is read back.
 */
import * as z from 'zod';
import { CONTRACT_REPORT_SENTINEL, contractReportFieldsSchema } from '../contracts/contract-report';
import { TRIGGERS } from '../contracts/triggers';
import type { ContractReportObservation, LogOrigin } from '../detectors/observations';

export { CONTRACT_REPORT_SENTINEL };

/** The verdict fields of a report the detectors can use: one that names its trigger. */
export const contractReportRecordSchema = contractReportFieldsSchema.extend({ trigger: z.enum(TRIGGERS) });

export type ContractReportRecord = z.infer<typeof contractReportRecordSchema>;

/**
 * Reads a contract report, or explains why a record that carries the sentinel is not one.
 * Returns `undefined` for anything without the sentinel.
 */
export const parseContractReportLine = (
  value: unknown,
):
  | { ok: true; report: ContractReportRecord }
  | { ok: false; problem: string }
  | { ok: 'skipped' }
  | undefined => {
  if (
    typeof value !== 'object' ||
    value === null ||
    (value as { sentinel?: unknown }).sentinel !== CONTRACT_REPORT_SENTINEL
  ) {
    return undefined;
  }
  // The middleware saw a triggerSource it does not know: nothing was validated, nothing to read.
  if ((value as { unknownTriggerSource?: unknown }).unknownTriggerSource === true) return { ok: 'skipped' };
  const parsed = contractReportRecordSchema.safeParse(value);
  if (parsed.success) return { ok: true, report: parsed.data };
  const issues = parsed.error.issues.map(
    (issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`,
  );
  return { ok: false, problem: issues.slice(0, 3).join('; ') };
};

/** Maps a contract report to the observation the detectors read. `requestId` from the line wins when the record has none. */
export const toContractReportObservation = (
  report: ContractReportRecord,
  origin: LogOrigin,
  line: string,
  lineRequestId?: string,
): ContractReportObservation => {
  const requestId = report.requestId ?? lineRequestId;
  return {
    kind: 'contract-report',
    origin,
    ...(requestId !== undefined ? { requestId } : {}),
    trigger: report.trigger,
    triggerSource: report.triggerSource,
    ...(report.userPoolId !== undefined ? { userPoolId: report.userPoolId } : {}),
    ...(report.region !== undefined ? { region: report.region } : {}),
    ...(report.clientId !== undefined ? { clientId: report.clientId } : {}),
    violations: report.violations,
    line,
  };
};
