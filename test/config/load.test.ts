import { describe, expect, it } from 'vitest';
import { configFilePath } from '../../config/load';

describe('configFilePath', () => {
  const exists = (files: string[]) => (path: string) => files.includes(path);

  it.each([
    [
      'an explicit path first',
      'mine.yml',
      { SENTINEL_CONFIG_FILE: 'env.yml' },
      'acme-prod',
      ['configs/acme-prod.yml'],
      'mine.yml',
    ],
    [
      'then $SENTINEL_CONFIG_FILE',
      undefined,
      { SENTINEL_CONFIG_FILE: 'env.yml' },
      'acme-prod',
      ['configs/acme-prod.yml'],
      'env.yml',
    ],
    [
      "then the stage's own file, one per account",
      undefined,
      {},
      'acme-prod',
      ['configs/acme-prod.yml'],
      'configs/acme-prod.yml',
    ],
    [
      'then sentinel.config.yml when the stage has none',
      undefined,
      {},
      'acme-dev',
      ['configs/acme-prod.yml'],
      'sentinel.config.yml',
    ],
    [
      'sentinel.config.yml without a stage',
      undefined,
      {},
      undefined,
      ['configs/acme-prod.yml'],
      'sentinel.config.yml',
    ],
  ])('takes %s', (_name, explicit, env, stage, files, expected) => {
    expect(configFilePath(explicit, env, stage, exists(files))).toBe(expected);
  });
});
