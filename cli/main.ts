/**
 * The `cognito-sentinel` command line: the same code paths as the Lambda functions, from a laptop
 * or CI. Exit codes follow docs/cli.md: 0 ok, 1 found something, 2 bad usage or could not run.
 *
 * Each command is imported when it runs, so `--help`, `--version` and a `scan-logs` load no AWS
 * SDK client. Everything a command throws goes through one error boundary (`error-boundary.ts`):
 * one line on stderr, the stack trace only with `--debug`.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Command } from './command-args';
import { toCliFailure, toDebugTrace } from './error-boundary';
import { type CliIo, EXIT, UsageError } from './usage-error';

/**
 * The version `--version` prints: package.json's, read when asked (dist/cli.mjs and cli/main.ts
 * both sit one folder below it).
 */
export const readVersion = (): string =>
  (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;

const USAGE = `Usage: cognito-sentinel <command> [options]

Commands:
  scan-logs <file|->...   run the trigger-log detectors over log files or stdin
  test-trigger FILE|--function-name NAME --trigger NAME
                          run a trigger handler against generated events and check its responses
  demo                    play a sample incident through the real handler and show the page
  check                   one canary cycle (sign-in, token checks, refresh) and the config audit of a pool
  audit                   the config audit: drift against a snapshot, expectations, trigger wiring
  setup-canary            create the canary user, store its password (SSM or Secrets Manager)
  preflight               check the trigger log groups' subscription slots before deploying
  test-page [--stage S]   send a marked test page and its resolve through every destination
  silence --stage S ...   hold pages about a pool for a while (silence list, silence end ID)
  ack KEY --stage S       acknowledge an incident paged by email or chat (stops its reminders)
  report --stage S        the report of the last 7 days (--since, --format md)

Options of every command:
  -h, --help              show the command's options
  --version               print the version
  --debug                 print the stack trace when a command fails

Run 'cognito-sentinel <command> --help' for a command's options.`;

/** Commands, each loaded on demand. */
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  'scan-logs': () => import('./scan-logs').then((module) => module.COMMAND),
  'test-trigger': () => import('./test-trigger').then((module) => module.COMMAND),
  demo: () => import('./demo').then((module) => module.COMMAND),
  check: () => import('./check').then((module) => module.COMMAND),
  audit: () => import('./audit').then((module) => module.COMMAND),
  'setup-canary': () => import('./setup-canary').then((module) => module.COMMAND),
  preflight: () => import('./preflight').then((module) => module.COMMAND),
  silence: () => import('./silence').then((module) => module.COMMAND),
  ack: () => import('./ack').then((module) => module.COMMAND),
  report: () => import('./report').then((module) => module.COMMAND),
  'test-page': () => import('./test-page').then((module) => module.COMMAND),
};

const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export const defaultIo = (): CliIo => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin,
  readFile: (path) => readFile(path, 'utf8'),
  isTty: process.stdout.isTTY === true,
  env: process.env,
});

/** The options every command takes, read before the command's own (never after `--`). */
const globalOptions = (argv: readonly string[]) => {
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  const debug = options.includes('--debug');
  return {
    debug,
    version: options.includes('--version'),
    rest: debug ? argv.filter((arg, index) => arg !== '--debug' || (end !== -1 && index > end)) : argv,
  };
};

/** Runs one CLI command and returns its exit code. Never throws. */
export const main = async (argv: readonly string[], io: CliIo = defaultIo()): Promise<number> => {
  const { debug, version, rest: args } = globalOptions(argv);
  const [command, ...rest] = args;
  if (version) {
    io.stdout(`${readVersion()}\n`);
    return EXIT.ok;
  }
  let usage: string | undefined;
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout(`${USAGE}\n`);
        return command === undefined ? EXIT.usage : EXIT.ok;
    }
    const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (load === undefined) throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
    const loaded = await load();
    usage = loaded.usage;
    return await loaded.run(rest, io);
  } catch (error) {
    const failure = toCliFailure(error, command);
    io.stderr(`cognito-sentinel: ${failure.message}\n`);
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (usage !== undefined && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))
      io.stderr(`\n${usage}\n`);
    if (debug) io.stderr(`${toDebugTrace(error)}\n`);
    return failure.exitCode;
  }
};
