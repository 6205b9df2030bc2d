import { formatBytes, formatRate } from '../kit/bytes.js';
import { formatDuration } from '../kit/duration.js';
import { details, facts, table } from '../kit/markdown.js';
import { describeDatabase } from '../postgres/url.js';
import type { Catalog, CompleteBackup } from './catalog.js';
import type { Manifest } from './manifest.js';
import type { PruneResult, RetentionOutcome } from './prune.js';
import type { RetentionPolicy } from './retention.js';
import type { RestoreResult } from './restore.js';
import { describeRto } from './rto.js';
import type { VerifyResult } from './verify.js';

// The job summary of every mode of the backup action, as Markdown sections (pure: the glue writes them).

/** `3d 4h`, `25m`: how old a backup is. */
export function formatAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : `${m}m`;
}

/** The keep/delete table, newest first, with the reason each backup is kept. */
export function retentionTable(result: PruneResult, now: Date): string {
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

/** `mode: list`: the complete backups (id, size, age), then the incomplete and the corrupt ones. */
export function backupListTables(catalog: Catalog, now: Date): string {
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

const heading = (text: string) => `## ${text}`;

function retentionLine(policy: RetentionPolicy, result: PruneResult): string {
  return `${policy.keepDaily} daily, ${policy.keepMonthly} monthly: kept ${result.kept}, ${result.dryRun ? 'would delete' : 'deleted'} ${result.deleted.length}`;
}

/** `mode: backup`. */
export function backupSummary(o: {
  manifest: Manifest;
  durationMs: number;
  databaseUrl: string;
  storeLocation: string;
  retention: RetentionOutcome;
  now: Date;
}): string[] {
  const m = o.manifest;
  const sections = [
    heading(`Backup ${m.id}`),
    facts([
      [
        'Database',
        `${describeDatabase(o.databaseUrl)} (PostgreSQL ${m.serverVersion}, pg_dump ${m.pgDumpVersion})`
      ],
      ['Storage', o.storeLocation],
      ['Object key', m.objectKey],
      ['Size', formatBytes(m.sizeBytes)],
      ['Duration', formatDuration(o.durationMs)],
      ['Throughput', formatRate(m.sizeBytes, o.durationMs)],
      ['SHA-256', `\`${m.sha256}\``],
      [
        'Encryption',
        `${m.encryption.method}${m.encryption.keyFingerprints.length ? ` (${m.encryption.keyFingerprints.join(', ')})` : ''}`
      ],
      ['Tables', m.source.tables.length]
    ])
  ];
  const r = o.retention;
  if (r.kind === 'skipped') sections.push('Retention skipped (`prune: false`).');
  else if (r.kind === 'failed') sections.push(`Retention failed (the backup is stored): ${r.error}`);
  else
    sections.push(
      details(
        `Retention (${r.policy.keepDaily} daily, ${r.policy.keepMonthly} monthly): kept ${r.result.kept}, ${r.result.dryRun ? 'would delete' : 'deleted'} ${r.result.deleted.length}${r.result.corrupt.length ? `, ${r.result.corrupt.length} CORRUPT kept` : ''}`,
        retentionTable(r.result, o.now)
      )
    );
  return sections;
}

/** `mode: prune`. */
export function pruneSummary(o: {
  storeLocation: string;
  policy: RetentionPolicy;
  result: PruneResult;
  now: Date;
}): string[] {
  return [
    heading(`Retention ${o.result.dryRun ? '(dry run) ' : ''}in ${o.storeLocation}`),
    `${retentionLine(o.policy, o.result)}.`,
    retentionTable(o.result, o.now)
  ];
}

/** `mode: list`. */
export function listSummary(o: { storeLocation: string; catalog: Catalog; now: Date }): string[] {
  return [heading(`Backups in ${o.storeLocation}`), backupListTables(o.catalog, o.now)];
}

/** `mode: restore`. */
export function restoreSummary(o: {
  backup: CompleteBackup;
  targetUrl: string;
  result: RestoreResult;
}): string[] {
  const m = o.backup.manifest;
  return [
    heading(`Restored ${o.backup.id}`),
    facts([
      ['Target', describeDatabase(o.targetUrl)],
      ['Backup', `${m.objectKey} (${formatBytes(m.sizeBytes)})`],
      ['Restore time (RTO)', describeRto(o.result)],
      ['Tables', o.result.tables.length]
    ])
  ];
}

/** The one line a failed drill fails its step with (also in its summary). */
export function drillFailure(backupId: string, r: VerifyResult): string | undefined {
  return r.failures.length ? `restore drill of ${backupId} failed: ${r.failures.join('; ')}` : undefined;
}

/** `mode: verify`: the drill's facts and its table checks; a failed drill says why first. */
export function verifySummary(o: {
  backup: CompleteBackup;
  serverUrl: string;
  query?: string;
  result: VerifyResult;
}): string[] {
  const m = o.backup.manifest;
  const r = o.result;
  const failure = drillFailure(o.backup.id, r);
  return [
    heading(`Restore drill ${o.backup.id}: ${failure ? 'FAILED' : 'passed'}`),
    ...(failure ? [failure] : []),
    facts([
      ['Backup', `${m.objectKey} (${formatBytes(m.sizeBytes)}, taken ${m.startedAt})`],
      ['Scratch database', `${r.scratchDatabase} on ${describeDatabase(o.serverUrl)} (dropped)`],
      [
        'Stale scratch databases dropped',
        r.staleDropped.length ? `${r.staleDropped.join(', ')} (left by killed drills)` : undefined
      ],
      ['Restore time (RTO)', describeRto(r)],
      ['Tables', `${r.tables.length} in the archive`],
      ['verify-query', o.query ? `${r.queryResult}` : undefined]
    ]),
    table(
      ['table', 'manifest rows', 'restored rows', 'result'],
      r.checks.map(c => [
        c.name,
        c.expected === undefined ? '-' : `${c.exact ? '' : '~'}${c.expected}`,
        c.actual ?? '-',
        c.ok ? 'ok' : 'MISMATCH'
      ])
    )
  ];
}
