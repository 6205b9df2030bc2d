import { formatDuration } from '../kit/duration.js';
import { codeBlock, details, facts, table } from '../kit/markdown.js';
import { importState } from './import-state.js';
import type { ImportResult } from './import.js';

/** The two follow-ups of a cut-over, as commands to paste (they never carry a secret). */
const FOLLOW_UPS = [
  '# 1. Take a first backup of the new database with the backup action (nightly workflow, run now):',
  'gh workflow run backup.yml -f mode=backup',
  '# 2. Point the app at PostgreSQL: store the URL as the DATABASE_URL secret (paste it at the prompt),',
  '#    then deploy; deploy.yml puts DATABASE_URL into .do/app.yaml.',
  'gh secret set DATABASE_URL --env production',
  "git commit --allow-empty -m 'Cut over to PostgreSQL' && git push"
].join('\n');

/** Where the cut-over reads and writes, as the summary names them (no password). */
export interface ImportEnds {
  source: string;
  target: string;
}

/** The step summary of an import that ran to its end: committed, dry run, refused or failed and rolled back. */
export function importSummary(r: ImportResult, where: ImportEnds): string[] {
  const parts = [
    `## Cut-over from SQLite: ${importState(r)}`,
    facts([
      ['Source (read-only)', where.source],
      ['Target', where.target],
      ['Tables', r.tables.length],
      [
        'Rows copied',
        r.problems.length ? 'none (refused before writing)' : r.failure ? `${r.rows} (rolled back)` : r.rows
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

/** The step summary of an import stopped by a cancel: the transaction was rolled back. */
export function cancelledImportSummary(where: ImportEnds): string[] {
  return [
    '## Cut-over from SQLite: cancelled, rolled back',
    `${where.source} → ${where.target}: the transaction was rolled back; the target is as it was.`
  ];
}
