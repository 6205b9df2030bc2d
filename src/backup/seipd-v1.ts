import { createCipheriv, createHash, randomBytes, type Cipher, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { PartialBodyWriter, packetHeader } from './packet-framing.js';

/**
 * The bulk of an OpenPGP message as RFC 9580 §5.13.1 defines a version 1 Symmetrically Encrypted Integrity
 * Protected Data packet: CFB with a zero IV over a random block-size prefix (its last two octets repeated), the
 * literal data packet, and a Modification Detection Code packet (SHA-1 of all that precedes it).
 *
 * openpgp.js writes the same bytes, but through Web Streams that copy every chunk several times; on a two-core
 * runner that CPU is taken from pg_dump. This writer uses node's cipher and hash directly and frames pieces as
 * views of the input. The session key and its key packets (SKESK/PKESK) still come from openpgp.js.
 */
export const SEIPD_V1_CIPHERS: Record<string, { node: string; keyBytes: number }> = {
  aes128: { node: 'aes-128-cfb', keyBytes: 16 },
  aes192: { node: 'aes-192-cfb', keyBytes: 24 },
  aes256: { node: 'aes-256-cfb', keyBytes: 32 }
};

const TAG_LITERAL_DATA = 11;
const TAG_SEIPD = 18;
const TAG_MDC = 19;
const BLOCK_BYTES = 16;

export interface SeipdV1Options {
  /** The PKESK/SKESK packets that carry the session key (openpgp.encryptSessionKey, binary). */
  keyPackets: Uint8Array;
  sessionKey: Uint8Array;
  /** An openpgp.js symmetric algorithm name; one of SEIPD_V1_CIPHERS. */
  algorithm: string;
  /** Stored in the literal data packet (what `gpg --decrypt` would name the output). */
  filename: string;
  date?: Date;
}

export class SeipdV1EncryptStream extends Transform {
  private readonly cipher: Cipher;
  private readonly mdc: Hash = createHash('sha1');
  private readonly literalBody = new PartialBodyWriter();
  private readonly packetBody = new PartialBodyWriter();
  private started = false;

  constructor(private readonly o: SeipdV1Options) {
    super();
    const suite = SEIPD_V1_CIPHERS[o.algorithm];
    if (!suite) throw new Error(`SEIPD v1 writer: unsupported cipher ${o.algorithm}`);
    if (o.sessionKey.length !== suite.keyBytes)
      throw new Error(`SEIPD v1 writer: ${o.algorithm} needs a ${suite.keyBytes}-byte session key`);
    this.cipher = createCipheriv(suite.node, o.sessionKey, Buffer.alloc(BLOCK_BYTES));
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    const out: Buffer[] = [];
    if (!this.started) this.start(out);
    const plain: Buffer[] = [];
    this.literalBody.write(chunk, plain);
    this.encrypt(plain, out);
    cb(null, Buffer.concat(out));
  }

  override _flush(cb: TransformCallback): void {
    const out: Buffer[] = [];
    if (!this.started) this.start(out);
    const plain: Buffer[] = [];
    this.literalBody.end(plain);
    plain.push(Buffer.of(0xc0 | TAG_MDC, 20));
    this.encrypt(plain, out);
    // The MDC's own value is encrypted but not hashed.
    this.packetBody.write(this.cipher.update(this.mdc.digest()), out);
    this.packetBody.write(this.cipher.final(), out);
    this.packetBody.end(out);
    cb(null, Buffer.concat(out));
  }

  private start(out: Buffer[]): void {
    this.started = true;
    const name = Buffer.from(this.o.filename, 'utf8').subarray(0, 255);
    const date = Buffer.alloc(4);
    date.writeUInt32BE(Math.floor((this.o.date ?? new Date()).getTime() / 1000));
    out.push(Buffer.from(this.o.keyPackets), packetHeader(TAG_SEIPD));
    this.packetBody.write(Buffer.of(1), out);

    const prefix = randomBytes(BLOCK_BYTES);
    const plain = [Buffer.concat([prefix, prefix.subarray(-2)]), packetHeader(TAG_LITERAL_DATA)];
    // Literal data body: binary format 'b', the filename, the date, then the data.
    this.literalBody.write(Buffer.concat([Buffer.of(0x62, name.length), name, date]), plain);
    this.encrypt(plain, out);
  }

  /** Hashes the plaintext for the MDC, encrypts it and frames the ciphertext as the SEIPD packet's body. */
  private encrypt(plain: Buffer[], out: Buffer[]): void {
    for (const p of plain) {
      this.mdc.update(p);
      this.packetBody.write(this.cipher.update(p), out);
    }
  }
}
