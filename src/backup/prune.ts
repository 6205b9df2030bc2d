import type { Logger } from '../kit/log.js';
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

/** What the nightly backup's retention step did. */
export type RetentionOutcome =
  | { kind: 'pruned'; policy: RetentionPolicy; result: PruneResult }
  | { kind: 'failed'; error: string }
  | { kind: 'skipped' };

/**
 * Retention right after a backup (`protect`: the backup just taken). The backup is stored: a failing prune is a
 * warning, not a failed backup (the next run prunes again).
 */
export async function pruneAfterBackup(
  store: BackupStore,
  policy: RetentionPolicy,
  opts: { dryRun: boolean; logger: Logger; protect: string }
): Promise<RetentionOutcome> {
  try {
    return { kind: 'pruned', policy, result: await pruneBackups(store, policy, opts) };
  } catch (error) {
    opts.logger.warning(`Backup ${opts.protect} is stored, but retention failed: ${errorMessage(error)}`);
    return { kind: 'failed', error: errorMessage(error) };
  }
}
