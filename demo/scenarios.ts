/**
 * The demo's scripted stories. Each plays healthy cycles, breaks one thing the way a real team
 * breaks it, and puts it right again; the monitor must page exactly once per expected incident and
 * resolve each one, with no other page.
 */
import {
  AdminSetUserPasswordCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
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
  /** Run the config audit every cycle (its schedule, sped up). */
  audit?: boolean;
  /**
   * The EventBridge "AWS API Call via CloudTrail" event the bad change (and the fix) would produce
   * in AWS, delivered to the config audit right after the change.
   */
  changeEvent?(emulator: DemoEmulator, phase: 'break' | 'fix'): unknown;
  /**
   * Quiet time after which a trigger-log incident resolves; it must outlast the gap between two
   * bad invocations. Default 1.5 cycle intervals (production default: 15 minutes).
   */
  quietWindowMs?: number;
}

const NEW_PASSWORD = 'Rotated-by-someone-1A';

const DEMO_FLOWS = ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

const setFlows = async (emulator: DemoEmulator, flows: string[]) => {
  await emulator.client.send(
    new UpdateUserPoolClientCommand({
      UserPoolId: emulator.userPoolId,
      ClientId: emulator.clientId,
      ClientName: 'demo-shop-web',
      ExplicitAuthFlows: flows as never,
    }),
  );
};

/**
 * The event EventBridge delivers for an UpdateUserPoolClient call recorded by CloudTrail (the
 * envelope and CloudTrail record fields as AWS documents them; docs/config-audit.md).
 */
export const updateClientTrailEvent = (emulator: DemoEmulator, when: Date, flows: string[]) => ({
  version: '0',
  id: `demo-${when.getTime()}`,
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.cognito-idp',
  account: '123456789012',
  time: when.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  region: 'eu-west-1',
  resources: [],
  detail: {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROADEMOEXAMPLE:jdoe',
      arn: 'arn:aws:sts::123456789012:assumed-role/PlatformAdmin/jdoe',
      accountId: '123456789012',
    },
    eventTime: when.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'cognito-idp.amazonaws.com',
    eventName: 'UpdateUserPoolClient',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '198.51.100.23',
    userAgent: 'console.amazonaws.com',
    requestParameters: {
      userPoolId: emulator.userPoolId,
      clientId: emulator.clientId,
      clientName: 'demo-shop-web',
      explicitAuthFlows: flows,
    },
    responseElements: null,
    requestID: `demo-request-${when.getTime()}`,
    eventID: `demo-event-${when.getTime()}`,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '123456789012',
    eventCategory: 'Management',
  },
});

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
  {
    name: 'client-config-drift',
    summary: 'Someone edits the app client in the console and drops ALLOW_REFRESH_TOKEN_AUTH',
    breakTitle: 'Console edit: demo-shop-web saved without ALLOW_REFRESH_TOKEN_AUTH (CloudTrail sees it)',
    fixTitle: 'The app client’s auth flows are put back',
    breakIt: async (emulator) =>
      setFlows(
        emulator,
        DEMO_FLOWS.filter((flow) => flow !== 'ALLOW_REFRESH_TOKEN_AUTH'),
      ),
    fixIt: async (emulator) => setFlows(emulator, DEMO_FLOWS),
    audit: true,
    changeEvent: (emulator, phase) =>
      updateClientTrailEvent(
        emulator,
        new Date(),
        phase === 'break' ? DEMO_FLOWS.filter((flow) => flow !== 'ALLOW_REFRESH_TOKEN_AUTH') : DEMO_FLOWS,
      ),
    expectedPages: ['config-drift'],
    signUpsPerCycle: 1,
    emulatorNote:
      'cognito-local does not enforce auth flows, so refreshes keep working here; in AWS every app refresh would now fail. The page comes from the config audit, run within seconds by the CloudTrail event. cognito-local has no Lambda API, so trigger wiring checks show as notes.',
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
