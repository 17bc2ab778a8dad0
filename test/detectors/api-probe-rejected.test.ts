import { describe, expect, it } from 'vitest';
import { apiProbeRejected } from '../../detectors/api-probe-rejected';
import { apiProbe, CLIENT, context, POOL, serviceError } from '../fixtures/canary/observations';

describe('api-probe-rejected', () => {
  it.each([200, 204, 302])('passes HTTP %i', (status) => {
    expect(apiProbeRejected.detect([apiProbe({ outcome: 'status', status })], context())).toEqual([]);
  });

  it.each([401, 403])('pages critical when the API refuses a valid token with HTTP %i', (status) => {
    const [finding] = apiProbeRejected.detect([apiProbe({ outcome: 'status', status })], context());
    expect(finding).toMatchObject({
      detector: 'api-probe-rejected',
      severity: 'critical',
      field: 'status',
      actual: `HTTP ${status}`,
      title: `The protected API GET https://api.example.com/orders rejects a fresh, valid access token of shop (${POOL}), app client ${CLIENT} with HTTP ${status}`,
      dedupKey: `api-probe-rejected:${POOL}:${CLIENT}:rejected`,
      runbook: 'api-probe-rejected',
    });
  });

  it('warns when the API fails for another reason', () => {
    const [finding] = apiProbeRejected.detect([apiProbe({ outcome: 'status', status: 502 })], context());
    expect(finding).toMatchObject({
      severity: 'warning',
      dedupKey: `api-probe-rejected:${POOL}:${CLIENT}:failed`,
    });
  });

  it('warns with cause network when the API cannot be reached', () => {
    const [finding] = apiProbeRejected.detect(
      [
        apiProbe({
          outcome: 'error',
          error: serviceError('TimeoutError', 'no answer within 5000 ms', { kind: 'network' }),
        }),
      ],
      context(),
    );
    expect(finding).toMatchObject({ severity: 'warning', cause: 'network' });
  });
});
