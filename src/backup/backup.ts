import type { ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '../kit/log.js';
import { ProgressLogger } from '../kit/progress.js';
import { findPgBinary, requireClientForServer } from '../postgres/binaries.js';
import { connectClient, queryDatabaseBytes, queryServerVersion } from '../postgres/server.js';
import { cancellation } from '../kit/cancellation.js';
import { databaseName, describeDatabase, libpqConnection } from '../postgres/url.js';
import { ArchiveCompressor, NEWEST_COMPRESSIBLE_PG_DUMP } from './archive-compress.js';
import type { Encryptor } from './crypto.js';
import { archiveName, manifestName, uniqueBackupId } from './id.js';
import type { Manifest } from './manifest.js';
import { startProcess } from './process.js';
import { tableRowCounts } from './rowcounts.js';
import { counter, endGate, Sha256Stream } from './streams.js';
import type { BackupStore } from './storage.js';

export interface BackupOptions {
  databaseUrl: string;
  store: BackupStore;
  encryptor: Encryptor;
  logger: Logger;
  now?: () => Date;
  progressIntervalMs?: number;
  /** Sees pg_dump once it runs (tests kill it mid-stream). */
  onDumpStarted?: (child: ChildProcess) => void;
}

export interface BackupResult {
  manifest: Manifest;
  durationMs: number;
}

/**
 * One streaming pipeline, nothing on disk, memory bounded by the upload's part buffers:
 *   pg_dump -Fc (in an exported snapshot) -> OpenPGP encrypt -> SHA-256 -> store.upload
 * then HeadObject-style size check, then the manifest, last. Any failure kills pg_dump, aborts the upload
 * and writes no manifest, so nothing that looks complete is left behind.
 */
export async function runBackup(o: BackupOptions): Promise<BackupResult> {
  const now = o.now ?? (() => new Date());
  const startedAt = now();
  // Unique per run (milliseconds + random suffix): concurrent backups to one prefix never share a name.
  const id = uniqueBackupId(startedAt);
  const name = archiveName(id);
  const log = o.logger;

  // Everything before pg_dump starts is latency the backup pays for, so the checks run side by side: the
  // id is free; the server's version (on the connection that will export the snapshot) against pg_dump's;
  // the session key (openpgp.js S2K and key packets) for the stream pg_dump will feed.
  const plain = new PassThrough({ highWaterMark: 1 << 20 });
  const encrypting = o.encryptor.encrypt(plain, `${id}.dump`);
  encrypting.catch(() => undefined);
  // The snapshot keeps the row counts consistent with the dump; it must stay open until pg_dump has it.
  // A connection the server drops mid-dump (pg_terminate_backend, a restart) fails the backup with its message.
  let connectionLost: Error | undefined;
  let teardown: ((error: Error) => void) | undefined;
  const connecting = connectClient(o.databaseUrl, {
    applicationName: 'backup',
    onError: error => {
      connectionLost ??= error;
      teardown?.(error);
    }
  });
  connecting.catch(() => undefined);
  let client: Awaited<typeof connecting> | undefined;
  let archiveStored = false;
  try {
    const [taken, [server, databaseBytes], pgDump] = await Promise.all([
      // Credentials and write access first (one clear line naming what to fix), then whether the id is taken.
      Promise.resolve(o.store.checkAccess?.(name))
        .then(() => Promise.all([o.store.head(name), o.store.head(manifestName(id))]))
        .then(found => found.some(Boolean)),
      connecting.then(c => {
        client = c;
        return Promise.all([queryServerVersion(c), queryDatabaseBytes(c)]);
      }),
      findPgBinary('pg_dump')
    ]);
    if (taken)
      throw new Error(`backup ${id} already exists in ${o.store.location}; is another backup running?`);
    cancellation.throwIfCancelled();
    requireClientForServer('pg_dump', pgDump, server.major);
    // Ready long since (it ran beside the checks); awaited before pg_dump starts, so a failure here leaves
    // no dump running.
    const encrypted = await encrypting;
    log.info(
      `backup ${id}: ${describeDatabase(o.databaseUrl)} (PostgreSQL ${server.version}) with ${pgDump.path} ${pgDump.version}`
    );
    log.info(`backup ${id}: writing ${o.store.keyOf(name)} (${o.encryptor.method} encryption)`);

    await client!.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = (await client!.query<{ s: string }>('SELECT pg_export_snapshot() AS s')).rows[0]!.s;
    const { dbname, env } = libpqConnection(o.databaseUrl);
    const compression = compressionFor(o.encryptor, pgDump.major);
    const dump = startProcess(
      pgDump.path,
      [
        '--format=custom',
        ...(compression === 'pg_dump' ? [] : ['--compress=0']),
        `--snapshot=${snapshot}`,
        '--no-password',
        `--dbname=${dbname}`
      ],
      { env, label: 'pg_dump' }
    );
    o.onDumpStarted?.(dump.child);
    const counts = tableRowCounts(client!);
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
    const dumping = pipeline(
      dump.child.stdout!,
      counter(n => progress.set('dumped', n)),
      ...(compression === 'archive-zlib' ? [new ArchiveCompressor()] : []),
      counter(n => (dumpBytes = n)),
      endGate(() => dump.done),
      plain
    );
    const hashing = pipeline(encrypted, hasher);
    // The archive (the dump, deflated) stays well under twice the database's size on disk: that bounds the
    // stream for the multipart part size. Were it ever exceeded, the upload fails at S3's 10,000 parts.
    const uploading = o.store.upload(name, hasher, 2 * databaseBytes);

    let firstFailure: Error | undefined = connectionLost;
    let killedByUs = false;
    teardown = (error: Error) => {
      firstFailure ??= error;
      if (!dump.exited) {
        killedByUs = true;
        dump.child.kill('SIGKILL');
      }
      plain.destroy(error);
      hasher.destroy(error);
    };
    if (connectionLost) teardown(connectionLost);
    uploading.catch(error => teardown!(error as Error));
    dumping.catch(error => teardown!(error as Error));
    const [dumped, hashed, uploaded, exited] = await Promise.allSettled([
      dumping,
      hashing,
      uploading,
      dump.done
    ]);
    // The root cause first: pg_dump's own failure beats the stream errors it caused downstream, unless we
    // killed it because the upload (or the stream) failed first.
    if (cancellation.cancelled) throw cancellation.signal.reason;
    if (exited.status === 'rejected' && !killedByUs) throw exited.reason;
    if (firstFailure) throw firstFailure;
    for (const r of [exited, uploaded, dumped, hashed]) if (r.status === 'rejected') throw r.reason;

    // Stored whole, but not a backup until the manifest is written: anything failing before that removes it.
    archiveStored = true;
    const removeArchive = cancellation.addUndo(
      `remove archive ${o.store.keyOf(name)} (no manifest yet)`,
      () => o.store.remove(name)
    );
    const sizeBytes = hasher.bytes;
    const stored = await o.store.head(name);
    if (!stored || stored.size !== sizeBytes) {
      throw new Error(
        `${o.store.keyOf(name)} holds ${stored?.size ?? 'no'} bytes after the upload, expected ${sizeBytes}`
      );
    }
    const tables = await counts;
    await client!.query('COMMIT');
    if (connectionLost) throw connectionLost;
    progress.print('(archive stored)');

    const manifest: Manifest = {
      version: 1,
      id,
      startedAt: startedAt.toISOString(),
      completedAt: now().toISOString(),
      database: databaseName(o.databaseUrl),
      serverVersion: server.version,
      pgDumpVersion: pgDump.version,
      format: 'pg_dump-custom',
      compression,
      objectKey: o.store.keyOf(name),
      sizeBytes,
      dumpBytes,
      sha256: hasher.digest!,
      encryption: { method: o.encryptor.method, keyFingerprints: o.encryptor.keyFingerprints },
      source: { host: describeDatabase(o.databaseUrl), tables }
    };
    cancellation.throwIfCancelled();
    // Conditional: never replaces a manifest another run wrote (the id is unique; this is the last guard).
    await o.store.putText(manifestName(id), `${JSON.stringify(manifest, null, 2)}\n`, { ifAbsent: true });
    removeArchive.dismiss();
    archiveStored = false;
    log.info(`backup ${id}: complete (manifest ${o.store.keyOf(manifestName(id))})`);
    return { manifest, durationMs: now().getTime() - startedAt.getTime() };
  } catch (error) {
    if (archiveStored) await o.store.remove(name).catch(() => undefined);
    throw error;
  } finally {
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
export function compressionFor(
  encryptor: Encryptor,
  pgDumpMajor: number
): NonNullable<Manifest['compression']> {
  if (encryptor.compressionLevel !== undefined) return 'openpgp-zip';
  return pgDumpMajor <= NEWEST_COMPRESSIBLE_PG_DUMP ? 'archive-zlib' : 'pg_dump';
}
