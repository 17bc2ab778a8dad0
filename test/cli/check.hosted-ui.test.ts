/**
 * `check --oauth-domain URL --redirect-uri URL` end to end through the real bin, against a
 * moto_server pool and the local stand-in for the pool's domain: a redirect URI the client does not
 * allow is named with cause `redirect-mismatch`, and the same check passes once the URL matches.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import type { MotoServer } from '../../demo/local/moto';
import { CANARY_FLOWS, CANARY_PASSWORD, CANARY_USERNAME, type MotoPool } from '../../demo/local/moto-pool';
import { captureIo } from '../support/capture-io';
import { type HostedUiStandIn, startHostedUiStandIn } from '../support/hosted-ui-server';
import { freshMotoPool, startMotoForFile, updateMotoPoolClient } from '../support/moto';
import { checkArgv, motoBinEnv, runBin } from '../support/run-bin';

const moto = await startMotoForFile();
const ALLOWED = 'https://app.example.com/callback';

describe('check --redirect-uri usage', () => {
  it('needs --oauth-domain', async () => {
    const { io, err } = captureIo();
    const code = await main(
      [
        'check',
        '--user-pool-id',
        'us-east-1_Abc',
        '--client-id',
        'abc',
        '--username',
        'u',
        '--redirect-uri',
        ALLOWED,
      ],
      io,
    );
    expect(code).toBe(2);
    expect(err()).toMatch(/--redirect-uri and --scope need --oauth-domain/);
  });
});

describe.runIf(moto)('check --oauth-domain against the hosted UI stand-in', () => {
  const server = moto as MotoServer;
  let pool: MotoPool;
  let standIn: HostedUiStandIn;

  beforeEach(async () => {
    pool = await freshMotoPool(server);
    await updateMotoPoolClient(pool, { ExplicitAuthFlows: [...CANARY_FLOWS], CallbackURLs: [ALLOWED] });
    standIn = await startHostedUiStandIn({ issuer: 'unused' });
    standIn.clients.set(pool.clientId, { callbackUrls: [ALLOWED] });
  });
  afterEach(async () => standIn.close());

  const check = async (redirectUri: string, format: 'json' | 'text') => {
    return runBin(
      checkArgv(
        { ...pool, username: CANARY_USERNAME },
        '--oauth-domain',
        standIn.url,
        '--redirect-uri',
        redirectUri,
        '--format',
        format,
      ),
      motoBinEnv(server.endpoint, {
        CANARY_PASSWORD,
      }),
    );
  };

  it('names redirect-mismatch and the refused URL when the client allows only the URL without the slash', async () => {
    const result = await check(`${ALLOWED}/`, 'json');

    expect(result.code).toBe(1);
    const findings = result.stdout
      .trim()
      .split('\n')
      .map(
        (line) => JSON.parse(line) as { detector: string; cause?: string; actual?: string; title: string },
      );
    expect(findings.map((finding) => [finding.detector, finding.cause, finding.actual])).toEqual([
      ['hosted-ui-failed', 'redirect-mismatch', `${ALLOWED}/`],
    ]);
    expect(findings[0]?.title).toContain(`refuses redirect URI ${ALLOWED}/`);
    expect(findings[0]?.title).toContain(`the client allows ${ALLOWED}`);
  });

  it('passes when the URL matches, with the hosted UI step in the report', async () => {
    const result = await check(ALLOWED, 'text');

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/hosted-ui\s+ok/);
    expect(result.stdout).toContain('All checks passed.');
  });
});
