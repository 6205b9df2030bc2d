import type pg from 'pg';
import { errorMessage } from '../kit/errors.js';
import { quoteIdent } from '../postgres/server.js';

/**
 * Foreign keys and plain indexes are set aside for the COPY and put back before the verification, inside the
 * same transaction, as pg_restore orders it: an index is then built once by sorting the table and each foreign
 * key checked with one join, instead of one index insert and one lookup per copied row. The definitions come
 * from pg_get_constraintdef / pg_get_indexdef, so they come back exactly as Alembic made them, and a rollback
 * restores them anyway (DDL is transactional). Putting them back is also a check: a unique index or a foreign
 * key the data breaks fails there, with PostgreSQL's message. Indexes behind a constraint (primary keys,
 * UNIQUE constraints) stay. Needs table ownership; without it, everything stays and is maintained row by row.
 */
export interface SetAside {
  kind: 'foreign key' | 'index';
  table: string;
  name: string;
  /** The statement that puts it back. */
  restore: string;
}

export async function setAside(client: pg.Client, tables: string[]): Promise<SetAside[] | string> {
  const fks = await client.query<{ table: string; name: string; definition: string }>(
    `SELECT c.relname AS table, con.conname AS name, pg_get_constraintdef(con.oid) AS definition
       FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE con.contype = 'f' AND n.nspname = current_schema() AND c.relname = ANY($1::text[])
      ORDER BY c.relname, con.conname`,
    [tables]
  );
  const indexes = await client.query<{ table: string; name: string; definition: string }>(
    `SELECT t.relname AS table, ic.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i
       JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = current_schema() AND t.relname = ANY($1::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid)
      ORDER BY t.relname, ic.relname`,
    [tables]
  );
  const items: SetAside[] = [
    ...fks.rows.map(k => ({
      kind: 'foreign key' as const,
      table: k.table,
      name: k.name,
      restore: `ALTER TABLE ${quoteIdent(k.table)} ADD CONSTRAINT ${quoteIdent(k.name)} ${k.definition}`
    })),
    ...indexes.rows.map(i => ({
      kind: 'index' as const,
      table: i.table,
      name: i.name,
      restore: i.definition
    }))
  ];
  if (!items.length) return [];
  await client.query('SAVEPOINT set_aside');
  try {
    for (const item of items)
      await client.query(
        item.kind === 'index'
          ? `DROP INDEX ${quoteIdent(item.name)}`
          : `ALTER TABLE ${quoteIdent(item.table)} DROP CONSTRAINT ${quoteIdent(item.name)}`
      );
    await client.query('RELEASE SAVEPOINT set_aside');
    return items;
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT set_aside');
    return `indexes and foreign keys maintained row by row during the COPY (could not set them aside: ${errorMessage(error)})`;
  }
}

/** Puts everything back, indexes first (a foreign key may need one); returns what does not hold, if anything. */
export async function putBack(client: pg.Client, items: SetAside[]): Promise<string | undefined> {
  const ordered = [...items.filter(i => i.kind === 'index'), ...items.filter(i => i.kind === 'foreign key')];
  for (const item of ordered) {
    try {
      await client.query(item.restore);
    } catch (error) {
      return `${item.kind} ${item.name} on ${item.table} does not hold for the copied rows: ${errorMessage(error)}`;
    }
  }
  return undefined;
}
