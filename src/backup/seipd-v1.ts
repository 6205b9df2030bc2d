import { createCipheriv, createHash, randomBytes, type Cipher, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { PartialBodyWriter, packetHeader, TAG } from './packet-framing.js';
import { DEFLATE_JOBS_IN_FLIGHT, OrderedOutput, ParallelDeflate } from './parallel-deflate.js';

/**
 * The bulk of an OpenPGP message as RFC 9580 §5.13.1 defines a version 1 Symmetrically Encrypted Integrity
 * Protected Data packet: CFB with a zero IV over a random block-size prefix (its last two octets repeated), the
 * literal data packet, and a Modification Detection Code packet (SHA-1 of all that precedes it).
 *
 * openpgp.js writes the same bytes, but through Web Streams that copy every chunk several times; on a two-core
 * runner that CPU is taken from pg_dump. This writer uses node's cipher and hash directly and frames pieces as
 * views of the input. The session key and its key packets (SKESK/PKESK) still come from openpgp.js.
 */
export const SEIPD_V1_CIPHERS: Record<string, { node: string; ecb: string; keyBytes: number }> = {
  aes128: { node: 'aes-128-cfb', ecb: 'aes-128-ecb', keyBytes: 16 },
  aes192: { node: 'aes-192-cfb', ecb: 'aes-192-ecb', keyBytes: 24 },
  aes256: { node: 'aes-256-cfb', ecb: 'aes-256-ecb', keyBytes: 32 }
};

/** The SEIPD packet's version octet this writer (and the reader, seipd-v1-decrypt.ts) speaks. */
export const SEIPD_VERSION = 1;
/** Compressed data packet algorithms (RFC 9580 §9.4): ZIP is raw deflate (RFC 1951), ZLIB deflate in RFC 1950. */
export const COMPRESSION_ZIP = 1;
export const COMPRESSION_ZLIB = 2;
/** The AES block: the CFB IV and the random prefix are one block. */
export const BLOCK_BYTES = 16;
/** The random prefix as written: one block, its last two octets repeated (the quick session key check). */
export const PREFIX_BYTES = BLOCK_BYTES + 2;
/** The MDC packet: its header (tag 19, a one-octet length) and the SHA-1 of all that precedes its value. */
const SHA1_BYTES = 20;
export const MDC_HEADER = Buffer.of(0xc0 | TAG.mdc, SHA1_BYTES);
export const MDC_PACKET_BYTES = MDC_HEADER.length + SHA1_BYTES;
/** Literal data format octet 'b': binary. */
export const LITERAL_BINARY = 0x62;

export interface SeipdV1Options {
  /** The PKESK/SKESK packets that carry the session key (openpgp.encryptSessionKey, binary). */
  keyPackets: Uint8Array;
  sessionKey: Uint8Array;
  /** An openpgp.js symmetric algorithm name; one of SEIPD_V1_CIPHERS. */
  algorithm: string;
  /** Stored in the literal data packet (what `gpg --decrypt` would name the output). */
  filename: string;
  date?: Date;
  /**
   * Wrap the literal data in a compressed data packet (ZIP, this deflate level), compressed on several
   * threads. gpg and openpgp.js decompress it transparently: `gpg --decrypt` still yields the input.
   */
  compressionLevel?: number;
}

export class SeipdV1EncryptStream extends Transform {
  private readonly cipher: Cipher;
  private readonly mdc: Hash = createHash('sha1');
  private readonly literalBody = new PartialBodyWriter();
  private readonly compressedBody = new PartialBodyWriter();
  private readonly packetBody = new PartialBodyWriter();
  private readonly deflate?: ParallelDeflate;
  private readonly deflated = new OrderedOutput();
  private started = false;

  constructor(private readonly o: SeipdV1Options) {
    super();
    const suite = SEIPD_V1_CIPHERS[o.algorithm];
    if (!suite) throw new Error(`SEIPD v1 writer: unsupported cipher ${o.algorithm}`);
    if (o.sessionKey.length !== suite.keyBytes)
      throw new Error(`SEIPD v1 writer: ${o.algorithm} needs a ${suite.keyBytes}-byte session key`);
    this.cipher = createCipheriv(suite.node, o.sessionKey, Buffer.alloc(BLOCK_BYTES));
    if (o.compressionLevel !== undefined) this.deflate = new ParallelDeflate({ level: o.compressionLevel });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.frame(chunk, false).then(out => cb(null, out), cb);
  }

  override _flush(cb: TransformCallback): void {
    this.frame(Buffer.alloc(0), true).then(out => cb(null, out), cb);
  }

  private async frame(chunk: Buffer, last: boolean): Promise<Buffer> {
    const out: Buffer[] = [];
    const literal: Buffer[] = [];
    if (!this.started) this.start(literal, out);
    this.literalBody.write(chunk, literal);
    if (last) this.literalBody.end(literal);
    await this.literalData(literal, last, out);
    if (last) {
      this.encrypt([MDC_HEADER], out);
      // The MDC's own value is encrypted but not hashed.
      this.packetBody.write(this.cipher.update(this.mdc.digest()), out);
      this.packetBody.write(this.cipher.final(), out);
      this.packetBody.end(out);
    }
    return Buffer.concat(out);
  }

  /** Key packets, the SEIPD header and version, the random prefix, and the headers of the inner packets. */
  private start(literal: Buffer[], out: Buffer[]): void {
    this.started = true;
    out.push(Buffer.from(this.o.keyPackets), packetHeader(TAG.seipd));
    this.packetBody.write(Buffer.of(SEIPD_VERSION), out);
    const prefix = randomBytes(BLOCK_BYTES);
    this.encrypt([prefix, prefix.subarray(-2)], out);
    if (this.deflate) {
      const framed: Buffer[] = [];
      this.compressedBody.write(Buffer.of(COMPRESSION_ZIP), framed);
      this.encrypt([packetHeader(TAG.compressedData), ...framed], out);
    }
    const name = Buffer.from(this.o.filename, 'utf8').subarray(0, 255);
    const date = Buffer.alloc(4);
    date.writeUInt32BE(Math.floor((this.o.date ?? new Date()).getTime() / 1000));
    literal.push(packetHeader(TAG.literalData));
    // Literal data body: the format, the filename's length and the filename, the date, then the data.
    this.literalBody.write(Buffer.concat([Buffer.of(LITERAL_BINARY, name.length), name, date]), literal);
  }

  /** The literal data packet's bytes, deflated into the compressed data packet when compressing. */
  private async literalData(literal: Buffer[], last: boolean, out: Buffer[]): Promise<void> {
    if (!this.deflate) return this.encrypt(literal, out);
    const framed: Buffer[] = [];
    for (const piece of literal) this.deflated.add(this.deflate.write(piece));
    if (last) this.deflated.add(this.deflate.end());
    for (const c of await this.deflated.take(last ? 0 : DEFLATE_JOBS_IN_FLIGHT))
      this.compressedBody.write(c, framed);
    if (last) this.compressedBody.end(framed);
    this.encrypt(framed, out);
  }

  /** Hashes the plaintext for the MDC, encrypts it and frames the ciphertext as the SEIPD packet's body. */
  private encrypt(plain: Buffer[], out: Buffer[]): void {
    for (const p of plain) {
      this.mdc.update(p);
      this.packetBody.write(this.cipher.update(p), out);
    }
  }
}
