// The migrate action (dist/migrate, as the runner starts it) cancelled mid-upgrade, while a revision runs a long
// statement (pg_sleep, which psycopg2 does not interrupt on SIGINT): the migration lock must not be released while
// the Alembic process or its database sessions still migrate, and the next run must never migrate beside them.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { sharedPostgres } from '../../test-support/shared.js';
import type { PostgresServer } from '../../test-support/postgres.js';
import { startAction, type ActionResult } from '../../test-support/action-process.js';
import { fixture, query, tables, versions } from './helpers.js';

let server: PostgresServer;
const databases: string[] = [];

beforeAll(async () => {
  server = await sharedPostgres();
});

afterAll(async () => {
  for (const db of databases) await server.dropDatabase(db).catch(() => undefined);
});

const inputs = (url: string) => ({
  'database-url': url,
  'working-directory': fixture('slow'),
  alembic: '/usr/bin/python3 -m alembic',
  'lock-timeout': '2m'
});

/** Pids of the processes (any program) whose environment carries MIGRATE_TEST_RUN=<marker>. */
function processesOf(marker: string): number[] {
  const pids: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const env = readFileSync(`/proc/${d}/environ`, 'utf8').split('\0');
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state !== 'Z' && env.includes(`MIGRATE_TEST_RUN=${marker}`)) pids.push(Number(d));
    } catch {
      // gone while we looked, or not ours to read
    }
  }
  return pids;
}

/** Sessions of `db` (other than the asking one) running the slow revision's statement. */
async function sleepingSessions(url: string): Promise<{ pid: number; application_name: string }[]> {
  return query<{ pid: number; application_name: string }>(
    url,
    `SELECT pid, application_name FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'SELECT pg_sleep(%'`
  );
}

async function waitUntil(check: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await check())) await new Promise(r => setTimeout(r, 100));
}

const errorLines = (r: ActionResult) => r.stdout.split('\n').filter(l => l.startsWith('::error::'));

describe.each(['SIGINT', 'SIGTERM', 'SIGKILL'] as const)('migrate cancelled by %s mid-upgrade', signal => {
  test('nothing of it migrates on, and the next run applies the rest and reports it right', async () => {
    const db = `migrate_cancel_${process.pid}_${signal.toLowerCase()}`;
    databases.push(db);
    const url = await server.createDatabase(db);
    const marker = randomBytes(6).toString('hex');
    const first = startAction('migrate', inputs(url), {
      SLOW_REVISION_SECONDS: '600',
      MIGRATE_TEST_RUN: marker
    });
    await first.waitFor(/Running upgrade 0001 -> 0002/);
    await waitUntil(async () => (await sleepingSessions(url)).length > 0);
    // 0001 committed on its own; 0002 is mid-way, its table created but not committed.
    expect(await versions(url)).toEqual(['0001']);
    expect(processesOf(marker).length).toBeGreaterThan(1); // node and the Alembic process

    first.child.kill(signal);
    const cancelled = await first.done;
    if (signal === 'SIGKILL') {
      expect(cancelled.signal).toBe('SIGKILL');
    } else {
      expect(cancelled.code).toBe(1);
      expect(errorLines(cancelled)).toEqual([
        expect.stringMatching(new RegExp(`^::error::Cancelled by ${signal};`))
      ]);
      expect(cancelled.summary).toContain('## Cancelled');
      // Its Alembic process and its sessions were gone before it let the lock go (and exited).
      expect(processesOf(marker)).toEqual([]);
      expect(await sleepingSessions(url)).toEqual([]);
    }

    const second = await startAction('migrate', inputs(url), {
      SLOW_REVISION_SECONDS: '0',
      // Should it wait on a lock of a session left behind, it fails instead of waiting 600 s.
      PGOPTIONS: '-c lock_timeout=10s'
    }).done;
    expect(errorLines(second)).toEqual([]);
    expect(second.code).toBe(0);
    expect(second.outputs['from-revision']).toBe('0001');
    expect(second.outputs['to-revision']).toBe('0003');
    expect(second.outputs['applied-count']).toBe('2');
    expect(await versions(url)).toEqual(['0003']);
    expect(await tables(url)).toEqual(['alembic_version', 'shifts', 'signups', 'volunteers']);
    // Nothing of the cancelled run is left: no process, no session.
    expect(processesOf(marker)).toEqual([]);
    expect(await sleepingSessions(url)).toEqual([]);
    if (signal === 'SIGKILL')
      // The killed run could not end its session; the next one did, before migrating, and says so.
      expect(second.stdout).toMatch(
        /Ended 1 database session left by an interrupted upgrade \(pid \d+, application 'migrate upgrade [0-9a-f]+/
      );
  }, 180_000);
});
