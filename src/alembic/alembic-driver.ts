import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readSync, realpathSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { spawnChild, type ProgramOutput } from '../kit/child-process.js';
import { findProgram } from '../kit/program-path.js';

/**
 * One long-lived Python process (alembic_driver.py, shipped beside the bundle) that answers the migrate action's
 * questions to Alembic through Alembic's own API: history, current revision, offline SQL. It runs under the
 * interpreter of the project's `alembic` command, so it sees the same Alembic, SQLAlchemy and app packages.
 */
export interface DriverAnswer extends ProgramOutput {
  result?: unknown;
}

/** How to start the driver for an `alembic` command, or undefined when the command is not a Python Alembic. */
export interface DriverLaunch {
  python: string[];
  /** Alembic's own options given in the `alembic` input (`-x tenant=a`), before `-c config`. */
  alembicArgs: string[];
  /** sys.path[0] as the command would have it. */
  sysPath0: string;
}

const PYTHON = /^python(\d+(\.\d+)*)?$/;

/**
 * `python -m alembic ...` runs Alembic with that interpreter; an `alembic` console script names its interpreter in
 * its `#!` line (a venv's, the system's, or `/usr/bin/env python3`). Anything else (a wrapper such as
 * `poetry run alembic`) is left to the command line.
 */
export function driverLaunch(
  command: string[],
  cwd: string,
  env: NodeJS.ProcessEnv
): DriverLaunch | undefined {
  const [program, ...rest] = command;
  if (!program) return undefined;
  if (PYTHON.test(basename(program))) {
    if (rest[0] !== '-m' || rest[1] !== 'alembic') return undefined;
    return { python: [program], alembicArgs: rest.slice(2), sysPath0: cwd };
  }
  if (basename(program) !== 'alembic') return undefined;
  const script = findProgram(program, cwd, env.PATH ?? '');
  if (!script) return undefined;
  const shebang = firstLine(script);
  const m = /^#!\s*(\S+)(?:\s+(\S+))?\s*$/.exec(shebang ?? '');
  if (!m) return undefined;
  const words = [m[1]!, ...(m[2] ? [m[2]] : [])];
  const interpreter = basename(words[0]!) === 'env' ? words[1] : words[0];
  if (!interpreter || !PYTHON.test(basename(interpreter)) || (basename(words[0]!) !== 'env' && words[1]))
    return undefined;
  // Python puts the real script's directory first on sys.path.
  return { python: words, alembicArgs: rest, sysPath0: dirname(realpathSync(script)) };
}

function firstLine(file: string): string | undefined {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(256);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8').split('\n')[0];
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** The driver script: beside the bundle (ncc copies it as an asset) or beside this file in the sources. */
export const DRIVER_SCRIPT = fileURLToPath(new URL('./alembic_driver.py', import.meta.url));

export class AlembicDriver {
  private child?: ChildProcess;
  private ready?: Promise<boolean>;
  private queue: Promise<unknown> = Promise.resolve();
  private answers: ((line: string | undefined) => void)[] = [];
  private output = '';
  /** Sees the driver's stderr line by line while an upgrade runs (its log streams live). */
  private onStderrLine?: (line: string) => void;
  private stderrPending = '';

  constructor(
    private readonly launch: DriverLaunch,
    private readonly config: string,
    private readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv
  ) {}

  /** Starts the interpreter (once); false when it cannot run the driver (then use the command line). */
  start(): Promise<boolean> {
    this.ready ??= new Promise<boolean>(resolveReady => {
      // Python unwinds on SIGINT (rolls back what env.py began); the cancellation path waits for it.
      const child = spawnChild(
        [
          ...this.launch.python,
          DRIVER_SCRIPT,
          this.launch.sysPath0,
          ...this.launch.alembicArgs,
          '-c',
          this.config
        ],
        {
          cwd: this.cwd,
          env: this.env,
          stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
          label: 'alembic (driver)',
          cancelSignal: 'SIGINT',
          dieWithParent: 'KILL'
        }
      );
      this.child = child;
      child.on('error', () => resolveReady(false));
      child.stdin!.on('error', () => undefined);
      // What env.py prints outside a request, or C-level writes: kept for a failure message.
      const keep = (d: Buffer | string) => (this.output = (this.output + d.toString()).slice(-4000));
      child.stdout!.on('data', keep);
      child.stderr!.on('data', keep);
      child.stderr!.setEncoding('utf8').on('data', (d: string) => {
        if (!this.onStderrLine) return;
        const lines = (this.stderrPending + d).split(/\r?\n/);
        this.stderrPending = lines.pop()!;
        for (const line of lines) this.onStderrLine(line);
      });
      const lines = createInterface({ input: child.stdio[3] as NodeJS.ReadableStream });
      let first = true;
      lines.on('line', line => {
        if (first) {
          first = false;
          resolveReady((JSON.parse(line) as { ready?: boolean }).ready === true);
          return;
        }
        this.answers.shift()?.(line);
      });
      child.on('close', () => {
        resolveReady(false);
        for (const pending of this.answers.splice(0)) pending(undefined);
        this.child = undefined;
      });
    });
    return this.ready;
  }

  /** One request, answered as the command would have: code, stdout, stderr (and the API's result). */
  ask(
    request: {
      command: 'history' | 'current' | 'sql' | 'upgrade';
      range?: string;
      target?: string;
      appname?: string;
    },
    onStderrLine?: (line: string) => void
  ): Promise<DriverAnswer> {
    const asked = this.queue.then(async (): Promise<DriverAnswer> => {
      const started = await this.start();
      const child = this.child;
      if (!started || !child || child.exitCode !== null)
        return { code: 1, signal: null, stdout: '', stderr: this.output };
      this.onStderrLine = onStderrLine;
      this.stderrPending = '';
      const line = await new Promise<string | undefined>(resolveLine => {
        this.answers.push(resolveLine);
        child.stdin!.write(`${JSON.stringify(request)}\n`);
      }).finally(() => {
        if (this.stderrPending) this.onStderrLine?.(this.stderrPending);
        this.onStderrLine = undefined;
        this.stderrPending = '';
      });
      if (line === undefined)
        return { code: child.exitCode ?? 1, signal: child.signalCode, stdout: '', stderr: this.output };
      const a = JSON.parse(line) as { code: number; stdout: string; stderr: string; result?: unknown };
      return { code: a.code, signal: null, stdout: a.stdout, stderr: a.stderr, result: a.result };
    });
    this.queue = asked.catch(() => undefined);
    return asked;
  }

  /** Ends the driver (its stdin closes, it exits) and waits for it. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const closed = new Promise<void>(r => child.once('close', () => r()));
    child.stdin!.end();
    await closed;
  }
}
