/** Backup ids are the UTC start time, `YYYYMMDDTHHMMSSZ`: sortable, and readable in a bucket listing. */
export const BACKUP_ID_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export function backupIdFor(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** The start time encoded in an id, or undefined when `id` is not one. */
export function parseBackupId(id: string): Date | undefined {
  const m = BACKUP_ID_PATTERN.exec(id);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  return backupIdFor(d) === id ? d : undefined;
}

export const archiveName = (id: string) => `${id}.dump.pgp`;
export const manifestName = (id: string) => `${id}.json`;
