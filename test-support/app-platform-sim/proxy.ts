// The app's stable live URL: a small reverse proxy that forwards to the ACTIVE deployment's process.
// Switching deployments only swaps the target port, so clients keep one URL across releases.
import {
  Agent,
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse
} from 'node:http';

export interface LiveProxy {
  port: number;
  url: string;
  setTarget(port: number | undefined): void;
  target(): number | undefined;
  close(): Promise<void>;
}

// No upstream keep-alive: an idle pooled connection would hold a replaced process in its graceful shutdown.
const upstreamAgent = new Agent({ keepAlive: false });

export async function startLiveProxy(port = 0): Promise<LiveProxy> {
  let targetPort: number | undefined;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const to = targetPort;
    if (to === undefined) {
      // What App Platform serves before the first deployment is live.
      res.writeHead(503, { 'content-type': 'text/plain' }).end('no active deployment\n');
      return;
    }
    const upstream = request(
      {
        host: '127.0.0.1',
        port: to,
        agent: upstreamAgent,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-proto': 'http' }
      },
      up => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      }
    );
    upstream.on('error', err => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`upstream error: ${err.message}\n`);
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const bound = typeof addr === 'object' && addr ? addr.port : port;
  return {
    port: bound,
    url: `http://127.0.0.1:${bound}`,
    setTarget: p => {
      targetPort = p;
    },
    target: () => targetPort,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}
