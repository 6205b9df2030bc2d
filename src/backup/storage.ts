import type { Readable } from 'node:stream';

/** One object in the backup folder (names are relative to the prefix: `20261125T020000Z.json`). */
export interface StoredObject {
  name: string;
  size: number;
  lastModified: Date;
}

/**
 * Where backups live: an S3 prefix or a local directory. Writes of archives are streaming and atomic from a
 * reader's point of view (a multipart upload completes whole or not at all; a file is renamed into place).
 */
export interface BackupStore {
  /** `s3://bucket/prefix` or `file:///dir`: for logs and summaries. */
  readonly location: string;
  /** The object key or file path of `name`, as reported in outputs. */
  keyOf(name: string): string;
  /**
   * Streams `body` into `name`; rejects (leaving nothing under `name`) when the body or the write fails.
   * `maxBytes`, when known, bounds the body's size (an S3 store sizes its parts from it).
   */
  upload(name: string, body: Readable, maxBytes?: number): Promise<void>;
  /** Fails with one clear line unless `name` can be written here (credentials, bucket, permissions): before any work. */
  checkAccess?(name: string): Promise<void>;
  /** Size of `name`, or undefined when absent. */
  head(name: string): Promise<{ size: number } | undefined>;
  read(name: string): Promise<Readable>;
  /** Writes a small object; with `ifAbsent` it fails rather than replace an existing one. */
  putText(name: string, text: string, opts?: { ifAbsent?: boolean }): Promise<void>;
  getText(name: string): Promise<string>;
  list(): Promise<StoredObject[]>;
  remove(name: string): Promise<void>;
  /**
   * What interrupted runs left that no listing shows as a backup (S3: open multipart uploads of archives; file://:
   * `.partial-*` files) and that started before `before`: prune removes them (a younger one may still be running).
   */
  staleLeftovers(before: Date): Promise<StaleLeftover[]>;
}

export interface StaleLeftover {
  /** For logs and the summary. */
  what: string;
  remove(): Promise<void>;
}

export type StorageLocation =
  { kind: 's3'; bucket: string; prefix: string } | { kind: 'file'; directory: string };

/** `s3://bucket/a/b` -> bucket + `a/b/` (the prefix is a folder); `file:///srv/backups/app` -> that directory. */
export function parseStorageUrl(url: URL): StorageLocation {
  if (url.protocol === 's3:') {
    const bucket = url.hostname;
    if (!bucket) throw new Error('names no bucket (expected s3://bucket/prefix)');
    const path = decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, '');
    return { kind: 's3', bucket, prefix: path ? `${path}/` : '' };
  }
  if (url.protocol === 'file:') {
    if (url.hostname && url.hostname !== 'localhost')
      throw new Error('must be file:///absolute/path (no host)');
    const directory = decodeURIComponent(url.pathname).replace(/\/+$/, '');
    if (!directory) throw new Error('must name a directory, not /');
    return { kind: 'file', directory };
  }
  throw new Error(`must start with s3:// or file://, got '${url.protocol}//'`);
}
