/**
 * Reading sentinel.config.yml from disk: for the CLI and for deploy/sentinel.cjs (which osls calls
 * while it resolves serverless.yml). The deployed functions never import this module (it pulls in
 * the YAML parser); they read the JSON copy embedded at package time, see
 * `loadDeployedSentinelConfig` in ./sentinel-config.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../runtime/errors';
import { type SentinelConfig, validateSentinelConfig } from './sentinel-config';

/** Where the CLI and the deployment look for the config when none is named. */
export const DEFAULT_CONFIG_FILE = 'sentinel.config.yml';
/** Variable naming another config file for `osls package|deploy` and the CLI. */
export const CONFIG_FILE_ENV = 'SENTINEL_CONFIG_FILE';

/** A validated config and the object it was parsed from (what gets embedded, before defaults). */
export interface LoadedConfig {
  config: SentinelConfig;
  raw: unknown;
  source: string;
}

/** Parses YAML text (JSON is YAML) into the raw object; throws ConfigError naming `source`. */
export const parseConfigText = (text: string, source: string): unknown => {
  try {
    return parseYaml(text, { prettyErrors: true });
  } catch (error) {
    throw new ConfigError(`${source}: not valid YAML: ${(error as Error).message}`, { cause: error });
  }
};

/** Parses YAML or JSON text into a validated config; `source` names the input in errors. */
export const parseSentinelConfig = (text: string, source: string): SentinelConfig =>
  validateSentinelConfig(parseConfigText(text, source), source);

/** Reads, parses and validates a config file; throws ConfigError naming the file and keys. */
export const readSentinelConfigFile = (
  path: string,
  read: (path: string) => string = (file) => readFileSync(file, 'utf8'),
): LoadedConfig => {
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT'
        ? `${path}: no such file; copy sentinel.config.example.yml to ${DEFAULT_CONFIG_FILE} and fill it in`
        : `${path}: cannot read (${code ?? (error as Error).message})`,
      { cause: error },
    );
  }
  const raw = parseConfigText(text, path);
  return { config: validateSentinelConfig(raw, path), raw, source: path };
};

/** Folder of per-stage configs: `configs/<stage>.yml`, one per account and region. */
export const STAGE_CONFIG_DIR = 'configs';

/** The per-stage config file of a stage (`configs/<stage>.yml`). */
export const stageConfigPath = (stage: string): string => `${STAGE_CONFIG_DIR}/${stage}.yml`;

/**
 * The config file to use: an explicit path, else $SENTINEL_CONFIG_FILE, else `configs/<stage>.yml`
 * when a stage is given and that file exists (one config per account), else ./sentinel.config.yml.
 * `exists` is relative to the same directory the path will be read from.
 */
export const configFilePath = (
  explicit: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  stage?: string,
  exists: (path: string) => boolean = existsSync,
): string => {
  if (explicit) return explicit;
  if (env[CONFIG_FILE_ENV]) return env[CONFIG_FILE_ENV];
  if (stage && exists(stageConfigPath(stage))) return stageConfigPath(stage);
  return DEFAULT_CONFIG_FILE;
};
