import {
  UpdateUserPoolClientCommand,
  type UpdateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll } from 'vitest';
import { createAuditClients } from '../../audit/aws-clients';
import type { AuditClients } from '../../audit/read-pool';
import { type MotoServer, startMoto } from '../../demo/local/moto';
import { createMotoPool, type MotoPool } from '../../demo/local/moto-pool';

/**
 * Starts moto_server for the calling test file and stops it after the file's last test. Resolves
 * `undefined` when moto_server is not on PATH, so the file's `describe.runIf(moto)` suites skip.
 */
export const startMotoForFile = async (): Promise<MotoServer | undefined> => {
  const moto = await startMoto();
  afterAll(async () => {
    await moto?.stop();
  });
  return moto;
};

/** Empties `server` and creates the canary's pool in it again: each test starts from a fresh pool. */
export const freshMotoPool = async (server: MotoServer): Promise<MotoPool> => {
  await server.reset();
  return createMotoPool(server.endpoint);
};

/** The config audit's AWS clients on moto_server at `endpoint`, with moto's test credentials. */
export const auditClientsOnMoto = (endpoint: string): AuditClients =>
  createAuditClients({ AWS_ENDPOINT_URL: endpoint }, { accessKeyId: 'test', secretAccessKey: 'test' });

/** Updates the app client of `pool` with `update` (UpdateUserPoolClient resets what it is not given). */
export const updateMotoPoolClient = async (
  pool: Pick<MotoPool, 'cognito' | 'userPoolId' | 'clientId'>,
  update: Omit<UpdateUserPoolClientCommandInput, 'UserPoolId' | 'ClientId'>,
): Promise<void> => {
  await pool.cognito.send(
    new UpdateUserPoolClientCommand({ UserPoolId: pool.userPoolId, ClientId: pool.clientId, ...update }),
  );
};
