import { expect } from 'vitest';
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

/** What a usage error looks like: exit 2, and stderr naming the problem. */
export const usageRefusal = (message: RegExp): Partial<Record<keyof MainResult, unknown>> => ({
  code: 2,
  stderr: expect.stringMatching(message),
});

/** What a help run looks like: exit 0, and stdout containing `text`. */
export const helpPrinted = (text: string): Partial<Record<keyof MainResult, unknown>> => ({
  code: 0,
  stdout: expect.stringContaining(text),
});
