// The simulator as a standalone process (for scripts): `npx tsx test-support/app-platform-sim/cli.ts --json <file>`
// writes {url, token, pid, apps} once serving, answers the API, and on SIGTERM stops with every child it started.
import { afterAll, expect, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../../test-support/app-platform-sim/index.js';
import { sharedPostgres } from '../../test-support/shared.js';
import { api, health } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
const tsx = resolve(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const cli = resolve(REPO_ROOT, 'test-support', 'app-platform-sim', 'cli.ts');
const children: ChildProcess[] = [];
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function start(args: string[]) {
  const child = spawn(tsx, [cli, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', d => (output += d));
  child.stderr!.on('data', d => (output += d));
  const exited = new Promise<number | null>(res => child.once('exit', code => res(code)));
  return { child, exited, output: () => output };
}

async function waitForFile(path: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!existsSync(path)) {
    if (Date.now() > until) throw new Error(`${path} not written within ${ms} ms`);
    await new Promise(r => setTimeout(r, 100));
  }
}

test('serves until SIGTERM: JSON file, seeded app serving, control API, clean exit with its app process gone', async () => {
  const pg = await sharedPostgres();
  const specFile = join(dir, 'app.json');
  writeFileSync(
    specFile,
    JSON.stringify({
      name: 'cli-app',
      services: [
        {
          name: 'web',
          github: { repo: 'acme/signupflow', branch: 'main' },
          health_check: { http_path: '/health' },
          envs: [{ key: 'APP_VERSION', value: 'cli-1' }]
        }
      ]
    })
  );
  const json = join(dir, 'sim.json');
  const run = start([
    '--json',
    json,
    '--token',
    'dop_v1_cli',
    '--phase-delay-ms',
    '10',
    '--app-env',
    `DATABASE_URL=${pg.url}`,
    '--seed',
    specFile
  ]);
  await waitForFile(json);
  const info = JSON.parse(readFileSync(json, 'utf8')) as {
    url: string;
    token: string;
    pid: number;
    apps: { id: string; name: string; live_url: string }[];
  };
  expect(info).toMatchObject({ token: 'dop_v1_cli', apps: [{ name: 'cli-app' }] });
  const sim = { url: info.url, token: info.token };
  expect(await health(info.apps[0]!.live_url)).toEqual({ status: 200, version: 'cli-1' });

  const apps = await api(sim, 'GET', '/v2/apps');
  expect(apps.body.apps.map((a: { id: string }) => a.id)).toEqual([info.apps[0]!.id]);
  expect(apps.body.apps[0].active_deployment.phase).toBe('ACTIVE');

  // faults from outside the process, through the control API
  expect((await api(sim, 'POST', '/_sim/faults', { failNext: { n: 1, status: 503 } })).status).toBe(200);
  expect((await api(sim, 'GET', '/v2/apps')).status).toBe(503);
  expect((await api(sim, 'GET', '/v2/apps')).status).toBe(200);
  const log = (await api(sim, 'GET', '/_sim/requests')).body.requests as { path: string; status: number }[];
  expect(log.map(r => r.status)).toEqual([200, 503, 200]);
  const procs = (await api(sim, 'GET', '/_sim/processes')).body.processes as {
    pid: number;
    component: string;
  }[];
  expect(procs.map(p => p.component)).toEqual(['web']);

  run.child.kill('SIGTERM');
  expect(await run.exited).toBe(0);
  await expect(fetch(`${info.url}/v2/apps`)).rejects.toThrow();
  expect(isAlive(procs[0]!.pid)).toBe(false);
}, 90_000);

test('a bad option fails at once with one line naming it', async () => {
  const run = start(['--json', join(dir, 'x.json'), '--phase-delay-ms', 'fast']);
  expect(await run.exited).toBe(2);
  expect(run.output().split('\n')[0]).toBe(
    'app-platform-sim: --phase-delay-ms must be a whole number, got "fast"'
  );
}, 60_000);
