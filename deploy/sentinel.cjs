// osls calls this while it resolves serverless.yml (`${file(./deploy/sentinel.cjs)}`): it reads
// $SENTINEL_CONFIG_FILE, else configs/<stage>.yml when it exists, else sentinel.config.yml, validates it with the same zod schema the
// functions and the CLI use, and returns the per-account pieces of the stack (deploy/stack.ts).
// tsx's scoped require loads the TypeScript sources without touching how osls loads anything else.
const { existsSync } = require('node:fs');
const { join, resolve } = require('node:path');
const tsx = require('tsx/cjs/api');

const serviceDir = join(__dirname, '..');
let cached;

module.exports = async ({ options, resolveConfigurationProperty }) => {
  const service = await resolveConfigurationProperty(['service']);
  const stage = options.stage || (await resolveConfigurationProperty(['provider', 'stage'])) || 'dev';
  const key = `${service}:${stage}:${options.region || ''}`;
  if (cached && cached.key === key) return cached.pieces;

  const { configFilePath, readSentinelConfigFile } = tsx.require('../config/load.ts', __filename);
  const { toStackPieces, FUNCTION_KEYS } = tsx.require('./stack.ts', __filename);
  // configs/<stage>.yml when it exists (one config per account), else sentinel.config.yml.
  const path = configFilePath(undefined, process.env, stage, (file) => existsSync(resolve(serviceDir, file)));
  let pieces;
  try {
    const { config, raw } = readSentinelConfigFile(resolve(serviceDir, path));
    const region = options.region || config.pools[0].region;
    // Functions whose handler file exists get a role (serverless.yml declares the same ones).
    const files = {
      canary: 'canary.ts',
      triggerLogs: 'trigger-logs.ts',
      incidentSweep: 'incident-sweep.ts',
      configAudit: 'config-audit.ts',
    };
    const functions = FUNCTION_KEYS.filter((fn) => existsSync(join(serviceDir, 'functions', files[fn])));
    pieces = toStackPieces(config, raw, { service, stage, region, functions });
  } catch (error) {
    // A config mistake is the operator's to fix: show the keys, not a stack trace.
    if (error && error.name === 'SentinelConfigError') error.stack = `${error.name}: ${error.message}`;
    throw error;
  }
  cached = { key, pieces };
  return pieces;
};
