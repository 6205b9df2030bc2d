import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { formatBytes } from '../kit/bytes.js';
import { cancellation } from '../kit/cancellation.js';
import type { Logger } from '../kit/log.js';
import { ProgressLogger } from '../kit/progress.js';
import type { PgBinary } from '../postgres/binaries.js';
import { libpqConnection } from '../postgres/url.js';
import { ArchiveIndexer, fillOffsets } from './archive-index.js';
import type { Decryptor } from './crypto.js';
import { archiveName } from './id.js';
import type { Manifest } from './manifest.js';
import { startProcess, type RunningProcess } from './process.js';
import { coalesce, counter, Sha256Stream } from './streams.js';
import type { BackupStore } from './storage.js';
import { errorMessage } from '../kit/errors.js';

/** How every restore runs pg_restore: objects owned by the target's user, stop at the first error, never prompt. */
export const PG_RESTORE_ARGS = ['--no-owner', '--no-privileges', '--exit-on-error', '--no-password'];

/**
 * The parallel restore (`jobs` > 1): `pg_restore --jobs` needs a seekable archive, so the download is checked
 * (size, SHA-256), decrypted (MDC) and written to a temporary file in one pass, and only a file that passed all of
 * that reaches pg_restore. The file holds the database in clear: mode 0600, in a directory of its own that is
 * removed on every exit path (success, failure, cancellation; a SIGKILL leaves it in RUNNER_TEMP, which the
 * runner empties after the job).
 */
export interface FileRestoreOptions {
  store: BackupStore;
  manifest: Manifest;
  decryptor: Decryptor;
  logger: Logger;
  progressIntervalMs?: number;
  /** Stops the download early (besides a cancelled run): the restore's target was refused meanwhile. */
  signal?: AbortSignal;
}

/** Decrypted bytes the temporary file's writer may hold while earlier ones are being written. */
const WRITE_AHEAD_BYTES = 4 << 20;
/** Room kept free beside the file (pg_restore's own temporary files, the system): 64 MiB. */
const SPARE_BYTES = 64 << 20;

/**
 * Bytes the decrypted archive takes on disk, or undefined when the manifest cannot tell: a message we
 * compressed (`openpgp-zip`) records its plaintext size since `dumpBytes` exists; one compressed by pg_dump
 * holds the archive as is, never larger than the stored message.
 */
export function decryptedBytes(m: Manifest): number | undefined {
  if (m.dumpBytes !== undefined) return m.dumpBytes;
  return m.compression === 'openpgp-zip' ? undefined : m.sizeBytes;
}

/** Refuses, with one line, when `dir`'s filesystem has not room for `bytes` (statfs: blocks free to us). */
export async function requireFreeSpace(dir: string, bytes: number, what: string): Promise<void> {
  const fs = await statfs(dir);
  const free = fs.bavail * fs.bsize;
  if (free < bytes + SPARE_BYTES)
    throw new Error(
      `not enough disk space for ${what}: it needs ${formatBytes(bytes)} (+ ${formatBytes(SPARE_BYTES)} spare) in ${dir}, which has ${formatBytes(free)} free; ` +
        `free some space, point RUNNER_TEMP at a larger disk, or set jobs: 1 (streams into pg_restore, no temporary file)`
    );
}

/** Runs `fn` with a fresh private directory under `base`, removed afterwards whatever happens (also on cancel). */
export async function withPrivateDir<T>(base: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(base, 'restore-'));
  const removal = cancellation.addUndo(`remove the temporary directory ${dir}`, () =>
    rm(dir, { recursive: true, force: true })
  );
  try {
    return await fn(dir);
  } finally {
    await removal.run();
  }
}

export interface DecryptedFile {
  file: string;
  bytes: number;
  /** From the first request to the last byte received (the checksum is then known). */
  downloadMs: number;
  /** What the decryption needed past the last byte received (it runs alongside the download). */
  decryptMs: number;
}

/** Download → SHA-256 check → decrypt (MDC) → `file`, in one pass; resolves only when all checks passed. */
export async function decryptToFile(o: FileRestoreOptions, file: string): Promise<DecryptedFile> {
  const m = o.manifest;
  const where = o.store.keyOf(archiveName(m.id));
  const started = Date.now();
  let downloadedAt: number | undefined;
  const progress = new ProgressLogger({
    label: `download ${m.id}`,
    log: l => o.logger.info(l),
    intervalMs: o.progressIntervalMs
  });
  progress.set('downloaded', 0);
  progress.set('decrypted', 0);
  const source = await o.store.read(archiveName(m.id));
  source.once('end', () => (downloadedAt = Date.now()));
  const hasher = new Sha256Stream({ sha256: m.sha256, size: m.sizeBytes, what: where }, n =>
    progress.set('downloaded', n)
  );
  const signal = o.signal ? AbortSignal.any([cancellation.signal, o.signal]) : cancellation.signal;
  // Large chunks into the decryption (HTTP bodies arrive in ~16 KiB reads; its cost is per chunk).
  const hashing = pipeline(source, coalesce(1 << 20), hasher, { signal });
  hashing.catch(() => undefined);
  let bytes = 0;
  // Written as pg_dump writes a file (data offsets in the TOC, no per-row blocks): see archive-index.ts.
  const indexer = new ArchiveIndexer();
  try {
    const plain = await o.decryptor.decrypt(hasher).catch((error: Error) => {
      throw decryptionFailed(m, where, error);
    });
    await pipeline(
      plain,
      counter(n => {
        bytes = n;
        progress.set('decrypted', n);
      }),
      indexer,
      // Room for a few chunks: the decryption goes on while the previous ones are written (one in flight left it
      // idle for every write).
      createWriteStream(file, { flags: 'wx', mode: 0o600, highWaterMark: WRITE_AHEAD_BYTES }),
      { signal }
    ).catch((error: Error) => {
      if (cancellation.cancelled || /^decrypting /.test(error.message)) throw error;
      if ((error as NodeJS.ErrnoException).syscall)
        throw new Error(`writing ${file} failed: ${error.message}`);
      throw decryptionFailed(m, where, error);
    });
    await hashing;
  } catch (error) {
    source.destroy();
    hasher.destroy();
    // A finished hash names the real cause (a changed byte) rather than what it did to the decryption.
    const hashError =
      hasher.digest !== undefined
        ? await hashing.then(
            () => undefined,
            (e: Error) => e
          )
        : undefined;
    throw hashError ?? error;
  }
  await fillOffsets(file, indexer.offsets());
  const done = Date.now();
  progress.print('(checksum and decryption OK)');
  const downloadMs = (downloadedAt ?? done) - started;
  return { file, bytes, downloadMs, decryptMs: done - started - downloadMs };
}

function decryptionFailed(m: Manifest, where: string, error: Error): Error {
  const to = m.encryption.keyFingerprints.length
    ? ` (encrypted to ${m.encryption.keyFingerprints.join(', ')})`
    : '';
  return new Error(`decrypting ${where} failed: ${error.message}${to}`);
}

/** `pg_restore --list` of a decrypted archive: its table of contents, or why it is not a pg_dump archive. */
export async function listArchive(pgRestore: PgBinary, file: string, where: string): Promise<string> {
  const lister = tracked(
    startProcess(pgRestore.path, ['--list', file], { label: 'pg_restore --list' }),
    'pg_restore --list'
  );
  let toc = '';
  lister.child.stdout!.setEncoding('utf8').on('data', (d: string) => (toc += d));
  try {
    await lister.done;
  } catch (error) {
    throw new Error(`${where} decrypts, but not to a pg_dump archive: ${errorMessage(error)}`);
  }
  return toc;
}

/** `pg_restore --jobs=N` from the decrypted file into `targetUrl`. */
export async function parallelRestore(
  pgRestore: PgBinary,
  file: string,
  targetUrl: string,
  jobs: number
): Promise<void> {
  const { dbname, env } = libpqConnection(targetUrl);
  const restore = tracked(
    startProcess(pgRestore.path, [...PG_RESTORE_ARGS, `--jobs=${jobs}`, `--dbname=${dbname}`, file], {
      env,
      stdout: 'ignore',
      label: 'pg_restore'
    }),
    'pg_restore'
  );
  await restore.done;
}

/** Stopped and waited for by the one cancellation path (pg_restore cancels its workers' queries on SIGTERM). */
export function tracked(p: RunningProcess, label: string): RunningProcess {
  cancellation.trackChild(p.child, { label });
  return p;
}
