/**
 * Alembic's offline SQL (`alembic upgrade a:b --sql`) cut into statements attributed to the revision that
 * emits them: Alembic writes `-- Running upgrade <from> -> <to>` before each revision's statements.
 */
export interface SqlStatement {
  /** The revision whose upgrade emits it; undefined for Alembic's own preamble (BEGIN, alembic_version). */
  revision?: string;
  /** The statement as rendered, without its terminating semicolon. */
  text: string;
}

const MARKER = /^-- Running upgrade (.*?) -> ([0-9A-Za-z_]+)\s*$/;
/** A Python logging line (`INFO  [alembic.runtime.migration] ...`): env.py may log to stdout, amid the SQL. */
export const LOG_LINE = /^(DEBUG|INFO|WARN|WARNING|ERROR|CRITICAL)\s+\[[\w.]+\]/;

export function splitOfflineSql(sql: string): SqlStatement[] {
  const out: SqlStatement[] = [];
  let revision: string | undefined;
  let section: string[] = [];
  const flush = () => {
    for (const text of splitStatements(section.join('\n'))) out.push({ revision, text });
    section = [];
  };
  for (const line of sql.split(/\r?\n/)) {
    if (LOG_LINE.test(line)) continue; // not SQL: it would hide the statement it precedes from the rules
    const m = MARKER.exec(line);
    if (m) {
      flush();
      revision = m[2];
    } else section.push(line);
  }
  flush();
  return out;
}

/**
 * Splits SQL text on top-level semicolons, leaving quoted strings, quoted identifiers, dollar-quoted bodies
 * and comments intact. Empty statements and comment-only statements are dropped.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number) => {
    const text = sql.slice(start, end).trim();
    if (normaliseForMatching(text)) statements.push(text);
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === "'" || c === '"') {
      i = skipQuoted(sql, i, c);
    } else if (c === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))?.[0];
      if (tag) {
        const end = sql.indexOf(tag, i + tag.length);
        i = end < 0 ? sql.length : end + tag.length;
      } else i++;
    } else if (c === ';') {
      push(i);
      i++;
      start = i;
    } else i++;
  }
  push(sql.length);
  return statements;
}

function skipQuoted(sql: string, i: number, quote: string): number {
  let j = i + 1;
  while (j < sql.length) {
    if (sql[j] === quote) {
      if (sql[j + 1] === quote)
        j += 2; // doubled quote is an escaped quote
      else return j + 1;
    } else j++;
  }
  return sql.length;
}

/** The statement with comments removed and string literals emptied: what rules may safely pattern-match. */
export function normaliseForMatching(statement: string): string {
  let out = '';
  let i = 0;
  while (i < statement.length) {
    const c = statement[i]!;
    const next = statement[i + 1];
    if (c === "'") {
      i = skipQuoted(statement, i, "'");
      out += "''";
    } else if (c === '"') {
      const end = skipQuoted(statement, i, '"');
      out += statement.slice(i, end);
      i = end;
    } else if (c === '-' && next === '-') {
      const nl = statement.indexOf('\n', i);
      i = nl < 0 ? statement.length : nl + 1;
      out += ' ';
    } else if (c === '/' && next === '*') {
      const end = statement.indexOf('*/', i + 2);
      i = end < 0 ? statement.length : end + 2;
      out += ' ';
    } else if (c === '$' && /^\$[A-Za-z_]*\$/.test(statement.slice(i))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(statement.slice(i))![0];
      const end = statement.indexOf(tag, i + tag.length);
      i = end < 0 ? statement.length : end + tag.length;
      out += "''";
    } else {
      out += c;
      i++;
    }
  }
  return out.replace(/\s+/g, ' ').trim();
}
