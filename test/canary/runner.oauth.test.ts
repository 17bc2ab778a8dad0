/**
 * The hosted UI probe and machine-to-machine tokens, against moto_server (the pool, its clients and
 * the canary user) and the local stand-in for the pool's domain (test/support/hosted-ui-server.ts),
 * which answers `/oauth2/authorize`, `/oauth2/token` and the discovery document as Cognito does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostedUiNetwork } from '../../canary/hosted-ui-probe';
import { type CanaryRunOptions, createCanaryRunner } from '../../canary/runner';
import { toIssuer } from '../../canary/token-verifier';
import { createSecretResolver } from '../../config/secrets';
import type { MotoServer } from '../../demo/local/moto';
import {
  cognitoClient,
  type MotoPool,
  poolConfigFor,
  REGION,
  secretClientEntry,
  secretsManagerClient,
} from '../../demo/local/moto-pool';
import { getRunbookSection } from '../../runbook';
import { toCommandContext } from '../../runbook/commands';
import { createSigningKey, signJwt } from '../fixtures/canary/tokens';
import { detected } from '../support/canary-run';
import { type HostedUiStandIn, startHostedUiStandIn } from '../support/hosted-ui-server';
import { freshMotoPool, startMotoForFile, updateMotoPoolClient } from '../support/moto';

const moto = await startMotoForFile();
const CALLBACK = 'https://app.example.com/callback';
const key = createSigningKey('m2m-key');
const NOW = Date.UTC(2026, 0, 1, 0, 0, 30);

describe.runIf(moto)('hosted UI probe and client_credentials tokens', () => {
  const server = moto as MotoServer;
  let pool: MotoPool;
  let standIn: HostedUiStandIn;
  let grantedScopes: (scopes: string[]) => string[];

  beforeEach(async () => {
    pool = await freshMotoPool(server);
    await updateMotoPoolClient(pool, {
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      CallbackURLs: [CALLBACK],
    });
    grantedScopes = (scopes) => scopes;
    const issuer = toIssuer({ region: REGION, userPoolId: pool.userPoolId });
    standIn = await startHostedUiStandIn({
      issuer,
      issueToken: (clientId, scopes) =>
        signJwt(
          {
            iss: issuer,
            sub: clientId,
            client_id: clientId,
            token_use: 'access',
            scope: grantedScopes(scopes).join(' '),
            iat: Math.floor(Date.now() / 1000),
            exp: Math.floor(Date.now() / 1000) + 3600,
            jti: 'j',
          },
          key,
        ),
    });
    standIn.clients.set(pool.clientId, { callbackUrls: [CALLBACK] });
    standIn.clients.set(pool.secretClientId, {
      callbackUrls: [],
      secret: pool.clientSecret,
      clientCredentialsScopes: ['orders-api/read', 'orders-api/write'],
    });
    // moto signs with kid "dummy"; the stand-in serves that key id unless a test removes it.
    standIn.discovery.jwks = { keys: [{ kid: 'dummy', kty: 'RSA' }] };
  });
  afterEach(async () => standIn.close());

  const run = (
    overrides: Record<string, unknown>,
    options: {
      m2m?: CanaryRunOptions['m2m'];
      epochNow?: number;
      network?: HostedUiNetwork;
      m2mJwks?: boolean;
      fetch?: typeof fetch;
    } = {},
  ) =>
    detected(
      createCanaryRunner({
        cognito: () => cognitoClient(server.endpoint),
        secrets: createSecretResolver({ secretsManager: secretsManagerClient(server.endpoint) }),
        endpoint: server.endpoint,
        ...(options.m2mJwks ? { verifier: { loadJwks: async () => key.jwks } } : {}),
        epochNow: () => options.epochNow ?? NOW,
        ...(options.network === undefined ? {} : { network: options.network }),
        ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      }).run([poolConfigFor(pool, overrides)], { timeBudgetMs: 20_000, m2m: options.m2m ?? 'always' }),
    );

  const hostedUi = (callbackUrls: string[], extra: Record<string, unknown> = {}) => ({
    domain: standIn.url,
    oidcDiscoveryUrl: `${standIn.url}/.well-known/openid-configuration`,
    clients: [{ clientId: pool.clientId, expect: { callbackUrls } }],
    ...extra,
  });

  describe('hosted UI', () => {
    it('passes when every expected redirect URI leads to the sign-in page and discovery matches the pool', async () => {
      const result = await run(hostedUi([CALLBACK]));

      expect(result.problems).toEqual([]);
      expect(result.findings).toEqual([]);
      const probe = result.observations.find((observation) => observation.kind === 'canary-hosted-ui');
      expect(probe).toMatchObject({
        redirects: [{ redirectUri: CALLBACK, outcome: 'login', status: 302 }],
        allowedCallbackUrls: [CALLBACK],
        signingKeyId: 'dummy',
        discovery: { outcome: 'ok', keyIds: ['dummy'] },
      });
      expect(result.passed).toContain(`hosted-ui-failed:${pool.userPoolId}:${pool.clientId}`);
    });

    it('names redirect-mismatch with the refused URL beside the allowed list, on the finding and its runbook page', async () => {
      const result = await run(hostedUi([CALLBACK, `${CALLBACK}/`]));

      expect(result.findings.map((finding) => [finding.detector, finding.cause, finding.severity])).toEqual([
        ['hosted-ui-failed', 'redirect-mismatch', 'critical'],
      ]);
      const [finding] = result.findings;
      expect(finding?.actual).toBe(`${CALLBACK}/`);
      expect(finding?.title).toContain(
        `refuses redirect URI ${CALLBACK}/ (redirect_mismatch); the client allows ${CALLBACK}`,
      );
      expect(finding?.evidence).toContain(`Allowed callback URLs of the client: ${CALLBACK}`);
      const section = getRunbookSection(finding?.runbook ?? '');
      const steps = section?.firstTenMinutes(finding as never, toCommandContext(finding as never)) ?? [];
      expect(steps.map((step) => step.text).join('\n')).toContain(
        `Refused: ${CALLBACK}/. Allowed by the client: ${CALLBACK}.`,
      );
    });

    it('names issuer-mismatch and jwks-key-missing when discovery points elsewhere', async () => {
      standIn.discovery.issuer = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other';
      standIn.discovery.jwks = { keys: [{ kid: 'rotated', kty: 'RSA' }] };

      const { findings } = await run(hostedUi([CALLBACK]));

      expect(findings.map((finding) => [finding.cause, finding.actual])).toEqual([
        ['issuer-mismatch', 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other'],
        ['jwks-key-missing', 'rotated'],
      ]);
    });

    it('names domain-unreachable when nothing answers on the domain', async () => {
      const closed = standIn.url;
      await standIn.close();
      standIn = await startHostedUiStandIn({ issuer: 'x' });

      const { findings } = await run({
        ...hostedUi([CALLBACK]),
        domain: closed,
        oidcDiscoveryUrl: undefined,
      });

      expect(findings.map((finding) => finding.cause)).toEqual(['domain-unreachable']);
    });

    it('checks DNS and the certificate of a custom domain: a warning 21 days ahead, critical once expired', async () => {
      const routed: typeof fetch = (input, init) =>
        fetch(
          String(input instanceof Request ? input.url : input).replace(
            'https://auth.example.com',
            standIn.url,
          ),
          init,
        );
      const certificateIn = (days: number): HostedUiNetwork => ({
        resolve: async () => {},
        certificateValidTo: async () => new Date(NOW + days * 86_400_000),
      });
      const custom = { ...hostedUi([CALLBACK]), domain: 'auth.example.com' };

      const healthy = await run(custom, { fetch: routed, network: certificateIn(30) });
      const soon = await run(custom, { fetch: routed, network: certificateIn(20) });
      const expired = await run(custom, { fetch: routed, network: certificateIn(-1) });
      const unresolved = await run(custom, {
        fetch: routed,
        network: {
          resolve: async () => {
            throw Object.assign(new Error('getaddrinfo ENOTFOUND auth.example.com'), { code: 'ENOTFOUND' });
          },
          certificateValidTo: async () => new Date(NOW),
        },
      });

      expect(healthy.findings).toEqual([]);
      expect(soon.findings.map((finding) => [finding.cause, finding.severity])).toEqual([
        ['certificate-expiring', 'warning'],
      ]);
      expect(soon.findings[0]?.title).toMatch(/expires in 20 days/);
      expect(expired.findings.map((finding) => [finding.cause, finding.severity])).toEqual([
        ['certificate-expiring', 'critical'],
      ]);
      expect(unresolved.findings.map((finding) => finding.cause)).toEqual(['domain-unreachable']);
    });
  });

  describe('client_credentials', () => {
    const m2m = (scopes: string[], extra: Record<string, unknown> = {}) => ({
      domain: standIn.url,
      canary: undefined,
      clients: [{ ...secretClientEntry(pool), clientCredentials: { scopes, ...extra } }],
    });

    it('gets a token with the scopes, verifies it, and never reveals the secret or the token', async () => {
      const result = await run(m2m(['orders-api/read']), { m2mJwks: true });

      expect(result.problems).toEqual([]);
      expect(result.findings).toEqual([]);
      expect(result.observations).toMatchObject([
        { kind: 'canary-m2m-token', scopes: ['orders-api/read'], result: { outcome: 'token', failures: [] } },
      ]);
      expect(JSON.stringify(result)).not.toContain(pool.clientSecret);
    });

    it.each([
      [
        'a rotated secret',
        () =>
          standIn.clients.set(pool.secretClientId, {
            callbackUrls: [],
            secret: 'rotated',
            clientCredentialsScopes: ['orders-api/read'],
          }),
        'invalid-client',
      ],
      [
        'a removed scope',
        () =>
          standIn.clients.set(pool.secretClientId, {
            callbackUrls: [],
            secret: pool.clientSecret,
            clientCredentialsScopes: ['orders-api/write'],
          }),
        'invalid-scope',
      ],
      [
        'the grant turned off',
        () => standIn.clients.set(pool.secretClientId, { callbackUrls: [], secret: pool.clientSecret }),
        'unauthorized-client',
      ],
    ] as const)('names Cognito’s OAuth error for %s', async (_name, breakIt, cause) => {
      breakIt();

      const { findings } = await run(m2m(['orders-api/read']), { m2mJwks: true });

      expect(findings.map((finding) => [finding.detector, finding.cause, finding.severity])).toEqual([
        ['m2m-token-failed', cause, 'critical'],
      ]);
      expect(findings[0]?.runbook).toBe(`canary-cause-${cause}`);
    });

    it('fails verification when the token lacks an expected scope', async () => {
      grantedScopes = () => ['orders-api/write'];

      const { findings } = await run(m2m(['orders-api/read']), { m2mJwks: true });

      expect(findings.map((finding) => [finding.detector, finding.field, finding.actual])).toEqual([
        ['m2m-token-failed', 'scope', 'orders-api/write'],
      ]);
    });

    it('requests a token once per 15-minute window on the schedule, billing 4 requests an hour, not 60', async () => {
      const minutes = Array.from({ length: 60 }, (_, minute) => Date.UTC(2026, 0, 1, 0, minute, 5));
      for (const epochNow of minutes)
        await run(m2m(['orders-api/read']), { m2mJwks: true, m2m: 'due', epochNow });

      expect(standIn.requests.filter((request) => request === 'POST /oauth2/token')).toHaveLength(4);
    });
  });
});
