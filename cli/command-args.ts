/**
 * The argument handling every command shares: strict `node:util` parsing with `--help`/`-h` added,
 * and the usage text printed for `--help`.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type CliIo, EXIT, UsageError } from './usage-error';

/**
 * How a command runs: its arguments and where it writes in, its exit code out. `deps` replace its
 * AWS clients, clock and ids in tests.
 */
export type CommandRun<Deps = undefined> = (
  argv: readonly string[],
  io: CliIo,
  deps?: Deps,
) => Promise<number>;

/** A command as the CLI loads it: how to run it, and its usage, printed after an option parsing error. */
export interface Command {
  run: (argv: readonly string[], io: CliIo) => Promise<number>;
  usage?: string;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** `--help`/`-h`, which every command takes. */
const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * A command's options and positionals, parsed strictly (an unknown option throws), with `--help`
 * added. `allowPositionals` is false unless the command takes positionals.
 */
export const parseCommandArgs = <const O extends Options, const P extends boolean = false>(
  argv: readonly string[],
  options: O,
  allowPositionals: P = false as P,
) => parseArgs({ args: [...argv], strict: true, allowPositionals, options: { ...options, ...HELP_OPTION } });

/** Prints a command's usage for `--help`; returns the exit code, 0. */
export const printUsage = (io: CliIo, usage: string): number => {
  io.stdout(`${usage}\n`);
  return EXIT.ok;
};

/** `--format json|text`: text by default on a terminal, JSON otherwise. */
export const textOrJsonFormat = (format: string | undefined, io: Pick<CliIo, 'isTty'>): 'json' | 'text' => {
  const chosen = format ?? (io.isTty ? 'text' : 'json');
  if (chosen !== 'json' && chosen !== 'text')
    throw new UsageError(`--format "${chosen}": expected json or text`);
  return chosen;
};
