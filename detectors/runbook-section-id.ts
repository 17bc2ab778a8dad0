/**
 * Runbook section ids. Pure and import-free at runtime so detectors can name the section a finding
 * belongs to without pulling in the runbook text.
 */

import type { TriggerName } from '../contracts/triggers';
import type { Cause, DetectorId } from './types';

/** Id of the section that explains a contract violation by one trigger. */
export type TriggerContractSectionId = `trigger-response-invalid-${Lowercase<TriggerName>}`;

/** Id of the section that explains one canary cause (`canary-cause-flow-not-enabled`). */
export type CanaryCauseSectionId = `canary-cause-${Cause}`;

/**
 * Every id a runbook section can have: one per detector, one per trigger for contract violations,
 * and one per canary cause.
 */
export type RunbookSectionId = DetectorId | TriggerContractSectionId | CanaryCauseSectionId;

/**
 * The runbook section for a finding. A `trigger-response-invalid` finding with a known trigger gets
 * that trigger's contract section (`trigger-response-invalid-presignup`); every other finding gets
 * its detector's section, whose id equals the detector id.
 */
export const runbookSectionId = (detector: DetectorId, trigger?: TriggerName): RunbookSectionId =>
  detector === 'trigger-response-invalid' && trigger !== undefined
    ? `trigger-response-invalid-${trigger.toLowerCase() as Lowercase<TriggerName>}`
    : detector;

/** The section for a canary finding's cause; canary findings with a cause carry it instead of the detector's. */
export const canaryCauseSectionId = (cause: Cause): CanaryCauseSectionId => `canary-cause-${cause}`;
