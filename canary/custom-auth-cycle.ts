/**
 * The custom-auth cycle: AdminInitiateAuth with CUSTOM_AUTH for the canary user, then
 * AdminRespondToAuthChallenge with the configured answers until Cognito issues tokens, fails the
 * flow, asks for something else (stalled), or keeps asking past the max-rounds guard (loop). Tokens
 * are revoked afterwards like the password cycle's.
 */
import {
  AdminInitiateAuthCommand,
  type AdminInitiateAuthCommandOutput,
  AdminRespondToAuthChallengeCommand,
  type AdminRespondToAuthChallengeCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CanaryCleanupMethod } from '../config/pool-config';
import type { CanaryCustomAuthObservation } from '../detectors/canary-observations';
import type { CallOutcome } from './caller';
import { endSession } from './cleanup';
import { budgetOf, type CycleContext, timed } from './cycle-context';
import { triggerFunctionsFor } from './enrich';
import { computeSecretHash } from './secret-hash';

export interface CustomAuthCycleInput {
  username: string;
  /** The answers: one answers every challenge; several answer them in order. */
  answers: readonly string[];
  /** True when `answers` came as a list, so running out of it means the flow asked too much. */
  ordered: boolean;
  maxRounds: number;
  clientSecret?: string;
  cleanup: CanaryCleanupMethod;
}

/** Reads the answers secret: a JSON array of strings is a list; anything else is one answer. */
export const parseAnswers = (value: string): { answers: string[]; ordered: boolean } => {
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed) && parsed.length > 0 && parsed.every((item) => typeof item === 'string')) {
      return { answers: parsed, ordered: true };
    }
  } catch {
    // Not JSON: the whole value is the answer.
  }
  return { answers: [value], ordered: false };
};

type Step = AdminInitiateAuthCommandOutput | AdminRespondToAuthChallengeCommandOutput;

export const runCustomAuthCycle = async (
  ctx: CycleContext,
  input: CustomAuthCycleInput,
): Promise<CanaryCustomAuthObservation> => {
  const { target, cognito, caller, clock, scrubber } = ctx;
  for (const answer of input.answers) scrubber.add(answer, 'secret');
  const secretHash = (username: string): Record<string, string> =>
    input.clientSecret === undefined
      ? {}
      : { SECRET_HASH: computeSecretHash(username, target.clientId, input.clientSecret) };

  const challenges: string[] = [];
  let rounds = 0;
  let refreshToken: string | undefined;
  const [result, durationMs] = await timed(
    clock,
    async (): Promise<CanaryCustomAuthObservation['result']> => {
      let outcome: CallOutcome<Step> = await caller.call((signal) =>
        cognito.send(
          new AdminInitiateAuthCommand({
            UserPoolId: target.userPoolId,
            ClientId: target.clientId,
            AuthFlow: 'CUSTOM_AUTH',
            AuthParameters: { USERNAME: input.username, ...secretHash(input.username) },
          }),
          { abortSignal: signal },
        ),
      );
      for (;;) {
        if (!outcome.ok) return { outcome: 'error', error: outcome.error };
        const step = outcome.value;
        scrubber.add(step.Session, 'session');
        if (step.AuthenticationResult !== undefined) {
          scrubber.add(step.AuthenticationResult.IdToken, 'jwt');
          scrubber.add(step.AuthenticationResult.AccessToken, 'jwt');
          scrubber.add(step.AuthenticationResult.RefreshToken, 'refresh-token');
          refreshToken = step.AuthenticationResult.RefreshToken;
          return { outcome: 'tokens' };
        }
        const challenge = step.ChallengeName;
        if (challenge !== undefined) challenges.push(challenge);
        if (challenge !== 'CUSTOM_CHALLENGE' || step.Session === undefined) {
          return challenge === undefined
            ? { outcome: 'stalled' }
            : { outcome: 'stalled', challengeName: challenge };
        }
        if (rounds >= input.maxRounds) return { outcome: 'loop' };
        if (input.ordered && rounds >= input.answers.length) return { outcome: 'no-answer' };
        const answer = input.answers[Math.min(rounds, input.answers.length - 1)] ?? '';
        // Cognito names the user it is challenging; with email sign-in that is the internal username.
        const challenged = step.ChallengeParameters?.USERNAME ?? input.username;
        scrubber.add(challenged, 'username');
        const session = step.Session;
        rounds += 1;
        outcome = await caller.call((signal) =>
          cognito.send(
            new AdminRespondToAuthChallengeCommand({
              UserPoolId: target.userPoolId,
              ClientId: target.clientId,
              ChallengeName: 'CUSTOM_CHALLENGE',
              Session: session,
              ChallengeResponses: { USERNAME: challenged, ANSWER: answer, ...secretHash(challenged) },
            }),
            { abortSignal: signal },
          ),
        );
      }
    },
  );
  if (result.outcome === 'tokens') {
    await endSession(ctx, {
      method: input.cleanup,
      username: input.username,
      ...(refreshToken === undefined ? {} : { refreshToken }),
      ...(input.clientSecret === undefined ? {} : { clientSecret: input.clientSecret }),
    });
  }
  const enrichment = result.outcome === 'error' ? await triggerFunctionsFor(ctx, result.error) : {};
  return {
    kind: 'canary-custom-auth',
    target,
    durationMs,
    ...budgetOf(ctx.budgets, 'custom-auth'),
    rounds,
    maxRounds: input.maxRounds,
    challenges,
    result,
    ...enrichment,
  };
};
