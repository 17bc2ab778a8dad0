/**
 * Secrets planted anywhere in what the alert path takes in (every field of the findings, the
 * recent-changes lookup) never reach anything it puts out: the PagerDuty request body, the SNS
 * publish (message, subject, attributes), the Chatbot JSON, the console report, and the
 * pipeline's own log lines; for pages, reminders and resolves alike.
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryIncidentStore } from '../../alerts/incident-store';
import { createAlertPipeline } from '../../alerts/pipeline';
import { createChatbotSink } from '../../alerts/sinks/chatbot';
import { createConsoleSink } from '../../alerts/sinks/console';
import { createPagerDutySink } from '../../alerts/sinks/pagerduty';
import { createSnsSink } from '../../alerts/sinks/sns';
import { allStrings } from '../alerts/findings';
import { plant, plantedFinding } from '../alerts/secrets';
import { at, recordingLogger } from '../alerts/support';
import { ROUTING_KEY } from '../support/pagerduty-server';

/** Everything each sink put on the wire, as strings. */
const capture = () => {
  const outputs: unknown[] = [];
  const fetch: typeof globalThis.fetch = async (_url, init) => {
    outputs.push(String(init?.body ?? ''));
    return new Response('{"status":"success","message":"Event processed"}', { status: 202 });
  };
  const sns = {
    send: async (command: { input: unknown }) => {
      outputs.push(command.input);
      return {};
    },
  } as unknown as SNSClient;
  return { outputs, fetch, sns };
};

describe('redaction on the way out', () => {
  it('never lets a planted secret reach PagerDuty, SNS, Chatbot, the console or the log (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(plantedFinding, { minLength: 1, maxLength: 3 }),
        fc.array(plant, { maxLength: 2 }),
        async (planted, changes) => {
          const { outputs, fetch, sns } = capture();
          const { logger, lines } = recordingLogger();
          const pipeline = createAlertPipeline({
            store: createMemoryIncidentStore(),
            sinks: [
              createPagerDutySink({ routingKey: ROUTING_KEY, fetch }),
              createSnsSink({ client: sns, topicArn: 'arn:aws:sns:us-east-1:123456789012:alerts' }),
              createChatbotSink({ client: sns, topicArn: 'arn:aws:sns:us-east-1:123456789012:chat' }),
              createConsoleSink({ write: (text) => outputs.push(text) }),
            ],
            logger,
            policy: { reminderIntervalMs: 60_000 },
            recentChanges: async () => changes.map((change) => `deploy note ${change.text}`),
          });
          const findings = planted.map(({ finding }) => finding);
          await pipeline.handle({ source: 'trigger-logs', findings, passed: [], now: at(0) });
          await pipeline.handle({ source: 'trigger-logs', findings, passed: [], now: at(120_000) });
          await pipeline.sweep(at(60 * 60_000));

          const wire = allStrings([outputs, lines]);
          expect(outputs.length).toBeGreaterThan(0);
          for (const needle of [
            ...planted.flatMap(({ needles }) => needles),
            ...changes.map((c) => c.needle),
          ]) {
            const leak = wire.find((text) => text.includes(needle));
            expect(leak, `leaked ${JSON.stringify(needle)}`).toBeUndefined();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
