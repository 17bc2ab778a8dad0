import { main } from '../../cli/main';
import type { CliIo } from '../../cli/usage-error';
import { captureIo } from './capture-io';

/** What an in-process CLI run printed, and how it exited. */
export interface MainResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `cognito-sentinel argv` in-process through cli/main with a captured io (see {@link captureIo}). */
export const runMain = async (
  argv: readonly string[],
  options: Partial<Omit<CliIo, 'stdout' | 'stderr'>> = {},
): Promise<MainResult> => {
  const { io, out, err } = captureIo(options);
  const code = await main([...argv], io);
  return { code, stdout: out(), stderr: err() };
};
