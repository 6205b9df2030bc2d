import { normaliseForMatching, type SqlStatement } from './offline-sql.js';

/**
 * Classifies pending SQL the way a reviewer would: `destructive` statements lose data (they need
 * `allow-destructive`), `incompatible` ones break the release still serving traffic until the deploy ends.
 */
export type FindingKind = 'destructive' | 'incompatible';

export interface Finding {
  kind: FindingKind;
  /** Short rule name, e.g. `DROP COLUMN`. */
  rule: string;
  revision?: string;
  statement: string;
}

interface Rule {
  kind: FindingKind;
  rule: string;
  test: (s: string) => boolean;
}

// Actions of ALTER TABLE that drop something other than a column.
const NON_COLUMN_DROP = /^(CONSTRAINT|DEFAULT|NOT NULL|IDENTITY|EXPRESSION)\b/;

const RULES: Rule[] = [
  { kind: 'destructive', rule: 'DROP TABLE', test: s => /^DROP TABLE\b/.test(s) },
  { kind: 'destructive', rule: 'DROP SCHEMA', test: s => /^DROP SCHEMA\b/.test(s) },
  { kind: 'destructive', rule: 'DROP COLUMN', test: s => alterTableActions(s).some(dropsColumn) },
  { kind: 'destructive', rule: 'TRUNCATE', test: s => /^TRUNCATE\b/.test(s) },
  {
    kind: 'destructive',
    rule: 'DELETE without WHERE',
    test: s => /^DELETE FROM\b/.test(s) && !/\bWHERE\b/.test(s)
  },
  {
    kind: 'destructive',
    rule: 'ALTER COLUMN TYPE',
    test: s => alterTableActions(s).some(a => /^ALTER (COLUMN )?\S+ (SET DATA )?TYPE\b/.test(a))
  },
  { kind: 'incompatible', rule: 'RENAME', test: s => /^ALTER \w+( \w+)? .*\bRENAME\b/.test(s) },
  {
    kind: 'incompatible',
    rule: 'ADD COLUMN NOT NULL without default',
    test: s =>
      alterTableActions(s).some(
        a => /^ADD (COLUMN )?/.test(a) && /\bNOT NULL\b/.test(a) && !/\bDEFAULT\b/.test(a)
      )
  }
];

export function classify(statements: SqlStatement[]): Finding[] {
  const findings: Finding[] = [];
  // Columns given a default earlier in the same revision: SET NOT NULL on them keeps old inserts working.
  const defaulted = new Set<string>();
  for (const st of statements) {
    const s = normaliseForMatching(st.text).toUpperCase();
    if (/\bALEMBIC_VERSION\b/.test(s)) continue; // Alembic's own bookkeeping
    const table = /^ALTER TABLE (?:ONLY )?(?:IF EXISTS )?(\S+)/.exec(s)?.[1];
    for (const rule of RULES) {
      if (rule.test(s))
        findings.push({ kind: rule.kind, rule: rule.rule, revision: st.revision, statement: st.text });
    }
    for (const action of alterTableActions(s)) {
      const m = /^ALTER (?:COLUMN )?(\S+) (SET DEFAULT|SET NOT NULL)\b/.exec(action);
      if (!m || !table) continue;
      const key = `${st.revision ?? ''}/${table}/${m[1]}`;
      if (m[2] === 'SET DEFAULT') defaulted.add(key);
      else if (!defaulted.has(key))
        findings.push({
          kind: 'incompatible',
          rule: 'SET NOT NULL without default',
          revision: st.revision,
          statement: st.text
        });
    }
  }
  return findings;
}

/** The comma-separated actions of an `ALTER TABLE name ...` statement (upper-cased, normalised). */
function alterTableActions(s: string): string[] {
  const m = /^ALTER TABLE (?:ONLY )?(?:IF EXISTS )?\S+ (.*)$/.exec(s);
  if (!m) return [];
  const actions: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of m[1]!) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      actions.push(current.trim());
      current = '';
    } else current += c;
  }
  actions.push(current.trim());
  return actions;
}

function dropsColumn(action: string): boolean {
  const m = /^DROP (.*)$/.exec(action);
  return !!m && !NON_COLUMN_DROP.test(m[1]!);
}
