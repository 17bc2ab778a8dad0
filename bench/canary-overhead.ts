/**
 * The canary's own overhead against the sum of its API round trips, measured against moto_server in
 * one run (budget in docs/architecture.md: under 15%).
 *
 * One cycle = sign-in, DescribeUserPoolClient, verification of both tokens (aws-jwt-verify, the
 * JWKS fetched once per container, as in Lambda), GetUser, refresh, verification of the new tokens,
 * RevokeToken (not implemented by moto) and the global sign-out fallback, then the detectors and the
 * passed checks. Round trip: the time inside each `client.send` / `fetch` attempt (the SDK's own
 * serialisation and signing count as part of the call). Overhead: the run's wall time minus its
 * round trips (orchestration, SECRET_HASH, token verification, observations, detectors).
 */

import { createCanaryRunner } from '../canary/runner';
import { createSecretResolver } from '../config/secrets';
import { startMoto } from '../demo/local/moto';
import {
  cognitoClient,
  createMotoPool,
  poolConfigFor,
  secretClientEntry,
  secretsManagerClient,
} from '../demo/local/moto-pool';
import { runCanaryDetectors } from '../detectors';
import { DEFAULT_DETECTOR_CONFIG } from '../detectors/types';

export interface CanaryOverheadResult {
  cycles: number;
  roundTrips: number;
  roundTripMs: number;
  totalMs: number;
  overheadMs: number;
  /** overheadMs / roundTripMs. */
  ratio: number;
  findings: number;
}

/** Runs `warmup` unmeasured cycles, then `cycles` measured ones; undefined when moto_server is missing. */
export const runCanaryOverheadBench = async ({
  cycles = 40,
  warmup = 5,
} = {}): Promise<CanaryOverheadResult | undefined> => {
  const moto = await startMoto();
  if (moto === undefined) return undefined;
  try {
    const pool = await createMotoPool(moto.endpoint);
    const runner = createCanaryRunner({
      cognito: () => cognitoClient(moto.endpoint),
      secrets: createSecretResolver({ secretsManager: secretsManagerClient(moto.endpoint) }),
      endpoint: moto.endpoint,
    });
    // Two clients (one with a secret, so SECRET_HASH is computed): two full cycles per run.
    const config = poolConfigFor(pool, { clients: [{ clientId: pool.clientId }, secretClientEntry(pool)] });
    for (let index = 0; index < warmup; index++) await runner.run([config], { timeBudgetMs: 30_000 });
    const totals = { roundTrips: 0, roundTripMs: 0, totalMs: 0, findings: 0 };
    for (let index = 0; index < cycles; index++) {
      const run = await runner.run([config], { timeBudgetMs: 30_000 });
      totals.roundTrips += run.roundTrips.count;
      totals.roundTripMs += run.roundTrips.totalMs;
      // Detection is part of the canary's own overhead, as the handler runs it after each run.
      const detectStarted = performance.now();
      const findings = runCanaryDetectors(run.observations, {
        config: DEFAULT_DETECTOR_CONFIG,
        now: new Date(),
      });
      totals.totalMs += run.durationMs + (performance.now() - detectStarted);
      totals.findings += findings.length;
    }
    const overheadMs = totals.totalMs - totals.roundTripMs;
    return { cycles: cycles * 2, ...totals, overheadMs, ratio: overheadMs / totals.roundTripMs };
  } finally {
    await moto.stop();
  }
};
