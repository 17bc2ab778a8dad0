import type { CliIo } from '../../cli/usage-error';

/** A CLI io that records what a command prints, with what it wrote so far. */
export interface CapturedIo {
  io: CliIo;
  /** Everything written to stdout so far. */
  out: () => string;
  /** Everything written to stderr so far. */
  err: () => string;
}

/**
 * An in-process CLI io that records stdout and stderr: no stdin, no files, not a TTY, an empty
 * environment, unless `options` says otherwise.
 */
export const captureIo = (options: Partial<Omit<CliIo, 'stdout' | 'stderr'>> = {}): CapturedIo => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    readStdin: async () => '',
    readFile: async () => '',
    isTty: false,
    env: {},
    ...options,
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
};
