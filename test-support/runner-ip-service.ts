// A stand-in for the service that tells a runner its public address (ipify): answers `answer` as plain text, or
// `{"ip": ...}` with ?format=json. Tests set `answer` to an IPv6 address for the IPv6-only case.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunnerIpService {
  url: string;
  answer: string;
  requests: number;
  stop(): Promise<void>;
}

export async function startRunnerIpService(answer = '127.0.0.1'): Promise<RunnerIpService> {
  const service: RunnerIpService = { url: '', answer, requests: 0, stop: async () => {} };
  const server = createServer((req, res) => {
    service.requests++;
    const json = new URL(req.url ?? '/', 'http://x').searchParams.get('format') === 'json';
    res
      .writeHead(200, { 'content-type': json ? 'application/json' : 'text/plain' })
      .end(json ? JSON.stringify({ ip: service.answer }) : service.answer);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  service.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  service.stop = () =>
    new Promise<void>(resolve => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return service;
}
