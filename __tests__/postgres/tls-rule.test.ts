// The one TLS rule, on a real connection: migrate's own connection (openDirectConnection) to a host that is not
// local asks for TLS unless the URL names an sslmode, and a server without TLS then fails with the setting to
// change. The test PostgreSQL has no TLS; a forwarder on 127.0.0.2 (loopback, but not one of the hosts the rule
// treats as local) stands in for a database on another machine.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, connect, type Server } from 'node:net';
import { sharedPostgres } from '../../test-support/shared.js';
import type { PostgresServer } from '../../test-support/postgres.js';
import { openDirectConnection } from '../../src/postgres/advisory-lock.js';

let server: PostgresServer;
let forwarder: Server;
let remoteUrl: URL;

beforeAll(async () => {
  server = await sharedPostgres();
  const target = new URL(server.url);
  forwarder = createServer(socket => {
    const upstream = connect(Number(target.port), target.hostname);
    socket.pipe(upstream).pipe(socket);
    const close = () => (socket.destroy(), upstream.destroy());
    socket.on('error', close);
    upstream.on('error', close);
  });
  await new Promise<void>(resolve => forwarder.listen(0, '127.0.0.2', resolve));
  const port = (forwarder.address() as { port: number }).port;
  remoteUrl = new URL(server.url);
  remoteUrl.hostname = '127.0.0.2';
  remoteUrl.port = String(port);
});

afterAll(async () => {
  await new Promise(resolve => forwarder.close(resolve));
});

describe('migrate’s own connection follows the TLS rule', () => {
  it('a non-local host without sslmode gets TLS; a server without it fails with the setting to change', async () => {
    const failed = await openDirectConnection(remoteUrl.toString()).then(
      c => c.end().then(() => undefined),
      (e: Error) => e
    );
    expect(failed).toBeInstanceOf(Error);
    expect(failed!.message).toMatch(
      /^Cannot connect to PostgreSQL at 127\.0\.0\.2:\d+.*does not support SSL/
    );
    expect(failed!.message).toContain('put sslmode=disable in the URL to connect without TLS');
    expect(failed!.message).not.toContain(remoteUrl.password);
  });

  it("the URL's own sslmode wins: sslmode=disable connects in clear text", async () => {
    const url = new URL(remoteUrl);
    url.searchParams.set('sslmode', 'disable');
    const client = await openDirectConnection(url.toString());
    try {
      const r = await client.query<{ ssl: boolean }>(
        'select ssl from pg_stat_ssl where pid = pg_backend_pid()'
      );
      expect(r.rows[0]!.ssl).toBe(false);
    } finally {
      await client.end();
    }
  });
});
