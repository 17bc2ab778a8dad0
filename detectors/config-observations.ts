/**
 * Typed observations of the configuration audit (audit/) for the config-audit detectors: the
 * normalised snapshot of a pool's watched settings (with the previous one, for drift), the
 * declared expectations next to it, and what Lambda says about each trigger function.
 *
 * Plain data, already safe to show: a client secret appears only as a keyed hash
 * (`hmac-sha256:<hex>`), never as itself.
 */
import type { TriggerName } from '../contracts/triggers';
import type { ConfigChange } from './types';

/** A watched setting's value: sets of strings are sorted, so order never reads as a change. */
export type SettingValue = string | number | boolean | readonly string[];

/** Settings by field name, in AWS API terms (`clients.<clientId>.CallbackURLs`, `LambdaConfig.PreSignUp`). */
export type Settings = Readonly<Record<string, SettingValue>>;

/**
 * Section ids of a snapshot: the pool (`pool`, DescribeUserPool), its domains (`domain`,
 * DescribeUserPoolDomain), one per app client (`client:<clientId>`) and one per wired trigger
 * function (`function:<Trigger>`, GetFunctionConfiguration). A section is read, or not, as a
 * whole: one that could not be read keeps its previous values and is not compared.
 */
export type SectionId = 'pool' | 'domain' | `client:${string}` | `function:${string}`;

/** The client a `client:<id>` section describes, or undefined for another section. */
export const clientOfSection = (section: string): string | undefined =>
  section.startsWith('client:') ? section.slice('client:'.length) : undefined;

/** The normalised settings of one pool at one time. */
export interface PoolSnapshot {
  userPoolId: string;
  region: string;
  /** ISO-8601 time the snapshot was taken. */
  takenAt: string;
  /** Settings by section; field names are unique across sections. */
  sections: Readonly<Record<string, Settings>>;
}

/** The pool an audit looked at. */
export interface AuditTarget {
  userPoolId: string;
  region: string;
  /** The pool's short name from config, for titles. */
  poolName?: string;
}

/** What the audit could read of the pool this run. */
export type AuditedPool =
  | {
      outcome: 'read';
      snapshot: PoolSnapshot /** Sections that could not be read this run. */;
      unread: readonly string[];
    }
  /** DescribeUserPool said the pool does not exist. */
  | { outcome: 'pool-not-found' }
  /** DescribeUserPool failed otherwise (throttled, access denied, unsupported): nothing to compare. */
  | { outcome: 'unreadable'; message: string };

/** One run's snapshot of a pool and the one before it (drift). */
export interface ConfigSnapshotObservation {
  kind: 'config-snapshot';
  target: AuditTarget;
  /** The last stored snapshot; absent on the first run (the baseline) or without a snapshot store. */
  previous?: PoolSnapshot;
  current: AuditedPool;
  /** The change that made this run happen (a CloudTrail event), when one did. */
  change?: ConfigChange;
}

/** A duration as written in the config (`60m`, `30d`) and in seconds. */
export interface ExpectedDuration {
  seconds: number;
  text: string;
}

/** What the config declares about one app client. Every key is optional. */
export interface ClientExpectations {
  clientId: string;
  /** Exact set of callback URLs (a trailing slash is part of the URL). */
  callbackUrls?: readonly string[];
  logoutUrls?: readonly string[];
  explicitAuthFlows?: readonly string[];
  allowedOAuthFlows?: readonly string[];
  allowedOAuthScopes?: readonly string[];
  hasSecret?: boolean;
  tokenValidity?: {
    accessToken?: ExpectedDuration;
    idToken?: ExpectedDuration;
    refreshToken?: ExpectedDuration;
  };
  preventUserExistenceErrors?: boolean;
  enableTokenRevocation?: boolean;
  refreshTokenRotation?: boolean;
}

/** What the config declares about a pool and its clients. */
export interface PoolExpectations {
  deletionProtection?: boolean;
  mfa?: 'OFF' | 'ON' | 'OPTIONAL';
  /** The Cognito domain prefix or the custom domain. */
  domain?: string;
  /** Trigger → function name or ARN it must point at. */
  triggers?: Readonly<Partial<Record<TriggerName, string>>>;
  /** Every configured client (each must exist), with its expectations. */
  clients: readonly ClientExpectations[];
}

/** The declared expectations of a pool next to what the audit read. */
export interface ConfigExpectationsObservation {
  kind: 'config-expectations';
  target: AuditTarget;
  expectations: PoolExpectations;
  current: AuditedPool;
}

/** One statement of a function's resource policy, as the detector needs it. */
export interface PolicyStatement {
  sid?: string;
  effect: string;
  /** `Service` principals, account ids or ARNs, or `*`. */
  principals: readonly string[];
  actions: readonly string[];
  /** Condition operator → key (lower case) → values. */
  conditions: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

/** What GetFunctionConfiguration said about a trigger function. */
export type TriggerFunctionLookup =
  | {
      outcome: 'found';
      functionName: string;
      runtime?: string;
      timeoutSeconds?: number;
      /** ISO-8601 time of the last code or configuration change. */
      lastModified?: string;
      version?: string;
      codeSha256?: string;
    }
  | { outcome: 'not-found'; message: string }
  | { outcome: 'unreadable'; message: string };

/** What GetPolicy said about a trigger function's resource policy. */
export type TriggerPolicyLookup =
  | { outcome: 'found'; statements: readonly PolicyStatement[] }
  /** The function has no resource policy at all. */
  | { outcome: 'none' }
  | { outcome: 'unreadable'; message: string }
  /** Not looked up (the function is missing or could not be read). */
  | { outcome: 'skipped' };

/** One LambdaConfig entry and what Lambda says about its function. */
export interface TriggerWiringObservation {
  kind: 'trigger-wiring';
  target: AuditTarget;
  /** The pool's ARN (the SourceArn a resource policy must name), when DescribeUserPool gave it. */
  poolArn?: string;
  trigger: TriggerName;
  /** The function LambdaConfig names (an ARN, possibly with a version or alias). */
  functionArn: string;
  /** Whether LambdaConfig has a KMSKeyID (custom sender triggers need one). */
  kmsKeyConfigured: boolean;
  function: TriggerFunctionLookup;
  policy: TriggerPolicyLookup;
}

/** Everything a config audit run observes. */
export type AuditObservation =
  | ConfigSnapshotObservation
  | ConfigExpectationsObservation
  | TriggerWiringObservation;

/** Token validity units Cognito accepts, in seconds. */
const UNIT_SECONDS: Readonly<Record<string, number>> = {
  seconds: 1,
  minutes: 60,
  hours: 3_600,
  days: 86_400,
};

/**
 * Seconds of a validity setting as the snapshot writes it (`60 minutes`, `30 days`), or undefined
 * when it is not one.
 */
export const validitySeconds = (value: SettingValue | undefined): number | undefined => {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+) (seconds|minutes|hours|days)$/.exec(value);
  if (!match) return undefined;
  return Number(match[1]) * (UNIT_SECONDS[match[2] ?? ''] ?? Number.NaN);
};

/** `LambdaConfig.PreSignUp`: the snapshot field that holds a trigger's function ARN. */
export const triggerField = (trigger: TriggerName): string => `LambdaConfig.${trigger}`;

/** `clients.<clientId>.<name>`: the snapshot field of a client setting. */
export const clientField = (clientId: string, name: string): string => `clients.${clientId}.${name}`;

/** A value as a title or a page shows it: lists in brackets, absent as `(not set)`. */
export const describeSetting = (value: SettingValue | undefined): string => {
  if (value === undefined) return '(not set)';
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[${value.join(', ')}]`;
  return String(value);
};
