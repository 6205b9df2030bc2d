import { formatDuration } from '../kit/duration.js';
import { codeBlock, details, facts, table } from '../kit/markdown.js';
import { show, type MigrationReport } from './migrate.js';

/** The job summary of one migrate run: from -> to, each revision with its message and duration, findings. */
const MAX_SQL_CHARS = 60_000; // the summary has a 1 MiB limit shared with other steps

export function migrationSummary(report: MigrationReport, database: string): string {
  const outcome = report.failure
    ? '❌ failed'
    : report.dryRun
      ? '🔍 dry run, nothing applied'
      : report.applied.length
        ? `✅ applied ${report.applied.length} revision(s)`
        : '✅ already up to date';
  const parts = [
    '## Database migration',
    facts([
      ['Outcome', outcome],
      ['Database', database],
      ['From', report.databaseRead ? show(report.from) : undefined],
      [
        'To',
        !report.databaseRead ? undefined : report.dryRun ? `${show(report.to)} (dry run)` : show(report.to)
      ],
      ['Pending', report.databaseRead ? report.pending.length : undefined],
      ['Destructive', report.render ? (report.destructive ? 'yes' : 'no') : undefined],
      [
        'Waited for lock',
        report.lockWaitedMs !== undefined ? formatDuration(report.lockWaitedMs) : undefined
      ],
      ['Duration', formatDuration(report.durationMs)]
    ])
  ];
  if (report.failure) parts.push(codeBlock(report.failure));
  if (report.pending.length) {
    const applied = new Map(report.applied.map(a => [a.revision, a]));
    parts.push(
      table(
        ['Revision', 'Message', 'Status', 'Duration'],
        report.pending.map(r => {
          const a = applied.get(r.id);
          const status = a
            ? 'applied'
            : r.id === report.failedRevision
              ? 'failed, rolled back'
              : report.dryRun
                ? 'pending (dry run)'
                : 'not applied';
          return [
            `\`${r.id}\``,
            r.message,
            status,
            a?.durationMs !== undefined ? formatDuration(a.durationMs) : ''
          ];
        })
      )
    );
  }
  if (report.findings.length) {
    parts.push(
      '### Findings',
      table(
        ['Kind', 'Rule', 'Revision', 'Statement'],
        report.findings.map(f => [
          f.kind,
          f.rule,
          f.revision ?? '',
          `\`${f.statement.replace(/\s+/g, ' ').trim()}\``
        ])
      )
    );
  }
  if (report.render && !report.render.ok)
    parts.push(
      `> [!WARNING]\n> The pending revisions cannot be rendered as offline SQL: ${report.render.error}`
    );
  if (report.sql && report.pending.length) {
    const sql =
      report.sql.length > MAX_SQL_CHARS
        ? `${report.sql.slice(0, MAX_SQL_CHARS)}\n-- ... truncated, see ${report.sqlFile}`
        : report.sql;
    parts.push(details(`SQL preview (${report.pending.length} revision(s))`, codeBlock(sql, 'sql')));
  }
  return parts.join('\n\n');
}
