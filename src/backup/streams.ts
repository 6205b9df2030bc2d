import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** Counts bytes as they pass (progress, sizes). */
export function counter(onBytes: (total: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      total += chunk.length;
      onBytes(total);
      cb(null, chunk);
    }
  });
}

/** SHA-256 and size of what passes; `expected` makes the end of the stream fail on a mismatch. */
export class Sha256Stream extends Transform {
  private readonly hash = createHash('sha256');
  bytes = 0;
  digest?: string;

  constructor(
    private readonly expected?: { sha256: string; size: number; what: string },
    private readonly onBytes?: (total: number) => void
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.onBytes?.(this.bytes);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    this.digest = this.hash.digest('hex');
    const e = this.expected;
    if (e && (e.size !== this.bytes || e.sha256 !== this.digest)) {
      cb(
        new Error(
          `checksum mismatch for ${e.what}: stored ${this.bytes} bytes with SHA-256 ${this.digest}, the manifest says ${e.size} bytes with SHA-256 ${e.sha256}`
        )
      );
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
export function endGate(gate: () => Promise<void>): Transform {
  return new Transform({
    transform(chunk, _enc, cb) {
      cb(null, chunk);
    },
    flush(cb) {
      gate().then(
        () => cb(),
        (error: Error) => cb(error)
      );
    }
  });
}

/**
 * Holds back the last `bytes` of the stream until it ends cleanly. Decryption only proves integrity at the
 * very end (the MDC); holding the tail keeps pg_restore from ever seeing a whole archive that later fails.
 */
export function holdTail(bytes: number): Transform {
  let held: Buffer[] = [];
  let heldBytes = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      held.push(chunk);
      heldBytes += chunk.length;
      while (held.length > 1 && heldBytes - held[0]!.length >= bytes) {
        const first = held.shift()!;
        heldBytes -= first.length;
        this.push(first);
      }
      cb();
    },
    flush(cb) {
      for (const c of held) this.push(c);
      held = [];
      cb();
    }
  });
}

/**
 * Joins small chunks (pg_dump writes 64 KiB pipe reads) into chunks of about `bytes`: the encryption runs on
 * Web Streams, whose cost is per chunk, so fewer, larger chunks cut the CPU the pipeline takes from pg_dump.
 */
export function coalesce(bytes: number): Transform {
  let held: Buffer[] = [];
  let heldBytes = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
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
export function pushJoined(pieces: readonly Buffer[], push: (chunk: Buffer) => void): void {
  let run: Buffer[] = [];
  let runBytes = 0;
  const pushRun = () => {
    if (run.length > 0) push(run.length === 1 ? run[0]! : Buffer.concat(run, runBytes));
    run = [];
    runBytes = 0;
  };
  for (const b of pieces) {
    if (b.length >= PASS_AS_IS_BYTES) {
      pushRun();
      push(b);
    } else if (b.length > 0) {
      run.push(b);
      runBytes += b.length;
    }
  }
  pushRun();
}
