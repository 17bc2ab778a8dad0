import { SentinelError } from '../runtime/errors';
/** Bad usage or unreadable input: the CLI prints the message on stderr and exits 2. */
export class UsageError extends SentinelError {
  override readonly name = 'UsageError';
  readonly code = 'usage';
}

/** CLI exit codes (docs/cli.md). */
export const EXIT = { ok: 0, found: 1, usage: 2 } as const;

/** Where CLI commands write; injected so tests capture output without spawning a process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
  readFile: (path: string) => Promise<string>;
  isTty: boolean;
  env: Readonly<Record<string, string | undefined>>;
}
