/**
 * The checks a config audit run passed, as dedup-key prefixes (CheckReport.passed): an open
 * incident whose key starts with one of them, and that was not found again, counts one healthy run
 * toward its resolve. Built from the same checks as the detectors' findings, so a check that could
 * not run (a section not read, a lookup that failed) passes nothing.
 */
import { TRIGGERS } from '../contracts/triggers';
import { auditDedupKey } from './audit-finding';
import { checkExpectations } from './config-expectation-failed';
import { type AuditObservation, clientOfSection } from './config-observations';
import { checkWiring } from './trigger-wiring-broken';

/** Prefixes of the audit checks that ran and passed. */
export const toAuditPassed = (observations: readonly AuditObservation[], now: Date): string[] => {
  const passed = new Set<string>();
  for (const observation of observations) {
    switch (observation.kind) {
      case 'config-snapshot': {
        const { current, target } = observation;
        if (current.outcome !== 'read') break;
        const unread = new Set(current.unread);
        if (unread.size === 0) {
          passed.add(auditDedupKey('config-drift', target));
          break;
        }
        // Only what was read this run: each read section's fields, each read client as a whole.
        const sections = new Set([
          ...Object.keys(current.snapshot.sections),
          ...Object.keys(observation.previous?.sections ?? {}),
        ]);
        for (const section of sections) {
          if (unread.has(section) || section === 'held') continue;
          const clientId = clientOfSection(section);
          if (clientId !== undefined) {
            passed.add(auditDedupKey('config-drift', target, `clients.${clientId}`));
            continue;
          }
          const fields = new Set([
            ...Object.keys(current.snapshot.sections[section] ?? {}),
            ...Object.keys(observation.previous?.sections[section] ?? {}),
          ]);
          for (const field of fields) passed.add(auditDedupKey('config-drift', target, field));
        }
        if (!unread.has('pool')) passed.add(auditDedupKey('config-drift', target, 'UserPool'));
        break;
      }
      case 'config-expectations':
        for (const check of checkExpectations(observation))
          if (check.finding === undefined) passed.add(check.dedupKey);
        if (observation.current.outcome === 'read' && !observation.current.unread.includes('pool')) {
          passed.add(auditDedupKey('config-expectation-failed', observation.target, 'UserPool'));
          // A wiring incident whose trigger is no longer in LambdaConfig has nothing left to check.
          for (const trigger of TRIGGERS) {
            const field = observation.current.snapshot.sections.pool?.[`LambdaConfig.${trigger}`];
            if (field === undefined)
              passed.add(auditDedupKey('trigger-wiring-broken', observation.target, trigger));
          }
        }
        break;
      case 'trigger-wiring':
        for (const check of checkWiring(observation, now))
          if (check.finding === undefined) passed.add(check.dedupKey);
        break;
    }
  }
  return [...passed];
};
