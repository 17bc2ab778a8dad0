/**
 * The hosted UI (managed login) probe, for a client with expected callback URLs and a pool with a
 * domain. No credentials are needed and nothing is created:
 * 1. `GET <domain>/oauth2/authorize?response_type=code&client_id=...&redirect_uri=...` for each
 *    expected redirect URI, without following redirects: Cognito answers a valid request with a
 *    redirect to its sign-in page (`/login`), a refused one with a redirect carrying `error=`
 *    (`/error?error=redirect_mismatch`);
 * 2. the client's CallbackURLs (DescribeUserPoolClient), so a refusal is shown beside the list;
 * 3. the OIDC discovery document: its `issuer`, and the key ids its `jwks_uri` serves;
 * 4. for a custom domain: DNS resolution and the TLS certificate's expiry.
 * The domain may be an `http://` URL (a local stand-in); DNS and TLS are then skipped.
 */
import { lookup } from 'node:dns/promises';
import { connect } from 'node:tls';
import { DescribeUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import type {
  CanaryHostedUiObservation,
  HostedUiCertificate,
  HostedUiDiscovery,
  HostedUiRedirect,
} from '../detectors/canary-observations';
import { budgetOf, type CycleContext, timed } from './cycle-context';

/** Days before a certificate's expiry that raise `certificate-expiring` (warning). */
export const CERTIFICATE_WARNING_DAYS = 21;
const DAY_MS = 86_400_000;

/**
 * The base URL of a pool's domain: a URL as given (`http://127.0.0.1:8080` for a stand-in), a custom
 * domain's host (`auth.example.com`), or a Cognito prefix (`shop` → `https://shop.auth.<region>.amazoncognito.com`).
 */
export const toDomainUrl = (domain: string, region: string): string => {
  const trimmed = domain.trim().replace(/\/+$/, '');
  if (/^https?:\/\//i.test(trimmed)) return trimmed;
  if (trimmed.includes('.')) return `https://${trimmed}`;
  return `https://${trimmed}.auth.${region}.amazoncognito.com`;
};

/** The host of a custom domain (DNS and TLS are checked), or undefined for a Cognito prefix domain or `http://`. */
export const customDomainHost = (domainUrl: string): string | undefined => {
  const url = new URL(domainUrl);
  if (url.protocol !== 'https:' || url.hostname.endsWith('.amazoncognito.com')) return undefined;
  return url.hostname;
};

/** DNS and TLS, injected so tests need no network. */
export interface HostedUiNetwork {
  /** Resolves when the host has an address. */
  resolve(host: string): Promise<void>;
  /** The `valid_to` date of the certificate the host serves on 443. */
  certificateValidTo(host: string, signal: AbortSignal): Promise<Date>;
}

export const systemNetwork: HostedUiNetwork = {
  resolve: async (host) => {
    await lookup(host);
  },
  certificateValidTo: (host, signal) =>
    new Promise<Date>((resolve, reject) => {
      // Expiry is read even from a certificate the chain check would refuse; that is the point.
      const socket = connect({ host, port: 443, servername: host, rejectUnauthorized: false }, () => {
        const validTo = socket.getPeerCertificate().valid_to;
        socket.end();
        if (validTo === undefined) reject(new Error('no certificate'));
        else resolve(new Date(validTo));
      });
      socket.once('error', reject);
      signal.addEventListener('abort', () => socket.destroy(signal.reason as Error), { once: true });
    }),
};

export interface HostedUiProbeInput {
  /** The domain's base URL ({@link toDomainUrl}). */
  domainUrl: string;
  redirectUris: readonly string[];
  expectedIssuer: string;
  /** Where the discovery document is; undefined skips that check. */
  discoveryUrl?: string;
  /** Whether a discovery document that cannot be read is an emulator's gap (a note) rather than a finding. */
  discoveryOptional?: boolean;
  signingKeyId?: string;
  fetch: typeof globalThis.fetch;
  network?: HostedUiNetwork;
  /** Wall-clock time in epoch ms, for certificate expiry. */
  epochNow: () => number;
}

const toRedirect = (
  redirectUri: string,
  status: number,
  location: string | null,
  base: string,
): HostedUiRedirect => {
  if (status < 300 || status >= 400 || location === null) {
    return { redirectUri, outcome: 'unexpected', status, detail: `HTTP ${status} without a redirect` };
  }
  const target = new URL(location, base);
  const error = target.searchParams.get('error');
  if (error !== null) return { redirectUri, outcome: 'error', status, error };
  if (/\/login$/.test(target.pathname)) return { redirectUri, outcome: 'login', status };
  return {
    redirectUri,
    outcome: 'unexpected',
    status,
    detail: `HTTP ${status} to ${target.origin}${target.pathname}`,
  };
};

const readJson = async (response: Response): Promise<unknown> => {
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
};

export const runHostedUiProbe = async (
  ctx: CycleContext,
  input: HostedUiProbeInput,
): Promise<CanaryHostedUiObservation> => {
  const network = input.network ?? systemNetwork;
  const [observation, durationMs] = await timed(ctx.clock, async () => {
    const redirects: HostedUiRedirect[] = [];
    for (const redirectUri of input.redirectUris) {
      const url = new URL('/oauth2/authorize', `${input.domainUrl}/`);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: ctx.target.clientId,
        redirect_uri: redirectUri,
      }).toString();
      const answer = await ctx.caller.call(async (signal) => {
        const response = await input.fetch(url, { redirect: 'manual', signal });
        await response.body?.cancel().catch(() => undefined);
        return { status: response.status, location: response.headers.get('location') };
      });
      redirects.push(
        answer.ok
          ? toRedirect(redirectUri, answer.value.status, answer.value.location, input.domainUrl)
          : { redirectUri, outcome: 'unreachable', detail: `${answer.error.name}: ${answer.error.message}` },
      );
    }

    const described = await ctx.caller.call((signal) =>
      ctx.cognito.send(
        new DescribeUserPoolClientCommand({
          UserPoolId: ctx.target.userPoolId,
          ClientId: ctx.target.clientId,
        }),
        { abortSignal: signal },
      ),
    );
    const allowedCallbackUrls = described.ok
      ? (described.value.UserPoolClient?.CallbackURLs ?? [])
      : undefined;

    let discovery: HostedUiDiscovery | undefined;
    if (input.discoveryUrl !== undefined) {
      const discoveryUrl = input.discoveryUrl;
      const read = await ctx.caller.call(async (signal) => {
        const document = (await readJson(await input.fetch(discoveryUrl, { signal }))) as {
          issuer?: unknown;
          jwks_uri?: unknown;
        };
        const jwksUri = typeof document.jwks_uri === 'string' ? document.jwks_uri : undefined;
        const jwks =
          jwksUri === undefined
            ? undefined
            : ((await readJson(await input.fetch(jwksUri, { signal }))) as { keys?: { kid?: unknown }[] });
        return { issuer: document.issuer, jwksUri, keys: jwks?.keys };
      });
      if (read.ok) {
        discovery = {
          outcome: 'ok',
          issuer: typeof read.value.issuer === 'string' ? read.value.issuer : 'missing',
          jwksUri: read.value.jwksUri ?? 'missing',
          keyIds: (read.value.keys ?? []).flatMap((key) => (typeof key.kid === 'string' ? [key.kid] : [])),
        };
      } else if (input.discoveryOptional) {
        ctx.note(
          `The OIDC discovery document at ${discoveryUrl} could not be read (${read.error.message}); an emulator serves none, so issuer and JWKS were not checked`,
        );
      } else {
        discovery = {
          outcome: 'error',
          detail: `${discoveryUrl}: ${read.error.name}: ${read.error.message}`,
        };
      }
    }

    const host = customDomainHost(input.domainUrl);
    let dns: CanaryHostedUiObservation['dns'];
    let certificate: HostedUiCertificate | undefined;
    if (host !== undefined) {
      const resolved = await ctx.caller.call(() => network.resolve(host));
      dns = resolved.ok
        ? { host, resolved: true }
        : { host, resolved: false, detail: `${resolved.error.name}: ${resolved.error.message}` };
      if (resolved.ok) {
        const read = await ctx.caller.call((signal) => network.certificateValidTo(host, signal));
        certificate = read.ok
          ? {
              outcome: 'ok',
              host,
              validTo: read.value.toISOString(),
              daysLeft: (read.value.getTime() - input.epochNow()) / DAY_MS,
            }
          : { outcome: 'error', host, detail: `${read.error.name}: ${read.error.message}` };
      }
    }
    return {
      redirects,
      ...(allowedCallbackUrls === undefined ? {} : { allowedCallbackUrls }),
      ...(discovery === undefined ? {} : { discovery }),
      ...(dns === undefined ? {} : { dns }),
      ...(certificate === undefined ? {} : { certificate }),
    };
  });
  return {
    kind: 'canary-hosted-ui',
    target: ctx.target,
    durationMs,
    ...budgetOf(ctx.budgets, 'hosted-ui'),
    domain: new URL(input.domainUrl).origin,
    expectedIssuer: input.expectedIssuer,
    ...(input.signingKeyId === undefined ? {} : { signingKeyId: input.signingKeyId }),
    certificateWarningDays: CERTIFICATE_WARNING_DAYS,
    ...observation,
  };
};
