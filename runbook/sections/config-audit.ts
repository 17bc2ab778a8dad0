/**
 * Sections for the configuration audit: drift from the last snapshot, unmet expectations, and
 * trigger wiring that Cognito cannot use.
 */
import type { ConfigChange, Finding } from '../../detectors/types';
import {
  addCognitoPermission,
  type CommandContext,
  describeUserPool,
  describeUserPoolClient,
  getFunctionConfiguration,
  getPolicy,
  lookupCloudTrail,
  sentinelAudit,
  updateTimeout,
} from '../commands';
import { wiringStep } from '../steps';
import type { RunbookSection, Step } from '../types';

const describeFieldStep = (c: CommandContext, finding: Finding): Step =>
  finding.field?.startsWith('clients.') || finding.clientId !== undefined
    ? {
        text: 'Read the app client as it is now.',
        command: describeUserPoolClient(c, 'UserPoolClient'),
      }
    : { text: 'Read the pool as it is now.', command: describeUserPool(c, 'UserPool') };

/** The change CloudTrail recorded for this finding, when the audit ran because of one. */
const recordedChange = (change: ConfigChange | undefined): Step[] =>
  change === undefined
    ? []
    : [
        {
          text: `CloudTrail recorded the change: ${change.eventName}${change.resource === undefined ? '' : ` (${change.resource})`} by ${change.principal} at ${change.eventTime}${change.source === undefined ? '' : `, from ${change.source}`}${change.via === undefined ? '' : ` via ${change.via}`}.`,
        },
      ];

const changeHistorySteps = (c: CommandContext): Step[] => [
  { text: 'Who changed the pool, and when.', command: lookupCloudTrail(c, 'UpdateUserPool') },
  { text: 'Who changed an app client, and when.', command: lookupCloudTrail(c, 'UpdateUserPoolClient') },
];

const UPDATE_WARNING =
  'Revert through the infrastructure code that owns the pool, so the next deploy does not undo the fix. `update-user-pool` and `update-user-pool-client` reset every setting you leave out to its default; never use them for a one-field change.';

const auditVerify = (_finding: Finding, c: CommandContext): Step[] => [
  {
    text: 'Run the config audit against the last snapshot; the finding should not come back (an accepted change becomes the new baseline after one run).',
    command: sentinelAudit(c),
  },
];

/** `config-drift`. */
export const CONFIG_DRIFT_SECTION: RunbookSection = {
  id: 'config-drift',
  title: 'A watched pool or app-client setting changed',
  meaning:
    'A setting the audit watches (callback URLs, allowed auth flows, OAuth scopes, token validity, triggers, domain, client secret) differs from the last snapshot. The finding names the field in AWS API terms, with its value before and after. A client secret is compared by a keyed fingerprint; the secret itself is never stored or shown. The change may be intended; the page exists so that nobody learns about it from broken sign-ins.',
  firstTenMinutes: (finding, c) => {
    return [
      {
        text: `Changed: \`${finding.field ?? 'unknown field'}\`, from ${finding.before ?? 'unknown'} to ${finding.after ?? 'unknown'}.`,
      },
      ...recordedChange(finding.change),
      describeFieldStep(c, finding),
      ...changeHistorySteps(c),
      {
        text: 'Match the change to a deploy or change request. No match means someone changed production by hand.',
      },
    ];
  },
  likelyCauses: [
    'A deploy of the pool’s infrastructure code (intended, or a default that changed underneath).',
    'A hand edit in the console.',
    'An `update-user-pool` or `update-user-pool-client` call that reset settings it did not mention.',
  ],
  fix: () => [
    { text: 'If the change was intended, accept it: the next audit snapshot becomes the new baseline.' },
    { text: 'If not, revert it.' },
    { text: UPDATE_WARNING },
  ],
  verify: auditVerify,
};

/** `config-expectation-failed`. */
export const CONFIG_EXPECTATION_FAILED_SECTION: RunbookSection = {
  id: 'config-expectation-failed',
  title: 'A pool or app client does not meet a declared expectation',
  meaning:
    'The deployment config declares how the pool and its clients must be set up (for example: ALLOW_REFRESH_TOKEN_AUTH enabled, access tokens valid 60 minutes, PreSignUp wired), and the live configuration does not match. The finding names the field, the expected value and the actual one.',
  firstTenMinutes: (finding, c) => {
    return [
      {
        text: `Expected \`${finding.field ?? 'unknown field'}\` to be ${finding.expected ?? 'unknown'}, found ${finding.actual ?? 'unknown'}.`,
      },
      ...recordedChange(finding.change),
      describeFieldStep(c, finding),
      ...changeHistorySteps(c),
    ];
  },
  likelyCauses: [
    'The live setting drifted (see config-drift).',
    'The expectation is out of date after an intended change.',
    'The monitor is looking at the wrong pool, client or region.',
  ],
  fix: () => [
    {
      text: 'Fix whichever side is wrong: the pool (through its infrastructure code) or the expectation in the deployment config.',
    },
    { text: UPDATE_WARNING },
  ],
  verify: auditVerify,
};

/** `trigger-wiring-broken`. */
export const TRIGGER_WIRING_BROKEN_SECTION: RunbookSection = {
  id: 'trigger-wiring-broken',
  title: 'A trigger points at a function Cognito cannot use',
  meaning:
    'The pool’s LambdaConfig names a trigger function that does not exist (`function-missing`), that Cognito is not allowed to invoke for this pool (`permission-missing`), whose timeout cannot fit Cognito’s 5-second wait (`timeout-over-limit`), whose runtime Lambda has deprecated (`runtime-deprecated`), or a custom sender trigger without its KMS key (`kms-key-missing`). Callers of the affected operation get UnexpectedLambdaException, for example `PreSignUp invocation failed due to error AccessDeniedException.`',
  firstTenMinutes: (finding, c) => {
    return [
      ...(finding.cause === undefined ? [] : [{ text: `Cause: \`${finding.cause}\`.` }]),
      ...recordedChange(finding.change),
      wiringStep(c),
      {
        text: 'Does the function exist, and what is its timeout? ResourceNotFoundException means it was deleted while still wired.',
        command: getFunctionConfiguration(c),
      },
      {
        text: 'Does its resource policy let `cognito-idp.amazonaws.com` invoke it, with this pool’s ARN as the source?',
        command: getPolicy(c),
      },
      ...changeHistorySteps(c),
    ];
  },
  likelyCauses: [
    'The function was deleted or recreated (a stack teardown, a rename) while the pool still points at it; recreating it does not restore the permission.',
    'The trigger was set through the API or infrastructure code: only the console adds the invoke permission by itself.',
    'A cross-account function without a permission for this pool.',
    'A function timeout above 5 seconds (Cognito gives up first) or at Lambda’s default of 3 seconds.',
  ],
  fix: (_finding, c) => {
    return [
      {
        text: 'Grant Cognito permission to invoke the function, scoped to this pool.',
        command: addCognitoPermission(c),
      },
      {
        text: 'If the function is gone, redeploy it (and its permission) or remove the trigger through the pool’s infrastructure code.',
      },
      {
        text: 'Set the timeout to fit the wait.',
        command: updateTimeout(c, 5),
      },
    ];
  },
  verify: auditVerify,
};
