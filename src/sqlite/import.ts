import type pg from 'pg';
import { cancellation } from '../kit/cancellation.js';
import { errorMessage } from '../kit/errors.js';
import type { Logger } from '../kit/log.js';
import { openDirectConnection } from '../postgres/advisory-lock.js';
import { copyTable, targetChecksum } from './copy.js';
import { putBack, setAside } from './set-aside.js';
import { planImport, type ImportPlan } from './plan.js';
import { ProblemList, scanTable } from './scan.js';
import { SqliteFile } from './sqlite-file.js';
import { quoteIdent } from '../postgres/server.js';
import { readTargetSchema, tablesWithRows } from './target-schema.js';

export interface ImportOptions {
  /** A local SQLite file (fetched from storage by the caller when it came from s3://). */
  sqlitePath: string;
  databaseUrl: string;
  dryRun: boolean;
  logger: Logger;
  signal?: AbortSignal;
}

export interface TableReport {
  table: string;
  rows: number;
  targetRows?: number;
  sourceChecksum?: string;
  targetChecksum?: string;
  match?: boolean;
  durationMs?: number;
}

export interface SequenceReset {
  sequence: string;
  /** The value set with is_called = true: the next id is value + 1. */
  value: string;
}

/** The one value the import returns: what main.ts turns into outputs and the summary. */
export interface ImportResult {
  dryRun: boolean;
  tables: TableReport[];
  rows: number;
  /** Every table's count and checksum matched. */
  verified: boolean;
  committed: boolean;
  problems: string[];
  notes: string[];
  sequences: SequenceReset[];
  durationMs: number;
  /** Why the import did not commit (absent on success and on a clean dry run). */
  failure?: string;
}

/**
 * The cut-over, in one PostgreSQL transaction:
 *   plan (map tables/columns by name) → lock the target tables → refuse on any problem (structure, non-empty
 *   target, orphans, values) → COPY in foreign-key order → verify count + checksum per table → reset
 *   sequences → COMMIT (or ROLLBACK for a dry run or any difference).
 * Sequences are reset only right before COMMIT: setval is not transactional, a rollback would keep it.
 */
export async function importSqlite(opts: ImportOptions): Promise<ImportResult> {
  const started = Date.now();
  const log = opts.logger;
  const result: ImportResult = {
    dryRun: opts.dryRun,
    tables: [],
    rows: 0,
    verified: false,
    committed: false,
    problems: [],
    notes: [],
    sequences: [],
    durationMs: 0
  };
  const finish = (failure?: string) => {
    result.durationMs = Date.now() - started;
    if (failure) result.failure = failure;
    return result;
  };

  const file = await SqliteFile.open(opts.sqlitePath);
  let client: pg.Client | undefined;
  let inTransaction = false;
  let transactionClosed!: () => void;
  const closed = new Promise<void>(resolve => (transactionClosed = resolve));
  // On cancel the copy stops at its next chunk and the finally below rolls back; a statement that keeps the
  // connection busy past 3 s (a lock wait, a checksum) is cut by closing it: PostgreSQL then rolls back itself.
  const undo = cancellation.addUndo('roll back the import transaction (nothing was committed)', async () => {
    if (!(await Promise.race([closed.then(() => true), new Promise(r => setTimeout(r, 3000, false))])))
      await client?.end().catch(() => undefined);
  });
  try {
    client = await openDirectConnection(opts.databaseUrl, {
      applicationName: 'import-sqlite'
    });
    // Whatever happens below (an error, a cancellation that closes the connection), PostgreSQL only keeps
    // this transaction's rows after the COMMIT at the very end.
    await client.query('BEGIN');
    inTransaction = true;
    await client.query(`SET LOCAL TIME ZONE 'UTC'`);
    await client.query(`SET LOCAL DateStyle = 'ISO, YMD'`);
    await client.query(`SET LOCAL lock_timeout = '30s'`);

    const plan = planImport(file.tables(), await readTargetSchema(client));
    result.notes.push(...plan.notes);
    result.problems.push(...plan.problems);
    const names = plan.tables.map(t => t.target.name);
    result.tables = plan.tables.map(t => ({ table: t.target.name, rows: 0 }));
    if (names.length) {
      // Nobody else writes these tables until we commit or roll back; readers still can.
      await client.query(`LOCK TABLE ${names.map(quoteIdent).join(', ')} IN EXCLUSIVE MODE`);
      for (const name of await tablesWithRows(client, names))
        result.problems.push(
          `table ${name}: the target already has rows (import-sqlite only fills empty tables)`
        );
    }
    result.problems.push(...orphanProblems(file, plan));

    const problems = new ProblemList();
    const bigInts: boolean[] = [];
    for (const [i, table] of plan.tables.entries()) {
      const scanned = await scanTable(file, table, problems, opts.signal);
      result.tables[i]!.rows = scanned.rows;
      bigInts[i] = scanned.bigInts;
    }
    result.problems.push(...problems.lines());
    log.info(
      `checked ${plan.tables.length} tables, ${result.tables.reduce((n, t) => n + t.rows, 0)} rows: ${result.problems.length} problems`
    );
    if (result.problems.length) {
      for (const p of result.problems) log.info(`problem: ${p}`);
      return finish(
        `refused: ${result.problems.length} ${result.problems.length === 1 ? 'problem' : 'problems'} listed below; nothing was written`
      );
    }

    const asides = await setAside(client, names);
    if (typeof asides === 'string') result.notes.push(asides);
    else if (asides.length)
      result.notes.push(
        `set aside for the COPY and put back (validated) before the commit: ${asides.map(a => `${a.kind} ${a.name}`).join(', ')}`
      );
    for (const [i, table] of plan.tables.entries()) {
      const report = result.tables[i]!;
      const t0 = Date.now();
      let lastLog = t0;
      let source;
      try {
        source = await copyTable(client, file, table, {
          bigInts: bigInts[i]!,
          signal: opts.signal,
          onRows: rows => {
            if (Date.now() - lastLog < 5000) return;
            lastLog = Date.now();
            log.info(`copy ${table.target.name}: ${rows} of ${report.rows} rows`);
          }
        });
      } catch (error) {
        opts.signal?.throwIfAborted();
        return finish(
          `COPY into ${table.target.name} failed: ${errorMessage(error)}; rolled back, the target is as it was`
        );
      }
      const target = await targetChecksum(client, table);
      Object.assign(report, {
        rows: source.rows,
        targetRows: target.rows,
        sourceChecksum: source.value,
        targetChecksum: target.checksum,
        match: source.rows === target.rows && source.value === target.checksum,
        durationMs: Date.now() - t0
      });
      log.info(
        `${table.target.name}: ${source.rows} rows copied, ${target.rows} in PostgreSQL, checksum ${report.match ? 'matches' : 'DIFFERS'} (${report.durationMs} ms)`
      );
    }
    if (typeof asides !== 'string') {
      const broken = await putBack(client, asides);
      if (broken) return finish(`${broken}; rolled back, the target is as it was`);
    }
    result.rows = result.tables.reduce((n, t) => n + t.rows, 0);
    result.verified = result.tables.every(t => t.match);
    if (!result.verified) {
      const bad = result.tables.filter(t => !t.match).map(t => t.table);
      return finish(
        `verification failed for ${bad.join(', ')}: PostgreSQL does not hold exactly the SQLite rows; rolled back, the target is as it was`
      );
    }

    opts.signal?.throwIfAborted();
    result.sequences = await sequenceResets(client, plan);
    if (opts.dryRun) return finish();
    for (const s of result.sequences)
      await client.query('SELECT setval($1::regclass, $2::bigint, true)', [s.sequence, s.value]);
    opts.signal?.throwIfAborted();
    undo.dismiss();
    await client.query('COMMIT');
    inTransaction = false;
    result.committed = true;
    return finish();
  } finally {
    if (client) {
      if (inTransaction) await client.query('ROLLBACK').catch(() => undefined);
      await client.end().catch(() => undefined);
    }
    transactionClosed();
    undo.dismiss();
    file.close();
    result.durationMs = Date.now() - started;
  }
}

function orphanProblems(file: SqliteFile, plan: ImportPlan): string[] {
  const problems: string[] = [];
  const sourceOf = new Map(plan.tables.map(t => [t.target.name, t]));
  for (const fk of plan.foreignKeys) {
    const child = sourceOf.get(fk.child)!;
    const parent = sourceOf.get(fk.parent)!;
    const col = (t: typeof child, name: string) => t.columns.find(c => c.target.name === name)?.source;
    const childCols = fk.childColumns.map(c => col(child, c));
    const parentCols = fk.parentColumns.map(c => col(parent, c));
    if (childCols.some(c => !c) || parentCols.some(c => !c)) continue;
    const n = file.orphans(
      child.source.name,
      childCols as string[],
      parent.source.name,
      parentCols as string[]
    );
    if (n)
      problems.push(
        `foreign key ${fk.name}: ${n} ${child.source.name} ${n === 1 ? 'row references' : 'rows reference'} a missing ${parent.source.name} row (${fk.childColumns.join(', ')})`
      );
  }
  return problems;
}

/** Each sequence behind a copied column (serial or identity), set to the highest id copied. */
async function sequenceResets(client: pg.Client, plan: ImportPlan): Promise<SequenceReset[]> {
  const out: SequenceReset[] = [];
  for (const t of plan.tables)
    for (const c of t.columns) {
      const sequence = c.target.sequence;
      if (!sequence) continue;
      const r = await client.query<{ max: string | null }>(
        `SELECT max(${quoteIdent(c.target.name)})::text AS max FROM ${quoteIdent(t.target.name)}`
      );
      if (r.rows[0]!.max !== null) out.push({ sequence, value: r.rows[0]!.max });
    }
  return out;
}
