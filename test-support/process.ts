// Process helpers for the local stack: run a command, spawn a daemon, wait, stop, and clean up on every exit path.
import { spawn, type ChildProcess } from 'node:child_process';
import {
  accessSync,
  appendFileSync,
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
  /** Written to the command's stdin. */
  input?: string;
  timeoutMs?: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; a non-zero exit throws with the command line and the tail of its output. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      uid: opts.uid,
      gid: opts.gid,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 60_000,
      killSignal: 'SIGKILL'
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', err => reject(new Error(`${cmd}: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve({ stdout, stderr });
      const why = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      reject(new Error(`${[cmd, ...args].join(' ')} ${why}: ${tail(stderr || stdout)}`));
    });
    if (child.stdin) {
      child.stdin.on('error', () => {}); // EPIPE when the command exits without reading: its exit code tells
      child.stdin.end(opts.input);
    }
  });
}

/** The last lines of some output, for error messages. */
export function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** The last lines of a log file, or '' when it does not exist. */
export function logTail(file: string, lines = 15): string {
  try {
    return tail(readFileSync(file, 'utf8'), lines);
  } catch {
    return '';
  }
}

export interface DaemonOptions {
  env?: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
  cwd?: string;
  /** stdout and stderr are appended here. */
  logFile: string;
}

/**
 * Spawns a long-running server in the foreground of its own process group: a Ctrl-C on the terminal then reaches
 * only us, so we can stop daemons in the order they need; Node reaps it, so it never lingers as a zombie.
 */
export function spawnDaemon(cmd: string, args: string[], opts: DaemonOptions): ChildProcess {
  const fd = openSync(opts.logFile, 'a');
  try {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      uid: opts.uid,
      gid: opts.gid,
      stdio: ['ignore', fd, fd],
      detached: true
    });
    child.unref();
    return child;
  } finally {
    closeSync(fd);
  }
}

/** Resolves once the child has a pid, or rejects when it could not be spawned at all (e.g. missing binary). */
export function spawned(child: ChildProcess, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    if (child.pid !== undefined) return resolve(child.pid);
    child.once('error', err => reject(new Error(`${what}: ${err.message}`)));
    child.once('spawn', () => resolve(child.pid as number));
  });
}

/** A process that exists and is not a zombie (a late-reaping PID 1 must not make a dead daemon look alive). */
export function isAlive(pid: number): boolean {
  try {
    const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return state !== null && state[1] !== 'Z';
  } catch {
    return false;
  }
}

/** The process name from /proc (at most 15 characters), or undefined when it is gone. */
export function processName(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, ms));

/** Blocks the thread: only for the synchronous `exit` handler, where promises no longer run. */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Used in the timeout error: "timed out after 30 s waiting for <what>". */
  what: string;
  /** Called on each round; throwing aborts the wait (e.g. the daemon died). */
  abortIf?: () => void;
}

/** Polls `check` until it returns true. */
export async function waitUntil(check: () => boolean | Promise<boolean>, opts: WaitOptions): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    opts.abortIf?.();
    if (await check()) return;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${opts.timeoutMs / 1000} s waiting for ${opts.what}`);
    await sleep(opts.intervalMs ?? 50);
  }
}

export interface StopTarget {
  pid: number;
  /** /proc/<pid>/comm of the daemon: a reused pid with another name is never signalled. */
  name: string;
}

/** Signals a daemon and waits for it to go; SIGKILL after `graceMs`. Safe when it is already gone. */
export async function terminate(target: StopTarget, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000) {
  if (processName(target.pid) !== target.name) return;
  signalQuietly(target.pid, signal);
  const deadline = Date.now() + graceMs;
  while (isAlive(target.pid) && Date.now() < deadline) await sleep(20);
  if (isAlive(target.pid) && processName(target.pid) === target.name) {
    signalQuietly(target.pid, 'SIGKILL');
    while (isAlive(target.pid)) await sleep(20);
  }
}

function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** A fresh private directory under the system temp dir. */
export function makeTempDir(prefix: string, base = tmpdir()): string {
  return mkdtempSync(join(base, `app-pipeline-${prefix}-`));
}

/**
 * RAM-backed /dev/shm when there is one: for small throw-away data that is read and written a lot (PostgreSQL),
 * it keeps tests off a disk other jobs are busy with (copying a cluster: ~0.15 s instead of 0.7-2.4 s here).
 */
export function ramTempBase(): string {
  try {
    accessSync('/dev/shm', constants.W_OK | constants.X_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Last-resort cleanup. Each started server owns a Guard: the daemons it must kill and the directory it must remove.
// A normal stop() releases the guard. If the process exits without stop() (process.exit, an uncaught error, a
// signal) the `exit` handler kills and removes synchronously; if it is SIGKILLed, a detached watchdog shell sees
// the owner gone and does the same from the list written to <dir>/.guard.

interface GuardedPid extends StopTarget {
  /** What to send on the emergency path: SIGQUIT is PostgreSQL's immediate shutdown, SIGKILL for the rest. */
  signal: NodeJS.Signals;
}

const live = new Set<Guard>();
let handlersInstalled = false;
let cleanupOnSignal = true;

/** For a program that stops its servers itself on SIGINT/SIGTERM (stack-cli): the exit handler stays. */
export function leaveSignalsToCaller(): void {
  cleanupOnSignal = false;
}

export class Guard {
  readonly pids: GuardedPid[] = [];
  private watchdog?: ChildProcess;

  constructor(readonly dir: string) {
    installHandlers();
    live.add(this);
    this.watchdog = startWatchdog(dir);
  }

  /** Records a daemon to kill on the emergency path (killed in reverse order of adding). */
  add(pid: number, name: string, signal: NodeJS.Signals = 'SIGKILL'): void {
    this.pids.push({ pid, name, signal });
    appendFileSync(join(this.dir, '.guard'), `${pid} ${name} ${signal.replace(/^SIG/, '')}\n`);
  }

  /** After a normal stop: nothing left to guard. Resolves once the watchdog is gone too. */
  async release(): Promise<void> {
    const pid = this.forget();
    while (pid !== undefined && isAlive(pid)) await sleep(10);
  }

  private forget(): number | undefined {
    live.delete(this);
    const pid = this.watchdog?.pid;
    if (pid !== undefined) signalQuietly(pid, 'SIGKILL');
    this.watchdog = undefined;
    return pid;
  }

  /** Synchronous kill + remove, for the exit handler. */
  emergencyCleanup(): void {
    const pids = [...this.pids].reverse().filter(p => processName(p.pid) === p.name);
    for (const p of pids) signalQuietly(p.pid, p.signal);
    const deadline = Date.now() + 3000;
    while (pids.some(p => isAlive(p.pid)) && Date.now() < deadline) sleepSync(20);
    for (const p of pids)
      if (isAlive(p.pid) && processName(p.pid) === p.name) signalQuietly(p.pid, 'SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
    this.forget();
  }
}

// Runs until the owner (this Node process) is gone or the directory was removed by a normal stop. It lists only
// pids whose name still matches, so a recycled pid is never killed.
const WATCHDOG_SCRIPT = `
owner=$1; dir=$2
owner_alive() { st=$(sed -n 's/^State:[[:space:]]*\\(.\\).*/\\1/p' /proc/$owner/status 2>/dev/null); [ -n "$st" ] && [ "$st" != Z ]; }
while [ -d "$dir" ] && owner_alive; do sleep 0.5; done
[ -d "$dir" ] || exit 0
[ -f "$dir/.guard" ] && tac "$dir/.guard" | while read -r pid name sig; do
  [ "$(cat /proc/$pid/comm 2>/dev/null)" = "$name" ] || continue
  kill -s "$sig" "$pid" 2>/dev/null
  for i in 1 2 3 4 5 6 7 8 9 10; do [ -d /proc/$pid ] && ! grep -q '^State:.*Z' /proc/$pid/status 2>/dev/null || break; sleep 0.3; done
  [ "$(cat /proc/$pid/comm 2>/dev/null)" = "$name" ] && kill -9 "$pid" 2>/dev/null
done
rm -rf "$dir"
`;

function startWatchdog(dir: string): ChildProcess {
  const child = spawn('sh', ['-c', WATCHDOG_SCRIPT, 'watchdog', String(process.pid), dir], {
    stdio: 'ignore',
    detached: true
  });
  child.on('error', () => {}); // no shell to spawn: the exit handler still covers every exit but SIGKILL
  child.unref();
  return child;
}

function emergencyCleanupAll(): void {
  for (const guard of [...live]) {
    try {
      guard.emergencyCleanup();
    } catch {
      // best effort: keep cleaning the others
    }
  }
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', emergencyCleanupAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      if (!cleanupOnSignal) return;
      emergencyCleanupAll();
      // If we are the only listener, restore the default action (terminate) that our listener suppressed.
      process.removeListener(signal, onSignal);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
