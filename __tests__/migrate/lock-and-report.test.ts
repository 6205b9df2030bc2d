import { describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { acquireAdvisoryLock, advisoryLockKey } from '../../src/postgres/advisory-lock.js';
import { describeConnection } from '../../src/postgres/url.js';
import { migrationSummary } from '../../src/alembic/summary.js';
import type { MigrationReport } from '../../src/alembic/migrate.js';

/** A pg.Client stand-in: the lock is free after `busyPolls` attempts; one holder is visible while busy. */
function fakeClient(busyPolls: number) {
  const calls: string[] = [];
  let attempts = 0;
  const client = {
    async query(sql: string) {
      calls.push(sql.trim().split(/\s+/).slice(0, 2).join(' '));
      if (sql.includes('pg_try_advisory_lock')) return { rows: [{ locked: ++attempts > busyPolls }] };
      if (sql.includes('pg_locks'))
        return {
          rows: [
            {
              pid: 4242,
              usename: 'doadmin',
              application_name: 'migrate org/app run 7',
              client_addr: '10.0.0.7',
              backend_start: new Date('2026-11-25T18:00:00Z'),
              state: 'active'
            }
          ]
        };
      return { rows: [] };
    }
  };
  return { client: client as unknown as pg.Client, calls };
}

function fakeTime() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms), slept: () => t };
}

describe('acquireAdvisoryLock', () => {
  it('polls until the holder lets go, telling once who it waits for', async () => {
    const { client, calls } = fakeClient(3);
    const time = fakeTime();
    const waits: string[] = [];
    const lock = await acquireAdvisoryLock(client, 42n, {
      timeoutMs: 10_000,
      pollMs: 500,
      onWait: holders => waits.push(holders.map(h => h.application).join()),
      ...time
    });
    expect(lock.waitedMs).toBe(1500);
    expect(waits).toEqual(['migrate org/app run 7']);
    expect(calls.filter(c => c === 'SELECT pg_try_advisory_lock($1::bigint)')).toHaveLength(4);
    await lock.release();
    expect(calls.pop()).toBe('SELECT pg_advisory_unlock($1::bigint)');
  });

  it('gives up at the timeout, naming it and the holder', async () => {
    const { client } = fakeClient(Infinity);
    const time = fakeTime();
    await expect(
      acquireAdvisoryLock(client, 42n, { timeoutMs: 2000, pollMs: 750, label: 'the migration lock', ...time })
    ).rejects.toThrow(
      "Timed out after 2.0s waiting for the migration lock: held by pid 4242 (user doadmin, application 'migrate org/app run 7', from 10.0.0.7, connected since 2026-11-25T18:00:00.000Z, state active)"
    );
    expect(time.slept()).toBe(2000); // the last wait is cut to the deadline
  });

  it('derives a stable signed 64-bit key from a name', () => {
    const key = advisoryLockKey('app-platform-pipeline/migrate');
    expect(key).toBe(advisoryLockKey('app-platform-pipeline/migrate'));
    expect(key).not.toBe(advisoryLockKey('something else'));
    expect(BigInt.asIntN(64, key)).toBe(key);
  });

  it('describes a database URL without its password', () => {
    expect(
      describeConnection('postgresql://doadmin:s3cret@db.example.com:25060/defaultdb?sslmode=require')
    ).toBe('db.example.com:25060, database defaultdb, user doadmin');
  });
});

describe('migrationSummary', () => {
  const base: MigrationReport = {
    heads: ['0003'],
    databaseRead: true,
    from: ['0001'],
    to: ['0002'],
    targets: ['0003'],
    pending: [
      { id: '0002', down: ['0001'], message: 'create events' },
      { id: '0003', down: ['0002'], message: 'add index' }
    ],
    applied: [{ revision: '0002', message: 'create events', durationMs: 1250 }],
    findings: [
      { kind: 'incompatible', rule: 'RENAME', revision: '0003', statement: 'ALTER TABLE a RENAME TO b' }
    ],
    destructive: false,
    render: { ok: true },
    sql: '-- Running upgrade 0001 -> 0002\nCREATE TABLE events (id int);',
    sqlFile: '/tmp/x.sql',
    dryRun: false,
    durationMs: 4200,
    failedRevision: '0003',
    failure: 'Revision 0003 (add index) failed: boom.'
  };

  it('shows from -> to, each revision with status and duration, the findings and the folded SQL', () => {
    const md = migrationSummary(base, 'db.example.com:25060, database d, user u');
    expect(md).toContain('| **From** | 0001 |');
    expect(md).toContain('| **To** | 0002 |');
    expect(md).toContain('| `0002` | create events | applied | 1.3s |');
    expect(md).toContain('| `0003` | add index | failed, rolled back |  |');
    expect(md).toContain('| incompatible | RENAME | 0003 | `ALTER TABLE a RENAME TO b` |');
    expect(md).toContain('<details><summary>SQL preview (2 revision(s))</summary>');
    expect(md).toContain('Revision 0003 (add index) failed: boom.');
  });

  it('leaves out what was never learnt when the run failed before reading the database', () => {
    const md = migrationSummary(
      { ...base, databaseRead: false, render: undefined, pending: [], failure: 'Cannot connect' },
      'x'
    );
    expect(md).not.toContain('**From**');
    expect(md).not.toContain('**Destructive**');
    expect(md).toContain('❌ failed');
  });
});
