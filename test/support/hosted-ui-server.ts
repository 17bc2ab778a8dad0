/**
 * A local stand-in for a Cognito user pool domain (hosted UI / managed login, token endpoint, and
 * the OIDC discovery document), answering as Cognito documents:
 * - `GET /oauth2/authorize?response_type=code&client_id=...&redirect_uri=...`: 302 to `/login?...`
 *   when the redirect URI is one of the client's callback URLs (compared exactly), else 302 to
 *   `/error?error=redirect_mismatch&client_id=...` (an unknown client: `error=invalid_request`);
 * - `POST /oauth2/token` with `grant_type=client_credentials` and HTTP Basic client credentials:
 *   200 `{access_token, expires_in, token_type}`, or 400 `{"error":"invalid_client"}`,
 *   `{"error":"invalid_scope"}`, `{"error":"unauthorized_client"}` as JSON;
 * - `GET /.well-known/openid-configuration` (`issuer`, `jwks_uri`) and `GET /.well-known/jwks.json`.
 * Every field is mutable, so a test breaks one thing at a time.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInClient {
  callbackUrls: string[];
  secret?: string;
  /** Scopes the client may request with client_credentials; undefined: the grant is not allowed. */
  clientCredentialsScopes?: string[];
}

export interface HostedUiStandIn {
  /** `http://127.0.0.1:<port>` */
  url: string;
  clients: Map<string, StandInClient>;
  /** What the discovery document says. */
  discovery: { issuer: string; jwks: { keys: Record<string, unknown>[] } };
  /** Signs an access token for a client_credentials grant. */
  issueToken: (clientId: string, scopes: string[]) => string;
  /** Requests seen, as `METHOD path` (no query string, no credentials). */
  requests: string[];
  close(): Promise<void>;
}

const json = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
  response.end(JSON.stringify(body));
};

const redirect = (response: ServerResponse, location: string) => {
  response.writeHead(302, { location });
  response.end();
};

const readBody = async (request: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export const startHostedUiStandIn = async (options: {
  issuer: string;
  issueToken?: (clientId: string, scopes: string[]) => string;
}): Promise<HostedUiStandIn> => {
  const standIn: Omit<HostedUiStandIn, 'url' | 'close'> = {
    clients: new Map(),
    discovery: { issuer: options.issuer, jwks: { keys: [] } },
    issueToken: options.issueToken ?? (() => 'not-a-jwt'),
    requests: [],
  };
  let base = '';

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', base);
    standIn.requests.push(`${request.method} ${url.pathname}`);
    if (request.method === 'GET' && url.pathname === '/oauth2/authorize') {
      const clientId = url.searchParams.get('client_id') ?? '';
      const client = standIn.clients.get(clientId);
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      if (client === undefined || url.searchParams.get('response_type') !== 'code') {
        return redirect(
          response,
          `${base}/error?error=invalid_request&client_id=${encodeURIComponent(clientId)}`,
        );
      }
      if (!client.callbackUrls.includes(redirectUri)) {
        return redirect(
          response,
          `${base}/error?error=redirect_mismatch&client_id=${encodeURIComponent(clientId)}`,
        );
      }
      return redirect(response, `${base}/login?${url.searchParams.toString()}`);
    }
    if (request.method === 'POST' && url.pathname === '/oauth2/token') {
      const form = new URLSearchParams(await readBody(request));
      const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      const [clientId = '', secret = ''] = Buffer.from(basic ?? '', 'base64')
        .toString('utf8')
        .split(':');
      const client = standIn.clients.get(clientId);
      if (client === undefined || client.secret === undefined || client.secret !== secret) {
        return json(response, 400, { error: 'invalid_client' });
      }
      if (form.get('grant_type') !== 'client_credentials' || client.clientCredentialsScopes === undefined) {
        return json(response, 400, { error: 'unauthorized_client' });
      }
      const scopes = (form.get('scope') ?? '').split(' ').filter((scope) => scope !== '');
      if (scopes.some((scope) => !client.clientCredentialsScopes?.includes(scope))) {
        return json(response, 400, { error: 'invalid_scope' });
      }
      return json(response, 200, {
        access_token: standIn.issueToken(clientId, scopes),
        expires_in: 3600,
        token_type: 'Bearer',
      });
    }
    if (request.method === 'GET' && url.pathname.endsWith('/.well-known/openid-configuration')) {
      return json(response, 200, {
        issuer: standIn.discovery.issuer,
        jwks_uri: `${base}/.well-known/jwks.json`,
        authorization_endpoint: `${base}/oauth2/authorize`,
        token_endpoint: `${base}/oauth2/token`,
      });
    }
    if (request.method === 'GET' && url.pathname.endsWith('/.well-known/jwks.json')) {
      return json(response, 200, standIn.discovery.jwks);
    }
    if (request.method === 'GET' && (url.pathname === '/login' || url.pathname === '/error')) {
      response.writeHead(200, { 'content-type': 'text/html' });
      return response.end(`<html><body>${url.pathname}</body></html>`);
    }
    json(response, 404, { error: 'not_found' });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => json(response, 500, { error: 'server_error' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(standIn, {
    url: base,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
};
