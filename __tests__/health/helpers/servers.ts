import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { KeyPair } from './certs.js';

/** A small local health endpoint whose answers each test scripts; it counts the requests it got. */
export type Answer = { status?: number; body?: unknown; delayMs?: number; raw?: string };

export interface HealthServer {
  url: string;
  hits: number;
  close(): Promise<void>;
}

export const healthy = (version = 'abc1234'): Answer => ({
  body: { status: 'healthy', version, uptime_seconds: 12, checks: { database: 'ok', redis: 'ok' } }
});

export const databaseDown = (version = 'abc1234'): Answer => ({
  status: 503,
  body: {
    status: 'unhealthy',
    version,
    uptime_seconds: 12,
    checks: { database: 'error: connection refused', redis: 'ok' }
  }
});

/** `answers(n)` decides the n-th answer (1-based). */
export async function startHealthServer(
  answers: (n: number) => Answer,
  tls?: KeyPair
): Promise<HealthServer> {
  const state = { hits: 0 };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const a = answers(++state.hits);
    const send = () => {
      res.writeHead(a.status ?? 200, { 'content-type': 'application/json' });
      res.end(a.raw ?? JSON.stringify(a.body ?? {}));
    };
    if (a.delayMs) setTimeout(send, a.delayMs);
    else send();
    req.resume();
  };
  const server: Server = tls
    ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler)
    : createHttpServer(handler);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/health`,
    get hits() {
      return state.hits;
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}
