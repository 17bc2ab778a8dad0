/**
 * custom-auth-failed: the canary's CUSTOM_AUTH cycle (DefineAuthChallenge, CreateAuthChallenge,
 * VerifyAuthChallengeResponse) did not end in tokens.
 *
 * Reads: `canary-custom-auth` observations. `error`: a call failed; the cause comes from the
 * exception and message, with the trigger named from `<Trigger> failed with error ...`
 * (`Incorrect username or password.` after an answer means VerifyAuthChallengeResponse judged it
 * wrong and DefineAuthChallenge failed the flow). `loop`: Cognito kept asking for challenges past
 * the max-rounds guard (`maxRounds`, default 3). `stalled`: Cognito asked for a challenge other than
 * CUSTOM_CHALLENGE, or answered with neither tokens nor a challenge. `no-answer`: the configured
 * answers ran out before the flow ended.
 * Thresholds: `maxRounds` challenges per cycle. Severity: critical for a loop or a stall, by cause
 * (CAUSE_SEVERITY) for errors, error when the configured answers ran out.
 * Known false positives: a stale answer in the configured source (after the canary user's secret
 * answer changed) reads as `incorrect-credentials`; a flow that legitimately asks more rounds than
 * `maxRounds` reads as a loop.
 */
import { toChallengeCause } from './canary-cause';
import {
  CAUSE_SEVERITY,
  canaryDedupKey,
  canaryDetector,
  causeFindingTail,
  causeOfCallError,
  causeRunbook,
  describeCause,
  describeTarget,
  errorEvidence,
  locationOfTarget,
} from './canary-finding';
import type { CanaryCustomAuthObservation } from './canary-observations';
import type { Finding } from './types';

const flowEvidence = (observation: CanaryCustomAuthObservation): string =>
  `Challenges: ${observation.challenges.length === 0 ? 'none' : observation.challenges.join(' → ')} (${observation.rounds} answered, guard ${observation.maxRounds})`;

const toFinding = (observation: CanaryCustomAuthObservation): Finding | undefined => {
  const { result, target } = observation;
  const where = describeTarget(target);
  const base = { detector: 'custom-auth-failed' as const, ...locationOfTarget(target) };
  switch (result.outcome) {
    case 'tokens':
      return undefined;
    case 'loop':
      return {
        ...base,
        severity: 'critical',
        title: `The custom auth flow of ${where} loops: Cognito still asked for a challenge after ${observation.rounds} answers (DefineAuthChallenge never issues tokens or fails)`,
        trigger: 'DefineAuthChallenge',
        field: 'rounds',
        expected: `tokens within ${observation.maxRounds} challenges`,
        actual: `still challenging after ${observation.rounds}`,
        evidence: [flowEvidence(observation)],
        dedupKey: canaryDedupKey('custom-auth-failed', target, 'loop'),
        runbook: 'custom-auth-failed',
      };
    case 'stalled': {
      const challenge = result.challengeName;
      return {
        ...base,
        severity: 'critical',
        title:
          challenge === undefined
            ? `The custom auth flow of ${where} stalls: Cognito answered with neither tokens nor a challenge`
            : `The custom auth flow of ${where} stalls: Cognito asked for ${challenge} instead of CUSTOM_CHALLENGE`,
        trigger: 'DefineAuthChallenge',
        field: 'ChallengeName',
        expected: 'CUSTOM_CHALLENGE or tokens',
        actual: challenge ?? 'nothing',
        ...(challenge === undefined ? {} : { cause: toChallengeCause(challenge) }),
        evidence: [flowEvidence(observation)],
        dedupKey: canaryDedupKey('custom-auth-failed', target, 'stalled'),
        runbook: challenge === undefined ? 'custom-auth-failed' : causeRunbook(toChallengeCause(challenge)),
      };
    }
    case 'no-answer':
      return {
        ...base,
        severity: 'error',
        title: `The custom auth flow of ${where} asked for more challenges than the canary has answers (${observation.rounds} configured)`,
        field: 'rounds',
        expected: `at most ${observation.rounds} challenges`,
        actual: `challenge ${observation.rounds + 1} requested`,
        evidence: [flowEvidence(observation)],
        dedupKey: canaryDedupKey('custom-auth-failed', target, 'no-answer'),
        runbook: 'custom-auth-failed',
      };
    case 'error': {
      const cause = causeOfCallError('custom-auth', result.error, observation);
      const call = observation.rounds === 0 ? 'AdminInitiateAuth CUSTOM_AUTH' : 'AdminRespondToAuthChallenge';
      return {
        ...base,
        severity: CAUSE_SEVERITY[cause.cause],
        title: `The custom auth flow of ${where} ${cause.cause === 'network' ? 'was not tested' : 'fails'}${observation.rounds === 0 ? '' : ` after ${observation.rounds} answer${observation.rounds === 1 ? '' : 's'}`}: ${describeCause(cause, result.error)}`,
        ...causeFindingTail('custom-auth-failed', target, cause, [
          errorEvidence(call, result.error),
          flowEvidence(observation),
        ]),
      };
    }
  }
};

export const customAuthFailed = canaryDetector(
  'custom-auth-failed',
  'canary-custom-auth',
  'The canary’s CUSTOM_AUTH challenge flow failed, stalled or looped instead of issuing tokens.',
  toFinding,
);
