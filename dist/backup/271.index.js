export const id = 271;
export const ids = [271];
export const modules = {

/***/ 5271:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  backupListTables: () => (/* reexport */ backupListTables),
  backupSummary: () => (/* reexport */ backupSummary),
  createDecryptor: () => (/* reexport */ createDecryptor),
  createEncryptor: () => (/* reexport */ createEncryptor),
  drillFailure: () => (/* reexport */ drillFailure),
  listSummary: () => (/* reexport */ listSummary),
  pickBackup: () => (/* reexport */ pickBackup),
  pruneAfterBackup: () => (/* reexport */ pruneAfterBackup),
  pruneBackups: () => (/* reexport */ pruneBackups),
  pruneSummary: () => (/* reexport */ pruneSummary),
  readCatalog: () => (/* reexport */ readCatalog),
  restoreBackup: () => (/* reexport */ restoreBackup),
  restoreSummary: () => (/* reexport */ restoreSummary),
  retentionTable: () => (/* reexport */ retentionTable),
  runBackup: () => (/* reexport */ runBackup),
  verifyBackup: () => (/* reexport */ verifyBackup),
  verifySummary: () => (/* reexport */ verifySummary)
});

// EXTERNAL MODULE: ./node_modules/openpgp/dist/node/openpgp.mjs
var openpgp = __webpack_require__(3074);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/backup/packet-framing.ts
/**
 * OpenPGP packet framing for streams of unknown length (RFC 9580 §4.2): a new-format header, then the body as
 * partial body lengths (each a power of two, the first at least 512 octets), ending with a regular length.
 */
/** The packet tags this project writes and reads (RFC 9580 §5). */
const TAG = { compressedData: 8, literalData: 11, seipd: 18, mdc: 19 };
/** The first octet of a new-format packet with `tag`. */
const packetHeader = (tag) => Buffer.of(0xc0 | tag);
/** A regular (definite) body length: one, two or five octets. */
function definiteLength(n) {
    if (n < 192)
        return Buffer.of(n);
    if (n < 8384)
        return Buffer.of(((n - 192) >> 8) + 192, (n - 192) & 0xff);
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
class PartialBodyWriter {
    held = [];
    heldBytes = 0;
    write(chunk, out) {
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
    end(out) {
        out.push(definiteLength(this.heldBytes));
        this.take(this.heldBytes, out);
    }
    take(n, out) {
        while (n > 0) {
            const first = this.held[0];
            if (first.length <= n) {
                out.push(first);
                this.held.shift();
                n -= first.length;
                this.heldBytes -= first.length;
            }
            else {
                out.push(first.subarray(0, n));
                this.held[0] = first.subarray(n);
                this.heldBytes -= n;
                n = 0;
            }
        }
    }
}
/**
 * Parses the packet header at `at`, new format or old (GnuPG writes key packets in the old one); undefined
 * when `buf` does not hold all of it yet.
 */
function readPacketHeader(buf, at = 0) {
    if (buf.length <= at)
        return undefined;
    const first = buf[at];
    if ((first & 0x80) === 0)
        throw new Error(`not an OpenPGP packet header (octet 0x${first.toString(16)})`);
    if (first & 0x40) {
        const l = readLength(buf, at + 1);
        return l && { tag: first & 0x3f, headerBytes: 1 + l.bytes, length: l.length, partial: l.partial };
    }
    const tag = (first >> 2) & 0x0f;
    const type = first & 0x03;
    if (type === 3)
        return { tag, headerBytes: 1, length: Infinity, partial: false, indeterminate: true };
    const n = [1, 2, 4][type];
    if (buf.length < at + 1 + n)
        return undefined;
    return { tag, headerBytes: 1 + n, length: buf.readUIntBE(at + 1, n), partial: false };
}
/** A new-format body length at `at` (RFC 9580 §4.2.1). */
function readLength(buf, at) {
    if (buf.length <= at)
        return undefined;
    const o = buf[at];
    if (o < 192)
        return { length: o, bytes: 1, partial: false };
    if (o < 224) {
        if (buf.length <= at + 1)
            return undefined;
        return { length: ((o - 192) << 8) + buf[at + 1] + 192, bytes: 2, partial: false };
    }
    if (o < 255)
        return { length: 2 ** (o & 0x1f), bytes: 1, partial: true };
    if (buf.length < at + 5)
        return undefined;
    return { length: buf.readUInt32BE(at + 1), bytes: 5, partial: false };
}
/**
 * The inverse of PartialBodyWriter: fed the bytes that follow a packet header, it returns the body pieces
 * (views of the input) and, once the body is complete, the bytes after it.
 */
class PartialBodyReader {
    remaining;
    partial;
    /** A length header split across inputs. */
    pendingHeader;
    done = false;
    /** The body ends with its container, so it is whole whenever that ends. */
    indeterminate;
    constructor(first) {
        this.remaining = first.length;
        this.partial = first.partial;
        this.done = !first.partial && first.length === 0;
        this.indeterminate = first.indeterminate ?? false;
    }
    read(input, body) {
        let buf = input;
        while (buf.length > 0 && !this.done) {
            if (this.remaining === 0) {
                if (this.pendingHeader)
                    buf = Buffer.concat([this.pendingHeader, buf]);
                this.pendingHeader = undefined;
                const l = readLength(buf, 0);
                if (!l) {
                    this.pendingHeader = buf;
                    return undefined;
                }
                this.remaining = l.length;
                this.partial = l.partial;
                buf = buf.subarray(l.bytes);
                if (!l.partial && l.length === 0)
                    this.done = true;
                continue;
            }
            const n = Math.min(this.remaining, buf.length);
            body.push(buf.subarray(0, n));
            buf = buf.subarray(n);
            this.remaining -= n;
            if (this.remaining === 0 && !this.partial)
                this.done = true;
        }
        return this.done ? buf : undefined;
    }
}

// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
;// CONCATENATED MODULE: ./src/backup/parallel-deflate.ts


const deflateRawAsync = (0,external_node_util_.promisify)(external_node_zlib_.deflateRaw);
const deflateAsync = (0,external_node_util_.promisify)(external_node_zlib_.deflate);
/** A final, empty fixed-Huffman block: ends a raw deflate stream whose blocks all ended in a sync flush. */
const FINAL_EMPTY_BLOCK = Buffer.of(0x03, 0x00);
const WINDOW_BYTES = 32 * 1024;
/** RFC 1950's header for deflate with a 32 KiB window at the default level (what zlib and pg_dump write). */
const ZLIB_HEADER = Buffer.of(0x78, 0x9c);
const ADLER_BASE = 65521;
const NOTHING = Object.freeze([]);
/** Compression jobs a writer keeps in flight (memory: about 2 MiB each); libuv's pool has 4 threads. */
const DEFLATE_JOBS_IN_FLIGHT = 3;
/**
 * One deflate stream compressed on several threads, the way pigz does it: the input is cut into chunks, each
 * compressed on libuv's thread pool with the previous chunk's last 32 KiB as its dictionary (so the ratio
 * matches one serial stream) and ended with a sync flush (so the pieces join byte-aligned); one empty final
 * block ends the stream. Calls start jobs and return their results, in stream order, as promises: the caller
 * decides how many may be in flight (OrderedOutput).
 */
class ParallelDeflate {
    level;
    chunkBytes;
    zlib;
    /** Allocated when a byte arrives for it: an empty table, or the end of a stream, costs no 1 MiB buffer. */
    chunk = Buffer.alloc(0);
    chunkFill = 0;
    dictionary;
    started = false;
    /** For the zlib trailer: each chunk's Adler-32 and length. */
    checksums = [];
    constructor(o = {}) {
        this.level = o.level ?? 6;
        this.chunkBytes = o.chunkBytes ?? 1 << 20;
        this.zlib = o.framing === 'zlib';
    }
    /** Takes `buf[start, end)` (copied, so the caller may reuse it); returns the output of the chunks it filled. */
    write(buf, start = 0, end = buf.length) {
        // The hot path (a table's rows, one call each): nothing to return, nothing allocated.
        if (this.started && end - start < this.chunk.length - this.chunkFill) {
            buf.copy(this.chunk, this.chunkFill, start, end);
            this.chunkFill += end - start;
            return NOTHING;
        }
        const out = this.begin();
        for (let at = start; at < end;) {
            if (this.chunk.length === 0)
                this.chunk = Buffer.allocUnsafe(this.chunkBytes);
            const take = Math.min(end - at, this.chunkBytes - this.chunkFill);
            buf.copy(this.chunk, this.chunkFill, at, at + take);
            this.chunkFill += take;
            at += take;
            if (this.chunkFill === this.chunkBytes)
                out.push(this.startChunk());
        }
        return out;
    }
    /** The rest of the stream, its final block (and for zlib framing the Adler-32 trailer) included. */
    end() {
        const out = this.begin();
        if (this.chunkFill > 0)
            out.push(this.startChunk());
        if (!this.zlib)
            return [...out, FINAL_EMPTY_BLOCK];
        const trailer = Promise.all(this.checksums).then(list => {
            const adler = list.reduce((a, [b, bytes]) => adler32Combine(a, b, bytes), 1);
            const t = Buffer.alloc(FINAL_EMPTY_BLOCK.length + 4);
            FINAL_EMPTY_BLOCK.copy(t);
            t.writeUInt32BE(adler, FINAL_EMPTY_BLOCK.length);
            return t;
        });
        return [...out, trailer];
    }
    begin() {
        if (this.started)
            return [];
        this.started = true;
        return this.zlib ? [ZLIB_HEADER] : [];
    }
    startChunk() {
        const input = this.chunk.subarray(0, this.chunkFill);
        this.chunk = Buffer.alloc(0);
        this.chunkFill = 0;
        const job = deflateRawAsync(input, {
            level: this.level,
            finishFlush: external_node_zlib_.constants.Z_SYNC_FLUSH,
            ...(this.dictionary ? { dictionary: this.dictionary } : {})
        });
        if (this.zlib)
            this.checksums.push(adler32(input).then(a => [a, input.length]));
        this.dictionary =
            input.length >= WINDOW_BYTES || !this.dictionary
                ? input.subarray(-WINDOW_BYTES)
                : Buffer.concat([this.dictionary, input]).subarray(-WINDOW_BYTES);
        return job;
    }
}
/**
 * Adler-32 of `data`, on the thread pool. node has no Adler-32 of its own, but zlib computes one of any
 * dictionary it is given and writes it into the stream header (RFC 1950's DICTID): an empty stream primed with
 * `data` costs one native pass, about 4 x faster than the same sum in JavaScript.
 */
async function adler32(data) {
    // The smallest state and output buffer zlib takes: this stream holds nothing but its header.
    const z = await deflateAsync(Buffer.alloc(0), {
        dictionary: data,
        level: 0,
        memLevel: 1,
        windowBits: 9,
        chunkSize: 64
    });
    return z.readUInt32BE(2);
}
/**
 * The Adler-32 of A followed by B, from A's, B's and B's length. With A = (a1, a2) and B = (b1, b2) (the two
 * 16-bit sums, each starting at 1), appending B adds b1 - 1 to the first sum, and to the second b2 - 1 plus
 * len(B) times A's first sum (every byte of B counts it once more): all modulo 65521.
 */
function adler32Combine(a, b, bBytes) {
    const a1 = a & 0xffff;
    const a2 = a >>> 16;
    const b1 = b & 0xffff;
    const b2 = b >>> 16;
    const n = bBytes % ADLER_BASE;
    const s1 = (a1 + b1 + ADLER_BASE - 1) % ADLER_BASE;
    const s2 = (a2 + b2 + ((n * a1) % ADLER_BASE) + ADLER_BASE - n) % ADLER_BASE;
    return ((s2 << 16) | s1) >>> 0;
}
/**
 * Output whose pieces are ready now (bytes) or later (compression jobs), taken in order: `take` waits only
 * while more than `inFlight` jobs are pending, which bounds the memory and keeps every core busy.
 */
class OrderedOutput {
    items = [];
    jobs = 0;
    add(items) {
        for (const item of items) {
            if (!Buffer.isBuffer(item)) {
                item.catch(() => undefined); // awaited in order by take; a stream torn down early must not leave it unhandled
                this.jobs++;
            }
            this.items.push(item);
        }
    }
    async take(inFlight) {
        const out = [];
        let i = 0;
        for (; i < this.items.length; i++) {
            const item = this.items[i];
            if (Buffer.isBuffer(item)) {
                out.push(item);
                continue;
            }
            if (this.jobs <= inFlight)
                break;
            const done = await item;
            if (Buffer.isBuffer(done))
                out.push(done);
            else
                out.push(...done);
            this.jobs--;
        }
        this.items = this.items.slice(i);
        return out;
    }
}

;// CONCATENATED MODULE: ./src/backup/seipd-v1.ts




/**
 * The bulk of an OpenPGP message as RFC 9580 §5.13.1 defines a version 1 Symmetrically Encrypted Integrity
 * Protected Data packet: CFB with a zero IV over a random block-size prefix (its last two octets repeated), the
 * literal data packet, and a Modification Detection Code packet (SHA-1 of all that precedes it).
 *
 * openpgp.js writes the same bytes, but through Web Streams that copy every chunk several times; on a two-core
 * runner that CPU is taken from pg_dump. This writer uses node's cipher and hash directly and frames pieces as
 * views of the input. The session key and its key packets (SKESK/PKESK) still come from openpgp.js.
 */
const SEIPD_V1_CIPHERS = {
    aes128: { node: 'aes-128-cfb', ecb: 'aes-128-ecb', keyBytes: 16 },
    aes192: { node: 'aes-192-cfb', ecb: 'aes-192-ecb', keyBytes: 24 },
    aes256: { node: 'aes-256-cfb', ecb: 'aes-256-ecb', keyBytes: 32 }
};
/** The SEIPD packet's version octet this writer (and the reader, seipd-v1-decrypt.ts) speaks. */
const SEIPD_VERSION = 1;
/** Compressed data packet algorithms (RFC 9580 §9.4): ZIP is raw deflate (RFC 1951), ZLIB deflate in RFC 1950. */
const COMPRESSION_ZIP = 1;
const COMPRESSION_ZLIB = 2;
/** The AES block: the CFB IV and the random prefix are one block. */
const BLOCK_BYTES = 16;
/** The random prefix as written: one block, its last two octets repeated (the quick session key check). */
const PREFIX_BYTES = BLOCK_BYTES + 2;
/** The MDC packet: its header (tag 19, a one-octet length) and the SHA-1 of all that precedes its value. */
const SHA1_BYTES = 20;
const MDC_HEADER = Buffer.of(0xc0 | TAG.mdc, SHA1_BYTES);
const MDC_PACKET_BYTES = MDC_HEADER.length + SHA1_BYTES;
/** Literal data format octet 'b': binary. */
const LITERAL_BINARY = 0x62;
class SeipdV1EncryptStream extends external_node_stream_.Transform {
    o;
    cipher;
    mdc = (0,external_node_crypto_.createHash)('sha1');
    literalBody = new PartialBodyWriter();
    compressedBody = new PartialBodyWriter();
    packetBody = new PartialBodyWriter();
    deflate;
    deflated = new OrderedOutput();
    started = false;
    constructor(o) {
        super();
        this.o = o;
        const suite = SEIPD_V1_CIPHERS[o.algorithm];
        if (!suite)
            throw new Error(`SEIPD v1 writer: unsupported cipher ${o.algorithm}`);
        if (o.sessionKey.length !== suite.keyBytes)
            throw new Error(`SEIPD v1 writer: ${o.algorithm} needs a ${suite.keyBytes}-byte session key`);
        this.cipher = (0,external_node_crypto_.createCipheriv)(suite.node, o.sessionKey, Buffer.alloc(BLOCK_BYTES));
        if (o.compressionLevel !== undefined)
            this.deflate = new ParallelDeflate({ level: o.compressionLevel });
    }
    _transform(chunk, _enc, cb) {
        this.frame(chunk, false).then(out => cb(null, out), cb);
    }
    _flush(cb) {
        this.frame(Buffer.alloc(0), true).then(out => cb(null, out), cb);
    }
    async frame(chunk, last) {
        const out = [];
        const literal = [];
        if (!this.started)
            this.start(literal, out);
        this.literalBody.write(chunk, literal);
        if (last)
            this.literalBody.end(literal);
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
    start(literal, out) {
        this.started = true;
        out.push(Buffer.from(this.o.keyPackets), packetHeader(TAG.seipd));
        this.packetBody.write(Buffer.of(SEIPD_VERSION), out);
        const prefix = (0,external_node_crypto_.randomBytes)(BLOCK_BYTES);
        this.encrypt([prefix, prefix.subarray(-2)], out);
        if (this.deflate) {
            const framed = [];
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
    async literalData(literal, last, out) {
        if (!this.deflate)
            return this.encrypt(literal, out);
        const framed = [];
        for (const piece of literal)
            this.deflated.add(this.deflate.write(piece));
        if (last)
            this.deflated.add(this.deflate.end());
        for (const c of await this.deflated.take(last ? 0 : DEFLATE_JOBS_IN_FLIGHT))
            this.compressedBody.write(c, framed);
        if (last)
            this.compressedBody.end(framed);
        this.encrypt(framed, out);
    }
    /** Hashes the plaintext for the MDC, encrypts it and frames the ciphertext as the SEIPD packet's body. */
    encrypt(plain, out) {
        for (const p of plain) {
            this.mdc.update(p);
            this.packetBody.write(this.cipher.update(p), out);
        }
    }
}

;// CONCATENATED MODULE: ./src/backup/cfb-decipher.ts

/** The AES block: CFB-128 feeds back one whole cipher block. */
const BLOCK = 16;
/**
 * CFB-128 decryption (NIST SP 800-38A §6.3), the same bytes as node's `aes-*-cfb` decipher, at about twice its
 * speed on the restore path. CFB decryption is P[i] = C[i] ⊕ E(C[i−1]) with C[−1] = IV: every keystream block
 * depends only on ciphertext, so a whole chunk's keystream is one ECB encryption of the ciphertext shifted by a
 * block, which AES-NI pipelines (OpenSSL's CFB decipher does one block at a time). The XOR is done 4 bytes at a
 * time in JS, in place in the keystream OpenSSL returns (no output buffer to allocate).
 */
class CfbDecipher {
    ecb;
    /** The cipher block the next block's keystream is made from (the IV first). */
    feedback;
    /** When a chunk ended inside a block: that block's keystream and ciphertext so far, and how many bytes. */
    keystream = Buffer.alloc(BLOCK);
    partial = Buffer.alloc(BLOCK);
    used = 0;
    /** `ecbAlgorithm` is node's name of the block cipher in ECB mode, e.g. `aes-256-ecb`. */
    constructor(ecbAlgorithm, key, iv) {
        if (iv.length !== BLOCK)
            throw new Error(`CFB needs a ${BLOCK}-byte IV, got ${iv.length}`);
        this.ecb = (0,external_node_crypto_.createCipheriv)(ecbAlgorithm, key, null);
        this.ecb.setAutoPadding(false);
        this.feedback = Buffer.from(iv);
    }
    /**
     * The plaintext of `cipher`, in up to three pieces (without copying the bulk): the bytes finishing a block a
     * previous chunk ended inside with this chunk's first block, the rest of its whole blocks, and the bytes of a
     * block this chunk ends inside.
     */
    update(cipher) {
        const out = [];
        const length = cipher.length;
        const headUsed = this.used;
        let at = headUsed > 0 ? this.finishBlock(cipher) : 0;
        const whole = Math.floor((length - at) / BLOCK) * BLOCK;
        const head = Buffer.allocUnsafe(at + (whole > 0 ? BLOCK : 0));
        for (let i = 0; i < at; i++)
            head[i] = cipher[i] ^ this.keystream[headUsed + i];
        if (whole > 0) {
            // E(C[i−1]) for every whole block: the first from the feedback, the rest from this chunk's own ciphertext.
            const first = this.ecb.update(this.feedback);
            for (let i = 0; i < BLOCK; i++)
                head[at + i] = cipher[at + i] ^ first[i];
        }
        if (head.length > 0)
            out.push(head);
        if (whole > BLOCK) {
            const rest = this.ecb.update(cipher.subarray(at, at + whole - BLOCK));
            xorInto(rest, cipher.subarray(at + BLOCK, at + whole));
            out.push(rest);
        }
        if (whole > 0) {
            cipher.copy(this.feedback, 0, at + whole - BLOCK, at + whole);
            at += whole;
        }
        if (at < length) {
            // The chunk ends inside a block: its keystream is kept for the bytes the next chunk brings.
            this.ecb.update(this.feedback).copy(this.keystream);
            const tail = Buffer.allocUnsafe(length - at);
            for (let i = 0; at < length; at++, i++, this.used++) {
                this.partial[this.used] = cipher[at];
                tail[i] = cipher[at] ^ this.keystream[this.used];
            }
            out.push(tail);
        }
        return out;
    }
    /**
     * Takes the bytes of `cipher` that continue the block a previous chunk ended inside; returns how many. A block
     * so completed becomes the feedback.
     */
    finishBlock(cipher) {
        const n = Math.min(BLOCK - this.used, cipher.length);
        cipher.copy(this.partial, this.used, 0, n);
        this.used += n;
        if (this.used === BLOCK) {
            this.partial.copy(this.feedback);
            this.used = 0;
        }
        return n;
    }
}
/**
 * `target ^= source` (equal lengths). The target is what OpenSSL returned (word-aligned); the source is a view
 * at any offset, read a word at a time through a DataView (as fast as an aligned Int32Array in V8).
 */
function xorInto(target, source) {
    const length = target.length;
    let i = 0;
    if (target.byteOffset % 4 === 0) {
        const words = length >> 2;
        const t = new Int32Array(target.buffer, target.byteOffset, words);
        const s = new DataView(source.buffer, source.byteOffset, length);
        for (let w = 0; w < words; w++)
            t[w] ^= s.getInt32(w << 2, true);
        i = words << 2;
    }
    for (; i < length; i++)
        target[i] ^= source[i];
}

;// CONCATENATED MODULE: ./src/backup/seipd-v1-decrypt.ts






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
/**
 * Reads the key packets and the SEIPD version from the start of `cipher`; `stream` then yields the whole
 * message again, the bytes already read first (unshift would lose them once a short stream has ended).
 */
async function peekMessageHead(cipher) {
    const chunks = cipher[Symbol.asyncIterator]();
    let buf = Buffer.alloc(0);
    let head;
    while (!head) {
        head = parseHead(buf);
        if (head)
            break;
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
            for (let next = await chunks.next(); !next.done; next = await chunks.next())
                yield next.value;
        }
        finally {
            await chunks.return?.(); // a reader that stops early (pg_restore --list) stops the download too
        }
    }
    return { ...head, stream: external_node_stream_.Readable.from(replay(), { objectMode: false }) };
}
/** The head once `buf` holds the key packets and the SEIPD packet's first body octet, else undefined. */
function parseHead(buf) {
    let at = 0;
    for (;;) {
        const h = readPacketHeader(buf, at);
        if (!h)
            return undefined;
        if (h.tag === TAG.seipd)
            return buf.length > at + h.headerBytes
                ? { keyPackets: buf.subarray(0, at), seipdVersion: buf[at + h.headerBytes] }
                : undefined;
        if (h.partial || buf.length < at + h.headerBytes + h.length)
            return undefined;
        at += h.headerBytes + h.length;
    }
}
/** One packet of an expected tag: its header, then its body pieces; the bytes after it are returned. */
class PacketReader {
    tags;
    what;
    pending;
    body;
    tag;
    constructor(tags, what) {
        this.tags = tags;
        this.what = what;
    }
    get done() {
        return this.body ? this.body.done || this.body.indeterminate : false;
    }
    read(input, body) {
        let buf = input;
        if (!this.body) {
            if (this.pending)
                buf = Buffer.concat([this.pending, buf]);
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
    packet = new PacketReader([TAG.literalData], 'literal data');
    head = Buffer.alloc(0);
    headBytes;
    get done() {
        return this.packet.done;
    }
    /** The bytes of a whole literal data packet, header included (inside compressed data). */
    read(input, out) {
        const body = [];
        this.packet.read(input, body);
        for (const b of body)
            this.body(b, out);
    }
    /** Body bytes of the packet, its header already read elsewhere. */
    body(input, out) {
        let b = input;
        if (this.headBytes === undefined || this.head.length < this.headBytes) {
            this.head = Buffer.concat([this.head, b]);
            if (this.head.length < 2)
                return; // until the filename's length, the second octet (RFC 9580 §5.9)
            this.headBytes = LITERAL_HEAD_FIXED_BYTES + this.head[1];
            if (this.head.length < this.headBytes)
                return;
            b = this.head.subarray(this.headBytes);
        }
        if (b.length > 0)
            out.push(b);
    }
}
class SeipdV1DecryptStream extends external_node_stream_.Transform {
    skip;
    headerBytes = Buffer.alloc(0);
    packetBody;
    versionChecked = false;
    decipher;
    mdc = (0,external_node_crypto_.createHash)('sha1');
    prefix = Buffer.alloc(0);
    held = Buffer.alloc(0);
    inner = new PacketReader([TAG.literalData, TAG.compressedData], 'encrypted data');
    literal = new LiteralDataReader();
    inflate;
    inflateFailed;
    constructor(o) {
        super();
        const suite = SEIPD_V1_CIPHERS[o.algorithm];
        if (!suite)
            throw new Error(`unsupported cipher ${o.algorithm}`);
        this.skip = o.skip;
        this.decipher = new CfbDecipher(suite.ecb, o.sessionKey, Buffer.alloc(BLOCK_BYTES));
    }
    _transform(chunk, _enc, cb) {
        let compressed;
        try {
            compressed = this.consume(chunk);
        }
        catch (error) {
            cb(error);
            return;
        }
        if (compressed.length === 0 || !this.inflate)
            return cb();
        this.inflate.write(Buffer.concat(compressed), () => cb(this.inflateFailed));
    }
    _flush(cb) {
        const finish = () => {
            try {
                this.checkEnd();
                cb();
            }
            catch (error) {
                cb(error);
            }
        };
        if (!this.inflate)
            return finish();
        if (!this.packetBody?.done)
            return cb(new Error('the encrypted data is truncated'));
        this.inflate.once('end', finish);
        this.inflate.end();
    }
    /** Decrypts what it can of `chunk`; returns the compressed bytes for the inflater, if any. */
    consume(chunk) {
        let buf = chunk;
        if (this.skip > 0) {
            const n = Math.min(this.skip, buf.length);
            this.skip -= n;
            buf = buf.subarray(n);
        }
        if (!this.packetBody) {
            this.headerBytes = Buffer.concat([this.headerBytes, buf]);
            const h = readPacketHeader(this.headerBytes);
            if (!h)
                return [];
            if (h.tag !== TAG.seipd)
                throw new Error(`expected encrypted data, found OpenPGP packet tag ${h.tag}`);
            this.packetBody = new PartialBodyReader(h);
            buf = this.headerBytes.subarray(h.headerBytes);
        }
        const pieces = [];
        const after = this.packetBody.read(buf, pieces);
        if (after && after.length > 0)
            throw new Error('unexpected data after the encrypted data packet');
        const compressed = [];
        for (let p of pieces) {
            if (!this.versionChecked && p.length > 0) {
                if (p[0] !== SEIPD_VERSION)
                    throw new Error(`SEIPD version ${p[0]} is not ${SEIPD_VERSION}`);
                this.versionChecked = true;
                p = p.subarray(1);
            }
            if (p.length > 0)
                for (const plain of this.decipher.update(p))
                    this.plaintext(plain, compressed);
        }
        return compressed;
    }
    /** The random prefix (checked), then the inner packets, holding back what may be the MDC packet. */
    plaintext(p, compressed) {
        if (this.prefix.length < PREFIX_BYTES) {
            const n = Math.min(PREFIX_BYTES - this.prefix.length, p.length);
            this.prefix = Buffer.concat([this.prefix, p.subarray(0, n)]);
            p = p.subarray(n);
            if (this.prefix.length < PREFIX_BYTES)
                return;
            // The prefix repeats its last two octets: a wrong session key fails here, at the first block.
            const last = BLOCK_BYTES - 2;
            if (!this.prefix.subarray(last, BLOCK_BYTES).equals(this.prefix.subarray(BLOCK_BYTES, PREFIX_BYTES)))
                throw new Error('wrong key or passphrase (session key check failed)');
            this.mdc.update(this.prefix);
        }
        if (p.length === 0)
            return;
        const ready = [];
        const total = this.held.length + p.length;
        if (total <= MDC_PACKET_BYTES) {
            this.held = Buffer.concat([this.held, p]);
            return;
        }
        const emit = total - MDC_PACKET_BYTES;
        if (emit <= this.held.length) {
            ready.push(this.held.subarray(0, emit));
            this.held = Buffer.concat([this.held.subarray(emit), p]);
        }
        else {
            if (this.held.length > 0)
                ready.push(this.held);
            ready.push(p.subarray(0, emit - this.held.length));
            this.held = p.subarray(emit - this.held.length);
        }
        for (const r of ready) {
            this.mdc.update(r);
            this.innerPackets(r, compressed);
        }
    }
    innerPackets(bytes, compressed) {
        const body = [];
        const after = this.inner.read(bytes, body);
        if (after && after.length > 0)
            throw new Error('unexpected data after the literal data packet');
        if (this.inner.tag === TAG.literalData) {
            const out = [];
            for (const b of body)
                this.literal.body(b, out);
            for (const o of out)
                this.push(o);
            return;
        }
        for (let b of body) {
            // The compressed data packet's first body octet names the algorithm.
            if (!this.inflate && b.length > 0) {
                this.startInflate(b[0]);
                b = b.subarray(1);
            }
            if (b.length > 0)
                compressed.push(b);
        }
    }
    startInflate(algorithm) {
        if (algorithm !== COMPRESSION_ZIP && algorithm !== COMPRESSION_ZLIB)
            throw new Error(`compression algorithm ${algorithm} is not supported (ZIP and ZLIB are)`);
        const options = { chunkSize: INFLATE_CHUNK_BYTES };
        this.inflate = algorithm === COMPRESSION_ZIP ? (0,external_node_zlib_.createInflateRaw)(options) : (0,external_node_zlib_.createInflate)(options);
        this.inflate.on('data', (d) => {
            const out = [];
            try {
                this.literal.read(d, out);
            }
            catch (error) {
                this.inflateFailed = error;
                this.inflate.destroy();
                return;
            }
            for (const o of out)
                this.push(o);
        });
        this.inflate.on('error', (error) => {
            this.inflateFailed ??= new Error(`the compressed data is damaged: ${error.message}`);
            this.destroy(this.inflateFailed);
        });
    }
    /** Everything arrived: the packets are whole and the MDC matches the SHA-1 of all that precedes it. */
    checkEnd() {
        if (this.inflateFailed)
            throw this.inflateFailed;
        if (!this.packetBody?.done || this.held.length !== MDC_PACKET_BYTES)
            throw new Error('the encrypted data is truncated');
        const header = this.held.subarray(0, MDC_HEADER.length);
        if (!header.equals(MDC_HEADER))
            throw new Error('Modification detected: the integrity packet (MDC) is missing');
        this.mdc.update(header);
        if (!(0,external_node_crypto_.timingSafeEqual)(this.mdc.digest(), this.held.subarray(MDC_HEADER.length)))
            throw new Error('Modification detected: the integrity code (MDC) does not match');
        if (!(this.inner.tag === TAG.literalData ? this.inner.done : this.literal.done))
            throw new Error('the literal data packet is truncated');
    }
}

// EXTERNAL MODULE: ./src/kit/errors.ts
var errors = __webpack_require__(3713);
;// CONCATENATED MODULE: ./src/backup/crypto.ts





const toWeb = (r) => external_node_stream_.Readable.toWeb(r);
const fromWeb = (s) => external_node_stream_.Readable.fromWeb(s, { highWaterMark: 4 });
async function createEncryptor(opts) {
    const compressionLevel = opts.compressionLevel;
    if (opts.publicKey) {
        let key;
        try {
            key = await openpgp/* readKey */.YZ({ armoredKey: opts.publicKey });
        }
        catch (error) {
            throw new Error(`is not an armored OpenPGP public key: ${(0,errors/* errorMessage */.gJ)(error)}`);
        }
        if (key.isPrivate())
            throw new Error('is a private key; give the public key (gpg --export --armor)');
        const publicKey = key; // narrowed, for the closure below
        try {
            await key.getEncryptionKey();
        }
        catch (error) {
            throw new Error(`has no usable encryption key: ${(0,errors/* errorMessage */.gJ)(error)}`);
        }
        // A key that asks for AEAD gets openpgp.js's own (uncompressed) message: pg_dump must then compress.
        const needsAead = (await openpgp/* generateSessionKey */.JM({ encryptionKeys: publicKey })).aeadAlgorithm !== undefined;
        const level = needsAead ? undefined : compressionLevel;
        return {
            method: 'public-key',
            keyFingerprints: [key.getFingerprint().toUpperCase()],
            compressionLevel: level,
            encrypt: (plain, filename) => encryptStream(plain, filename, { encryptionKeys: publicKey }, level)
        };
    }
    if (!opts.passphrase)
        throw new Error('needs a passphrase or a public key');
    const passphrase = opts.passphrase;
    return {
        method: 'passphrase',
        keyFingerprints: [],
        compressionLevel,
        encrypt: (plain, filename) => encryptStream(plain, filename, { passwords: [passphrase] }, compressionLevel)
    };
}
/**
 * openpgp.js picks the session key's cipher from the recipient key's preferences and writes the key packets;
 * the bulk is written by SeipdV1EncryptStream (the packets openpgp.encrypt writes, for far less CPU). A key
 * whose self-signature asks for SEIPD v2 (AEAD; openpgp.js keys made with aeadProtect) is left to openpgp.js.
 */
async function encryptStream(plain, filename, to, compressionLevel) {
    const sessionKey = await openpgp/* generateSessionKey */.JM({
        encryptionKeys: 'encryptionKeys' in to ? to.encryptionKeys : []
    });
    if (sessionKey.aeadAlgorithm || !SEIPD_V1_CIPHERS[sessionKey.algorithm]) {
        const message = await openpgp/* createMessage */.oH({ binary: toWeb(plain), filename });
        return fromWeb(await openpgp/* encrypt */.w({ message, ...to, sessionKey, format: 'binary' }));
    }
    const keyPackets = await openpgp/* encryptSessionKey */.TF({ ...sessionKey, ...to, format: 'binary' });
    const encrypted = new SeipdV1EncryptStream({
        keyPackets,
        sessionKey: sessionKey.data,
        algorithm: sessionKey.algorithm,
        filename,
        compressionLevel
    });
    plain.on('error', error => encrypted.destroy(error));
    return plain.pipe(encrypted);
}
async function createDecryptor(opts) {
    let decryptionKeys;
    if (opts.privateKey) {
        let key;
        try {
            key = await openpgp/* readPrivateKey */.$k({ armoredKey: opts.privateKey });
        }
        catch (error) {
            throw new Error(`private-key is not an armored OpenPGP private key: ${(0,errors/* errorMessage */.gJ)(error)}`);
        }
        if (!key.isDecrypted()) {
            if (!opts.privateKeyPassphrase)
                throw new Error('private-key is protected: give private-key-passphrase');
            try {
                key = await openpgp/* decryptKey */.Vw({ privateKey: key, passphrase: opts.privateKeyPassphrase });
            }
            catch (error) {
                throw new Error(`private-key-passphrase does not unlock private-key: ${(0,errors/* errorMessage */.gJ)(error)}`);
            }
        }
        decryptionKeys = key;
    }
    else if (!opts.passphrase) {
        throw new Error('decrypting needs passphrase, or private-key (+ private-key-passphrase)');
    }
    const unlock = decryptionKeys ? { decryptionKeys } : { passwords: [opts.passphrase] };
    return {
        async decrypt(cipher) {
            // SEIPD v1 (all we write, and what GnuPG writes) is decrypted by SeipdV1DecryptStream with node's
            // cipher and zlib, openpgp.js only unlocking the session key; anything else goes to openpgp.js whole.
            const head = await peekMessageHead(cipher);
            if (head.seipdVersion === 1) {
                const message = await openpgp/* readMessage */._8({ binaryMessage: head.keyPackets });
                const [sessionKey] = await openpgp/* decryptSessionKeys */.Qs({ message, ...unlock });
                const plain = new SeipdV1DecryptStream({
                    skip: head.keyPackets.length,
                    sessionKey: sessionKey.data,
                    algorithm: sessionKey.algorithm
                });
                head.stream.on('error', error => plain.destroy(error));
                plain.on('close', () => head.stream.destroy());
                return head.stream.pipe(plain);
            }
            const message = await openpgp/* readMessage */._8({ binaryMessage: toWeb(head.stream) });
            const result = await openpgp/* decrypt */.Yc({
                message,
                format: 'binary',
                ...unlock,
                // SEIPD v1 would otherwise hold the whole plaintext in memory until the MDC is checked. The MDC is
                // still checked at the end (the stream errors); callers hold back the tail until then.
                config: { allowUnauthenticatedStream: true }
            });
            return fromWeb(result.data);
        }
    };
}

// EXTERNAL MODULE: external "node:stream/promises"
var promises_ = __webpack_require__(6466);
;// CONCATENATED MODULE: ./src/kit/bytes.ts
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
/** `1.5 MiB`, `512 B`: binary units, one decimal. */
function formatBytes(bytes) {
    let value = bytes;
    let unit = 0;
    while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
        value /= 1024;
        unit++;
    }
    return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}
/** `12.3 MB/s` (decimal megabytes, as transfer rates are usually quoted). */
function formatRate(bytes, ms) {
    if (ms <= 0)
        return '- MB/s';
    return `${(bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s`;
}

// EXTERNAL MODULE: ./src/kit/duration.ts
var duration = __webpack_require__(438);
;// CONCATENATED MODULE: ./src/kit/progress.ts


class ProgressLogger {
    opts;
    started;
    lastPrinted;
    counters = new Map();
    intervalMs;
    now;
    constructor(opts) {
        this.opts = opts;
        this.now = opts.now ?? Date.now;
        this.intervalMs = opts.intervalMs ?? 5000;
        this.started = this.now();
        this.lastPrinted = this.started;
    }
    /** Sets counter `name` (e.g. `dumped`, `stored`) to `bytes`, printing a line when the interval has passed. */
    set(name, bytes) {
        this.counters.set(name, bytes);
        if (this.now() - this.lastPrinted >= this.intervalMs)
            this.print();
    }
    add(name, bytes) {
        this.set(name, (this.counters.get(name) ?? 0) + bytes);
    }
    get(name) {
        return this.counters.get(name) ?? 0;
    }
    elapsedMs() {
        return this.now() - this.started;
    }
    /** Prints a line now (e.g. the final one). The rate is that of the last counter. */
    print(suffix = '') {
        this.lastPrinted = this.now();
        const elapsed = this.elapsedMs();
        const parts = [...this.counters].map(([name, bytes]) => `${formatBytes(bytes)} ${name}`);
        const last = [...this.counters.values()].pop() ?? 0;
        parts.push(formatRate(last, elapsed), `${(0,duration/* formatDuration */.a3)(elapsed)} elapsed`);
        this.opts.log(`${this.opts.label}: ${parts.join(', ')}${suffix ? ` ${suffix}` : ''}`);
    }
}

// EXTERNAL MODULE: external "node:fs/promises"
var external_node_fs_promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: ./src/kit/cancellation.ts
var cancellation = __webpack_require__(9449);
;// CONCATENATED MODULE: ./src/kit/child-environment.ts
/**
 * What every program an action starts (pg_dump, pg_restore, psql, pip, Alembic, buildah, docker) gets of the
 * action's environment: all of it (env.py may read the app's own variables, buildah its storage settings) except
 * the action's inputs, which the runner passes as INPUT_* (database URLs, passphrases, S3 keys, tokens), the CLI's
 * APP_PIPELINE_<INPUT> copies of them, and the runner's credentials (ACTIONS_RUNTIME_TOKEN,
 * ACTIONS_ID_TOKEN_REQUEST_TOKEN and the other ACTIONS_* service settings, GITHUB_TOKEN), which no child needs and
 * a requirement's setup.py must never see. A child gets what it needs from `extra` only (PGPASSWORD, DATABASE_URL,
 * REGISTRY_AUTH_FILE).
 */
function childEnvironment(base = process.env, extra = {}) {
    const env = {};
    for (const [name, value] of Object.entries(base))
        if (!withheld(name))
            env[name] = value;
    return Object.assign(env, extra);
}
function withheld(name) {
    const upper = name.toUpperCase();
    return (upper.startsWith('INPUT_') ||
        upper.startsWith('ACTIONS_') ||
        upper.startsWith('APP_PIPELINE_') ||
        upper === 'GITHUB_TOKEN' ||
        upper === 'GH_TOKEN');
}

;// CONCATENATED MODULE: ./src/kit/program-path.ts


/** The executable file `program` names: a path (relative to `cwd`), or a name looked up on `path` as execvp does. */
function findProgram(program, cwd, path) {
    const candidates = program.includes('/')
        ? [(0,external_node_path_.isAbsolute)(program) ? program : (0,external_node_path_.resolve)(cwd, program)]
        : path
            .split(external_node_path_.delimiter)
            .filter(Boolean)
            .map(d => (0,external_node_path_.join)(d, program));
    return candidates.find(c => {
        try {
            (0,external_node_fs_.accessSync)(c, external_node_fs_.constants.X_OK);
            return (0,external_node_fs_.statSync)(c).isFile();
        }
        catch {
            return false;
        }
    });
}

;// CONCATENATED MODULE: ./src/kit/die-with-parent.ts


/**
 * argv that runs `argv` so that the kernel sends it `signal` when the action's node process dies, even by SIGKILL
 * (the runner's last resort): util-linux's `setpriv --pdeathsig` sets PR_SET_PDEATHSIG and execs the program (same
 * pid, so signals reach it as before). No child of an action may go on as an orphan: Alembic migrating once the
 * lock held by node's connection is gone (KILL), buildah building or pushing (TERM: it then removes its working
 * containers). Where setpriv is missing or has no --pdeathsig (older util-linux), or the program cannot be found
 * (spawn then reports it as it would), `argv` unchanged.
 */
function dieWithParent(argv, o) {
    const setpriv = setprivWithPdeathsig();
    const [program] = argv;
    if (!setpriv || !program || !findProgram(program, o.cwd ?? process.cwd(), o.path ?? ''))
        return argv;
    return [setpriv, '--pdeathsig', o.signal, '--', ...argv];
}
let cached;
function setprivWithPdeathsig() {
    if (cached !== undefined)
        return cached;
    cached = null;
    const setpriv = findProgram('setpriv', process.cwd(), process.env.PATH ?? '');
    if (!setpriv)
        return cached;
    const help = (0,external_node_child_process_.spawnSync)(setpriv, ['--help'], { encoding: 'utf8', timeout: 5000 });
    if (help.status === 0 && help.stdout.includes('--pdeathsig'))
        cached = setpriv;
    return cached;
}

;// CONCATENATED MODULE: ./src/kit/child-process.ts




/** The program could not be started at all: not installed, not on PATH, not executable. */
class ProgramNotFoundError extends Error {
    program;
    code;
    constructor(program, code, detail) {
        const why = code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'not executable' : (detail ?? code);
        super(`cannot run '${program}': ${why}`);
        this.program = program;
        this.code = code;
        this.name = 'ProgramNotFoundError';
    }
}
/** The program ran longer than its `timeoutMs` and was killed. */
class ProgramTimeoutError extends Error {
    label;
    timeoutMs;
    constructor(label, timeoutMs) {
        super(`${label} did not finish within ${timeoutMs / 1000} s: killed`);
        this.label = label;
        this.timeoutMs = timeoutMs;
        this.name = 'ProgramTimeoutError';
    }
}
/** Starts `argv` with the given stdio; the caller reads its streams. Start errors arrive as `'error'` events. */
function spawnChild(argv, opts) {
    const [program, ...args] = argv;
    if (!program)
        throw new Error('empty command');
    const env = opts.env ?? childEnvironment();
    const [exe, ...rest] = opts.dieWithParent
        ? dieWithParent([program, ...args], { cwd: opts.cwd, path: env.PATH, signal: opts.dieWithParent })
        : [program, ...args];
    const child = (0,external_node_child_process_.spawn)(exe, rest, { cwd: opts.cwd, env, stdio: opts.stdio });
    const undoSignal = opts.undoSignal;
    if (!undoSignal) {
        cancellation/* cancellation */.WN.trackChild(child, { label: opts.label ?? program, signal: opts.cancelSignal });
        return child;
    }
    const kill = () => stop(child, 'SIGKILL');
    if (undoSignal.aborted)
        kill();
    else {
        undoSignal.addEventListener('abort', kill, { once: true });
        child.once('close', () => undoSignal.removeEventListener('abort', kill));
    }
    return child;
}
/**
 * Runs `argv` to completion, collecting its output. Rejects only when it cannot start (ProgramNotFoundError), ran
 * past `timeoutMs` (ProgramTimeoutError), or its undo step's budget ran out (`undoSignal`'s reason).
 */
function runChild(argv, opts = {}) {
    return new Promise((resolve, reject) => {
        const child = spawnChild(argv, { ...opts, stdio: ['pipe', 'pipe', 'pipe'] });
        const label = opts.label ?? argv[0];
        let timedOut = false;
        const timer = opts.timeoutMs === undefined
            ? undefined
            : setTimeout(() => {
                timedOut = true;
                stop(child, 'SIGKILL');
            }, opts.timeoutMs);
        const lines = [];
        const emit = (line) => {
            lines.push(line);
            opts.onLine?.(line);
        };
        const out = lineCollector(line => (emit(line), opts.onStdoutLine?.(line)));
        const err = lineCollector(line => (emit(line), opts.onStderrLine?.(line)));
        // Decoded as streams, so a multi-byte character split across chunks stays whole.
        child.stdout.setEncoding('utf8').on('data', out.push);
        child.stderr.setEncoding('utf8').on('data', err.push);
        child.on('error', (e) => {
            clearTimeout(timer);
            reject(new ProgramNotFoundError(argv[0], e.code, e.message));
        });
        child.on('close', (code, signal) => {
            clearTimeout(timer);
            const stdout = out.end();
            const stderr = err.end();
            if (timedOut)
                return reject(new ProgramTimeoutError(label, opts.timeoutMs));
            if (signal && opts.undoSignal?.aborted)
                return reject(new Error(`${label} stopped: its undo step ran out of time`));
            resolve({ code, signal, stdout, stderr, lines });
        });
        // A program that exits before reading stdin must not crash us with EPIPE.
        child.stdin.on('error', () => undefined);
        child.stdin.end(opts.input ?? '');
    });
}
function stop(child, signal) {
    if (child.exitCode !== null || child.signalCode !== null)
        return;
    try {
        child.kill(signal);
    }
    catch {
        // already gone
    }
}
/** The one line for a program that did not exit 0: `<label> exited with code 2: <the end of its stderr>`. */
function exitFailureLine(label, r) {
    const why = r.signal ? `was killed by ${r.signal}` : `exited with code ${r.code}`;
    const tail = stderrTail(r.stderr);
    return `${label} ${why}${tail ? `: ${tail}` : ''}`;
}
/** The last `count` non-empty lines of a program's stderr, joined for a one-line message. */
function stderrTail(stderr, count = 5) {
    return stderr
        .trim()
        .split('\n')
        .map(l => l.trim())
        .filter(Boolean)
        .slice(-count)
        .join(' | ');
}
function lineCollector(onLine) {
    let text = '';
    let pending = '';
    return {
        push(chunk) {
            text += chunk;
            pending += chunk;
            const parts = pending.split(/\r?\n/);
            pending = parts.pop();
            for (const line of parts)
                onLine(line);
        },
        end() {
            if (pending)
                onLine(pending);
            pending = '';
            return text;
        }
    };
}

;// CONCATENATED MODULE: ./src/postgres/binaries.ts




/** A client that does not print its version within this is not a usable candidate (a hung wrapper). */
const VERSION_TIMEOUT_MS = 10_000;
/** Parses `pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)` or `pg_dump (PostgreSQL) 9.6.24`. */
function parsePgVersion(text) {
    const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
    if (!m)
        return undefined;
    const first = Number(m[1]);
    // Before 10 the major version had two parts (9.6).
    const major = first >= 10 ? first : Number(`${first}.${m[2] ?? 0}`);
    return { version: [m[1], m[2], m[3]].filter(x => x !== undefined).join('.'), major };
}
/** `path --version`, parsed; rejects when it cannot run, fails, hangs or prints no PostgreSQL version. */
async function binaryVersion(path, timeoutMs = VERSION_TIMEOUT_MS) {
    const label = `${path} --version`;
    const r = await runChild([path, '--version'], { label, timeoutMs });
    if (r.code !== 0)
        throw new Error(exitFailureLine(label, r));
    const parsed = parsePgVersion(r.stdout);
    if (!parsed)
        throw new Error(`${label} printed something unexpected: ${r.stdout.trim()}`);
    return { path, ...parsed };
}
const isPgWrapper = (resolved) => (0,external_node_path_.basename)(resolved) === 'pg_wrapper';
async function isExecutable(path) {
    try {
        await (0,external_node_fs_promises_.access)(path, external_node_fs_.constants.X_OK);
        return true;
    }
    catch {
        return false;
    }
}
/** Every candidate path for `tool`: $PATH entries first, then /usr/lib/postgresql/<major>/bin. */
async function candidatePaths(tool, opts = {}) {
    const paths = [];
    for (const dir of (opts.pathEnv ?? process.env.PATH ?? '').split(external_node_path_.delimiter)) {
        if (dir && (await isExecutable((0,external_node_path_.join)(dir, tool))))
            paths.push((0,external_node_path_.join)(dir, tool));
    }
    const root = opts.versionedRoot ?? '/usr/lib/postgresql';
    let majors = [];
    try {
        majors = await (0,external_node_fs_promises_.readdir)(root);
    }
    catch {
        // no versioned installs on this machine
    }
    for (const major of majors) {
        const p = (0,external_node_path_.join)(root, major, 'bin', tool);
        if (await isExecutable(p))
            paths.push(p);
    }
    return [...new Set(paths)];
}
/**
 * Finds `tool` (PATH first, then /usr/lib/postgresql/* /bin) and picks the newest version found. With
 * `serverMajor`, refuses in one line naming both versions when no client is at least that major: an older
 * pg_dump aborts on a newer server, the most common silent backup failure.
 */
async function findPgBinary(tool, opts = {}) {
    const probes = await Promise.all((await candidatePaths(tool, opts)).map(async (p) => {
        try {
            return {
                ...(await binaryVersion(p, opts.versionTimeoutMs)),
                wrapper: isPgWrapper(await (0,external_node_fs_promises_.realpath)(p))
            };
        }
        catch {
            return undefined; // a broken wrapper (Debian's pg_wrapper without a cluster) is not a candidate
        }
    }));
    const found = probes.filter(p => p !== undefined);
    if (found.length === 0)
        throw new Error(`${tool} not found on PATH or under /usr/lib/postgresql/*/bin; install the PostgreSQL client`);
    // Newest first. Debian's pg_wrapper (a Perl script that execs the versioned binary) loses to that same
    // version found directly, which saves a Perl start per call; otherwise PATH order (stable sort).
    found.sort((a, b) => b.major - a.major || (a.version === b.version ? Number(a.wrapper) - Number(b.wrapper) : 0));
    const { wrapper: _wrapper, ...best } = found[0];
    if (opts.serverMajor !== undefined)
        requireClientForServer(tool, best, opts.serverMajor);
    return best;
}
/** Refuses, in one line naming both versions, a client older than the server. */
function requireClientForServer(tool, client, serverMajor) {
    if (client.major < serverMajor)
        throw new Error(`${tool} ${client.version} is older than the server (PostgreSQL ${serverMajor}); install postgresql-client-${serverMajor} or newer`);
}

// EXTERNAL MODULE: ./node_modules/pg/esm/index.mjs
var esm = __webpack_require__(3849);
// EXTERNAL MODULE: ./src/kit/retry.ts
var retry = __webpack_require__(1834);
// EXTERNAL MODULE: ./src/postgres/url.ts
var postgres_url = __webpack_require__(8638);
;// CONCATENATED MODULE: ./src/postgres/advisory-lock.ts





/**
 * PostgreSQL session advisory locks held on a dedicated, direct connection (not through PgBouncer in
 * transaction mode, which would hand the session to someone else). The lock lives exactly as long as the
 * connection: if the job dies, PostgreSQL releases it.
 */
/** A stable 64-bit lock key for a name, so every pipeline migrating a database agrees on it. */
function advisoryLockKey(name) {
    return createHash('sha256').update(name).digest().readBigInt64BE(0);
}
class PostgresConnectionError extends Error {
    code;
    constructor(message, code) {
        super(message);
        this.code = code;
        this.name = 'PostgresConnectionError';
    }
}
/** Connects `client`; a failure closes it and is one line naming the server, database and user, never the password. */
async function connectOrExplain(client, url) {
    try {
        await client.connect();
        return client;
    }
    catch (error) {
        await client.end().catch(() => undefined);
        const e = error;
        // The TLS rule (url.ts) asked for TLS the server does not offer: say which setting decides.
        const hint = /does not support SSL/i.test(e.message) && (0,postgres_url/* nodePgConnectionString */.VE)(url) !== url
            ? ' - put sslmode=disable in the URL to connect without TLS (a non-local host gets sslmode=require unless the URL names one)'
            : '';
        throw new PostgresConnectionError(`Cannot connect to PostgreSQL at ${(0,postgres_url/* describeConnection */.If)(url)}: ${e.message}${e.code ? ` (${e.code})` : ''}${hint}`, e.code);
    }
}
/** Opens one connection; a failure is one line naming the server, database and user, never the password. */
async function openDirectConnection(url, opts = {}) {
    const client = new pg.Client({
        connectionString: nodePgConnectionString(url),
        application_name: opts.applicationName,
        connectionTimeoutMillis: opts.connectTimeoutMs ?? 15_000,
        keepAlive: true
    });
    // A dropped connection is reported by the next query; without a listener it would crash the process.
    client.on('error', () => undefined);
    return connectOrExplain(client, url);
}
/** Sessions holding the advisory lock `key` in the current database (from pg_locks + pg_stat_activity). */
async function advisoryLockHolders(client, key) {
    const unsigned = BigInt.asUintN(64, key);
    const classid = (unsigned >> 32n).toString();
    const objid = (unsigned & 0xffffffffn).toString();
    const { rows } = await client.query(`SELECT l.pid, a.usename, a.application_name, a.client_addr::text AS client_addr, a.backend_start, a.state
       FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
        AND l.classid = $1::oid AND l.objid = $2::oid
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`, [classid, objid]);
    return rows.map(r => ({
        pid: r.pid,
        user: r.usename ?? undefined,
        application: r.application_name || undefined,
        client: r.client_addr ?? undefined,
        backendStart: r.backend_start ?? undefined,
        state: r.state ?? undefined
    }));
}
function describeHolder(h) {
    const parts = [
        h.user && `user ${h.user}`,
        h.application && `application '${h.application}'`,
        h.client && `from ${h.client}`,
        h.backendStart && `connected since ${h.backendStart.toISOString()}`,
        h.state && `state ${h.state}`
    ].filter(Boolean);
    return `pid ${h.pid}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}
class LockTimeoutError extends Error {
    holders;
    constructor(message, holders) {
        super(message);
        this.holders = holders;
        this.name = 'LockTimeoutError';
    }
}
/** One attempt at the session advisory lock `key`: held, or undefined when another session holds it. */
async function tryAdvisoryLock(client, key, waitedMs = 0) {
    const { rows } = await client.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key.toString()]);
    if (!rows[0]?.locked)
        return undefined;
    return {
        key,
        waitedMs,
        release: async () => {
            await client.query('SELECT pg_advisory_unlock($1::bigint)', [key.toString()]);
        }
    };
}
/**
 * Takes the session advisory lock `key`, polling pg_try_advisory_lock until `timeoutMs` (a blocking
 * pg_advisory_lock could not be bounded without a statement_timeout that would also bound other work).
 */
async function acquireAdvisoryLock(client, key, opts) {
    const now = opts.now ?? Date.now;
    const wait = opts.sleep ?? realSleep;
    const pollMs = opts.pollMs ?? 1000;
    const label = opts.label ?? `advisory lock ${key}`;
    const started = now();
    for (let attempt = 0;; attempt++) {
        const held = await tryAdvisoryLock(client, key, now() - started);
        if (held)
            return held;
        const elapsed = now() - started;
        if (attempt === 0 && opts.onWait)
            opts.onWait(await advisoryLockHolders(client, key));
        if (elapsed >= opts.timeoutMs) {
            const holders = await advisoryLockHolders(client, key);
            const who = holders.length
                ? `held by ${holders.map(describeHolder).join('; ')}`
                : 'no holder is visible (it was released just now)';
            throw new LockTimeoutError(`Timed out after ${formatDuration(opts.timeoutMs)} waiting for ${label}: ${who}`, holders);
        }
        await wait(Math.min(pollMs, Math.max(0, opts.timeoutMs - elapsed)));
    }
}

;// CONCATENATED MODULE: ./src/postgres/server.ts



/** A server that accepts and never answers fails the connection after this long (libpq's and ours). */
const CONNECT_TIMEOUT_MS = 15_000;
/**
 * Opens a node-postgres connection that cannot crash the process or hang: a connect timeout, and an `error`
 * listener (a connection the server drops, e.g. pg_terminate_backend or a restart, is then reported by the next
 * query, and through `onError` at once). A failure to connect is one line naming host, port, database and user.
 */
async function connectClient(url, opts = {}) {
    const client = new esm/* default.Client */.Ay.Client({
        connectionString: (0,postgres_url/* nodePgConnectionString */.VE)(url),
        application_name: opts.applicationName ?? 'app-platform-pipeline',
        connectionTimeoutMillis: opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
        keepAlive: true
    });
    client.on('error', error => opts.onError?.(new Error(`PostgreSQL connection at ${(0,postgres_url/* describeConnection */.If)(url)} lost: ${error.message}`)));
    return connectOrExplain(client, url);
}
/**
 * SQL access for the checks the actions make themselves (versions, row counts, scratch databases).
 * The connection uses the same TLS default as pg_dump (sslmode=require to non-local hosts).
 */
async function withClient(url, fn) {
    const client = await connectClient(url);
    try {
        return await fn(client);
    }
    finally {
        await client.end().catch(() => undefined);
    }
}
async function serverVersion(url) {
    return withClient(url, queryServerVersion);
}
async function queryServerVersion(c) {
    const r = await c.query("SELECT current_setting('server_version') AS v, current_setting('server_version_num') AS n");
    const n = Number(r.rows[0].n);
    return { version: r.rows[0].v, versionNum: n, major: n >= 100000 ? Math.floor(n / 10000) : n / 10000 };
}
/** pg_database_size of the connection's database. */
async function queryDatabaseBytes(c) {
    const r = await c.query('SELECT pg_database_size(current_database()) AS b');
    return Number(r.rows[0].b);
}
/** Quotes an identifier for SQL (`"my ""db"""`). */
function quoteIdent(name) {
    return `"${name.replace(/"/g, '""')}"`;
}
async function createDatabase(url, name) {
    await withClient(url, c => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
}
async function dropDatabase(url, name) {
    await withClient(url, c => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}
/** User tables (not system schemas) in the URL's database: a restore target must have none. */
async function userTables(url) {
    return withClient(url, async (c) => {
        const r = await c.query(`SELECT format('%I.%I', n.nspname, c.relname) AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
        ORDER BY 1`);
        return r.rows.map(row => row.t);
    });
}

;// CONCATENATED MODULE: ./src/backup/archive-format.ts
/**
 * The custom-format archive pg_dump writes (PostgreSQL's src/bin/pg_dump/pg_backup_archiver.c ReadHead/ReadToc
 * and pg_backup_custom.c): a header, the TOC (each entry ending in an offset field: one flag byte and `offSize`
 * bytes, little-endian), then data blocks (type byte, dump id, chunks of int length + bytes, a zero length).
 * Integers are a sign byte and `intSize` bytes, little-endian; strings an integer length (-1: null) and the
 * bytes. Read by the restore's indexer (archive-index.ts) and written by the backup's compressor
 * (archive-compress.ts) through one walker (archive-walker.ts).
 */
const MAGIC = Buffer.from('PGDMP');
const FORMAT_CUSTOM = 1;
const BLK_DATA = 1;
const BLK_BLOBS = 3;
const OFFSET_NOT_SET = 1;
const OFFSET_SET = 2;
const OFFSET_NO_DATA = 3;
/** pg_compress_algorithm's PG_COMPRESSION_GZIP, the header's byte from format 1.15 (PostgreSQL 16) on. */
const ALGORITHM_GZIP = 1;
const archiveVersion = (major, minor) => (major << 16) | (minor << 8);
/** Format 1.15 (PostgreSQL 16) replaced the header's compression level (an integer) by an algorithm byte. */
const V_ALGORITHM_BYTE = archiveVersion(1, 15);
class archive_format_NeedMore extends Error {
}
/** Sequential reads over a buffer that may end too early (NeedMore: wait for more bytes). */
class Cursor {
    buf;
    intSize;
    at = 0;
    constructor(buf, intSize = 4) {
        this.buf = buf;
        this.intSize = intSize;
    }
    byte() {
        if (this.at >= this.buf.length)
            throw new archive_format_NeedMore();
        return this.buf[this.at++];
    }
    int() {
        const sign = this.byte();
        let v = 0;
        for (let i = 0; i < this.intSize; i++)
            v += this.byte() * 2 ** (8 * i);
        return sign ? -v : v;
    }
    skip(n) {
        if (this.at + n > this.buf.length)
            throw new archive_format_NeedMore();
        this.at += n;
    }
    str() {
        const n = this.int();
        if (n < 0)
            return null;
        const start = this.at;
        this.skip(n);
        return this.buf.toString('utf8', start, start + n);
    }
}
/**
 * Header and TOC, or undefined when `buf` is not a custom archive this parser reads (another format, or one
 * older than format 1.12); throws NeedMore when `buf` ends before the TOC does.
 */
function archive_format_parseArchiveHead(buf) {
    const c = new Cursor(buf, 4);
    c.skip(MAGIC.length);
    if (!buf.subarray(0, MAGIC.length).equals(MAGIC))
        return undefined;
    const major = c.byte();
    const minor = c.byte();
    c.byte(); // revision
    const v = archiveVersion(major, minor);
    if (major !== 1 || v < archiveVersion(1, 12))
        return undefined;
    const intSize = c.byte();
    const offSize = c.byte();
    if (c.byte() !== FORMAT_CUSTOM || intSize < 1 || intSize > 8 || offSize < 1 || offSize > 8)
        return undefined;
    const r = new Cursor(buf, intSize);
    r.at = c.at;
    const compressionAt = r.at;
    const compressed = v >= V_ALGORITHM_BYTE ? r.byte() !== 0 : r.int() !== 0;
    for (let i = 0; i < 7; i++)
        r.int(); // creation time
    r.str(); // database name
    r.str(); // server version
    r.str(); // pg_dump version
    const count = r.int();
    const dataEntries = new Map();
    for (let i = 0; i < count; i++) {
        const dumpId = r.int();
        r.int(); // had a data dumper
        r.str(); // table oid
        r.str(); // oid
        r.str(); // tag
        r.str(); // desc
        r.int(); // section
        r.str(); // definition
        r.str(); // drop statement
        r.str(); // copy statement
        r.str(); // namespace
        r.str(); // tablespace
        if (v >= archiveVersion(1, 14))
            r.str(); // table access method
        if (v >= archiveVersion(1, 16))
            r.int(); // relkind
        r.str(); // owner
        r.str(); // with oids ("false")
        while (r.str() !== null)
            ; // dependencies, ended by a null string
        const flagAt = r.at;
        const flag = r.byte();
        r.skip(offSize);
        if (flag === OFFSET_NOT_SET || flag === OFFSET_SET)
            dataEntries.set(dumpId, flagAt);
        else if (flag !== OFFSET_NO_DATA)
            return undefined;
    }
    return { version: v, intSize, offSize, compressed, compressionAt, dataEntries, length: r.at };
}
/** `value` as the archive writes an integer: a sign byte, then `intSize` bytes, little-endian. */
function encodeArchiveInt(value, intSize) {
    const b = Buffer.alloc(1 + intSize);
    b[0] = value < 0 ? 1 : 0;
    let v = Math.abs(value);
    for (let i = 1; i <= intSize; i++) {
        b[i] = v % 256;
        v = Math.floor(v / 256);
    }
    return b;
}
/**
 * A copy of the header and TOC `bytes` that says its data is compressed with zlib (what `pg_dump -Z 6` writes:
 * the level 6 before format 1.15, the gzip algorithm since), or not at all (0, both). The field keeps its width,
 * so nothing moves.
 */
function markCompression(bytes, head, compression) {
    const copy = Buffer.from(bytes);
    const zlib = compression === 'zlib';
    if (head.version >= V_ALGORITHM_BYTE)
        copy[head.compressionAt] = zlib ? ALGORITHM_GZIP : 0;
    else
        encodeArchiveInt(zlib ? 6 : 0, head.intSize).copy(copy, head.compressionAt);
    return copy;
}

;// CONCATENATED MODULE: ./src/backup/archive-walker.ts

/** Where the walker is; numbers, not objects: the data part runs once per row of an uncompressed table. */
var At;
(function (At) {
    At[At["Head"] = 0] = "Head";
    At[At["Block"] = 1] = "Block";
    At[At["Id"] = 2] = "Id";
    At[At["ChunkLen"] = 3] = "ChunkLen";
    At[At["Chunk"] = 4] = "Chunk";
    At[At["BlobOid"] = 5] = "BlobOid";
    At[At["Through"] = 6] = "Through"; // not understood: pass the rest as it is
})(At || (At = {}));
/**
 * Walks a custom-format archive (archive-format.ts) as it arrives in pieces of any size, telling a visitor what
 * it holds. Numbers split across pieces are put together; chunk payloads are handed over as views, never copied.
 */
class ArchiveWalker {
    v;
    at = At.Head;
    head;
    intBytes = 5;
    pendingHead = [];
    pendingHeadBytes = 0;
    nextHeadAttempt = 0;
    blockType = 0;
    inBlob = false;
    chunkLeft = 0;
    chunkBytes = 0;
    /** Bytes of a number split across pieces. */
    partial = [];
    intValue = 0;
    constructor(v) {
        this.v = v;
    }
    /** The header and TOC, once read (undefined before, or when the input is not an archive it reads). */
    get archiveHead() {
        return this.head;
    }
    write(piece) {
        if (this.at === At.Head)
            this.takeHead(piece);
        else
            this.walk(piece, 0);
    }
    /**
     * The input has ended: a head still waiting for more bytes is parsed once more (it may have arrived whole
     * since the last attempt), else passed on as it is.
     */
    end() {
        if (this.at === At.Head && this.pendingHeadBytes > 0) {
            this.nextHeadAttempt = 0;
            this.takeHead(Buffer.alloc(0));
            if (this.at === At.Head)
                this.v.opaque(Buffer.concat(this.pendingHead));
        }
        this.pendingHead = [];
    }
    takeHead(piece) {
        if (piece.length > 0)
            this.pendingHead.push(piece);
        this.pendingHeadBytes += piece.length;
        if (this.pendingHeadBytes < this.nextHeadAttempt)
            return;
        const buf = Buffer.concat(this.pendingHead);
        this.pendingHead = [buf];
        let head;
        try {
            head = archive_format_parseArchiveHead(buf);
        }
        catch (error) {
            if (!(error instanceof archive_format_NeedMore))
                throw error;
            // Re-parse only once the buffer has doubled: a large TOC arriving in small reads stays linear.
            this.nextHeadAttempt = buf.length * 2;
            return;
        }
        this.pendingHead = [];
        this.pendingHeadBytes = 0;
        if (!head) {
            this.at = At.Through;
            this.v.opaque(buf);
            return;
        }
        this.head = head;
        this.intBytes = 1 + head.intSize;
        this.v.head(buf.subarray(0, head.length), head);
        this.at = At.Block;
        this.walk(buf, head.length);
    }
    /** Reads a number at `i` (possibly split across pieces) into intValue; the next index, or -1: the piece ran out. */
    readInt(buf, i) {
        const need = this.intBytes;
        if (this.partial.length === 0 && i + need <= buf.length) {
            let v = 0;
            for (let k = need - 1; k >= 1; k--)
                v = v * 256 + buf[i + k];
            this.intValue = buf[i] ? -v : v;
            return i + need;
        }
        while (this.partial.length < need && i < buf.length)
            this.partial.push(buf[i++]);
        if (this.partial.length < need)
            return -1;
        const bytes = this.partial;
        this.partial = [];
        let v = 0;
        for (let k = need - 1; k >= 1; k--)
            v = v * 256 + bytes[k];
        this.intValue = bytes[0] ? -v : v;
        return i;
    }
    /**
     * The per-row hot path: whole chunks lying in `buf` are handed over in a tight loop (one pass of the state
     * machine per row was most of the cost). Returns where it stopped: at a chunk that is split, ends the data
     * or is negative; the state machine takes it from there.
     */
    wholeChunks(buf, from) {
        const need = this.intBytes;
        let i = from;
        while (i + need <= buf.length && buf[i] === 0) {
            let len = 0;
            for (let k = need - 1; k >= 1; k--)
                len = len * 256 + buf[i + k];
            if (len === 0 || i + need + len > buf.length)
                break;
            this.v.data(buf, i + need, i + need + len, len);
            i += need + len;
        }
        return i;
    }
    walk(buf, from) {
        let i = from;
        while (i < buf.length) {
            switch (this.at) {
                case At.Through:
                    this.v.opaque(buf.subarray(i));
                    return;
                case At.Block: {
                    const type = buf[i];
                    if (type !== BLK_DATA && type !== BLK_BLOBS) {
                        this.at = At.Through;
                        break;
                    }
                    this.blockType = type;
                    i += 1;
                    this.at = At.Id;
                    break;
                }
                case At.Id: {
                    const next = this.readInt(buf, i);
                    if (next < 0)
                        return;
                    i = next;
                    this.v.block(this.blockType, this.intValue);
                    this.inBlob = false;
                    this.at = this.blockType === BLK_DATA ? At.ChunkLen : At.BlobOid;
                    break;
                }
                case At.BlobOid: {
                    const next = this.readInt(buf, i);
                    if (next < 0)
                        return;
                    i = next;
                    this.v.blob(this.intValue);
                    this.inBlob = this.intValue !== 0;
                    this.at = this.inBlob ? At.ChunkLen : At.Block;
                    break;
                }
                case At.ChunkLen: {
                    if (this.partial.length === 0) {
                        i = this.wholeChunks(buf, i);
                        if (i >= buf.length)
                            return;
                    }
                    const next = this.readInt(buf, i);
                    if (next < 0)
                        return;
                    const len = this.intValue;
                    if (len < 0) {
                        // Not a length pg_dump writes: the rest, from this number on, is passed as it is.
                        this.at = At.Through;
                        this.v.opaque(Buffer.concat([encodeArchiveInt(len, this.intBytes - 1), buf.subarray(next)]));
                        return;
                    }
                    i = next;
                    if (len === 0) {
                        this.v.dataEnd();
                        this.at = this.inBlob ? At.BlobOid : At.Block;
                        break;
                    }
                    this.chunkLeft = len;
                    this.chunkBytes = len;
                    this.at = At.Chunk;
                    break;
                }
                case At.Chunk: {
                    const take = Math.min(this.chunkLeft, buf.length - i);
                    this.v.data(buf, i, i + take, this.chunkBytes);
                    i += take;
                    this.chunkLeft -= take;
                    if (this.chunkLeft === 0)
                        this.at = At.ChunkLen;
                    break;
                }
            }
        }
    }
}

;// CONCATENATED MODULE: ./src/backup/streams.ts


/** Counts bytes as they pass (progress, sizes). */
function counter(onBytes) {
    let total = 0;
    return new external_node_stream_.Transform({
        transform(chunk, _enc, cb) {
            total += chunk.length;
            onBytes(total);
            cb(null, chunk);
        }
    });
}
/** SHA-256 and size of what passes; `expected` makes the end of the stream fail on a mismatch. */
class Sha256Stream extends external_node_stream_.Transform {
    expected;
    onBytes;
    hash = (0,external_node_crypto_.createHash)('sha256');
    bytes = 0;
    digest;
    constructor(expected, onBytes) {
        super();
        this.expected = expected;
        this.onBytes = onBytes;
    }
    _transform(chunk, _enc, cb) {
        this.hash.update(chunk);
        this.bytes += chunk.length;
        this.onBytes?.(this.bytes);
        cb(null, chunk);
    }
    _flush(cb) {
        this.digest = this.hash.digest('hex');
        const e = this.expected;
        if (e && (e.size !== this.bytes || e.sha256 !== this.digest)) {
            cb(new Error(`checksum mismatch for ${e.what}: stored ${this.bytes} bytes with SHA-256 ${this.digest}, the manifest says ${e.size} bytes with SHA-256 ${e.sha256}`));
            return;
        }
        cb();
    }
}
/**
 * Passes data through but delays the end until `gate` resolves, and fails the stream when it rejects:
 * pg_dump's output is only whole once pg_dump has exited with 0, and an error here must reach the upload
 * (which then aborts) instead of a clean end-of-stream (which would complete it).
 */
function endGate(gate) {
    return new external_node_stream_.Transform({
        transform(chunk, _enc, cb) {
            cb(null, chunk);
        },
        flush(cb) {
            gate().then(() => cb(), (error) => cb(error));
        }
    });
}
/**
 * Holds back the last `bytes` of the stream until it ends cleanly. Decryption only proves integrity at the
 * very end (the MDC); holding the tail keeps pg_restore from ever seeing a whole archive that later fails.
 */
function holdTail(bytes) {
    let held = [];
    let heldBytes = 0;
    return new external_node_stream_.Transform({
        transform(chunk, _enc, cb) {
            held.push(chunk);
            heldBytes += chunk.length;
            while (held.length > 1 && heldBytes - held[0].length >= bytes) {
                const first = held.shift();
                heldBytes -= first.length;
                this.push(first);
            }
            cb();
        },
        flush(cb) {
            for (const c of held)
                this.push(c);
            held = [];
            cb();
        }
    });
}
/**
 * Joins small chunks (pg_dump writes 64 KiB pipe reads) into chunks of about `bytes`: the encryption runs on
 * Web Streams, whose cost is per chunk, so fewer, larger chunks cut the CPU the pipeline takes from pg_dump.
 */
function coalesce(bytes) {
    let held = [];
    let heldBytes = 0;
    return new external_node_stream_.Transform({
        transform(chunk, _enc, cb) {
            held.push(chunk);
            heldBytes += chunk.length;
            if (heldBytes >= bytes) {
                // A chunk that is large enough on its own (a file read of 1 MiB) goes on without a copy.
                const out = held.length === 1 ? chunk : Buffer.concat(held, heldBytes);
                held = [];
                heldBytes = 0;
                cb(null, out);
                return;
            }
            cb();
        },
        flush(cb) {
            cb(null, heldBytes ? Buffer.concat(held, heldBytes) : undefined);
        }
    });
}
/** Pieces at least this large are passed on as they are; runs of smaller ones are joined. */
const PASS_AS_IS_BYTES = 64 << 10;
/**
 * Pushes `pieces` in order without copying the large ones (table data, compressed chunks), joining runs of
 * small ones (lengths, block headers, rows) so the next stage is not handed slivers.
 */
function pushJoined(pieces, push) {
    let run = [];
    let runBytes = 0;
    const pushRun = () => {
        if (run.length > 0)
            push(run.length === 1 ? run[0] : Buffer.concat(run, runBytes));
        run = [];
        runBytes = 0;
    };
    for (const b of pieces) {
        if (b.length >= PASS_AS_IS_BYTES) {
            pushRun();
            push(b);
        }
        else if (b.length > 0) {
            run.push(b);
            runBytes += b.length;
        }
    }
    pushRun();
}

;// CONCATENATED MODULE: ./src/backup/archive-compress.ts





/** The newest pg_dump whose archive format (1.16, PostgreSQL 17) the walker is known to read. */
const NEWEST_COMPRESSIBLE_PG_DUMP = 17;
/**
 * What pg_dump may write ahead while the compressor waits for a job: without it pg_dump (and the server
 * behind it) would stop at every wait, with only the pipe's 64 KiB between them.
 */
const INPUT_AHEAD_BYTES = 4 << 20;
/**
 * Turns the archive `pg_dump --compress=0` writes into the one `pg_dump --compress=6` would have written, with
 * the compression spread over every core: each table's data and each large object becomes a zlib stream
 * (ParallelDeflate), cut into chunks, and the header says gzip. The result is an ordinary compressed pg_dump
 * archive: `pg_restore` reads it from a pipe, and with `--jobs` each worker inflates its own tables, so a
 * parallel restore only has to decrypt the (much smaller) compressed bytes before it starts. pg_dump's own zlib
 * runs on one core and is the slowest stage of a backup. Anything the walker does not understand fails the
 * backup in one line rather than storing an archive pg_restore could not read.
 */
class ArchiveCompressor extends external_node_stream_.Transform {
    output = new OrderedOutput();
    archive;
    deflate;
    walker = new ArchiveWalker({
        head: (bytes, head) => {
            if (head.compressed)
                throw new Error('pg_dump wrote a compressed archive; the backup runs it with --compress=0');
            this.archive = head;
            this.output.add([markCompression(bytes, head, 'zlib')]);
        },
        block: (type, dumpId) => {
            this.output.add([Buffer.of(type), this.int(dumpId)]);
            if (type === BLK_DATA)
                this.deflate = new ParallelDeflate({ level: 6, framing: 'zlib' });
        },
        blob: oid => {
            this.output.add([this.int(oid)]);
            if (oid !== 0)
                this.deflate = new ParallelDeflate({ level: 6, framing: 'zlib' });
        },
        data: (buf, start, end) => this.chunks(this.deflate.write(buf, start, end)),
        dataEnd: () => {
            this.chunks(this.deflate.end());
            this.deflate = undefined;
            this.output.add([this.int(0)]);
        },
        opaque: bytes => {
            throw new Error(this.archive
                ? `pg_dump's archive holds a block this action does not know (type ${bytes[0]}); it cannot be compressed`
                : "pg_dump's output is not a custom-format archive this action reads (format 1.12 to 1.16)");
        }
    });
    constructor() {
        super({ writableHighWaterMark: INPUT_AHEAD_BYTES });
    }
    _transform(chunk, _enc, cb) {
        try {
            this.walker.write(chunk);
        }
        catch (error) {
            cb(error);
            return;
        }
        this.pushReady(DEFLATE_JOBS_IN_FLIGHT, cb);
    }
    _flush(cb) {
        try {
            this.walker.end();
        }
        catch (error) {
            cb(error);
            return;
        }
        this.pushReady(0, cb);
    }
    pushReady(inFlight, cb) {
        this.output.take(inFlight).then(out => {
            pushJoined(out, b => this.push(b));
            cb();
        }, cb);
    }
    int(value) {
        return encodeArchiveInt(value, this.archive.intSize);
    }
    /** Compressed pieces as the archive's chunks: a length, then the bytes (an empty piece would end the data). */
    chunks(pieces) {
        if (pieces.length === 0)
            return;
        const frame = (b) => (b.length === 0 ? [] : [this.int(b.length), b]);
        this.output.add(pieces.flatMap((p) => (Buffer.isBuffer(p) ? frame(p) : [p.then(frame)])));
    }
}

// EXTERNAL MODULE: ./src/backup/id.ts
var backup_id = __webpack_require__(8613);
// EXTERNAL MODULE: ./src/kit/secrets.ts + 1 modules
var secrets = __webpack_require__(5889);
;// CONCATENATED MODULE: ./src/backup/process.ts



/**
 * Starts a PostgreSQL tool (pg_dump, pg_restore) whose stdin/stdout the caller streams, through the kit's one spawn
 * wrapper: it gets the action's environment less inputs and credentials, plus `env` (PGPASSWORD and the libpq
 * settings); the end of its stderr is kept for the error message (redacted).
 */
function startProcess(command, args, opts) {
    const child = spawnChild([command, ...args], {
        env: childEnvironment(process.env, opts.env),
        stdio: [opts.stdin ?? 'ignore', opts.stdout ?? 'pipe', 'pipe'],
        label: opts.label
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => {
        stderr = (stderr + d).slice(-4000);
    });
    const running = { child, exited: false, done: Promise.resolve() };
    running.done = new Promise((resolve, reject) => {
        child.on('error', error => {
            running.exited = true;
            reject(new Error(`${opts.label} could not start: ${error.message}`));
        });
        child.on('close', (code, signal) => {
            running.exited = true;
            if (code === 0)
                return resolve();
            reject(new Error((0,secrets/* redact */.E$)(exitFailureLine(opts.label, { code, signal, stdout: '', stderr }))));
        });
    });
    // Avoid an unhandled rejection when the caller only awaits it after another failure.
    running.done.catch(() => undefined);
    return running;
}

;// CONCATENATED MODULE: ./src/backup/rowcounts.ts

/**
 * Row counts for the manifest, taken in the dump's own snapshot so they match the archive exactly.
 * Tables up to EXACT_MAX_PAGES (100 MiB) get count(*), cheap next to dumping them; bigger ones get the
 * planner's estimate (pg_class.reltuples), marked `exact: false`, so counting never doubles the I/O of a
 * large backup. A never-analyzed table (reltuples < 0) is always counted.
 */
const EXACT_MAX_PAGES = 12_800;
async function tableRowCounts(client, exactMaxPages = EXACT_MAX_PAGES) {
    const tables = await client.query(`SELECT n.nspname AS schema, c.relname AS name, c.relpages AS pages, c.reltuples::float8 AS tuples
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
        AND n.nspname NOT LIKE 'pg_temp%'
      ORDER BY 1, 2`);
    const out = [];
    for (const t of tables.rows) {
        const name = `${t.schema}.${t.name}`;
        if (t.pages <= exactMaxPages || t.tuples < 0) {
            const r = await client.query(`SELECT count(*) AS n FROM ${quoteIdent(t.schema)}.${quoteIdent(t.name)}`);
            out.push({ name, rows: Number(r.rows[0].n), exact: true });
        }
        else {
            out.push({ name, rows: Math.round(t.tuples), exact: false });
        }
    }
    return out;
}

;// CONCATENATED MODULE: ./src/backup/backup.ts












/**
 * One streaming pipeline, nothing on disk, memory bounded by the upload's part buffers:
 *   pg_dump -Fc (in an exported snapshot) -> OpenPGP encrypt -> SHA-256 -> store.upload
 * then HeadObject-style size check, then the manifest, last. Any failure kills pg_dump, aborts the upload
 * and writes no manifest, so nothing that looks complete is left behind.
 */
async function runBackup(o) {
    const now = o.now ?? (() => new Date());
    const startedAt = now();
    // Unique per run (milliseconds + random suffix): concurrent backups to one prefix never share a name.
    const id = (0,backup_id/* uniqueBackupId */.Jg)(startedAt);
    const name = (0,backup_id/* archiveName */.uv)(id);
    const log = o.logger;
    // Everything before pg_dump starts is latency the backup pays for, so the checks run side by side: the
    // id is free; the server's version (on the connection that will export the snapshot) against pg_dump's;
    // the session key (openpgp.js S2K and key packets) for the stream pg_dump will feed.
    const plain = new external_node_stream_.PassThrough({ highWaterMark: 1 << 20 });
    const encrypting = o.encryptor.encrypt(plain, `${id}.dump`);
    encrypting.catch(() => undefined);
    // The snapshot keeps the row counts consistent with the dump; it must stay open until pg_dump has it.
    // A connection the server drops mid-dump (pg_terminate_backend, a restart) fails the backup with its message.
    let connectionLost;
    let teardown;
    const connecting = connectClient(o.databaseUrl, {
        applicationName: 'backup',
        onError: error => {
            connectionLost ??= error;
            teardown?.(error);
        }
    });
    connecting.catch(() => undefined);
    let client;
    let archiveStored = false;
    try {
        const [taken, [server, databaseBytes], pgDump] = await Promise.all([
            // Credentials and write access first (one clear line naming what to fix), then whether the id is taken.
            Promise.resolve(o.store.checkAccess?.(name))
                .then(() => Promise.all([o.store.head(name), o.store.head((0,backup_id/* manifestName */.vS)(id))]))
                .then(found => found.some(Boolean)),
            connecting.then(c => {
                client = c;
                return Promise.all([queryServerVersion(c), queryDatabaseBytes(c)]);
            }),
            findPgBinary('pg_dump')
        ]);
        if (taken)
            throw new Error(`backup ${id} already exists in ${o.store.location}; is another backup running?`);
        cancellation/* cancellation */.WN.throwIfCancelled();
        requireClientForServer('pg_dump', pgDump, server.major);
        // Ready long since (it ran beside the checks); awaited before pg_dump starts, so a failure here leaves
        // no dump running.
        const encrypted = await encrypting;
        log.info(`backup ${id}: ${(0,postgres_url/* describeDatabase */.DZ)(o.databaseUrl)} (PostgreSQL ${server.version}) with ${pgDump.path} ${pgDump.version}`);
        log.info(`backup ${id}: writing ${o.store.keyOf(name)} (${o.encryptor.method} encryption)`);
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const snapshot = (await client.query('SELECT pg_export_snapshot() AS s')).rows[0].s;
        const { dbname, env } = (0,postgres_url/* libpqConnection */.Vb)(o.databaseUrl);
        const compression = compressionFor(o.encryptor, pgDump.major);
        const dump = startProcess(pgDump.path, [
            '--format=custom',
            ...(compression === 'pg_dump' ? [] : ['--compress=0']),
            `--snapshot=${snapshot}`,
            '--no-password',
            `--dbname=${dbname}`
        ], { env, label: 'pg_dump' });
        o.onDumpStarted?.(dump.child);
        const counts = tableRowCounts(client);
        counts.catch(() => undefined);
        const progress = new ProgressLogger({
            label: `backup ${id}`,
            log: l => log.info(l),
            intervalMs: o.progressIntervalMs
        });
        // Fixed order in the line: dumped, then stored (the rate printed is that of the last, the stored bytes).
        progress.set('dumped', 0);
        progress.set('stored', 0);
        const hasher = new Sha256Stream(undefined, n => progress.set('stored', n));
        // What the message holds (the archive, compressed by us or not): a restore's temporary file needs as much.
        let dumpBytes = 0;
        const dumping = (0,promises_.pipeline)(dump.child.stdout, counter(n => progress.set('dumped', n)), ...(compression === 'archive-zlib' ? [new ArchiveCompressor()] : []), counter(n => (dumpBytes = n)), endGate(() => dump.done), plain);
        const hashing = (0,promises_.pipeline)(encrypted, hasher);
        // The archive (the dump, deflated) stays well under twice the database's size on disk: that bounds the
        // stream for the multipart part size. Were it ever exceeded, the upload fails at S3's 10,000 parts.
        const uploading = o.store.upload(name, hasher, 2 * databaseBytes);
        let firstFailure = connectionLost;
        let killedByUs = false;
        teardown = (error) => {
            firstFailure ??= error;
            if (!dump.exited) {
                killedByUs = true;
                dump.child.kill('SIGKILL');
            }
            plain.destroy(error);
            hasher.destroy(error);
        };
        if (connectionLost)
            teardown(connectionLost);
        uploading.catch(error => teardown(error));
        dumping.catch(error => teardown(error));
        const [dumped, hashed, uploaded, exited] = await Promise.allSettled([
            dumping,
            hashing,
            uploading,
            dump.done
        ]);
        // The root cause first: pg_dump's own failure beats the stream errors it caused downstream, unless we
        // killed it because the upload (or the stream) failed first.
        if (cancellation/* cancellation */.WN.cancelled)
            throw cancellation/* cancellation */.WN.signal.reason;
        if (exited.status === 'rejected' && !killedByUs)
            throw exited.reason;
        if (firstFailure)
            throw firstFailure;
        for (const r of [exited, uploaded, dumped, hashed])
            if (r.status === 'rejected')
                throw r.reason;
        // Stored whole, but not a backup until the manifest is written: anything failing before that removes it.
        archiveStored = true;
        const removeArchive = cancellation/* cancellation */.WN.addUndo(`remove archive ${o.store.keyOf(name)} (no manifest yet)`, () => o.store.remove(name));
        const sizeBytes = hasher.bytes;
        const stored = await o.store.head(name);
        if (!stored || stored.size !== sizeBytes) {
            throw new Error(`${o.store.keyOf(name)} holds ${stored?.size ?? 'no'} bytes after the upload, expected ${sizeBytes}`);
        }
        const tables = await counts;
        await client.query('COMMIT');
        if (connectionLost)
            throw connectionLost;
        progress.print('(archive stored)');
        const manifest = {
            version: 1,
            id,
            startedAt: startedAt.toISOString(),
            completedAt: now().toISOString(),
            database: (0,postgres_url/* databaseName */.Do)(o.databaseUrl),
            serverVersion: server.version,
            pgDumpVersion: pgDump.version,
            format: 'pg_dump-custom',
            compression,
            objectKey: o.store.keyOf(name),
            sizeBytes,
            dumpBytes,
            sha256: hasher.digest,
            encryption: { method: o.encryptor.method, keyFingerprints: o.encryptor.keyFingerprints },
            source: { host: (0,postgres_url/* describeDatabase */.DZ)(o.databaseUrl), tables }
        };
        cancellation/* cancellation */.WN.throwIfCancelled();
        // Conditional: never replaces a manifest another run wrote (the id is unique; this is the last guard).
        await o.store.putText((0,backup_id/* manifestName */.vS)(id), `${JSON.stringify(manifest, null, 2)}\n`, { ifAbsent: true });
        removeArchive.dismiss();
        archiveStored = false;
        log.info(`backup ${id}: complete (manifest ${o.store.keyOf((0,backup_id/* manifestName */.vS)(id))})`);
        return { manifest, durationMs: now().getTime() - startedAt.getTime() };
    }
    catch (error) {
        if (archiveStored)
            await o.store.remove(name).catch(() => undefined);
        throw error;
    }
    finally {
        plain.destroy();
        await connecting.then(c => c.end()).catch(() => undefined);
    }
}
/**
 * Who compresses the archive. pg_dump's zlib runs on one core and is the slowest stage of a backup, so pg_dump
 * hands over its archive uncompressed and the action compresses it on every core: into the archive's own data
 * blocks (ArchiveCompressor; a parallel restore then decrypts only the compressed bytes and each pg_restore
 * worker inflates its own tables), or, for an encryptor set to compress (the format of backups made before
 * 2026-12-02), inside the OpenPGP message. A pg_dump newer than the formats the compressor knows compresses itself.
 */
function compressionFor(encryptor, pgDumpMajor) {
    if (encryptor.compressionLevel !== undefined)
        return 'openpgp-zip';
    return pgDumpMajor <= NEWEST_COMPRESSIBLE_PG_DUMP ? 'archive-zlib' : 'pg_dump';
}

;// CONCATENATED MODULE: ./src/backup/manifest.ts


/** Parses and checks a manifest; a malformed one is reported with the object it came from. */
function parseManifest(text, where) {
    let m;
    try {
        m = JSON.parse(text);
    }
    catch (error) {
        throw new Error(`manifest ${where} is not JSON: ${(0,errors/* errorMessage */.gJ)(error)}`);
    }
    const problems = [];
    if (m.version !== 1)
        problems.push(`version ${String(m.version)} (expected 1)`);
    if (typeof m.id !== 'string' || !(0,backup_id/* parseBackupId */.JN)(m.id))
        problems.push('id');
    if (typeof m.sizeBytes !== 'number' || m.sizeBytes < 0)
        problems.push('sizeBytes');
    if (typeof m.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.sha256))
        problems.push('sha256');
    if (m.format !== 'pg_dump-custom')
        problems.push('format');
    if (!m.encryption || (m.encryption.method !== 'passphrase' && m.encryption.method !== 'public-key'))
        problems.push('encryption.method');
    if (problems.length)
        throw new Error(`manifest ${where} is invalid: ${problems.join(', ')}`);
    return { ...m, source: { host: m.source?.host ?? '', tables: m.source?.tables ?? [] } };
}

;// CONCATENATED MODULE: ./src/backup/catalog.ts



/** Reads the folder: a backup is complete only when its manifest and its archive are both there and agree. */
async function readCatalog(store) {
    const objects = await store.list();
    const byName = new Map(objects.map(o => [o.name, o]));
    const ids = new Set();
    for (const o of objects) {
        const m = /^(.+?)\.(dump\.pgp|json)$/.exec(o.name);
        if (m && (0,backup_id/* parseBackupId */.JN)(m[1]))
            ids.add(m[1]);
    }
    const catalog = { complete: [], incomplete: [], corrupt: [] };
    for (const id of ids) {
        const time = (0,backup_id/* parseBackupId */.JN)(id);
        const archive = byName.get((0,backup_id/* archiveName */.uv)(id));
        const manifest = byName.get((0,backup_id/* manifestName */.vS)(id));
        if (archive && manifest) {
            const manifestKey = store.keyOf((0,backup_id/* manifestName */.vS)(id));
            try {
                const m = parseManifest(await store.getText((0,backup_id/* manifestName */.vS)(id)), manifestKey);
                const mismatch = describesAnother(m, id, archive.size);
                if (mismatch)
                    throw new Error(`manifest ${manifestKey} ${mismatch}`);
                catalog.complete.push({ id, time, manifest: m });
            }
            catch (error) {
                catalog.corrupt.push({ id, time, manifestKey, problem: (0,errors/* errorMessage */.gJ)(error) });
            }
        }
        else if (archive || manifest) {
            const o = (archive ?? manifest);
            const problem = archive ? 'no manifest' : 'no archive';
            catalog.incomplete.push({ id, time, problem, size: o.size, lastModified: o.lastModified });
        }
    }
    catalog.complete.sort(backup_id/* newestFirst */.ll);
    catalog.incomplete.sort(backup_id/* newestFirst */.ll);
    catalog.corrupt.sort(backup_id/* newestFirst */.ll);
    return catalog;
}
/** Why a manifest does not describe the archive stored beside it, or undefined when it does. */
function describesAnother(m, id, archiveSize) {
    if (m.id !== id)
        return `names backup ${m.id}, not ${id}`;
    // objectKey is the key (S3) or path (file://) at write time: its last part is the archive's name.
    if (typeof m.objectKey === 'string' && !m.objectKey.endsWith((0,backup_id/* archiveName */.uv)(id)))
        return `describes ${m.objectKey}, not ${(0,backup_id/* archiveName */.uv)(id)}`;
    if (m.sizeBytes !== archiveSize)
        return `gives ${m.sizeBytes} bytes, the archive beside it has ${archiveSize}`;
    return undefined;
}
/** The chosen backup, or the newest complete one; one line when there is none. */
function pickBackup(catalog, id, location) {
    if (id) {
        const found = catalog.complete.find(b => b.id === id);
        if (found)
            return found;
        const partial = catalog.incomplete.find(b => b.id === id);
        if (partial)
            throw new Error(`backup ${id} in ${location} is incomplete (${partial.problem}); it cannot be restored`);
        const corrupt = catalog.corrupt.find(b => b.id === id);
        if (corrupt)
            throw new Error(`backup ${id} in ${location} cannot be trusted: ${corrupt.problem}`);
        throw new Error(`backup ${id} not found in ${location}`);
    }
    const newest = catalog.complete[0];
    if (!newest)
        throw new Error(`no complete backup in ${location}`);
    return newest;
}

;// CONCATENATED MODULE: ./src/backup/retention.ts
const dayOf = (d) => d.toISOString().slice(0, 10);
const monthOf = (d) => d.toISOString().slice(0, 7);
/** Decisions for every backup, newest first. Ties in time are broken by id so the result is deterministic. */
function planRetention(backups, policy) {
    if (!Number.isInteger(policy.keepDaily) || policy.keepDaily < 0)
        throw new Error('keepDaily must be a whole number >= 0');
    if (!Number.isInteger(policy.keepMonthly) || policy.keepMonthly < 0)
        throw new Error('keepMonthly must be a whole number >= 0');
    const sorted = [...backups].sort((a, b) => b.time.getTime() - a.time.getTime() || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0));
    const seenDays = new Set();
    const seenMonths = new Set();
    return sorted.map((backup, index) => {
        const reasons = [];
        if (index === 0)
            reasons.push('newest');
        // Walking newest first, the first backup met in a bucket is that bucket's newest.
        const day = dayOf(backup.time);
        if (!seenDays.has(day)) {
            seenDays.add(day);
            if (seenDays.size <= policy.keepDaily)
                reasons.push(`daily ${day}`);
        }
        const month = monthOf(backup.time);
        if (!seenMonths.has(month)) {
            seenMonths.add(month);
            if (seenMonths.size <= policy.keepMonthly)
                reasons.push(`monthly ${month}`);
        }
        return { backup, keep: reasons.length > 0, reasons };
    });
}
/** Archives without a manifest: deleted only when older than `graceMs` (24 h), as younger ones may be in progress. */
function staleIncomplete(archives, now, graceMs = 24 * 3600_000) {
    return archives.filter(a => now.getTime() - a.time.getTime() > graceMs);
}

;// CONCATENATED MODULE: ./src/backup/prune.ts




/** Leftovers of interrupted runs younger than this may belong to a run still in progress. */
const STALE_AFTER_MS = 24 * 3600_000;
/**
 * Applies the retention rule to the folder. Deletes the manifest before the archive, so an interrupted
 * prune leaves an incomplete backup (ignored, cleaned up later), never something that looks complete.
 */
async function pruneBackups(store, policy, opts) {
    const now = opts.now ?? new Date();
    const catalog = await readCatalog(store);
    const decisions = planRetention(catalog.complete, policy).map(d => d.backup.id === opts.protect && !d.keep ? { ...d, keep: true, reasons: ['taken by this run'] } : d);
    const stale = staleIncomplete(catalog.incomplete, now);
    const leftovers = await store.staleLeftovers(new Date(now.getTime() - STALE_AFTER_MS));
    const result = {
        decisions,
        stale,
        corrupt: catalog.corrupt,
        leftovers: leftovers.map(l => l.what),
        deleted: [],
        kept: decisions.filter(d => d.keep).length,
        dryRun: opts.dryRun
    };
    for (const c of catalog.corrupt)
        opts.logger.warning(`prune: kept ${c.id}, whose manifest cannot be trusted: ${c.problem}`);
    for (const d of decisions.filter(x => !x.keep)) {
        result.deleted.push(d.backup.id);
        if (opts.dryRun)
            continue;
        await store.remove((0,backup_id/* manifestName */.vS)(d.backup.id));
        await store.remove((0,backup_id/* archiveName */.uv)(d.backup.id));
        opts.logger.info(`prune: deleted ${d.backup.id}`);
    }
    for (const s of stale) {
        result.deleted.push(s.id);
        if (opts.dryRun)
            continue;
        await store.remove((0,backup_id/* manifestName */.vS)(s.id));
        await store.remove((0,backup_id/* archiveName */.uv)(s.id));
        opts.logger.info(`prune: deleted incomplete ${s.id} (${s.problem})`);
    }
    for (const l of leftovers) {
        if (opts.dryRun)
            continue;
        // One leftover that cannot be removed must not stop the others (the next run tries again).
        await l.remove().then(() => opts.logger.info(`prune: removed ${l.what}`), (error) => opts.logger.warning(`prune: could not remove ${l.what}: ${(0,errors/* errorMessage */.gJ)(error)}`));
    }
    return result;
}
/**
 * Retention right after a backup (`protect`: the backup just taken). The backup is stored: a failing prune is a
 * warning, not a failed backup (the next run prunes again).
 */
async function pruneAfterBackup(store, policy, opts) {
    try {
        return { kind: 'pruned', policy, result: await pruneBackups(store, policy, opts) };
    }
    catch (error) {
        opts.logger.warning(`Backup ${opts.protect} is stored, but retention failed: ${(0,errors/* errorMessage */.gJ)(error)}`);
        return { kind: 'failed', error: (0,errors/* errorMessage */.gJ)(error) };
    }
}

;// CONCATENATED MODULE: ./src/kit/markdown.ts
/** Small pure Markdown builders for job summaries (GitHub-flavoured). */
const escapeCell = (s) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
function table(header, rows) {
    const line = (cells) => `| ${cells.map(c => escapeCell(String(c))).join(' | ')} |`;
    return [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}
/** A two-column key/value table. */
function facts(pairs) {
    return table(['', ''], pairs.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [`**${k}**`, String(v)]));
}
function details(summary, body) {
    return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}
function codeBlock(body, lang = '') {
    const fence = body.includes('```') ? '````' : '```';
    return `${fence}${lang}\n${body}\n${fence}`;
}
function mermaid(body) {
    return codeBlock(body, 'mermaid');
}
/** A Mermaid gantt chart of named spans (times in ms since epoch) — the deploy/probe timelines. */
function mermaidTimeline(title, spans) {
    const lines = ['gantt', `  title ${title}`, '  dateFormat x', '  axisFormat %H:%M:%S'];
    let section;
    for (const s of spans) {
        if (s.section && s.section !== section) {
            section = s.section;
            lines.push(`  section ${section}`);
        }
        const name = s.name.replace(/[:#;]/g, ' ');
        const end = Math.max(s.end, s.start + 1);
        lines.push(`  ${name} :${s.status ? `${s.status}, ` : ''}${Math.round(s.start)}, ${Math.round(end)}`);
    }
    return mermaid(lines.join('\n'));
}

// EXTERNAL MODULE: ./src/backup/rto.ts
var rto = __webpack_require__(9817);
;// CONCATENATED MODULE: ./src/backup/summary.ts





// The job summary of every mode of the backup action, as Markdown sections (pure: the glue writes them).
/** `3d 4h`, `25m`: how old a backup is. */
function formatAge(ms) {
    const minutes = Math.floor(ms / 60_000);
    const d = Math.floor(minutes / 1440);
    const h = Math.floor((minutes % 1440) / 60);
    const m = minutes % 60;
    return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : `${m}m`;
}
/** The keep/delete table, newest first, with the reason each backup is kept. */
function retentionTable(result, now) {
    const rows = result.decisions.map(d => [
        d.backup.id,
        formatAge(now.getTime() - d.backup.time.getTime()),
        formatBytes(d.backup.manifest.sizeBytes),
        d.keep ? 'keep' : result.dryRun ? 'would delete' : 'delete',
        d.keep ? d.reasons.join(', ') : 'not the newest of a kept day or month'
    ]);
    for (const s of result.stale)
        rows.push([
            s.id,
            formatAge(now.getTime() - s.time.getTime()),
            formatBytes(s.size),
            result.dryRun ? 'would delete' : 'delete',
            `incomplete (${s.problem}) for over 24 h`
        ]);
    for (const c of result.corrupt)
        rows.push([c.id, formatAge(now.getTime() - c.time.getTime()), '-', 'keep', `CORRUPT: ${c.problem}`]);
    for (const l of result.leftovers)
        rows.push(['-', '-', '-', result.dryRun ? 'would remove' : 'remove', `left by an interrupted run: ${l}`]);
    return table(['backup', 'age', 'size', 'decision', 'reason'], rows);
}
/** `mode: list`: the complete backups (id, size, age), then the incomplete and the corrupt ones. */
function backupListTables(catalog, now) {
    const parts = [
        table(['backup', 'size', 'age', 'encryption', 'database'], catalog.complete.map(b => [
            b.id,
            formatBytes(b.manifest.sizeBytes),
            formatAge(now.getTime() - b.time.getTime()),
            b.manifest.encryption.method,
            b.manifest.database
        ]))
    ];
    if (catalog.incomplete.length)
        parts.push(table(['incomplete', 'problem', 'size', 'age'], catalog.incomplete.map(b => [
            b.id,
            b.problem,
            formatBytes(b.size),
            formatAge(now.getTime() - b.time.getTime())
        ])));
    if (catalog.corrupt.length)
        parts.push(table(['corrupt', 'manifest', 'problem', 'age'], catalog.corrupt.map(b => [
            b.id,
            b.manifestKey,
            b.problem,
            formatAge(now.getTime() - b.time.getTime())
        ])));
    return parts.join('\n\n');
}
const heading = (text) => `## ${text}`;
function retentionLine(policy, result) {
    return `${policy.keepDaily} daily, ${policy.keepMonthly} monthly: kept ${result.kept}, ${result.dryRun ? 'would delete' : 'deleted'} ${result.deleted.length}`;
}
/** `mode: backup`. */
function backupSummary(o) {
    const m = o.manifest;
    const sections = [
        heading(`Backup ${m.id}`),
        facts([
            [
                'Database',
                `${(0,postgres_url/* describeDatabase */.DZ)(o.databaseUrl)} (PostgreSQL ${m.serverVersion}, pg_dump ${m.pgDumpVersion})`
            ],
            ['Storage', o.storeLocation],
            ['Object key', m.objectKey],
            ['Size', formatBytes(m.sizeBytes)],
            ['Duration', (0,duration/* formatDuration */.a3)(o.durationMs)],
            ['Throughput', formatRate(m.sizeBytes, o.durationMs)],
            ['SHA-256', `\`${m.sha256}\``],
            [
                'Encryption',
                `${m.encryption.method}${m.encryption.keyFingerprints.length ? ` (${m.encryption.keyFingerprints.join(', ')})` : ''}`
            ],
            ['Tables', m.source.tables.length]
        ])
    ];
    const r = o.retention;
    if (r.kind === 'skipped')
        sections.push('Retention skipped (`prune: false`).');
    else if (r.kind === 'failed')
        sections.push(`Retention failed (the backup is stored): ${r.error}`);
    else
        sections.push(details(`Retention (${r.policy.keepDaily} daily, ${r.policy.keepMonthly} monthly): kept ${r.result.kept}, ${r.result.dryRun ? 'would delete' : 'deleted'} ${r.result.deleted.length}${r.result.corrupt.length ? `, ${r.result.corrupt.length} CORRUPT kept` : ''}`, retentionTable(r.result, o.now)));
    return sections;
}
/** `mode: prune`. */
function pruneSummary(o) {
    return [
        heading(`Retention ${o.result.dryRun ? '(dry run) ' : ''}in ${o.storeLocation}`),
        `${retentionLine(o.policy, o.result)}.`,
        retentionTable(o.result, o.now)
    ];
}
/** `mode: list`. */
function listSummary(o) {
    return [heading(`Backups in ${o.storeLocation}`), backupListTables(o.catalog, o.now)];
}
/** `mode: restore`. */
function restoreSummary(o) {
    const m = o.backup.manifest;
    return [
        heading(`Restored ${o.backup.id}`),
        facts([
            ['Target', (0,postgres_url/* describeDatabase */.DZ)(o.targetUrl)],
            ['Backup', `${m.objectKey} (${formatBytes(m.sizeBytes)})`],
            ['Restore time (RTO)', (0,rto/* describeRto */.l)(o.result)],
            ['Tables', o.result.tables.length]
        ])
    ];
}
/** The one line a failed drill fails its step with (also in its summary). */
function drillFailure(backupId, r) {
    return r.failures.length ? `restore drill of ${backupId} failed: ${r.failures.join('; ')}` : undefined;
}
/** `mode: verify`: the drill's facts and its table checks; a failed drill says why first. */
function verifySummary(o) {
    const m = o.backup.manifest;
    const r = o.result;
    const failure = drillFailure(o.backup.id, r);
    return [
        heading(`Restore drill ${o.backup.id}: ${failure ? 'FAILED' : 'passed'}`),
        ...(failure ? [failure] : []),
        facts([
            ['Backup', `${m.objectKey} (${formatBytes(m.sizeBytes)}, taken ${m.startedAt})`],
            ['Scratch database', `${r.scratchDatabase} on ${(0,postgres_url/* describeDatabase */.DZ)(o.serverUrl)} (dropped)`],
            [
                'Stale scratch databases dropped',
                r.staleDropped.length ? `${r.staleDropped.join(', ')} (left by killed drills)` : undefined
            ],
            ['Restore time (RTO)', (0,rto/* describeRto */.l)(r)],
            ['Tables', `${r.tables.length} in the archive`],
            ['verify-query', o.query ? `${r.queryResult}` : undefined]
        ]),
        table(['table', 'manifest rows', 'restored rows', 'result'], r.checks.map(c => [
            c.name,
            c.expected === undefined ? '-' : `${c.exact ? '' : '~'}${c.expected}`,
            c.actual ?? '-',
            c.ok ? 'ok' : 'MISMATCH'
        ]))
    ];
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./src/backup/archive-inflate.ts





/** Inflated bytes per chunk of the output archive (zlib's default 16 KiB would mean one callback per 16 KiB). */
const archive_inflate_INFLATE_CHUNK_BYTES = 256 << 10;
/**
 * For a restore streamed into one pg_restore (jobs 1): turns a zlib-compressed custom archive (what the backup's
 * ArchiveCompressor and `pg_dump -Z` write) back into an uncompressed one, inflating each table's and large
 * object's data on libuv's thread pool, so that pg_restore, which inflates on its own single thread between
 * its COPY writes, gets rows ready to send while node decrypts the next piece. Same TOC and data; only the
 * header's compression field and the chunking change. An archive that is not compressed passes through as it
 * is (its chunks framed anew), and one the walker does not read untouched: pg_restore then does what it always
 * did.
 */
class ArchiveInflater extends external_node_stream_.Transform {
    archive;
    passThrough = false;
    steps = [];
    inflater;
    /** The current stream has been given compressed bytes (an empty one is not inflated at all). */
    inflating = false;
    inflateError;
    walker = new ArchiveWalker({
        head: (bytes, head) => {
            this.archive = head;
            this.passThrough = !head.compressed;
            this.steps.push(this.passThrough ? bytes : markCompression(bytes, head, 'none'));
        },
        block: (type, dumpId) => {
            this.steps.push(Buffer.of(type), this.int(dumpId));
            if (type === BLK_DATA)
                this.inflating = false;
        },
        blob: oid => {
            this.steps.push(this.int(oid));
            this.inflating = false;
        },
        data: (buf, start, end) => {
            if (this.passThrough) {
                this.steps.push(this.int(end - start), buf.subarray(start, end));
                return;
            }
            this.inflating = true;
            this.steps.push({ inflate: buf.subarray(start, end) });
        },
        dataEnd: () => {
            if (this.inflating)
                this.steps.push('end-stream');
            this.inflating = false;
            this.steps.push(this.int(0));
        },
        opaque: bytes => this.steps.push(bytes)
    });
    _transform(chunk, _enc, cb) {
        try {
            this.walker.write(chunk);
        }
        catch (error) {
            cb(error);
            return;
        }
        this.runSteps().then(() => cb(), cb);
    }
    _flush(cb) {
        try {
            this.walker.end();
        }
        catch (error) {
            cb(error);
            return;
        }
        this.runSteps().then(() => cb(this.inflater ? new Error("the archive ends inside a table's compressed data") : undefined), cb);
    }
    _destroy(error, cb) {
        this.inflater?.destroy();
        cb(error);
    }
    int(value) {
        return encodeArchiveInt(value, this.archive.intSize);
    }
    /** Runs what the walker found in order; inflated data is framed as chunks as the pool returns it. */
    async runSteps() {
        const steps = this.steps;
        this.steps = [];
        let ready = [];
        const pushReady = () => {
            pushJoined(ready, b => this.push(b));
            ready = [];
        };
        for (const step of steps) {
            if (Buffer.isBuffer(step))
                ready.push(step);
            else if (step === 'end-stream') {
                pushReady();
                await this.endStream();
            }
            else {
                pushReady();
                this.inflate(step.inflate);
            }
        }
        pushReady();
        await this.drained();
    }
    inflate(compressed) {
        if (!this.inflater)
            this.inflater = this.startStream();
        this.inflater.write(compressed);
    }
    startStream() {
        const inflater = (0,external_node_zlib_.createInflate)({ chunkSize: archive_inflate_INFLATE_CHUNK_BYTES });
        inflater.on('data', (d) => {
            this.push(this.int(d.length));
            this.push(d);
        });
        inflater.on('error', (error) => (this.inflateError ??= damaged(error)));
        return inflater;
    }
    /** Waits until the current stream has inflated everything it was given. */
    drained() {
        const inflater = this.inflater;
        if (!inflater)
            return Promise.resolve();
        return new Promise((resolve, reject) => {
            if (this.inflateError)
                return reject(this.inflateError);
            inflater.flush(() => (this.inflateError ? reject(this.inflateError) : resolve()));
        });
    }
    /** Ends the current stream: all its data inflated and its Adler-32 checked by zlib. */
    endStream() {
        const inflater = this.inflater;
        this.inflater = undefined;
        if (!inflater)
            return Promise.resolve();
        return new Promise((resolve, reject) => {
            if (this.inflateError)
                return reject(this.inflateError);
            inflater.once('error', () => reject(this.inflateError));
            inflater.once('end', () => (this.inflateError ? reject(this.inflateError) : resolve()));
            inflater.end();
        });
    }
}
function damaged(error) {
    return new Error(`the archive's compressed data is damaged: ${error.message}`);
}

;// CONCATENATED MODULE: ./src/backup/partial-restore.ts


const OBJECTS = `
  WITH own AS (SELECT oid, nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'),
  ext AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e')
  SELECT 1 AS ord, 'n' || n.oid AS key, format('DROP SCHEMA IF EXISTS %I CASCADE', n.nspname) AS drop
    FROM own n WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_namespace'::regclass AND objid = n.oid)
  UNION ALL
  SELECT 2, 'x' || e.oid, format('DROP EXTENSION IF EXISTS %I CASCADE', e.extname) FROM pg_extension e
  UNION ALL
  SELECT 3, 'c' || c.oid, format('DROP %s IF EXISTS %I.%I CASCADE',
           CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
                          WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'c' THEN 'TYPE' ELSE 'TABLE' END, n.nspname, c.relname)
    FROM pg_class c JOIN own n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c')
     AND NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_class'::regclass AND objid = c.oid)
  UNION ALL
  SELECT 4, 't' || t.oid, format('DROP TYPE IF EXISTS %I.%I CASCADE', n.nspname, t.typname)
    FROM pg_type t JOIN own n ON n.oid = t.typnamespace
   WHERE t.typtype IN ('e', 'd', 'r') AND t.typelem = 0
     AND NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_type'::regclass AND objid = t.oid)
  UNION ALL
  SELECT 5, 'p' || p.oid, format('DROP %s IF EXISTS %I.%I(%s) CASCADE',
           CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
           n.nspname, p.proname, pg_get_function_identity_arguments(p.oid))
    FROM pg_proc p JOIN own n ON n.oid = p.pronamespace
   WHERE NOT EXISTS (SELECT 1 FROM ext WHERE classid = 'pg_proc'::regclass AND objid = p.oid)
  ORDER BY 1`;
async function catalogObjects(url) {
    return withClient(url, async (c) => (await c.query(OBJECTS)).rows);
}
/** What the database holds now; `dropAddedSince` later drops whatever was added after this. */
async function catalogSnapshot(url) {
    return new Set((await catalogObjects(url)).map(o => o.key));
}
/** Drops what was added since `before`; returns the statements that failed, with why (empty: all gone). */
async function dropAddedSince(url, before) {
    const added = (await catalogObjects(url)).filter(o => !before.has(o.key));
    const failed = [];
    await withClient(url, async (c) => {
        for (const o of added) {
            try {
                await c.query(o.drop);
            }
            catch (error) {
                failed.push(`${o.drop}: ${(0,errors/* errorMessage */.gJ)(error)}`);
            }
        }
    });
    return failed;
}

;// CONCATENATED MODULE: ./src/backup/archive-index.ts





/**
 * pg_dump writes a custom-format archive to a pipe (our backups always do) without data offsets in its table of
 * contents: it can only rewrite the TOC when the output is seekable. `pg_restore --jobs` then makes every worker
 * scan the file block by block to find its table, and an archive dumped with `--compress=0` has one chunk per
 * row. `ArchiveIndexer` walks the archive on its way to the temporary file, joins each table's small chunks
 * into large ones and records where each entry's data starts; `fillOffsets` then writes those offsets into the
 * file's TOC, as pg_dump does for a file. The result is the archive pg_dump would have written to a file: same
 * TOC, same data, so pg_restore seeks straight to each table. Anything the walker does not understand is passed
 * through untouched from that point, with no offsets recorded past it: pg_restore then scans, as before.
 */
/** Joined chunk size: large enough that pg_restore's per-chunk cost vanishes, small enough to hold in memory. */
const MERGED_CHUNK_BYTES = 256 << 10;
/**
 * Archive chunks at least this large (compressed data) are kept as they are: passed on without a copy when they
 * arrive in one piece, put together when split across pieces (so the output never depends on the pieces).
 */
const OWN_CHUNK_BYTES = 64 << 10;
class ArchiveIndexer extends external_node_stream_.Transform {
    visitor = {
        head: (bytes, head) => this.onHead(bytes, head),
        block: (type, dumpId) => this.onBlock(type, dumpId),
        blob: oid => this.put(this.int(oid)),
        data: (buf, start, end, chunkBytes) => chunkBytes >= OWN_CHUNK_BYTES
            ? this.onLargeChunk(buf, start, end, chunkBytes)
            : this.onData(buf, start, end),
        dataEnd: () => {
            this.putMerged();
            this.put(this.int(0));
        },
        opaque: bytes => {
            this.putMerged();
            this.put(bytes);
        }
    };
    walker = new ArchiveWalker(this.visitor);
    archive;
    out = [];
    outBytes = 0;
    /** The chunk being joined: its length field first (written when it is put out), then data. */
    merged = Buffer.allocUnsafe(0);
    mergedBytes = 0;
    /** A large chunk split across pieces, put together. */
    large;
    found = new Map();
    /** The offsets found so far (all of them once the stream has ended). */
    offsets() {
        if (!this.archive)
            return undefined;
        return { offSize: this.archive.offSize, entries: new Map(this.found) };
    }
    _transform(chunk, _enc, cb) {
        this.walker.write(chunk);
        this.flushOut(cb);
    }
    _flush(cb) {
        this.walker.end();
        this.putMerged();
        this.flushOut(cb);
    }
    onHead(bytes, head) {
        this.archive = head;
        this.merged = Buffer.allocUnsafe(1 + head.intSize + MERGED_CHUNK_BYTES);
        this.put(bytes);
    }
    onBlock(type, dumpId) {
        const flagAt = this.archive.dataEntries.get(dumpId);
        if (flagAt !== undefined)
            this.found.set(dumpId, [flagAt, this.outBytes]);
        this.put(Buffer.of(type));
        this.put(this.int(dumpId));
    }
    onLargeChunk(buf, start, end, chunkBytes) {
        if (!this.large) {
            this.putMerged();
            this.put(this.int(chunkBytes));
            if (end - start === chunkBytes) {
                this.put(buf.subarray(start, end));
                return;
            }
            this.large = { bytes: Buffer.allocUnsafe(chunkBytes), filled: 0 };
        }
        buf.copy(this.large.bytes, this.large.filled, start, end);
        this.large.filled += end - start;
        if (this.large.filled === chunkBytes) {
            this.put(this.large.bytes);
            this.large = undefined;
        }
    }
    onData(buf, start, end) {
        const lengthBytes = 1 + this.archive.intSize;
        let at = start;
        while (at < end) {
            // Chunks are filled to the byte, a row split across two: pg_restore reads a table's data as one stream.
            const take = Math.min(end - at, MERGED_CHUNK_BYTES - this.mergedBytes);
            buf.copy(this.merged, lengthBytes + this.mergedBytes, at, at + take);
            this.mergedBytes += take;
            at += take;
            if (this.mergedBytes === MERGED_CHUNK_BYTES)
                this.putMerged();
        }
    }
    int(value) {
        return encodeArchiveInt(value, this.archive.intSize);
    }
    put(b) {
        if (b.length === 0)
            return;
        this.out.push(b);
        this.outBytes += b.length;
    }
    putMerged() {
        if (this.mergedBytes === 0)
            return;
        const lengthBytes = 1 + this.archive.intSize;
        this.int(this.mergedBytes).copy(this.merged);
        this.put(this.merged.subarray(0, lengthBytes + this.mergedBytes));
        this.merged = Buffer.allocUnsafe(lengthBytes + MERGED_CHUNK_BYTES);
        this.mergedBytes = 0;
    }
    flushOut(cb) {
        const out = this.out;
        this.out = [];
        pushJoined(out, b => this.push(b));
        cb();
    }
}
/**
 * Writes the data offsets into the TOC of `file` (what pg_dump does at the end when its output is a file). No
 * fsync: pg_restore reads the file through the same page cache, and flushing it first only delays the restore.
 */
async function fillOffsets(file, offsets) {
    if (!offsets || offsets.entries.size === 0)
        return 0;
    const fh = await (0,external_node_fs_promises_.open)(file, 'r+');
    try {
        for (const [flagAt, blockAt] of offsets.entries.values()) {
            const field = Buffer.alloc(1 + offsets.offSize);
            field[0] = OFFSET_SET;
            let v = blockAt;
            for (let i = 0; i < offsets.offSize; i++) {
                field[1 + i] = v % 256;
                v = Math.floor(v / 256);
            }
            await fh.write(field, 0, field.length, flagAt);
        }
    }
    finally {
        await fh.close();
    }
    return offsets.entries.size;
}
/**
 * The data offsets a custom archive's TOC holds (dump id → flag and offset: 1 not set, 2 set), or undefined
 * when `head` does not start with a whole header and TOC this parser reads; what tests and diagnostics check.
 */
function archiveDataOffsets(head) {
    let h;
    try {
        h = parseArchiveHead(head);
    }
    catch (error) {
        if (error instanceof NeedMore)
            return undefined;
        throw error;
    }
    if (!h)
        return undefined;
    const out = new Map();
    for (const [id, flagAt] of h.dataEntries) {
        let offset = 0;
        for (let i = h.offSize; i >= 1; i--)
            offset = offset * 256 + head[flagAt + i];
        out.set(id, { flag: head[flagAt], offset });
    }
    return out;
}

;// CONCATENATED MODULE: ./src/backup/restore-file.ts













/** How every restore runs pg_restore: objects owned by the target's user, stop at the first error, never prompt. */
const PG_RESTORE_ARGS = ['--no-owner', '--no-privileges', '--exit-on-error', '--no-password'];
/** Decrypted bytes the temporary file's writer may hold while earlier ones are being written. */
const WRITE_AHEAD_BYTES = 4 << 20;
/** Room kept free beside the file (pg_restore's own temporary files, the system): 64 MiB. */
const SPARE_BYTES = 64 << 20;
/**
 * Bytes the decrypted archive takes on disk, or undefined when the manifest cannot tell: a message we
 * compressed (`openpgp-zip`) records its plaintext size since `dumpBytes` exists; one compressed by pg_dump
 * holds the archive as is, never larger than the stored message.
 */
function decryptedBytes(m) {
    if (m.dumpBytes !== undefined)
        return m.dumpBytes;
    return m.compression === 'openpgp-zip' ? undefined : m.sizeBytes;
}
/** Refuses, with one line, when `dir`'s filesystem has not room for `bytes` (statfs: blocks free to us). */
async function requireFreeSpace(dir, bytes, what) {
    const fs = await (0,external_node_fs_promises_.statfs)(dir);
    const free = fs.bavail * fs.bsize;
    if (free < bytes + SPARE_BYTES)
        throw new Error(`not enough disk space for ${what}: it needs ${formatBytes(bytes)} (+ ${formatBytes(SPARE_BYTES)} spare) in ${dir}, which has ${formatBytes(free)} free; ` +
            `free some space, point RUNNER_TEMP at a larger disk, or set jobs: 1 (streams into pg_restore, no temporary file)`);
}
/** Runs `fn` with a fresh private directory under `base`, removed afterwards whatever happens (also on cancel). */
async function withPrivateDir(base, fn) {
    const dir = await (0,external_node_fs_promises_.mkdtemp)((0,external_node_path_.join)(base, 'restore-'));
    const removal = cancellation/* cancellation */.WN.addUndo(`remove the temporary directory ${dir}`, () => (0,external_node_fs_promises_.rm)(dir, { recursive: true, force: true }));
    try {
        return await fn(dir);
    }
    finally {
        await removal.run();
    }
}
/** Download → SHA-256 check → decrypt (MDC) → `file`, in one pass; resolves only when all checks passed. */
async function decryptToFile(o, file) {
    const m = o.manifest;
    const where = o.store.keyOf((0,backup_id/* archiveName */.uv)(m.id));
    const started = Date.now();
    let downloadedAt;
    const progress = new ProgressLogger({
        label: `download ${m.id}`,
        log: l => o.logger.info(l),
        intervalMs: o.progressIntervalMs
    });
    progress.set('downloaded', 0);
    progress.set('decrypted', 0);
    const source = await o.store.read((0,backup_id/* archiveName */.uv)(m.id));
    source.once('end', () => (downloadedAt = Date.now()));
    const hasher = new Sha256Stream({ sha256: m.sha256, size: m.sizeBytes, what: where }, n => progress.set('downloaded', n));
    const signal = o.signal ? AbortSignal.any([cancellation/* cancellation */.WN.signal, o.signal]) : cancellation/* cancellation */.WN.signal;
    // Large chunks into the decryption (HTTP bodies arrive in ~16 KiB reads; its cost is per chunk).
    const hashing = (0,promises_.pipeline)(source, coalesce(1 << 20), hasher, { signal });
    hashing.catch(() => undefined);
    let bytes = 0;
    // Written as pg_dump writes a file (data offsets in the TOC, no per-row blocks): see archive-index.ts.
    const indexer = new ArchiveIndexer();
    try {
        const plain = await o.decryptor.decrypt(hasher).catch((error) => {
            throw decryptionFailed(m, where, error);
        });
        await (0,promises_.pipeline)(plain, counter(n => {
            bytes = n;
            progress.set('decrypted', n);
        }), indexer, 
        // Room for a few chunks: the decryption goes on while the previous ones are written (one in flight left it
        // idle for every write).
        (0,external_node_fs_.createWriteStream)(file, { flags: 'wx', mode: 0o600, highWaterMark: WRITE_AHEAD_BYTES }), { signal }).catch((error) => {
            if (cancellation/* cancellation */.WN.cancelled || /^decrypting /.test(error.message))
                throw error;
            if (error.syscall)
                throw new Error(`writing ${file} failed: ${error.message}`);
            throw decryptionFailed(m, where, error);
        });
        await hashing;
    }
    catch (error) {
        source.destroy();
        hasher.destroy();
        // A finished hash names the real cause (a changed byte) rather than what it did to the decryption.
        const hashError = hasher.digest !== undefined
            ? await hashing.then(() => undefined, (e) => e)
            : undefined;
        throw hashError ?? error;
    }
    await fillOffsets(file, indexer.offsets());
    const done = Date.now();
    progress.print('(checksum and decryption OK)');
    const downloadMs = (downloadedAt ?? done) - started;
    return { file, bytes, downloadMs, decryptMs: done - started - downloadMs };
}
function decryptionFailed(m, where, error) {
    const to = m.encryption.keyFingerprints.length
        ? ` (encrypted to ${m.encryption.keyFingerprints.join(', ')})`
        : '';
    return new Error(`decrypting ${where} failed: ${error.message}${to}`);
}
/** `pg_restore --list` of a decrypted archive: its table of contents, or why it is not a pg_dump archive. */
async function listArchive(pgRestore, file, where) {
    const lister = tracked(startProcess(pgRestore.path, ['--list', file], { label: 'pg_restore --list' }), 'pg_restore --list');
    let toc = '';
    lister.child.stdout.setEncoding('utf8').on('data', (d) => (toc += d));
    try {
        await lister.done;
    }
    catch (error) {
        throw new Error(`${where} decrypts, but not to a pg_dump archive: ${(0,errors/* errorMessage */.gJ)(error)}`);
    }
    return toc;
}
/** `pg_restore --jobs=N` from the decrypted file into `targetUrl`. */
async function parallelRestore(pgRestore, file, targetUrl, jobs) {
    const { dbname, env } = (0,postgres_url/* libpqConnection */.Vb)(targetUrl);
    const restore = tracked(startProcess(pgRestore.path, [...PG_RESTORE_ARGS, `--jobs=${jobs}`, `--dbname=${dbname}`, file], {
        env,
        stdout: 'ignore',
        label: 'pg_restore'
    }), 'pg_restore');
    await restore.done;
}
/** Stopped and waited for by the one cancellation path (pg_restore cancels its workers' queries on SIGTERM). */
function tracked(p, label) {
    cancellation/* cancellation */.WN.trackChild(p.child, { label });
    return p;
}

;// CONCATENATED MODULE: ./src/backup/restore.ts

















/** Bytes of plaintext kept from pg_restore until decryption has proven the whole message (MDC). */
const HELD_TAIL_BYTES = 1 << 20;
/** The tables (`schema.name`) listed in a `pg_restore --list` table of contents. */
function tocTables(toc) {
    const out = [];
    for (const line of toc.split('\n')) {
        // `215; 1259 16386 TABLE public Mixed Case owner`: names are printed unquoted, so the schema is the first
        // word, the owner the last, and the name everything between. `TABLE DATA ...` is the data entry.
        const m = /^\d+;\s+\d+\s+\d+\s+TABLE\s+(?!DATA\s)(\S+)\s+(.+)\s+(\S+)\s*$/.exec(line);
        if (m)
            out.push(`${m[1]}.${m[2]}`);
    }
    return out;
}
function expectedOf(store, m) {
    return { sha256: m.sha256, size: m.sizeBytes, what: store.keyOf((0,backup_id/* archiveName */.uv)(m.id)) };
}
/** Sends chunks to a child's stdin while it reads them, and discards them once it has exited. */
function feedWhileAlive(stdin, isAlive, onExit) {
    return new external_node_stream_.Writable({
        write(chunk, _enc, cb) {
            if (!isAlive() || stdin.destroyed)
                return cb();
            if (stdin.write(chunk))
                return cb();
            let called = false;
            const go = () => {
                if (!called) {
                    called = true;
                    cb();
                }
            };
            stdin.once('drain', go);
            onExit(go);
        },
        final(cb) {
            if (isAlive() && !stdin.destroyed)
                stdin.end();
            cb();
        }
    });
}
/**
 * Pass 1, before the target is touched: downloads the archive and checks its size and SHA-256 against the
 * manifest (any changed byte fails here), then decrypts just the head (a wrong key or passphrase fails here)
 * until `pg_restore --list` has read the table of contents. Returns the TOC. Integrity of the rest of the
 * plaintext follows from the checksum, and pass 2 checks the MDC again before pg_restore sees the end.
 */
async function checkArchive(o, pgRestore) {
    const m = o.backup.manifest;
    const progress = new ProgressLogger({
        label: `check ${m.id}`,
        log: l => o.logger.info(l),
        intervalMs: o.progressIntervalMs
    });
    const discard = new external_node_stream_.Writable({ write: (_chunk, _enc, cb) => cb() });
    await (0,promises_.pipeline)(await o.store.read((0,backup_id/* archiveName */.uv)(m.id)), new Sha256Stream(expectedOf(o.store, m), n => progress.set('checked', n)), discard);
    const toc = await readToc(o, pgRestore);
    progress.print('(checksum, key and table of contents OK)');
    return toc;
}
async function readToc(o, pgRestore) {
    const m = o.backup.manifest;
    const where = o.store.keyOf((0,backup_id/* archiveName */.uv)(m.id));
    const source = await o.store.read((0,backup_id/* archiveName */.uv)(m.id));
    const lister = tracked(startProcess(pgRestore.path, ['--list'], { stdin: 'pipe', label: 'pg_restore --list' }), 'pg_restore --list');
    let toc = '';
    lister.child.stdout.setEncoding('utf8').on('data', (d) => (toc += d));
    lister.child.stdin.on('error', () => undefined); // EPIPE once it has read the TOC and exited
    try {
        const plain = await o.decryptor.decrypt(source);
        const sink = feedWhileAlive(lister.child.stdin, () => !lister.exited, cb => lister.child.once('close', cb));
        await new Promise((resolve, reject) => {
            // Once the TOC is read, the rest of the download is not needed here.
            lister.child.once('close', () => {
                plain.destroy();
                source.destroy();
                resolve();
            });
            (0,promises_.pipeline)(plain, sink).then(resolve, (error) => (lister.exited ? resolve() : reject(error)));
        });
    }
    catch (error) {
        source.destroy();
        if (!lister.exited)
            lister.child.kill('SIGKILL');
        const to = m.encryption.keyFingerprints.length
            ? ` (encrypted to ${m.encryption.keyFingerprints.join(', ')})`
            : '';
        throw new Error(`decrypting ${where} failed: ${(0,errors/* errorMessage */.gJ)(error)}${to}`);
    }
    try {
        await lister.done;
    }
    catch (error) {
        throw new Error(`${where} decrypts, but not to a pg_dump archive: ${(0,errors/* errorMessage */.gJ)(error)}`);
    }
    return toc;
}
/** Pass 2: stream, re-check the hash, decrypt, hold the tail, pg_restore into `targetUrl`. */
async function streamRestore(o, pgRestore, targetUrl, extraArgs) {
    const m = o.backup.manifest;
    const { dbname, env } = (0,postgres_url/* libpqConnection */.Vb)(targetUrl);
    const progress = new ProgressLogger({
        label: `restore ${m.id}`,
        log: l => o.logger.info(l),
        intervalMs: o.progressIntervalMs
    });
    const source = await o.store.read((0,backup_id/* archiveName */.uv)(m.id));
    const hasher = new Sha256Stream(expectedOf(o.store, m), n => progress.set('downloaded', n));
    const restore = tracked(startProcess(pgRestore.path, [...PG_RESTORE_ARGS, ...extraArgs, `--dbname=${dbname}`], {
        env,
        stdin: 'pipe',
        stdout: 'ignore',
        label: 'pg_restore'
    }), 'pg_restore');
    restore.child.stdin.on('error', () => undefined);
    // Large chunks into the decryption: HTTP bodies arrive in ~16 KiB reads, and each chunk costs (per call
    // in our decryption, far more in openpgp.js's Web Streams for AEAD messages).
    const hashing = (0,promises_.pipeline)(source, coalesce(1 << 20), hasher);
    hashing.catch(() => undefined);
    try {
        const plain = await o.decryptor.decrypt(hasher);
        // Archives compressed in pg_dump's format reach pg_restore inflated: node inflates on the thread pool while
        // pg_restore sends rows (a lone pg_restore would inflate on its own thread between them).
        const inflated = m.compression === 'openpgp-zip' ? [] : [new ArchiveInflater()];
        await (0,promises_.pipeline)([plain, ...inflated, holdTail(HELD_TAIL_BYTES), restore.child.stdin]);
    }
    catch (error) {
        // pg_restore never got the whole archive: killing it rolls its transaction back.
        restore.child.kill('SIGKILL');
        await restore.done.catch(() => undefined);
        // A finished hash names the real cause (a changed byte); an unfinished one is abandoned.
        const hashError = hasher.digest !== undefined
            ? await hashing.then(() => undefined, (e) => e)
            : undefined;
        source.destroy();
        hasher.destroy();
        throw hashError ?? error;
    }
    await hashing;
    await restore.done;
    progress.print('(restored)');
}
async function pgRestoreFor(targetUrl, m) {
    const target = await serverVersion(targetUrl);
    const dumper = parsePgVersion(`(PostgreSQL) ${m.pgDumpVersion}`)?.major ?? 0;
    // pg_restore must read the dumper's archive format and speak to the target server.
    return findPgBinary('pg_restore', { serverMajor: Math.max(target.major, dumper) });
}
/**
 * Proves the archive (size, SHA-256, key, table of contents), then calls `beforeRestore` (verify creates its
 * scratch database there: nothing is created for an archive that fails) and restores into `targetUrl`:
 * with jobs > 1 from a temporary file by pg_restore --jobs, else streamed into one pg_restore.
 */
async function proveAndRestore(o, 
/** The pg_restore to use, or its search with the target's checks: a parallel restore downloads meanwhile. */
pgRestoreReady, targetUrl, beforeRestore, streamedArgs, 
/** Restore mode: a parallel restore that fails is undone (it cannot be one transaction). */
undoPartial = false) {
    const m = o.backup.manifest;
    const jobs = o.jobs ?? 1;
    const needed = decryptedBytes(m);
    if (jobs > 1 && needed === undefined)
        o.logger.notice(`backup ${m.id} does not record the size of its decrypted archive (taken before 2026-12-01): restoring with jobs 1 (streamed, no temporary file) instead of ${jobs}`);
    if (jobs > 1 && needed !== undefined) {
        const base = o.tempDir ?? (0,external_node_os_.tmpdir)();
        // A refused target says so first, even when the disk is short too.
        await requireFreeSpace(base, needed, `the decrypted archive of ${m.id}`).catch(async (error) => {
            await pgRestoreReady;
            throw error;
        });
        return withPrivateDir(base, async (dir) => {
            const { decrypted: d, pgRestore } = await decryptWhileChecking(signal => decryptToFile({
                store: o.store,
                manifest: m,
                decryptor: o.decryptor,
                logger: o.logger,
                progressIntervalMs: o.progressIntervalMs,
                signal
            }, (0,external_node_path_.join)(dir, `${m.id}.dump`)), pgRestoreReady);
            const toc = await listArchive(pgRestore, d.file, o.store.keyOf((0,backup_id/* archiveName */.uv)(m.id)));
            cancellation/* cancellation */.WN.throwIfCancelled();
            await beforeRestore();
            const started = Date.now();
            if (undoPartial)
                await undoingPartialRestore(targetUrl, () => parallelRestore(pgRestore, d.file, targetUrl, jobs));
            else
                await parallelRestore(pgRestore, d.file, targetUrl, jobs);
            o.logger.info(`restore ${m.id}: pg_restore --jobs=${jobs} done in ${(0,duration/* formatDuration */.a3)(Date.now() - started)}`);
            return {
                toc,
                jobs,
                phases: { downloadMs: d.downloadMs, decryptMs: d.decryptMs, pgRestoreMs: Date.now() - started }
            };
        });
    }
    const pgRestore = await pgRestoreReady;
    const started = Date.now();
    const toc = await checkArchive(o, pgRestore);
    const checked = Date.now();
    cancellation/* cancellation */.WN.throwIfCancelled();
    await beforeRestore();
    await streamRestore(o, pgRestore, targetUrl, streamedArgs);
    return { toc, jobs: 1, phases: { downloadMs: checked - started, pgRestoreMs: Date.now() - checked } };
}
/**
 * Runs the download and decryption into the temporary file beside the target's checks (an empty database, a
 * pg_restore that reads the archive), which take a tenth of a second that way instead of before it; a refused
 * target stops the download, and the file is not left half-written for the caller's clean-up.
 */
async function decryptWhileChecking(decrypt, checks) {
    const refused = new AbortController();
    const decrypting = decrypt(refused.signal);
    const checking = Promise.resolve(checks).catch((error) => {
        refused.abort();
        throw error;
    });
    const [decrypted, pgRestore] = await Promise.allSettled([decrypting, checking]);
    if (pgRestore.status === 'rejected')
        throw pgRestore.reason;
    if (decrypted.status === 'rejected')
        throw decrypted.reason;
    return { decrypted: decrypted.value, pgRestore: pgRestore.value };
}
/**
 * `mode: restore`: into an empty database, after the archive is proven. Streamed (jobs 1), it is one
 * transaction; pg_restore --jobs cannot be, so a parallel restore that fails midway is undone by dropping what it
 * created (undoPartialRestore).
 */
async function restoreBackup(o) {
    const started = Date.now();
    const checks = (async () => {
        const existing = await userTables(o.targetUrl);
        if (existing.length > 0)
            throw new Error(`target ${(0,postgres_url/* describeDatabase */.DZ)(o.targetUrl)} already has ${existing.length} table(s) (${existing.slice(0, 5).join(', ')}${existing.length > 5 ? ', ...' : ''}); restore only into an empty database`);
        const pgRestore = await pgRestoreFor(o.targetUrl, o.backup.manifest);
        o.logger.info(`restore ${o.backup.id} into ${(0,postgres_url/* describeDatabase */.DZ)(o.targetUrl)} with ${pgRestore.path} ${pgRestore.version}${(o.jobs ?? 1) > 1 ? ` (jobs ${o.jobs})` : ''}`);
        return pgRestore;
    })();
    checks.catch(() => undefined); // awaited by proveAndRestore; an earlier failure there must not leave it unhandled
    const r = await proveAndRestore(o, checks, o.targetUrl, async () => undefined, ['--single-transaction'], true);
    return { restoreMs: Date.now() - started, tables: tocTables(r.toc), jobs: r.jobs, phases: r.phases };
}
/**
 * Runs a parallel restore into `targetUrl`; when it fails or is cancelled, drops what it created (after
 * pg_restore has exited: the one cancellation path runs undo steps once the children are gone).
 */
async function undoingPartialRestore(targetUrl, restore) {
    const before = await catalogSnapshot(targetUrl);
    const where = (0,postgres_url/* describeDatabase */.DZ)(targetUrl);
    let left = [];
    const undo = cancellation/* cancellation */.WN.addUndo(`drop what the partial restore created in ${where}`, async () => {
        left = await dropAddedSince(targetUrl, before);
        if (left.length)
            throw new Error(left.join('; '));
    });
    try {
        await restore();
        undo.dismiss();
    }
    catch (error) {
        await undo.run();
        const after = left.length
            ? `; dropping what it had created failed, left in ${where}: ${left.join('; ')}`
            : `; what it had created in ${where} was dropped (pg_restore --jobs cannot run in one transaction)`;
        throw new Error(`${(0,errors/* errorMessage */.gJ)(error)}${after}`);
    }
}

;// CONCATENATED MODULE: ./src/backup/scratch-database.ts



/**
 * The scratch databases of restore drills (`mode: verify`): `verify_<backup id>_<created>_<6 hex>`, all lower
 * case, e.g. `verify_20261201t020000.123z-1a2b3c_20261202t143000z_9f8e7d` (58 bytes; PostgreSQL truncates names
 * past 63 bytes, which would break the pattern below). The creation time in the name is what lets a later drill
 * tell a leftover of a SIGKILLed drill (nothing can run its undo steps) from a drill still running.
 */
const SCRATCH_NAME = /^verify_(\d{8}t\d{6}(?:\.\d{3}z-[0-9a-f]{6}|z))_(\d{4})(\d{2})(\d{2})t(\d{2})(\d{2})(\d{2})z_[0-9a-f]{6}$/;
/** PostgreSQL's NAMEDATALEN - 1: longer identifiers are silently truncated. */
const MAX_IDENTIFIER_BYTES = 63;
/**
 * A drill's scratch database is stale once it is this old AND nobody is connected to it. A running drill holds a
 * session on its scratch database from just after CREATE DATABASE until its own DROP (verify.ts), so "no session"
 * is what says the drill is gone; the age only covers the moment between CREATE DATABASE and that session's
 * connect (at most the 15 s connect timeout) and clock skew between runners, with a wide margin.
 */
const STALE_SCRATCH_AFTER_MS = 3600_000;
/** `20261202t143000z`: the creation time as the name carries it (seconds, UTC). */
function compactTime(date) {
    return date
        .toISOString()
        .replace(/\.\d{3}Z$/, 'z')
        .replace(/[-:]/g, '')
        .toLowerCase();
}
function scratchDatabaseName(backupId, created, suffix = (0,external_node_crypto_.randomBytes)(3).toString('hex')) {
    const name = `verify_${backupId.toLowerCase()}_${compactTime(created)}_${suffix}`;
    if (Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES || !SCRATCH_NAME.test(name))
        throw new Error(`cannot name a scratch database for backup id '${backupId}' (got '${name}')`);
    return name;
}
/** When the drill created the scratch database `name`, or undefined when `name` is not a drill's scratch database. */
function scratchCreatedAt(name) {
    const m = SCRATCH_NAME.exec(name);
    if (!m)
        return undefined;
    const [, , y, mo, d, h, mi, s] = m.map(Number);
    const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
    return compactTime(date) === name.split('_')[2] ? date : undefined;
}
/** SQLSTATEs: object_in_use (someone is connected), invalid_catalog_name (already dropped by another drill). */
const OBJECT_IN_USE = '55006';
const NO_SUCH_DATABASE = '3D000';
/**
 * Drops the scratch databases that killed drills left on the server of `serverUrl`: only names of the drill's
 * pattern, created over STALE_SCRATCH_AFTER_MS ago, that nobody is connected to. DROP DATABASE without FORCE is
 * the "nobody is connected" check, made by the server atomically with the drop (refused while a session exists).
 */
async function dropStaleScratchDatabases(serverUrl, o) {
    const now = (o.now ?? new Date()).getTime();
    const result = { dropped: [], kept: [] };
    await withClient(serverUrl, async (c) => {
        const names = (await c.query(`SELECT datname FROM pg_database WHERE datname LIKE 'verify\\_%' ORDER BY datname`)).rows.map(r => r.datname);
        for (const name of names) {
            const created = scratchCreatedAt(name);
            if (!created || now - created.getTime() <= STALE_SCRATCH_AFTER_MS)
                continue;
            try {
                await c.query(`DROP DATABASE ${quoteIdent(name)}`);
                result.dropped.push(name);
                o.logger.info(`verify: dropped stale scratch database ${name} (created ${created.toISOString()} by a drill that was killed)`);
            }
            catch (error) {
                const code = error.code;
                if (code === NO_SUCH_DATABASE)
                    continue;
                // In use: most likely a long drill still running (nothing to report); anything else needs a look.
                const inUse = code === OBJECT_IN_USE;
                const why = inUse ? 'someone is connected to it' : (0,errors/* errorMessage */.gJ)(error);
                result.kept.push({ name, why });
                const line = `verify: kept stale-looking scratch database ${name}: ${why}`;
                if (inUse)
                    o.logger.info(line);
                else
                    o.logger.warning(line);
            }
        }
    });
    return result;
}

;// CONCATENATED MODULE: ./src/backup/verify.ts






/** An estimate (reltuples) is accepted within 10 % + 1000 rows: enough to catch an empty or truncated table. */
function withinEstimate(expected, actual) {
    return Math.abs(actual - expected) <= expected * 0.1 + 1000;
}
/**
 * `mode: verify`, the monthly drill: first drops the scratch databases of earlier drills that were killed
 * (scratch-database.ts), then restores into a scratch database created on the server of `serverUrl` (dropped
 * afterwards), checks the TOC's tables exist and the manifest's row counts match, runs the user's query (must
 * return true). Failures are collected and returned; the caller fails the step on any.
 */
async function verifyBackup(o) {
    const started = Date.now();
    const stale = await dropStaleScratchDatabases(o.serverUrl, { logger: o.logger });
    const scratch = scratchDatabaseName(o.backup.id, new Date());
    const scratchUrl = (0,postgres_url/* withDatabase */.kR)(o.serverUrl, scratch);
    const pgRestore = await pgRestoreFor(o.serverUrl, o.backup.manifest);
    o.logger.info(`verify ${o.backup.id}: scratch database ${scratch} on ${(0,postgres_url/* describeDatabase */.DZ)(o.serverUrl)}, ${pgRestore.path} ${pgRestore.version}`);
    let created = false;
    // Connected to the scratch database for the whole drill: a later drill sees the database in use and leaves it.
    let presence;
    const endPresence = async () => {
        await presence?.end().catch(() => undefined);
        presence = undefined;
    };
    // Dropped on every exit path; on a cancellation by the one cancellation path, once pg_restore has exited.
    const drop = cancellation/* cancellation */.WN.addUndo(`drop the scratch database ${scratch}`, async () => {
        await endPresence();
        if (created)
            await dropDatabase(o.serverUrl, scratch);
    });
    try {
        const { toc, jobs, phases } = await proveAndRestore(o, pgRestore, scratchUrl, async () => {
            created = true; // set first: a create that fails after the server made it is still dropped
            await createDatabase(o.serverUrl, scratch);
            presence = await connectClient(scratchUrl, {
                applicationName: 'app-platform-pipeline verify (running)'
            });
        }, []);
        const restoreMs = Date.now() - started;
        const tables = tocTables(toc);
        const failures = [];
        const checks = [];
        let queryResult;
        await withClient(scratchUrl, async (c) => {
            const present = new Set((await c.query(`SELECT n.nspname || '.' || c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')`)).rows.map(r => r.t));
            const expected = new Map(o.backup.manifest.source.tables.map(t => [t.name, t]));
            for (const name of tables) {
                if (!present.has(name)) {
                    checks.push({ name, ok: false, note: 'missing after restore' });
                    failures.push(`table ${name} from the archive is missing after restore`);
                    continue;
                }
                const want = expected.get(name);
                const [schema, ...rest] = name.split('.');
                const actual = Number((await c.query(`SELECT count(*) AS n FROM ${quoteIdent(schema)}.${quoteIdent(rest.join('.'))}`)).rows[0].n);
                if (!want) {
                    checks.push({ name, actual, ok: true, note: 'no count in manifest' });
                    continue;
                }
                const ok = want.exact ? actual === want.rows : withinEstimate(want.rows, actual);
                checks.push({
                    name,
                    expected: want.rows,
                    exact: want.exact,
                    actual,
                    ok,
                    note: want.exact ? 'exact' : 'estimate'
                });
                if (!ok)
                    failures.push(`table ${name} has ${actual} rows, the manifest says ${want.exact ? '' : '~'}${want.rows}`);
            }
            if (o.query) {
                try {
                    const r = await c.query({ text: o.query, rowMode: 'array' });
                    const first = r.rows[0]?.[0];
                    queryResult = String(first);
                    if (first !== true && first !== 't' && first !== 'true')
                        failures.push(`verify-query returned ${queryResult} (expected true)`);
                }
                catch (error) {
                    queryResult = `error: ${(0,errors/* errorMessage */.gJ)(error)}`;
                    failures.push(`verify-query failed: ${(0,errors/* errorMessage */.gJ)(error)}`);
                }
            }
        });
        return {
            restoreMs,
            tables,
            jobs,
            phases,
            scratchDatabase: scratch,
            staleDropped: stale.dropped,
            checks,
            queryResult,
            failures
        };
    }
    finally {
        if (cancellation/* cancellation */.WN.cancelled)
            await drop.run();
        else {
            drop.dismiss();
            await endPresence();
            if (created)
                await dropDatabase(o.serverUrl, scratch).catch(error => o.logger.warning(`could not drop scratch database ${scratch}: ${(0,errors/* errorMessage */.gJ)(error)}`));
        }
    }
}

;// CONCATENATED MODULE: ./actions/backup/deferred.ts
// Loaded by main.ts once the inputs are valid, as ONE chunk: separate dynamic imports would each carry (and load)
// their own copy of the modules they share.
// The S3 client stays apart (s3-store.ts): a file:// backup never loads the AWS SDK.









/***/ }),

/***/ 1834:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L5: () => (/* binding */ retry),
/* harmony export */   mu: () => (/* binding */ parseRetryAfter),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* harmony import */ var _duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(438);

/** Sleeps `ms`, in chunks below Node's setTimeout limit (a longer delay would fire after 1 ms). */
async function sleep(ms) {
    for (const chunk of (0,_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .timerChunks */ .wf)(ms))
        await new Promise(resolve => setTimeout(resolve, chunk));
}
async function retry(fn, opts = {}) {
    const attempts = opts.attempts ?? 5;
    const base = opts.baseDelayMs ?? 500;
    const max = opts.maxDelayMs ?? 30_000;
    const wait = opts.sleep ?? sleep;
    const random = opts.random ?? Math.random;
    for (let attempt = 1;; attempt++) {
        try {
            return await fn(attempt);
        }
        catch (error) {
            const retryable = opts.isRetryable ? opts.isRetryable(error) : true;
            if (!retryable || attempt >= attempts)
                throw error;
            const asked = opts.retryAfterMs?.(error);
            const backoff = Math.min(max, base * 2 ** (attempt - 1));
            const delayMs = asked !== undefined ? Math.min(max, Math.max(0, asked)) : Math.round(random() * backoff);
            opts.onRetry?.({ attempt, delayMs, error });
            await wait(delayMs);
        }
    }
}
/** `Retry-After` as milliseconds: either delta-seconds or an HTTP date. Undefined when absent/unparseable. */
function parseRetryAfter(value, now = Date.now()) {
    if (value === null || value === undefined)
        return undefined;
    const v = value.trim();
    if (/^\d+(\.\d+)?$/.test(v))
        return Math.round(Number(v) * 1000);
    const date = Date.parse(v);
    if (Number.isNaN(date))
        return undefined;
    return Math.max(0, date - now);
}


/***/ })

};
