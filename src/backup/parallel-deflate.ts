import { constants, deflateRaw } from 'node:zlib';
import { promisify } from 'node:util';

const deflateRawAsync = promisify(deflateRaw);

/** A final, empty fixed-Huffman block: ends a raw deflate stream whose blocks all ended in a sync flush. */
const FINAL_EMPTY_BLOCK = Buffer.of(0x03, 0x00);
const WINDOW_BYTES = 32 * 1024;

/**
 * One raw deflate stream (RFC 1951, OpenPGP's "ZIP" algorithm) compressed on several threads, the way pigz
 * does it: the input is cut into chunks, each compressed on libuv's thread pool with the previous chunk's
 * last 32 KiB as its dictionary (so the ratio matches one serial stream) and ended with a sync flush (so
 * the pieces join byte-aligned); one empty final block ends the stream. pg_dump's own zlib runs on a single
 * core and is the slowest stage of a backup; this spreads the same work over every core.
 */
export class ParallelDeflate {
  private held: Buffer[] = [];
  private heldBytes = 0;
  private dictionary?: Buffer;
  private readonly jobs: Promise<Buffer>[] = [];

  constructor(
    private readonly level = 6,
    private readonly chunkBytes = 1 << 20,
    /** Chunks in flight; memory is about 2 x chunkBytes x parallel. */
    private readonly parallel = 4
  ) {}

  /** Takes input; resolves to the compressed output that is ready, waiting while too many chunks are in flight. */
  async write(data: Buffer): Promise<Buffer[]> {
    if (data.length > 0) {
      this.held.push(data);
      this.heldBytes += data.length;
    }
    if (this.heldBytes >= this.chunkBytes) this.startChunk();
    return this.collect(this.parallel - 1);
  }

  /** The rest of the stream, final block included. */
  async end(): Promise<Buffer[]> {
    if (this.heldBytes > 0) this.startChunk();
    const out = await this.collect(0);
    out.push(FINAL_EMPTY_BLOCK);
    return out;
  }

  private startChunk(): void {
    const input = this.held.length === 1 ? this.held[0]! : Buffer.concat(this.held, this.heldBytes);
    this.held = [];
    this.heldBytes = 0;
    const job = deflateRawAsync(input, {
      level: this.level,
      finishFlush: constants.Z_SYNC_FLUSH,
      ...(this.dictionary ? { dictionary: this.dictionary } : {})
    });
    job.catch(() => undefined); // awaited in order by collect; a stream torn down early must not leave it unhandled
    this.jobs.push(job);
    this.dictionary =
      input.length >= WINDOW_BYTES || !this.dictionary
        ? input.subarray(-WINDOW_BYTES)
        : Buffer.concat([this.dictionary, input]).subarray(-WINDOW_BYTES);
  }

  private async collect(inFlight: number): Promise<Buffer[]> {
    const out: Buffer[] = [];
    while (this.jobs.length > inFlight) out.push(await this.jobs.shift()!);
    return out;
  }
}
