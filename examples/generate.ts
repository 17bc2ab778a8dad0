/**
 * Writes the example inputs for `scan-logs` that the README uses (`npx tsx examples/generate.ts`).
 * Each is a real-shaped payload built from the demo's sample traffic.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { badDeployTraffic, DEMO_FUNCTIONS, healthyTraffic, logGroupOf } from '../demo/sample-logs';
import { toSubscriptionEvent } from '../demo/subscription-payload';

const dir = new URL('.', import.meta.url).pathname;
const start = Date.UTC(2026, 10, 26, 9, 15, 0);
const logGroup = logGroupOf(DEMO_FUNCTIONS.PreSignUp);
const logStream = '2026/11/26/[$LATEST]5d2c1b0a99887766554433221100ffee';

const seed = badDeployTraffic(start)[logGroup] ?? [];
const healthy = healthyTraffic(start)[logGroup] ?? [];

const write = (name: string, content: string) =>
  writeFileSync(join(dir, name), content.endsWith('\n') ? content : `${content}\n`);

write(
  'seed-incident.subscription.json',
  JSON.stringify(toSubscriptionEvent({ logGroup, logStream, lines: seed }), null, 2),
);
write(
  'healthy.subscription.json',
  JSON.stringify(toSubscriptionEvent({ logGroup, logStream, lines: healthy }), null, 2),
);
write(
  'seed-incident.filter-log-events.json',
  JSON.stringify(
    {
      events: seed.map((line, index) => ({
        logStreamName: logStream,
        timestamp: Math.trunc(line.timestamp),
        message: line.message,
        ingestionTime: Math.trunc(line.timestamp) + 350,
        eventId: `${Math.trunc(line.timestamp)}${String(index).padStart(6, '0')}`,
      })),
      searchedLogStreams: [],
    },
    null,
    2,
  ),
);
write('seed-incident.log', seed.map((line) => line.message).join('\n'));
