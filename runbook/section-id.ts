/**
 * Runbook section ids. Pure and import-free at runtime so detectors can name the section a finding
 * belongs to without pulling in the runbook text.
 */

import type { TriggerName } from '../contracts/triggers';
import type { DetectorId } from '../detectors/types';

/** Id of the section that explains a contract violation by one trigger. */
export type TriggerContractSectionId = `trigger-response-invalid-${Lowercase<TriggerName>}`;

/** Every id a runbook section can have: one per detector, plus one per trigger for contract violations. */
export type RunbookSectionId = DetectorId | TriggerContractSectionId;

/**
 * The runbook section for a finding. A `trigger-response-invalid` finding with a known trigger gets
 * that trigger's contract section (`trigger-response-invalid-presignup`); every other finding gets
 * its detector's section, whose id equals the detector id.
 */
export const runbookSectionId = (detector: DetectorId, trigger?: TriggerName): RunbookSectionId =>
  detector === 'trigger-response-invalid' && trigger !== undefined
    ? `trigger-response-invalid-${trigger.toLowerCase() as Lowercase<TriggerName>}`
    : detector;
