/**
 * The retention rule of DESIGN.md as a pure function, in UTC: among complete backups, keep the newest of
 * each of the `keepDaily` most recent days that have one and the newest of each of the `keepMonthly` most
 * recent months that have one; always keep the newest backup; everything else is deleted. Only days and
 * months that contain a backup are counted, so a missed night reaches one day further back (restic's
 * semantics, without its "keep the oldest too" extra).
 */
export interface RetentionPolicy {
  keepDaily: number;
  keepMonthly: number;
}

export interface Dated {
  id: string;
  /** The backup's start time. */
  time: Date;
}

export interface RetentionDecision<T extends Dated = Dated> {
  backup: T;
  keep: boolean;
  /** Why it is kept (`newest`, `daily 2026-11-25`, `monthly 2026-11`); empty when deleted. */
  reasons: string[];
}

const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const monthOf = (d: Date) => d.toISOString().slice(0, 7);

/** Decisions for every backup, newest first. Ties in time are broken by id so the result is deterministic. */
export function planRetention<T extends Dated>(
  backups: readonly T[],
  policy: RetentionPolicy
): RetentionDecision<T>[] {
  if (!Number.isInteger(policy.keepDaily) || policy.keepDaily < 0)
    throw new Error('keepDaily must be a whole number >= 0');
  if (!Number.isInteger(policy.keepMonthly) || policy.keepMonthly < 0)
    throw new Error('keepMonthly must be a whole number >= 0');
  const sorted = [...backups].sort(
    (a, b) => b.time.getTime() - a.time.getTime() || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0)
  );
  const seenDays = new Set<string>();
  const seenMonths = new Set<string>();
  return sorted.map((backup, index) => {
    const reasons: string[] = [];
    if (index === 0) reasons.push('newest');
    // Walking newest first, the first backup met in a bucket is that bucket's newest.
    const day = dayOf(backup.time);
    if (!seenDays.has(day)) {
      seenDays.add(day);
      if (seenDays.size <= policy.keepDaily) reasons.push(`daily ${day}`);
    }
    const month = monthOf(backup.time);
    if (!seenMonths.has(month)) {
      seenMonths.add(month);
      if (seenMonths.size <= policy.keepMonthly) reasons.push(`monthly ${month}`);
    }
    return { backup, keep: reasons.length > 0, reasons };
  });
}

/** Archives without a manifest: deleted only when older than `graceMs` (24 h), as younger ones may be in progress. */
export function staleIncomplete<T extends Dated>(
  archives: readonly T[],
  now: Date,
  graceMs = 24 * 3600_000
): T[] {
  return archives.filter(a => now.getTime() - a.time.getTime() > graceMs);
}
