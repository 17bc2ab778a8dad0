/**
 * The demo's scripted stories. Each plays healthy cycles, breaks one thing the way a real team
 * breaks it, and puts it right again; the monitor must page exactly once per expected incident and
 * resolve each one, with no other page.
 */
import { AdminSetUserPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { DetectorId } from '../detectors/types';
import type { DemoEmulator } from './emulator';
import {
  DEMO_PRETOKEN,
  healthyPreSignUp,
  slowPreSignUp,
  stringFlagPreSignUp,
  tenantClaimPreToken,
  throwingPreSignUp,
  untaggedPreToken,
} from './triggers';

export interface Scenario {
  name: string;
  /** What a person sees happen, one line. */
  summary: string;
  /** Headline of the breaking phase. */
  breakTitle: string;
  /** Headline of the repair phase. */
  fixTitle: string;
  /** Applies the bad change. */
  breakIt(emulator: DemoEmulator): Promise<void>;
  /** Puts it right. */
  fixIt(emulator: DemoEmulator): Promise<void>;
  /** Detectors that must page once and resolve once. */
  expectedPages: readonly DetectorId[];
  /** Sign-ups per cycle (slow scenarios keep this low). */
  signUpsPerCycle: number;
  /** A note on what the emulator does differently from Cognito, shown once. */
  emulatorNote?: string;
  /**
   * Quiet time after which a trigger-log incident resolves; it must outlast the gap between two
   * bad invocations. Default 1.5 cycle intervals (production default: 15 minutes).
   */
  quietWindowMs?: number;
}

const NEW_PASSWORD = 'Rotated-by-someone-1A';

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'presignup-string-flag',
    summary: 'A PreSignUp deploy returns autoConfirmUser as the string "true" (the seed incident)',
    breakTitle: 'Deploy: demo-presignup now reads AUTO_CONFIRM from an environment variable (a string)',
    fixTitle: 'Rollback: demo-presignup back to the previous version',
    breakIt: async (emulator) => emulator.deployPreSignUp(stringFlagPreSignUp),
    fixIt: async (emulator) => emulator.deployPreSignUp(healthyPreSignUp),
    expectedPages: ['trigger-response-invalid'],
    signUpsPerCycle: 2,
    emulatorNote:
      'cognito-local confirms the user even with "true"; real Cognito leaves it UNCONFIRMED. The page comes from the trigger logs, as it would in production.',
  },
  {
    name: 'trigger-timeout',
    summary: 'A PreSignUp deploy waits on a slow dependency past Cognito’s 5-second limit',
    breakTitle: 'Deploy: demo-presignup now calls a CRM that answers in 5.6 s',
    fixTitle: 'Rollback: demo-presignup back to the previous version',
    breakIt: async (emulator) => emulator.deployPreSignUp(slowPreSignUp),
    fixIt: async (emulator) => emulator.deployPreSignUp(healthyPreSignUp),
    expectedPages: ['trigger-timeout', 'signup-not-confirmed'],
    signUpsPerCycle: 1,
    // Each bad sign-up takes Cognito’s full 5 s, so occurrences are up to ~6 s apart.
    quietWindowMs: 7_000,
  },
  {
    name: 'trigger-exception',
    summary: 'A PreSignUp deploy throws a TypeError on every sign-up',
    breakTitle: 'Deploy: demo-presignup now expects clientMetadata.allowList',
    fixTitle: 'Rollback: demo-presignup back to the previous version',
    breakIt: async (emulator) => emulator.deployPreSignUp(throwingPreSignUp),
    fixIt: async (emulator) => emulator.deployPreSignUp(healthyPreSignUp),
    expectedPages: ['trigger-error', 'signup-not-confirmed'],
    signUpsPerCycle: 2,
  },
  {
    name: 'pretoken-claim-missing',
    summary: 'A PreTokenGeneration deploy stops adding the tenant claim the apps rely on',
    breakTitle: 'Deploy: demo-pretoken refactored, the tenant claim is gone',
    fixTitle: 'Rollback: demo-pretoken back to the previous version',
    breakIt: async (emulator) => emulator.deploy(DEMO_PRETOKEN, untaggedPreToken),
    fixIt: async (emulator) => emulator.deploy(DEMO_PRETOKEN, tenantClaimPreToken),
    expectedPages: ['token-invalid'],
    signUpsPerCycle: 1,
  },
  {
    name: 'canary-password-changed',
    summary: 'Someone resets the canary user’s password by hand',
    breakTitle: 'An admin sets a new password on the canary user',
    fixTitle: 'The canary password is put back from its secret',
    breakIt: async (emulator) => {
      await emulator.client.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: emulator.userPoolId,
          Username: emulator.canaryUsername,
          Password: NEW_PASSWORD,
          Permanent: true,
        }),
      );
    },
    fixIt: async (emulator) => {
      await emulator.client.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: emulator.userPoolId,
          Username: emulator.canaryUsername,
          Password: emulator.canaryPassword,
          Permanent: true,
        }),
      );
    },
    expectedPages: ['canary-auth-failed'],
    signUpsPerCycle: 1,
  },
];

/** Scenarios from the issue that cognito-local cannot reproduce, and why. */
export const NOT_REPRODUCIBLE: Readonly<Record<string, string>> = {
  'auth-flow-disabled':
    'cognito-local does not enforce an app client’s ExplicitAuthFlows (covered by the canary’s tests with AWS’s exact error)',
  'client-secret-rotated':
    'cognito-local does not check SECRET_HASH (covered by the canary’s tests with AWS’s exact error)',
};

export const DEFAULT_SCENARIO = 'presignup-string-flag';

export const findScenario = (name: string): Scenario | undefined =>
  SCENARIOS.find(
    (scenario) => scenario.name === name || (name === 'seed' && scenario.name === DEFAULT_SCENARIO),
  );
