import type { SqliteValue } from './column-types.js';
import { errorMessage } from '../kit/errors.js';
// SQLite quotes identifiers as standard SQL (and PostgreSQL) does: one quoting for both sides of the copy.
import { quoteIdent } from '../postgres/server.js';

/**
 * The SQLite database, read through Node's built-in `node:sqlite` (Node 22.13+; the runner's Node 24 has it).
 * Chosen over better-sqlite3 (a native addon: built for one Node ABI, and ncc does not bundle `.node` files
 * reliably) and over the `sqlite3` CLI (text output to parse, and invalid UTF-8 is passed through unseen).
 * Opened read-only; everything is read inside one read transaction, so the checks and the copy see the same data.
 */
interface StatementSync {
  iterate(...params: unknown[]): IterableIterator<unknown>;
  all(...params: unknown[]): Record<string, SqliteValue>[];
  get(...params: unknown[]): Record<string, SqliteValue> | undefined;
  setReadBigInts(enabled: boolean): void;
  setReturnArrays(enabled: boolean): void;
}
interface DatabaseSync {
  prepare(sql: string): StatementSync;
  exec(sql: string): void;
  close(): void;
}
interface SqliteModule {
  DatabaseSync: new (path: string, options?: { readOnly?: boolean }) => DatabaseSync;
}

export interface SourceColumn {
  name: string;
  declaredType: string;
}

export interface SourceTable {
  name: string;
  columns: SourceColumn[];
  /** False for WITHOUT ROWID tables. */
  hasRowid: boolean;
}

/** Tables that are SQLite's own or the migration tool's, never application data. */
const SKIPPED = /^(sqlite_|alembic_version$)/i;

export async function loadNodeSqlite(): Promise<SqliteModule> {
  try {
    return (await import('node:sqlite' as string)) as SqliteModule;
  } catch {
    throw new Error(
      `import-sqlite reads SQLite with node:sqlite, which this Node (${process.version}) does not have; run it on Node 24 (runs.using: node24)`
    );
  }
}

export class SqliteFile {
  private constructor(
    private readonly db: DatabaseSync,
    readonly path: string
  ) {}

  static async open(path: string): Promise<SqliteFile> {
    const { DatabaseSync } = await loadNodeSqlite();
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(path, { readOnly: true });
      // A file that is not a database only fails on the first read.
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (error) {
      throw new Error(`Cannot open SQLite database ${path}: ${errorMessage(error)}`);
    }
    db.exec('BEGIN');
    return new SqliteFile(db, path);
  }

  /** The application's tables (SQLite's internal ones and alembic_version left out), by name. */
  tables(): SourceTable[] {
    const rows = this.db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .all() as { name: string; sql: string | null }[];
    return rows
      .filter(r => !SKIPPED.test(r.name))
      .map(r => ({
        name: r.name,
        hasRowid: !/\)\s*WITHOUT\s+ROWID\s*;?\s*$/i.test(r.sql ?? ''),
        columns: (
          this.db.prepare(`SELECT name, type FROM pragma_table_info(?) ORDER BY cid`).all(r.name) as {
            name: string;
            type: string;
          }[]
        ).map(c => ({ name: c.name, declaredType: c.type }))
      }));
  }

  /** SQLite's text encoding (`UTF-8` for every database Python or SQLAlchemy creates). */
  encoding(): string {
    return String(this.db.prepare('PRAGMA encoding').get()!.encoding as string);
  }

  /**
   * Streams the rows of `table`, one array of values per row, with the rowid first when asked. Integers come as
   * numbers (cheap) unless `bigInts`: node:sqlite then throws ERR_OUT_OF_RANGE on one beyond 2^53 instead of
   * rounding it, and the caller reads that table again with bigints.
   */
  *rows(
    table: SourceTable,
    columns: string[],
    opts: { withRowid: boolean; bigInts: boolean }
  ): Generator<SqliteValue[]> {
    // Aliases keep the names unique: `rowid` is reported under the name of an INTEGER PRIMARY KEY column.
    const list = [
      ...(opts.withRowid ? ['rowid AS r'] : []),
      ...columns.map((c, i) => `${quoteIdent(c)} AS c${i}`)
    ];
    const stmt = this.db.prepare(`SELECT ${list.join(', ') || 'NULL'} FROM ${quoteIdent(table.name)}`);
    stmt.setReadBigInts(opts.bigInts);
    stmt.setReturnArrays(true);
    yield* stmt.iterate() as IterableIterator<SqliteValue[]>;
  }

  /** The raw bytes of one text value (node:sqlite decodes invalid UTF-8 to U+FFFD, which hides it). */
  rawBytes(table: string, column: string, rowid: bigint | number): Uint8Array | undefined {
    const row = this.db
      .prepare(`SELECT CAST(${quoteIdent(column)} AS BLOB) AS b FROM ${quoteIdent(table)} WHERE rowid = ?`)
      .get(rowid);
    const b = row?.b;
    return b instanceof Uint8Array ? b : undefined;
  }

  /** Rows of `child` whose non-NULL key has no row in `parent` (SQLite does not enforce foreign keys by default). */
  orphans(child: string, childCols: string[], parent: string, parentCols: string[]): number {
    const notNull = childCols.map(c => `c.${quoteIdent(c)} IS NOT NULL`).join(' AND ');
    const match = childCols
      .map((c, i) => `p.${quoteIdent(parentCols[i]!)} = c.${quoteIdent(c)}`)
      .join(' AND ');
    const row = this.db
      .prepare(
        `SELECT count(*) AS n FROM ${quoteIdent(child)} c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${quoteIdent(parent)} p WHERE ${match})`
      )
      .get();
    return Number(row!.n);
  }

  close(): void {
    try {
      this.db.exec('COMMIT');
    } catch {
      // nothing was written: ending the read transaction cannot lose anything
    }
    this.db.close();
  }
}
