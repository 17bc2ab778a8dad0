/**
 * The finding contract and the detector interface. Everything in `detectors/` is pure: time,
 * configuration and input arrive as arguments (no AWS SDK, no environment variables, no clock,
 * no logging).
 */
import type { TriggerName } from '../contracts/triggers';

export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Rank for `--fail-on` comparisons: higher is worse. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  info: 0,
  warning: 1,
  error: 2,
  critical: 3,
};

/** Stable detector ids: alert routing, dedup keys and runbook anchors depend on them. */
export const DETECTOR_IDS = [
  'trigger-response-invalid',
  'trigger-timeout',
  'trigger-slow',
  'trigger-error',
  'canary-auth-failed',
  'canary-refresh-failed',
  'token-invalid',
  'signup-not-confirmed',
  'custom-auth-failed',
  'api-probe-rejected',
  'canary-slow',
  'config-drift',
  'config-expectation-failed',
  'trigger-wiring-broken',
  'hosted-ui-failed',
  'm2m-token-failed',
] as const;
export type DetectorId = (typeof DETECTOR_IDS)[number];

/** Canary failure causes (docs/findings.md). */
export const CAUSES = [
  'user-not-confirmed',
  'user-disabled',
  'incorrect-credentials',
  'user-not-found',
  'password-reset-required',
  'new-password-required',
  'flow-not-enabled',
  'secret-hash-mismatch',
  'client-not-found',
  'pool-not-found',
  'trigger-failed',
  'trigger-invalid-response',
  'trigger-unreachable',
  'refresh-token-revoked',
  'refresh-token-invalid',
  'unexpected-challenge',
  'throttled',
  'access-denied',
  'unknown',
  // Appended for the canary: Cognito unreachable from the monitor after retries (not "auth broken").
  'network',
  // Cognito's own email sender hit its daily quota (`LimitExceededException: Exceeded daily email limit ...`).
  'email-quota-exceeded',
  // CUSTOM_AUTH asked of a pool with no DefineAuthChallenge trigger.
  'custom-auth-not-configured',
  // An auth flow the API does not take (`Initiate Auth method not supported.`).
  'auth-flow-not-supported',
  // MFA on the sign-in (TOTP answered by the canary; SMS and email codes cannot be read by it).
  'mfa-required',
  'mfa-not-enrolled',
  'mfa-code-rejected',
  // The hosted UI (managed login) probe.
  'redirect-mismatch',
  'domain-unreachable',
  'certificate-expiring',
  'issuer-mismatch',
  'jwks-key-missing',
  // Machine-to-machine tokens (client_credentials): Cognito's OAuth error codes.
  'invalid-client',
  'invalid-scope',
  'unauthorized-client',
] as const;
export type Cause = (typeof CAUSES)[number];

/**
 * Why a trigger's wiring is broken (`trigger-wiring-broken`): the function does not exist, its
 * resource policy does not let Cognito invoke it for this pool, its timeout is longer than
 * Cognito's 5 s wait, its runtime is deprecated, or a custom sender trigger has no KMS key.
 */
export const WIRING_CAUSES = [
  'function-missing',
  'permission-missing',
  'timeout-over-limit',
  'runtime-deprecated',
  'kms-key-missing',
] as const;
export type WiringCause = (typeof WIRING_CAUSES)[number];

/** A configuration change as CloudTrail recorded it: what, when, by whom, from where. */
export interface ConfigChange {
  /** The API call, e.g. `UpdateUserPoolClient`. */
  eventName: string;
  /** `cognito-idp.amazonaws.com` or `lambda.amazonaws.com`. */
  eventSource: string;
  /** ISO-8601 time of the call. */
  eventTime: string;
  /** `userIdentity.arn` (or its type and principal when there is no ARN). */
  principal: string;
  /**
   * From where: the AWS service that called on someone's behalf (`cloudformation.amazonaws.com`),
   * or `an IP address` (the address itself is personal data and is not kept).
   */
  source?: string;
  /** The tool, from the user agent's first word: the AWS console's host name, `aws-cli/2.15.0`, `Terraform/1.9.0`. */
  via?: string;
  /** CloudTrail `eventID`, to find the record again. */
  eventId?: string;
  /** What it named: a client id, a function name, a domain. */
  resource?: string;
}

/** A finding is plain data: the CLI prints it as a JSON line, sinks render it. */
export interface Finding {
  detector: DetectorId;
  severity: Severity;
  /** Names the root cause, e.g. `PreSignUp returned autoConfirmUser as a string ("true"), Cognito expects a boolean`. */
  title: string;
  userPoolId?: string;
  clientId?: string;
  region?: string;
  /** LambdaConfig key of the trigger involved. */
  trigger?: TriggerName;
  triggerSource?: string;
  /** For contract violations: dotted path such as `response.autoConfirmUser`. */
  field?: string;
  expected?: string;
  actual?: string;
  cause?: Cause | WiringCause;
  /** For `config-drift`: the setting's value in the last snapshot and now. */
  before?: string;
  after?: string;
  /** The configuration change that explains the finding (config audit, from CloudTrail), when known. */
  change?: ConfigChange;
  /** Lambda function name, when the evidence comes from its log group. */
  functionName?: string;
  logGroup?: string;
  logStream?: string;
  requestId?: string;
  /** ISO-8601 time of the evidence. */
  timestamp?: string;
  /** Redacted excerpts: never a token, password, secret or personal data. */
  evidence: string[];
  /** Stable per incident: detector + pool + client/trigger + cause/field; never a timestamp. */
  dedupKey: string;
  /** Runbook section id, see runbook/. */
  runbook: string;
  /**
   * How many identical findings (same dedup key, severity and title) this one stands for, when a
   * batch was collapsed and it saw more than one; absent means one. The fields above are the first
   * occurrence's; `evidence` holds excerpts of the first few.
   */
  occurrences?: number;
  /** ISO-8601 time of the first and last collapsed occurrence, with `occurrences`. */
  firstSeen?: string;
  lastSeen?: string;
}

/** Tunables that detectors read. Units are in the names. */
export interface DetectorConfig {
  /** A trigger slower than this raises `trigger-slow` (warning). Default 3000 ms, well under Cognito's 5 s. */
  slowThresholdMs: number;
  /** Cognito's own wait for a synchronous trigger; at or past this the caller already failed. Default 5000 ms. */
  cognitoTimeoutMs: number;
}

export const DEFAULT_DETECTOR_CONFIG: Readonly<DetectorConfig> = {
  slowThresholdMs: 3_000,
  cognitoTimeoutMs: 5_000,
};

export interface DetectorContext {
  config: DetectorConfig;
  now: Date;
  /**
   * Collapse identical findings of the call into one with `occurrences` (detectors/collapse.ts),
   * building evidence for the first few only. Default false: one finding per invocation.
   */
  collapse?: boolean;
}

export interface Detector<O> {
  readonly id: DetectorId;
  /** One-line description for docs and `--help`. */
  readonly description: string;
  detect(observations: readonly O[], context: DetectorContext): Finding[];
}

/**
 * The `detect` of a detector that reads one kind of observation, each on its own: what
 * `toFindings` gives for every observation of that kind, in order, without the `undefined`s.
 */
export const detectEachOfKind =
  <O extends { kind: string }, K extends O['kind']>(
    kind: K,
    toFindings: (
      observation: Extract<O, { kind: K }>,
      context: DetectorContext,
    ) => readonly (Finding | undefined)[],
  ) =>
  (observations: readonly O[], context: DetectorContext): Finding[] =>
    observations.flatMap((observation) =>
      observation.kind === kind
        ? toFindings(observation as Extract<O, { kind: K }>, context).filter(
            (finding): finding is Finding => finding !== undefined,
          )
        : [],
    );

/**
 * Longest dedup key, in UTF-16 code units: PagerDuty's `dedup_key` limit (255 characters), and far
 * under DynamoDB's 2,048-byte partition key limit (at most 3 UTF-8 bytes per code unit).
 */
export const MAX_DEDUP_KEY_CHARS = 255;
const HASH_CHARS = 16;

/** 32-bit FNV-1a over UTF-16 code units, as 8 hex digits. Pure and stable across runtimes. */
const fnv1a = (text: string, seed: number): string => {
  let hash = seed >>> 0;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
};

/**
 * The key itself when it has at most {@link MAX_DEDUP_KEY_CHARS} code units; else a readable
 * prefix, `~`, and a 64-bit hash of the whole key (so distinct long keys stay distinct and the same
 * long key maps to the same bounded key on every run). Idempotent.
 */
export const boundDedupKey = (key: string): string => {
  if (key.length <= MAX_DEDUP_KEY_CHARS) return key;
  let end = MAX_DEDUP_KEY_CHARS - HASH_CHARS - 1;
  const last = key.charCodeAt(end - 1);
  // Never end the prefix on half a surrogate pair.
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${key.slice(0, end)}~${fnv1a(key, 0x811c9dc5)}${fnv1a(key, 0x050c5d1f)}`;
};

/**
 * Builds a dedup key from its parts, skipping the unknown ones, bounded by {@link boundDedupKey}
 * (a part such as an error type comes from log content and can be any length). Never include a
 * timestamp.
 */
export const toDedupKey = (...parts: ReadonlyArray<string | undefined>): string => {
  let key = '';
  for (const part of parts) {
    if (part === undefined || part === '') continue;
    key = key === '' ? part : `${key}:${part}`;
  }
  return boundDedupKey(key);
};
