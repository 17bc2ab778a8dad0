/**
 * Helpers for the local stand-ins the tests and the demo start as child processes (moto_server,
 * cognito-local): a free loopback port, and a stop that always ends the process.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** How long a child gets to exit after SIGTERM before SIGKILL, in ms. */
export const STOP_TIMEOUT_MS = 5_000;

/** A TCP port that was free a moment ago on `host`. */
export const freePort = (host = '127.0.0.1'): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error(`No port assigned on ${host}`))));
    });
  });

export const hasExited = (child: ChildProcess): boolean =>
  child.exitCode !== null || child.signalCode !== null;

/** SIGTERM, then SIGKILL after STOP_TIMEOUT_MS; resolves once the child has exited. */
export const stopChild = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (hasExited(child)) {
      resolve();
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
