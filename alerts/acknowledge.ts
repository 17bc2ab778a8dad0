/**
 * Acknowledging an incident from where an SNS or Chatbot page lands (PagerDuty has its own
 * acknowledge button): the page carries the command, the command marks the incident's current
 * episode acknowledged in the incident table, and the incident rules send no reminder while it
 * stays acknowledged (`isAcknowledged` in incident-policy.ts). A resolve or a re-opening clears it.
 */
import { boundDedupKey } from '../detectors/types';
import { shellQuote } from '../runbook/shell';
import { type AcknowledgeOutcome, acknowledgeIncident } from './incident-policy';
import type { IncidentStore } from './incident-store';

/** Where the acknowledge command finds the incident: the deployed stage (its table and region). */
export interface AckTarget {
  stage: string;
  /** The incident table, only when it is not the stage's own (`incidentTableName(stage)`). */
  table?: string;
  /** The deployment's region (the command names it, so a shell set to another region still works). */
  region?: string;
}

/**
 * `npx cognito-sentinel ack <dedup-key> --stage S [--region R] [--table T]`, every value quoted for
 * the shell (a dedup key is built from log content). Pure.
 */
export const toAckCommand = (dedupKey: string, target: AckTarget): string =>
  [
    'npx cognito-sentinel ack',
    // `--` keeps a key that starts with `-` from being read as an option.
    ...(dedupKey.startsWith('-') ? ['--'] : []),
    shellQuote(dedupKey),
    `--stage ${shellQuote(target.stage)}`,
    ...(target.region === undefined ? [] : [`--region ${shellQuote(target.region)}`]),
    ...(target.table === undefined ? [] : [`--table ${shellQuote(target.table)}`]),
  ].join(' ');

/** What {@link acknowledgeInStore} did. */
export type AcknowledgeResult = AcknowledgeOutcome | { outcome: 'busy' };

/** Conditional-write conflicts tolerated before giving up (a run is updating the incident). */
const MAX_ATTEMPTS = 8;

/**
 * Acknowledges the incident with this dedup key in the store: read, decide, write conditionally on
 * the version, again on a conflict. The key is bounded the way the pipeline bounds it, so the key
 * printed in a page always names the stored incident. `busy` when it kept changing under us.
 * Throws IncidentStoreError when the store is unavailable.
 */
export const acknowledgeInStore = async (
  store: IncidentStore,
  dedupKey: string,
  by: string,
  now: Date,
): Promise<AcknowledgeResult> => {
  const key = boundDedupKey(dedupKey);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const record = await store.get(key);
    const outcome = acknowledgeIncident(record, by, now);
    if (outcome.outcome !== 'acknowledged') return outcome;
    if (await store.put(outcome.next, record?.version)) return outcome;
  }
  return { outcome: 'busy' };
};
