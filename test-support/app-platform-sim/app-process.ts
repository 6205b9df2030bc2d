// One running "container": the example app as a local uvicorn process, its output captured as log lines,
// readiness probed like App Platform's health_check, stopped with a graceful SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** Every child ever started, killed synchronously if the host process exits without stop(). */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface AppProcessOptions {
  python: string;
  cwd: string;
  env: Record<string, string>;
  port: number;
  onLine: (line: string) => void;
}

export interface AppProcess {
  pid: number;
  port: number;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<string>;
  hasExited(): boolean;
  stop(graceMs?: number): Promise<void>;
}

export function startAppProcess(opts: AppProcessOptions): AppProcess {
  installExitHook();
  const child = spawn(
    opts.python,
    ['-m', 'uvicorn', 'app.main:app', '--host', '127.0.0.1', '--port', String(opts.port)],
    {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe']
    }
  );
  live.add(child);
  let done = false;
  const exited = new Promise<string>(resolve => {
    child.once('exit', (code, signal) => {
      done = true;
      live.delete(child);
      resolve(signal ?? String(code));
    });
    child.once('error', err => {
      done = true;
      live.delete(child);
      opts.onLine(`failed to start: ${err.message}`);
      resolve('spawn-error');
    });
  });
  forwardLines(child, opts.onLine);
  return {
    pid: child.pid ?? -1,
    port: opts.port,
    exited,
    hasExited: () => done,
    async stop(graceMs = 10_000) {
      if (done) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<string>(resolve => (timer = setTimeout(() => resolve('timeout'), graceMs)));
      const outcome = await Promise.race([exited, timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    }
  };
}

export interface HealthCheckSettings {
  /** undefined: a TCP check, like App Platform when http_path is unset. */
  httpPath?: string;
  initialDelayMs: number;
  periodMs: number;
  timeoutMs: number;
  successThreshold: number;
  failureThreshold: number;
  /** Upper bound for the whole wait, including a slow start that refuses connections. */
  deadlineMs: number;
}

export type Probe = { ok: true } | { ok: false; detail: string; refused: boolean };

export async function probeOnce(port: number, path: string | undefined, timeoutMs: number): Promise<Probe> {
  if (path === undefined) return tcpProbe(port, timeoutMs);
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    if (res.status >= 200 && res.status < 400) return { ok: true };
    return { ok: false, detail: `HTTP ${res.status}`, refused: false };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const refused = e.cause?.code === 'ECONNREFUSED';
    return {
      ok: false,
      detail: refused
        ? 'connection refused'
        : e.name === 'TimeoutError'
          ? `timed out after ${timeoutMs}ms`
          : e.message,
      refused
    };
  }
}

function tcpProbe(port: number, timeoutMs: number): Promise<Probe> {
  return new Promise(resolve => {
    const sock = connect({ host: '127.0.0.1', port });
    sock.setTimeout(timeoutMs, () => {
      sock.destroy();
      resolve({ ok: false, detail: `tcp connect timed out after ${timeoutMs}ms`, refused: false });
    });
    sock.once('connect', () => {
      sock.end();
      resolve({ ok: true });
    });
    sock.once('error', (err: Error & { code?: string }) =>
      resolve({ ok: false, detail: err.message, refused: err.code === 'ECONNREFUSED' })
    );
  });
}

/**
 * Readiness: success_threshold consecutive passes make the component ready; failure_threshold consecutive
 * failing answers (or the process exiting) make it fail. A refused connection while the server is still
 * starting counts only after the deadline, so a slow interpreter start is not mistaken for a broken app.
 */
export async function waitUntilReady(
  proc: AppProcess,
  hc: HealthCheckSettings,
  signal: AbortSignal,
  log: (line: string) => void
): Promise<{ ready: true } | { ready: false; reason: string }> {
  const started = Date.now();
  if (hc.initialDelayMs > 0) await delay(hc.initialDelayMs, undefined, { signal });
  let passes = 0;
  let failures = 0;
  let answered = false;
  for (;;) {
    if (proc.hasExited())
      return { ready: false, reason: `container exited (${await proc.exited}) before becoming ready` };
    const p = await probeOnce(proc.port, hc.httpPath, hc.timeoutMs);
    if (p.ok) {
      answered = true;
      failures = 0;
      if (++passes >= hc.successThreshold) return { ready: true };
    } else {
      passes = 0;
      if (!p.refused) answered = true;
      if (answered) {
        failures++;
        log(`Readiness probe failed: ${p.detail}`);
        if (failures >= hc.failureThreshold)
          return {
            ready: false,
            reason: `readiness probe failed ${failures} times in a row (last: ${p.detail})`
          };
      }
    }
    if (Date.now() - started > hc.deadlineMs)
      return {
        ready: false,
        reason: `not ready after ${Math.round(hc.deadlineMs / 1000)}s (last: ${p.ok ? 'ok' : p.detail})`
      };
    await delay(hc.periodMs, undefined, { signal });
  }
}

export interface CommandOptions {
  command: string;
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  signal: AbortSignal;
  onLine: (line: string) => void;
}

/** A one-off command (a job's run_command): resolves with the exit code, or `timeout`/`canceled`/a signal name. */
export function runCommand(opts: CommandOptions): Promise<number | string> {
  installExitHook();
  const child = spawn('/bin/sh', ['-c', opts.command], {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe']
  });
  live.add(child);
  forwardLines(child, opts.onLine);
  let why: string | undefined;
  const kill = (reason: string) => {
    why ??= reason;
    child.kill('SIGKILL');
  };
  const timer = setTimeout(() => kill('timeout'), opts.timeoutMs);
  const onAbort = () => kill('canceled');
  opts.signal.addEventListener('abort', onAbort, { once: true });
  return new Promise(resolve => {
    const done = (result: number | string) => {
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', onAbort);
      live.delete(child);
      resolve(why ?? result);
    };
    child.once('error', err => {
      opts.onLine(`failed to start: ${err.message}`);
      done('spawn-error');
    });
    child.once('exit', (code, signal) => done(code ?? signal ?? 'unknown'));
  });
}

/** Each non-blank line the child prints on stdout or stderr. */
function forwardLines(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) if (p.trim()) onLine(p);
    });
  }
}
