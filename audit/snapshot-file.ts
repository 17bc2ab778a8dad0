/**
 * The CLI's snapshot store: one JSON file holding the fingerprint key and the last snapshot of
 * each pool it audited. Written whole to a temporary file and renamed, so an interrupted run
 * never leaves half a file; mode 0600, as it holds the fingerprint key.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import * as z from 'zod';
import type { PoolSnapshot } from '../detectors/config-observations';
import { lazySchema } from '../runtime/lazy-schema';
import { newFingerprintKey } from './secret-fingerprint';
import { type SnapshotStore, SnapshotStoreError } from './snapshot-store';

/** The format id written into the file. */
export const SNAPSHOT_FILE_FORMAT = 'cognito-sentinel/audit-snapshot/v1';

const settingValue = lazySchema(() => z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]));

const poolSnapshotSchema = lazySchema(() =>
  z.object({
    userPoolId: z.string().min(1),
    region: z.string().min(1),
    takenAt: z.string(),
    sections: z.record(z.string(), z.record(z.string(), settingValue)),
  }),
);

const fileSchema = lazySchema(() =>
  z.object({
    format: z.literal(SNAPSHOT_FILE_FORMAT),
    fingerprintKey: z.string().min(16),
    pools: z.record(z.string(), poolSnapshotSchema),
  }),
);

type SnapshotFile = z.infer<typeof fileSchema>;

/** A snapshot store backed by one file; `exists()` says whether the file was there at first read. */
export interface FileSnapshotStore extends SnapshotStore {
  /** Whether the file existed when it was first read (false: this run writes the baseline). */
  existed(): Promise<boolean>;
}

export const createFileSnapshotStore = (path: string): FileSnapshotStore => {
  let loaded: Promise<{ file: SnapshotFile; existed: boolean }> | undefined;
  const load = () => {
    loaded ??= (async () => {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          return {
            file: { format: SNAPSHOT_FILE_FORMAT, fingerprintKey: newFingerprintKey(), pools: {} },
            existed: false,
          };
        throw new SnapshotStoreError(
          `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
          {
            cause: error,
          },
        );
      }
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (error) {
        throw new SnapshotStoreError(`${path}: not a snapshot file (not JSON)`, { cause: error });
      }
      const parsed = fileSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new SnapshotStoreError(
          `${path}: not a ${SNAPSHOT_FILE_FORMAT} file (${issue?.path.join('.') || '(root)'}: ${issue?.message})`,
        );
      }
      return { file: parsed.data, existed: true };
    })();
    return loaded;
  };
  return {
    existed: async () => (await load()).existed,
    fingerprintKey: async () => (await load()).file.fingerprintKey,
    load: async (userPoolId) => (await load()).file.pools[userPoolId] as PoolSnapshot | undefined,
    save: async (snapshot) => {
      const { file } = await load();
      file.pools[snapshot.userPoolId] = snapshot as SnapshotFile['pools'][string];
      const temporary = `${path}.${process.pid}.tmp`;
      try {
        await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
        await rename(temporary, path);
      } catch (error) {
        throw new SnapshotStoreError(
          `${path}: cannot write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
          {
            cause: error,
          },
        );
      }
    },
  };
};
