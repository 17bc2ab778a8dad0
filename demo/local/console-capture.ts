/**
 * Captures what a handler writes with `console.*` during one invocation, the way the Lambda
 * runtime turns it into log lines, without touching anyone else's console output.
 *
 * The console methods are wrapped once while at least one capture user is installed. A call made
 * inside `runCaptured(scope, ...)` (and everything asynchronous it starts, through
 * AsyncLocalStorage) becomes a text-format line in `scope.lines`; any other call goes to the
 * console method that was there before. Concurrent invocations each see only their own lines.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogLine } from '../subscription-payload';
import { CONSOLE_LEVELS, CONSOLE_METHODS, type ConsoleMethod, toApplicationLine } from './lambda-log-lines';

/** One invocation's log buffer. */
export interface CaptureScope {
  readonly requestId: string;
  readonly lines: LogLine[];
  /**
   * False once the invocation is over. A handler still running after its timeout (Lambda would
   * have frozen or reset its sandbox) writes nowhere: its late lines are dropped, not leaked into
   * the host's output.
   */
  open: boolean;
}

type ConsoleFn = (...args: unknown[]) => void;

const storage = new AsyncLocalStorage<CaptureScope>();
const originals = new Map<ConsoleMethod, ConsoleFn>();
const wrappers = new Map<ConsoleMethod, ConsoleFn>();
let installs = 0;

const wrap = (method: ConsoleMethod, original: ConsoleFn): ConsoleFn => {
  const level = CONSOLE_LEVELS[method];
  return function capturedConsole(this: unknown, ...args: unknown[]): void {
    const scope = storage.getStore();
    if (scope === undefined) {
      original.apply(this ?? console, args);
      return;
    }
    if (!scope.open) return;
    const timestamp = Date.now();
    let message: string;
    try {
      message = toApplicationLine(timestamp, scope.requestId, level, args);
    } catch (error) {
      // An argument whose inspection throws must not fail the handler; the runtime would log something too.
      message = toApplicationLine(timestamp, scope.requestId, level, [
        `<unformattable log arguments: ${error instanceof Error ? error.message : String(error)}>`,
      ]);
    }
    scope.lines.push({ message, timestamp });
  };
};

/**
 * Wraps `console.log/info/warn/error/debug/trace` (once per process, reference-counted) and
 * returns a function that releases this use; the last release restores the methods, unless
 * something else has wrapped them since (then the wrappers stay and keep passing calls through).
 */
export const installConsoleCapture = (): (() => void) => {
  if (installs === 0) {
    const target = console as unknown as Record<ConsoleMethod, ConsoleFn>;
    for (const method of CONSOLE_METHODS) {
      const original = target[method];
      const wrapper = wrap(method, original);
      originals.set(method, original);
      wrappers.set(method, wrapper);
      target[method] = wrapper;
    }
  }
  installs++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    installs--;
    if (installs > 0) return;
    const target = console as unknown as Record<ConsoleMethod, ConsoleFn>;
    for (const method of CONSOLE_METHODS) {
      const original = originals.get(method);
      if (original !== undefined && target[method] === wrappers.get(method)) target[method] = original;
    }
    originals.clear();
    wrappers.clear();
  };
};

/** Runs `fn` with `scope` as the capture target of every console call it (transitively) makes. */
export const runCaptured = <T>(scope: CaptureScope, fn: () => T): T => storage.run(scope, fn);
