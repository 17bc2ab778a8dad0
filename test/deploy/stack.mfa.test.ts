import { describe, expect, it } from 'vitest';
import { parseSentinelConfig } from '../../config/load';
import { FUNCTION_KEYS, listSecretRefs, type StackContext, toRoleStatements } from '../../deploy/stack';

const ctx: StackContext = {
  service: 'cognito-sentinel',
  stage: 'acme',
  region: 'us-east-1',
  functions: FUNCTION_KEYS,
};
const config = (canary: string) =>
  parseSentinelConfig(
    `
pools:
  - userPoolId: us-east-1_Sh0pP00l
    region: us-east-1
    clients: [{ clientId: abc }]
    canary: { username: canary, password: "secretsmanager:cognito-sentinel/canary"${canary} }
`,
    't.yml',
  );

const answersChallenges = (canary: string) =>
  JSON.stringify(toRoleStatements(config(canary), ctx, 'canary')).includes('AdminRespondToAuthChallenge');

describe('the canary role for MFA and USER_AUTH', () => {
  it('may answer auth challenges only when the canary has a TOTP seed or signs in with USER_AUTH', () => {
    expect(answersChallenges('')).toBe(false);
    expect(answersChallenges(', mfa: { totpSecret: "secretsmanager:cognito-sentinel/canary/totp" }')).toBe(
      true,
    );
    expect(answersChallenges(', flow: user-auth')).toBe(true);
  });

  it('lists the TOTP seed among the secrets the canary reads', () => {
    const refs = listSecretRefs(
      config(', mfa: { totpSecret: "secretsmanager:cognito-sentinel/canary/totp" }'),
    );
    expect(refs.map((located) => located.key)).toContain('pools.0.canary.mfa.totpSecret');
  });
});
