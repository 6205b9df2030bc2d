import { describe, expect, it } from '@jest/globals';
import { splitCommandLine } from '../../src/alembic/command-line.js';
import { alembicFailure } from '../../src/alembic/alembic-cli.js';
import { parseHistory, parseRevisionList, RevisionGraph } from '../../src/alembic/revisions.js';
import { parseRunningLine, UpgradeClock } from '../../src/alembic/upgrade-log.js';
import { InputError } from '../../src/kit/errors.js';

// `alembic history` output of a project with a branch and its merge (newest first).
const HISTORY = `0004, 0003 -> 0005 (head) (mergepoint), merge heads
0002 -> 0004, add shifts
0002 -> 0003, add teams, with commas
0001 -> 0002 (branchpoint), create events
<base> -> 0001, create volunteers
`;

describe('revision graph', () => {
  const graph = new RevisionGraph(parseHistory(HISTORY));

  it('parses parents and messages, including merges and commas in messages', () => {
    expect(graph.get('0005')).toEqual({
      id: '0005',
      down: ['0004', '0003'],
      message: 'merge heads',
      head: true
    });
    expect(graph.get('0003')?.message).toBe('add teams, with commas');
    expect(graph.get('0001')?.down).toEqual([]);
    expect(graph.heads()).toEqual(['0005']);
  });

  it('lists what an upgrade applies, parents first', () => {
    expect(graph.pending([], ['0005']).map(r => r.id)).toEqual(['0001', '0002', '0004', '0003', '0005']);
    expect(graph.pending(['0003'], ['0005']).map(r => r.id)).toEqual(['0004', '0005']);
    expect(graph.pending(['0005'], ['0005'])).toEqual([]);
    expect(graph.pending(['0002'], ['0003']).map(r => r.id)).toEqual(['0003']);
  });

  it('resolves head, full ids and unique prefixes, and names the input otherwise', () => {
    const g = new RevisionGraph(parseHistory('<base> -> ae10, one\nae10 -> ae27 (head), two\n'));
    expect(g.resolveTarget('head', ['ae27'])).toEqual(['ae27']);
    expect(g.resolveTarget('ae10', ['ae27'])).toEqual(['ae10']);
    expect(g.resolveTarget('ae2', ['ae27'])).toEqual(['ae27']);
    expect(() => g.resolveTarget('ae', ['ae27'])).toThrow(InputError);
    expect(() => g.resolveTarget('ae', ['ae27'])).toThrow("Input 'target' 'ae' is ambiguous");
    expect(() => g.resolveTarget('+1', ['ae27'])).toThrow("Input 'target' '+1' is not a revision");
  });

  it('reads heads and current output, ignoring decorations', () => {
    expect(parseRevisionList('0003 (head)\n0002 (head)\n')).toEqual(['0003', '0002']);
    const twoHeads = new RevisionGraph(
      parseHistory('0001 -> 0003 (head), b\n0001 -> 0002 (head), a\n<base> -> 0001 (branchpoint), x\n')
    );
    expect(twoHeads.heads()).toEqual(['0003', '0002']);
    expect(parseRevisionList('')).toEqual([]);
    expect(
      parseRevisionList('INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.\n0002\n')
    ).toEqual(['0002']);
    expect(parseRevisionList('ae1027a6acf (effective head)\n')).toEqual(['ae1027a6acf']);
  });
});

describe('upgrade log', () => {
  it('parses the Running upgrade lines, from base and from a merge', () => {
    expect(
      parseRunningLine('INFO  [alembic.runtime.migration] Running upgrade  -> 0001, create volunteers')
    ).toEqual({
      revision: '0001',
      from: [],
      message: 'create volunteers'
    });
    expect(
      parseRunningLine('INFO  [alembic.runtime.migration] Running upgrade 0003, 0004 -> 0005, merge')?.from
    ).toEqual(['0003', '0004']);
    expect(
      parseRunningLine('INFO  [alembic.runtime.migration] Will assume transactional DDL.')
    ).toBeUndefined();
  });

  it('times each revision from its announcement to the next one or the end', () => {
    let t = 1000;
    const clock = new UpgradeClock(() => t);
    clock.line('INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.');
    clock.line('INFO  [alembic.runtime.migration] Running upgrade  -> 0001, a');
    t = 1250;
    clock.line('INFO  [alembic.runtime.migration] Running upgrade 0001 -> 0002, b');
    t = 1900;
    expect(clock.finish().map(r => [r.revision, r.durationMs])).toEqual([
      ['0001', 250],
      ['0002', 650]
    ]);
    expect(clock.last?.revision).toBe('0002');
  });
});

describe('alembicFailure', () => {
  it("takes Alembic's FAILED line", () => {
    expect(
      alembicFailure(
        'INFO  [x] y\nERROR [alembic.util.messaging] Bad\nFAILED: Multiple head revisions are present\n'
      )
    ).toBe('Multiple head revisions are present');
  });

  it('takes the last exception line and its SQL, not the traceback', () => {
    const stderr = `Traceback (most recent call last):
  File "x.py", line 1, in <module>
psycopg2.errors.UndefinedTable: relation "shifts" does not exist

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "y.py", line 2, in upgrade
sqlalchemy.exc.ProgrammingError: (psycopg2.errors.UndefinedTable) relation "shifts" does not exist

[SQL: CREATE INDEX ix_shifts_starts
ON shifts (starts_at)]
(Background on this error at: https://sqlalche.me/e/14/f405)`;
    expect(alembicFailure(stderr)).toBe(
      'sqlalchemy.exc.ProgrammingError: (psycopg2.errors.UndefinedTable) relation "shifts" does not exist [SQL: CREATE INDEX ix_shifts_starts ON shifts (starts_at)]'
    );
  });

  it('returns undefined when there is nothing recognisable', () => {
    expect(
      alembicFailure('INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.\n')
    ).toBeUndefined();
  });
});

describe('splitCommandLine', () => {
  it('splits words and honours quotes and escapes', () => {
    expect(splitCommandLine('python -m alembic')).toEqual(['python', '-m', 'alembic']);
    expect(splitCommandLine(`"/opt/my env/bin/alembic" -x 'a b' c\\ d`)).toEqual([
      '/opt/my env/bin/alembic',
      '-x',
      'a b',
      'c d'
    ]);
    expect(splitCommandLine('  ')).toEqual([]);
    expect(() => splitCommandLine('alembic "oops')).toThrow('unterminated " quote');
  });
});
