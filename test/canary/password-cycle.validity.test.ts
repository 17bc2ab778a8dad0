import { describe, expect, it } from 'vitest';
import { toClientValidity } from '../../canary/password-cycle';

describe('toClientValidity', () => {
  it.each([
    [{}, { id: 3600, access: 3600 }],
    [
      { IdTokenValidity: 2, AccessTokenValidity: 3 },
      { id: 7200, access: 10_800 },
    ],
    [
      {
        IdTokenValidity: 30,
        AccessTokenValidity: 1,
        TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'days' },
      },
      { id: 1800, access: 86_400 },
    ],
  ] as const)('reads %j as %j seconds', (client, expected) => {
    expect(toClientValidity(client)).toEqual(expected);
  });
});
