/**
 * Which PostgreSQL client major to run against which server, so a dump restores and a restore runs:
 * - dump: pg_dump refuses servers newer than itself, and an archive from a newer pg_dump needs that newer
 *   pg_restore later; the server's own major is the pairing that restores anywhere the data came from.
 * - restore: pg_restore must be at least the archive's pg_dump major (older ones cannot read newer archive
 *   versions), and otherwise the target server's own major: pg_restore 17+ sends `SET transaction_timeout = 0`,
 *   which 16 and older reject (with --exit-on-error the restore stops on it). A pairing that cannot avoid that
 *   is refused with one line.
 */
export type ClientPurpose = 'dump' | 'restore';

export interface ClientChoice {
  major: number;
  /** Debian/PGDG package providing it. */
  package: string;
}

/** 150018 -> 15, 90624 -> 9 (9.6: majors below 10 have two parts; pg_dump of this project needs 10+). */
export function majorFromVersionNum(versionNum: number): number {
  if (!Number.isInteger(versionNum) || versionNum < 100000)
    throw new Error(`server_version_num ${versionNum}: PostgreSQL 10 or newer is required`);
  return Math.floor(versionNum / 10000);
}

/** The first client major whose pg_restore sends `SET transaction_timeout` (a PostgreSQL 17 setting). */
const SENDS_TRANSACTION_TIMEOUT = 17;

export function clientFor(
  purpose: ClientPurpose,
  serverMajor: number,
  archivePgDumpMajor?: number
): ClientChoice {
  const major =
    purpose === 'restore' ? Math.max(serverMajor, archivePgDumpMajor ?? serverMajor) : serverMajor;
  if (purpose === 'restore' && major >= SENDS_TRANSACTION_TIMEOUT && serverMajor < SENDS_TRANSACTION_TIMEOUT)
    throw new Error(
      `the archive was written by pg_dump ${archivePgDumpMajor}, which only pg_restore ${major}+ reads, and pg_restore ${major} sets transaction_timeout, which PostgreSQL ${serverMajor} rejects: restore into PostgreSQL ${major} or newer`
    );
  return { major, package: `postgresql-client-${major}` };
}
