// A TCP gate in front of the local PostgreSQL that plays a managed database's firewall: a connection is admitted
// only while `admits(sourceAddress)` says yes (in the stack: a rule of the simulator's firewall admits it), and is
// otherwise reset at once - so a test sees a locked database refuse, admit, and refuse again. Established
// connections are left alone when a rule goes, as only new connections are checked. Loopback only.
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpGate {
  host: string;
  port: number;
  /** Connections admitted / refused so far, with their source addresses. */
  admitted: string[];
  refused: string[];
  stop(): Promise<void>;
}

export async function startTcpGate(opts: {
  target: { host: string; port: number };
  admits: (sourceAddress: string) => boolean;
  host?: string;
}): Promise<TcpGate> {
  const host = opts.host ?? '127.0.0.1';
  const admitted: string[] = [];
  const refused: string[] = [];
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  const server = createServer(client => {
    track(client);
    const source = (client.remoteAddress ?? '').replace(/^::ffff:/, '');
    if (!opts.admits(source)) {
      refused.push(source);
      client.resetAndDestroy();
      return;
    }
    admitted.push(source);
    const upstream = connect(opts.target.port, opts.target.host);
    track(upstream);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let stopping: Promise<void> | undefined;
  return {
    host,
    port,
    admitted,
    refused,
    stop: () =>
      (stopping ??= new Promise<void>(resolve => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }))
  };
}
