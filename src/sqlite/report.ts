import { formatDuration } from '../kit/duration.js';
import { codeBlock, details, facts, table } from '../kit/markdown.js';
import type { ImportResult } from './import.js';

/** One-word state of the run, for the summary heading and the log. */
export function importState(r: ImportResult, cancelled = false): string {
  if (cancelled) return 'cancelled, rolled back';
  if (r.problems.length) return 'refused';
  if (r.failure) return 'FAILED, rolled back';
  if (r.dryRun) return r.verified ? 'dry run verified, rolled back' : 'dry run';
  return r.committed ? 'verified and committed' : 'not committed';
}

/** The two follow-ups of a cut-over, as commands to paste (they never carry a secret). */
export const FOLLOW_UPS = [
  '# 1. Take a first backup of the new database with the backup action (nightly workflow, run now):',
  'gh workflow run backup.yml -f mode=backup',
  '# 2. Point the app at PostgreSQL: store the URL as the DATABASE_URL secret (paste it at the prompt),',
  '#    then deploy; deploy.yml puts DATABASE_URL into .do/app.yaml.',
  'gh secret set DATABASE_URL --env production',
  "git commit --allow-empty -m 'Cut over to PostgreSQL' && git push"
].join('\n');

export function importSummary(
  r: ImportResult,
  where: { source: string; target: string },
  cancelled = false
): string[] {
  const parts = [
    `## Cut-over from SQLite: ${importState(r, cancelled)}`,
    facts([
      ['Source (read-only)', where.source],
      ['Target', where.target],
      ['Tables', r.tables.length],
      [
        'Rows copied',
        r.problems.length
          ? 'none (refused before writing)'
          : r.failure || cancelled
            ? `${r.rows} (rolled back)`
            : r.rows
      ],
      ['Verified', r.verified ? 'every table: row count and checksum match' : 'no'],
      ['Mode', r.dryRun ? 'dry run (everything but the commit)' : 'commit'],
      ['Duration', formatDuration(r.durationMs)]
    ])
  ];
  if (r.failure) parts.push(`**${r.failure}**`);
  if (r.problems.length)
    parts.push(`### Problems (fix all, then run again)\n\n${r.problems.map(p => `- ${p}`).join('\n')}`);
  if (r.tables.length)
    parts.push(
      table(
        ['table', 'rows (SQLite)', 'rows (PostgreSQL)', 'checksum', 'duration'],
        r.tables.map(t => [
          t.table,
          t.rows,
          t.targetRows ?? '-',
          t.match === undefined ? '-' : t.match ? 'match' : 'MISMATCH',
          t.durationMs === undefined ? '-' : formatDuration(t.durationMs)
        ])
      )
    );
  if (r.sequences.length)
    parts.push(
      details(
        `Sequences ${r.committed ? 'reset' : 'to reset'} past the highest id copied`,
        table(
          ['sequence', 'next value'],
          r.sequences.map(s => [s.sequence, (BigInt(s.value) + 1n).toString()])
        )
      )
    );
  if (r.notes.length) parts.push(details('Notes', r.notes.map(n => `- ${n}`).join('\n')));
  if (r.committed) parts.push(`### Next steps\n\n${codeBlock(FOLLOW_UPS, 'sh')}`);
  return parts;
}
