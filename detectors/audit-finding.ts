/**
 * Shared pieces of the config-audit detectors: what a title calls the pool, the location fields,
 * dedup keys and the `passed` prefixes of checks that ran clean. Pure.
 */
import type { AuditTarget } from './config-observations';
import { type ConfigChange, type DetectorId, type Finding, toDedupKey } from './types';

/** `shop-users (us-east-1_AbC)`, or the pool id alone. */
export const describePool = (target: AuditTarget): string =>
  target.poolName === undefined ? target.userPoolId : `${target.poolName} (${target.userPoolId})`;

/** The dedup key of an audit finding: detector, pool, then what (a field, or trigger and cause). */
export const auditDedupKey = (detector: DetectorId, target: AuditTarget, ...what: string[]): string =>
  toDedupKey(detector, target.userPoolId, ...what);

/** The line a page shows for a change: `UpdateUserPoolClient (4i2o…) by arn:… at … from an IP address via aws-cli/2.15.0`. */
export const describeChange = (change: ConfigChange): string =>
  `${change.eventName}${change.resource === undefined ? '' : ` (${change.resource})`} by ${change.principal} at ${change.eventTime}${change.source === undefined ? '' : ` from ${change.source}`}${change.via === undefined ? '' : ` via ${change.via}`}`;

/** The fields every audit finding of a target carries. */
export const auditLocation = (
  target: AuditTarget,
  change: ConfigChange | undefined,
): Pick<Finding, 'userPoolId' | 'region' | 'change'> => ({
  userPoolId: target.userPoolId,
  region: target.region,
  ...(change === undefined ? {} : { change }),
});
