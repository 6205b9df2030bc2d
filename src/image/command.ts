import { spawn } from 'node:child_process';
import { cancellation } from '../kit/cancellation.js';
import { dieWithParent } from '../kit/die-with-parent.js';

/** One external command (buildah, docker), run without a shell so nothing is re-parsed. */
export interface CommandOptions {
  /** Written to stdin, then closed: how passwords reach `login --password-stdin`. */
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Each output line (stdout and stderr interleaved), as it arrives. */
  onLine?: (line: string) => void;
  /**
   * SIGTERM the command when this process dies, even by SIGKILL (`setpriv --pdeathsig`, where installed): a build
   * must not go on, or push, as an orphan once the action is killed, and buildah removes its working containers on
   * SIGTERM.
   */
  dieWithParent?: boolean;
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr lines in arrival order. */
  lines: string[];
}

export type RunCommand = (command: string, args: string[], opts?: CommandOptions) => Promise<CommandResult>;

/** Thrown when the program itself is not installed. */
export class CommandNotFoundError extends Error {
  constructor(readonly command: string) {
    super(`'${command}' is not installed or not on PATH`);
    this.name = 'CommandNotFoundError';
  }
}

export const spawnCommand: RunCommand = (command, args, opts = {}) =>
  new Promise((resolve, reject) => {
    const env = opts.env ?? process.env;
    const argv = opts.dieWithParent
      ? dieWithParent([command, ...args], { cwd: opts.cwd, path: env.PATH, signal: 'TERM' })
      : [command, ...args];
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: opts.cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe']
    });
    cancellation.trackChild(child, { label: command });
    const out: string[] = [];
    const err: string[] = [];
    const lines: string[] = [];
    const splitter = (sink: string[]) => {
      let pending = '';
      return {
        push(chunk: string) {
          sink.push(chunk);
          pending += chunk;
          const parts = pending.split(/\r?\n/);
          pending = parts.pop() ?? '';
          for (const line of parts) emit(line);
        },
        flush() {
          if (pending) emit(pending);
          pending = '';
        }
      };
    };
    const emit = (line: string) => {
      lines.push(line);
      opts.onLine?.(line);
    };
    const o = splitter(out);
    const e = splitter(err);
    child.stdout.setEncoding('utf8').on('data', (c: string) => o.push(c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => e.push(c));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new CommandNotFoundError(command) : error)
    );
    child.on('close', code => {
      o.flush();
      e.flush();
      resolve({ exitCode: code ?? 1, stdout: out.join(''), stderr: err.join(''), lines });
    });
    // A command that exits before reading stdin must not crash us with EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });

/** The last line that looks like an error, for one-line failure messages. */
export function lastErrorLine(lines: string[]): string | undefined {
  const meaningful = lines.map(l => l.trim()).filter(Boolean);
  const errorish = meaningful.filter(l =>
    /error|denied|unauthori[sz]ed|failed|no such file|not found/i.test(l)
  );
  // `#6 ERROR: ...` (buildx step prefix) and `Error: ...` say nothing the surrounding message does not.
  return (errorish.pop() ?? meaningful.pop())?.replace(/^#\d+\s+/, '').replace(/^error:\s*/i, '');
}
