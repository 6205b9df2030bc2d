import type pg from 'pg';
import { quoteIdent } from '../postgres/server.js';
import type { TableRows } from './manifest.js';

/**
 * Row counts for the manifest, taken in the dump's own snapshot so they match the archive exactly.
 * Tables up to EXACT_MAX_PAGES (100 MiB) get count(*), cheap next to dumping them; bigger ones get the
 * planner's estimate (pg_class.reltuples), marked `exact: false`, so counting never doubles the I/O of a
 * large backup. A never-analyzed table (reltuples < 0) is always counted.
 */
export const EXACT_MAX_PAGES = 12_800;

export async function tableRowCounts(
  client: pg.Client,
  exactMaxPages = EXACT_MAX_PAGES
): Promise<TableRows[]> {
  const tables = await client.query<{ schema: string; name: string; pages: number; tuples: number }>(
    `SELECT n.nspname AS schema, c.relname AS name, c.relpages AS pages, c.reltuples::float8 AS tuples
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
        AND n.nspname NOT LIKE 'pg_temp%'
      ORDER BY 1, 2`
  );
  const out: TableRows[] = [];
  for (const t of tables.rows) {
    const name = `${t.schema}.${t.name}`;
    if (t.pages <= exactMaxPages || t.tuples < 0) {
      const r = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${quoteIdent(t.schema)}.${quoteIdent(t.name)}`
      );
      out.push({ name, rows: Number(r.rows[0]!.n), exact: true });
    } else {
      out.push({ name, rows: Math.round(t.tuples), exact: false });
    }
  }
  return out;
}
