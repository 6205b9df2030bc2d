// A proxy in front of the real registry that answers one call with a refusal (an OCI error body and a request id)
// and forwards everything else: a registry that refuses what Debian's docker-registry would accept.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import type { RegistryServer } from '../../test-support/shared.js';

export interface Refusal {
  status: number;
  code: string;
  message: string;
  requestId: string;
}

export interface RefusingProxy {
  /** 127.0.0.1:<port>, the registry part of an image reference. */
  host: string;
  close(): Promise<void>;
}

export async function refusingProxy(
  reg: RegistryServer,
  refuse: (req: IncomingMessage) => Refusal | undefined
): Promise<RefusingProxy> {
  const server: Server = createServer((req, res) => {
    const refusal = refuse(req);
    if (refusal) {
      res.writeHead(refusal.status, {
        'content-type': 'application/json',
        'x-request-id': refusal.requestId
      });
      return res.end(JSON.stringify({ errors: [{ code: refusal.code, message: refusal.message }] }));
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = { ...req.headers };
      delete headers.host;
      delete headers.connection;
      request(`${reg.url}${req.url}`, {
        method: req.method as 'GET',
        headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined
      }).then(
        async upstream => {
          const body = Buffer.from(await upstream.body.arrayBuffer());
          const out = { ...upstream.headers };
          delete out['transfer-encoding'];
          delete out.connection;
          res.writeHead(upstream.statusCode, out).end(body);
        },
        () => res.writeHead(502).end()
      );
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>(r => server.close(() => r()))
  };
}
