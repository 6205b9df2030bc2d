import { createHash, timingSafeEqual, type Hash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { createInflate, createInflateRaw, type Inflate, type InflateRaw } from 'node:zlib';
import { CfbDecipher } from './cfb-decipher.js';
import { PartialBodyReader, readPacketHeader, TAG } from './packet-framing.js';
import {
  BLOCK_BYTES,
  COMPRESSION_ZIP,
  COMPRESSION_ZLIB,
  MDC_HEADER,
  MDC_PACKET_BYTES,
  PREFIX_BYTES,
  SEIPD_V1_CIPHERS,
  SEIPD_VERSION
} from './seipd-v1.js';

/**
 * Streaming decryption of what SeipdV1EncryptStream writes (and openpgp.js or GnuPG write alike): a SEIPD v1
 * packet holding a literal data packet, optionally inside a ZIP/ZLIB compressed data packet. node's cipher,
 * hash and zlib do the work; the session key comes from openpgp.js (decryptSessionKeys). The MDC is checked
 * at the end, when the stream fails instead of ending if anything was changed: callers hold back the tail of
 * the plaintext until then (restore.ts).
 */

/**
 * Inflate output per callback: zlib's default 16 KiB means one JS callback (and buffer) per 16 KiB of a
 * database; 256 KiB took a sixth less CPU decrypting a 333 MiB archive (measured with process.cpuUsage).
 */
const INFLATE_CHUNK_BYTES = 256 << 10;
/** A literal data packet's body before its data, less the filename: format, filename length, date. */
const LITERAL_HEAD_FIXED_BYTES = 1 + 1 + 4;

export interface MessageHead {
  /** The key packets (PKESK/SKESK) before the encrypted data. */
  keyPackets: Buffer;
  /** The SEIPD packet's version (1 or 2), or undefined when the message has none. */
  seipdVersion?: number;
}

/**
 * Reads the key packets and the SEIPD version from the start of `cipher`; `stream` then yields the whole
 * message again, the bytes already read first (unshift would lose them once a short stream has ended).
 */
export async function peekMessageHead(cipher: Readable): Promise<MessageHead & { stream: Readable }> {
  const chunks = cipher[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let buf = Buffer.alloc(0);
  let head: MessageHead | undefined;
  while (!head) {
    head = parseHead(buf);
    if (head) break;
    const next = await chunks.next();
    if (next.done) {
      head = { keyPackets: buf };
      break;
    }
    buf = Buffer.concat([buf, next.value]);
  }
  const read = buf;
  async function* replay() {
    try {
      yield read;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
    } finally {
      await chunks.return?.(); // a reader that stops early (pg_restore --list) stops the download too
    }
  }
  return { ...head, stream: Readable.from(replay(), { objectMode: false }) };
}

/** The head once `buf` holds the key packets and the SEIPD packet's first body octet, else undefined. */
function parseHead(buf: Buffer): MessageHead | undefined {
  let at = 0;
  for (;;) {
    const h = readPacketHeader(buf, at);
    if (!h) return undefined;
    if (h.tag === TAG.seipd)
      return buf.length > at + h.headerBytes
        ? { keyPackets: buf.subarray(0, at), seipdVersion: buf[at + h.headerBytes] }
        : undefined;
    if (h.partial || buf.length < at + h.headerBytes + h.length) return undefined;
    at += h.headerBytes + h.length;
  }
}

/** One packet of an expected tag: its header, then its body pieces; the bytes after it are returned. */
class PacketReader {
  private pending?: Buffer;
  private body?: PartialBodyReader;
  tag?: number;

  constructor(
    private readonly tags: number[],
    private readonly what: string
  ) {}

  get done(): boolean {
    return this.body ? this.body.done || this.body.indeterminate : false;
  }

  read(input: Buffer, body: Buffer[]): Buffer | undefined {
    let buf = input;
    if (!this.body) {
      if (this.pending) buf = Buffer.concat([this.pending, buf]);
      this.pending = undefined;
      const h = readPacketHeader(buf);
      if (!h) {
        this.pending = buf;
        return undefined;
      }
      if (!this.tags.includes(h.tag))
        throw new Error(`${this.what}: unexpected OpenPGP packet (tag ${h.tag}) in the encrypted data`);
      this.tag = h.tag;
      this.body = new PartialBodyReader(h);
      buf = buf.subarray(h.headerBytes);
    }
    return this.body.read(buf, body);
  }
}

/** A literal data packet's data: its body minus format, filename and date. */
class LiteralDataReader {
  private readonly packet = new PacketReader([TAG.literalData], 'literal data');
  private head: Buffer = Buffer.alloc(0);
  private headBytes?: number;

  get done(): boolean {
    return this.packet.done;
  }

  /** The bytes of a whole literal data packet, header included (inside compressed data). */
  read(input: Buffer, out: Buffer[]): void {
    const body: Buffer[] = [];
    this.packet.read(input, body);
    for (const b of body) this.body(b, out);
  }

  /** Body bytes of the packet, its header already read elsewhere. */
  body(input: Buffer, out: Buffer[]): void {
    let b = input;
    if (this.headBytes === undefined || this.head.length < this.headBytes) {
      this.head = Buffer.concat([this.head, b]);
      if (this.head.length < 2) return; // until the filename's length, the second octet (RFC 9580 §5.9)
      this.headBytes = LITERAL_HEAD_FIXED_BYTES + this.head[1]!;
      if (this.head.length < this.headBytes) return;
      b = this.head.subarray(this.headBytes);
    }
    if (b.length > 0) out.push(b);
  }
}

export class SeipdV1DecryptStream extends Transform {
  private skip: number;
  private headerBytes: Buffer = Buffer.alloc(0);
  private packetBody?: PartialBodyReader;
  private versionChecked = false;
  private readonly decipher: CfbDecipher;
  private readonly mdc: Hash = createHash('sha1');
  private prefix: Buffer = Buffer.alloc(0);
  private held: Buffer = Buffer.alloc(0);
  private readonly inner = new PacketReader([TAG.literalData, TAG.compressedData], 'encrypted data');
  private literal = new LiteralDataReader();
  private inflate?: Inflate | InflateRaw;
  private inflateFailed?: Error;

  constructor(o: { skip: number; sessionKey: Uint8Array; algorithm: string }) {
    super();
    const suite = SEIPD_V1_CIPHERS[o.algorithm];
    if (!suite) throw new Error(`unsupported cipher ${o.algorithm}`);
    this.skip = o.skip;
    this.decipher = new CfbDecipher(suite.ecb, o.sessionKey, Buffer.alloc(BLOCK_BYTES));
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    let compressed: Buffer[];
    try {
      compressed = this.consume(chunk);
    } catch (error) {
      cb(error as Error);
      return;
    }
    if (compressed.length === 0 || !this.inflate) return cb();
    this.inflate.write(Buffer.concat(compressed), () => cb(this.inflateFailed));
  }

  override _flush(cb: TransformCallback): void {
    const finish = () => {
      try {
        this.checkEnd();
        cb();
      } catch (error) {
        cb(error as Error);
      }
    };
    if (!this.inflate) return finish();
    if (!this.packetBody?.done) return cb(new Error('the encrypted data is truncated'));
    this.inflate.once('end', finish);
    this.inflate.end();
  }

  /** Decrypts what it can of `chunk`; returns the compressed bytes for the inflater, if any. */
  private consume(chunk: Buffer): Buffer[] {
    let buf = chunk;
    if (this.skip > 0) {
      const n = Math.min(this.skip, buf.length);
      this.skip -= n;
      buf = buf.subarray(n);
    }
    if (!this.packetBody) {
      this.headerBytes = Buffer.concat([this.headerBytes, buf]);
      const h = readPacketHeader(this.headerBytes);
      if (!h) return [];
      if (h.tag !== TAG.seipd) throw new Error(`expected encrypted data, found OpenPGP packet tag ${h.tag}`);
      this.packetBody = new PartialBodyReader(h);
      buf = this.headerBytes.subarray(h.headerBytes);
    }
    const pieces: Buffer[] = [];
    const after = this.packetBody.read(buf, pieces);
    if (after && after.length > 0) throw new Error('unexpected data after the encrypted data packet');
    const compressed: Buffer[] = [];
    for (let p of pieces) {
      if (!this.versionChecked && p.length > 0) {
        if (p[0] !== SEIPD_VERSION) throw new Error(`SEIPD version ${p[0]} is not ${SEIPD_VERSION}`);
        this.versionChecked = true;
        p = p.subarray(1);
      }
      if (p.length > 0) for (const plain of this.decipher.update(p)) this.plaintext(plain, compressed);
    }
    return compressed;
  }

  /** The random prefix (checked), then the inner packets, holding back what may be the MDC packet. */
  private plaintext(p: Buffer, compressed: Buffer[]): void {
    if (this.prefix.length < PREFIX_BYTES) {
      const n = Math.min(PREFIX_BYTES - this.prefix.length, p.length);
      this.prefix = Buffer.concat([this.prefix, p.subarray(0, n)]);
      p = p.subarray(n);
      if (this.prefix.length < PREFIX_BYTES) return;
      // The prefix repeats its last two octets: a wrong session key fails here, at the first block.
      const last = BLOCK_BYTES - 2;
      if (!this.prefix.subarray(last, BLOCK_BYTES).equals(this.prefix.subarray(BLOCK_BYTES, PREFIX_BYTES)))
        throw new Error('wrong key or passphrase (session key check failed)');
      this.mdc.update(this.prefix);
    }
    if (p.length === 0) return;
    const ready: Buffer[] = [];
    const total = this.held.length + p.length;
    if (total <= MDC_PACKET_BYTES) {
      this.held = Buffer.concat([this.held, p]);
      return;
    }
    const emit = total - MDC_PACKET_BYTES;
    if (emit <= this.held.length) {
      ready.push(this.held.subarray(0, emit));
      this.held = Buffer.concat([this.held.subarray(emit), p]);
    } else {
      if (this.held.length > 0) ready.push(this.held);
      ready.push(p.subarray(0, emit - this.held.length));
      this.held = p.subarray(emit - this.held.length);
    }
    for (const r of ready) {
      this.mdc.update(r);
      this.innerPackets(r, compressed);
    }
  }

  private innerPackets(bytes: Buffer, compressed: Buffer[]): void {
    const body: Buffer[] = [];
    const after = this.inner.read(bytes, body);
    if (after && after.length > 0) throw new Error('unexpected data after the literal data packet');
    if (this.inner.tag === TAG.literalData) {
      const out: Buffer[] = [];
      for (const b of body) this.literal.body(b, out);
      for (const o of out) this.push(o);
      return;
    }
    for (let b of body) {
      // The compressed data packet's first body octet names the algorithm.
      if (!this.inflate && b.length > 0) {
        this.startInflate(b[0]!);
        b = b.subarray(1);
      }
      if (b.length > 0) compressed.push(b);
    }
  }

  private startInflate(algorithm: number): void {
    if (algorithm !== COMPRESSION_ZIP && algorithm !== COMPRESSION_ZLIB)
      throw new Error(`compression algorithm ${algorithm} is not supported (ZIP and ZLIB are)`);
    const options = { chunkSize: INFLATE_CHUNK_BYTES };
    this.inflate = algorithm === COMPRESSION_ZIP ? createInflateRaw(options) : createInflate(options);
    this.inflate.on('data', (d: Buffer) => {
      const out: Buffer[] = [];
      try {
        this.literal.read(d, out);
      } catch (error) {
        this.inflateFailed = error as Error;
        this.inflate!.destroy();
        return;
      }
      for (const o of out) this.push(o);
    });
    this.inflate.on('error', (error: Error) => {
      this.inflateFailed ??= new Error(`the compressed data is damaged: ${error.message}`);
      this.destroy(this.inflateFailed);
    });
  }

  /** Everything arrived: the packets are whole and the MDC matches the SHA-1 of all that precedes it. */
  private checkEnd(): void {
    if (this.inflateFailed) throw this.inflateFailed;
    if (!this.packetBody?.done || this.held.length !== MDC_PACKET_BYTES)
      throw new Error('the encrypted data is truncated');
    const header = this.held.subarray(0, MDC_HEADER.length);
    if (!header.equals(MDC_HEADER))
      throw new Error('Modification detected: the integrity packet (MDC) is missing');
    this.mdc.update(header);
    if (!timingSafeEqual(this.mdc.digest(), this.held.subarray(MDC_HEADER.length)))
      throw new Error('Modification detected: the integrity code (MDC) does not match');
    if (!(this.inner.tag === TAG.literalData ? this.inner.done : this.literal.done))
      throw new Error('the literal data packet is truncated');
  }
}
