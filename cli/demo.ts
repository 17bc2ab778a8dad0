/**
 * `cognito-sentinel demo` (what `npm start` runs): plays a built-in sample of trigger log streams
 * (healthy traffic, then the seed incident, then the rollback) through the real subscription
 * handler and prints the page the on-call engineer would receive.
 */
import { parseArgs } from 'node:util';
import type { Context } from 'aws-lambda';
import { createAlertDispatcher } from '../alerts/dispatch';
import { createConsoleSink } from '../alerts/sinks/console';
import {
  badDeployTraffic,
  DEMO_FUNCTIONS,
  DEMO_POOL_ID,
  DEMO_REGION,
  healthyTraffic,
  logGroupOf,
} from '../demo/sample-logs';
import { type LogLine, toLogStreamName, toSubscriptionEvent } from '../demo/subscription-payload';
import { DEFAULT_DETECTOR_CONFIG } from '../detectors/types';
import { createHandler } from '../functions/trigger-logs';
import { toResolveLogGroup } from '../lib/config/trigger-logs-config';
import type { LogGroupInfo } from '../lib/logs/types';
import type { Log } from '../lib/telemetry';
import { type CliIo, EXIT } from './usage-error';

const DEMO_USAGE = `Usage: cognito-sentinel demo

Feeds a built-in sample of trigger log streams (healthy traffic, a bad PreSignUp deploy that
returns autoConfirmUser as the string "true", then the rollback) through the real trigger-log
handler and prints the page an on-call engineer would receive. Needs no AWS account.`;

const quietLog: Log = { debug() {}, info() {}, warn() {}, error() {} };

const lambdaContext = (functionName: string): Context =>
  ({
    functionName,
    functionVersion: '$LATEST',
    awsRequestId: 'demo',
    getRemainingTimeInMillis: () => 30_000,
  }) as Context;

export const demo = async (argv: readonly string[], io: CliIo): Promise<number> => {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: { help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout(`${DEMO_USAGE}\n`);
    return EXIT.ok;
  }
  const logGroups: Record<string, LogGroupInfo> = Object.fromEntries(
    Object.entries(DEMO_FUNCTIONS).map(([trigger, name]) => [
      logGroupOf(name),
      { trigger: trigger as LogGroupInfo['trigger'], userPoolId: DEMO_POOL_ID, region: DEMO_REGION },
    ]),
  );
  const pages: string[] = [];
  const handler = createHandler({
    config: {
      logGroups,
      resolveLogGroup: toResolveLogGroup(logGroups),
      detectors: { ...DEFAULT_DETECTOR_CONFIG },
    },
    alerts: createAlertDispatcher({
      sinks: [createConsoleSink({ write: (text) => pages.push(text) })],
      logger: quietLog,
    }),
    logger: quietLog,
    metrics: { count() {}, publish() {} },
  });

  const play = async (title: string, traffic: Record<string, LogLine[]>) => {
    io.stdout(`\n== ${title}\n`);
    for (const [logGroup, lines] of Object.entries(traffic)) {
      const event = toSubscriptionEvent({ logGroup, logStream: toLogStreamName(new Date()), lines });
      const result = await handler(event, lambdaContext('cognito-sentinel-trigger-logs'));
      io.stdout(
        `   ${logGroup.padEnd(32)} ${String(result.lines).padStart(3)} lines  ${result.findings} finding${result.findings === 1 ? '' : 's'}  ${result.unreadable} unreadable\n`,
      );
    }
    for (const page of pages.splice(0))
      io.stdout(
        `\n-- page sent ------------------------------------------------------------\n${page.trimEnd()}\n-------------------------------------------------------------------------\n`,
      );
  };

  io.stdout(
    `cognito-sentinel demo: sample trigger logs of pool ${DEMO_POOL_ID} (${DEMO_REGION}) through the real subscription handler\n`,
  );
  const start = Date.now() - 10 * 60_000;
  await play('Healthy sign-ups and sign-ins', healthyTraffic(start));
  await play(
    `A new version of ${DEMO_FUNCTIONS.PreSignUp} returns autoConfirmUser as a string`,
    badDeployTraffic(start + 4 * 60_000),
  );
  await play('Rolled back: healthy again', healthyTraffic(start + 8 * 60_000));
  io.stdout(
    `\nTry it on your own logs: aws logs filter-log-events --log-group-name /aws/lambda/<fn> --output json > logs.json\n  npx cognito-sentinel scan-logs logs.json --trigger-map /aws/lambda/<fn>=PreSignUp\n`,
  );
  return EXIT.ok;
};
