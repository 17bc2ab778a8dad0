/**
 * The MFA step of a canary sign-in: when Cognito answers AdminInitiateAuth with a second-factor
 * challenge, answer `SOFTWARE_TOKEN_MFA` (and `SELECT_MFA_TYPE`, choosing the software token) with
 * a TOTP code from the configured seed. SMS and email codes, and `MFA_SETUP`, cannot be answered by
 * a canary: the step records the challenge and the detectors name the cause.
 *
 * A code is sent once and never retried (a resent code would be refused as reused); a second
 * sign-in in the same 30-second step waits for the next step, inside the run's deadline.
 */
import {
  AdminRespondToAuthChallengeCommand,
  type AdminRespondToAuthChallengeCommandOutput,
  type ChallengeNameType,
} from '@aws-sdk/client-cognito-identity-provider';
import { isMfaChallenge } from '../detectors/canary-cause';
import type { CanaryMfaStep } from '../detectors/canary-observations';
import type { CallOutcome } from './caller';
import type { CycleContext } from './cycle-context';
import { computeSecretHash } from './secret-hash';
import type { TotpCodes } from './totp';

/** The canary user's TOTP factor, as the cycle receives it. */
export interface CanaryTotp {
  /** The base32 seed (never logged: the runner registers it with the scrubber). */
  seed: string;
  /** Codes already sent, per container. */
  codes: TotpCodes;
  /** Key of the seed in `codes` (pool + username). */
  key: string;
  /** Wall-clock time in epoch ms (TOTP counts real time, not the canary's monotonic clock). */
  epochNow: () => number;
}

export interface MfaInput {
  username: string;
  clientSecret?: string;
  totp?: CanaryTotp;
}

/** A challenge as AdminInitiateAuth (or a previous answer) returned it. */
export interface PendingChallenge {
  ChallengeName?: ChallengeNameType | string;
  Session?: string;
  ChallengeParameters?: Record<string, string>;
}

export interface MfaOutcome {
  mfa: CanaryMfaStep;
  /** The last answer's outcome; absent when the canary could not answer at all. */
  response?: CallOutcome<AdminRespondToAuthChallengeCommandOutput>;
}

/** Most rounds of one MFA exchange: SELECT_MFA_TYPE, then SOFTWARE_TOKEN_MFA. */
const MAX_MFA_ROUNDS = 2;

/**
 * Answers an MFA challenge; `undefined` when the challenge is not a second factor. Never throws
 * for Cognito's answers (they are outcomes).
 */
export const answerMfaChallenge = async (
  ctx: CycleContext,
  input: MfaInput,
  first: PendingChallenge,
): Promise<MfaOutcome | undefined> => {
  const challengeName = first.ChallengeName;
  if (challengeName === undefined || !isMfaChallenge(challengeName)) return undefined;
  const mfa: CanaryMfaStep = { challengeName, seedConfigured: input.totp !== undefined, answered: false };
  const { totp } = input;
  if (totp === undefined) return { mfa };

  let pending: PendingChallenge = first;
  let response: MfaOutcome['response'];
  for (let round = 0; round < MAX_MFA_ROUNDS; round += 1) {
    const name = pending.ChallengeName;
    const username =
      pending.ChallengeParameters?.USERNAME ?? pending.ChallengeParameters?.USER_ID_FOR_SRP ?? input.username;
    let answer: Record<string, string>;
    if (name === 'SELECT_MFA_TYPE') {
      answer = { ANSWER: 'SOFTWARE_TOKEN_MFA' };
    } else if (name === 'SOFTWARE_TOKEN_MFA') {
      let taken = totp.codes.take(totp.key, totp.seed, totp.epochNow());
      if ('waitMs' in taken) {
        // This step's code was already used (another client of the same user this step).
        if (ctx.clock.now() + taken.waitMs >= ctx.deadline) return { mfa, ...(response ? { response } : {}) };
        await ctx.clock.sleep(taken.waitMs);
        taken = totp.codes.take(totp.key, totp.seed, totp.epochNow());
        if ('waitMs' in taken) return { mfa, ...(response ? { response } : {}) };
      }
      ctx.scrubber.add(taken.code, 'secret');
      answer = { SOFTWARE_TOKEN_MFA_CODE: taken.code };
      mfa.answered = true;
    } else {
      break;
    }
    const session = pending.Session;
    ctx.scrubber.add(session, 'session');
    response = await ctx.caller.call(
      (signal) =>
        ctx.cognito.send(
          new AdminRespondToAuthChallengeCommand({
            UserPoolId: ctx.target.userPoolId,
            ClientId: ctx.target.clientId,
            ChallengeName: name,
            ...(session === undefined ? {} : { Session: session }),
            ChallengeResponses: {
              USERNAME: username,
              ...answer,
              ...(input.clientSecret === undefined
                ? {}
                : { SECRET_HASH: computeSecretHash(username, ctx.target.clientId, input.clientSecret) }),
            },
          }),
          { abortSignal: signal },
        ),
      // Never resend a code: Cognito refuses one it has seen, so a retry would only hide the cause.
      { retry: name !== 'SOFTWARE_TOKEN_MFA' },
    );
    if (!response.ok || response.value.AuthenticationResult !== undefined) break;
    pending = response.value;
  }
  return { mfa, ...(response === undefined ? {} : { response }) };
};
