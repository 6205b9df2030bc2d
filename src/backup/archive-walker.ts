import {
  BLK_BLOBS,
  BLK_DATA,
  encodeArchiveInt,
  NeedMore,
  parseArchiveHead,
  type ArchiveHead
} from './archive-format.js';

/** What the walker found, in the order of the archive. */
export interface ArchiveVisitor {
  /** The header and TOC, as read. */
  head(bytes: Buffer, head: ArchiveHead): void;
  /** A data block starts: a table's data (BLK_DATA) or large objects (BLK_BLOBS). */
  block(type: number, dumpId: number): void;
  /** In a BLOBS block: a large object's data starts, or (oid 0) the block ends. */
  blob(oid: number): void;
  /**
   * Bytes of the current table's or large object's data, its chunk framing removed: `buf[start, end)`, part or
   * all of an archive chunk of `chunkBytes`.
   */
  data(buf: Buffer, start: number, end: number, chunkBytes: number): void;
  /** The zero length that ends the current table's or large object's data. */
  dataEnd(): void;
  /** Bytes this walker does not understand (an unknown format or block): they and all after them, as they are. */
  opaque(bytes: Buffer): void;
}

/** Where the walker is; numbers, not objects: the data part runs once per row of an uncompressed table. */
const enum At {
  Head,
  Block, // next: a block type byte
  Id, // next: the block's dump id
  ChunkLen, // next: a chunk length (0 ends the LO or the data)
  Chunk, // inside a chunk
  BlobOid, // next: a large object's oid (0 ends the BLOBS block)
  Through // not understood: pass the rest as it is
}

/**
 * Walks a custom-format archive (archive-format.ts) as it arrives in pieces of any size, telling a visitor what
 * it holds. Numbers split across pieces are put together; chunk payloads are handed over as views, never copied.
 */
export class ArchiveWalker {
  private at = At.Head;
  private head?: ArchiveHead;
  private intBytes = 5;
  private pendingHead: Buffer[] = [];
  private pendingHeadBytes = 0;
  private nextHeadAttempt = 0;
  private blockType = 0;
  private inBlob = false;
  private chunkLeft = 0;
  private chunkBytes = 0;
  /** Bytes of a number split across pieces. */
  private partial: number[] = [];
  private intValue = 0;

  constructor(private readonly v: ArchiveVisitor) {}

  /** The header and TOC, once read (undefined before, or when the input is not an archive it reads). */
  get archiveHead(): ArchiveHead | undefined {
    return this.head;
  }

  write(piece: Buffer): void {
    if (this.at === At.Head) this.takeHead(piece);
    else this.walk(piece, 0);
  }

  /**
   * The input has ended: a head still waiting for more bytes is parsed once more (it may have arrived whole
   * since the last attempt), else passed on as it is.
   */
  end(): void {
    if (this.at === At.Head && this.pendingHeadBytes > 0) {
      this.nextHeadAttempt = 0;
      this.takeHead(Buffer.alloc(0));
      if (this.at === At.Head) this.v.opaque(Buffer.concat(this.pendingHead));
    }
    this.pendingHead = [];
  }

  private takeHead(piece: Buffer): void {
    if (piece.length > 0) this.pendingHead.push(piece);
    this.pendingHeadBytes += piece.length;
    if (this.pendingHeadBytes < this.nextHeadAttempt) return;
    const buf = Buffer.concat(this.pendingHead);
    this.pendingHead = [buf];
    let head: ArchiveHead | undefined;
    try {
      head = parseArchiveHead(buf);
    } catch (error) {
      if (!(error instanceof NeedMore)) throw error;
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

  /**
   * The per-row hot path: whole chunks lying in `buf` are handed over in a tight loop (one pass of the state
   * machine per row was most of the cost). Returns where it stopped: at a chunk that is split, ends the data
   * or is negative; the state machine takes it from there.
   */
  private wholeChunks(buf: Buffer, from: number): number {
    const need = this.intBytes;
    let i = from;
    while (i + need <= buf.length && buf[i] === 0) {
      let len = 0;
      for (let k = need - 1; k >= 1; k--) len = len * 256 + buf[i + k]!;
      if (len === 0 || i + need + len > buf.length) break;
      this.v.data(buf, i + need, i + need + len, len);
      i += need + len;
    }
    return i;
  }

  private walk(buf: Buffer, from: number): void {
    let i = from;
    while (i < buf.length) {
      switch (this.at) {
        case At.Through:
          this.v.opaque(buf.subarray(i));
          return;
        case At.Block: {
          const type = buf[i]!;
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
          if (next < 0) return;
          i = next;
          this.v.block(this.blockType, this.intValue);
          this.inBlob = false;
          this.at = this.blockType === BLK_DATA ? At.ChunkLen : At.BlobOid;
          break;
        }
        case At.BlobOid: {
          const next = this.readInt(buf, i);
          if (next < 0) return;
          i = next;
          this.v.blob(this.intValue);
          this.inBlob = this.intValue !== 0;
          this.at = this.inBlob ? At.ChunkLen : At.Block;
          break;
        }
        case At.ChunkLen: {
          if (this.partial.length === 0) {
            i = this.wholeChunks(buf, i);
            if (i >= buf.length) return;
          }
          const next = this.readInt(buf, i);
          if (next < 0) return;
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
          if (this.chunkLeft === 0) this.at = At.ChunkLen;
          break;
        }
      }
    }
  }
}
