import { afterAll } from 'vitest';
import { type MotoServer, startMoto } from '../../demo/local/moto';

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
