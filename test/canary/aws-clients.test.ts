import { describe, expect, it } from 'vitest';
import { toProbeLocation } from '../../canary/api-probe';
import { cognitoEndpointFrom, regionOfSecret } from '../../canary/aws-clients';
import { randomPassword, randomUserId } from '../../canary/sign-up-cycle';

describe('environment and references', () => {
  it('prefers the Cognito-specific endpoint variable', () => {
    expect(
      cognitoEndpointFrom({
        AWS_ENDPOINT_URL: 'http://a',
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://b',
      }),
    ).toBe('http://b');
    expect(cognitoEndpointFrom({ AWS_ENDPOINT_URL: ' ' })).toBeUndefined();
  });

  it('reads a secret in its ARN region, else the pool region', () => {
    expect(
      regionOfSecret(
        { store: 'secretsmanager', name: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x' },
        'us-east-1',
      ),
    ).toBe('eu-west-1');
    expect(regionOfSecret({ store: 'ssm', name: '/canary/password' }, 'us-east-1')).toBe('us-east-1');
  });

  it('keeps only the origin and path of a probe URL', () => {
    expect(toProbeLocation('https://api.example.com/v1/orders?apiKey=secret#x')).toBe(
      'https://api.example.com/v1/orders',
    );
  });

  it('makes throwaway ids and passwords that differ every time and meet the usual policy', () => {
    expect(randomUserId()).toMatch(/^[0-9a-f]{16}$/);
    expect(randomUserId()).not.toBe(randomUserId());
    const password = randomPassword();
    expect(password).toMatch(/[A-Z]/);
    expect(password).toMatch(/[a-z]/);
    expect(password).toMatch(/\d/);
    expect(password).toMatch(/[^A-Za-z0-9]/);
    expect(password.length).toBeGreaterThanOrEqual(30);
  });
});
