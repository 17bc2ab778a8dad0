import { describe, expect, it } from 'vitest';
import { defaultPasswordName } from '../../cli/canary-password-store';
import { parseSecretRef } from '../../config/secret-ref';

describe('defaultPasswordName', () => {
  it.each([
    ['ssm', 'cognito-sentinel-canary', '/cognito-sentinel/canary/us-east-1_AbC123/cognito-sentinel-canary'],
    [
      'secretsmanager',
      'cognito-sentinel-canary',
      'cognito-sentinel/canary/us-east-1_AbC123/cognito-sentinel-canary',
    ],
    ['ssm', 'canary@example.com', '/cognito-sentinel/canary/us-east-1_AbC123/canary_40example.com'],
  ] as const)('names the %s password of %s after the pool and the user', (kind, username, expected) => {
    expect(defaultPasswordName(kind, 'us-east-1_AbC123', username)).toBe(expected);
  });

  it('gives an email username a name the config accepts as a secret reference', () => {
    const name = defaultPasswordName('ssm', 'us-east-1_AbC123', 'canary+ops@example.com');
    expect(parseSecretRef(`ssm:${name}`)).toEqual({ store: 'ssm', name });
  });
});
