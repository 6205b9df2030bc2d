import { Transform, type TransformCallback } from 'node:stream';
import { BLK_DATA, encodeArchiveInt, markCompression, type ArchiveHead } from './archive-format.js';
import { ArchiveWalker } from './archive-walker.js';
import { DEFLATE_JOBS_IN_FLIGHT, OrderedOutput, ParallelDeflate } from './parallel-deflate.js';
import { pushJoined } from './streams.js';

/** The newest pg_dump whose archive format (1.16, PostgreSQL 17) the walker is known to read. */
export const NEWEST_COMPRESSIBLE_PG_DUMP = 17;
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
export class ArchiveCompressor extends Transform {
  private readonly output = new OrderedOutput();
  private archive?: ArchiveHead;
  private deflate?: ParallelDeflate;
  private readonly walker = new ArchiveWalker({
    head: (bytes, head) => {
      if (head.compressed)
        throw new Error('pg_dump wrote a compressed archive; the backup runs it with --compress=0');
      this.archive = head;
      this.output.add([markCompression(bytes, head, 'zlib')]);
    },
    block: (type, dumpId) => {
      this.output.add([Buffer.of(type), this.int(dumpId)]);
      if (type === BLK_DATA) this.deflate = new ParallelDeflate({ level: 6, framing: 'zlib' });
    },
    blob: oid => {
      this.output.add([this.int(oid)]);
      if (oid !== 0) this.deflate = new ParallelDeflate({ level: 6, framing: 'zlib' });
    },
    data: (buf, start, end) => this.chunks(this.deflate!.write(buf, start, end)),
    dataEnd: () => {
      this.chunks(this.deflate!.end());
      this.deflate = undefined;
      this.output.add([this.int(0)]);
    },
    opaque: bytes => {
      throw new Error(
        this.archive
          ? `pg_dump's archive holds a block this action does not know (type ${bytes[0]}); it cannot be compressed`
          : "pg_dump's output is not a custom-format archive this action reads (format 1.12 to 1.16)"
      );
    }
  });

  constructor() {
    super({ writableHighWaterMark: INPUT_AHEAD_BYTES });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.walker.write(chunk);
    } catch (error) {
      cb(error as Error);
      return;
    }
    this.pushReady(DEFLATE_JOBS_IN_FLIGHT, cb);
  }

  override _flush(cb: TransformCallback): void {
    try {
      this.walker.end();
    } catch (error) {
      cb(error as Error);
      return;
    }
    this.pushReady(0, cb);
  }

  private pushReady(inFlight: number, cb: TransformCallback): void {
    this.output.take(inFlight).then(out => {
      pushJoined(out, b => this.push(b));
      cb();
    }, cb);
  }

  private int(value: number): Buffer {
    return encodeArchiveInt(value, this.archive!.intSize);
  }

  /** Compressed pieces as the archive's chunks: a length, then the bytes (an empty piece would end the data). */
  private chunks(pieces: readonly (Buffer | Promise<Buffer>)[]): void {
    if (pieces.length === 0) return;
    const frame = (b: Buffer): Buffer[] => (b.length === 0 ? [] : [this.int(b.length), b]);
    this.output.add(
      pieces.flatMap((p): (Buffer | Promise<Buffer[]>)[] => (Buffer.isBuffer(p) ? frame(p) : [p.then(frame)]))
    );
  }
}
