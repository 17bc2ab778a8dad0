/**
 * `cognito-sentinel audit`: the configuration audit from a laptop or CI, the code the scheduled
 * function runs.
 *
 *   audit --user-pool-id ID [--region R] [--snapshot-file FILE] [--format json|text] [--fail-on SEVERITY]
 *   audit --config sentinel.config.yml [--snapshot-file FILE] [--format json|text] [--fail-on SEVERITY]
 *
 * With `--snapshot-file`: when the file is absent the run writes the baseline and reports wiring
 * and expectation findings only; otherwise it reports drift against the file, then updates it.
 * Without it, no drift is reported. Exit codes as scan-logs; `--fail-on` defaults to `warning`.
 * The standard credential chain and `AWS_ENDPOINT_URL` (and the per-service variables) are honoured.
 */
import { toAlerts } from '../alerts/to-alerts';
import { createAuditClients } from '../audit/aws-clients';
import type { AuditClients, AuditNote } from '../audit/read-pool';
import { createAuditRunner } from '../audit/runner';
import { createFileSnapshotStore } from '../audit/snapshot-file';
import { SnapshotStoreError } from '../audit/snapshot-store';
import { configFilePath, readSentinelConfigFile } from '../config/load';
import { type PoolConfig, poolConfigSchema, userPoolIdSchema } from '../config/pool-config';
import { runAuditDetectors } from '../detectors';
import { DEFAULT_DETECTOR_CONFIG, type Finding, SEVERITIES } from '../detectors/types';
import { escapeControl } from '../redaction/escape-control';
import { redact, redactDeep } from '../redaction/redact';
import { ConfigError } from '../runtime/errors';
import { type CommandRun, parseCommandArgs, printUsage } from './command-args';
import { exitCodeFor, FINDING_OUTPUT_OPTIONS, toFindingOutput } from './finding-output';
import { UsageError } from './usage-error';

export const AUDIT_USAGE = `Usage: cognito-sentinel audit --user-pool-id ID [options]
       cognito-sentinel audit --config sentinel.config.yml [options]

Audits each pool's configuration: drift against the last snapshot (pool settings, app clients,
domains, triggers, client secret rotation), the expectations the config declares, and trigger
wiring (the function exists, Cognito may invoke it, its timeout fits Cognito's 5 s, its runtime is
supported). Uses the standard AWS credential chain; honours AWS_ENDPOINT_URL.

Options:
  --user-pool-id ID         the pool to audit
  --region R                default: the region in the pool id, else AWS_REGION
  --config FILE             audit every pool of a sentinel.config.yml, with its expectations
  --snapshot-file FILE      compare with the snapshot in FILE, then update it; when FILE is absent,
                            write the baseline (no drift is reported without this option)
  --format json|text        json: one finding per line; text: the report (default on a terminal)
  --fail-on SEVERITY        exit 1 when a finding is at or above it: ${SEVERITIES.join('|')} (default warning)
  -h, --help                show this help

Exit codes: 0 nothing at or above --fail-on, 1 found something, 2 bad usage or unreadable input.`;

const REGION_PREFIX = /^([a-z]{2}(?:-[a-z]+)+-\d)_/;

/** The AWS side of an audit; tests point it at an emulator. */
export interface AuditDeps {
  clients: AuditClients;
  now?: () => Date;
}

/** What one audit found, and the checks it could not run. */
export interface AuditOutcome {
  findings: Finding[];
  notes: AuditNote[];
  /** Pools whose first snapshot this run wrote. */
  baselines: string[];
}

/**
 * Audits pools, with drift against `snapshotFile` when given; shared by `audit` and `check`.
 * Throws UsageError when the snapshot file cannot be read or written.
 */
export const auditPools = async (
  pools: readonly PoolConfig[],
  { clients, now = () => new Date() }: AuditDeps,
  options: { snapshotFile?: string } = {},
): Promise<AuditOutcome> => {
  const store =
    options.snapshotFile === undefined ? undefined : createFileSnapshotStore(options.snapshotFile);
  const started = now();
  try {
    // A snapshot file that is there but unreadable is bad input, not a degraded check.
    if (store !== undefined) await store.existed();
  } catch (error) {
    if (error instanceof SnapshotStoreError) throw new UsageError(`--snapshot-file ${error.message}`);
    throw error;
  }
  const runner = createAuditRunner({ clients, ...(store === undefined ? {} : { store }) });
  const run = await runner.run(pools, {
    now: started,
    drift: store !== undefined,
    // The CLI reports each change once, then the file is the new baseline.
    holdMs: 0,
  });
  const findings = runAuditDetectors(run.observations, { config: DEFAULT_DETECTOR_CONFIG, now: started });
  return { findings, notes: run.notes, baselines: run.baselines };
};

const optional = (value: string | boolean | undefined): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

/** The pools the options name: one from --user-pool-id, or every pool of --config. */
export const toAuditPools = (
  values: Readonly<Record<string, string | boolean | undefined>>,
  env: Readonly<Record<string, string | undefined>>,
): PoolConfig[] => {
  const userPoolId = optional(values['user-pool-id']);
  const configFile = optional(values.config);
  if (userPoolId !== undefined && configFile !== undefined)
    throw new UsageError('audit: give --user-pool-id or --config, not both');
  if (userPoolId === undefined && configFile === undefined)
    throw new UsageError(`audit: --user-pool-id or --config is required\n\n${AUDIT_USAGE}`);
  if (configFile !== undefined) {
    if (optional(values.region) !== undefined)
      throw new UsageError(
        'audit: --region goes with --user-pool-id; with --config each pool names its region',
      );
    try {
      return readSentinelConfigFile(configFilePath(configFile, env)).config.pools;
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(`audit: --config ${error.message}`);
      throw error;
    }
  }
  const poolId = userPoolIdSchema.safeParse(userPoolId);
  if (!poolId.success) throw new UsageError(`audit: --user-pool-id: ${poolId.error.issues[0]?.message}`);
  const region =
    optional(values.region) ??
    REGION_PREFIX.exec(poolId.data)?.[1] ??
    env.AWS_REGION ??
    env.AWS_DEFAULT_REGION;
  if (region === undefined)
    throw new UsageError('audit: --region is required for a pool id without a region prefix');
  const parsed = poolConfigSchema.safeParse({ userPoolId: poolId.data, region });
  if (!parsed.success)
    throw new UsageError(
      `audit: ${parsed.error.issues.map((issue) => `--${issue.path.join('.') === 'region' ? 'region' : 'user-pool-id'}: ${issue.message}`).join('; ')}`,
    );
  return [parsed.data];
};

const renderText = (pools: readonly PoolConfig[], outcome: AuditOutcome): string => {
  const alerts = toAlerts([...outcome.findings]);
  const names = pools.map((pool) => pool.userPoolId).join(', ');
  const summary =
    outcome.findings.length === 0
      ? `Config audit of ${names}: nothing found.`
      : `Config audit of ${names}: ${outcome.findings.length} finding${outcome.findings.length === 1 ? '' : 's'} in ${alerts.length} incident${alerts.length === 1 ? '' : 's'}.`;
  if (alerts.length === 0) return `${summary}\n`;
  const rule = `${'='.repeat(78)}\n`;
  return `${summary}\n\n${alerts.map((alert) => `${rule}${alert.report.trimEnd()}\n`).join('\n')}`;
};

/** The stderr lines of an audit: one per baseline written and per check that could not run. */
export const auditStderrLines = (outcome: AuditOutcome, snapshotFile: string | undefined): string[] => [
  ...outcome.baselines.map(
    (pool) =>
      `baseline: wrote the first snapshot of ${pool} to ${snapshotFile ?? 'the snapshot store'}; drift is reported from the next run`,
  ),
  ...outcome.notes.map((note) =>
    escapeControl(`note: ${note.userPoolId}: ${note.check} could not run: ${redact(note.message)}`, {
      multiline: false,
    }),
  ),
];

export const audit: CommandRun<AuditDeps> = async (
  argv,
  io,
  deps = { clients: createAuditClients(io.env) },
) => {
  const { values } = parseCommandArgs(argv, {
    'user-pool-id': { type: 'string' },
    region: { type: 'string' },
    config: { type: 'string' },
    'snapshot-file': { type: 'string' },
    ...FINDING_OUTPUT_OPTIONS,
  });
  if (values.help) return printUsage(io, AUDIT_USAGE);
  const { format, failOn } = toFindingOutput({ ...values, 'fail-on': values['fail-on'] ?? 'warning' }, io);
  const pools = toAuditPools(values, io.env);
  const snapshotFile = optional(values['snapshot-file']);
  const outcome = await auditPools(pools, deps, snapshotFile === undefined ? {} : { snapshotFile });

  if (format === 'json') {
    for (const finding of outcome.findings) io.stdout(`${JSON.stringify(redactDeep(finding))}\n`);
  } else {
    io.stdout(escapeControl(renderText(pools, outcome)));
  }
  for (const line of auditStderrLines(outcome, snapshotFile)) io.stderr(`${line}\n`);
  return exitCodeFor(outcome.findings, failOn);
};

/** The `audit` command, as the CLI loads it. */
export const COMMAND = { run: audit, usage: AUDIT_USAGE };
