import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { cancellation } from './cancellation.js';
import { childEnvironment } from './child-environment.js';
import { dieWithParent } from './die-with-parent.js';

/**
 * The one way an action starts a program (pg_dump, pg_restore, psql, pip, Alembic, buildah, docker): without a
 * shell (nothing re-parsed), with the environment `childEnvironment` allows, tracked by the cancellation path (a
 * cancelled run stops it before undoing anything it uses), and optionally bound to node's life by the kernel.
 */
export interface ChildOptions {
  cwd?: string;
  /** The child's whole environment (default: `childEnvironment()`, the action's less inputs and credentials). */
  env?: NodeJS.ProcessEnv;
  /** Names the child in errors, logs and the cancellation summary (default: the program). */
  label?: string;
  /** Sent first when the run is cancelled (default SIGTERM; SIGINT lets Python unwind its transaction). */
  cancelSignal?: NodeJS.Signals;
  /**
   * Sent by the kernel when node dies, even by SIGKILL (`setpriv --pdeathsig`, see die-with-parent.ts): KILL for
   * Alembic (its lock died with node's connection), TERM for buildah (it then removes its working containers).
   */
  dieWithParent?: 'KILL' | 'TERM';
}

/** The program could not be started at all: not installed, not on PATH, not executable. */
export class ProgramNotFoundError extends Error {
  constructor(
    readonly program: string,
    readonly code: string | undefined,
    detail?: string
  ) {
    const why = code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'not executable' : (detail ?? code);
    super(`cannot run '${program}': ${why}`);
    this.name = 'ProgramNotFoundError';
  }
}

/** Starts `argv` with the given stdio; the caller reads its streams. Start errors arrive as `'error'` events. */
export function spawnChild(
  argv: readonly string[],
  opts: ChildOptions & { stdio: StdioOptions }
): ChildProcess {
  const [program, ...args] = argv;
  if (!program) throw new Error('empty command');
  const env = opts.env ?? childEnvironment();
  const [exe, ...rest] = opts.dieWithParent
    ? dieWithParent([program, ...args], { cwd: opts.cwd, path: env.PATH, signal: opts.dieWithParent })
    : [program, ...args];
  const child = spawn(exe!, rest, { cwd: opts.cwd, env, stdio: opts.stdio });
  cancellation.trackChild(child, { label: opts.label ?? program, signal: opts.cancelSignal });
  return child;
}

export interface RunOptions extends ChildOptions {
  /** Written to stdin, then closed (how a password reaches `login --password-stdin`); stdin is empty otherwise. */
  input?: string;
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
  /** Every line of stdout and stderr in arrival order. */
  onLine?: (line: string) => void;
}

/** How a program ended and what it printed. */
export interface ProgramOutput {
  /** null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunResult extends ProgramOutput {
  /** stdout and stderr lines in arrival order. */
  lines: string[];
}

/** Runs `argv` to completion, collecting its output. Rejects only when it cannot start (ProgramNotFoundError). */
export function runChild(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawnChild(argv, { ...opts, stdio: ['pipe', 'pipe', 'pipe'] });
    const lines: string[] = [];
    const emit = (line: string) => {
      lines.push(line);
      opts.onLine?.(line);
    };
    const out = lineCollector(line => (emit(line), opts.onStdoutLine?.(line)));
    const err = lineCollector(line => (emit(line), opts.onStderrLine?.(line)));
    // Decoded as streams, so a multi-byte character split across chunks stays whole.
    child.stdout!.setEncoding('utf8').on('data', out.push);
    child.stderr!.setEncoding('utf8').on('data', err.push);
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(new ProgramNotFoundError(argv[0]!, e.code, e.message))
    );
    child.on('close', (code, signal) => {
      const stdout = out.end();
      const stderr = err.end();
      resolve({ code, signal, stdout, stderr, lines });
    });
    // A program that exits before reading stdin must not crash us with EPIPE.
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(opts.input ?? '');
  });
}

/** The last `count` non-empty lines of a program's stderr, joined for a one-line message. */
export function stderrTail(stderr: string, count = 5): string {
  return stderr
    .trim()
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean)
    .slice(-count)
    .join(' | ');
}

function lineCollector(onLine: (line: string) => void) {
  let text = '';
  let pending = '';
  return {
    push(chunk: string) {
      text += chunk;
      pending += chunk;
      const parts = pending.split(/\r?\n/);
      pending = parts.pop()!;
      for (const line of parts) onLine(line);
    },
    end(): string {
      if (pending) onLine(pending);
      pending = '';
      return text;
    }
  };
}
