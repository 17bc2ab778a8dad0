import { describe, expect, it } from 'vitest';
import { parseTrailChange } from '../../audit/cloudtrail-event';
import { deleteFunctionEvent, updateUserPoolClientEvent } from '../fixtures/audit/cloudtrail-events';

describe('parseTrailChange', () => {
  it('reads what, when, by whom and from where of a Cognito call, keeping no IP address', () => {
    const trail = parseTrailChange(updateUserPoolClientEvent('us-east-1_AbC123', 'client123'));
    expect(trail).toEqual({
      userPoolId: 'us-east-1_AbC123',
      change: {
        eventName: 'UpdateUserPoolClient',
        eventSource: 'cognito-idp.amazonaws.com',
        eventTime: '2026-11-26T09:14:31Z',
        principal: 'arn:aws:sts::123456789012:assumed-role/PlatformAdmin/jdoe',
        source: 'an IP address',
        via: 'aws-cli/2.15.30',
        eventId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
        resource: 'client123',
      },
    });
    expect(JSON.stringify(trail)).not.toContain('198.51.100.23');
  });

  it('reads a Lambda call by its API name without the version suffix, and a service caller by name', () => {
    expect(parseTrailChange(deleteFunctionEvent('shop-presignup'))).toMatchObject({
      functionName: 'shop-presignup',
      change: {
        eventName: 'DeleteFunction',
        source: 'cloudformation.amazonaws.com',
        resource: 'shop-presignup',
      },
    });
  });

  it.each([
    ['a scheduled event', { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} }],
    [
      'a call that failed',
      {
        ...updateUserPoolClientEvent('p', 'c'),
        detail: { ...updateUserPoolClientEvent('p', 'c').detail, errorCode: 'AccessDenied' },
      },
    ],
    ['another service', { ...updateUserPoolClientEvent('p', 'c'), source: 'aws.s3' }],
    ['not an object', 'hello'],
  ])('ignores %s', (_name, event) => {
    expect(parseTrailChange(event)).toBeUndefined();
  });
});
