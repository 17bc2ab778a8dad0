/**
 * What every canary cycle of one target (pool + app client) works with: the Cognito client, the
 * retrying caller, the scrubber, the clock, the latency budgets, and a place for notes (what the
 * canary had to work around, e.g. RevokeToken missing on moto).
 */
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { CanaryBudgets } from '../config/pool-config';
import type { CanaryStep, CanaryTarget, TriggerFunctions } from '../detectors/canary-observations';
import type { Caller, CanaryClock } from './caller';
import type { Scrubber } from './scrub';

/** The part of the Cognito client the canary uses. */
export type CognitoClient = Pick<CognitoIdentityProviderClient, 'send'>;

/** Something the canary noticed or worked around, for the log and the CLI (never a finding). */
export interface CanaryNote {
  userPoolId: string;
  clientId: string;
  message: string;
}

export interface CycleContext {
  target: CanaryTarget;
  cognito: CognitoClient;
  caller: Caller;
  scrubber: Scrubber;
  clock: CanaryClock;
  budgets: CanaryBudgets;
  /** The run's deadline on `clock.now()`'s scale (waits, such as for a fresh TOTP step, stop short of it). */
  deadline: number;
  note(message: string): void;
  /** The pool's LambdaConfig (DescribeUserPool, once per pool per container), for trigger errors that name a function. */
  triggerFunctions(): Promise<TriggerFunctions | undefined>;
}

const BUDGET_KEYS: Readonly<Record<CanaryStep, keyof CanaryBudgets>> = {
  'sign-in': 'signIn',
  'verify-tokens': 'verifyTokens',
  'get-user': 'getUser',
  refresh: 'refresh',
  'verify-refreshed-tokens': 'verifyTokens',
  'sign-up': 'signUp',
  'custom-auth': 'customAuth',
  'api-probe': 'apiProbe',
  'hosted-ui': 'hostedUi',
  'm2m-token': 'm2mToken',
};

/** `{ budgetMs }` for a step with a configured budget, `{}` otherwise (spread into observations). */
export const budgetOf = (budgets: CanaryBudgets, step: CanaryStep): { budgetMs?: number } => {
  const budgetMs = budgets[BUDGET_KEYS[step]];
  return budgetMs === undefined ? {} : { budgetMs };
};

/** Runs `work` and returns its result with its duration in ms on the canary's clock. */
export const timed = async <T>(clock: CanaryClock, work: () => Promise<T>): Promise<[T, number]> => {
  const started = clock.now();
  const result = await work();
  return [result, clock.now() - started];
};
