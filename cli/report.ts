/**
 * `cognito-sentinel report --stage S [--since 7d] [--format md|text]`: the weekly report from the
 * deployed stage's own table (run records, incidents, silences), the same one the weekly schedule
 * publishes to the alert topic.
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDbRunRecords } from '../alerts/run-records';
import { REPORT_FORMATS, type ReportFormat, toWeeklyReport } from '../alerts/weekly-report';
import { awsClientOptions } from '../runtime/aws-client-options';
import { incidentTableName, parseDuration } from './silence';
import { type CliIo, EXIT, UsageError } from './usage-error';

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
  dynamodb?: (region: string) => Pick<DynamoDBClient, 'send'>;
  now?: () => Date;
}

export const report = async (argv: readonly string[], io: CliIo, deps: ReportDeps = {}): Promise<number> => {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      stage: { type: 'string' },
      since: { type: 'string' },
      format: { type: 'string' },
      region: { type: 'string' },
      table: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${REPORT_USAGE}\n`);
    return EXIT.ok;
  }
  const format = values.format ?? 'text';
  if (!(REPORT_FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format "${format}": expected text or md`);
  if (values.stage === undefined && values.table === undefined)
    throw new UsageError("report needs --stage (or --table): the report reads the deployed stage's table");
  const span = parseDuration(values.since ?? '7d');
  if (span === undefined || span <= 0)
    throw new UsageError(`--since "${values.since}": expected a duration such as 7d or 24h`);
  const now = (deps.now ?? (() => new Date()))();
  const region = values.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const endpoint = io.env.AWS_ENDPOINT_URL_DYNAMODB ?? io.env.AWS_ENDPOINT_URL;
  const client = (
    deps.dynamodb ??
    ((r) =>
      new DynamoDBClient({
        ...awsClientOptions('incidentStore'),
        region: r,
        ...(endpoint ? { endpoint } : {}),
      }))
  )(region);
  const records = createDynamoDbRunRecords({
    client,
    tableName: values.table ?? incidentTableName(values.stage ?? ''),
  });
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
