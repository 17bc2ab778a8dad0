/**
 * The fallback section: used when a finding names a section this runbook does not have, so an alert
 * always carries useful first steps.
 */
import { describeUserPool, lookupCloudTrail, sentinelCheck } from '../commands';
import type { RunbookSection } from '../types';

/** Id of the fallback section. */
export const GENERAL_SECTION_ID = 'general';

/** Generic first steps for any Cognito sign-in incident. */
export const GENERAL_SECTION: RunbookSection = {
  id: GENERAL_SECTION_ID,
  title: 'Cognito sign-in problem (general steps)',
  meaning:
    'The finding names a runbook section this version does not have, so these are the general first steps for a Cognito sign-in incident. The finding’s title and evidence say what was seen.',
  firstTenMinutes: (_finding, c) => {
    return [
      { text: 'See which functions the pool calls for each trigger.', command: describeUserPool(c) },
      { text: 'Recent changes to the pool.', command: lookupCloudTrail(c, 'UpdateUserPool') },
      { text: 'Recent changes to app clients.', command: lookupCloudTrail(c, 'UpdateUserPoolClient') },
    ];
  },
  likelyCauses: [
    'A trigger function that fails, is slow, or answers in the wrong shape.',
    'An app client or pool setting that changed.',
    'Tokens that APIs can no longer verify.',
  ],
  fix: () => [
    { text: 'Roll back the most recent change to the pool, its clients or its trigger functions.' },
  ],
  verify: (_finding, c) => [
    {
      text: 'Run one canary cycle against the pool, with the password reference from the pool’s `canary.password` in sentinel.config.yml.',
      command: sentinelCheck(c),
    },
  ],
};
