import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TablePlan } from './plan.js';
import { RowChecksum, checksumSql } from './row-checksum.js';
import type { SqliteFile } from './sqlite-file.js';
import { quoteIdent } from '../postgres/server.js';
import { YIELD_EVERY } from './scan.js';

/** COPY text format: backslash, newline, carriage return and tab are escaped; `\N` is NULL. */
export function escapeCopyText(text: string): string {
  return /[\\\n\r\t]/.test(text)
    ? text.replace(/[\\\n\r\t]/g, c =>
        c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'
      )
    : text;
}

/** Bytes gathered before one write to the COPY stream: memory stays bounded by this and the socket buffers. */
const CHUNK_CHARS = 256 * 1024;

/**
 * Streams one table into PostgreSQL with COPY (inside the caller's transaction), computing the source side
 * of the checksum from the same rows as they go. Backpressure comes from `pipeline`: the SQLite cursor only
 * advances when PostgreSQL has taken the previous chunk.
 */
export async function copyTable(
  client: pg.Client,
  file: SqliteFile,
  plan: TablePlan,
  opts: { bigInts: boolean; signal?: AbortSignal; onRows?: (rows: number) => void }
): Promise<RowChecksum> {
  const checksum = new RowChecksum();
  const columns = plan.columns;
  const names = columns.map(c => quoteIdent(c.target.name)).join(', ');
  const copy = client.query(copyFrom(`COPY ${quoteIdent(plan.target.name)} (${names}) FROM STDIN`));
  async function* chunks(): AsyncGenerator<string> {
    let chunk = '';
    const canons: (string | null)[] = new Array<string | null>(columns.length);
    for (const row of file.rows(
      plan.source,
      columns.map(c => c.source),
      { withRowid: false, bigInts: opts.bigInts }
    )) {
      let line = '';
      for (let i = 0; i < columns.length; i++) {
        const value = row[i]!;
        if (i > 0) line += '\t';
        if (value === null) {
          canons[i] = null;
          line += '\\N';
          continue;
        }
        const converted = columns[i]!.converter.convert(value);
        // The check pass refused every such value; the source is read-only inside one read transaction.
        if (typeof converted === 'string')
          throw new Error(
            `${plan.source.name}.${columns[i]!.source}: ${converted} (changed since the check?)`
          );
        canons[i] = converted.canon;
        line += escapeCopyText(converted.copy);
      }
      chunk += `${line}\n`;
      checksum.addRow(canons);
      if (checksum.rows % YIELD_EVERY === 0) opts.onRows?.(checksum.rows);
      if (chunk.length >= CHUNK_CHARS) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(Readable.from(chunks(), { objectMode: false }), copy, { signal: opts.signal });
  opts.onRows?.(checksum.rows);
  return checksum;
}

/** Row count and checksum of what PostgreSQL now holds, in the same canonical form (same transaction). */
export async function targetChecksum(
  client: pg.Client,
  plan: TablePlan
): Promise<{ rows: number; checksum: string }> {
  const sql = checksumSql(
    quoteIdent(plan.target.name),
    plan.columns.map(c => c.converter.canonSql(quoteIdent(c.target.name)))
  );
  const r = await client.query<{ rows: string; checksum: string }>(sql);
  return { rows: Number(r.rows[0]!.rows), checksum: r.rows[0]!.checksum };
}
