import { describe, expect, it } from '@jest/globals';
import { normaliseForMatching, splitOfflineSql, splitStatements } from '../../src/alembic/offline-sql.js';
import { classify } from '../../src/alembic/sql-findings.js';

const statements = (sql: string) => splitStatements(sql);
const rules = (sql: string) => classify(splitOfflineSql(sql)).map(f => `${f.kind}:${f.rule}`);

describe('splitStatements', () => {
  it('splits on top-level semicolons only', () => {
    const sql = `INSERT INTO t VALUES ('a;b', 'it''s; fine');
CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
-- a comment; with a semicolon
SELECT "odd;name" FROM t /* ; */;`;
    expect(statements(sql)).toEqual([
      "INSERT INTO t VALUES ('a;b', 'it''s; fine')",
      'CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql',
      '-- a comment; with a semicolon\nSELECT "odd;name" FROM t /* ; */'
    ]);
  });

  it('drops empty and comment-only statements', () => {
    expect(statements(';;\n-- nothing here\n;  ')).toEqual([]);
  });
});

describe('splitOfflineSql', () => {
  it("attributes statements to the revision Alembic's markers name, the preamble to none", () => {
    const sql = `BEGIN;

CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL);

-- Running upgrade  -> 0001

CREATE TABLE a (id int);

-- Running upgrade 0001, 0002 -> 0003

DROP TABLE a;

COMMIT;
`;
    expect(splitOfflineSql(sql)).toEqual([
      { revision: undefined, text: 'BEGIN' },
      { revision: undefined, text: 'CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)' },
      { revision: '0001', text: 'CREATE TABLE a (id int)' },
      { revision: '0003', text: 'DROP TABLE a' },
      { revision: '0003', text: 'COMMIT' }
    ]);
  });
  it('drops logging lines an env.py logging to stdout mixes into the SQL', () => {
    const sql = `-- Running upgrade 0001 -> 0002

INFO  [alembic.runtime.migration] Running upgrade 0001 -> 0002, drop phone
ALTER TABLE volunteers DROP COLUMN phone;
`;
    expect(splitOfflineSql(sql)).toEqual([
      { revision: '0002', text: 'ALTER TABLE volunteers DROP COLUMN phone' }
    ]);
    expect(rules(sql)).toEqual(['destructive:DROP COLUMN']);
  });
});

describe('normaliseForMatching', () => {
  it('empties string literals and removes comments so they cannot trigger rules', () => {
    expect(normaliseForMatching("INSERT INTO notes VALUES ('drop table x') -- truncate\n")).toBe(
      "INSERT INTO notes VALUES ('')"
    );
  });
});

describe('classify', () => {
  const rev = (body: string) => `-- Running upgrade 0001 -> 0002\n\n${body}\n`;

  it.each([
    ['DROP TABLE volunteers;', 'destructive:DROP TABLE'],
    ['DROP SCHEMA legacy CASCADE;', 'destructive:DROP SCHEMA'],
    ['ALTER TABLE volunteers DROP COLUMN phone;', 'destructive:DROP COLUMN'],
    ['ALTER TABLE volunteers ADD COLUMN x int, DROP phone;', 'destructive:DROP COLUMN'],
    ['TRUNCATE volunteers;', 'destructive:TRUNCATE'],
    ['DELETE FROM volunteers;', 'destructive:DELETE without WHERE'],
    ['ALTER TABLE volunteers ALTER COLUMN name TYPE VARCHAR(500);', 'destructive:ALTER COLUMN TYPE'],
    ['ALTER TABLE volunteers ALTER COLUMN name SET DATA TYPE text;', 'destructive:ALTER COLUMN TYPE'],
    ['ALTER TABLE volunteers RENAME TO members;', 'incompatible:RENAME'],
    ['ALTER TABLE volunteers RENAME COLUMN phone TO mobile;', 'incompatible:RENAME'],
    ['ALTER TABLE volunteers ALTER COLUMN name SET NOT NULL;', 'incompatible:SET NOT NULL without default'],
    [
      'ALTER TABLE volunteers ADD COLUMN email TEXT NOT NULL;',
      'incompatible:ADD COLUMN NOT NULL without default'
    ]
  ])('%s -> %s', (sql, expected) => {
    expect(rules(rev(sql))).toEqual([expected]);
  });

  it.each([
    'DELETE FROM volunteers WHERE id = 3;',
    'ALTER TABLE volunteers DROP CONSTRAINT volunteers_name_key;',
    'ALTER TABLE volunteers ALTER COLUMN phone DROP NOT NULL;',
    'ALTER TABLE volunteers ALTER COLUMN phone DROP DEFAULT;',
    "ALTER TABLE volunteers ADD COLUMN active BOOLEAN DEFAULT 'true' NOT NULL;",
    'CREATE TABLE events (id SERIAL NOT NULL, title TEXT NOT NULL);',
    "INSERT INTO notes (body) VALUES ('DROP TABLE volunteers; TRUNCATE x');",
    'DROP INDEX ix_volunteers_name;',
    "UPDATE alembic_version SET version_num='0002' WHERE alembic_version.version_num = '0001';"
  ])('leaves %s alone', sql => {
    expect(rules(rev(sql))).toEqual([]);
  });

  it('accepts SET NOT NULL after a default was set on the same column in the same revision', () => {
    const sql = rev(
      "ALTER TABLE volunteers ALTER COLUMN status SET DEFAULT 'active';\nALTER TABLE volunteers ALTER COLUMN status SET NOT NULL;"
    );
    expect(rules(sql)).toEqual([]);
  });

  it('keeps the revision and the statement text of each finding', () => {
    const findings = classify(splitOfflineSql(rev('ALTER TABLE volunteers DROP COLUMN phone;')));
    expect(findings).toEqual([
      {
        kind: 'destructive',
        rule: 'DROP COLUMN',
        revision: '0002',
        statement: 'ALTER TABLE volunteers DROP COLUMN phone'
      }
    ]);
  });
});
