import type { EncryptionMethod } from './crypto.js';
import { parseBackupId } from './id.js';
import { errorMessage } from '../kit/errors.js';

/** Row count of one table at backup time; `exact: false` means pg_class.reltuples (large tables). */
export interface TableRows {
  name: string;
  rows: number;
  exact: boolean;
}

/** DESIGN.md's manifest: written last, it is what makes a backup complete. */
export interface Manifest {
  version: 1;
  id: string;
  startedAt: string;
  completedAt: string;
  database: string;
  serverVersion: string;
  pgDumpVersion: string;
  format: 'pg_dump-custom';
  /**
   * Where the archive's data was compressed: in the archive's data blocks as pg_dump --compress=6 writes them,
   * by the action on every core (`archive-zlib`, since 2026-12-02; pg_dump ran with --compress=0); inside the
   * OpenPGP message (`openpgp-zip`, ZIP on every core, from 2026-11-25); or by pg_dump itself. Whichever,
   * `gpg --decrypt | pg_restore` reads it. Absent before 2026-11-25.
   */
  compression?: 'archive-zlib' | 'openpgp-zip' | 'pg_dump';
  objectKey: string;
  sizeBytes: number;
  /** The message's plaintext, the archive as stored: what a restore's temporary file needs. Absent before 2026-12-01. */
  dumpBytes?: number;
  /** Hex SHA-256 of the stored (encrypted) bytes. */
  sha256: string;
  encryption: { method: EncryptionMethod; keyFingerprints: string[] };
  source: { host: string; tables: TableRows[] };
}

/** Parses and checks a manifest; a malformed one is reported with the object it came from. */
export function parseManifest(text: string, where: string): Manifest {
  let m: Partial<Manifest>;
  try {
    m = JSON.parse(text) as Partial<Manifest>;
  } catch (error) {
    throw new Error(`manifest ${where} is not JSON: ${errorMessage(error)}`);
  }
  const problems: string[] = [];
  if (m.version !== 1) problems.push(`version ${String(m.version)} (expected 1)`);
  if (typeof m.id !== 'string' || !parseBackupId(m.id)) problems.push('id');
  if (typeof m.sizeBytes !== 'number' || m.sizeBytes < 0) problems.push('sizeBytes');
  if (typeof m.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.sha256)) problems.push('sha256');
  if (m.format !== 'pg_dump-custom') problems.push('format');
  if (!m.encryption || (m.encryption.method !== 'passphrase' && m.encryption.method !== 'public-key'))
    problems.push('encryption.method');
  if (problems.length) throw new Error(`manifest ${where} is invalid: ${problems.join(', ')}`);
  return { ...m, source: { host: m.source?.host ?? '', tables: m.source?.tables ?? [] } } as Manifest;
}
