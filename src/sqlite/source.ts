import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type { S3StoreOptions } from '../backup/s3-store.js';
import { errorMessage } from '../kit/errors.js';

/** Where the SQLite database comes from: a path, `file:///abs/path`, or `s3://bucket/key` in the backup storage. */
export type SqliteLocation = { kind: 'path'; path: string } | { kind: 's3'; bucket: string; key: string };

/** Parses the `sqlite` input; throws a plain message (the glue names the input). */
export function parseSqliteLocation(text: string, cwd = process.cwd()): SqliteLocation {
  if (/^s3:\/\//i.test(text)) {
    const u = new URL(text);
    const key = decodeURIComponent(u.pathname).replace(/^\/+/, '');
    if (!u.hostname) throw new Error('names no bucket (expected s3://bucket/key)');
    if (!key || key.endsWith('/'))
      throw new Error('must name an object, not a folder (s3://bucket/path/app.db)');
    return { kind: 's3', bucket: u.hostname, key };
  }
  if (/^file:/i.test(text)) {
    let path: string;
    try {
      path = fileURLToPath(text);
    } catch (error) {
      throw new Error(`must be file:///absolute/path: ${errorMessage(error)}`);
    }
    return { kind: 'path', path };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text))
    throw new Error(`must be a path, file:///... or s3://bucket/key, got '${text.split(':')[0]}://'`);
  return { kind: 'path', path: resolve(cwd, text) };
}

export function describeLocation(loc: SqliteLocation): string {
  return loc.kind === 's3' ? `s3://${loc.bucket}/${loc.key}` : loc.path;
}

/** A local copy of the database: the file itself, or an S3 object downloaded to a private temp dir. */
export interface LocalSqlite {
  path: string;
  /** Bytes downloaded (0 for a local file). */
  downloadedBytes: number;
  /** Removes the downloaded copy (nothing for a local file). Idempotent. */
  remove(): void;
}

export async function fetchSqlite(
  loc: SqliteLocation,
  s3: Omit<S3StoreOptions, 'bucket' | 'prefix'>,
  signal?: AbortSignal
): Promise<LocalSqlite> {
  if (loc.kind === 'path') return { path: loc.path, downloadedBytes: 0, remove: () => undefined };
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  const { createS3Client, s3Error } = await import('../backup/s3-store.js');
  const client = createS3Client({ ...s3, bucket: loc.bucket, prefix: '' });
  const dir = mkdtempSync(join(tmpdir(), 'import-sqlite-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const path = join(dir, basename(loc.key) || 'source.db');
  try {
    let body: Readable;
    try {
      const r = await client.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key }), {
        abortSignal: signal
      });
      body = r.Body as Readable;
    } catch (error) {
      throw s3Error(`GetObject s3://${loc.bucket}/${loc.key}`, error);
    }
    const out = createWriteStream(path, { mode: 0o600 });
    await pipeline(body, out, { signal });
    return { path, downloadedBytes: out.bytesWritten, remove };
  } catch (error) {
    remove();
    throw error;
  } finally {
    client.destroy();
  }
}
