// Free loopback ports: the kernel picks one (bind to port 0), we release it and hand it to a daemon. The gap
// between release and the daemon's bind is a race other processes can win, so starters retry on "address in use".
import { createServer } from 'node:net';

const handedOut = new Set<number>();

/** Where ports come from; tests swap `next` to hand out a taken port and exercise the retry. */
export const portSource = { next: kernelPort };

/** A currently free TCP port on 127.0.0.1, never the same one twice in this process. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await portSource.next();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('could not find a free port on 127.0.0.1');
}

/** Whether nothing listens on 127.0.0.1:<port> right now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function kernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port from the kernel'));
      });
    });
  });
}

/** Whether a start failure looks like losing the port race, which is worth one more try with new ports. */
export function isPortClash(err: unknown): boolean {
  return /address already in use|EADDRINUSE|could not bind|unable to bind|bind.*failed/i.test(String(err));
}

/** Runs `start` again (with fresh ports, chosen inside it) when it lost a port race. */
export async function retryOnPortClash<T>(start: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await start();
    } catch (err) {
      if (i >= attempts || !isPortClash(err)) throw err;
    }
  }
}
