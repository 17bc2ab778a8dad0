/**
 * Runs the canary for every configured pool and app client: pools side by side, clients of a pool
 * one after another (they share the canary user, and one client's clean-up must not revoke the
 * other's session), then the pool's optional cycles. One pool's or client's failure never stops the
 * others: a secret that cannot be read or an unexpected error becomes a `problem` for that target.
 *
 * Built once per container: Cognito clients per region, the secret cache, the JWKS cache and the
 * LambdaConfig cache live as long as the runner. Runs of one runner must not overlap (Lambda runs
 * one invocation per container at a time).
 */

import type { AppClientConfig, CanaryUserConfig, PoolConfig } from '../config/pool-config';
import type { SecretRef } from '../config/secret-ref';
import type { SecretResolver } from '../config/secrets';
import type { CanaryObservation, CanaryTarget } from '../detectors/canary-observations';
import { perRegion } from '../runtime/per-region';
import type { ApiProbeConfig } from './api-probe';
import { regionOfSecret } from './aws-clients';
import {
  type CanaryClock,
  createCaller,
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
  systemClock,
} from './caller';
import { isM2mDue, runClientCredentials } from './client-credentials';
import { parseAnswers, runCustomAuthCycle } from './custom-auth-cycle';
import type { CanaryNote, CognitoClient, CycleContext } from './cycle-context';
import { createLambdaConfigCache } from './enrich';
import { type HostedUiNetwork, runHostedUiProbe, toDomainUrl } from './hosted-ui-probe';
import type { CanaryTotp } from './mfa';
import { runPasswordCycle } from './password-cycle';
import { createScrubber, type Scrubber } from './scrub';
import { runSignUpCycle } from './sign-up-cycle';
import { createTokenVerifier, type TokenVerifierOptions, toIssuer } from './token-verifier';
import { createTotpCodes } from './totp';

/** A target the canary could not check at all (its secret could not be read, or it crashed). */
export interface CanaryProblem {
  userPoolId: string;
  clientId?: string;
  /** Names the key or reference and what went wrong; never a secret value. */
  message: string;
  error: unknown;
}

/**
 * What one run saw. The caller turns the observations into findings with `runCanaryDetectors`
 * and into passed checks with `toCanaryPassed`, as the trigger-log path does with its batch.
 */
export interface CanaryRunResult {
  observations: CanaryObservation[];
  notes: CanaryNote[];
  problems: CanaryProblem[];
  /** Every API round trip of the run (Cognito calls, JWKS fetches, the API probe). */
  roundTrips: { count: number; totalMs: number };
  /** Wall time of the whole run, in ms. */
  durationMs: number;
}

export interface CanaryRunOptions {
  /** How long the run may take, in ms; retries stop short of it. */
  timeBudgetMs: number;
  /**
   * When to request machine-to-machine tokens: `due` (default) on each client's own cadence
   * (`clientCredentials.everyMinutes`), `always` on every run (`check`).
   */
  m2m?: 'due' | 'always';
}

export interface CanaryRunner {
  run(pools: readonly PoolConfig[], options: CanaryRunOptions): Promise<CanaryRunResult>;
}

export interface CanaryRunnerDeps {
  /** The Cognito client of a region; the runner asks once per region. */
  cognito: (region: string) => CognitoClient;
  /** Reads the canary's secrets; per region when a function (a secret named by name lives in its pool's region). */
  secrets: SecretResolver | ((region: string) => SecretResolver);
  /** Cognito endpoint of an emulator (AWS_ENDPOINT_URL); unset for AWS. */
  endpoint?: string;
  /** Overrides of the token verifier (tests: a JWKS loader). */
  verifier?: Omit<TokenVerifierOptions, 'endpoint' | 'onRoundTrip' | 'fetch'>;
  fetch?: typeof globalThis.fetch;
  clock?: CanaryClock;
  /** Wall-clock time in epoch ms, for TOTP codes, certificate expiry and the M2M cadence. Default `Date.now`. */
  epochNow?: () => number;
  /** Minutes between two scheduled runs (the M2M cadence counts from it). Default 1. */
  scheduleMinutes?: number;
  /** DNS and TLS for the hosted UI probe (tests inject). */
  network?: HostedUiNetwork;
}

const retryPolicyOf = (pool: PoolConfig): RetryPolicy => ({
  maxAttempts: pool.canary?.retry?.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts,
  baseDelayMs: pool.canary?.retry?.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
  maxDelayMs: pool.canary?.retry?.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
  attemptTimeoutMs: pool.canary?.retry?.attemptTimeoutMs ?? DEFAULT_RETRY_POLICY.attemptTimeoutMs,
});

const describeProblem = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

export const createCanaryRunner = (deps: CanaryRunnerDeps): CanaryRunner => {
  const clock = deps.clock ?? systemClock;
  const fetchFn = deps.fetch ?? globalThis.fetch;
  const cognitoOf = perRegion(deps.cognito);
  const roundTrips = { count: 0, totalMs: 0 };
  const onRoundTrip = (ms: number) => {
    roundTrips.count += 1;
    roundTrips.totalMs += ms;
  };
  const verifier = createTokenVerifier({
    ...deps.verifier,
    ...(deps.endpoint === undefined ? {} : { endpoint: deps.endpoint }),
    fetch: fetchFn,
    onRoundTrip,
  });
  const lambdaConfig = createLambdaConfigCache();
  const totpCodes = createTotpCodes();
  const epochNow = deps.epochNow ?? Date.now;
  const scheduleMinutes = deps.scheduleMinutes ?? 1;
  let m2mMode: NonNullable<CanaryRunOptions['m2m']> = 'due';
  const readSecret = (ref: SecretRef, region: string): Promise<string> =>
    (typeof deps.secrets === 'function' ? deps.secrets(regionOfSecret(ref, region)) : deps.secrets).get(ref);

  const runPool = async (
    pool: PoolConfig,
    /** The config key of the pool (`pools.0`), for messages. */
    key: string,
    deadline: number,
    out: { observations: CanaryObservation[]; notes: CanaryNote[]; problems: CanaryProblem[] },
  ): Promise<void> => {
    const canary = pool.canary;
    const cognito = cognitoOf(pool.region);
    const firstClient = pool.clients[0];
    const clientById = (id: string | undefined): AppClientConfig | undefined =>
      id === undefined ? firstClient : pool.clients.find((client) => client.clientId === id);

    let password: string | undefined;
    try {
      password = canary === undefined ? undefined : await readSecret(canary.password, pool.region);
    } catch (error) {
      out.problems.push({
        userPoolId: pool.userPoolId,
        message: `${key}.canary.password: ${describeProblem(error)}`,
        error,
      });
      return;
    }

    let totpSeed: string | undefined;
    if (canary?.mfa !== undefined) {
      try {
        totpSeed = await readSecret(canary.mfa.totpSecret, pool.region);
      } catch (error) {
        out.problems.push({
          userPoolId: pool.userPoolId,
          message: `${key}.canary.mfa.totpSecret: ${describeProblem(error)}`,
          error,
        });
        return;
      }
    }
    const totp: CanaryTotp | undefined =
      totpSeed === undefined
        ? undefined
        : { seed: totpSeed, codes: totpCodes, key: `${pool.userPoolId}/${canary?.username}`, epochNow };

    const contextFor = (client: AppClientConfig, scrubber: Scrubber): CycleContext => {
      const target: CanaryTarget = {
        userPoolId: pool.userPoolId,
        clientId: client.clientId,
        region: pool.region,
        ...(pool.name === undefined ? {} : { poolName: pool.name }),
      };
      const caller = createCaller({ policy: retryPolicyOf(pool), deadline, clock, scrubber, onRoundTrip });
      return {
        target,
        cognito,
        caller,
        scrubber,
        clock,
        budgets: canary?.budgetsMs ?? {},
        deadline,
        note: (message) =>
          out.notes.push({
            userPoolId: pool.userPoolId,
            clientId: client.clientId,
            message: scrubber.scrub(message),
          }),
        triggerFunctions: () => lambdaConfig(cognito, caller, pool.userPoolId, pool.region),
      };
    };

    /** Resolves the client's secret and runs `work`; failures become problems of this client. */
    const withClient = async (
      client: AppClientConfig | undefined,
      what: string,
      work: (ctx: CycleContext, clientSecret: string | undefined) => Promise<void>,
    ) => {
      if (client === undefined) return;
      const scrubber = createScrubber();
      scrubber.add(password, 'password');
      scrubber.add(canary?.username, 'username');
      scrubber.add(totpSeed, 'secret');
      let clientSecret: string | undefined;
      try {
        clientSecret = client.secret === undefined ? undefined : await readSecret(client.secret, pool.region);
      } catch (error) {
        out.problems.push({
          userPoolId: pool.userPoolId,
          clientId: client.clientId,
          message: `${key}.clients.${pool.clients.indexOf(client)}.secret: ${describeProblem(error)}`,
          error,
        });
        return;
      }
      scrubber.add(clientSecret, 'secret');
      try {
        await work(contextFor(client, scrubber), clientSecret);
      } catch (error) {
        out.problems.push({
          userPoolId: pool.userPoolId,
          clientId: client.clientId,
          message: `${what} crashed: ${scrubber.scrub(describeProblem(error))}`,
          error,
        });
      }
    };

    const runUserCycles = async (canary: CanaryUserConfig, password: string) => {
      const probeClient = clientById(canary.apiProbe?.clientId);
      for (const client of pool.clients) {
        await withClient(client, 'the sign-in cycle', async (ctx, clientSecret) => {
          const apiProbe: ApiProbeConfig | undefined =
            canary.apiProbe !== undefined && probeClient === client ? canary.apiProbe : undefined;
          out.observations.push(
            ...(await runPasswordCycle(ctx, {
              username: canary.username,
              password,
              ...(clientSecret === undefined ? {} : { clientSecret }),
              flow: canary.flow ?? 'admin-user-password',
              ...(totp === undefined ? {} : { totp }),
              cleanup: canary.cleanup,
              ...(client.expect === undefined ? {} : { expect: client.expect }),
              ...(apiProbe === undefined ? {} : { apiProbe }),
              verifier,
              fetch: fetchFn,
            })),
          );
        });
      }

      const customAuth = canary.customAuth;
      if (customAuth !== undefined) {
        await withClient(
          clientById(customAuth.clientId),
          'the custom-auth cycle',
          async (ctx, clientSecret) => {
            let answers: ReturnType<typeof parseAnswers>;
            try {
              answers = parseAnswers(await readSecret(customAuth.answers, pool.region));
            } catch (error) {
              out.problems.push({
                userPoolId: pool.userPoolId,
                clientId: ctx.target.clientId,
                message: `${key}.canary.customAuth.answers: ${describeProblem(error)}`,
                error,
              });
              return;
            }
            out.observations.push(
              await runCustomAuthCycle(ctx, {
                username: canary.username,
                ...answers,
                maxRounds: customAuth.maxRounds,
                ...(clientSecret === undefined ? {} : { clientSecret }),
                cleanup: canary.cleanup,
              }),
            );
          },
        );
      }

      const signUp = canary.signUp;
      if (signUp !== undefined) {
        await withClient(clientById(signUp.clientId), 'the sign-up cycle', async (ctx, clientSecret) => {
          out.observations.push(
            await runSignUpCycle(ctx, {
              expectConfirmed: signUp.expectConfirmed,
              usernameTemplate: signUp.usernameTemplate,
              ...(signUp.attributes === undefined ? {} : { attributes: signUp.attributes }),
              ...(signUp.clientMetadata === undefined ? {} : { clientMetadata: signUp.clientMetadata }),
              ...(clientSecret === undefined ? {} : { clientSecret }),
            }),
          );
        });
      }
    };

    const runOAuthChecks = async () => {
      if (pool.domain === undefined) return;
      const domainUrl = toDomainUrl(pool.domain, pool.region);
      const target = { userPoolId: pool.userPoolId, region: pool.region };
      const discoveryUrl =
        pool.oidcDiscoveryUrl ??
        `${deps.endpoint === undefined ? toIssuer(target) : `${deps.endpoint.replace(/\/+$/, '')}/${pool.userPoolId}`}/.well-known/openid-configuration`;
      const signingKeyId = out.observations.find(
        (observation) => observation.kind === 'canary-token-check' && observation.keyId !== undefined,
      );
      for (const client of pool.clients) {
        const callbackUrls = client.expect?.callbackUrls;
        if (callbackUrls !== undefined) {
          await withClient(client, 'the hosted UI probe', async (ctx) => {
            out.observations.push(
              await runHostedUiProbe(ctx, {
                domainUrl,
                redirectUris: callbackUrls,
                expectedIssuer: toIssuer(target),
                discoveryUrl,
                // An emulator serves no discovery document; AWS always does.
                discoveryOptional: deps.endpoint !== undefined && pool.oidcDiscoveryUrl === undefined,
                ...(signingKeyId?.kind === 'canary-token-check' && signingKeyId.keyId !== undefined
                  ? { signingKeyId: signingKeyId.keyId }
                  : {}),
                fetch: fetchFn,
                ...(deps.network === undefined ? {} : { network: deps.network }),
                epochNow,
              }),
            );
          });
        }
        const m2m = client.clientCredentials;
        if (
          m2m !== undefined &&
          (m2mMode === 'always' || isM2mDue(epochNow(), m2m.everyMinutes, scheduleMinutes))
        ) {
          await withClient(client, 'the client_credentials request', async (ctx, clientSecret) => {
            if (clientSecret === undefined) return;
            out.observations.push(
              await runClientCredentials(ctx, {
                domainUrl,
                clientSecret,
                scopes: m2m.scopes,
                verifier,
                fetch: fetchFn,
              }),
            );
          });
        }
      }
    };

    if (canary !== undefined && password !== undefined) {
      await runUserCycles(canary, password);
    }
    await runOAuthChecks();
  };

  return {
    async run(pools, options) {
      m2mMode = options.m2m ?? 'due';
      const started = clock.now();
      const deadline = started + options.timeBudgetMs;
      roundTrips.count = 0;
      roundTrips.totalMs = 0;
      const perPool = pools.map((pool) => ({
        pool,
        observations: [] as CanaryObservation[],
        notes: [] as CanaryNote[],
        problems: [] as CanaryProblem[],
      }));
      const settled = await Promise.allSettled(
        perPool.map((part, index) => runPool(part.pool, `pools.${index}`, deadline, part)),
      );
      settled.forEach((outcome, index) => {
        const part = perPool[index];
        if (outcome.status === 'rejected' && part !== undefined) {
          part.problems.push({
            userPoolId: part.pool.userPoolId,
            message: `the canary of pool ${part.pool.userPoolId} crashed: ${describeProblem(outcome.reason)}`,
            error: outcome.reason,
          });
        }
      });
      return {
        observations: perPool.flatMap((part) => part.observations),
        notes: perPool.flatMap((part) => part.notes),
        problems: perPool.flatMap((part) => part.problems),
        roundTrips: { ...roundTrips },
        durationMs: clock.now() - started,
      };
    },
  };
};
