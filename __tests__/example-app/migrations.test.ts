// Alembic migrations of the example app against a real PostgreSQL, with Debian's /usr/bin/alembic.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { alembic, EXAMPLE_DIR } from './processes.js';
import { queryRows as query } from '../../test-support/postgres.js';
import { sharedPostgres, type PostgresServer } from '../../test-support/shared.js';

let server: PostgresServer;
const databases: string[] = [];

// One outer describe: its afterAll (dropping what we created) must run before sharedPostgres' own afterAll
// stops a per-file server.
describe('example app migrations', () => {
  beforeAll(async () => {
    server = await sharedPostgres();
  });

  const role = `signupflow_pw_${process.pid}`;

  afterAll(async () => {
    for (const name of databases) await server.dropDatabase(name);
    await query(server.url, `DROP ROLE IF EXISTS ${role}`);
  });

  async function freshDatabase(label: string): Promise<string> {
    const name = `signupflow_${label}_${process.pid}`;
    databases.push(name);
    await server.dropDatabase(name);
    return server.createDatabase(name);
  }

  const tablesSql = `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`;

  describe('alembic upgrade head from an empty database', () => {
    let url: string;

    beforeAll(async () => {
      url = await freshDatabase('upgrade');
    });

    test('creates the three tables and records revision 0003 (postgres:// URL form)', async () => {
      // Heroku/DigitalOcean hand out postgres://; env.py must accept it.
      const result = alembic(
        ['-c', 'alembic.ini', 'upgrade', 'head'],
        url.replace(/^postgresql:/, 'postgres:')
      );
      expect(result.stderr).toContain('Running upgrade 0002 -> 0003');
      expect(result.status).toBe(0);
      const tables = (await query<{ table_name: string }>(url, tablesSql)).map(r => r.table_name);
      expect(tables).toEqual(['alembic_version', 'events', 'signups', 'volunteers']);
      expect(await query(url, 'SELECT version_num FROM alembic_version')).toEqual([{ version_num: '0003' }]);
    });

    test('declares the foreign keys, the unique constraint and the indexes', async () => {
      const constraints = await query<{ conname: string; contype: string }>(
        url,
        `SELECT conname, contype FROM pg_constraint WHERE conrelid = 'signups'::regclass AND contype IN ('f', 'u') ORDER BY 1`
      );
      expect(constraints).toEqual([
        { conname: 'fk_signups_event', contype: 'f' },
        { conname: 'fk_signups_volunteer', contype: 'f' },
        { conname: 'uq_signups_volunteer_event', contype: 'u' }
      ]);
      const indexes = (
        await query<{ indexname: string }>(
          url,
          `SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE 'ix_%' ORDER BY 1`
        )
      ).map(r => r.indexname);
      expect(indexes).toEqual(['ix_events_starts_at', 'ix_signups_event_id', 'ix_volunteers_email_lower']);
      // The email index is case-insensitive: a second spelling of one address is refused.
      await query(url, `INSERT INTO volunteers (name, email) VALUES ('Ann', 'ann@church.org')`);
      await expect(
        query(url, `INSERT INTO volunteers (name, email) VALUES ('Ann', 'ANN@church.org')`)
      ).rejects.toThrow(/ix_volunteers_email_lower/);
    });

    test('is idempotent, and downgrades to base and back', async () => {
      expect(alembic(['-c', 'alembic.ini', 'upgrade', 'head'], url).status).toBe(0);
      const down = alembic(['-c', 'alembic.ini', 'downgrade', 'base'], url);
      expect(down.status).toBe(0);
      expect((await query<{ table_name: string }>(url, tablesSql)).map(r => r.table_name)).toEqual([
        'alembic_version'
      ]);
      expect(alembic(['-c', 'alembic.ini', 'upgrade', '0002'], url).status).toBe(0);
      expect(await query(url, 'SELECT version_num FROM alembic_version')).toEqual([{ version_num: '0002' }]);
      expect(alembic(['-c', 'alembic.ini', 'upgrade', 'head'], url).status).toBe(0);
      expect(await query(url, 'SELECT version_num FROM alembic_version')).toEqual([{ version_num: '0003' }]);
    });
  });

  test('works from another working directory with an absolute -c path (as the migrate action may run it)', async () => {
    const url = await freshDatabase('elsewhere');
    const result = alembic(['-c', join(EXAMPLE_DIR, 'alembic.ini'), 'upgrade', 'head'], url, '/tmp');
    expect(result.status).toBe(0);
    expect(await query(url, 'SELECT version_num FROM alembic_version')).toEqual([{ version_num: '0003' }]);
  });

  test('a password with URL-special characters works (no ini interpolation of the URL)', async () => {
    const url = await freshDatabase('pwchars');
    const password = 'p%40ss w:rd/%?#';
    await query(server.url, `CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    await query(url, `GRANT ALL ON SCHEMA public TO ${role}`);
    const roleUrl = new URL(url);
    roleUrl.username = role;
    roleUrl.password = encodeURIComponent(password);
    const result = alembic(['-c', 'alembic.ini', 'upgrade', 'head'], roleUrl.toString());
    expect(result.stderr).not.toContain(password);
    expect(result.status).toBe(0);
    expect(await query(url, 'SELECT version_num FROM alembic_version')).toEqual([{ version_num: '0003' }]);
  });

  describe('offline mode (--sql)', () => {
    test('renders the whole upgrade without a database, one transaction per revision', () => {
      const result = alembic(['-c', 'alembic.ini', 'upgrade', 'head', '--sql'], undefined);
      expect(result.status).toBe(0);
      for (const table of ['volunteers', 'events', 'signups'])
        expect(result.stdout).toContain(`CREATE TABLE ${table} (`);
      expect(result.stdout).toContain(
        'CREATE UNIQUE INDEX ix_volunteers_email_lower ON volunteers (lower(email))'
      );
      expect(result.stdout.match(/^COMMIT;$/gm)).toHaveLength(3);
      expect(result.stdout).toContain("UPDATE alembic_version SET version_num='0003'");
    });

    test('the rendered SQL applied by hand gives the same schema as online mode', async () => {
      const url = await freshDatabase('offline');
      const result = alembic(['-c', 'alembic.ini', 'upgrade', 'head', '--sql'], url);
      expect(result.status).toBe(0);
      await query(url, result.stdout);
      const tables = (await query<{ table_name: string }>(url, tablesSql)).map(r => r.table_name);
      expect(tables).toEqual(['alembic_version', 'events', 'signups', 'volunteers']);
      expect(await query(url, 'SELECT version_num FROM alembic_version')).toEqual([{ version_num: '0003' }]);
    });
  });

  test('a DATABASE_URL that is not PostgreSQL fails with one line naming it', () => {
    const result = alembic(['-c', 'alembic.ini', 'upgrade', 'head'], 'mysql://u:secretpw@127.0.0.1/x');
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim()).toBe('DATABASE_URL must be a postgres:// or postgresql:// URL');
  });

  test('online mode without DATABASE_URL fails with one line naming it', () => {
    const result = alembic(['-c', 'alembic.ini', 'upgrade', 'head'], undefined);
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim()).toBe('DATABASE_URL is not set');
  });
});
