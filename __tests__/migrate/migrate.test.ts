import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import pg from 'pg';
import { sharedPostgres } from '../../test-support/shared.js';
import type { PostgresServer } from '../../test-support/postgres.js';
import { MIGRATION_LOCK_KEY } from '../../src/alembic/migrate.js';
import { clearSecretsForTest, registerUrlSecrets } from '../../src/kit/secrets.js';
import { exampleApp, fixture, runMigrate, tables, versions, type Run } from './helpers.js';

let server: PostgresServer;
let counter = 0;
const seen: Run[] = [];

/** A fresh database for one test. */
async function freshDatabase(): Promise<string> {
  const url = await server.createDatabase(`migrate_${process.pid}_${++counter}`);
  registerUrlSecrets(url);
  return url;
}

async function run(...args: Parameters<typeof runMigrate>): Promise<Run> {
  const r = await runMigrate(...args);
  seen.push(r);
  return r;
}

beforeAll(async () => {
  server = await sharedPostgres();
});

afterAll(async () => {
  clearSecretsForTest();
  for (let i = 1; i <= counter; i++)
    await server.dropDatabase(`migrate_${process.pid}_${i}`).catch(() => undefined);
});

describe('migrate against real PostgreSQL with Alembic', () => {
  it('upgrades the example app from empty to a middle revision, then to head', async () => {
    const url = await freshDatabase();
    const middle = await run(url, exampleApp, { target: '0002' });
    expect(middle.report.failure).toBeUndefined();
    expect(middle.report.from).toEqual([]);
    expect(middle.report.to).toEqual(['0002']);
    expect(middle.report.applied.map(a => a.revision)).toEqual(['0001', '0002']);
    expect(middle.report.applied.every(a => a.message.length > 0 && a.durationMs !== undefined)).toBe(true);
    expect(await versions(url)).toEqual(['0002']);
    expect(await tables(url)).toEqual(expect.arrayContaining(['volunteers', 'events']));
    expect(await tables(url)).not.toContain('signups');

    const head = await run(url, exampleApp);
    expect(head.report.failure).toBeUndefined();
    expect(head.report.from).toEqual(['0002']);
    expect(head.report.to).toEqual(['0003']);
    expect(head.report.applied.map(a => a.revision)).toEqual(['0003']);
    expect(head.sql).toContain('-- Running upgrade 0002 -> 0003');
    expect(head.sql).not.toContain('-- Running upgrade 0001 -> 0002');
    expect(head.summary).toContain('| `0003` |');
    expect(await versions(url)).toEqual(['0003']);
    expect(await tables(url)).toContain('signups');

    const again = await run(url, exampleApp);
    expect(again.report.failure).toBeUndefined();
    expect(again.report.applied).toEqual([]);
    expect(again.lines.join('\n')).toContain('Nothing to do');
  });

  it('refuses a destructive revision, quoting it with its revision, then applies it when allowed', async () => {
    const url = await freshDatabase();
    expect((await run(url, fixture('destructive'), { target: '0001' })).report.failure).toBeUndefined();

    const refused = await run(url, fixture('destructive'));
    expect(refused.report.failure).toContain("without 'allow-destructive: true'");
    expect(refused.report.failure).toContain(
      'revision 0002 (drop phone, widen name), DROP COLUMN: ALTER TABLE volunteers DROP COLUMN phone'
    );
    expect(refused.report.failure).toContain(
      'ALTER COLUMN TYPE: ALTER TABLE volunteers ALTER COLUMN name TYPE VARCHAR(500)'
    );
    expect(refused.report.destructive).toBe(true);
    expect(
      refused.report.findings.filter(f => f.kind === 'incompatible').map(f => `${f.revision} ${f.rule}`)
    ).toEqual(['0003 RENAME', '0003 SET NOT NULL without default']);
    expect(refused.summary).toContain('### Findings');
    expect(await versions(url)).toEqual(['0001']);
    expect(await tables(url)).toContain('volunteers');

    const allowed = await run(url, fixture('destructive'), { allowDestructive: true });
    expect(allowed.report.failure).toBeUndefined();
    expect(allowed.report.applied.map(a => a.revision)).toEqual(['0002', '0003']);
    expect(await versions(url)).toEqual(['0003']);
    expect(await tables(url)).toEqual(['alembic_version', 'members']);
  });

  it('dry-run changes nothing and writes the SQL of the whole pending range', async () => {
    const url = await freshDatabase();
    const dry = await run(url, fixture('linear'), { dryRun: true });
    expect(dry.report.failure).toBeUndefined();
    expect(dry.report.pending.map(r => r.id)).toEqual(['0001', '0002', '0003']);
    expect(dry.report.applied).toEqual([]);
    expect(dry.report.to).toEqual(['0003']);
    expect(dry.sql).toContain('CREATE TABLE volunteers');
    expect(dry.sql).toContain('ALTER TABLE events ADD COLUMN starts_at');
    expect(dry.summary).toContain('dry run');
    expect(await tables(url)).toEqual([]);
  });

  it('rolls a failing revision back and reports which one failed and why', async () => {
    const url = await freshDatabase();
    const failed = await run(url, fixture('failing'));
    expect(failed.report.failedRevision).toBe('0003');
    expect(failed.report.failure).toContain('Revision 0003 (add index on a missing table) failed');
    expect(failed.report.failure).toContain('relation "shifts" does not exist');
    expect(failed.report.failure).toContain('rolled back to <base> (no revision), where this run started');
    expect(failed.report.applied).toEqual([]);
    expect(failed.report.to).toEqual([]);
    expect(await tables(url)).toEqual([]);
    expect(failed.summary).toContain('failed, rolled back');
  });

  it('with a transaction per revision, keeps the revisions before the failing one and says so', async () => {
    const url = await freshDatabase();
    const failed = await run(url, fixture('failing-per-revision'));
    expect(failed.report.failedRevision).toBe('0003');
    expect(failed.report.failure).toContain('Revision 0003 (add index on a missing table) failed');
    expect(failed.report.failure).toContain('The database is now at 0002: 0001, 0002 stayed applied');
    expect(failed.report.applied.map(a => a.revision)).toEqual(['0001', '0002']);
    expect(failed.report.to).toEqual(['0002']);
    expect(await versions(url)).toEqual(['0002']);
  });

  it('names the alembic input when its command cannot run', async () => {
    const url = await freshDatabase();
    const r = await run(url, fixture('linear'), { alembic: ['/nonexistent/alembic'] });
    expect(r.report.failure).toBe(
      "cannot run '/nonexistent/alembic': not found (input 'alembic' is '/nonexistent/alembic')"
    );
  });

  it('refuses two heads before touching the database, naming both and the merge command', async () => {
    const url = await freshDatabase();
    const r = await run(url, fixture('two-heads'));
    expect(r.report.failure).toMatch(/Alembic has 2 heads: 000[23] \(create \w+\), 000[23] \(create \w+\)/);
    expect(r.report.failure).toMatch(/alembic merge -m "merge heads" 000[23] 000[23]/);
    expect(r.report.failure).toContain('0002 (create events)');
    expect(r.report.failure).toContain('0003 (create teams)');
    expect(r.report.sqlFile).toBeUndefined();
    expect(await tables(url)).toEqual([]);
  });

  it('refuses revisions that cannot render offline unless allow-destructive, then applies them', async () => {
    const url = await freshDatabase();
    const refused = await run(url, fixture('data-migration'));
    expect(refused.report.render?.ok).toBe(false);
    expect(refused.report.render?.revision).toBe('0002');
    expect(refused.report.failure).toContain('cannot be previewed as offline SQL');
    expect(refused.report.failure).toContain('revision 0002');
    expect(refused.sql).toMatch(/^-- INCOMPLETE: /);
    expect(await tables(url)).toEqual([]);

    const allowed = await run(url, fixture('data-migration'), { allowDestructive: true });
    expect(allowed.report.failure).toBeUndefined();
    expect(await versions(url)).toEqual(['0002']);
  });

  it('times out waiting for the lock, naming the timeout and the session holding it', async () => {
    const url = await freshDatabase();
    const holder = new pg.Client({ connectionString: url, application_name: 'another pipeline' });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY.toString()]);
      const r = await run(url, fixture('linear'), { lockTimeoutMs: 1500, lockPollMs: 200 });
      expect(r.report.failure).toMatch(
        /^Timed out after 1\.5s waiting for the migration lock: held by pid \d+ \(user \w+, application 'another pipeline', from 127\.0\.0\.1/
      );
      expect(r.report.failure).toContain("Raise 'lock-timeout'");
      expect(r.lines.join('\n')).toContain('Waiting up to 1.5s for the migration lock held by pid');
      expect(await tables(url)).toEqual([]);
    } finally {
      await holder.end();
    }
  });

  it('serialises two concurrent runs: one applies, the other waits and finds nothing to do', async () => {
    const url = await freshDatabase();
    const [a, b] = await Promise.all([run(url, fixture('linear')), run(url, fixture('linear'))]);
    expect(a.report.failure).toBeUndefined();
    expect(b.report.failure).toBeUndefined();
    expect([a.report.applied.length, b.report.applied.length].sort()).toEqual([0, 3]);
    expect(a.report.to).toEqual(['0003']);
    expect(b.report.to).toEqual(['0003']);
    expect(await versions(url)).toEqual(['0003']);
  });

  it('gives one clear line for a wrong password', async () => {
    const good = new URL(await freshDatabase());
    good.password = 'not-the-password-7f3a';
    registerUrlSecrets(good.toString());
    const r = await run(good.toString(), fixture('linear'));
    expect(r.report.failure).toMatch(
      /^Cannot connect to PostgreSQL at 127\.0\.0\.1:\d+, database migrate_\S+, user \w+: password authentication failed for user "\w+" \(28P01\)$/
    );
    expect(r.everything).not.toContain('not-the-password-7f3a');
  });

  it('gives one clear line for an unreachable host', async () => {
    const port = await closedPort();
    const r = await run(`postgresql://app:secret-pw-0042@127.0.0.1:${port}/app`, fixture('linear'));
    expect(r.report.failure).toBe(
      `Cannot connect to PostgreSQL at 127.0.0.1:${port}, database app, user app: connect ECONNREFUSED 127.0.0.1:${port} (ECONNREFUSED)`
    );
  });

  it('never shows the database password in logs, summaries, SQL files or errors', () => {
    expect(seen.length).toBeGreaterThan(10);
    for (const r of seen) {
      expect(r.everything).not.toContain(server.password);
      expect(r.everything).not.toContain(encodeURIComponent(server.password));
    }
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>(resolve => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>(resolve => s.close(() => resolve()));
  return port;
}
