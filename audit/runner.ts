/**
 * The configuration audit of every configured pool: read each pool (./read-pool.ts), compare with
 * its last snapshot and its declared expectations, and store the new snapshot. Returns the
 * observations for the config-audit detectors, and a note for every check that could not run.
 *
 * One pool's failure never stops the others, and a failed call never stops its pool: it becomes a
 * note, and only the checks that depend on it are skipped.
 */
import type { PoolConfig } from '../config/pool-config';
import { DEFAULT_DRIFT_HOLD_MS, HELD_SECTION, toHeldDrift } from '../detectors/config-drift';
import type {
  AuditObservation,
  AuditTarget,
  ConfigSnapshotObservation,
  PoolSnapshot,
} from '../detectors/config-observations';
import { describeError } from '../runtime/errors';
import type { TrailChange } from './cloudtrail-event';
import { toPoolExpectations } from './expectations';
import { type AuditClients, type AuditNote, readPool } from './read-pool';
import { newFingerprintKey } from './secret-fingerprint';
import { mergeUnread, type SnapshotStore } from './snapshot-store';

export interface AuditRunOptions {
  now: Date;
  /**
   * The change that made this run happen (a CloudTrail event): carried into the drift findings of
   * the pool it touched (the pool a Cognito call named, or the pools whose triggers use the function
   * a Lambda call named).
   */
  trail?: TrailChange;
  /** Without drift: the snapshot store is neither read nor written (the CLI without --snapshot-file). */
  drift?: boolean;
  /**
   * How long a breaking change is found again while it stands (its incident stays open until it
   * is reverted), in ms; 0 reports every change once. Default 24 h.
   */
  holdMs?: number;
}

export interface AuditRunResult {
  observations: AuditObservation[];
  notes: AuditNote[];
  /** Pools whose snapshot was stored as a first baseline this run. */
  baselines: string[];
  /** Pools the run's CloudTrail change concerns. */
  touched: string[];
}

export interface AuditRunner {
  run(pools: readonly PoolConfig[], options: AuditRunOptions): Promise<AuditRunResult>;
}

const toTarget = (pool: PoolConfig): AuditTarget => ({
  userPoolId: pool.userPoolId,
  region: pool.region,
  ...(pool.name === undefined ? {} : { poolName: pool.name }),
});

export const createAuditRunner = ({
  clients,
  store,
}: {
  clients: AuditClients;
  store?: SnapshotStore;
}): AuditRunner => ({
  run: async (pools, { now, trail, drift = true, holdMs = DEFAULT_DRIFT_HOLD_MS }) => {
    const storeNotes: AuditNote[] = [];
    let fingerprintKey: string | undefined;
    if (drift && store !== undefined) {
      try {
        fingerprintKey = await store.fingerprintKey();
      } catch (error) {
        storeNotes.push(
          ...pools.map((pool) => ({
            userPoolId: pool.userPoolId,
            check: 'reading the snapshot store (drift)',
            message: describeError(error),
          })),
        );
      }
    }
    // Drift needs the store and its key; without them every other check still runs.
    const useStore = store !== undefined && fingerprintKey !== undefined;
    const results = await Promise.all(
      pools.map(async (pool) => {
        const target = toTarget(pool);
        const notes: AuditNote[] = [];
        let previous: PoolSnapshot | undefined;
        let driftHere = useStore;
        if (useStore) {
          try {
            previous = await store.load(pool.userPoolId);
          } catch (error) {
            driftHere = false;
            notes.push({
              userPoolId: pool.userPoolId,
              check: 'reading the last snapshot (drift)',
              message: describeError(error),
            });
          }
        }
        const reading = await readPool({
          clients,
          target,
          // Without a store nothing is kept, so a one-off key does.
          fingerprintKey: fingerprintKey ?? newFingerprintKey(),
          knownClientIds: [
            ...new Set([
              ...pool.clients.map((client) => client.clientId),
              ...Object.keys(previous?.sections ?? {}).flatMap((section) =>
                section.startsWith('client:') ? [section.slice('client:'.length)] : [],
              ),
            ]),
          ],
          now,
        });
        notes.push(...reading.notes);
        const change =
          trail !== undefined && touches(trail, pool.userPoolId, reading.wiring) ? trail.change : undefined;
        const snapshotObservation: ConfigSnapshotObservation = {
          kind: 'config-snapshot',
          target,
          ...(previous === undefined ? {} : { previous }),
          current: reading.pool,
          ...(change === undefined ? {} : { change }),
        };
        const observations: AuditObservation[] = [
          snapshotObservation,
          {
            kind: 'config-expectations',
            target,
            expectations: toPoolExpectations(pool),
            current: reading.pool,
          },
          ...reading.wiring,
        ];
        let baseline = false;
        if (driftHere && store !== undefined && reading.pool.outcome === 'read') {
          try {
            const held = toHeldDrift(snapshotObservation, now, holdMs);
            const merged = mergeUnread(reading.pool.snapshot, previous, reading.pool.unread);
            await store.save({ ...merged, sections: { ...merged.sections, [HELD_SECTION]: held } });
            baseline = previous === undefined;
          } catch (error) {
            notes.push({
              userPoolId: pool.userPoolId,
              check: 'saving the snapshot',
              message: describeError(error),
            });
          }
        }
        return {
          observations,
          notes,
          baseline: baseline ? [pool.userPoolId] : [],
          touched: change === undefined ? [] : [pool.userPoolId],
        };
      }),
    );
    return {
      observations: results.flatMap((result) => result.observations),
      notes: [...storeNotes, ...results.flatMap((result) => result.notes)],
      baselines: results.flatMap((result) => result.baseline),
      touched: results.flatMap((result) => result.touched),
    };
  },
});

/** Whether a CloudTrail change concerns this pool: it names the pool, or a function its triggers use. */
export const touches = (
  trail: TrailChange,
  userPoolId: string,
  wiring: readonly { functionArn: string }[],
): boolean =>
  trail.userPoolId !== undefined
    ? trail.userPoolId === userPoolId
    : trail.functionName !== undefined &&
      wiring.some(
        (entry) =>
          (/:function:([^:]+)/.exec(entry.functionArn)?.[1] ?? entry.functionArn) === trail.functionName,
      );
