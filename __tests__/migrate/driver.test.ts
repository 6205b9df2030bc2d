// migrate asks Alembic's history, current revision and offline SQL in one Python process (alembic_driver.py,
// shipped beside the bundle), the upgrade included. Counted here with a `python3` that logs each
// start, behind an `alembic` console script, as pip installs one.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedPostgres } from '../../test-support/shared.js';
import type { PostgresServer } from '../../test-support/postgres.js';
import { runActionBundle } from '../../bin/run-bundle.js';
import { driverLaunch } from '../../src/alembic/alembic-driver.js';
import { exampleApp, fixture, repoRoot, runMigrate, versions } from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'migrate-driver-'));
const starts = join(work, 'python-starts.log');
let server: PostgresServer;
let n = 0;

/** bin/python3 logs its arguments and runs the real one; bin/alembic is a console script naming it in its #!. */
function countingInstall(): { alembic: string; shellAlembic: string } {
  const bin = join(work, 'bin');
  mkdirSync(bin, { recursive: true });
  const python = join(bin, 'python3');
  writeFileSync(python, `#!/bin/bash\necho "$*" >> '${starts}'\nexec /usr/bin/python3 "$@"\n`);
  chmodSync(python, 0o755);
  const alembic = join(bin, 'alembic');
  writeFileSync(
    alembic,
    `#!${python}\nimport sys\nfrom alembic.config import main\nif __name__ == "__main__":\n    sys.exit(main())\n`
  );
  chmodSync(alembic, 0o755);
  // A wrapper that is no Python script: the action cannot tell its interpreter and runs one command per question.
  const shellAlembic = join(work, 'shell', 'alembic');
  mkdirSync(join(work, 'shell'));
  writeFileSync(shellAlembic, `#!/bin/bash\nexec '${alembic}' "$@"\n`);
  chmodSync(shellAlembic, 0o755);
  return { alembic, shellAlembic };
}
const startsLogged = () => readFileSync(starts, 'utf8').trim().split('\n');
const fresh = () => server.createDatabase(`driver_${process.pid}_${++n}`);
let install: ReturnType<typeof countingInstall>;

beforeAll(async () => {
  server = await sharedPostgres();
  install = countingInstall();
});

afterAll(async () => {
  for (let i = 1; i <= n; i++) await server.dropDatabase(`driver_${process.pid}_${i}`).catch(() => undefined);
});

describe('one Python process for the questions', () => {
  it('empty to head: one Python start, the driver, which also upgrades (the command line took six)', async () => {
    const url = await fresh();
    writeFileSync(starts, '');
    const r = await runMigrate(url, fixture('linear'), { alembic: [install.alembic] });
    expect(r.report.failure).toBeUndefined();
    expect(r.report.applied.map(a => a.revision)).toEqual(['0001', '0002', '0003']);
    const logged = startsLogged();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/alembic_driver\.py \S+\/bin -c alembic\.ini$/);
    expect(r.lines).toContain(
      'INFO  [alembic.runtime.migration] Running upgrade 0002 -> 0003, add event starts_at'
    );

    // At head: only the driver.
    writeFileSync(starts, '');
    const again = await runMigrate(url, fixture('linear'), { alembic: [install.alembic] });
    expect(again.report.applied).toEqual([]);
    expect(startsLogged()).toHaveLength(1);
  });

  it('a command that is not a Python Alembic runs one process per question, with the same report', async () => {
    const viaDriver = await runMigrate(await fresh(), fixture('destructive'), { alembic: [install.alembic] });
    writeFileSync(starts, '');
    const viaCli = await runMigrate(await fresh(), fixture('destructive'), {
      alembic: [install.shellAlembic]
    });
    expect(startsLogged().every(l => !l.includes('alembic_driver'))).toBe(true);
    expect(startsLogged().length).toBeGreaterThanOrEqual(3);
    expect(viaCli.report.failure).toBe(viaDriver.report.failure);
    expect(viaCli.report.findings).toEqual(viaDriver.report.findings);
    expect(viaCli.report.pending).toEqual(viaDriver.report.pending);
    expect(viaCli.sql).toBe(viaDriver.sql);
  });

  it('a run that finds the lock free reads the revision twice: under the lock before, and after the upgrade', async () => {
    writeFileSync(starts, '');
    const r = await runMigrate(await fresh(), fixture('linear'), { alembic: [install.shellAlembic] });
    expect(r.report.failure).toBeUndefined();
    expect(r.report.applied.map(a => a.revision)).toEqual(['0001', '0002', '0003']);
    expect(startsLogged().filter(l => / current$/.test(l))).toHaveLength(2);
    expect(r.report.lockWaitedMs).toBe(0);
  });

  it('Alembic failures read as the command line reports them (unknown revision in the database)', async () => {
    const url = await fresh();
    const { queryRows } = await import('../../test-support/postgres.js');
    await queryRows(
      url,
      `CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); INSERT INTO alembic_version VALUES ('ffff')`
    );
    const viaDriver = await runMigrate(url, fixture('linear'), { alembic: [install.alembic] });
    const viaCli = await runMigrate(url, fixture('linear'), { alembic: [install.shellAlembic] });
    expect(viaDriver.report.failure).toContain(
      "alembic current failed: Can't locate revision identified by 'ffff'"
    );
    expect(viaDriver.report.failure).toBe(viaCli.report.failure);
  });

  it('the bundle runs the driver shipped in dist/migrate', async () => {
    const url = await fresh();
    writeFileSync(starts, '');
    const runnerTemp = mkdtempSync(join(work, 'runner-'));
    const r = await runActionBundle({
      name: 'migrate',
      inputs: { 'database-url': url, 'working-directory': exampleApp, alembic: install.alembic },
      env: { PATH: process.env.PATH, HOME: process.env.HOME, RUNNER_TEMP: runnerTemp },
      onLine: () => {}
    });
    expect(r.code).toBe(0);
    expect(await versions(url)).toEqual(['0003']);
    const driver = startsLogged().find(l => l.includes('.py '));
    expect(driver?.startsWith(join(repoRoot, 'dist', 'migrate'))).toBe(true);
    expect(startsLogged()).toHaveLength(1);
  });
});

describe('which commands get the driver', () => {
  it('python -m alembic (options kept), a console script by its #!, not a wrapper or another program', () => {
    const env = { PATH: `${join(work, 'bin')}:/usr/bin:/bin` };
    expect(driverLaunch(['/usr/bin/python3', '-m', 'alembic', '-x', 'tenant=a'], '/app', env)).toEqual({
      python: ['/usr/bin/python3'],
      alembicArgs: ['-x', 'tenant=a'],
      sysPath0: '/app'
    });
    expect(driverLaunch(['alembic', '-n', 'other'], '/app', env)).toEqual({
      python: [join(work, 'bin', 'python3')],
      alembicArgs: ['-n', 'other'],
      sysPath0: join(work, 'bin')
    });
    expect(driverLaunch([install.shellAlembic], '/app', env)).toBeUndefined();
    expect(driverLaunch(['python3', '-c', 'pass'], '/app', env)).toBeUndefined();
    expect(driverLaunch(['poetry', 'run', 'alembic'], '/app', env)).toBeUndefined();
    expect(driverLaunch(['/nonexistent/alembic'], '/app', env)).toBeUndefined();
  });
});
