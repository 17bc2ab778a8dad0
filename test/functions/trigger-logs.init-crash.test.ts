/**
 * An init crash whose lines arrive in two subscription batches is one incident: the real handler,
 * the production alert pipeline and the local PagerDuty stand-in, fed two real (gzip + base64)
 * payloads split at every point of the crash's lines, for Node's and Python's runtimes.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryIncidentStore } from '../../alerts/incident-store';
import { createAlertPipeline } from '../../alerts/pipeline';
import { createPagerDutySink } from '../../alerts/sinks/pagerduty';
import { createHandler } from '../../functions/trigger-logs';
import type { Log, MetricsRecorder } from '../../runtime/telemetry';
import {
  BASE_TIMESTAMP_MS,
  encodeSubscriptionData,
  endLine,
  startLine,
  toSubscriptionMessage,
} from '../support/log-payloads';
import { ROUTING_KEY, startPagerDutyServerForFile } from '../support/pagerduty-server';
import {
  PRESIGNUP_LOG_GROUP as LOG_GROUP,
  SHOP_POOL as POOL,
  triggerLogsConfig,
  triggerLogsContext,
} from '../support/trigger-logs-handler';

const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../fixtures/logs/${name}`, import.meta.url), 'utf8')) as T;
const REFERENCE = fixture<Record<string, { line: string }>>('reference-lines.json');
const PY = fixture<Record<string, string>>('python-lines.json');
const ref = (name: string): string => (REFERENCE[name] as { line: string }).line;

const REQUEST = '9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f';
const failedReport = (errorType: string) =>
  `REPORT RequestId: ${REQUEST}\tDuration: 212.40 ms\tBilled Duration: 213 ms\tMemory Size: 256 MB\tMax Memory Used: 41 MB\tStatus: error\tError Type: ${errorType}\n`;

/** The lines of one init crash, in the order Lambda writes them. */
const CRASHES: Readonly<Record<string, string[]>> = {
  'Node.js (Uncaught Exception, then catch-all types)': [
    ref('uncaughtException'),
    ref('initReportError'),
    startLine(REQUEST),
    ref('initReportInvoke'),
    endLine(REQUEST),
    failedReport('Runtime.ExitError'),
  ],
  'Python (Runtime.ImportModuleError)': [
    PY.import_error_text as string,
    'INIT_REPORT Init Duration: 95.09 ms\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError\n',
    startLine(REQUEST),
    PY.import_error_text as string,
    'INIT_REPORT Init Duration: 1211.62 ms\tPhase: invoke\tStatus: error\tError Type: Runtime.ImportModuleError\n',
    endLine(REQUEST),
    failedReport('Runtime.Unknown'),
  ],
};

const quiet = () => undefined;
const logger: Log = { debug: quiet, info: quiet, warn: quiet, error: quiet };
const metrics: MetricsRecorder = { count: quiet, publish: quiet };
const context = triggerLogsContext();

const pd = await startPagerDutyServerForFile();
beforeEach(() => pd.reset());

describe('trigger-logs handler: an init crash split across two batches', () => {
  describe.each(Object.entries(CRASHES))('%s', (_runtime, lines) => {
    it.each(lines.slice(1).map((_line, index) => index + 1))(
      'pages PagerDuty once when the batch splits after line %i',
      async (split) => {
        pd.reset();
        const store = createMemoryIncidentStore();
        const sink = createPagerDutySink({
          routingKey: ROUTING_KEY,
          endpoint: pd.endpoint,
          circuitOpenMs: 0,
        });
        const handler = createHandler({
          config: triggerLogsConfig(),
          alerts: createAlertPipeline({ store, sinks: [sink], logger }),
          logger,
          metrics,
          now: () => new Date('2024-05-01T12:05:00Z'),
        });
        // Ids and times continue across the two payloads, as CloudWatch Logs numbers one stream.
        const batch = (part: string[], from: number) => {
          const message = toSubscriptionMessage({
            logGroup: LOG_GROUP,
            lines: part.map((line, index) => ({
              message: line,
              timestamp: BASE_TIMESTAMP_MS + from + index,
            })),
          });
          const logEvents = message.logEvents.map((event, index) => ({
            ...event,
            id: `${9_000_000 + from + index}`,
          }));
          return encodeSubscriptionData({ ...message, logEvents });
        };

        await handler(batch(lines.slice(0, split), 0), context);
        await handler(batch(lines.slice(split), split), context);

        const triggered = pd.accepted('trigger');
        expect(triggered.length).toBeGreaterThanOrEqual(1);
        expect([...pd.alerts.keys()]).toEqual([`trigger-error:${POOL}:PreSignUp:crash`]);
        expect(pd.alerts.get(`trigger-error:${POOL}:PreSignUp:crash`)).toMatchObject({
          opened: 1,
          resolves: 0,
        });
        expect(pd.received.every((event) => event.errors.length === 0)).toBe(true);
      },
    );
  });
});
