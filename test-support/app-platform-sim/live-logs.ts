// live_url as App Platform serves it: a websocket whose text messages are JSON `{"data": "<line>"}` (doctl's
// `apps logs -f` protocol). A minimal RFC 6455 server side: handshake, unmasked text frames, close frame.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Engine } from './engine.js';
import { followEnded, renderLines, resolveLogUrl } from './logs.js';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(opcode: number, payload: Buffer): Buffer {
  const n = payload.length;
  const head = n < 126 ? Buffer.from([0x80 | opcode, n]) : n < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (n >= 126 && n < 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(n, 2);
  } else if (n >= 65536) {
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([head, payload]);
}

const closeFrame = (code: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(code, 0);
  return frame(0x8, b);
};

/** Handles an HTTP upgrade on a /sim-logs/…/live URL; anything else is refused. */
export function handleLogUpgrade(
  engine: Engine,
  req: IncomingMessage,
  socket: Duplex,
  open: Set<Duplex>
): void {
  const url = new URL(req.url ?? '/', 'http://sim');
  const target = url.pathname.startsWith('/sim-logs/') ? resolveLogUrl(engine, url) : undefined;
  const key = req.headers['sec-websocket-key'];
  if (
    !target ||
    target.mode !== 'live' ||
    typeof key !== 'string' ||
    req.headers.upgrade?.toLowerCase() !== 'websocket'
  ) {
    socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    return;
  }
  const accept = createHash('sha1')
    .update(key + GUID)
    .digest('base64');
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: ${accept}\r\n\r\n`
  );
  // Upgraded sockets are no longer the HTTP server's: stop() destroys them through `open`.
  open.add(socket);
  let closed = false;
  let sent = 0;
  socket.on('data', (chunk: Buffer) => {
    // The client only ever closes (opcode 8); its frames carry no data we need.
    if ((chunk[0]! & 0x0f) === 0x8 && !closed) {
      closed = true;
      socket.end(closeFrame(1000));
    }
  });
  socket.on('close', () => {
    closed = true;
    open.delete(socket);
  });
  socket.on('error', () => (closed = true));
  const pump = () => {
    if (closed) return;
    const out = renderLines(target, sent);
    sent = out.count;
    for (const line of out.lines) socket.write(frame(0x1, Buffer.from(JSON.stringify({ data: line }))));
    if (followEnded(target)) {
      closed = true;
      socket.end(closeFrame(1000));
      return;
    }
    setTimeout(pump, 200).unref();
  };
  pump();
}
