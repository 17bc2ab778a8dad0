/**
 * The protected-API probe: calls the configured URL with the canary's fresh token, the way an app
 * would, and records the status. Only the origin and path reach the observation (a query string
 * may carry secrets); the token never does.
 */
import type { CanaryApiProbeObservation } from '../detectors/canary-observations';
import { budgetOf, type CycleContext, timed } from './cycle-context';

export interface ApiProbeConfig {
  url: string;
  method: 'GET' | 'HEAD' | 'POST';
  token: 'access' | 'id';
  scheme: 'bearer' | 'raw';
}

/** `https://api.example.com/orders` for `https://api.example.com/orders?key=...`. */
export const toProbeLocation = (url: string): string => {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
};

export const runApiProbe = async (
  ctx: CycleContext,
  probe: ApiProbeConfig,
  token: string,
  fetchFn: typeof globalThis.fetch,
): Promise<CanaryApiProbeObservation> => {
  const authorization = probe.scheme === 'bearer' ? `Bearer ${token}` : token;
  const [outcome, durationMs] = await timed(ctx.clock, () =>
    ctx.caller.call(async (signal) => {
      const response = await fetchFn(probe.url, {
        method: probe.method,
        headers: { authorization, accept: 'application/json' },
        redirect: 'manual',
        signal,
      });
      // The body is not needed; release the connection.
      await response.body?.cancel().catch(() => undefined);
      return response.status;
    }),
  );
  return {
    kind: 'canary-api-probe',
    target: ctx.target,
    durationMs,
    ...budgetOf(ctx.budgets, 'api-probe'),
    url: toProbeLocation(probe.url),
    method: probe.method,
    tokenUse: probe.token,
    result: outcome.ok
      ? { outcome: 'status', status: outcome.value }
      : { outcome: 'error', error: outcome.error },
  };
};
