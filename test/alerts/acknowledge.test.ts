import { describe, expect, it } from 'vitest';
import { acknowledgeInStore, toAckCommand } from '../../alerts/acknowledge';
import { createMemoryIncidentStore } from '../../alerts/incident-store';
import { sealAlert } from '../../alerts/seal';
import { toChatbotNotification } from '../../alerts/sinks/chatbot';
import type { IncidentContext } from '../../alerts/types';
import { boundDedupKey } from '../../detectors/types';
import { presignupFinding } from './findings';

const KEY = 'trigger-response-invalid:us-east-1_AbC123xyz:PreSignUp:response.autoConfirmUser';
const incident: IncidentContext = {
  status: 'open',
  firstSeen: '2024-06-03T09:35:00.000Z',
  lastSeen: '2024-06-03T09:35:00.000Z',
  count: 1,
  episode: 1,
  reopens: 0,
};

describe('toAckCommand', () => {
  it.each([
    [KEY, { stage: 'prod' }, `npx cognito-sentinel ack ${KEY} --stage prod`],
    [
      KEY,
      { stage: 'prod', region: 'eu-west-1', table: 'my-incidents' },
      `npx cognito-sentinel ack ${KEY} --stage prod --region eu-west-1 --table my-incidents`,
    ],
    [
      "trigger-error:us-east-1_AbC123xyz:Runtime.$(rm -rf ~)'x",
      { stage: 'prod' },
      `npx cognito-sentinel ack 'trigger-error:us-east-1_AbC123xyz:Runtime.$(rm -rf ~)'\\''x' --stage prod`,
    ],
    ['-rf', { stage: 'prod' }, 'npx cognito-sentinel ack -- -rf --stage prod'],
  ])('prints a command the shell passes through unchanged: %s', (key, target, expected) => {
    expect(toAckCommand(key, target)).toBe(expected);
  });
});

describe('the acknowledge command on a page', () => {
  const seal = (action: 'trigger' | 'remind' | 'resolve', withIncident = true) =>
    sealAlert(
      {
        action,
        finding: presignupFinding(),
        occurrences: 1,
        ...(withIncident ? { incident } : {}),
      },
      { acknowledge: { stage: 'prod' } },
    );

  it('is in the report and the chat message of a page and a reminder', () => {
    for (const action of ['trigger', 'remind'] as const) {
      const alert = seal(action);
      const command = `npx cognito-sentinel ack ${alert.dedupKey} --stage prod`;
      expect(alert.acknowledgeCommand).toBe(command);
      expect(alert.report).toContain(
        `Acknowledge (stops reminders until it resolves or re-opens)\n  ${command}\n`,
      );
      expect(toChatbotNotification(alert).content.description).toContain(command);
    }
  });

  it('is not on a resolve, nor on an alert without incident state (CLI, dispatcher)', () => {
    expect(seal('resolve').acknowledgeCommand).toBeUndefined();
    expect(seal('resolve').report).not.toContain('cognito-sentinel ack');
    expect(seal('trigger', false).acknowledgeCommand).toBeUndefined();
    expect(
      sealAlert({ action: 'trigger', finding: presignupFinding(), occurrences: 1, incident }).report,
    ).not.toContain('cognito-sentinel ack');
  });
});

describe('acknowledgeInStore', () => {
  it('finds an incident under an over-long key by the key printed in its page', async () => {
    const store = createMemoryIncidentStore();
    const long = `trigger-error:us-east-1_AbC123xyz:${'Runtime.X'.repeat(60)}`;
    expect(await acknowledgeInStore(store, long, 'alice', new Date(0))).toEqual({ outcome: 'not-found' });
    const bounded = boundDedupKey(long);
    expect(bounded).not.toBe(long);
    const sealed = sealAlert({
      action: 'trigger',
      finding: presignupFinding({ dedupKey: bounded }),
      occurrences: 1,
    });
    await store.put(
      {
        dedupKey: bounded,
        version: 1,
        status: 'open',
        source: 'trigger-logs',
        detector: sealed.detector,
        severity: sealed.severity,
        title: sealed.title,
        finding: sealed.finding,
        firstSeen: incident.firstSeen,
        lastSeen: incident.lastSeen,
        lastDetected: incident.lastSeen,
        count: 1,
        episode: 1,
        healthyPasses: 0,
        reopenedAt: [],
        heldOpen: false,
        notified: {},
        batches: [],
        active: true,
      },
      undefined,
    );
    expect(await acknowledgeInStore(store, long, 'alice', new Date(0))).toMatchObject({
      outcome: 'acknowledged',
      next: { dedupKey: bounded, version: 2, acknowledged: { by: 'alice', episode: 1 } },
    });
  });
});
