import { LambdaClient } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import {
  createLambdaRecentChanges,
  parseLambdaTimestamp,
  toDeployChange,
  toWatchedFunctions,
} from '../../alerts/recent-changes';
import { awsClientConfig, createMotoFunction } from '../../demo/local/moto';
import type { Finding } from '../../detectors/types';
import { startMotoForFile } from '../support/moto';

const finding = (overrides: Partial<Finding> = {}): Finding => ({
  detector: 'trigger-response-invalid',
  severity: 'critical',
  title: 'PreSignUp returned autoConfirmUser as a string ("true"), Cognito expects a boolean',
  trigger: 'PreSignUp',
  functionName: 'shop-presignup',
  region: 'us-east-1',
  timestamp: '2026-11-26T09:15:00.000Z',
  evidence: [],
  dedupKey: 'trigger-response-invalid:us-east-1_AbC123:PreSignUp:response.autoConfirmUser',
  runbook: 'trigger-response-invalid-presignup',
  ...overrides,
});

describe('toDeployChange', () => {
  const firstSeen = new Date('2026-11-26T09:15:00.000Z');

  it.each([
    [
      'two hours before the first evidence',
      '2026-11-26T07:13:00.000Z',
      'Lambda shop-presignup was deployed at 2026-11-26T07:13:00.000Z (2 h before the first evidence, version 42, code 0123456789ab)',
    ],
    [
      'minutes before',
      '2026-11-26T09:03:00.000Z',
      'Lambda shop-presignup was deployed at 2026-11-26T09:03:00.000Z (12 min before the first evidence, version 42, code 0123456789ab)',
    ],
    [
      'after the first evidence (the fix)',
      '2026-11-26T09:40:00.000Z',
      'Lambda shop-presignup was deployed at 2026-11-26T09:40:00.000Z (25 min after the first evidence, version 42, code 0123456789ab)',
    ],
  ])('says when the function was deployed, %s', (_name, modified, expected) => {
    expect(
      toDeployChange('shop-presignup', new Date(modified), firstSeen, {
        version: '42',
        codeSha256: '0123456789abcdefXYZ=',
      }),
    ).toBe(expected);
  });

  it('says nothing of a deploy older than the window', () => {
    expect(toDeployChange('shop-presignup', new Date('2026-11-20T09:00:00Z'), firstSeen, {})).toBeUndefined();
  });

  it('reads the timestamp format Lambda writes', () => {
    expect(parseLambdaTimestamp('2026-11-26T09:13:02.123+0000')?.toISOString()).toBe(
      '2026-11-26T09:13:02.123Z',
    );
    expect(parseLambdaTimestamp('yesterday')).toBeUndefined();
  });

  it('knows the functions behind /aws/lambda/ log groups only', () => {
    expect([
      ...toWatchedFunctions(['/aws/lambda/shop-presignup', '/custom/group', '/aws/lambda/shop-pretoken']),
    ]).toEqual(['shop-presignup', 'shop-pretoken']);
  });
});

const moto = await startMotoForFile();

describe.runIf(moto)('createLambdaRecentChanges against moto_server', () => {
  it('reports the deploy of a watched function that changed just before the finding', async () => {
    const endpoint = moto?.endpoint ?? '';
    const lambda = new LambdaClient(awsClientConfig(endpoint));
    await createMotoFunction(endpoint, 'shop-presignup');
    const lookup = createLambdaRecentChanges({
      lambda: () => lambda,
      isWatched: (name) => name === 'shop-presignup',
    });

    const changes = await lookup(finding({ timestamp: new Date(Date.now() + 60_000).toISOString() }));

    expect(changes).toHaveLength(1);
    expect(changes?.[0]).toMatch(
      /^Lambda shop-presignup was deployed at \S+ \((\d+ s|1 min) before the first evidence/,
    );
  });

  it('does not look up functions it does not watch, or findings without a function', async () => {
    const lambda = new LambdaClient(awsClientConfig(moto?.endpoint ?? ''));
    const lookup = createLambdaRecentChanges({ lambda: () => lambda, isWatched: () => false });

    expect(await lookup(finding())).toBeUndefined();
    expect(
      await createLambdaRecentChanges({ lambda: () => lambda, isWatched: () => true })(
        finding({ functionName: undefined }),
      ),
    ).toBeUndefined();
  });
});
