/**
 * Console sink: prints each alert's plain-text report. Used by the CLI and the demo, and in Lambda
 * as a record in the function's own log (the report is already redacted).
 */
import type { AlertSink } from '../types';

/** Options of {@link createConsoleSink}. */
export interface ConsoleSinkOptions {
  /** Where the report goes; defaults to standard output. Called once per alert. */
  write?: (text: string) => void;
}

/** A sink that writes each alert's report. */
export const createConsoleSink = ({
  write = (text) => process.stdout.write(`${text}\n`),
}: ConsoleSinkOptions = {}): AlertSink => ({
  name: 'console',
  async send(alert) {
    write(alert.report);
  },
});
