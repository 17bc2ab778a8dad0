/**
 * What the commands that operate on the deployed stage's incident table (`ack`, `silence`,
 * `report`) share: their table options, the `--format json|text` choice, the `--stage`/`--table`
 * requirement, and a client for the table in the deployment's region.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { incidentTableName } from '../alerts/incident-store';
import { configFilePath, readSentinelConfigFile } from '../config/load';
import { awsClientOptions } from '../runtime/aws-client-options';
import { type CliIo, UsageError } from './usage-error';

/** `parseArgs` options every incident-table command takes. */
export const INCIDENT_TABLE_OPTIONS = {
  stage: { type: 'string' },
  region: { type: 'string' },
  table: { type: 'string' },
  format: { type: 'string' },
} as const;

/** The table options once parsed. */
export interface IncidentTableValues {
  stage?: string;
  table?: string;
  region?: string;
  config?: string;
}

/** A DynamoDB client for a region; tests pass one bound to moto. */
export type DynamoDbFactory = (region: string) => Pick<DynamoDBClient, 'send'>;

/** Refuses (usage error, with `why`) when neither `--stage` nor `--table` names the table. */
export const requireStageOrTable = (values: IncidentTableValues, why: string): void => {
  if (values.stage === undefined && values.table === undefined) throw new UsageError(why);
};

/**
 * The deployed stage's incident table (or `--table`) and a client in its region: `--region`, else
 * AWS_REGION, else `fallbackRegion()`, else us-east-1. Honours AWS_ENDPOINT_URL(_DYNAMODB).
 */
export const incidentTableIn = (
  values: IncidentTableValues,
  io: CliIo,
  dynamodb: DynamoDbFactory | undefined,
  fallbackRegion: () => string | undefined = () => undefined,
): { client: Pick<DynamoDBClient, 'send'>; tableName: string } => {
  const region =
    values.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? fallbackRegion() ?? 'us-east-1';
  const endpoint = io.env.AWS_ENDPOINT_URL_DYNAMODB ?? io.env.AWS_ENDPOINT_URL;
  const client = (
    dynamodb ??
    ((r) =>
      new DynamoDBClient({
        ...awsClientOptions('incidentStore'),
        region: r,
        ...(endpoint ? { endpoint } : {}),
      }))
  )(region);
  return { client, tableName: values.table ?? incidentTableName(values.stage ?? '') };
};

/**
 * {@link incidentTableIn} with the first pool's region in the config as the fallback region.
 * Shared by the commands that operate on the table and take `--config`.
 */
export const openIncidentTable = (
  values: IncidentTableValues,
  io: CliIo,
  dynamodb?: DynamoDbFactory,
): { client: Pick<DynamoDBClient, 'send'>; tableName: string } =>
  incidentTableIn(values, io, dynamodb, () => firstPoolRegion(values.config, io, values.stage));

/** The first pool's region from the config, when one is readable here (it may well not be). */
const firstPoolRegion = (
  file: string | undefined,
  io: CliIo,
  stage: string | undefined,
): string | undefined => {
  try {
    return readSentinelConfigFile(configFilePath(file, io.env, stage)).config.pools[0]?.region;
  } catch {
    return undefined;
  }
};
