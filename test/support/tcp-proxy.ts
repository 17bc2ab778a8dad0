/**
 * A TCP proxy in front of a local backend (moto_server) that a test can switch between three
 * behaviours a real outage shows:
 * - `forward`: passes bytes both ways;
 * - `refuse`: stops listening, so connecting fails at once (ECONNREFUSED), as a closed port does;
 * - `blackhole`: accepts connections and never answers, as a stalled service or a dropped route does.
 * Switching drops the connections already open, so keep-alive sockets see the new behaviour too.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export const PROXY_MODES = ['forward', 'refuse', 'blackhole'] as const;
export type ProxyMode = (typeof PROXY_MODES)[number];

export interface TcpProxy {
  /** `http://127.0.0.1:<port>`: point the SDK client here. */
  readonly endpoint: string;
  readonly mode: ProxyMode;
  setMode(mode: ProxyMode): Promise<void>;
  /** Connections accepted in `blackhole` mode (so a test can see the client really reached it). */
  readonly blackholed: number;
  close(): Promise<void>;
}

/** Starts a proxy on a free loopback port, forwarding to `target` (`http://127.0.0.1:<port>`). */
export const startTcpProxy = async (target: string): Promise<TcpProxy> => {
  const { hostname, port: targetPort } = new URL(target);
  const sockets = new Set<Socket>();
  let mode: ProxyMode = 'forward';
  let blackholed = 0;
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (mode === 'blackhole') {
      blackholed += 1;
      return;
    }
    const upstream = connect(Number(targetPort), hostname);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('tcp proxy: no port');
  const port = address.port;
  let listening = true;

  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };

  return {
    endpoint: `http://127.0.0.1:${port}`,
    get mode() {
      return mode;
    },
    get blackholed() {
      return blackholed;
    },
    async setMode(next) {
      dropAll();
      mode = next;
      if (next === 'refuse' && listening) {
        listening = false;
        await new Promise<void>((resolve) => server.close(() => resolve()));
      } else if (next !== 'refuse' && !listening) {
        listening = true;
        await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      }
    },
    async close() {
      dropAll();
      if (listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      listening = false;
    },
  };
};
