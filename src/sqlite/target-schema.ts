import type pg from 'pg';
import { quoteIdent } from '../postgres/server.js';
import type { TargetColumn } from './column-types.js';

/** The PostgreSQL side as Alembic left it: tables of the current schema, their columns, foreign keys, sequences. */
export interface TargetTable {
  name: string;
  columns: TargetColumn[];
}

export interface ForeignKey {
  name: string;
  child: string;
  childColumns: string[];
  parent: string;
  parentColumns: string[];
}

export interface TargetSchema {
  schema: string;
  encoding: string;
  tables: Map<string, TargetTable>;
  foreignKeys: ForeignKey[];
}

export async function readTargetSchema(client: pg.Client): Promise<TargetSchema> {
  const meta = await client.query<{ schema: string; encoding: string }>(
    `SELECT current_schema() AS schema, current_setting('server_encoding') AS encoding`
  );
  const { schema, encoding } = meta.rows[0]!;
  const columns = await client.query<{
    table: string;
    name: string;
    type: string;
    typname: string;
    typmod: number;
    not_null: boolean;
    has_default: boolean;
    generated: boolean;
    enum_labels: string[] | null;
    sequence: string | null;
  }>(
    `SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            coalesce(bt.typname, t.typname) AS typname,
            CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END AS typmod,
            a.attnotnull AS not_null, (a.atthasdef OR a.attidentity <> '') AS has_default,
            a.attgenerated <> '' AS generated,
            (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e
              WHERE e.enumtypid = coalesce(bt.oid, t.oid)) AS enum_labels,
            pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) AS sequence
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`
  );
  const tables = new Map<string, TargetTable>();
  for (const r of columns.rows) {
    let table = tables.get(r.table);
    if (!table) tables.set(r.table, (table = { name: r.table, columns: [] }));
    const mod = r.typmod;
    const sized = (r.typname === 'varchar' || r.typname === 'bpchar') && mod >= 4;
    const numericMod = r.typname === 'numeric' && mod >= 4;
    table.columns.push({
      name: r.name,
      type: r.type,
      typname: r.typname,
      enumLabels: r.enum_labels ?? undefined,
      maxLength: sized ? mod - 4 : undefined,
      precision: numericMod ? ((mod - 4) >> 16) & 0xffff : undefined,
      scale: numericMod ? (mod - 4) & 0xffff : undefined,
      notNull: r.not_null,
      hasDefault: r.has_default,
      generated: r.generated,
      sequence: r.sequence ?? undefined
    });
  }
  const fks = await client.query<{
    name: string;
    child: string;
    parent: string;
    child_cols: string[];
    parent_cols: string[];
  }>(
    `SELECT con.conname AS name, cl.relname AS child, pl.relname AS parent,
            array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i) AS child_cols,
            array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
                    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i) AS parent_cols
       FROM pg_constraint con
       JOIN pg_class cl ON cl.oid = con.conrelid
       JOIN pg_class pl ON pl.oid = con.confrelid
       JOIN pg_namespace n ON n.oid = cl.relnamespace
      WHERE con.contype = 'f' AND n.nspname = current_schema()
      ORDER BY con.conname`
  );
  return {
    schema,
    encoding,
    tables,
    foreignKeys: fks.rows.map(r => ({
      name: r.name,
      child: r.child,
      childColumns: r.child_cols,
      parent: r.parent,
      parentColumns: r.parent_cols
    }))
  };
}

/** Tables (by name) that already hold at least one row. */
export async function tablesWithRows(client: pg.Client, names: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const name of names) {
    const r = await client.query<{ any: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${quoteIdent(name)}) AS any`
    );
    if (r.rows[0]!.any) found.push(name);
  }
  return found;
}
