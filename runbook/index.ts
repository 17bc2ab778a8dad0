/**
 * The runbook: one section per detector and one per trigger for contract violations, rendered for a
 * finding with its commands filled in.
 */

export {
  type RunbookSectionId,
  runbookSectionId,
  type TriggerContractSectionId,
} from '../detectors/runbook-section-id';
export { getRunbookSection, listRunbookSections } from './registry';
export { renderRunbookSection, resolveRunbookSection } from './render';
export { GENERAL_SECTION_ID } from './sections/general';
export type { RenderedRunbookSection, RunbookFormat, RunbookSection, Step } from './types';
