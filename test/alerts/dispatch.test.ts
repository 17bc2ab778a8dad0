import { describe, expect, it } from 'vitest';
import { createAlertDispatcher, type DispatchLogger } from '../../alerts/dispatch';
import { AlertDeliveryError } from '../../alerts/errors';
import { createConsoleSink } from '../../alerts/sinks/console';
import type { Alert, AlertSink } from '../../alerts/types';
import { ConfigError } from '../../runtime/errors';
import { presignupFinding } from './findings';

/** A sink that records what it was sent, or fails with the given error. */
const recordingSink = (name: string, failWith?: Error) => {
  const sent: Alert[] = [];
  const sink: AlertSink = {
    name,
    async send(alert) {
      if (failWith) throw failWith;
      sent.push(alert);
    },
  };
  return { sink, sent };
};

const recordingLogger = () => {
  const lines: { level: string; message: string; extra: unknown[] }[] = [];
  const logger: DispatchLogger = {
    info: (message, ...extra) => lines.push({ level: 'info', message, extra }),
    warn: (message, ...extra) => lines.push({ level: 'warn', message, extra }),
    error: (message, ...extra) => lines.push({ level: 'error', message, extra }),
  };
  return { logger, lines };
};

const twoIncidents = () => [
  presignupFinding({ dedupKey: 'incident-a' }),
  presignupFinding({ dedupKey: 'incident-b' }),
];

describe('createAlertDispatcher', () => {
  it('delivers every alert to every sink', async () => {
    const first = recordingSink('first');
    const second = recordingSink('second');
    const { logger } = recordingLogger();
    const report = await createAlertDispatcher({ sinks: [first.sink, second.sink], logger }).handle(
      twoIncidents(),
    );

    expect(report).toEqual({
      alerts: 2,
      delivered: [
        { sink: 'first', dedupKey: 'incident-a' },
        { sink: 'second', dedupKey: 'incident-a' },
        { sink: 'first', dedupKey: 'incident-b' },
        { sink: 'second', dedupKey: 'incident-b' },
      ],
      failed: [],
    });
    expect(first.sent.map((alert) => alert.dedupKey)).toEqual(['incident-a', 'incident-b']);
    expect(second.sent).toHaveLength(2);
  });

  it('takes a whole check report and pages its findings (the stateless path has nothing to resolve)', async () => {
    const only = recordingSink('only');
    const report = await createAlertDispatcher({
      sinks: [only.sink],
      logger: recordingLogger().logger,
    }).handle({
      source: 'trigger-logs',
      findings: twoIncidents(),
      passed: ['canary-auth-failed:'],
      now: new Date('2024-06-03T09:40:00Z'),
    });
    expect(report.alerts).toBe(2);
    expect(only.sent.map((alert) => alert.action)).toEqual(['trigger', 'trigger']);
  });

  it('sends nothing and reports zero alerts for no findings', async () => {
    const only = recordingSink('only');
    const report = await createAlertDispatcher({
      sinks: [only.sink],
      logger: recordingLogger().logger,
    }).handle([]);
    expect(report).toEqual({ alerts: 0, delivered: [], failed: [] });
    expect(only.sent).toEqual([]);
  });

  it('still delivers through the other sink when one sink fails, logs the failure and does not throw', async () => {
    const broken = recordingSink('sns:alerts', new Error('Endpoint does not exist'));
    const working = recordingSink('console');
    const { logger, lines } = recordingLogger();
    const report = await createAlertDispatcher({ sinks: [broken.sink, working.sink], logger }).handle([
      presignupFinding(),
    ]);

    expect(working.sent).toHaveLength(1);
    expect(report.delivered).toEqual([{ sink: 'console', dedupKey: presignupFinding().dedupKey }]);
    expect(report.failed).toEqual([
      { sink: 'sns:alerts', dedupKey: presignupFinding().dedupKey, error: 'Endpoint does not exist' },
    ]);
    expect(lines.filter((line) => line.level === 'warn')).toHaveLength(1);
  });

  it('throws AlertDeliveryError naming the alert and every sink’s error when all sinks fail', async () => {
    const snsError = Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' });
    const pdError = new Error('HTTP 503');
    const { logger, lines } = recordingLogger();
    const dispatcher = createAlertDispatcher({
      sinks: [recordingSink('sns:alerts', snsError).sink, recordingSink('pagerduty', pdError).sink],
      logger,
    });

    const error = await dispatcher.handle([presignupFinding()]).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AlertDeliveryError);
    const delivery = error as AlertDeliveryError;
    expect(delivery.name).toBe('AlertDeliveryError');
    expect(delivery.message).toContain(presignupFinding().dedupKey);
    expect(delivery.message).toContain('sns:alerts: ThrottledException: Rate exceeded');
    expect(delivery.message).toContain('pagerduty: HTTP 503');
    expect(delivery.cause).toBeInstanceOf(AggregateError);
    expect((delivery.cause as AggregateError).errors).toEqual([snsError, pdError]);
    expect(delivery.report?.failed).toHaveLength(2);
    expect(lines.filter((line) => line.level === 'error')).toHaveLength(1);
  });

  it('attempts every alert before throwing, so the ones that can be delivered are', async () => {
    let calls = 0;
    const flaky: AlertSink = {
      name: 'flaky',
      async send(alert) {
        calls += 1;
        if (alert.dedupKey === 'incident-a') throw new Error('boom');
      },
    };
    const dispatcher = createAlertDispatcher({ sinks: [flaky], logger: recordingLogger().logger });

    const error = (await dispatcher
      .handle(twoIncidents())
      .catch((caught: unknown) => caught)) as AlertDeliveryError;

    expect(calls).toBe(2);
    expect(error).toBeInstanceOf(AlertDeliveryError);
    expect(error.undelivered.map((alert) => alert.dedupKey)).toEqual(['incident-a']);
    expect(error.report?.delivered).toEqual([{ sink: 'flaky', dedupKey: 'incident-b' }]);
  });

  it('refuses to start without sinks', () => {
    expect(() => createAlertDispatcher({ sinks: [] })).toThrow(ConfigError);
  });
});

describe('createConsoleSink', () => {
  it('writes the alert report', async () => {
    const written: string[] = [];
    await createAlertDispatcher({
      sinks: [createConsoleSink({ write: (text) => written.push(text) })],
      logger: recordingLogger().logger,
    }).handle([presignupFinding()]);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^CRITICAL: PreSignUp returned autoConfirmUser as a string/);
  });
});
