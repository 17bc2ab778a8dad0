/**
 * The `cognito-sentinel` command line: the same code paths as the Lambda functions, from a laptop
 * or CI. Exit codes follow docs/cli.md: 0 ok, 1 found something, 2 bad usage.
 */
import { readFile } from 'node:fs/promises';
import { AUDIT_USAGE, audit } from './audit';
import { CHECK_USAGE, check } from './check';
import { demo } from './demo';
import { PREFLIGHT_USAGE, preflight } from './preflight';
import { SCAN_LOGS_USAGE, scanLogs } from './scan-logs';
import { SETUP_CANARY_USAGE, setupCanary } from './setup-canary';
import { type CliIo, EXIT, UsageError } from './usage-error';

const USAGE = `Usage: cognito-sentinel <command> [options]

Commands:
  scan-logs <file|->...   run the trigger-log detectors over log files or stdin
  test-trigger FILE|--function-name NAME --trigger NAME
                          run a trigger handler against generated events and check its responses
  demo                    play a sample incident through the real handler and show the page
  check                   one canary cycle (sign-in, token checks, refresh) and the config audit of a pool
  audit                   the config audit: drift against a snapshot, expectations, trigger wiring
  setup-canary            create the canary user, store its password in Secrets Manager
  preflight               check the trigger log groups' subscription slots before deploying

Run 'cognito-sentinel <command> --help' for a command's options.`;

/** Each command's usage, printed after an option parsing error. */
const COMMAND_USAGE: Readonly<Record<string, string>> = {
  'scan-logs': SCAN_LOGS_USAGE,
  check: CHECK_USAGE,
  audit: AUDIT_USAGE,
  'setup-canary': SETUP_CANARY_USAGE,
  preflight: PREFLIGHT_USAGE,
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

/** Runs one CLI command and returns its exit code. Never throws for bad usage. */
export const main = async (argv: readonly string[], io: CliIo = defaultIo()): Promise<number> => {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'scan-logs':
        return await scanLogs(rest, io);
      case 'test-trigger':
        // Loaded on demand: fast-check and the Lambda client are only needed here.
        return await (await import('./test-trigger')).testTrigger(rest, io);
      case 'demo':
        return await demo(rest, io);
      case 'check':
        return await check(rest, io);
      case 'audit':
        return await audit(rest, io);
      case 'setup-canary':
        return await setupCanary(rest, io);
      case 'preflight':
        return await preflight(rest, io);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout(`${USAGE}\n`);
        return command === undefined ? EXIT.usage : EXIT.ok;
      default:
        throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
    }
  } catch (error) {
    // parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown or malformed options.
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.stderr(`cognito-sentinel: ${(error as Error).message}\n`);
      if (!(error instanceof UsageError)) {
        const usage = command === undefined ? undefined : COMMAND_USAGE[command];
        if (usage) io.stderr(`\n${usage}\n`);
      }
      return EXIT.usage;
    }
    throw error;
  }
};
