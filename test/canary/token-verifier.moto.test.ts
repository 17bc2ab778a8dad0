/**
 * Token verification with aws-jwt-verify against tokens and JWKS from a real moto_server pool.
 */
import { AdminInitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTokenVerifier, formatLifetime, toIssuer } from '../../canary/token-verifier';
import { freePort, type MotoServer, startMoto } from '../../demo/local/moto';
import {
  CANARY_PASSWORD,
  CANARY_USERNAME,
  createMotoPool,
  type MotoPool,
  REGION,
} from '../../demo/local/moto-pool';
import type { CanaryTarget } from '../../detectors/canary-observations';
import { freshMotoPool } from '../support/moto';

const moto = await startMoto();

describe.runIf(moto)('token verification against moto_server tokens', () => {
  const server = moto as MotoServer;
  let pool: MotoPool;
  let other: MotoPool;
  let tokens: { IdToken: string; AccessToken: string };
  let target: CanaryTarget;

  beforeAll(async () => {
    pool = await freshMotoPool(server);
    other = await createMotoPool(server.endpoint, 'other');
    const { AuthenticationResult } = await pool.cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: pool.userPoolId,
        ClientId: pool.clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: CANARY_USERNAME, PASSWORD: CANARY_PASSWORD },
      }),
    );
    tokens = {
      IdToken: AuthenticationResult?.IdToken ?? '',
      AccessToken: AuthenticationResult?.AccessToken ?? '',
    };
    target = { userPoolId: pool.userPoolId, clientId: pool.clientId, region: REGION };
  });
  afterEach(() => vi.useRealTimers());
  afterAll(async () => {
    await server.stop();
  });

  const countingFetch = () => {
    const urls: string[] = [];
    const fetchFn: typeof fetch = (input, init) => {
      urls.push(String(input));
      return fetch(input, init);
    };
    return { urls, fetchFn };
  };

  it('verifies both tokens with the emulator issuer, fetching the JWKS once per pool', async () => {
    const { urls, fetchFn } = countingFetch();
    const verifier = createTokenVerifier({ endpoint: server.endpoint, fetch: fetchFn });

    const id = await verifier.verify(tokens.IdToken, { target, tokenUse: 'id', lifetimeSeconds: 3600 });
    const access = await verifier.verify(tokens.AccessToken, {
      target,
      tokenUse: 'access',
      lifetimeSeconds: 3600,
    });
    await verifier.verify(tokens.IdToken, { target, tokenUse: 'id' });

    expect(id.failures).toEqual([]);
    expect(access.failures).toEqual([]);
    expect(access.payload).toMatchObject({ username: CANARY_USERNAME, iss: toIssuer(target) });
    expect(urls).toEqual([`${server.endpoint}/${pool.userPoolId}/.well-known/jwks.json`]);
  });

  it('verifies them with CognitoJwtVerifier (the AWS path) when the JWKS is supplied', async () => {
    const verifier = createTokenVerifier({
      loadJwks: async (t) =>
        (await (await fetch(`${server.endpoint}/${t.userPoolId}/.well-known/jwks.json`)).json()) as Jwks,
    });

    expect((await verifier.verify(tokens.AccessToken, { target, tokenUse: 'access' })).failures).toEqual([]);
    expect((await verifier.verify(tokens.IdToken, { target, tokenUse: 'id' })).failures).toEqual([]);
  });

  const verifier = () => createTokenVerifier({ endpoint: server.endpoint });

  it.each([
    ['an ID token checked as an access token', 'IdToken', 'access', 'token_use'],
    ['an access token checked as an ID token', 'AccessToken', 'id', 'token_use'],
  ] as const)('fails %s on token_use', async (_name, token, tokenUse, field) => {
    const { failures } = await verifier().verify(tokens[token], { target, tokenUse });
    expect(failures).toEqual([expect.objectContaining({ field, check: 'verification' })]);
  });

  it('fails a token of another app client on aud (ID) and client_id (access)', async () => {
    const elsewhere = { ...target, clientId: pool.secretClientId };
    const v = verifier();

    expect((await v.verify(tokens.IdToken, { target: elsewhere, tokenUse: 'id' })).failures).toEqual([
      { field: 'aud', expected: pool.secretClientId, actual: pool.clientId, check: 'verification' },
    ]);
    expect((await v.verify(tokens.AccessToken, { target: elsewhere, tokenUse: 'access' })).failures).toEqual([
      { field: 'client_id', expected: pool.secretClientId, actual: pool.clientId, check: 'verification' },
    ]);
  });

  it('fails a token of another pool on iss', async () => {
    const otherTarget = { ...target, userPoolId: other.userPoolId };
    const { failures } = await verifier().verify(tokens.AccessToken, {
      target: otherTarget,
      tokenUse: 'access',
    });
    expect(failures).toEqual([
      { field: 'iss', expected: toIssuer(otherTarget), actual: toIssuer(target), check: 'verification' },
    ]);
  });

  it('fails a tampered signature', async () => {
    const [header, payload, signature = ''] = tokens.AccessToken.split('.');
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    const { failures } = await verifier().verify(`${header}.${payload}.${flipped}`, {
      target,
      tokenUse: 'access',
    });
    expect(failures).toEqual([expect.objectContaining({ field: 'signature', check: 'verification' })]);
  });

  it('fails something that is not a JWT on format', async () => {
    const { failures } = await verifier().verify('not-a-jwt', { target, tokenUse: 'access' });
    expect(failures).toEqual([expect.objectContaining({ field: 'format' })]);
  });

  it('fails an expired token on exp', async () => {
    const v = verifier();
    await v.verify(tokens.AccessToken, { target, tokenUse: 'access' });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 2 * 3_600_000);

    const { failures } = await v.verify(tokens.AccessToken, { target, tokenUse: 'access' });

    expect(failures).toEqual([
      expect.objectContaining({ field: 'exp', expected: 'a time in the future', check: 'verification' }),
    ]);
  });

  it('fails a lifetime that differs from the client validity, and a missing expected claim', async () => {
    const { failures } = await verifier().verify(tokens.IdToken, {
      target,
      tokenUse: 'id',
      lifetimeSeconds: 1800,
      claims: { 'custom:tenant': 'acme', 'cognito:username': CANARY_USERNAME },
    });
    expect(failures).toEqual([
      { field: 'validity', expected: '30 min (1800 s)', actual: '60 min (3600 s)', check: 'lifetime' },
      { field: 'custom:tenant', expected: 'acme', actual: 'missing', check: 'claim' },
    ]);
  });

  it('reports an unreachable JWKS as jwks-unavailable and tries again on the next call', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const { urls, fetchFn } = countingFetch();
    const v = createTokenVerifier({ endpoint: closed, fetch: fetchFn });

    const first = await v.verify(tokens.AccessToken, { target, tokenUse: 'access' });
    await v.verify(tokens.AccessToken, { target, tokenUse: 'access' });

    expect(first.failures).toEqual([expect.objectContaining({ field: 'jwks', check: 'jwks-unavailable' })]);
    expect(urls).toHaveLength(2);
  });
});

describe('formatLifetime', () => {
  it.each([
    [3600, '60 min (3600 s)'],
    [86_400, '1 day (86400 s)'],
    [172_800, '2 days (172800 s)'],
    [90, '90 s'],
  ])('formats %i s as %s', (seconds, text) => {
    expect(formatLifetime(seconds)).toBe(text);
  });
});
