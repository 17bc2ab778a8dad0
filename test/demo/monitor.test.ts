import {
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../alerts/types';
import { startDemoEmulator } from '../../demo/emulator';
import { createDemoMonitor } from '../../demo/monitor';

const emulator = await startDemoEmulator();
afterAll(() => emulator.stop());

describe('the demo on cognito-local answers as Cognito does', () => {
  it('a wrong password is NotAuthorizedException "Incorrect username or password." (cognito-local: InvalidPasswordException)', async () => {
    const refused = await emulator.client
      .send(
        new AdminInitiateAuthCommand({
          UserPoolId: emulator.userPoolId,
          ClientId: emulator.clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: emulator.canaryUsername, PASSWORD: 'Not-the-password-1A' },
        }),
      )
      .then(
        () => undefined,
        (error: Error) => error,
      );

    expect(refused?.name).toBe('NotAuthorizedException');
    expect(refused?.message).toBe('Incorrect username or password.');
  });

  it('pages canary-auth-failed with cause incorrect-credentials when the canary password was changed', async () => {
    const pages: Alert[] = [];
    const monitor = createDemoMonitor({
      emulator,
      sinks: [{ name: 'recording', send: async (alert) => void pages.push(alert) }],
      quietWindowMs: 60_000,
    });
    await emulator.client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: emulator.userPoolId,
        Username: emulator.canaryUsername,
        Password: 'Rotated-by-someone-1A',
        Permanent: true,
      }),
    );

    const run = await monitor.runCanary();

    expect(run.error).toBeUndefined();
    const page = pages.find((alert) => alert.detector === 'canary-auth-failed');
    expect(page?.finding.cause).toBe('incorrect-credentials');
    expect(page?.runbook.id).not.toBe('canary-cause-unknown');
  });
});
