import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { cancellation } from '../kit/cancellation.js';
import type { Logger } from '../kit/log.js';
import { formatDuration } from '../kit/duration.js';
import { errorMessage } from '../kit/errors.js';
import { ProgressLogger } from '../kit/progress.js';
import { findPgBinary, parsePgVersion, type PgBinary } from '../postgres/binaries.js';
import { serverVersion, userTables } from '../postgres/server.js';
import { describeDatabase, libpqConnection } from '../postgres/url.js';
import { ArchiveInflater } from './archive-inflate.js';
import type { CompleteBackup } from './catalog.js';
import type { Decryptor } from './crypto.js';
import { archiveName } from './id.js';
import type { Manifest } from './manifest.js';
import { catalogSnapshot, dropAddedSince } from './partial-restore.js';
import { startProcess } from './process.js';
import {
  decryptedBytes,
  decryptToFile,
  type DecryptedFile,
  listArchive,
  parallelRestore,
  PG_RESTORE_ARGS,
  requireFreeSpace,
  tracked,
  withPrivateDir
} from './restore-file.js';
import { coalesce, holdTail, Sha256Stream } from './streams.js';
import type { BackupStore } from './storage.js';

/** Bytes of plaintext kept from pg_restore until decryption has proven the whole message (MDC). */
const HELD_TAIL_BYTES = 1 << 20;

export interface RestoreOptions {
  store: BackupStore;
  backup: CompleteBackup;
  decryptor: Decryptor;
  logger: Logger;
  progressIntervalMs?: number;
  /**
   * pg_restore --jobs. 1 (the default here) streams the download into one pg_restore (no disk needed); more
   * decrypts into a temporary file under `tempDir` first (pg_restore --jobs needs a seekable archive).
   */
  jobs?: number;
  /** Where the temporary file goes (default: the system's temporary directory). */
  tempDir?: string;
}

/** The tables (`schema.name`) listed in a `pg_restore --list` table of contents. */
export function tocTables(toc: string): string[] {
  const out: string[] = [];
  for (const line of toc.split('\n')) {
    // `215; 1259 16386 TABLE public Mixed Case owner`: names are printed unquoted, so the schema is the first
    // word, the owner the last, and the name everything between. `TABLE DATA ...` is the data entry.
    const m = /^\d+;\s+\d+\s+\d+\s+TABLE\s+(?!DATA\s)(\S+)\s+(.+)\s+(\S+)\s*$/.exec(line);
    if (m) out.push(`${m[1]}.${m[2]}`);
  }
  return out;
}

function expectedOf(store: BackupStore, m: Manifest) {
  return { sha256: m.sha256, size: m.sizeBytes, what: store.keyOf(archiveName(m.id)) };
}

/** Sends chunks to a child's stdin while it reads them, and discards them once it has exited. */
function feedWhileAlive(
  stdin: NodeJS.WritableStream & { destroyed?: boolean },
  isAlive: () => boolean,
  onExit: (cb: () => void) => void
): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (!isAlive() || stdin.destroyed) return cb();
      if (stdin.write(chunk)) return cb();
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
      if (isAlive() && !stdin.destroyed) stdin.end();
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
export async function checkArchive(o: RestoreOptions, pgRestore: PgBinary): Promise<string> {
  const m = o.backup.manifest;
  const progress = new ProgressLogger({
    label: `check ${m.id}`,
    log: l => o.logger.info(l),
    intervalMs: o.progressIntervalMs
  });
  const discard = new Writable({ write: (_chunk, _enc, cb) => cb() });
  await pipeline(
    await o.store.read(archiveName(m.id)),
    new Sha256Stream(expectedOf(o.store, m), n => progress.set('checked', n)),
    discard
  );
  const toc = await readToc(o, pgRestore);
  progress.print('(checksum, key and table of contents OK)');
  return toc;
}

async function readToc(o: RestoreOptions, pgRestore: PgBinary): Promise<string> {
  const m = o.backup.manifest;
  const where = o.store.keyOf(archiveName(m.id));
  const source = await o.store.read(archiveName(m.id));
  const lister = tracked(
    startProcess(pgRestore.path, ['--list'], { stdin: 'pipe', label: 'pg_restore --list' }),
    'pg_restore --list'
  );
  let toc = '';
  lister.child.stdout!.setEncoding('utf8').on('data', (d: string) => (toc += d));
  lister.child.stdin!.on('error', () => undefined); // EPIPE once it has read the TOC and exited
  try {
    const plain = await o.decryptor.decrypt(source);
    const sink = feedWhileAlive(
      lister.child.stdin!,
      () => !lister.exited,
      cb => lister.child.once('close', cb)
    );
    await new Promise<void>((resolve, reject) => {
      // Once the TOC is read, the rest of the download is not needed here.
      lister.child.once('close', () => {
        plain.destroy();
        source.destroy();
        resolve();
      });
      pipeline(plain, sink).then(resolve, (error: Error) => (lister.exited ? resolve() : reject(error)));
    });
  } catch (error) {
    source.destroy();
    if (!lister.exited) lister.child.kill('SIGKILL');
    const to = m.encryption.keyFingerprints.length
      ? ` (encrypted to ${m.encryption.keyFingerprints.join(', ')})`
      : '';
    throw new Error(`decrypting ${where} failed: ${errorMessage(error)}${to}`);
  }
  try {
    await lister.done;
  } catch (error) {
    throw new Error(`${where} decrypts, but not to a pg_dump archive: ${errorMessage(error)}`);
  }
  return toc;
}

/** Pass 2: stream, re-check the hash, decrypt, hold the tail, pg_restore into `targetUrl`. */
async function streamRestore(
  o: RestoreOptions,
  pgRestore: PgBinary,
  targetUrl: string,
  extraArgs: string[]
): Promise<void> {
  const m = o.backup.manifest;
  const { dbname, env } = libpqConnection(targetUrl);
  const progress = new ProgressLogger({
    label: `restore ${m.id}`,
    log: l => o.logger.info(l),
    intervalMs: o.progressIntervalMs
  });
  const source: Readable = await o.store.read(archiveName(m.id));
  const hasher = new Sha256Stream(expectedOf(o.store, m), n => progress.set('downloaded', n));
  const restore = tracked(
    startProcess(pgRestore.path, [...PG_RESTORE_ARGS, ...extraArgs, `--dbname=${dbname}`], {
      env,
      stdin: 'pipe',
      stdout: 'ignore',
      label: 'pg_restore'
    }),
    'pg_restore'
  );
  restore.child.stdin!.on('error', () => undefined);
  // Large chunks into the decryption: HTTP bodies arrive in ~16 KiB reads, and each chunk costs (per call
  // in our decryption, far more in openpgp.js's Web Streams for AEAD messages).
  const hashing = pipeline(source, coalesce(1 << 20), hasher);
  hashing.catch(() => undefined);
  try {
    const plain = await o.decryptor.decrypt(hasher);
    // Archives compressed in pg_dump's format reach pg_restore inflated: node inflates on the thread pool while
    // pg_restore sends rows (a lone pg_restore would inflate on its own thread between them).
    const inflated = m.compression === 'openpgp-zip' ? [] : [new ArchiveInflater()];
    await pipeline([plain, ...inflated, holdTail(HELD_TAIL_BYTES), restore.child.stdin!]);
  } catch (error) {
    // pg_restore never got the whole archive: killing it rolls its transaction back.
    restore.child.kill('SIGKILL');
    await restore.done.catch(() => undefined);
    // A finished hash names the real cause (a changed byte); an unfinished one is abandoned.
    const hashError =
      hasher.digest !== undefined
        ? await hashing.then(
            () => undefined,
            (e: Error) => e
          )
        : undefined;
    source.destroy();
    hasher.destroy();
    throw hashError ?? error;
  }
  await hashing;
  await restore.done;
  progress.print('(restored)');
}

export async function pgRestoreFor(targetUrl: string, m: Manifest): Promise<PgBinary> {
  const target = await serverVersion(targetUrl);
  const dumper = parsePgVersion(`(PostgreSQL) ${m.pgDumpVersion}`)?.major ?? 0;
  // pg_restore must read the dumper's archive format and speak to the target server.
  return findPgBinary('pg_restore', { serverMajor: Math.max(target.major, dumper) });
}

export interface RestorePhases {
  /** Download and checksum; with jobs 1 the first of two passes (it also reads the key and the TOC). */
  downloadMs: number;
  /** What the decryption took past the last byte downloaded (jobs > 1); with jobs 1 it streams into pg_restore. */
  decryptMs?: number;
  /** pg_restore; with jobs 1 the second pass (download, decrypt and restore in one stream). */
  pgRestoreMs: number;
}

export interface RestoreResult {
  restoreMs: number;
  tables: string[];
  /** The pg_restore --jobs used (1: streamed). */
  jobs: number;
  phases: RestorePhases;
}

/**
 * Proves the archive (size, SHA-256, key, table of contents), then calls `beforeRestore` (verify creates its
 * scratch database there: nothing is created for an archive that fails) and restores into `targetUrl`:
 * with jobs > 1 from a temporary file by pg_restore --jobs, else streamed into one pg_restore.
 */
export async function proveAndRestore(
  o: RestoreOptions,
  /** The pg_restore to use, or its search with the target's checks: a parallel restore downloads meanwhile. */
  pgRestoreReady: PgBinary | Promise<PgBinary>,
  targetUrl: string,
  beforeRestore: () => Promise<void>,
  streamedArgs: string[],
  /** Restore mode: a parallel restore that fails is undone (it cannot be one transaction). */
  undoPartial = false
): Promise<{ toc: string; jobs: number; phases: RestorePhases }> {
  const m = o.backup.manifest;
  const jobs = o.jobs ?? 1;
  const needed = decryptedBytes(m);
  if (jobs > 1 && needed === undefined)
    o.logger.notice(
      `backup ${m.id} does not record the size of its decrypted archive (taken before 2026-12-01): restoring with jobs 1 (streamed, no temporary file) instead of ${jobs}`
    );
  if (jobs > 1 && needed !== undefined) {
    const base = o.tempDir ?? tmpdir();
    // A refused target says so first, even when the disk is short too.
    await requireFreeSpace(base, needed, `the decrypted archive of ${m.id}`).catch(async (error: unknown) => {
      await pgRestoreReady;
      throw error;
    });
    return withPrivateDir(base, async dir => {
      const { decrypted: d, pgRestore } = await decryptWhileChecking(
        signal =>
          decryptToFile(
            {
              store: o.store,
              manifest: m,
              decryptor: o.decryptor,
              logger: o.logger,
              progressIntervalMs: o.progressIntervalMs,
              signal
            },
            join(dir, `${m.id}.dump`)
          ),
        pgRestoreReady
      );
      const toc = await listArchive(pgRestore, d.file, o.store.keyOf(archiveName(m.id)));
      cancellation.throwIfCancelled();
      await beforeRestore();
      const started = Date.now();
      if (undoPartial)
        await undoingPartialRestore(targetUrl, () => parallelRestore(pgRestore, d.file, targetUrl, jobs));
      else await parallelRestore(pgRestore, d.file, targetUrl, jobs);
      o.logger.info(
        `restore ${m.id}: pg_restore --jobs=${jobs} done in ${formatDuration(Date.now() - started)}`
      );
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
  cancellation.throwIfCancelled();
  await beforeRestore();
  await streamRestore(o, pgRestore, targetUrl, streamedArgs);
  return { toc, jobs: 1, phases: { downloadMs: checked - started, pgRestoreMs: Date.now() - checked } };
}

/**
 * Runs the download and decryption into the temporary file beside the target's checks (an empty database, a
 * pg_restore that reads the archive), which take a tenth of a second that way instead of before it; a refused
 * target stops the download, and the file is not left half-written for the caller's clean-up.
 */
async function decryptWhileChecking(
  decrypt: (signal: AbortSignal) => Promise<DecryptedFile>,
  checks: PgBinary | Promise<PgBinary>
): Promise<{ decrypted: DecryptedFile; pgRestore: PgBinary }> {
  const refused = new AbortController();
  const decrypting = decrypt(refused.signal);
  const checking = Promise.resolve(checks).catch((error: unknown) => {
    refused.abort();
    throw error;
  });
  const [decrypted, pgRestore] = await Promise.allSettled([decrypting, checking]);
  if (pgRestore.status === 'rejected') throw pgRestore.reason;
  if (decrypted.status === 'rejected') throw decrypted.reason;
  return { decrypted: decrypted.value, pgRestore: pgRestore.value };
}

/**
 * `mode: restore`: into an empty database, after the archive is proven. Streamed (jobs 1), it is one
 * transaction; pg_restore --jobs cannot be, so a parallel restore that fails midway is undone by dropping what it
 * created (undoPartialRestore).
 */
export async function restoreBackup(o: RestoreOptions & { targetUrl: string }): Promise<RestoreResult> {
  const started = Date.now();
  const checks = (async () => {
    const existing = await userTables(o.targetUrl);
    if (existing.length > 0)
      throw new Error(
        `target ${describeDatabase(o.targetUrl)} already has ${existing.length} table(s) (${existing.slice(0, 5).join(', ')}${existing.length > 5 ? ', ...' : ''}); restore only into an empty database`
      );
    const pgRestore = await pgRestoreFor(o.targetUrl, o.backup.manifest);
    o.logger.info(
      `restore ${o.backup.id} into ${describeDatabase(o.targetUrl)} with ${pgRestore.path} ${pgRestore.version}${(o.jobs ?? 1) > 1 ? ` (jobs ${o.jobs})` : ''}`
    );
    return pgRestore;
  })();
  checks.catch(() => undefined); // awaited by proveAndRestore; an earlier failure there must not leave it unhandled
  const r = await proveAndRestore(
    o,
    checks,
    o.targetUrl,
    async () => undefined,
    ['--single-transaction'],
    true
  );
  return { restoreMs: Date.now() - started, tables: tocTables(r.toc), jobs: r.jobs, phases: r.phases };
}

/**
 * Runs a parallel restore into `targetUrl`; when it fails or is cancelled, drops what it created (after
 * pg_restore has exited: the one cancellation path runs undo steps once the children are gone).
 */
async function undoingPartialRestore(targetUrl: string, restore: () => Promise<void>): Promise<void> {
  const before = await catalogSnapshot(targetUrl);
  const where = describeDatabase(targetUrl);
  let left: string[] = [];
  const undo = cancellation.addUndo(`drop what the partial restore created in ${where}`, async () => {
    left = await dropAddedSince(targetUrl, before);
    if (left.length) throw new Error(left.join('; '));
  });
  try {
    await restore();
    undo.dismiss();
  } catch (error) {
    await undo.run();
    const after = left.length
      ? `; dropping what it had created failed, left in ${where}: ${left.join('; ')}`
      : `; what it had created in ${where} was dropped (pg_restore --jobs cannot run in one transaction)`;
    throw new Error(`${errorMessage(error)}${after}`);
  }
}
