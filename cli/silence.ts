/**
 * `cognito-sentinel silence --stage S --pool ID [--detector D] [--client C] --for 2h --reason "..."`,
 * `silence list --stage S`, `silence end ID --stage S`.
 *
 * Sets, lists and ends silences in the deployed stage's incident table (your AWS credentials; the
 * deployed functions read the same item). While a silence holds, the monitor still records and
 * counts findings about the pool but holds their pages; a held page goes out when the silence ends
 * if the incident is still open.
 */
import { randomUUID } from 'node:crypto';
import {
  createDynamoDbSilenceStore,
  isSilenceActive,
  MAX_SILENCE_MS,
  type Silence,
  type SilenceStore,
  silenceEnd,
} from '../alerts/silences';
import { DETECTOR_IDS } from '../detectors/types';
import { escapeControl } from '../redaction/escape-control';
import { redactThenClip } from '../redaction/redact';
import { type CommandRun, parseCommandArgs, printUsage, textOrJsonFormat } from './command-args';
import {
  type DynamoDbFactory,
  INCIDENT_TABLE_OPTIONS,
  type IncidentTableValues,
  openIncidentTable,
  requireStageOrTable,
} from './incident-table';
import { type CliIo, EXIT, UsageError } from './usage-error';

export const SILENCE_USAGE = `Usage:
  cognito-sentinel silence --stage NAME --pool ID [--detector ID] [--client ID] --for DURATION --reason TEXT
  cognito-sentinel silence list --stage NAME [--all]
  cognito-sentinel silence end ID --stage NAME

Holds the pages about one pool (optionally one detector, one app client) for a while, e.g. during a
planned Cognito change. Findings are still recorded and counted; a held page goes out when the
silence ends if the incident is still open, and the page says it was held. A silence never hides
the monitor's own alarms.

Options:
  --stage NAME        the deployed stage (its table is cognito-sentinel-<stage>-incidents)
  --pool ID           the user pool to silence (required)
  --detector ID       only this detector
  --client ID         only this app client
  --for DURATION      how long: 30m, 2h, 1d, 1h30m (at most 14d)
  --reason TEXT       why (kept with the silence, shown in the log and the next page)
  --by NAME           who (default: $USER)
  --all               list: include silences that ended (kept 35 days)
  --region REGION     the deployment's region (default: AWS_REGION, else the first pool's region)
  --table NAME        the incident table instead of cognito-sentinel-<stage>-incidents
  --format json|text  text (default on a terminal) or JSON
  -h, --help          show this help

Exit codes: 0 done, 1 silence end: no silence has that id, 2 bad usage. Uses the standard AWS
credential chain.`;

/** Clients for tests; the default is a real client with the CLI's budgets. */
export interface SilenceDeps {
  dynamodb?: DynamoDbFactory;
  newId?: () => string;
  now?: () => Date;
}

export { incidentTableName } from '../alerts/incident-store';

const UNITS_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;

/** `2h`, `30m`, `1d`, `1h30m` in ms; `undefined` when it is not a duration. */
export const parseDuration = (text: string): number | undefined => {
  const match = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/.exec(text.trim());
  if (match === null || text.trim() === '') return undefined;
  const [, d = '0', h = '0', m = '0'] = match;
  return Number(d) * UNITS_MS.d + Number(h) * UNITS_MS.h + Number(m) * UNITS_MS.m;
};

const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

const describeSilence = (silence: Silence, now: Date): string => {
  const scope = [
    `pool ${silence.userPoolId}`,
    ...(silence.detector === undefined ? [] : [`detector ${silence.detector}`]),
    ...(silence.clientId === undefined ? [] : [`client ${silence.clientId}`]),
  ].join(', ');
  const end = new Date(silenceEnd(silence)).toISOString();
  const state = isSilenceActive(silence, now)
    ? `active until ${end}`
    : silence.endedAt !== undefined
      ? `ended ${silence.endedAt} by ${silence.endedBy ?? 'unknown'}`
      : `ended ${end}`;
  return `${silence.id}  ${scope}  ${state}  set by ${silence.createdBy} at ${silence.createdAt}: ${escapeControl(silence.reason, { multiline: false })}`;
};

export const silence: CommandRun<SilenceDeps> = async (argv, io, deps = {}) => {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      pool: { type: 'string' },
      detector: { type: 'string' },
      client: { type: 'string' },
      for: { type: 'string' },
      reason: { type: 'string' },
      by: { type: 'string' },
      all: { type: 'boolean' },
      config: { type: 'string' },
      ...INCIDENT_TABLE_OPTIONS,
    },
    true,
  );
  if (values.help) return printUsage(io, SILENCE_USAGE);
  const format = textOrJsonFormat(values.format, io);
  const [action = 'set', id, ...extra] = positionals;
  if (!['set', 'list', 'end'].includes(action) || extra.length > 0)
    throw new UsageError(`silence: unexpected "${positionals.join(' ')}"; expected list, end ID, or options`);
  requireStageOrTable(
    values,
    "silence needs --stage (or --table): silences live in the deployed stage's incident table",
  );
  const now = (deps.now ?? (() => new Date()))();
  const store = openStore(values, io, deps);

  if (action === 'list') {
    const all = (await store.list()).filter((s) => values.all === true || isSilenceActive(s, now));
    if (format === 'json') for (const s of all) io.stdout(`${JSON.stringify(s)}\n`);
    else
      io.stdout(
        all.length === 0
          ? 'No silence in force.\n'
          : `${all.map((s) => describeSilence(s, now)).join('\n')}\n`,
      );
    return EXIT.ok;
  }

  const by = redactThenClip(values.by ?? io.env.USER ?? io.env.USERNAME ?? 'unknown', 80);
  if (action === 'end') {
    if (id === undefined) throw new UsageError('silence end needs the silence id (see silence list)');
    const ended = await store.end(id, by, now);
    if (ended === undefined) {
      io.stderr(`cognito-sentinel: no silence has the id ${escapeControl(id, { multiline: false })}\n`);
      return EXIT.found;
    }
    io.stdout(format === 'json' ? `${JSON.stringify(ended)}\n` : `Ended: ${describeSilence(ended, now)}\n`);
    return EXIT.ok;
  }

  if (values.pool === undefined || !POOL_ID.test(values.pool))
    throw new UsageError(
      'silence needs --pool with a user pool id (region_id): a silence always names one pool',
    );
  if (values.detector !== undefined && !(DETECTOR_IDS as readonly string[]).includes(values.detector))
    throw new UsageError(`--detector "${values.detector}": expected one of ${DETECTOR_IDS.join(', ')}`);
  const span = values.for === undefined ? undefined : parseDuration(values.for);
  if (span === undefined || span <= 0 || span > MAX_SILENCE_MS)
    throw new UsageError('silence needs --for with a duration such as 30m, 2h or 1d (at most 14d)');
  const reason = values.reason?.trim();
  if (reason === undefined || reason === '')
    throw new UsageError('silence needs --reason: say why, for whoever is on call');
  const created: Silence = {
    id: `s-${(deps.newId ?? randomUUID)().replace(/-/g, '').slice(0, 10)}`,
    userPoolId: values.pool,
    ...(values.detector === undefined ? {} : { detector: values.detector }),
    ...(values.client === undefined ? {} : { clientId: values.client }),
    startsAt: now.toISOString(),
    endsAt: new Date(now.getTime() + span).toISOString(),
    reason: redactThenClip(escapeControl(reason, { multiline: false }), 200),
    createdBy: by,
    createdAt: now.toISOString(),
  };
  await store.add(created);
  io.stdout(
    format === 'json'
      ? `${JSON.stringify(created)}\n`
      : `Silenced: ${describeSilence(created, now)}\nEnd it early with: npx cognito-sentinel silence end ${created.id} --stage ${values.stage ?? '<stage>'}\n`,
  );
  return EXIT.ok;
};

const openStore = (values: IncidentTableValues, io: CliIo, deps: SilenceDeps): SilenceStore =>
  createDynamoDbSilenceStore(openIncidentTable(values, io, deps.dynamodb));

/** The `silence` command, as the CLI loads it. */
export const COMMAND = { run: silence, usage: SILENCE_USAGE };
