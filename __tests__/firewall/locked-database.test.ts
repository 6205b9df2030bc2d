import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMainAndPost, type MainAndPost } from '../../test-support/action-steps.js';
import { startLockedDatabase, type LockedDatabase } from '../../test-support/locked-database.js';
import { queryRows } from '../../test-support/postgres.js';
import { sharedPostgres, type PostgresServer } from '../../test-support/shared.js';
import { exampleApp, fixture } from '../migrate/helpers.js';

// migrate and backup (backup, verify, restore) as GitHub runs them - main step, then the post step (post-if:
// always()) - against a database only the simulator's firewall rules open, through the TCP gate.
let pg: PostgresServer;
let locked: LockedDatabase;
const work = mkdtempSync(join(tmpdir(), 'locked-db-test-'));
const storageUrl = `file://${work}/nightly/app`;
const PASSPHRASE = 'correct horse battery staple';
const databases: string[] = [];
let run = 0;

afterAll(async () => {
  await locked?.stop();
  for (const db of databases) await pg.dropDatabase(db);
  rmSync(work, { recursive: true, force: true });
});

beforeAll(async () => {
  pg = await sharedPostgres();
  locked = await startLockedDatabase(pg);
});

async function database(name: string): Promise<string> {
  const db = `locked_${process.pid}_${name}`;
  databases.push(db);
  await pg.createDatabase(db);
  return locked.url(db);
}

/** Whether a new connection through the gate gets in. */
const connects = (url: string) =>
  queryRows(url, 'SELECT 1').then(
    () => true,
    () => false
  );

function steps(
  name: 'migrate' | 'backup',
  inputs: Record<string, string>,
  cancelWhen?: (line: string) => boolean
) {
  run++;
  return runMainAndPost({
    name,
    inputs: {
      'trusted-source': 'runner-ip',
      'digitalocean-token': locked.sim.token,
      'runner-ip-url': locked.ipService.url,
      'api-url': locked.sim.url,
      ...inputs
    },
    env: {
      ...process.env,
      GITHUB_REPOSITORY: 'acme/signupflow',
      GITHUB_RUN_ID: `${process.pid}${run}`,
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_JOB: name
    },
    cancelWhen
  });
}

/** After every run: the post step succeeded, our rule is gone, the other teams' rules are as they were. */
function expectClosed(r: MainAndPost, before: ReturnType<LockedDatabase['rules']>) {
  expect(r.post?.code).toBe(0);
  expect(r.post?.output).toMatch(
    /trusted-source: removed 127\.0\.0\.1 from the firewall of signupflow-db in/
  );
  expect(locked.extraRules()).toEqual([]);
  expect(locked.rules()).toEqual(before);
  expect(`${r.main.output}${r.post?.output}${r.main.summary}${r.post?.summary}`).not.toContain(
    locked.sim.token
  );
}

describe('migrate with trusted-source: runner-ip', () => {
  it('the database refuses a connection before, admits the job during, and refuses again after', async () => {
    const url = await database('migrate_ok');
    const before = locked.rules();
    expect(await connects(url)).toBe(false);
    const refusedBefore = locked.gate.refused.length;
    const r = await steps('migrate', {
      'database-url': url,
      'working-directory': exampleApp,
      alembic: '/usr/bin/alembic'
    });
    expect(r.main.code).toBe(0);
    expect(r.main.outputs['applied-count']).toBe('3');
    expect(r.main.output).toMatch(
      /trusted-source: added 127\.0\.0\.1 to the firewall of signupflow-db \(rule [0-9a-f-]{36}, 'app-platform-pipeline acme\/signupflow run \d+ attempt 1 job migrate'\)/
    );
    expect(locked.gate.refused.length).toBe(refusedBefore);
    expectClosed(r, before);
    expect(await connects(url)).toBe(false);
    // the migration really reached the database (read here directly, not through the gate)
    const rows = await queryRows<{ v: string }>(
      pg.urlFor(`locked_${process.pid}_migrate_ok`),
      'SELECT version_num AS v FROM alembic_version'
    );
    expect(rows.map(x => x.v)).toEqual(['0003']);
  }, 180_000);

  it('a failing migration: the step fails, the post step still removes the rule', async () => {
    const url = await database('migrate_fail');
    const before = locked.rules();
    const r = await steps('migrate', {
      'database-url': url,
      'working-directory': fixture('failing'),
      alembic: '/usr/bin/alembic'
    });
    expect(r.main.code).not.toBe(0);
    expect(r.main.output).toMatch(/::error::/);
    expectClosed(r, before);
  }, 180_000);

  it('cancelled (SIGINT) once the rule is in place: the post step removes it', async () => {
    const url = await database('migrate_cancel');
    const before = locked.rules();
    const r = await steps(
      'migrate',
      { 'database-url': url, 'working-directory': exampleApp, alembic: '/usr/bin/alembic' },
      line => line.startsWith('trusted-source: added')
    );
    expect(r.main.code === 0 && r.main.signal === null).toBe(false);
    expect(r.main.output).not.toMatch(/Applied|applied 3/);
    expectClosed(r, before);
  }, 180_000);
});

describe('backup with trusted-source: runner-ip', () => {
  it('backup, verify and restore each open the firewall for their work only; a bad passphrase fails and still closes', async () => {
    const source = await database('backup_src');
    const before = locked.rules();
    const m = await steps('migrate', {
      'database-url': source,
      'working-directory': exampleApp,
      alembic: '/usr/bin/alembic'
    });
    expect(m.main.code).toBe(0);
    expectClosed(m, before);

    const b = await steps('backup', {
      'database-url': source,
      'storage-url': storageUrl,
      passphrase: PASSPHRASE
    });
    expect(b.main.code).toBe(0);
    expect(b.main.outputs['backup-id']).toMatch(/^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{6}$/);
    expectClosed(b, before);

    const scratch = locked.url(pg.database);
    const v = await steps('backup', {
      mode: 'verify',
      'database-url': scratch,
      'storage-url': storageUrl,
      passphrase: PASSPHRASE
    });
    expect(v.main.code).toBe(0);
    expect(v.main.summary).toMatch(/Restore drill .*: passed/);
    expectClosed(v, before);

    const target = await database('backup_target');
    const rs = await steps('backup', {
      mode: 'restore',
      'database-url': target,
      'storage-url': storageUrl,
      passphrase: PASSPHRASE
    });
    expect(rs.main.code).toBe(0);
    expectClosed(rs, before);
    expect(await connects(target)).toBe(false);
    const rows = await queryRows<{ v: string }>(
      pg.urlFor(`locked_${process.pid}_backup_target`),
      'SELECT version_num AS v FROM alembic_version'
    );
    expect(rows.map(x => x.v)).toEqual(['0003']);

    const bad = await steps('backup', {
      mode: 'verify',
      'database-url': scratch,
      'storage-url': storageUrl,
      passphrase: 'wrong-passphrase'
    });
    expect(bad.main.code).not.toBe(0);
    expectClosed(bad, before);
  }, 300_000);

  it('cancelled (SIGINT) mid-backup: the post step removes the rule', async () => {
    const source = await database('backup_cancel');
    const before = locked.rules();
    const r = await steps(
      'backup',
      { 'database-url': source, 'storage-url': `${storageUrl}-cancel`, passphrase: PASSPHRASE },
      line => line.startsWith('trusted-source: added')
    );
    expect(r.main.code === 0 && r.main.signal === null).toBe(false);
    expectClosed(r, before);
  }, 180_000);

  it('a token without the database scope: the step fails with one line naming the scope, before any work', async () => {
    const source = await database('backup_scope');
    locked.sim.databases.tokenScopes = new Set(['app:read']);
    try {
      const r = await steps('backup', {
        'database-url': source,
        'storage-url': `${storageUrl}-scope`,
        passphrase: PASSPHRASE
      });
      expect(r.main.code).not.toBe(0);
      const errors = r.main.output.split('\n').filter(l => l.startsWith('::error::'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(
        /^::error::trusted-source: the DigitalOcean token lacks the database scope .*HTTP 403 forbidden/
      );
      expect(r.post?.code).toBe(0);
      expect(locked.extraRules()).toEqual([]);
    } finally {
      locked.sim.databases.tokenScopes = undefined;
    }
  }, 120_000);
});
