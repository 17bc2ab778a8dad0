import { describe, expect, it } from 'vitest';
import { formatSecretRef, parseSecretRef } from '../../config/secret-ref';

describe('parseSecretRef', () => {
  it.each([
    ['secretsmanager:sentinel/canary', { store: 'secretsmanager', name: 'sentinel/canary' }],
    [
      'secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:canary-AbCdEf#password',
      {
        store: 'secretsmanager',
        name: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:canary-AbCdEf',
        jsonKey: 'password',
      },
    ],
    ['ssm:/sentinel/canary/password', { store: 'ssm', name: '/sentinel/canary/password' }],
    ['env:CANARY_PASSWORD', { store: 'env', name: 'CANARY_PASSWORD' }],
  ])('reads %s', (text, expected) => {
    expect(parseSecretRef(text)).toEqual(expected);
    expect(formatSecretRef(expected as never)).toBe(text);
  });

  it.each([
    ['vault:canary', /"vault:…" is not a secret reference/],
    ['env:not-a-name', /not an environment variable name/],
    ['secretsmanager:#key', /empty secret name/],
  ])('explains %s', (text, message) => {
    expect((parseSecretRef(text) as { error: string }).error).toMatch(message);
  });

  it('never repeats a password pasted where a reference belongs', () => {
    const pasted = 'Tr0ub4dor&3-horse-battery';
    const result = parseSecretRef(pasted) as { error: string };

    expect(result.error).not.toContain(pasted);
    expect(result.error).toContain(`${pasted.length} characters`);
  });
});
