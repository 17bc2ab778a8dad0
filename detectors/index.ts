/**
 * The one registry of detectors (and the one barrel of detectors/). A registry test proves every
 * detector here has a unique id and a runbook section.
 */
import { apiProbeRejected } from './api-probe-rejected';
import { canaryAuthFailed } from './canary-auth-failed';
import type { CanaryObservation } from './canary-observations';
import { canaryRefreshFailed } from './canary-refresh-failed';
import { canarySlow } from './canary-slow';
import { configDrift } from './config-drift';
import { configExpectationFailed } from './config-expectation-failed';
import type { AuditObservation } from './config-observations';
import { customAuthFailed } from './custom-auth-failed';
import { hostedUiFailed } from './hosted-ui-failed';
import { m2mTokenFailed } from './m2m-token-failed';
import type { LogObservation } from './observations';
import { signupNotConfirmed } from './signup-not-confirmed';
import { tokenInvalid } from './token-invalid';
import { triggerError } from './trigger-error';
import { triggerResponseInvalid } from './trigger-response-invalid';
import { triggerSlow } from './trigger-slow';
import { triggerTimeout } from './trigger-timeout';
import { triggerWiringBroken } from './trigger-wiring-broken';
import type { Detector, DetectorContext, Finding } from './types';

export { toAuditPassed } from './audit-passed';
export * from './canary-cause';
export * from './canary-observations';
export { toCanaryPassed } from './canary-passed';
export * from './config-observations';
export * from './observations';
export * from './types';

/** Detectors that read trigger functions' log lines. */
export const TRIGGER_LOG_DETECTORS: readonly Detector<LogObservation>[] = [
  triggerResponseInvalid,
  triggerTimeout,
  triggerSlow,
  triggerError,
];

/** Detectors that read the synthetic auth canary's observations. */
export const CANARY_DETECTORS: readonly Detector<CanaryObservation>[] = [
  canaryAuthFailed,
  canaryRefreshFailed,
  tokenInvalid,
  signupNotConfirmed,
  customAuthFailed,
  apiProbeRejected,
  hostedUiFailed,
  m2mTokenFailed,
  canarySlow,
];

/** Detectors that read the configuration audit's observations. */
export const AUDIT_DETECTORS: readonly Detector<AuditObservation>[] = [
  configDrift,
  configExpectationFailed,
  triggerWiringBroken,
];

/** Every registered detector, whatever it reads. */
export const DETECTORS: readonly Detector<never>[] = [
  ...TRIGGER_LOG_DETECTORS,
  ...CANARY_DETECTORS,
  ...AUDIT_DETECTORS,
];

/** Runs every trigger-log detector over one batch of observations. */
export const runTriggerLogDetectors = (
  observations: readonly LogObservation[],
  context: DetectorContext,
): Finding[] => TRIGGER_LOG_DETECTORS.flatMap((detector) => detector.detect(observations, context));

/** Runs every canary detector over one run's observations. */
export const runCanaryDetectors = (
  observations: readonly CanaryObservation[],
  context: DetectorContext,
): Finding[] => CANARY_DETECTORS.flatMap((detector) => detector.detect(observations, context));

/** Runs every config-audit detector over one run's observations. */
export const runAuditDetectors = (
  observations: readonly AuditObservation[],
  context: DetectorContext,
): Finding[] => AUDIT_DETECTORS.flatMap((detector) => detector.detect(observations, context));
