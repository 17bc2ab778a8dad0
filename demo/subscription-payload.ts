/**
 * Builds CloudWatch Logs subscription events exactly as Lambda receives them: the JSON message,
 * gzipped, base64-encoded under `awslogs.data`. Used by the demo to feed the real handler.
 */
import { gzipSync } from 'node:zlib';
import type { CloudWatchLogsEvent } from 'aws-lambda';

export interface LogLine {
  message: string;
  /** Epoch ms. */
  timestamp: number;
}

export const toSubscriptionEvent = (batch: {
  logGroup: string;
  logStream: string;
  lines: readonly LogLine[];
  owner?: string;
}): CloudWatchLogsEvent => {
  const message = {
    messageType: 'DATA_MESSAGE',
    owner: batch.owner ?? '123456789012',
    logGroup: batch.logGroup,
    logStream: batch.logStream,
    subscriptionFilters: ['cognito-sentinel'],
    logEvents: batch.lines.map((line, index) => ({
      id: `${BigInt(Math.trunc(line.timestamp)) * 1_000_000n + BigInt(index)}`,
      timestamp: Math.trunc(line.timestamp),
      message: line.message,
    })),
  };
  return { awslogs: { data: gzipSync(JSON.stringify(message)).toString('base64') } };
};
