/**
 * The protected-API probe: a moto_server pool issues the token, a local HTTP server plays the API
 * with an authorizer that accepts `Authorization: Bearer <access token>` only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCanaryRunner } from '../../canary/runner';
import { createSecretResolver } from '../../config/secrets';
import { freePort, type MotoServer, startMoto } from '../../demo/local/moto';
import {
  CANARY_PASSWORD,
  CANARY_USERNAME,
  cognitoClient,
  type MotoPool,
  PASSWORD_SECRET,
  poolConfigFor,
  secretsManagerClient,
} from '../../demo/local/moto-pool';
import { detected } from '../support/canary-run';
import { freshMotoPool } from '../support/moto';

const moto = await startMoto();

/** What the API saw, and how it answers. */
const api = { status: undefined as number | undefined, authorizations: [] as string[], urls: [] as string[] };

const tokenUseOf = (jwt: string): unknown => {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')).token_use;
  } catch {
    return undefined;
  }
};

describe.runIf(moto)('protected-API probe', () => {
  const server = moto as MotoServer;
  let pool: MotoPool;
  let http: Server;
  let apiUrl: string;

  beforeAll(async () => {
    http = createServer((request, response) => {
      const authorization = request.headers.authorization ?? '';
      api.authorizations.push(authorization);
      api.urls.push(request.url ?? '');
      const bearer = /^Bearer (\S+)$/.exec(authorization)?.[1];
      const status = api.status ?? (bearer === undefined ? 401 : tokenUseOf(bearer) === 'access' ? 200 : 403);
      response.writeHead(status, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/orders?apiKey=planted-query-secret`;
  });
  beforeEach(async () => {
    pool = await freshMotoPool(server);
    api.status = undefined;
    api.authorizations.length = 0;
    api.urls.length = 0;
  });
  afterAll(async () => {
    await new Promise((resolve) => http.close(resolve));
    await server.stop();
  });

  const run = (apiProbe: Record<string, unknown>) =>
    detected(
      createCanaryRunner({
        cognito: () => cognitoClient(server.endpoint),
        secrets: createSecretResolver({ secretsManager: secretsManagerClient(server.endpoint) }),
        endpoint: server.endpoint,
      }).run(
        [
          poolConfigFor(pool, {
            canary: { username: CANARY_USERNAME, password: `secretsmanager:${PASSWORD_SECRET}`, apiProbe },
          }),
        ],
        { timeBudgetMs: 20_000 },
      ),
    );

  it('calls the API with the fresh access token as a bearer token, and passes on 200', async () => {
    const result = await run({ url: apiUrl });

    expect(result.findings).toEqual([]);
    expect(api.authorizations).toHaveLength(1);
    expect(api.authorizations[0]).toMatch(/^Bearer eyJ/);
    expect(api.urls).toEqual(['/orders?apiKey=planted-query-secret']);
    expect(result.passed).toContain(`api-probe-rejected:${pool.userPoolId}:${pool.clientId}`);
    const probe = result.observations.find((observation) => observation.kind === 'canary-api-probe');
    expect(probe).toMatchObject({ url: apiUrl.replace(/\?.*$/, ''), method: 'GET', result: { status: 200 } });
  });

  it.each([
    ['without the Bearer scheme', { scheme: 'raw' }, 401],
    ['with an ID token where the authorizer wants an access token', { token: 'id' }, 403],
  ])('reports the API refusing a valid token %s as api-probe-rejected', async (_name, options, status) => {
    const { findings } = await run({ url: apiUrl, ...options });

    expect(findings.map((finding) => [finding.detector, finding.severity, finding.actual])).toEqual([
      ['api-probe-rejected', 'critical', `HTTP ${status}`],
    ]);
    const text = JSON.stringify(findings);
    expect(text).not.toContain('planted-query-secret');
    expect(text).not.toMatch(/eyJ[\w-]{10,}/);
    expect(text).not.toContain(CANARY_PASSWORD);
  });

  it('reports an API that fails for another reason as a warning: the token was not judged', async () => {
    api.status = 503;

    const { findings } = await run({ url: apiUrl });

    expect(findings.map((finding) => [finding.detector, finding.severity, finding.actual])).toEqual([
      ['api-probe-rejected', 'warning', 'HTTP 503'],
    ]);
  });

  it('reports an unreachable API as a network warning', async () => {
    const { findings } = await run({ url: `http://127.0.0.1:${await freePort()}/orders` });

    expect(findings.map((finding) => [finding.detector, finding.severity, finding.cause])).toEqual([
      ['api-probe-rejected', 'warning', 'network'],
    ]);
  });
});
