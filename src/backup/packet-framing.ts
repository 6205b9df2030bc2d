/**
 * OpenPGP packet framing for streams of unknown length (RFC 9580 §4.2): a new-format header, then the body as
 * partial body lengths (each a power of two, the first at least 512 octets), ending with a regular length.
 */

/** The packet tags this project writes and reads (RFC 9580 §5). */
export const TAG = { compressedData: 8, literalData: 11, seipd: 18, mdc: 19 } as const;

/** The first octet of a new-format packet with `tag`. */
export const packetHeader = (tag: number): Buffer => Buffer.of(0xc0 | tag);

/** A regular (definite) body length: one, two or five octets. */
export function definiteLength(n: number): Buffer {
  if (n < 192) return Buffer.of(n);
  if (n < 8384) return Buffer.of(((n - 192) >> 8) + 192, (n - 192) & 0xff);
  const b = Buffer.alloc(5);
  b[0] = 0xff;
  b.writeUInt32BE(n, 1);
  return b;
}

const MIN_PARTIAL = 512;
const MAX_PARTIAL_LOG2 = 30;

/**
 * Frames one packet body as it arrives. Pieces are emitted as views of the input (no copies), preceded by
 * their partial-length octet; fewer than 512 held octets wait for more data or for `end`.
 */
export class PartialBodyWriter {
  private held: Buffer[] = [];
  private heldBytes = 0;

  write(chunk: Buffer, out: Buffer[]): void {
    if (chunk.length > 0) {
      this.held.push(chunk);
      this.heldBytes += chunk.length;
    }
    while (this.heldBytes >= MIN_PARTIAL) {
      const log2 = Math.min(MAX_PARTIAL_LOG2, 31 - Math.clz32(this.heldBytes));
      out.push(Buffer.of(224 + log2));
      this.take(2 ** log2, out);
    }
  }

  /** The rest of the body under a regular length (possibly 0), which ends the packet. */
  end(out: Buffer[]): void {
    out.push(definiteLength(this.heldBytes));
    this.take(this.heldBytes, out);
  }

  private take(n: number, out: Buffer[]): void {
    while (n > 0) {
      const first = this.held[0]!;
      if (first.length <= n) {
        out.push(first);
        this.held.shift();
        n -= first.length;
        this.heldBytes -= first.length;
      } else {
        out.push(first.subarray(0, n));
        this.held[0] = first.subarray(n);
        this.heldBytes -= n;
        n = 0;
      }
    }
  }
}

export interface PacketHeader {
  tag: number;
  /** Octets of the header, length included. */
  headerBytes: number;
  /** Length of the (first part of the) body. */
  length: number;
  /** The body continues after `length` octets with another length header. */
  partial: boolean;
  /** Old format, indeterminate length: the body runs to the end of what encloses it (GnuPG's compressed packets). */
  indeterminate?: boolean;
}

/**
 * Parses the packet header at `at`, new format or old (GnuPG writes key packets in the old one); undefined
 * when `buf` does not hold all of it yet.
 */
export function readPacketHeader(buf: Buffer, at = 0): PacketHeader | undefined {
  if (buf.length <= at) return undefined;
  const first = buf[at]!;
  if ((first & 0x80) === 0) throw new Error(`not an OpenPGP packet header (octet 0x${first.toString(16)})`);
  if (first & 0x40) {
    const l = readLength(buf, at + 1);
    return l && { tag: first & 0x3f, headerBytes: 1 + l.bytes, length: l.length, partial: l.partial };
  }
  const tag = (first >> 2) & 0x0f;
  const type = first & 0x03;
  if (type === 3) return { tag, headerBytes: 1, length: Infinity, partial: false, indeterminate: true };
  const n = [1, 2, 4][type]!;
  if (buf.length < at + 1 + n) return undefined;
  return { tag, headerBytes: 1 + n, length: buf.readUIntBE(at + 1, n), partial: false };
}

/** A new-format body length at `at` (RFC 9580 §4.2.1). */
function readLength(
  buf: Buffer,
  at: number
): { length: number; bytes: number; partial: boolean } | undefined {
  if (buf.length <= at) return undefined;
  const o = buf[at]!;
  if (o < 192) return { length: o, bytes: 1, partial: false };
  if (o < 224) {
    if (buf.length <= at + 1) return undefined;
    return { length: ((o - 192) << 8) + buf[at + 1]! + 192, bytes: 2, partial: false };
  }
  if (o < 255) return { length: 2 ** (o & 0x1f), bytes: 1, partial: true };
  if (buf.length < at + 5) return undefined;
  return { length: buf.readUInt32BE(at + 1), bytes: 5, partial: false };
}

/**
 * The inverse of PartialBodyWriter: fed the bytes that follow a packet header, it returns the body pieces
 * (views of the input) and, once the body is complete, the bytes after it.
 */
export class PartialBodyReader {
  private remaining: number;
  private partial: boolean;
  /** A length header split across inputs. */
  private pendingHeader?: Buffer;
  done = false;
  /** The body ends with its container, so it is whole whenever that ends. */
  readonly indeterminate: boolean;

  constructor(first: { length: number; partial: boolean; indeterminate?: boolean }) {
    this.remaining = first.length;
    this.partial = first.partial;
    this.done = !first.partial && first.length === 0;
    this.indeterminate = first.indeterminate ?? false;
  }

  read(input: Buffer, body: Buffer[]): Buffer | undefined {
    let buf = input;
    while (buf.length > 0 && !this.done) {
      if (this.remaining === 0) {
        if (this.pendingHeader) buf = Buffer.concat([this.pendingHeader, buf]);
        this.pendingHeader = undefined;
        const l = readLength(buf, 0);
        if (!l) {
          this.pendingHeader = buf;
          return undefined;
        }
        this.remaining = l.length;
        this.partial = l.partial;
        buf = buf.subarray(l.bytes);
        if (!l.partial && l.length === 0) this.done = true;
        continue;
      }
      const n = Math.min(this.remaining, buf.length);
      body.push(buf.subarray(0, n));
      buf = buf.subarray(n);
      this.remaining -= n;
      if (this.remaining === 0 && !this.partial) this.done = true;
    }
    return this.done ? buf : undefined;
  }
}
