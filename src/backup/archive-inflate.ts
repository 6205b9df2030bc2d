import { Transform, type TransformCallback } from 'node:stream';
import { createInflate, type Inflate } from 'node:zlib';
import { BLK_DATA, encodeArchiveInt, markCompression, type ArchiveHead } from './archive-format.js';
import { ArchiveWalker } from './archive-walker.js';
import { pushJoined } from './streams.js';

/** Inflated bytes per chunk of the output archive (zlib's default 16 KiB would mean one callback per 16 KiB). */
const INFLATE_CHUNK_BYTES = 256 << 10;

/** What the walker found, in archive order: bytes to pass on, compressed bytes to inflate, or a stream's end. */
type Step = Buffer | { inflate: Buffer } | 'end-stream';

/**
 * For a restore streamed into one pg_restore (jobs 1): turns a zlib-compressed custom archive (what the backup's
 * ArchiveCompressor and `pg_dump -Z` write) back into an uncompressed one, inflating each table's and large
 * object's data on libuv's thread pool, so that pg_restore, which inflates on its own single thread between
 * its COPY writes, gets rows ready to send while node decrypts the next piece. Same TOC and data; only the
 * header's compression field and the chunking change. An archive that is not compressed passes through as it
 * is (its chunks framed anew), and one the walker does not read untouched: pg_restore then does what it always
 * did.
 */
export class ArchiveInflater extends Transform {
  private archive?: ArchiveHead;
  private passThrough = false;
  private steps: Step[] = [];
  private inflater?: Inflate;
  /** The current stream has been given compressed bytes (an empty one is not inflated at all). */
  private inflating = false;
  private inflateError?: Error;
  private readonly walker = new ArchiveWalker({
    head: (bytes, head) => {
      this.archive = head;
      this.passThrough = !head.compressed;
      this.steps.push(this.passThrough ? bytes : markCompression(bytes, head, 'none'));
    },
    block: (type, dumpId) => {
      this.steps.push(Buffer.of(type), this.int(dumpId));
      if (type === BLK_DATA) this.inflating = false;
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
      if (this.inflating) this.steps.push('end-stream');
      this.inflating = false;
      this.steps.push(this.int(0));
    },
    opaque: bytes => this.steps.push(bytes)
  });

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.walker.write(chunk);
    } catch (error) {
      cb(error as Error);
      return;
    }
    this.runSteps().then(() => cb(), cb);
  }

  override _flush(cb: TransformCallback): void {
    try {
      this.walker.end();
    } catch (error) {
      cb(error as Error);
      return;
    }
    this.runSteps().then(
      () => cb(this.inflater ? new Error("the archive ends inside a table's compressed data") : undefined),
      cb
    );
  }

  override _destroy(error: Error | null, cb: (error?: Error | null) => void): void {
    this.inflater?.destroy();
    cb(error);
  }

  private int(value: number): Buffer {
    return encodeArchiveInt(value, this.archive!.intSize);
  }

  /** Runs what the walker found in order; inflated data is framed as chunks as the pool returns it. */
  private async runSteps(): Promise<void> {
    const steps = this.steps;
    this.steps = [];
    let ready: Buffer[] = [];
    const pushReady = () => {
      pushJoined(ready, b => this.push(b));
      ready = [];
    };
    for (const step of steps) {
      if (Buffer.isBuffer(step)) ready.push(step);
      else if (step === 'end-stream') {
        pushReady();
        await this.endStream();
      } else {
        pushReady();
        this.inflate(step.inflate);
      }
    }
    pushReady();
    await this.drained();
  }

  private inflate(compressed: Buffer): void {
    if (!this.inflater) this.inflater = this.startStream();
    this.inflater.write(compressed);
  }

  private startStream(): Inflate {
    const inflater = createInflate({ chunkSize: INFLATE_CHUNK_BYTES });
    inflater.on('data', (d: Buffer) => {
      this.push(this.int(d.length));
      this.push(d);
    });
    inflater.on('error', (error: Error) => (this.inflateError ??= damaged(error)));
    return inflater;
  }

  /** Waits until the current stream has inflated everything it was given. */
  private drained(): Promise<void> {
    const inflater = this.inflater;
    if (!inflater) return Promise.resolve();
    return new Promise((resolve, reject) => {
      if (this.inflateError) return reject(this.inflateError);
      inflater.flush(() => (this.inflateError ? reject(this.inflateError) : resolve()));
    });
  }

  /** Ends the current stream: all its data inflated and its Adler-32 checked by zlib. */
  private endStream(): Promise<void> {
    const inflater = this.inflater;
    this.inflater = undefined;
    if (!inflater) return Promise.resolve();
    return new Promise((resolve, reject) => {
      if (this.inflateError) return reject(this.inflateError);
      inflater.once('error', () => reject(this.inflateError));
      inflater.once('end', () => (this.inflateError ? reject(this.inflateError) : resolve()));
      inflater.end();
    });
  }
}

function damaged(error: Error): Error {
  return new Error(`the archive's compressed data is damaged: ${error.message}`);
}
