import { describe, expect, it } from 'vitest';
import { toAuditPassed } from '../../detectors/audit-passed';
import {
  baseSnapshot,
  CLIENT_ID,
  clientSection,
  expectationsObservation,
  healthyWiring,
  NOW,
  POOL_ID,
  snapshotObservation,
} from '../fixtures/audit/observations';

describe('toAuditPassed', () => {
  it('passes all drift of a pool read whole, and each met expectation and wiring check by its key', () => {
    const passed = toAuditPassed(
      [
        snapshotObservation(baseSnapshot(), baseSnapshot()),
        expectationsObservation({ mfa: 'OFF', clients: [{ clientId: CLIENT_ID, hasSecret: true }] }),
        healthyWiring(),
      ],
      NOW,
    );
    expect(passed).toEqual(
      expect.arrayContaining([
        `config-drift:${POOL_ID}`,
        `config-expectation-failed:${POOL_ID}:MfaConfiguration`,
        `config-expectation-failed:${POOL_ID}:clients.${CLIENT_ID}.HasSecret`,
        `trigger-wiring-broken:${POOL_ID}:PreSignUp:function-missing`,
        `trigger-wiring-broken:${POOL_ID}:PreSignUp:permission-missing`,
        // Not wired at all: any old wiring incident of this trigger has nothing left to check.
        `trigger-wiring-broken:${POOL_ID}:PostConfirmation`,
      ]),
    );
    expect(passed).not.toContain(`trigger-wiring-broken:${POOL_ID}:PreSignUp`);
  });

  it('passes nothing for a check that failed or could not run', () => {
    const passed = toAuditPassed(
      [
        snapshotObservation(baseSnapshot(), baseSnapshot(), [clientSection]),
        expectationsObservation(
          { mfa: 'ON', clients: [{ clientId: CLIENT_ID, hasSecret: false }] },
          baseSnapshot(),
          [clientSection],
        ),
        healthyWiring({ policy: { outcome: 'unreadable', message: 'AccessDeniedException' } }),
      ],
      NOW,
    );
    expect(passed).not.toContain(`config-drift:${POOL_ID}`);
    expect(passed).not.toContain(`config-drift:${POOL_ID}:clients.${CLIENT_ID}`);
    expect(passed).toContain(`config-drift:${POOL_ID}:Domain`);
    expect(passed).not.toContain(`config-expectation-failed:${POOL_ID}:MfaConfiguration`);
    expect(passed.some((key) => key.includes(`clients.${CLIENT_ID}`))).toBe(false);
    expect(passed).toContain(`trigger-wiring-broken:${POOL_ID}:PreSignUp:function-missing`);
    expect(passed).not.toContain(`trigger-wiring-broken:${POOL_ID}:PreSignUp:permission-missing`);
  });
});
