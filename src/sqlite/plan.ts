import { converterFor, type ColumnConverter, type TargetColumn } from './column-types.js';
import type { SourceTable } from './sqlite-file.js';
import type { ForeignKey, TargetSchema, TargetTable } from './target-schema.js';

/** Which SQLite table and column lands where, in which order, and every structural reason not to start. */
export interface ColumnPlan {
  source: string;
  target: TargetColumn;
  converter: ColumnConverter;
}

export interface TablePlan {
  source: SourceTable;
  target: TargetTable;
  columns: ColumnPlan[];
}

export interface ImportPlan {
  /** Parents before children (foreign-key order). */
  tables: TablePlan[];
  /** Foreign keys between imported tables, for the orphan check. */
  foreignKeys: ForeignKey[];
  problems: string[];
  notes: string[];
}

const IGNORED_TARGET = new Set(['alembic_version']);

function byName<T extends { name: string }>(items: Iterable<T>, name: string): T | undefined {
  const list = [...items];
  return list.find(i => i.name === name) ?? list.find(i => i.name.toLowerCase() === name.toLowerCase());
}

export function planImport(source: SourceTable[], target: TargetSchema): ImportPlan {
  const problems: string[] = [];
  const notes: string[] = [];
  if (target.encoding !== 'UTF8')
    problems.push(
      `PostgreSQL database encoding is ${target.encoding}; import-sqlite needs UTF8 to keep every text`
    );
  const planned: TablePlan[] = [];
  for (const table of source) {
    const t = byName(target.tables.values(), table.name);
    if (!t) {
      problems.push(
        `table ${table.name}: no table of that name in PostgreSQL schema ${target.schema} (run the app's migrations first)`
      );
      continue;
    }
    const columns: ColumnPlan[] = [];
    for (const col of table.columns) {
      const tc = byName(t.columns, col.name);
      if (!tc) {
        problems.push(`column ${table.name}.${col.name}: no column of that name in ${t.name}`);
        continue;
      }
      if (tc.generated) {
        problems.push(
          `column ${table.name}.${col.name}: ${t.name}.${tc.name} is a generated column and cannot be written`
        );
        continue;
      }
      const converter = converterFor(tc);
      if (typeof converter === 'string') problems.push(`column ${t.name}.${tc.name}: ${converter}`);
      else columns.push({ source: col.name, target: tc, converter });
    }
    for (const tc of t.columns) {
      if (byName(table.columns, tc.name) || tc.generated) continue;
      if (tc.notNull && !tc.hasDefault)
        problems.push(
          `column ${t.name}.${tc.name}: NOT NULL without a default, and the SQLite table has no such column`
        );
      else notes.push(`${t.name}.${tc.name} is not in SQLite: it gets its default`);
    }
    planned.push({ source: table, target: t, columns });
  }
  const importedNames = new Set(planned.map(p => p.target.name));
  for (const t of target.tables.values())
    if (!importedNames.has(t.name) && !IGNORED_TARGET.has(t.name))
      notes.push(`${t.name} has no SQLite table: it stays empty`);
  const foreignKeys = target.foreignKeys.filter(fk => importedNames.has(fk.child));
  for (const fk of foreignKeys)
    if (!importedNames.has(fk.parent))
      problems.push(
        `foreign key ${fk.name}: ${fk.child} references ${fk.parent}, which the SQLite database does not have`
      );
  const { order, cycle } = foreignKeyOrder(
    planned.map(p => p.target.name),
    foreignKeys.filter(fk => importedNames.has(fk.parent))
  );
  if (cycle.length)
    problems.push(`foreign keys form a cycle between ${cycle.join(', ')}; no table order can load them`);
  const rank = new Map(order.map((name, i) => [name, i]));
  planned.sort((a, b) => (rank.get(a.target.name) ?? 0) - (rank.get(b.target.name) ?? 0));
  return {
    tables: planned,
    foreignKeys: foreignKeys.filter(fk => importedNames.has(fk.parent)),
    problems,
    notes
  };
}

/** Kahn's algorithm, ties broken by name so the order is stable; self-references are fine within one COPY. */
export function foreignKeyOrder(
  tables: string[],
  fks: { child: string; parent: string }[]
): { order: string[]; cycle: string[] } {
  const parents = new Map(tables.map(t => [t, new Set<string>()]));
  for (const fk of fks) if (fk.child !== fk.parent) parents.get(fk.child)?.add(fk.parent);
  const order: string[] = [];
  const left = new Set(tables);
  while (left.size) {
    const ready = [...left].filter(t => [...parents.get(t)!].every(p => !left.has(p))).sort();
    if (!ready.length) break;
    for (const t of ready) {
      order.push(t);
      left.delete(t);
    }
  }
  return { order: [...order, ...[...left].sort()], cycle: [...left].sort() };
}
