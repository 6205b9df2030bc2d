import { open } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import {
  encodeArchiveInt,
  NeedMore,
  OFFSET_SET,
  parseArchiveHead,
  type ArchiveHead
} from './archive-format.js';
import { ArchiveWalker, type ArchiveVisitor } from './archive-walker.js';
import { pushJoined } from './streams.js';

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

/** Where the data of each dump id starts in the output, to be written into the TOC by `fillOffsets`. */
export interface ArchiveOffsets {
  offSize: number;
  /** dump id → [position of the TOC entry's offset flag, position of its data block]. */
  entries: Map<number, [flagAt: number, blockAt: number]>;
}

export class ArchiveIndexer extends Transform {
  private readonly visitor: ArchiveVisitor = {
    head: (bytes, head) => this.onHead(bytes, head),
    block: (type, dumpId) => this.onBlock(type, dumpId),
    blob: oid => this.put(this.int(oid)),
    data: (buf, start, end, chunkBytes) =>
      chunkBytes >= OWN_CHUNK_BYTES
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
  private readonly walker = new ArchiveWalker(this.visitor);
  private archive?: ArchiveHead;
  private out: Buffer[] = [];
  private outBytes = 0;
  /** The chunk being joined: its length field first (written when it is put out), then data. */
  private merged = Buffer.allocUnsafe(0);
  private mergedBytes = 0;
  /** A large chunk split across pieces, put together. */
  private large?: { bytes: Buffer; filled: number };
  private readonly found = new Map<number, [number, number]>();

  /** The offsets found so far (all of them once the stream has ended). */
  offsets(): ArchiveOffsets | undefined {
    if (!this.archive) return undefined;
    return { offSize: this.archive.offSize, entries: new Map(this.found) };
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.walker.write(chunk);
    this.flushOut(cb);
  }

  override _flush(cb: TransformCallback): void {
    this.walker.end();
    this.putMerged();
    this.flushOut(cb);
  }

  private onHead(bytes: Buffer, head: ArchiveHead): void {
    this.archive = head;
    this.merged = Buffer.allocUnsafe(1 + head.intSize + MERGED_CHUNK_BYTES);
    this.put(bytes);
  }

  private onBlock(type: number, dumpId: number): void {
    const flagAt = this.archive!.dataEntries.get(dumpId);
    if (flagAt !== undefined) this.found.set(dumpId, [flagAt, this.outBytes]);
    this.put(Buffer.of(type));
    this.put(this.int(dumpId));
  }

  private onLargeChunk(buf: Buffer, start: number, end: number, chunkBytes: number): void {
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

  private onData(buf: Buffer, start: number, end: number): void {
    const lengthBytes = 1 + this.archive!.intSize;
    let at = start;
    while (at < end) {
      // Chunks are filled to the byte, a row split across two: pg_restore reads a table's data as one stream.
      const take = Math.min(end - at, MERGED_CHUNK_BYTES - this.mergedBytes);
      buf.copy(this.merged, lengthBytes + this.mergedBytes, at, at + take);
      this.mergedBytes += take;
      at += take;
      if (this.mergedBytes === MERGED_CHUNK_BYTES) this.putMerged();
    }
  }

  private int(value: number): Buffer {
    return encodeArchiveInt(value, this.archive!.intSize);
  }

  private put(b: Buffer): void {
    if (b.length === 0) return;
    this.out.push(b);
    this.outBytes += b.length;
  }

  private putMerged(): void {
    if (this.mergedBytes === 0) return;
    const lengthBytes = 1 + this.archive!.intSize;
    this.int(this.mergedBytes).copy(this.merged);
    this.put(this.merged.subarray(0, lengthBytes + this.mergedBytes));
    this.merged = Buffer.allocUnsafe(lengthBytes + MERGED_CHUNK_BYTES);
    this.mergedBytes = 0;
  }

  private flushOut(cb: TransformCallback): void {
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
  let h: ArchiveHead | undefined;
  try {
    h = parseArchiveHead(head);
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
