/**
 * `cognito-sentinel report --stage S [--since 7d] [--format md|text]`: the weekly report from the
 * deployed stage's own table (run records, incidents, silences), the same one the weekly schedule
 * publishes to the alert topic.
 */
import { createDynamoDbRunRecords } from '../alerts/run-records';
import { REPORT_FORMATS, type ReportFormat, toWeeklyReport } from '../alerts/weekly-report';
import { type CommandRun, parseCommandArgs, printUsage } from './command-args';
import {
  type DynamoDbFactory,
  INCIDENT_TABLE_OPTIONS,
  incidentTableIn,
  requireStageOrTable,
} from './incident-table';
import { parseDuration } from './silence';
import { EXIT, UsageError } from './usage-error';

export const REPORT_USAGE = `Usage: cognito-sentinel report --stage NAME [--since 7d] [--format text|md]

Prints the report of the deployed stage from its own table: sign-in success rate per pool and
app client, latency p50/p95 per step with a sparkline, incidents opened and resolved with time to
resolve, trigger findings by detector, configuration changes and silences used. The weekly
schedule publishes the same report (Markdown) to the alert topic.

Options:
  --stage NAME        the deployed stage (its table is cognito-sentinel-<stage>-incidents)
  --since DURATION    how far back: 7d (default), 24h, 30d (records are kept 35 days)
  --format text|md    aligned text (default) or Markdown
  --region REGION     the deployment's region (default: AWS_REGION, else us-east-1)
  --table NAME        the incident table instead of cognito-sentinel-<stage>-incidents
  -h, --help          show this help

Needs dynamodb:Scan on the table. Exit codes: 0 printed, 2 bad usage.`;

/** Clients for tests. */
export interface ReportDeps {
  dynamodb?: DynamoDbFactory;
  now?: () => Date;
}

export const report: CommandRun<ReportDeps> = async (argv, io, deps = {}) => {
  const { values } = parseCommandArgs(argv, {
    since: { type: 'string' },
    ...INCIDENT_TABLE_OPTIONS,
  });
  if (values.help) return printUsage(io, REPORT_USAGE);
  const format = values.format ?? 'text';
  if (!(REPORT_FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format "${format}": expected text or md`);
  requireStageOrTable(
    values,
    "report needs --stage (or --table): the report reads the deployed stage's table",
  );
  const span = parseDuration(values.since ?? '7d');
  if (span === undefined || span <= 0)
    throw new UsageError(`--since "${values.since}": expected a duration such as 7d or 24h`);
  const now = (deps.now ?? (() => new Date()))();
  const records = createDynamoDbRunRecords(incidentTableIn(values, io, deps.dynamodb));
  const since = new Date(now.getTime() - span);
  const data = await records.read(since);
  io.stdout(
    toWeeklyReport(
      { ...data, since, now, ...(values.stage === undefined ? {} : { stage: values.stage }) },
      format as ReportFormat,
    ),
  );
  return EXIT.ok;
};

/** The `report` command, as the CLI loads it. */
export const COMMAND = { run: report, usage: REPORT_USAGE };
