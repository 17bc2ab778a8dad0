/**
 * The expectations a pool's config declares, as the pure detectors read them: the pool's `expect`
 * block and every configured client (each must exist) with its `expect` keys.
 */
import type { PoolConfig } from '../config/pool-config';
import type { ClientExpectations, PoolExpectations } from '../detectors/config-observations';

export const toPoolExpectations = (pool: PoolConfig): PoolExpectations => {
  const { expect } = pool;
  return {
    ...(expect?.deletionProtection === undefined ? {} : { deletionProtection: expect.deletionProtection }),
    ...(expect?.mfa === undefined ? {} : { mfa: expect.mfa }),
    ...(expect?.domain === undefined ? {} : { domain: expect.domain }),
    ...(expect?.triggers === undefined ? {} : { triggers: expect.triggers }),
    clients: pool.clients.map((client): ClientExpectations => {
      const { idTokenClaims: _id, accessTokenClaims: _access, ...audited } = client.expect ?? {};
      return { clientId: client.clientId, ...audited };
    }),
  };
};

/** Whether the config declares anything about the pool beyond the clients' existence. */
export const hasExpectations = (pool: PoolConfig): boolean =>
  pool.expect !== undefined || pool.clients.length > 0;
