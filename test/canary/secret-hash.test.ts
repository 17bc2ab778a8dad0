import { describe, expect, it } from 'vitest';
import { computeSecretHash } from '../../canary/secret-hash';

describe('computeSecretHash', () => {
  it('is Base64(HMAC-SHA256(client secret, username + client id)), checked against Python hmac', () => {
    expect(
      computeSecretHash(
        'sentinel-canary-user',
        '4i2oaatugssocd44d40kb55kni',
        'planted-client-secret-0123456789abcdef',
      ),
    ).toBe('KouNif/Zd2fxLnG+JDFHGnZduth5PvGRaewgi8GcfWE=');
  });
});
