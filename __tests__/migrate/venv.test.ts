import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedPostgres } from '../../test-support/shared.js';
import type { PostgresServer } from '../../test-support/postgres.js';
import {
  commandInVirtualenv,
  prepareVirtualenv,
  virtualenvEnv,
  type VenvCache
} from '../../src/alembic/virtualenv.js';
import { createMemoryLogger } from '../../src/kit/log.js';
import { fixture, runMigrate, tables } from './helpers.js';

// No Python index is reachable here: the requirement is a wheel built from a tiny local package.
const work = mkdtempSync(join(tmpdir(), 'migrate-venv-test-'));
const wheels = join(work, 'wheels');
const pipEnv = { ...process.env, PIP_NO_INDEX: '1', PIP_FIND_LINKS: wheels };
const SYSTEM_ALEMBIC = ['/usr/bin/python3', '-m', 'alembic'];
let server: PostgresServer;

/** A cache that keeps copies of the saved directories, as @actions/cache would. */
function directoryCache(store: string): VenvCache & { saved: string[]; restored: string[] } {
  const saved: string[] = [];
  const restored: string[] = [];
  return {
    saved,
    restored,
    async restore(paths, key) {
      if (!existsSync(join(store, key))) return undefined;
      paths.forEach((p, i) =>
        cpSync(join(store, key, String(i)), p, { recursive: true, verbatimSymlinks: true })
      );
      restored.push(key);
      return key;
    },
    async save(paths, key) {
      paths.forEach((p, i) =>
        cpSync(p, join(store, key, String(i)), { recursive: true, verbatimSymlinks: true })
      );
      saved.push(key);
    }
  };
}

beforeAll(async () => {
  server = await sharedPostgres();
  const pkg = join(work, 'tinyhelper');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'tinyhelper.py'), 'TABLE = "helpers"\n');
  writeFileSync(
    join(pkg, 'pyproject.toml'),
    [
      '[build-system]',
      'requires = ["setuptools"]',
      'build-backend = "setuptools.build_meta"',
      '[project]',
      'name = "tinyhelper"',
      'version = "0.1.0"',
      '[tool.setuptools]',
      'py-modules = ["tinyhelper"]'
    ].join('\n')
  );
  execFileSync(
    '/usr/bin/python3',
    ['-m', 'pip', 'wheel', '--no-index', '--no-build-isolation', '-q', '-w', wheels, pkg],
    {
      stdio: 'pipe'
    }
  );
});

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  for (const name of ['none', 'with']) await server.dropDatabase(`venv_${process.pid}_${name}`);
});

describe('requirements virtualenv', () => {
  it('built a wheel to install from', () => {
    expect(readdirSync(wheels).some(f => /^tinyhelper-0\.1\.0-.*\.whl$/.test(f))).toBe(true);
  });

  it('without the requirements, the project cannot even be previewed', async () => {
    const url = await server.createDatabase(`venv_${process.pid}_none`);
    const r = await runMigrate(url, fixture('requirements'), { alembic: SYSTEM_ALEMBIC });
    expect(r.report.failure).toContain("No module named 'tinyhelper'");
    expect(await tables(url)).toEqual([]);
  });

  it('installs the requirements, caches the venv, restores it on the next run, and migrates with it', async () => {
    const cache = directoryCache(join(work, 'cache'));
    const rootDir = join(work, 'venvs');
    const first = createMemoryLogger();
    const built = await prepareVirtualenv({
      requirementsFile: join(fixture('requirements'), 'requirements.txt'),
      python: ['/usr/bin/python3'],
      rootDir,
      cache,
      logger: first,
      env: pipEnv
    });
    expect(built.cacheHit).toBe(false);
    expect(built.key).toMatch(/^alembic-venv-linux-\w+-cpython-3\.\d+\.\d+-linux-[0-9a-f]{20}$/);
    expect(cache.saved).toEqual([built.key]);
    expect(first.lines.join('\n')).toMatch(/Successfully installed tinyhelper-0\.1\.0/);

    rmSync(built.dir, { recursive: true, force: true });
    const second = createMemoryLogger();
    const restored = await prepareVirtualenv({
      requirementsFile: join(fixture('requirements'), 'requirements.txt'),
      python: ['/usr/bin/python3'],
      rootDir,
      cache,
      logger: second,
      env: pipEnv
    });
    expect(restored.cacheHit).toBe(true);
    expect(restored.key).toBe(built.key);
    expect(cache.restored).toEqual([built.key]);
    expect(second.lines.join('\n')).not.toContain('Installing');

    const url = await server.createDatabase(`venv_${process.pid}_with`);
    const command = commandInVirtualenv(SYSTEM_ALEMBIC, restored);
    expect(command).toEqual([restored.python, '-m', 'alembic']);
    const r = await runMigrate(url, fixture('requirements'), {
      alembic: command,
      extraEnv: virtualenvEnv(restored)
    });
    expect(r.report.failure).toBeUndefined();
    expect(r.report.applied.map(a => a.revision)).toEqual(['0001']);
    expect(await tables(url)).toEqual(['alembic_version', 'helpers']);
  });

  it('a changed requirements file gets a different cache key', async () => {
    const changed = join(work, 'requirements-changed.txt');
    writeFileSync(changed, 'tinyhelper>=0.1\n');
    const venv = await prepareVirtualenv({
      requirementsFile: changed,
      python: ['/usr/bin/python3'],
      rootDir: join(work, 'venvs'),
      logger: createMemoryLogger(),
      env: pipEnv
    });
    expect(venv.cacheHit).toBe(false);
    expect(readdirSync(join(work, 'venvs')).sort()).toHaveLength(2);
  });

  it('names the input when the requirements file is missing', async () => {
    await expect(
      prepareVirtualenv({
        requirementsFile: join(work, 'nope.txt'),
        python: ['/usr/bin/python3'],
        rootDir: join(work, 'venvs'),
        logger: createMemoryLogger()
      })
    ).rejects.toThrow(`Input 'requirements' names a file that does not exist: ${join(work, 'nope.txt')}`);
  });
});
