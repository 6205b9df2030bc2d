// Real processes for the example-app tests: the app via its documented start script, and redis-server.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test-support/ports.js';

export const EXAMPLE_DIR = fileURLToPath(new URL('../../examples/signupflow/', import.meta.url));
/** Debian's Python and Alembic: the pyenv python3 on PATH lacks fastapi/psycopg2. */
export const ALEMBIC = '/usr/bin/alembic';

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Managed {
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  exited: Promise<Exit>;
  /** Sends `signal`, waits for the exit; SIGKILL after `killAfterMs`. */
  stop(signal?: NodeJS.Signals, killAfterMs?: number): Promise<Exit>;
}

function manage(child: ChildProcess): Managed {
  running.add(child);
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<Exit>(resolve => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  return {
    child,
    output: () => output,
    exited,
    async stop(signal = 'SIGTERM', killAfterMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    }
  };
}

/** Only what the app needs, so nothing from the test runner's environment leaks in; no __pycache__ in the sources. */
export function baseEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' };
}

export interface App extends Managed {
  url: string;
  port: number;
}

/** The README's bare command, as the App Platform simulator runs it. */
export const UVICORN_COMMAND = [
  '/usr/bin/python3',
  '-m',
  'uvicorn',
  'app.main:app',
  '--host',
  '127.0.0.1',
  '--port'
];

/**
 * Starts the app on a free port with `run.sh` (or, with `bare`, the README's plain uvicorn command);
 * resolves once it answers HTTP.
 */
export async function startApp(
  env: Record<string, string>,
  opts: { bare?: boolean; cwd?: string } = {}
): Promise<App> {
  const port = await freePort();
  const cwd = opts.cwd ?? EXAMPLE_DIR;
  const [cmd, ...args] = opts.bare ? [...UVICORN_COMMAND, String(port)] : [join(cwd, 'run.sh')];
  const child = spawn(cmd, args, {
    cwd,
    env: { ...baseEnv(), ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  const app = { ...manage(child), url: `http://127.0.0.1:${port}`, port };
  await waitUntil(async () => {
    if (child.exitCode !== null)
      throw new Error(`the app exited (${child.exitCode}) during start:\n${app.output()}`);
    try {
      await fetch(`${app.url}/`);
      return true;
    } catch {
      return false;
    }
  }, `the app on port ${port}`);
  return app;
}

/** Starts the app expecting it to refuse to start; resolves with its exit and output. */
export async function runAppToExit(env: Record<string, string>): Promise<Exit & { output: string }> {
  const port = await freePort();
  const child = spawn(join(EXAMPLE_DIR, 'run.sh'), [], {
    cwd: EXAMPLE_DIR,
    env: { ...baseEnv(), ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  const managed = manage(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const exit = await managed.exited;
  clearTimeout(timer);
  return { ...exit, output: managed.output() };
}

export interface Redis extends Managed {
  url: string;
}

/** A real redis-server on a free loopback port, no persistence, in a temp dir removed on exit. */
export async function startRedis(extraArgs: string[] = []): Promise<Redis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'signupflow-redis-'));
  const child = spawn(
    '/usr/bin/redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      ...extraArgs
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  );
  const redis = manage(child);
  void redis.exited.then(() => rmSync(dir, { recursive: true, force: true }));
  await waitUntil(async () => {
    if (child.exitCode !== null) throw new Error(`redis-server exited during start:\n${redis.output()}`);
    return /Ready to accept connections/.test(redis.output());
  }, `redis-server on port ${port}`);
  return { ...redis, url: `redis://127.0.0.1:${port}/0` };
}

export async function waitUntil(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 30_000
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

export interface HealthResponse {
  status: number;
  text: string;
  body: {
    status: string;
    version: string;
    uptime_seconds: number;
    checks: Record<string, string>;
  };
}

export async function getHealth(baseUrl: string): Promise<HealthResponse> {
  const res = await fetch(`${baseUrl}/health`);
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as HealthResponse['body'] };
}

/** Runs Debian's alembic with DATABASE_URL (or none); returns its exit status and output. */
export function alembic(
  args: string[],
  databaseUrl: string | undefined,
  cwd = EXAMPLE_DIR
): { status: number | null; stdout: string; stderr: string } {
  const env = { ...baseEnv(), ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }) };
  const result = spawnSync(ALEMBIC, args, { cwd, env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
