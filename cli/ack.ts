/**
 * `cognito-sentinel ack <dedup-key> --stage S`: acknowledges an open incident from where an SNS or
 * Chatbot page landed (the page prints this command with its key and stage). Reminders stop until
 * the incident resolves or re-opens; who acknowledged and when are kept on the incident record in
 * the stage's incident table (your AWS credentials).
 */
import { acknowledgeInStore } from '../alerts/acknowledge';
import { createDynamoDbIncidentStore } from '../alerts/incident-store';
import { escapeControl } from '../redaction/escape-control';
import { redactThenClip } from '../redaction/redact';
import { type CommandRun, parseCommandArgs, printUsage, textOrJsonFormat } from './command-args';
import {
  type DynamoDbFactory,
  INCIDENT_TABLE_OPTIONS,
  openIncidentTable,
  requireStageOrTable,
} from './incident-table';
import { EXIT, UsageError } from './usage-error';

export const ACK_USAGE = `Usage:
  cognito-sentinel ack DEDUP_KEY --stage NAME [--by NAME]

Acknowledges an open incident: no more reminders until it resolves or re-opens (a re-opened
incident pages again). Pages sent by SNS email or Chatbot print this command with the incident's
key; PagerDuty incidents are acknowledged in PagerDuty.

Options:
  --stage NAME        the deployed stage (its table is cognito-sentinel-<stage>-incidents)
  --by NAME           who acknowledges (default: $USER)
  --region REGION     the deployment's region (default: AWS_REGION, else the first pool's region)
  --table NAME        the incident table instead of cognito-sentinel-<stage>-incidents
  --format json|text  text (default on a terminal) or JSON
  -h, --help          show this help

Exit codes: 0 acknowledged (or already), 1 no open incident has that key, 2 bad usage or the
table could not be updated. Uses the standard AWS credential chain.`;

/** Clients for tests; the default is a real client with the CLI's budgets. */
export interface AckDeps {
  dynamodb?: DynamoDbFactory;
  now?: () => Date;
}

const oneLine = (text: string): string => escapeControl(text, { multiline: false });

export const ack: CommandRun<AckDeps> = async (argv, io, deps = {}) => {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      by: { type: 'string' },
      config: { type: 'string' },
      ...INCIDENT_TABLE_OPTIONS,
    },
    true,
  );
  if (values.help) return printUsage(io, ACK_USAGE);
  const format = textOrJsonFormat(values.format, io);
  const [key, ...extra] = positionals;
  if (key === undefined || key.trim() === '' || extra.length > 0)
    throw new UsageError('ack needs exactly one incident key (the "Incident" key printed in the page)');
  requireStageOrTable(values, "ack needs --stage (or --table): incidents live in the deployed stage's table");
  const now = (deps.now ?? (() => new Date()))();
  const by = redactThenClip(values.by ?? io.env.USER ?? io.env.USERNAME ?? 'unknown', 80);
  const table = openIncidentTable(values, io, deps.dynamodb);
  const store = createDynamoDbIncidentStore(table);
  const result = await acknowledgeInStore(store, key, by, now);
  const shown = oneLine(key);
  switch (result.outcome) {
    case 'acknowledged': {
      const { acknowledged, episode } = result.next;
      io.stdout(
        format === 'json'
          ? `${JSON.stringify({ dedupKey: result.next.dedupKey, outcome: result.outcome, ...acknowledged })}\n`
          : `Acknowledged incident ${shown} (episode ${episode}) as ${by}: no reminders until it resolves or re-opens.\n`,
      );
      return EXIT.ok;
    }
    case 'already-acknowledged': {
      const { acknowledged } = result.record;
      io.stdout(
        format === 'json'
          ? `${JSON.stringify({ dedupKey: result.record.dedupKey, outcome: result.outcome, ...acknowledged })}\n`
          : `Incident ${shown} was already acknowledged by ${oneLine(acknowledged?.by ?? 'unknown')} at ${acknowledged?.at ?? 'unknown'}.\n`,
      );
      return EXIT.ok;
    }
    case 'not-open':
      io.stderr(
        `cognito-sentinel: incident ${shown} is ${result.record.status} (${oneLine(result.record.resolution ?? 'no reason recorded')}); nothing to acknowledge\n`,
      );
      return EXIT.found;
    case 'not-found':
      io.stderr(`cognito-sentinel: no incident has the key ${shown} in ${table.tableName}\n`);
      return EXIT.found;
    case 'busy':
      io.stderr(
        `cognito-sentinel: incident ${shown} kept changing while it was acknowledged (a run is updating it); try again\n`,
      );
      return EXIT.usage;
  }
};

/** The `ack` command, as the CLI loads it. */
export const COMMAND = { run: ack, usage: ACK_USAGE };
