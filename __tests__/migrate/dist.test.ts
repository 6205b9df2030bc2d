import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { sharedPostgres } from '../../test-support/shared.js';
import type { PostgresServer } from '../../test-support/postgres.js';
import { exampleApp, fixture, repoRoot, versions } from './helpers.js';
import { runActionBundle, type BundleRun } from '../../bin/run-bundle.js';

// The bundle GitHub runs, as a process: inputs in INPUT_* variables, outputs and summary in files.
const bundle = join(repoRoot, 'dist', 'migrate', 'index.js');
const work = mkdtempSync(join(tmpdir(), 'migrate-dist-test-'));
let server: PostgresServer;
let n = 0;

function runDist(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<BundleRun> {
  const dir = join(work, `run-${++n}`);
  mkdirSync(dir);
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ACTIONS_')));
  return runActionBundle({
    name: 'migrate',
    inputs,
    env: { ...clean, ...env, RUNNER_TEMP: dir },
    onLine: () => {}
  });
}

/** What a user sees: everything but the `::add-mask::` commands the runner consumes. */
function visible(r: BundleRun): string {
  const lines = `${r.stdout}\n${r.stderr}`.split('\n').filter(l => !l.startsWith('::add-mask::'));
  return [...lines, r.summary, JSON.stringify(r.outputs)].join('\n');
}

beforeAll(async () => {
  server = await sharedPostgres();
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: node scripts/build.mjs --only migrate`);
});

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  for (const name of ['concurrent', 'badpw', 'venv', 'failing'])
    await server.dropDatabase(`dist_${process.pid}_${name}`);
});

describe('dist/migrate as a process', () => {
  it('two concurrent pipelines both succeed; one applies, the other waits and finds nothing to do', async () => {
    const url = await server.createDatabase(`dist_${process.pid}_concurrent`);
    const inputs = {
      'database-url': url,
      'working-directory': exampleApp,
      alembic: '/usr/bin/alembic',
      'lock-timeout': '2m'
    };
    const [a, b] = await Promise.all([runDist(inputs), runDist(inputs)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect([a.outputs['applied-count'], b.outputs['applied-count']].sort()).toEqual(['0', '3']);
    for (const r of [a, b]) {
      expect(r.outputs['to-revision']).toBe('0003');
      expect(r.outputs['destructive']).toBe('false');
      expect(existsSync(r.outputs['sql-file']!)).toBe(true);
      expect(r.summary).toContain('## Database migration');
      expect(visible(r)).not.toContain(server.password);
    }
    const waiter = [a, b].find(r => r.outputs['applied-count'] === '0')!;
    expect(waiter.stdout).toMatch(
      /Waiting up to 2m 00s for the migration lock held by pid \d+ \(user \w+, application 'migrate pid \d+'|Nothing (left )?to do/
    );
    expect(await versions(url)).toEqual(['0003']);
  });

  it('fails a wrong password with one clear line and never prints the password', async () => {
    const url = new URL(await server.createDatabase(`dist_${process.pid}_badpw`));
    url.password = 'Wrong-Secret-1234';
    const r = await runDist({
      'database-url': url.toString(),
      'working-directory': fixture('linear'),
      alembic: '/usr/bin/alembic'
    });
    expect(r.code).toBe(1);
    const errors = r.stdout.split('\n').filter(l => l.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^::error::Cannot connect to PostgreSQL at 127\.0\.0\.1:\d+, database dist_\S+, user \w+: password authentication failed for user "\w+" \(28P01\)$/
    );
    // Masked for the runner first, then never printed.
    expect(r.stdout.split('\n')[0]).toBe('::add-mask::Wrong-Secret-1234');
    expect(visible(r)).not.toContain('Wrong-Secret-1234');
    // The step summary says why too.
    expect(r.summary).toMatch(/password authentication failed for user/);
  });

  it('a failing revision: one error line, and the step summary says which revision failed and why', async () => {
    const url = await server.createDatabase(`dist_${process.pid}_failing`);
    const r = await runDist({
      'database-url': url,
      'working-directory': fixture('failing'),
      alembic: '/usr/bin/alembic'
    });
    expect(r.code).toBe(1);
    const errors = r.stdout.split('\n').filter(l => l.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('Revision 0003 (add index on a missing table) failed');
    expect(r.summary).toContain('## Database migration');
    expect(r.summary).toContain('❌ failed');
    expect(r.summary).toContain('relation "shifts" does not exist');
  });

  it('fails a bad input with one line naming it, before running anything', async () => {
    const r = await runDist({
      'database-url': server.url,
      'working-directory': fixture('linear'),
      'lock-timeout': 'soon'
    });
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n').pop()).toBe(
      "::error::Input 'lock-timeout' must be a duration such as 90s, 5m, 1h or a number of seconds, got 'soon'"
    );
    expect(r.summary).toContain('## Failed: input `lock-timeout`');
    expect(r.summary).toContain("Input 'lock-timeout' must be a duration");
    const missing = await runDist({ 'database-url': server.url, 'working-directory': fixture('nope') });
    expect(missing.stdout).toMatch(
      /::error::Input 'working-directory' '.*fixtures\/nope' is not a directory/
    );
  });

  it('installs requirements into a virtualenv (no cache service here: a notice) and migrates with it', async () => {
    const wheels = join(work, 'wheels');
    const pkg = join(work, 'tinyhelper');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'tinyhelper.py'), 'TABLE = "helpers"\n');
    writeFileSync(
      join(pkg, 'setup.py'),
      'from setuptools import setup\nsetup(name="tinyhelper", version="0.1.0", py_modules=["tinyhelper"])\n'
    );
    execFileSync(
      '/usr/bin/python3',
      ['-m', 'pip', 'wheel', '--no-index', '--no-build-isolation', '-q', '-w', wheels, pkg],
      { stdio: 'pipe' }
    );
    const url = await server.createDatabase(`dist_${process.pid}_venv`);
    const r = await runDist(
      {
        'database-url': url,
        'working-directory': fixture('requirements'),
        alembic: '/usr/bin/python3 -m alembic',
        requirements: 'requirements.txt'
      },
      { PIP_NO_INDEX: '1', PIP_FIND_LINKS: wheels }
    );
    expect(r.stdout).toContain('::notice::The Actions cache service is not available here');
    expect(r.stdout).toContain('Successfully installed tinyhelper-0.1.0');
    expect(r.code).toBe(0);
    expect(r.outputs['applied-count']).toBe('1');
    expect(readdirSync(join(work, `run-${n}`, 'app-platform-pipeline-venvs'))).toHaveLength(1);
    expect(await versions(url)).toEqual(['0001']);
  });
});
