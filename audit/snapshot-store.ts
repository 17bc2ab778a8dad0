/**
 * Where the audit keeps the last snapshot of each pool and the key of the secret fingerprints:
 * a file for the CLI (./snapshot-file.ts), DynamoDB in the stack (./dynamodb-snapshot-store.ts),
 * memory for tests and the demo.
 */
import type { PoolSnapshot } from '../detectors/config-observations';
import { SentinelError } from '../runtime/errors';
import { newFingerprintKey } from './secret-fingerprint';

export interface SnapshotStore {
  /** The key of the client secrets' fingerprints; made on first use and kept from then on. */
  fingerprintKey(): Promise<string>;
  /** The last snapshot of a pool, or undefined when there is none yet (the next run is its baseline). */
  load(userPoolId: string): Promise<PoolSnapshot | undefined>;
  save(snapshot: PoolSnapshot): Promise<void>;
}

/** The snapshot store could not be read or written. */
export class SnapshotStoreError extends SentinelError {
  override readonly name = 'SnapshotStoreError';
  readonly code = 'snapshot-store';
}

/**
 * The snapshot to store after a run: this run's, with the sections it could not read carried
 * over from the last one (a failed call must not reset the baseline and report everything again).
 */
export const mergeUnread = (
  current: PoolSnapshot,
  previous: PoolSnapshot | undefined,
  unread: readonly string[],
): PoolSnapshot => {
  if (previous === undefined || unread.length === 0) return current;
  const sections = { ...current.sections };
  for (const section of unread) {
    const kept = previous.sections[section];
    if (kept !== undefined) sections[section] = kept;
  }
  return { ...current, sections };
};

/** Snapshots in memory, for tests and the demo. */
export const createMemorySnapshotStore = (key: string = newFingerprintKey()) => {
  const snapshots = new Map<string, PoolSnapshot>();
  return {
    snapshots,
    fingerprintKey: async () => key,
    load: async (userPoolId: string) => snapshots.get(userPoolId),
    save: async (snapshot: PoolSnapshot) => {
      snapshots.set(snapshot.userPoolId, snapshot);
    },
  } satisfies SnapshotStore & { snapshots: Map<string, PoolSnapshot> };
};
