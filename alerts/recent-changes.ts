/**
 * "What changed?" for a page: when the failing resource is a watched trigger function, the time
 * of its last deploy (Lambda GetFunctionConfiguration `LastModified`) relative to the first
 * evidence. The seed runbook's root cause was found exactly this way: "PreSignUp Lambda was
 * updated 2 hours ago".
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { toWatchedFunctions } from '../config/watched-functions';
import type { Finding } from '../detectors/types';
import { awsClientOptions } from '../runtime/aws-client-options';
import { perRegion } from '../runtime/per-region';
import type { RecentChangesLookup } from './pipeline';

export { toWatchedFunctions };

/** A change further back than this from the first evidence is not reported as recent. Default 24 h. */
export const DEFAULT_RECENT_WINDOW_MS = 24 * 60 * 60_000;

export interface LambdaRecentChangesOptions {
  /** The Lambda client of a region, or a promise of it. */
  lambda: (region: string) => Pick<LambdaClient, 'send'> | Promise<Pick<LambdaClient, 'send'>>;
  /** Only these functions are looked up (the watched trigger functions the role may read). */
  isWatched: (functionName: string) => boolean;
  windowMs?: number;
}

/** Lambda writes `2026-11-26T09:13:02.123+0000`; Date wants a colon in the offset. */
export const parseLambdaTimestamp = (text: string): Date | undefined => {
  const date = new Date(text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(date.getTime()) ? undefined : date;
};

const describeSpan = (ms: number): string => {
  const seconds = Math.round(Math.abs(ms) / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return `${hours} h`;
};

/**
 * The line a page shows for a function deployed at `modified`, relative to the first evidence at
 * `firstSeen`; undefined when the deploy is outside the window.
 */
export const toDeployChange = (
  functionName: string,
  modified: Date,
  firstSeen: Date,
  details: { version?: string; codeSha256?: string },
  windowMs = DEFAULT_RECENT_WINDOW_MS,
): string | undefined => {
  const gap = firstSeen.getTime() - modified.getTime();
  if (Math.abs(gap) > windowMs) return undefined;
  const when =
    gap >= 0
      ? `${describeSpan(gap)} before the first evidence`
      : `${describeSpan(gap)} after the first evidence`;
  const code = details.codeSha256 ? `, code ${details.codeSha256.slice(0, 12)}` : '';
  const version = details.version && details.version !== '$LATEST' ? `, version ${details.version}` : '';
  return `Lambda ${functionName} was deployed at ${modified.toISOString()} (${when}${version}${code})`;
};

const firstSeenOf = (finding: Finding): Date => {
  const at = finding.timestamp ? new Date(finding.timestamp) : new Date(Number.NaN);
  return Number.isNaN(at.getTime()) ? new Date() : at;
};

/** A lookup for the alert pipeline; errors reach the pipeline, which logs them and pages without the line. */
export const createLambdaRecentChanges = ({
  lambda,
  isWatched,
  windowMs = DEFAULT_RECENT_WINDOW_MS,
}: LambdaRecentChangesOptions): RecentChangesLookup => {
  return async (finding) => {
    const { functionName, region } = finding;
    if (!functionName || !region || !isWatched(functionName)) return undefined;
    const [client, { GetFunctionConfigurationCommand }] = await Promise.all([
      lambda(region),
      import('@aws-sdk/client-lambda'),
    ]);
    const configuration = await client.send(
      new GetFunctionConfigurationCommand({ FunctionName: functionName }),
    );
    const modified = configuration.LastModified
      ? parseLambdaTimestamp(configuration.LastModified)
      : undefined;
    if (!modified) return undefined;
    const change = toDeployChange(
      functionName,
      modified,
      firstSeenOf(finding),
      {
        ...(configuration.Version ? { version: configuration.Version } : {}),
        ...(configuration.CodeSha256 ? { codeSha256: configuration.CodeSha256 } : {}),
      },
      windowMs,
    );
    return change === undefined ? undefined : [change];
  };
};

/**
 * Lambda clients built once per region and container (the standard credential chain), the SDK
 * package loaded on the first lookup: only a finding about a watched function needs one.
 */
export const regionalLambda = (): ((region: string) => Promise<LambdaClient>) =>
  perRegion(async (region) => {
    const { LambdaClient } = await import('@aws-sdk/client-lambda');
    return new LambdaClient({ ...awsClientOptions('recentChanges'), region });
  });

/** The production lookup: deploy times of the functions behind `logGroups`, from each region's Lambda API. */
export const createWatchedFunctionChanges = (logGroups: Iterable<string>): RecentChangesLookup => {
  const watched = toWatchedFunctions(logGroups);
  return createLambdaRecentChanges({ lambda: regionalLambda(), isWatched: (name) => watched.has(name) });
};

/** Several lookups as one: their lines in order; a failing one is skipped while another has lines. */
export const combineRecentChanges =
  (...lookups: RecentChangesLookup[]): RecentChangesLookup =>
  async (finding) => {
    const results = await Promise.allSettled(lookups.map((lookup) => lookup(finding)));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    const lines = results.flatMap((result) =>
      result.status === 'fulfilled' ? [...(result.value ?? [])] : [],
    );
    // Nothing at all and a failure: let the pipeline log the failure as it does for one lookup.
    if (lines.length === 0 && failed !== undefined) throw failed.reason;
    return lines.length === 0 ? undefined : lines;
  };

/**
 * The lookup of a function monitoring `pools`: the last deploy of each pool's watched trigger
 * functions, then `other` (pool configuration changes).
 */
export const poolRecentChanges = (
  pools: readonly { triggerLogGroups?: Readonly<Record<string, unknown>> }[],
  other: RecentChangesLookup,
): RecentChangesLookup =>
  combineRecentChanges(
    createWatchedFunctionChanges(pools.flatMap((pool) => Object.keys(pool.triggerLogGroups ?? {}))),
    other,
  );
