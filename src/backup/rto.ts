import { formatDuration } from '../kit/duration.js';
import type { RestoreResult } from './restore.js';

/**
 * The restore time (RTO) split by phase for the summary and the log: `12.3s (download 1.0s, decrypt 0.4s,
 * pg_restore --jobs=2 10.9s)`. Streamed (jobs 1), decryption happens inside the pg_restore pass.
 */
export function describeRto(r: Pick<RestoreResult, 'restoreMs' | 'jobs' | 'phases'>): string {
  const p = r.phases;
  const parts =
    r.jobs > 1
      ? [
          `download and checksum ${formatDuration(p.downloadMs)}`,
          `decrypt ${formatDuration(p.decryptMs ?? 0)} past the download`,
          `pg_restore --jobs=${r.jobs} ${formatDuration(p.pgRestoreMs)}`
        ]
      : [
          `download, checksum and key check ${formatDuration(p.downloadMs)}`,
          `download, decrypt and pg_restore streamed ${formatDuration(p.pgRestoreMs)}`
        ];
  return `${formatDuration(r.restoreMs)} (${parts.join(', ')})`;
}
