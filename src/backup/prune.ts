import { formatBytes } from '../kit/bytes.js';
import type { Logger } from '../kit/log.js';
import { table } from '../kit/markdown.js';
import { errorMessage } from '../kit/errors.js';
import { readCatalog, type CompleteBackup, type CorruptBackup, type IncompleteBackup } from './catalog.js';
import { archiveName, manifestName } from './id.js';
import { planRetention, staleIncomplete, type RetentionDecision, type RetentionPolicy } from './retention.js';
import type { BackupStore } from './storage.js';

export interface PruneResult {
  decisions: RetentionDecision<CompleteBackup>[];
  stale: IncompleteBackup[];
  /** Backups whose manifest cannot be trusted: reported, never deleted. */
  corrupt: CorruptBackup[];
  /** Open multipart uploads / partial files of interrupted runs older than 24 h, removed (or that would be). */
  leftovers: string[];
  /** Ids deleted (or that would be, with dryRun). */
  deleted: string[];
  kept: number;
  dryRun: boolean;
}

/** Leftovers of interrupted runs younger than this may belong to a run still in progress. */
export const STALE_AFTER_MS = 24 * 3600_000;

/** `3d 4h`, `25m`: how old a backup is. */
export function formatAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : `${m}m`;
}

/** The keep/delete table, newest first, with the reason each backup is kept. */
export function pruneTable(result: PruneResult, now: Date): string {
  const rows = result.decisions.map(d => [
    d.backup.id,
    formatAge(now.getTime() - d.backup.time.getTime()),
    formatBytes(d.backup.manifest.sizeBytes),
    d.keep ? 'keep' : result.dryRun ? 'would delete' : 'delete',
    d.keep ? d.reasons.join(', ') : 'not the newest of a kept day or month'
  ]);
  for (const s of result.stale)
    rows.push([
      s.id,
      formatAge(now.getTime() - s.time.getTime()),
      formatBytes(s.size),
      result.dryRun ? 'would delete' : 'delete',
      `incomplete (${s.problem}) for over 24 h`
    ]);
  for (const c of result.corrupt)
    rows.push([c.id, formatAge(now.getTime() - c.time.getTime()), '-', 'keep', `CORRUPT: ${c.problem}`]);
  for (const l of result.leftovers)
    rows.push(['-', '-', '-', result.dryRun ? 'would remove' : 'remove', `left by an interrupted run: ${l}`]);
  return table(['backup', 'age', 'size', 'decision', 'reason'], rows);
}

/**
 * Applies the retention rule to the folder. Deletes the manifest before the archive, so an interrupted
 * prune leaves an incomplete backup (ignored, cleaned up later), never something that looks complete.
 */
export async function pruneBackups(
  store: BackupStore,
  policy: RetentionPolicy,
  opts: {
    dryRun: boolean;
    logger: Logger;
    now?: Date;
    /** Never deleted: the backup this run just took. */ protect?: string;
  }
): Promise<PruneResult> {
  const now = opts.now ?? new Date();
  const catalog = await readCatalog(store);
  const decisions = planRetention(catalog.complete, policy).map(d =>
    d.backup.id === opts.protect && !d.keep ? { ...d, keep: true, reasons: ['taken by this run'] } : d
  );
  const stale = staleIncomplete(catalog.incomplete, now);
  const leftovers = await store.staleLeftovers(new Date(now.getTime() - STALE_AFTER_MS));
  const result: PruneResult = {
    decisions,
    stale,
    corrupt: catalog.corrupt,
    leftovers: leftovers.map(l => l.what),
    deleted: [],
    kept: decisions.filter(d => d.keep).length,
    dryRun: opts.dryRun
  };
  for (const c of catalog.corrupt)
    opts.logger.warning(`prune: kept ${c.id}, whose manifest cannot be trusted: ${c.problem}`);
  for (const d of decisions.filter(x => !x.keep)) {
    result.deleted.push(d.backup.id);
    if (opts.dryRun) continue;
    await store.remove(manifestName(d.backup.id));
    await store.remove(archiveName(d.backup.id));
    opts.logger.info(`prune: deleted ${d.backup.id}`);
  }
  for (const s of stale) {
    result.deleted.push(s.id);
    if (opts.dryRun) continue;
    await store.remove(manifestName(s.id));
    await store.remove(archiveName(s.id));
    opts.logger.info(`prune: deleted incomplete ${s.id} (${s.problem})`);
  }
  for (const l of leftovers) {
    if (opts.dryRun) continue;
    // One leftover that cannot be removed must not stop the others (the next run tries again).
    await l.remove().then(
      () => opts.logger.info(`prune: removed ${l.what}`),
      (error: unknown) => opts.logger.warning(`prune: could not remove ${l.what}: ${errorMessage(error)}`)
    );
  }
  return result;
}

/** `mode: list`: complete backups (id, size, age) and the incomplete ones. */
export function listTables(
  catalog: { complete: CompleteBackup[]; incomplete: IncompleteBackup[]; corrupt: CorruptBackup[] },
  now: Date
): string {
  const parts = [
    table(
      ['backup', 'size', 'age', 'encryption', 'database'],
      catalog.complete.map(b => [
        b.id,
        formatBytes(b.manifest.sizeBytes),
        formatAge(now.getTime() - b.time.getTime()),
        b.manifest.encryption.method,
        b.manifest.database
      ])
    )
  ];
  if (catalog.incomplete.length)
    parts.push(
      table(
        ['incomplete', 'problem', 'size', 'age'],
        catalog.incomplete.map(b => [
          b.id,
          b.problem,
          formatBytes(b.size),
          formatAge(now.getTime() - b.time.getTime())
        ])
      )
    );
  if (catalog.corrupt.length)
    parts.push(
      table(
        ['corrupt', 'manifest', 'problem', 'age'],
        catalog.corrupt.map(b => [
          b.id,
          b.manifestKey,
          b.problem,
          formatAge(now.getTime() - b.time.getTime())
        ])
      )
    );
  return parts.join('\n\n');
}
