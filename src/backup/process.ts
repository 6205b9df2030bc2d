import { spawn, type ChildProcess } from 'node:child_process';
import { cancellation } from '../kit/cancellation.js';
import { redact } from '../kit/secrets.js';

export interface RunningProcess {
  child: ChildProcess;
  /** Resolves when the process exits with 0; rejects with its last stderr lines otherwise. */
  done: Promise<void>;
  exited: boolean;
}

/** Spawns a PostgreSQL tool keeping the end of its stderr for the error message (redacted). */
export function startProcess(
  command: string,
  args: string[],
  opts: { env?: Record<string, string>; stdin?: 'pipe' | 'ignore'; stdout?: 'pipe' | 'ignore'; label: string }
): RunningProcess {
  const child = spawn(command, args, {
    env: { ...process.env, ...opts.env },
    stdio: [opts.stdin ?? 'ignore', opts.stdout ?? 'pipe', 'pipe']
  });
  cancellation.trackChild(child, { label: opts.label });
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
      const why = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const tail = redact(stderr.trim().split('\n').slice(-5).join(' | '));
      reject(new Error(`${opts.label} ${why}${tail ? `: ${tail}` : ''}`));
    });
  });
  // Avoid an unhandled rejection when the caller only awaits it after another failure.
  running.done.catch(() => undefined);
  return running;
}
