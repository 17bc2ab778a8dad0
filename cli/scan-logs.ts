/**
 * `cognito-sentinel scan-logs <file|->...`: runs the trigger-log detectors over files.
 *
 * Inputs may be a Lambda subscription event, a decoded subscription message, the output of
 * `aws logs filter-log-events` / `get-log-events`, or plain text with one log line per line.
 * Exit codes: 0 nothing at or above `--fail-on`, 1 found something, 2 bad usage or unreadable input.
 */
import { toAlerts } from '../alerts/to-alerts';
import { toLogGroupMap, toResolveLogGroup } from '../config/trigger-logs-config';
import { runTriggerLogDetectors } from '../detectors';
import type { LogObservation } from '../detectors/observations';
import { DEFAULT_DETECTOR_CONFIG, type Finding, SEVERITIES } from '../detectors/types';
import { parseInputText } from '../logs';
import type { UnreadableInput } from '../logs/types';
import { escapeControl } from '../redaction/escape-control';
import { redact, redactDeep } from '../redaction/redact';
import { ConfigError } from '../runtime/errors';
import { type CommandRun, parseCommandArgs, printUsage } from './command-args';
import { exitCodeFor, FINDING_OUTPUT_OPTIONS, toFindingOutput } from './finding-output';
import { EXIT, UsageError } from './usage-error';

export const SCAN_LOGS_USAGE = `Usage: cognito-sentinel scan-logs <file|->... [options]

Runs the trigger-log detectors over log files. Each input may be a Lambda subscription event
({"awslogs":{"data":...}}), a decoded subscription message, the JSON output of
'aws logs filter-log-events' or 'get-log-events', or plain text with one log line per line.
Use '-' to read standard input.

Options:
  --format json|text        json: one finding per line; text: the report (default on a terminal)
  --log-group NAME          log group for inputs that do not carry one
  --trigger-map GROUP=Trigger  which trigger a log group's function serves (repeatable)
  --fail-on SEVERITY        exit 1 when a finding is at or above it: ${SEVERITIES.join('|')} (default error)
  --slow-threshold-ms N     trigger-slow budget in ms (default ${DEFAULT_DETECTOR_CONFIG.slowThresholdMs})
  -h, --help                show this help

Exit codes: 0 nothing at or above --fail-on, 1 found something, 2 bad usage or unreadable input.`;

export const scanLogs: CommandRun = async (argv, io) => {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      ...FINDING_OUTPUT_OPTIONS,
      'log-group': { type: 'string' },
      'trigger-map': { type: 'string', multiple: true },
      'slow-threshold-ms': { type: 'string' },
    },
    true,
  );
  if (values.help) return printUsage(io, SCAN_LOGS_USAGE);
  const { format, failOn } = toFindingOutput(values, io);
  const detectors = { ...DEFAULT_DETECTOR_CONFIG };
  if (values['slow-threshold-ms'] !== undefined) {
    const ms = Number(values['slow-threshold-ms']);
    if (!Number.isInteger(ms) || ms <= 0 || ms >= detectors.cognitoTimeoutMs) {
      throw new UsageError(
        `--slow-threshold-ms "${values['slow-threshold-ms']}": expected a whole number of ms between 1 and ${detectors.cognitoTimeoutMs - 1}`,
      );
    }
    detectors.slowThresholdMs = ms;
  }
  if (positionals.length === 0)
    throw new UsageError('scan-logs: no input; pass one or more files, or - for stdin');

  let logGroups: ReturnType<typeof toLogGroupMap>;
  try {
    logGroups = toLogGroupMap(values['trigger-map'] ?? []);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const resolveLogGroup = toResolveLogGroup(logGroups);

  const observations: LogObservation[] = [];
  const unreadable: UnreadableInput[] = [];
  const inputErrors: string[] = [];
  let lines = 0;
  for (const name of positionals) {
    let text: string;
    try {
      text = name === '-' ? await io.readStdin() : await io.readFile(name);
    } catch (error) {
      inputErrors.push(
        `${name}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
      continue;
    }
    const parsed = parseInputText(text, {
      name: name === '-' ? 'stdin' : name,
      resolveLogGroup,
      ...(values['log-group'] ? { logGroup: values['log-group'] } : {}),
    });
    if ('error' in parsed) {
      inputErrors.push(parsed.error);
      continue;
    }
    observations.push(...parsed.observations);
    unreadable.push(...parsed.unreadable);
    lines += parsed.stats.lines;
  }

  const findings = runTriggerLogDetectors(observations, { config: detectors, now: new Date() });
  if (format === 'json') {
    for (const finding of findings) io.stdout(`${JSON.stringify(redactDeep(finding))}\n`);
  } else {
    // Sealed alerts are escaped already; escaping again is a no-op that keeps this output safe on its own.
    io.stdout(escapeControl(renderText(findings, lines, unreadable.length)));
  }

  // Log content must not drive the terminal: control characters are shown as escapes (`\x1b`).
  for (const problem of unreadable)
    io.stderr(`warning: ${escapeControl(redact(problem.message), { multiline: false })}\n`);
  for (const message of inputErrors) io.stderr(`error: ${escapeControl(message, { multiline: false })}\n`);
  if (inputErrors.length > 0 || unreadable.some((problem) => problem.scope === 'payload')) return EXIT.usage;
  return exitCodeFor(findings, failOn);
};

const renderText = (findings: readonly Finding[], lines: number, unreadable: number): string => {
  const alerts = toAlerts([...findings]);
  const summary = `Scanned ${lines} log line${lines === 1 ? '' : 's'}: ${findings.length} finding${findings.length === 1 ? '' : 's'} in ${alerts.length} incident${alerts.length === 1 ? '' : 's'}${unreadable ? `, ${unreadable} unreadable (see warnings)` : ''}.\n`;
  if (alerts.length === 0) return summary;
  const rule = `${'='.repeat(78)}\n`;
  return `${summary}\n${alerts.map((alert) => `${rule}${alert.report.trimEnd()}\n`).join('\n')}`;
};

/** The `scan-logs` command, as the CLI loads it. */
export const COMMAND = { run: scanLogs, usage: SCAN_LOGS_USAGE };
