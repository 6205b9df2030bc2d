import { randomBytes } from 'node:crypto';

/**
 * Backup ids are the UTC start time: sortable, and readable in a bucket listing.
 * - current form `YYYYMMDDTHHMMSS.mmmZ-xxxxxx` (milliseconds and 24 random bits): two runs started in the same
 *   millisecond still get different ids, so concurrent backups of one database to one prefix never share a name;
 * - older form `YYYYMMDDTHHMMSSZ` (one-second granularity, before 2026-12): still read, listed and restored.
 */
export const BACKUP_ID_PATTERN =
  /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:\.(\d{3})Z-([0-9a-f]{6})|Z)$/;

/** The older, one-second id of a start time (kept for reading, and for tests that seed old backups). */
export function backupIdFor(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** A new backup's id: start time to the millisecond plus a random suffix. */
export function uniqueBackupId(date: Date, suffix: string = randomBytes(3).toString('hex')): string {
  return `${date.toISOString().replace(/[-:]/g, '')}-${suffix}`;
}

/** The start time encoded in an id (either form), or undefined when `id` is not one. */
export function parseBackupId(id: string): Date | undefined {
  const m = BACKUP_ID_PATTERN.exec(id);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, m[7] ? +m[7] : 0));
  const canonical = m[7] ? uniqueBackupId(d, m[8]) : backupIdFor(d);
  return canonical === id ? d : undefined;
}

/** Newest first: by start time, then by id (two ids of one instant still have one fixed order). */
export function newestFirst(a: { id: string; time: Date }, b: { id: string; time: Date }): number {
  const dt = b.time.getTime() - a.time.getTime();
  return dt !== 0 ? dt : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export const archiveName = (id: string) => `${id}.dump.pgp`;
export const manifestName = (id: string) => `${id}.json`;
