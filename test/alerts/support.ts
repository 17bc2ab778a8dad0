/** Recording sinks and loggers shared by the alert tests. */
import type { DispatchLogger } from '../../alerts/dispatch';
import type { Alert, AlertSink } from '../../alerts/types';
import type { Finding } from '../../detectors/types';
import { presignupFinding } from './findings';

/** A sink that records what it took; `down` makes it fail. */
export interface RecordingSink extends AlertSink {
  sent: Alert[];
  down: boolean;
  actions(): string[];
}

export const recordingSink = (name: string): RecordingSink => {
  const sink: RecordingSink = {
    name,
    sent: [],
    down: false,
    async send(alert) {
      if (sink.down) throw new Error(`${name} is down`);
      sink.sent.push(alert);
    },
    actions: () => sink.sent.map((alert) => alert.action),
  };
  return sink;
};

export interface LogLine {
  level: string;
  message: string;
  extra: Record<string, unknown>[];
}

export const recordingLogger = () => {
  const lines: LogLine[] = [];
  const log =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) => {
      lines.push({ level, message, extra });
    };
  const logger: DispatchLogger & { debug: DispatchLogger['info'] } = {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
  };
  return { logger, lines };
};

export const T0 = Date.parse('2024-06-03T09:35:00.000Z');
export const at = (ms: number) => new Date(T0 + ms);

/** The seed finding as seen at `ms` after T0, from its own invocation. */
export const seedAt = (ms: number, overrides: Partial<Finding> = {}): Finding =>
  presignupFinding({
    timestamp: at(ms).toISOString(),
    requestId: `00000000-0000-4000-8000-${String(ms).padStart(12, '0')}`,
    ...overrides,
  });
