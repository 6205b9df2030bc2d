/**
 * OpenPGP packet framing for streams of unknown length (RFC 9580 §4.2): a new-format header, then the body as
 * partial body lengths (each a power of two, the first at least 512 octets), ending with a regular length.
 */

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
