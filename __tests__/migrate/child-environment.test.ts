// What the migrate action's children see: pip (a requirement whose setup.py writes its environment), and every
// Alembic process (an env.py that writes its environment each time it runs). None gets the action's inputs (the
// database URL as INPUT_DATABASE-URL) or the runner's tokens. And a wrong password fails before pip runs.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedPostgres } from '../../test-support/shared.js';
import type { PostgresServer } from '../../test-support/postgres.js';
import { runActionBundle, type BundleRun } from '../../bin/run-bundle.js';
import { fixture, repoRoot, versions } from './helpers.js';

const bundle = join(repoRoot, 'dist', 'migrate', 'index.js');
const work = mkdtempSync(join(tmpdir(), 'migrate-child-env-'));
let server: PostgresServer;
let n = 0;

// What a GitHub runner puts into the step's environment that no child needs.
const RUNNER_SECRETS = {
  ACTIONS_RUNTIME_TOKEN: 'runtime-token-5e1f0c',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-token-77b2',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.actions.example/oidc',
  ACTIONS_RUNTIME_URL: 'https://runtime.actions.example/',
  GITHUB_TOKEN: 'ghs_notarealtoken0123456789'
};

/** A project whose requirement (a local package) writes pip's build environment to `<dir>/pip-env.json`. */
function projectWithEnvDumpingRequirement(dir: string): void {
  const pkg = join(dir, 'envdump');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(
    join(pkg, 'setup.py'),
    [
      'import json, os',
      'from setuptools import setup',
      `with open(${JSON.stringify(join(dir, 'pip-env.json'))}, "w") as f:`,
      '    json.dump(dict(os.environ), f)',
      'setup(name="envdump", version="0.1.0", py_modules=[])',
      ''
    ].join('\n')
  );
  writeFileSync(join(dir, 'requirements.txt'), `${pkg}\n`);
}

function runDist(inputs: Record<string, string>, env: NodeJS.ProcessEnv): Promise<BundleRun> {
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

beforeAll(async () => {
  server = await sharedPostgres();
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: node scripts/build.mjs --only migrate`);
});

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  for (const name of ['env', 'badpw']) await server.dropDatabase(`childenv_${process.pid}_${name}`);
});

describe('the environment of the migrate action children', () => {
  it('pip and every Alembic process get neither the inputs nor the runner tokens', async () => {
    const url = await server.createDatabase(`childenv_${process.pid}_env`);
    const dumps = join(work, 'dumps');
    mkdirSync(dumps);
    projectWithEnvDumpingRequirement(dumps);
    const r = await runDist(
      {
        'database-url': url,
        'working-directory': fixture('env-dump'),
        alembic: '/usr/bin/python3 -m alembic',
        requirements: join(dumps, 'requirements.txt')
      },
      { ...RUNNER_SECRETS, PIP_NO_INDEX: '1', ENV_DUMP_DIR: dumps }
    );
    expect(r.stdout).toContain('Successfully installed envdump-0.1.0');
    expect(r.code).toBe(0);
    expect(await versions(url)).toEqual(['0001']);

    const seen = readdirSync(dumps).filter(f => f.endsWith('.json'));
    // pip's build, then env.py for current, the offline SQL, the upgrade and current again.
    expect(seen).toContain('pip-env.json');
    expect(seen.length).toBeGreaterThanOrEqual(5);
    // The upgrade's sessions carry this run's own application_name (how a cancelled run's are found).
    const upgrades = seen
      .map(f => JSON.parse(readFileSync(join(dumps, f), 'utf8')) as Record<string, string>)
      .filter(env => env.PGAPPNAME?.startsWith('migrate upgrade '));
    expect(upgrades).toHaveLength(1);
    for (const file of seen) {
      const env = JSON.parse(readFileSync(join(dumps, file), 'utf8')) as Record<string, string>;
      expect({ file, inputs: Object.keys(env).filter(k => k.startsWith('INPUT_')) }).toEqual({
        file,
        inputs: []
      });
      for (const name of Object.keys(RUNNER_SECRETS))
        expect({ file, name, value: env[name] }).toEqual({ file, name });
      // What they do need is still there.
      expect(env.ENV_DUMP_DIR).toBe(dumps);
      expect(env.PATH).toBeTruthy();
      if (file !== 'pip-env.json') expect(env.DATABASE_URL).toBe(url);
    }
  });

  it('a wrong password fails with one line naming the database, before the requirements are installed', async () => {
    const url = new URL(await server.createDatabase(`childenv_${process.pid}_badpw`));
    url.password = 'Wrong-Secret-9876';
    const dumps = join(work, 'dumps-badpw');
    mkdirSync(dumps);
    projectWithEnvDumpingRequirement(dumps);
    const r = await runDist(
      {
        'database-url': url.toString(),
        'working-directory': fixture('env-dump'),
        alembic: '/usr/bin/python3 -m alembic',
        requirements: join(dumps, 'requirements.txt')
      },
      { PIP_NO_INDEX: '1', ENV_DUMP_DIR: dumps }
    );
    expect(r.code).toBe(1);
    const errors = r.stdout.split('\n').filter(l => l.startsWith('::error::'));
    expect(errors).toEqual([
      expect.stringMatching(
        /^::error::Cannot connect to PostgreSQL at 127\.0\.0\.1:\d+, database childenv_\S+, user \w+: password authentication failed for user "\w+" \(28P01\)$/
      )
    ]);
    expect(r.stdout).not.toContain('Installing');
    expect(readdirSync(dumps).filter(f => f.endsWith('.json'))).toEqual([]);
    expect(`${r.stdout}\n${r.stderr}\n${r.summary}`.replace(/^::add-mask::.*$/gm, '')).not.toContain(
      'Wrong-Secret-9876'
    );
  });
});
