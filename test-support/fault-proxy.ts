// A TCP proxy for fault tests: forwards 127.0.0.1:<port> to a target, and can cut the network on command.
//   const proxy = await startFaultProxy({ host: '127.0.0.1', port: s3Port });
//   proxy.whenUpstreamBytes(6 << 20, () => proxy.outage(5000));   // 5 s outage once 6 MiB went upstream
//   proxy.blackhole();                                             // accept, never answer (a hung server)
//   await proxy.close();
// During an outage every open connection is reset and new ones are reset as soon as they are accepted (what a
// restarting server or a failing load balancer looks like to the client); afterwards traffic flows again.
import net from 'node:net';

export interface FaultProxy {
  host: string;
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Bytes forwarded client -> target so far. */
  upstreamBytes(): number;
  /** Calls `fn` once, as soon as `bytes` bytes went upstream in total. */
  whenUpstreamBytes(bytes: number, fn: () => void): void;
  /** Resets every connection for `ms` (or until `restore()`). Resolves when the outage ends. */
  outage(ms?: number): Promise<void>;
  /** Accepts connections and never forwards or answers anything (until `restore()`). */
  blackhole(): void;
  restore(): void;
  /** Number of outages so far and connections reset by them. */
  stats: { outages: number; resets: number; accepted: number };
  close(): Promise<void>;
}

export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  let mode: 'up' | 'down' | 'blackhole' = 'up';
  let up = 0;
  const watchers: { bytes: number; fn: () => void }[] = [];
  const open = new Set<net.Socket>();
  const stats = { outages: 0, resets: 0, accepted: 0 };
  let outageTimer: NodeJS.Timeout | undefined;
  let endOutage: (() => void) | undefined;

  const reset = (s: net.Socket) => {
    stats.resets++;
    s.resetAndDestroy();
  };
  const server = net.createServer(client => {
    stats.accepted++;
    client.on('error', () => undefined);
    if (mode === 'down') return reset(client);
    open.add(client);
    client.on('close', () => open.delete(client));
    if (mode === 'blackhole') {
      client.resume(); // read and drop
      return;
    }
    const upstream = net.connect(target.port, target.host);
    open.add(upstream);
    upstream.on('close', () => open.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('data', (chunk: Buffer) => {
      up += chunk.length;
      for (const w of watchers.splice(0)) {
        if (up >= w.bytes) w.fn();
        else watchers.push(w);
      }
    });
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  const restore = () => {
    mode = 'up';
    if (outageTimer) clearTimeout(outageTimer);
    outageTimer = undefined;
    endOutage?.();
    endOutage = undefined;
  };
  return {
    host: '127.0.0.1',
    port,
    url: `http://127.0.0.1:${port}`,
    upstreamBytes: () => up,
    whenUpstreamBytes(bytes, fn) {
      if (up >= bytes) fn();
      else watchers.push({ bytes, fn });
    },
    outage(ms) {
      mode = 'down';
      stats.outages++;
      for (const s of [...open]) reset(s);
      return new Promise<void>(resolve => {
        endOutage = resolve;
        if (ms !== undefined) outageTimer = setTimeout(restore, ms);
      });
    },
    blackhole() {
      mode = 'blackhole';
    },
    restore,
    stats,
    async close() {
      restore();
      for (const s of [...open]) s.destroy();
      await new Promise<void>(resolve => server.close(() => resolve()));
    }
  };
}
