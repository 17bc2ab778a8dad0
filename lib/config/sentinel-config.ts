/**
 * The one configuration of a deployment (sentinel.config.yml): pools to watch and where alerts go.
 * Loaded once per container or CLI run and validated with zod; a bad file fails at start-up with
 * the key path named (e.g. `pools.0.clients.1.clientId: expected an app client id`).
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { alertsConfigSchema } from './alerts-config';
import { poolConfigSchema } from './pool-config';

export class SentinelConfigError extends Error {
  override readonly name = 'SentinelConfigError';
}

export const sentinelConfigSchema = z.strictObject({
  pools: z.array(poolConfigSchema).min(1, 'list at least one user pool'),
  alerts: alertsConfigSchema.default({}),
});

export type SentinelConfig = z.infer<typeof sentinelConfigSchema>;

const formatIssues = (source: string, error: z.ZodError): string =>
  `${source}: ${error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`;

/** Parses YAML or JSON text (JSON is YAML) into a validated config; `source` names the input in errors. */
export const parseSentinelConfig = (text: string, source: string): SentinelConfig => {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    throw new SentinelConfigError(`${source}: not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  const parsed = sentinelConfigSchema.safeParse(raw);
  if (!parsed.success) throw new SentinelConfigError(formatIssues(source, parsed.error));
  return parsed.data;
};
