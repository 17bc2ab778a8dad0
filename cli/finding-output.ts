/**
 * The options and exit code every finding-printing command shares (scan-logs, check), per the
 * CLI contract: `--format json|text` (text by default on a terminal) and `--fail-on SEVERITY`.
 */
import { type Finding, SEVERITIES, SEVERITY_RANK, type Severity } from '../detectors/types';
import { textOrJsonFormat } from './command-args';
import { type CliIo, EXIT, UsageError } from './usage-error';

export type FindingFormat = 'json' | 'text';

/** parseArgs option definitions, spread into a command's own options. */
export const FINDING_OUTPUT_OPTIONS = {
  format: { type: 'string' },
  'fail-on': { type: 'string' },
} as const;

/** Validates `--format` and `--fail-on`; throws UsageError naming the bad value. */
export const toFindingOutput = (
  values: { format?: string | undefined; 'fail-on'?: string | undefined },
  io: Pick<CliIo, 'isTty'>,
): { format: FindingFormat; failOn: Severity } => {
  const format = textOrJsonFormat(values.format, io);
  const failOn = values['fail-on'] ?? 'error';
  if (!(SEVERITIES as readonly string[]).includes(failOn)) {
    throw new UsageError(`--fail-on "${failOn}": expected one of ${SEVERITIES.join(', ')}`);
  }
  return { format, failOn: failOn as Severity };
};

/** 1 when a finding is at or above `failOn`, else 0. */
export const exitCodeFor = (findings: readonly Finding[], failOn: Severity): number =>
  findings.some((finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn]) ? EXIT.found : EXIT.ok;
