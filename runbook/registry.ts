/**
 * The one list of runbook sections. Order is the order of docs/runbook.md: trigger-log detectors
 * (the generic contract section, one per trigger, then timeout, slow, error), canary (one per
 * detector, then one per cause), config audit, and the general fallback last.
 */
import {
  API_PROBE_REJECTED_SECTION,
  CANARY_AUTH_FAILED_SECTION,
  CANARY_REFRESH_FAILED_SECTION,
  CANARY_SLOW_SECTION,
  CUSTOM_AUTH_FAILED_SECTION,
  HOSTED_UI_FAILED_SECTION,
  M2M_TOKEN_FAILED_SECTION,
  SIGNUP_NOT_CONFIRMED_SECTION,
  TOKEN_INVALID_SECTION,
} from './sections/canary';
import { CANARY_CAUSE_SECTIONS } from './sections/canary-causes';
import {
  CONFIG_DRIFT_SECTION,
  CONFIG_EXPECTATION_FAILED_SECTION,
  TRIGGER_WIRING_BROKEN_SECTION,
} from './sections/config-audit';
import { GENERAL_SECTION } from './sections/general';
import { TRIGGER_CONTRACT_SECTIONS, TRIGGER_RESPONSE_INVALID_SECTION } from './sections/trigger-contracts';
import {
  TRIGGER_ERROR_SECTION,
  TRIGGER_SLOW_SECTION,
  TRIGGER_TIMEOUT_SECTION,
} from './sections/trigger-runtime';
import type { RunbookSection } from './types';

const SECTIONS: readonly RunbookSection[] = [
  TRIGGER_RESPONSE_INVALID_SECTION,
  ...TRIGGER_CONTRACT_SECTIONS,
  TRIGGER_TIMEOUT_SECTION,
  TRIGGER_SLOW_SECTION,
  TRIGGER_ERROR_SECTION,
  CANARY_AUTH_FAILED_SECTION,
  CANARY_REFRESH_FAILED_SECTION,
  TOKEN_INVALID_SECTION,
  SIGNUP_NOT_CONFIRMED_SECTION,
  CUSTOM_AUTH_FAILED_SECTION,
  API_PROBE_REJECTED_SECTION,
  HOSTED_UI_FAILED_SECTION,
  M2M_TOKEN_FAILED_SECTION,
  CANARY_SLOW_SECTION,
  ...CANARY_CAUSE_SECTIONS,
  CONFIG_DRIFT_SECTION,
  CONFIG_EXPECTATION_FAILED_SECTION,
  TRIGGER_WIRING_BROKEN_SECTION,
  GENERAL_SECTION,
];

const BY_ID: ReadonlyMap<string, RunbookSection> = new Map(SECTIONS.map((section) => [section.id, section]));

/** The section with this id, or `undefined`. */
export const getRunbookSection = (id: string): RunbookSection | undefined => BY_ID.get(id);

/** Every section, in documentation order. */
export const listRunbookSections = (): RunbookSection[] => [...SECTIONS];
