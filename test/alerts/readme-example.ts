/**
 * The page shown in README.md ("What a page looks like"): the seed incident (PreSignUp returning
 * autoConfirmUser as the string "true", seen twice in one log batch) as the incident pipeline
 * renders it. `npx tsx test/alerts/readme-example.ts` prints it.
 */
import { createMemoryIncidentStore } from '../../alerts/incident-store';
import { createAlertPipeline } from '../../alerts/pipeline';
import { createConsoleSink } from '../../alerts/sinks/console';
import { presignupFinding } from './findings';

export const renderReadmeExample = async (): Promise<string> => {
  const pages: string[] = [];
  const pipeline = createAlertPipeline({
    store: createMemoryIncidentStore(),
    sinks: [createConsoleSink({ write: (text) => pages.push(text) })],
    logger: { info() {}, warn() {}, error() {} },
  });
  await pipeline.handle({
    source: 'trigger-logs',
    findings: [
      presignupFinding(),
      presignupFinding({
        timestamp: '2024-06-03T09:35:14.001Z',
        requestId: '1f0e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
      }),
    ],
    passed: [],
    now: new Date('2024-06-03T09:35:20.000Z'),
  });
  return pages.join('\n');
};

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(await renderReadmeExample());
