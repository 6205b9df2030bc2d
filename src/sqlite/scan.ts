import type { TablePlan } from './plan.js';
import type { SqliteFile } from './sqlite-file.js';

/**
 * The check pass: reads every row of every table once, before anything is written, and collects each value
 * that cannot reach PostgreSQL unchanged. Problems are grouped per column and kind, counted, and the first
 * few rowids named, so one run lists everything there is to fix.
 */
interface ProblemGroup {
  where: string;
  kind: string;
  count: number;
  examples: string[];
}

const EXAMPLES = 3;
/** Rows between two looks at the event loop (a cancellation signal needs one to be delivered). */
export const YIELD_EVERY = 20_000;

export class ProblemList {
  private readonly groups = new Map<string, ProblemGroup>();

  add(where: string, kind: string, example: string): void {
    const key = `${where}\u0000${kind}`;
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { where, kind, count: 0, examples: [] }));
    g.count++;
    if (g.examples.length < EXAMPLES) g.examples.push(example);
  }

  merge(other: ProblemList): void {
    for (const [key, g] of other.groups) {
      const mine = this.groups.get(key);
      if (!mine) this.groups.set(key, { ...g, examples: [...g.examples] });
      else {
        mine.count += g.count;
        mine.examples.push(...g.examples.slice(0, EXAMPLES - mine.examples.length));
      }
    }
  }

  lines(): string[] {
    return [...this.groups.values()].map(g => {
      const more = g.count > g.examples.length ? `; ${g.count - g.examples.length} more` : '';
      return `${g.where}: ${g.kind}: ${g.count} ${g.count === 1 ? 'value' : 'values'} (${g.examples.join('; ')}${more})`;
    });
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function validUtf8(bytes: Uint8Array): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const tick = () => new Promise<void>(resolve => setImmediate(resolve));

/** True for node:sqlite's refusal to return an integer beyond 2^53 as a number. */
export const isBigIntegerError = (error: unknown) =>
  (error as { code?: string } | undefined)?.code === 'ERR_OUT_OF_RANGE';

/**
 * Scans one table; returns its row count and whether it holds integers beyond 2^53 (read as bigints then; the
 * copy must read it the same way).
 */
export async function scanTable(
  file: SqliteFile,
  plan: TablePlan,
  problems: ProblemList,
  signal?: AbortSignal
): Promise<{ rows: number; bigInts: boolean }> {
  for (const bigInts of [false, true]) {
    const found = new ProblemList();
    try {
      const rows = await scanPass(file, plan, found, bigInts, signal);
      problems.merge(found);
      return { rows, bigInts };
    } catch (error) {
      if (bigInts || !isBigIntegerError(error)) throw error;
    }
  }
  throw new Error('unreachable');
}

async function scanPass(
  file: SqliteFile,
  plan: TablePlan,
  problems: ProblemList,
  bigInts: boolean,
  signal?: AbortSignal
): Promise<number> {
  const table = plan.source.name;
  const withRowid = plan.source.hasRowid;
  const offset = withRowid ? 1 : 0;
  let rows = 0;
  for (const row of file.rows(
    plan.source,
    plan.columns.map(c => c.source),
    { withRowid, bigInts }
  )) {
    if (++rows % YIELD_EVERY === 0) {
      await tick();
      signal?.throwIfAborted();
    }
    const at = withRowid ? `rowid ${String(row[0])}` : `row ${rows}`;
    for (let i = 0; i < plan.columns.length; i++) {
      const col = plan.columns[i]!;
      const value = row[i + offset]!;
      const where = `${table}.${col.source}`;
      if (value === null) {
        if (col.target.notNull) problems.add(where, `NULL in a NOT NULL column (${col.target.type})`, at);
        continue;
      }
      // node:sqlite turns invalid UTF-8 into U+FFFD; a text holding one is checked against its raw bytes.
      if (typeof value === 'string' && value.includes('\uFFFD') && withRowid) {
        const raw = file.rawBytes(table, col.source, row[0] as number | bigint);
        if (raw && !validUtf8(raw)) {
          problems.add(where, 'not valid UTF-8 text', `${at}: ${raw.length} bytes`);
          continue;
        }
      }
      const converted = col.converter.convert(value);
      if (typeof converted === 'string')
        problems.add(where, `cannot be converted to ${col.target.type} without loss`, `${at}: ${converted}`);
    }
  }
  return rows;
}
