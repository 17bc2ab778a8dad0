/**
 * The incident rules' tunables and their defaults, beside the config schema that lets a deployment
 * override them (`alerts.reminderIntervalMinutes`, `alerts.resolve`, `alerts.flapping` in
 * sentinel.config.yml). The rules themselves live in
 * alerts/incident-policy.ts.
 */

/** Tunables of the incident rules. Durations in milliseconds. */
export interface IncidentPolicy {
  /** Time between reminders for an incident that keeps failing; 0 turns reminders off. Default 4 h. */
  reminderIntervalMs: number;
  /** Consecutive passing runs (canary, config audit) that resolve an incident. Default 2. */
  passesToResolve: number;
  /** Time without a recurrence after which a trigger-log incident resolves. Default 15 min. */
  quietWindowMs: number;
  /** Re-openings within {@link flapWindowMs} that hold an incident open. Default 3. */
  flapMaxReopens: number;
  /** The flap window. Default 60 min. */
  flapWindowMs: number;
  /** How long a delivery claim keeps other invocations from delivering; keep it above the function timeout. Default 2 min. */
  claimLeaseMs: number;
  /** How long an incident is kept once resolved and fully delivered (DynamoDB TTL). Default 14 days. */
  retentionMs: number;
  /**
   * How long after its resolve a page a sink missed is still delivered (as trigger then resolve);
   * after that it is recorded as lost for that sink. Default 24 h.
   */
  owedPageMaxAgeMs: number;
}

export const DEFAULT_INCIDENT_POLICY: Readonly<IncidentPolicy> = {
  reminderIntervalMs: 4 * 60 * 60_000,
  passesToResolve: 2,
  quietWindowMs: 15 * 60_000,
  flapMaxReopens: 3,
  flapWindowMs: 60 * 60_000,
  claimLeaseMs: 2 * 60_000,
  retentionMs: 14 * 24 * 60 * 60_000,
  owedPageMaxAgeMs: 24 * 60 * 60_000,
};
