/**
 * Machine-to-machine tokens: `POST <domain>/oauth2/token` with `grant_type=client_credentials`,
 * the client id and secret as HTTP Basic authentication and the configured scopes, as a service
 * would. A token is verified like the canary's own (aws-jwt-verify: signature, issuer, `client_id`,
 * `token_use`) and must carry every expected scope. Cognito's OAuth errors (`invalid_client`,
 * `invalid_scope`, `unauthorized_client`) are outcomes. The secret and the token never reach the
 * observation.
 *
 * AWS bills each client_credentials token request, so the runner calls this on its own, slower
 * cadence ({@link isM2mDue}).
 */
import type { CanaryM2mTokenObservation, TokenCheckFailure } from '../detectors/canary-observations';
import { budgetOf, type CycleContext, timed } from './cycle-context';
import type { TokenVerifier } from './token-verifier';

/** Default minutes between two token requests of one client. */
export const DEFAULT_M2M_EVERY_MINUTES = 15;

export interface ClientCredentialsInput {
  domainUrl: string;
  clientSecret: string;
  scopes: readonly string[];
  verifier: TokenVerifier;
  fetch: typeof globalThis.fetch;
}

/**
 * Whether a run at `epochMs` is the one of its `everyMinutes` window that requests a token: the
 * first run after each window boundary, for a canary that runs every `scheduleMinutes`. Stateless,
 * so every container agrees.
 */
export const isM2mDue = (epochMs: number, everyMinutes: number, scheduleMinutes: number): boolean => {
  const window = everyMinutes * 60_000;
  return epochMs % window < Math.min(scheduleMinutes, everyMinutes) * 60_000;
};

class OAuthErrorAnswer {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description?: string,
  ) {}
}

export const runClientCredentials = async (
  ctx: CycleContext,
  input: ClientCredentialsInput,
): Promise<CanaryM2mTokenObservation> => {
  const tokenUrl = new URL('/oauth2/token', `${input.domainUrl}/`);
  const basic = Buffer.from(`${ctx.target.clientId}:${input.clientSecret}`).toString('base64');
  ctx.scrubber.add(basic, 'secret');
  const [outcome, durationMs] = await timed(ctx.clock, async () => {
    const answer = await ctx.caller.call(async (signal) => {
      const response = await input.fetch(tokenUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          scope: input.scopes.join(' '),
        }).toString(),
        signal,
      });
      const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      if (response.status >= 500)
        throw Object.assign(new Error(`HTTP ${response.status}`), {
          $metadata: { httpStatusCode: response.status },
        });
      if (!response.ok || typeof body.access_token !== 'string') {
        return new OAuthErrorAnswer(
          response.status,
          typeof body.error === 'string' ? body.error : `HTTP ${response.status} without an access_token`,
          typeof body.error_description === 'string' ? body.error_description : undefined,
        );
      }
      return body.access_token;
    });
    if (!answer.ok) return { outcome: 'error' as const, error: answer.error };
    if (answer.value instanceof OAuthErrorAnswer) {
      return {
        outcome: 'oauth-error' as const,
        status: answer.value.status,
        error: answer.value.error,
        ...(answer.value.description === undefined
          ? {}
          : { description: ctx.scrubber.scrub(answer.value.description) }),
      };
    }
    const token = answer.value;
    ctx.scrubber.add(token, 'jwt');
    const verification = await input.verifier.verify(token, { target: ctx.target, tokenUse: 'access' });
    const failures: TokenCheckFailure[] = [...verification.failures];
    if (verification.payload !== undefined) {
      const granted =
        typeof verification.payload.scope === 'string' ? verification.payload.scope.split(' ') : [];
      const missing = input.scopes.filter((scope) => !granted.includes(scope));
      if (missing.length > 0) {
        failures.push({
          field: 'scope',
          expected: input.scopes.join(' '),
          actual: granted.length === 0 ? 'missing' : granted.join(' '),
          check: 'claim',
        });
      }
    }
    return { outcome: 'token' as const, failures };
  });
  return {
    kind: 'canary-m2m-token',
    target: ctx.target,
    durationMs,
    ...budgetOf(ctx.budgets, 'm2m-token'),
    tokenUrl: `${tokenUrl.origin}${tokenUrl.pathname}`,
    scopes: [...input.scopes],
    result: outcome,
  };
};
