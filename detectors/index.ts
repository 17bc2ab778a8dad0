/**
 * The one registry of detectors (and the one barrel of detectors/). A registry test proves every
 * detector here has a unique id and a runbook section.
 */
import type { LogObservation } from './observations';
import { triggerError } from './trigger-error';
import { triggerResponseInvalid } from './trigger-response-invalid';
import { triggerSlow } from './trigger-slow';
import { triggerTimeout } from './trigger-timeout';
import type { Detector, DetectorContext, Finding } from './types';

export * from './observations';
export * from './types';

/** Detectors that read trigger functions' log lines. */
export const TRIGGER_LOG_DETECTORS: readonly Detector<LogObservation>[] = [
  triggerResponseInvalid,
  triggerTimeout,
  triggerSlow,
  triggerError,
];

/** Every registered detector, whatever it reads. */
export const DETECTORS: readonly Detector<never>[] = [...TRIGGER_LOG_DETECTORS];

/** Runs every trigger-log detector over one batch of observations. */
export const runTriggerLogDetectors = (
  observations: readonly LogObservation[],
  context: DetectorContext,
): Finding[] => TRIGGER_LOG_DETECTORS.flatMap((detector) => detector.detect(observations, context));
