import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { cancellation } from './cancellation.js';
import { childEnvironment } from './child-environment.js';
import { dieWithParent } from './die-with-parent.js';

/**
 * The one way an action starts a program (pg_dump, pg_restore, psql, pip, Alembic, buildah, docker): without a
 * shell (nothing re-parsed), with the environment `childEnvironment` allows, tracked by the cancellation path (a
 * cancelled run stops it before undoing anything it uses; an undo step's own child is bound by its budget instead),
 * optionally bound to node's life by the kernel, and optionally by a timeout (`runChild`).
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
  /**
   * The child is an undo step's own work (`cancellation.addUndo` gives the step this signal, its budget): it runs
   * after a cancel has stopped the others, so the cancellation does not stop it; it is SIGKILLed when the budget
   * runs out instead.
   */
  undoSignal?: AbortSignal;
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

/** The program ran longer than its `timeoutMs` and was killed. */
export class ProgramTimeoutError extends Error {
  constructor(
    readonly label: string,
    readonly timeoutMs: number
  ) {
    super(`${label} did not finish within ${timeoutMs / 1000} s: killed`);
    this.name = 'ProgramTimeoutError';
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
  const undoSignal = opts.undoSignal;
  if (!undoSignal) {
    cancellation.trackChild(child, { label: opts.label ?? program, signal: opts.cancelSignal });
    return child;
  }
  const kill = () => stop(child, 'SIGKILL');
  if (undoSignal.aborted) kill();
  else {
    undoSignal.addEventListener('abort', kill, { once: true });
    child.once('close', () => undoSignal.removeEventListener('abort', kill));
  }
  return child;
}

export interface RunOptions extends ChildOptions {
  /** Written to stdin, then closed (how a password reaches `login --password-stdin`); stdin is empty otherwise. */
  input?: string;
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
  /** Every line of stdout and stderr in arrival order. */
  onLine?: (line: string) => void;
  /** SIGKILLs the child when it runs longer; runChild then rejects with ProgramTimeoutError naming it. */
  timeoutMs?: number;
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

/**
 * Runs `argv` to completion, collecting its output. Rejects only when it cannot start (ProgramNotFoundError), ran
 * past `timeoutMs` (ProgramTimeoutError), or its undo step's budget ran out (`undoSignal`'s reason).
 */
export function runChild(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawnChild(argv, { ...opts, stdio: ['pipe', 'pipe', 'pipe'] });
    const label = opts.label ?? argv[0]!;
    let timedOut = false;
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            stop(child, 'SIGKILL');
          }, opts.timeoutMs);
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
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new ProgramNotFoundError(argv[0]!, e.code, e.message));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = out.end();
      const stderr = err.end();
      if (timedOut) return reject(new ProgramTimeoutError(label, opts.timeoutMs!));
      if (signal && opts.undoSignal?.aborted)
        return reject(new Error(`${label} stopped: its undo step ran out of time`));
      resolve({ code, signal, stdout, stderr, lines });
    });
    // A program that exits before reading stdin must not crash us with EPIPE.
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(opts.input ?? '');
  });
}

function stop(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    child.kill(signal);
  } catch {
    // already gone
  }
}

/** The one line for a program that did not exit 0: `<label> exited with code 2: <the end of its stderr>`. */
export function exitFailureLine(label: string, r: ProgramOutput): string {
  const why = r.signal ? `was killed by ${r.signal}` : `exited with code ${r.code}`;
  const tail = stderrTail(r.stderr);
  return `${label} ${why}${tail ? `: ${tail}` : ''}`;
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
