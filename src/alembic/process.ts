import { spawn } from 'node:child_process';
import { cancellation } from '../kit/cancellation.js';
import { dieWithParent } from '../kit/die-with-parent.js';

/** Runs a program to completion, collecting its output; optional line callbacks see output as it arrives. */
export interface ProcessOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
}

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Thrown when the program cannot be started at all (not found, not executable). */
export class SpawnError extends Error {
  constructor(
    readonly program: string,
    readonly code: string | undefined,
    message: string
  ) {
    super(message);
    this.name = 'SpawnError';
  }
}

export function runProcess(argv: string[], opts: ProcessOptions = {}): Promise<ProcessResult> {
  const [program] = argv;
  if (!program) return Promise.reject(new Error('empty command'));
  return new Promise((resolve, reject) => {
    // Killed by the kernel should node die (SIGKILL): no Alembic or pip left running after the action.
    const [exe, ...rest] = dieWithParent(argv, {
      cwd: opts.cwd,
      path: (opts.env ?? process.env).PATH,
      signal: 'KILL'
    });
    const child = spawn(exe!, rest, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    // SIGINT: Python raises KeyboardInterrupt, so Alembic rolls its transaction back before exiting.
    cancellation.trackChild(child, { label: program, signal: 'SIGINT' });
    const out = collect(opts.onStdoutLine);
    const err = collect(opts.onStderrLine);
    // Decode as streams so a multi-byte character split across chunks stays whole.
    child.stdout.setEncoding('utf8').on('data', out.push);
    child.stderr.setEncoding('utf8').on('data', err.push);
    child.on('error', (e: NodeJS.ErrnoException) => {
      const why = e.code === 'ENOENT' ? 'not found' : e.code === 'EACCES' ? 'not executable' : e.message;
      reject(new SpawnError(program, e.code, `cannot run '${program}': ${why}`));
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout: out.end(), stderr: err.end() }));
  });
}

function collect(onLine?: (line: string) => void) {
  let text = '';
  let pending = '';
  return {
    push(s: string) {
      text += s;
      if (!onLine) return;
      pending += s;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop()!;
      for (const line of lines) onLine(line);
    },
    end(): string {
      if (onLine && pending) onLine(pending);
      pending = '';
      return text;
    }
  };
}
