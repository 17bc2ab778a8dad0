/**
 * The recent configuration changes of each pool (from CloudTrail events), kept so that every later
 * page for the pool can say what changed: "UpdateUserPoolClient by arn:… 12 min before the first
 * evidence". The log keeps the last {@link MAX_CHANGES_PER_POOL} changes of a pool.
 */
import type { ConfigChange, Finding } from '../detectors/types';

/** Changes kept per pool. */
export const MAX_CHANGES_PER_POOL = 10;
/** A change older than this relative to the first evidence is not shown on a page. Default 24 h. */
export const DEFAULT_CHANGE_WINDOW_MS = 24 * 60 * 60_000;

export interface ChangeLog {
  record(userPoolId: string, change: ConfigChange): Promise<void>;
  /** The pool's kept changes, newest first. */
  list(userPoolId: string): Promise<ConfigChange[]>;
}

/** Newest first, at most the limit, one entry per CloudTrail event. */
export const appendChange = (changes: readonly ConfigChange[], change: ConfigChange): ConfigChange[] =>
  [change, ...changes.filter((kept) => kept.eventId === undefined || kept.eventId !== change.eventId)]
    .sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime))
    .slice(0, MAX_CHANGES_PER_POOL);

export const createMemoryChangeLog = (): ChangeLog => {
  const byPool = new Map<string, ConfigChange[]>();
  return {
    record: async (userPoolId, change) => {
      byPool.set(userPoolId, appendChange(byPool.get(userPoolId) ?? [], change));
    },
    list: async (userPoolId) => [...(byPool.get(userPoolId) ?? [])],
  };
};

const describeGap = (ms: number): string => {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const span = minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
  return ms >= 0 ? `${span} before the first evidence` : `${span} after the first evidence`;
};

/** The line a page shows for a change, relative to the first evidence. */
export const toChangeLine = (change: ConfigChange, firstSeen: Date): string =>
  `${change.eventName}${change.resource === undefined ? '' : ` (${change.resource})`} by ${change.principal} at ${change.eventTime} (${describeGap(firstSeen.getTime() - Date.parse(change.eventTime))})${change.source === undefined ? '' : ` from ${change.source}`}${change.via === undefined ? '' : ` via ${change.via}`}`;

/**
 * A "recent changes" lookup for the alert pipeline (the shape of alerts' RecentChangesLookup):
 * the pool's changes within the window around the finding's first evidence.
 */
export const createChangeLogLookup =
  (log: ChangeLog, windowMs: number = DEFAULT_CHANGE_WINDOW_MS, clock: () => Date = () => new Date()) =>
  async (finding: Finding): Promise<string[] | undefined> => {
    if (finding.userPoolId === undefined) return undefined;
    const at = finding.timestamp === undefined ? Number.NaN : Date.parse(finding.timestamp);
    const firstSeen = Number.isNaN(at) ? clock() : new Date(at);
    const lines = (await log.list(finding.userPoolId))
      .filter((change) => Math.abs(firstSeen.getTime() - Date.parse(change.eventTime)) <= windowMs)
      .map((change) => toChangeLine(change, firstSeen));
    return lines.length === 0 ? undefined : lines;
  };
