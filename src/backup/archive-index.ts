import { open } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * pg_dump writes a custom-format archive to a pipe (our backups always do) without data offsets in its table of
 * contents: it can only rewrite the TOC when the output is seekable. `pg_restore --jobs` then makes every worker
 * scan the file block by block to find its table, and an archive dumped with `--compress=0` (when the encryption
 * compresses) has one block per row. `ArchiveIndexer` parses the archive as it passes on its way to the
 * temporary file, merges an uncompressed table's per-row blocks into large ones and records where each entry's
 * data starts; `fillOffsets` then writes those offsets into the file's TOC, as pg_dump does for a file. The
 * result is the archive pg_dump would have written to a file: same TOC, same data, so pg_restore seeks straight
 * to each table.
 *
 * Layout (PostgreSQL's src/bin/pg_dump/pg_backup_archiver.c ReadHead/ReadToc and pg_backup_custom.c): a header,
 * the TOC (each entry ending in an offset field: one flag byte and `offSize` bytes, little-endian), then data
 * blocks (type byte, dump id, chunks of int length + bytes, a zero length). Integers are a sign byte and
 * `intSize` bytes, little-endian; strings an integer length (-1: null) and the bytes. Anything this parser does
 * not know (an archive older than format 1.12, another format, an unknown block type) is passed through
 * untouched from that point, with no offsets recorded past it: pg_restore then scans, as before.
 */

const MAGIC = Buffer.from('PGDMP');
const FORMAT_CUSTOM = 1;
const BLK_DATA = 1;
const BLK_BLOBS = 3;
const OFFSET_NOT_SET = 1;
const OFFSET_SET = 2;
const OFFSET_NO_DATA = 3;
/** Merged block size: large enough that pg_restore's per-block cost vanishes, small enough to hold in memory. */
const MERGED_BLOCK_BYTES = 256 << 10;
/** Output pieces at least this large are passed on without being joined to their neighbours. */
const PASS_AS_IS_BYTES = 64 << 10;

const version = (major: number, minor: number) => (major << 16) | (minor << 8);

class NeedMore extends Error {}

/** Sequential reads over a buffer that may end too early (NeedMore: wait for more bytes). */
class Cursor {
  at = 0;
  constructor(
    private readonly buf: Buffer,
    private readonly intSize = 4
  ) {}
  byte(): number {
    if (this.at >= this.buf.length) throw new NeedMore();
    return this.buf[this.at++]!;
  }
  int(): number {
    const sign = this.byte();
    let v = 0;
    for (let i = 0; i < this.intSize; i++) v += this.byte() * 2 ** (8 * i);
    return sign ? -v : v;
  }
  skip(n: number): void {
    if (this.at + n > this.buf.length) throw new NeedMore();
    this.at += n;
  }
  str(): string | null {
    const n = this.int();
    if (n < 0) return null;
    const start = this.at;
    this.skip(n);
    return this.buf.toString('utf8', start, start + n);
  }
}

interface Head {
  version: number;
  intSize: number;
  offSize: number;
  /** The archive's data is compressed (by pg_dump): its blocks are passed as they are. */
  compressed: boolean;
  /**
   * Where each entry with data has its offset flag byte. Offsets pg_dump did write are rewritten too: merging
   * blocks moves the data.
   */
  dataEntries: Map<number, number>;
  /** Bytes of header and TOC. */
  length: number;
}

/** Header and TOC, or undefined when `buf` is not (yet, or at all) a custom archive this parser reads. */
function parseHead(buf: Buffer): Head | undefined {
  const c = new Cursor(buf, 4);
  c.skip(MAGIC.length);
  if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const major = c.byte();
  const minor = c.byte();
  c.byte(); // revision
  const v = version(major, minor);
  if (major !== 1 || v < version(1, 12)) return undefined;
  const intSize = c.byte();
  const offSize = c.byte();
  if (c.byte() !== FORMAT_CUSTOM || intSize < 1 || intSize > 8 || offSize < 1 || offSize > 8)
    return undefined;
  const r = new Cursor(buf, intSize);
  r.at = c.at;
  const compressed = v >= version(1, 15) ? r.byte() !== 0 : r.int() !== 0;
  for (let i = 0; i < 7; i++) r.int(); // creation time
  r.str(); // database name
  r.str(); // server version
  r.str(); // pg_dump version
  const count = r.int();
  const dataEntries = new Map<number, number>();
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
    if (v >= version(1, 14)) r.str(); // table access method
    if (v >= version(1, 16)) r.int(); // relkind
    r.str(); // owner
    r.str(); // with oids ("false")
    while (r.str() !== null); // dependencies, ended by a null string
    const flagAt = r.at;
    const flag = r.byte();
    r.skip(offSize);
    if (flag === OFFSET_NOT_SET || flag === OFFSET_SET) dataEntries.set(dumpId, flagAt);
    else if (flag !== OFFSET_NO_DATA) return undefined;
  }
  return { version: v, intSize, offSize, compressed, dataEntries, length: r.at };
}

/** Where the data of each dump id starts in the output, to be written into the TOC by `fillOffsets`. */
export interface ArchiveOffsets {
  offSize: number;
  /** dump id → [position of the TOC entry's offset flag, position of its data block]. */
  entries: Map<number, [flagAt: number, blockAt: number]>;
}

/** Where the parser is; numbers, not objects: the data part runs once per row of an uncompressed table. */
const enum At {
  Head,
  Block, // next: a block type byte
  Id, // next: the block's dump id
  ChunkLen, // next: a chunk length (0 ends the LO or the data)
  Chunk, // inside a chunk
  BlobOid, // next: a large object's oid (0 ends the BLOBS block)
  Through // not understood: pass the rest as it is
}

export class ArchiveIndexer extends Transform {
  private at = At.Head;
  private blockType = 0;
  private inBlob = false;
  private chunkLeft = 0;
  private head?: Head;
  private intBytes = 5;
  private pendingHead: Buffer[] = [];
  private pendingHeadBytes = 0;
  private nextHeadAttempt = 0;
  /** Bytes of a number split across input chunks. */
  private partial: number[] = [];
  private out: Buffer[] = [];
  private outBytes = 0;
  /** The merged block being filled: its length field first (written when it is put out), then data. */
  private merged = Buffer.allocUnsafe(0);
  private mergedBytes = 0;
  private mergeBlock = false;
  private blockStart = 0;
  private readonly found = new Map<number, [number, number]>();

  /** The offsets found so far (all of them once the stream has ended). */
  offsets(): ArchiveOffsets | undefined {
    if (!this.head) return undefined;
    return { offSize: this.head.offSize, entries: new Map(this.found) };
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.at === At.Head) this.takeHead(chunk);
    else this.walk(chunk, 0);
    this.flushOut(cb);
  }

  override _flush(cb: TransformCallback): void {
    if (this.at === At.Head) this.put(Buffer.concat(this.pendingHead)); // too short to be an archive
    this.putMerged();
    this.flushOut(cb);
  }

  /** Large pieces go on as they are (no copy); runs of small ones are joined so the file is not written in slivers. */
  private flushOut(cb: TransformCallback): void {
    const out = this.out;
    this.out = [];
    let run: Buffer[] = [];
    let runBytes = 0;
    const pushRun = () => {
      if (run.length > 0) this.push(run.length === 1 ? run[0] : Buffer.concat(run, runBytes));
      run = [];
      runBytes = 0;
    };
    for (const b of out) {
      if (b.length >= PASS_AS_IS_BYTES) {
        pushRun();
        this.push(b);
      } else {
        run.push(b);
        runBytes += b.length;
      }
    }
    pushRun();
    cb();
  }

  private takeHead(chunk: Buffer): void {
    this.pendingHead.push(chunk);
    this.pendingHeadBytes += chunk.length;
    if (this.pendingHeadBytes < this.nextHeadAttempt) return;
    const buf = Buffer.concat(this.pendingHead);
    this.pendingHead = [buf];
    let head: Head | undefined;
    try {
      head = parseHead(buf);
    } catch (error) {
      if (!(error instanceof NeedMore)) throw error;
      // Re-parse only once the buffer has doubled: a large TOC arriving in small reads stays linear.
      this.nextHeadAttempt = buf.length * 2;
      return;
    }
    this.pendingHead = [];
    if (!head) {
      this.at = At.Through;
      this.put(buf);
      return;
    }
    this.head = head;
    this.intBytes = 1 + head.intSize;
    this.startMerged();
    this.put(buf.subarray(0, head.length));
    this.at = At.Block;
    this.walk(buf, head.length);
  }

  private put(b: Buffer): void {
    if (b.length === 0) return;
    this.out.push(b);
    this.outBytes += b.length;
  }

  private int(value: number): Buffer {
    const b = Buffer.alloc(this.intBytes);
    b[0] = value < 0 ? 1 : 0;
    let v = Math.abs(value);
    for (let i = 1; i < this.intBytes; i++) {
      b[i] = v % 256;
      v = Math.floor(v / 256);
    }
    return b;
  }

  private intValue: number = 0;

  /** Reads a number at `i` (possibly split across chunks) into intValue; returns the next index, or -1 when the chunk ran out. */
  private readInt(buf: Buffer, i: number): number {
    const need = this.intBytes;
    if (this.partial.length === 0 && i + need <= buf.length) {
      let v = 0;
      for (let k = need - 1; k >= 1; k--) v = v * 256 + buf[i + k]!;
      this.intValue = buf[i] ? -v : v;
      return i + need;
    }
    while (this.partial.length < need && i < buf.length) this.partial.push(buf[i++]!);
    if (this.partial.length < need) return -1;
    const bytes = this.partial;
    this.partial = [];
    let v = 0;
    for (let k = need - 1; k >= 1; k--) v = v * 256 + bytes[k]!;
    this.intValue = bytes[0] ? -v : v;
    return i;
  }

  /** A fresh merged block (the one put out belongs to the stream now), its length field reserved. */
  private startMerged(): void {
    this.merged = Buffer.allocUnsafe(this.intBytes + MERGED_BLOCK_BYTES);
    this.mergedBytes = 0;
  }

  private putMerged(): void {
    if (this.mergedBytes === 0) return;
    this.int(this.mergedBytes).copy(this.merged);
    this.put(this.merged.subarray(0, this.intBytes + this.mergedBytes));
    this.startMerged();
  }

  /**
   * The per-row hot path of a merged block: whole chunks lying in `buf` are copied into the merged block in a
   * tight loop (one dispatch per row was most of the indexer's cost). Returns where it stopped: at a chunk
   * that is split, ends the data, is negative or larger than a block; the state machine takes it from there.
   */
  private mergeWholeChunks(buf: Buffer, from: number): number {
    const need = this.intBytes;
    let i = from;
    while (i + need <= buf.length && buf[i] === 0) {
      let len = 0;
      for (let k = need - 1; k >= 1; k--) len = len * 256 + buf[i + k]!;
      if (len === 0 || i + need + len > buf.length || len > MERGED_BLOCK_BYTES) break;
      let at = i + need;
      const end = at + len;
      const room = MERGED_BLOCK_BYTES - this.mergedBytes;
      if (len >= room) {
        // Blocks are filled to the byte, a row split across two, as the state machine below does.
        buf.copy(this.merged, need + this.mergedBytes, at, at + room);
        this.mergedBytes = MERGED_BLOCK_BYTES;
        this.putMerged();
        at += room;
      }
      buf.copy(this.merged, need + this.mergedBytes, at, end);
      this.mergedBytes += end - at;
      i = end;
    }
    return i;
  }

  private walk(buf: Buffer, from: number): void {
    let i = from;
    // In a merged block the input's chunk headers are dropped, so what is put out is tracked from here.
    let copyFrom = i;
    const flushCopy = (to: number) => {
      if (to > copyFrom) this.put(buf.subarray(copyFrom, to));
      copyFrom = to;
    };
    while (i < buf.length) {
      switch (this.at) {
        case At.Through:
          flushCopy(buf.length);
          return;
        case At.Block: {
          const type = buf[i]!;
          if (type !== BLK_DATA && type !== BLK_BLOBS) {
            this.at = At.Through;
            break;
          }
          flushCopy(i);
          this.blockStart = this.outBytes;
          this.blockType = type;
          i += 1;
          this.at = At.Id;
          break;
        }
        case At.Id: {
          const next = this.readInt(buf, i);
          if (next < 0) {
            i = buf.length;
            break;
          }
          i = next;
          const flagAt = this.head!.dataEntries.get(this.intValue);
          if (flagAt !== undefined) this.found.set(this.intValue, [flagAt, this.blockStart]);
          this.mergeBlock = this.blockType === BLK_DATA && !this.head!.compressed;
          this.inBlob = false;
          this.at = this.blockType === BLK_DATA ? At.ChunkLen : At.BlobOid;
          break;
        }
        case At.BlobOid: {
          const next = this.readInt(buf, i);
          if (next < 0) {
            i = buf.length;
            break;
          }
          i = next;
          this.inBlob = this.intValue !== 0;
          this.at = this.inBlob ? At.ChunkLen : At.Block;
          break;
        }
        case At.ChunkLen: {
          const merging = this.mergeBlock && !this.inBlob;
          if (merging) {
            flushCopy(i);
            if (this.partial.length === 0) {
              i = this.mergeWholeChunks(buf, i);
              copyFrom = i;
              if (i >= buf.length) break;
            }
          }
          const next = this.readInt(buf, i);
          if (next < 0) {
            i = buf.length;
            if (merging) copyFrom = i; // the partial length is not put out
            break;
          }
          i = next;
          const len = this.intValue;
          if (len < 0) {
            if (merging) this.put(this.int(len));
            copyFrom = i;
            this.at = At.Through;
            break;
          }
          if (len === 0) {
            if (merging) {
              this.putMerged();
              this.put(this.int(0));
              copyFrom = i;
            }
            this.at = this.inBlob ? At.BlobOid : At.Block;
            break;
          }
          if (merging) copyFrom = i;
          this.chunkLeft = len;
          this.at = At.Chunk;
          break;
        }
        case At.Chunk: {
          const merging = this.mergeBlock && !this.inBlob;
          const room = merging ? MERGED_BLOCK_BYTES - this.mergedBytes : Infinity;
          const take = Math.min(this.chunkLeft, buf.length - i, room);
          if (merging) {
            buf.copy(this.merged, this.intBytes + this.mergedBytes, i, i + take);
            this.mergedBytes += take;
            if (this.mergedBytes === MERGED_BLOCK_BYTES) this.putMerged();
            copyFrom = i + take;
          }
          i += take;
          this.chunkLeft -= take;
          if (this.chunkLeft === 0) this.at = At.ChunkLen;
          break;
        }
      }
    }
    flushCopy(buf.length);
  }
}

/** Writes the data offsets into the TOC of `file` (what pg_dump does at the end when its output is a file). */
export async function fillOffsets(file: string, offsets: ArchiveOffsets | undefined): Promise<number> {
  if (!offsets || offsets.entries.size === 0) return 0;
  const fh = await open(file, 'r+');
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
    await fh.sync();
  } finally {
    await fh.close();
  }
  return offsets.entries.size;
}

/**
 * The data offsets a custom archive's TOC holds (dump id → flag and offset: 1 not set, 2 set), or undefined
 * when `head` does not start with a whole header and TOC this parser reads; what tests and diagnostics check.
 */
export function archiveDataOffsets(head: Buffer): Map<number, { flag: number; offset: number }> | undefined {
  let h: Head | undefined;
  try {
    h = parseHead(head);
  } catch (error) {
    if (error instanceof NeedMore) return undefined;
    throw error;
  }
  if (!h) return undefined;
  const out = new Map<number, { flag: number; offset: number }>();
  for (const [id, flagAt] of h.dataEntries) {
    let offset = 0;
    for (let i = h.offSize; i >= 1; i--) offset = offset * 256 + head[flagAt + i]!;
    out.set(id, { flag: head[flagAt]!, offset });
  }
  return out;
}
