// Dockerfile.rehearsal built with buildah (as the local rehearsal does), then the app run from the image's
// own files with the image's config Env, as the App Platform simulator runs a deployed digest.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedPostgres } from '../../test-support/shared.js';
import { EXAMPLE_DIR, getHealth, startApp, type App } from './processes.js';

// Private storage, so this test neither sees nor disturbs images other tests build.
const storage = mkdtempSync(join(tmpdir(), 'signupflow-buildah-'));
const IMAGE = 'localhost/signupflow-rehearsal:test';

function buildah(...args: string[]): string {
  const result = spawnSync(
    'buildah',
    ['--root', join(storage, 'root'), '--runroot', join(storage, 'run'), '--storage-driver', 'vfs', ...args],
    { encoding: 'utf8', timeout: 120_000 }
  );
  if (result.status !== 0) throw new Error(`buildah ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim();
}

describe('Dockerfile.rehearsal', () => {
  let config: { Env?: string[]; WorkingDir?: string; Cmd?: string[] };
  let container = '';
  let root = '';
  const apps: App[] = [];

  beforeAll(() => {
    buildah(
      'bud',
      '--quiet',
      '-f',
      'Dockerfile.rehearsal',
      '--build-arg',
      'APP_VERSION=rehearsal-7',
      '--build-arg',
      'CHAOS_DB_FAIL_AFTER_SECONDS=3600',
      '-t',
      IMAGE,
      EXAMPLE_DIR
    );
    config = JSON.parse(buildah('inspect', '--type', 'image', IMAGE)).OCIv1.config;
    container = buildah('from', IMAGE);
    root = buildah('mount', container);
  });

  afterAll(async () => {
    for (const app of apps) await app.stop('SIGKILL');
    if (container) {
      buildah('umount', container);
      buildah('rm', container);
    }
    rmSync(storage, { recursive: true, force: true });
  });

  test('its config carries the release environment and no PORT', () => {
    const env = Object.fromEntries(
      (config.Env ?? []).map(e => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)])
    );
    expect(env.APP_VERSION).toBe('rehearsal-7');
    expect(env.CHAOS_DB_FAIL_AFTER_SECONDS).toBe('3600');
    expect(env.PORT).toBeUndefined();
    expect(config.WorkingDir).toBe('/app');
  });

  test('holds the app, the migrations and alembic.ini, without bytecode caches', () => {
    for (const file of [
      'app/main.py',
      'app/health.py',
      'alembic.ini',
      'migrations/env.py',
      'migrations/versions/0003_signups.py'
    ])
      expect(existsSync(join(root, 'app', file))).toBe(true);
    const caches = spawnSync('find', [root, '-name', '__pycache__'], { encoding: 'utf8' }).stdout.trim();
    expect(caches).toBe('');
  });

  test("the image's files, run with its Env, answer /health with the image's version", async () => {
    const postgres = await sharedPostgres();
    const imageEnv = Object.fromEntries(
      (config.Env ?? [])
        .map(e => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)])
        .filter(([key]) => key !== 'PATH')
    );
    const app = await startApp(
      { ...imageEnv, DATABASE_URL: postgres.url },
      { bare: true, cwd: join(root, 'app') }
    );
    apps.push(app);
    const health = await getHealth(app.url);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'healthy',
      version: 'rehearsal-7',
      checks: { database: 'ok' }
    });
  });
});
