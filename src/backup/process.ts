import type { ChildProcess } from 'node:child_process';
import { childEnvironment } from '../kit/child-environment.js';
import { exitFailureLine, spawnChild } from '../kit/child-process.js';
import { redact } from '../kit/secrets.js';

export interface RunningProcess {
  child: ChildProcess;
  /** Resolves when the process exits with 0; rejects with its last stderr lines otherwise. */
  done: Promise<void>;
  exited: boolean;
}

/**
 * Starts a PostgreSQL tool (pg_dump, pg_restore) whose stdin/stdout the caller streams, through the kit's one spawn
 * wrapper: it gets the action's environment less inputs and credentials, plus `env` (PGPASSWORD and the libpq
 * settings); the end of its stderr is kept for the error message (redacted).
 */
export function startProcess(
  command: string,
  args: string[],
  opts: { env?: Record<string, string>; stdin?: 'pipe' | 'ignore'; stdout?: 'pipe' | 'ignore'; label: string }
): RunningProcess {
  const child = spawnChild([command, ...args], {
    env: childEnvironment(process.env, opts.env),
    stdio: [opts.stdin ?? 'ignore', opts.stdout ?? 'pipe', 'pipe'],
    label: opts.label
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000);
  });
  const running: RunningProcess = { child, exited: false, done: Promise.resolve() };
  running.done = new Promise<void>((resolve, reject) => {
    child.on('error', error => {
      running.exited = true;
      reject(new Error(`${opts.label} could not start: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      running.exited = true;
      if (code === 0) return resolve();
      reject(new Error(redact(exitFailureLine(opts.label, { code, signal, stdout: '', stderr }))));
    });
  });
  // Avoid an unhandled rejection when the caller only awaits it after another failure.
  running.done.catch(() => undefined);
  return running;
}
