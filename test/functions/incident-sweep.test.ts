import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { AlertDeliveryError } from '../../alerts/errors';
import { createMemoryIncidentStore } from '../../alerts/incident-store';
import { createAlertPipeline } from '../../alerts/pipeline';
import { createHandler } from '../../functions/incident-sweep';
import { at, recordingLogger, recordingSink, seedAt } from '../alerts/support';

const context = { functionName: 'cognito-sentinel-incident-sweep', awsRequestId: 'sweep' } as Context;

const setUp = () => {
  const sink = recordingSink('sns:alerts');
  const { logger, lines } = recordingLogger();
  const pipeline = createAlertPipeline({ store: createMemoryIncidentStore(), sinks: [sink], logger });
  return { sink, lines, logger, pipeline };
};

describe('incident-sweep handler', () => {
  it('resolves a trigger-log incident once its quiet window has passed with no log batch arriving', async () => {
    const { sink, logger, pipeline, lines } = setUp();
    await pipeline.handle({ source: 'trigger-logs', findings: [seedAt(0)], passed: [], now: at(1_000) });

    const early = await createHandler({ alerts: pipeline, logger, now: () => at(10 * 60_000) })({}, context);
    expect(early).toEqual({ incidents: 1, resolved: 0, delivered: 0, failed: 0 });

    const swept = await createHandler({ alerts: pipeline, logger, now: () => at(20 * 60_000) })({}, context);
    expect(swept).toEqual({ incidents: 1, resolved: 1, delivered: 1, failed: 0 });
    expect(sink.actions()).toEqual(['trigger', 'resolve']);
    expect(lines.some((line) => line.message === 'Incident sweep done')).toBe(true);

    const after = await createHandler({ alerts: pipeline, logger, now: () => at(25 * 60_000) })({}, context);
    expect(after).toEqual({ incidents: 0, resolved: 0, delivered: 0, failed: 0 });
  });

  it('fails when an owed delivery reaches no sink, so EventBridge retries it', async () => {
    const { sink, logger, pipeline } = setUp();
    await pipeline.handle({ source: 'trigger-logs', findings: [seedAt(0)], passed: [], now: at(1_000) });
    sink.down = true;
    const run = createHandler({ alerts: pipeline, logger, now: () => at(20 * 60_000) })({}, context);
    await expect(run).rejects.toBeInstanceOf(AlertDeliveryError);
  });
});
