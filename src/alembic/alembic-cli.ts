import { redact } from '../kit/secrets.js';
import { runProcess, SpawnError, type ProcessResult } from './process.js';

/**
 * Alembic run as a process: `<command> -c <config> <args>` in the project directory, the database URL in
 * its environment as DATABASE_URL (never on the command line, where `ps` would show it).
 */
export interface AlembicCliOptions {
  /** argv prefix that runs Alembic, e.g. `['alembic']` or `['/venv/bin/python', '-m', 'alembic']`. */
  command: string[];
  cwd: string;
  config: string;
  databaseUrl: string;
  /** Base environment (default process.env); INPUT_* variables are dropped, extra ones added. */
  env?: NodeJS.ProcessEnv;
  extraEnv?: Record<string, string>;
}

export class AlembicError extends Error {
  constructor(
    readonly args: string[],
    readonly result: ProcessResult | undefined,
    message: string
  ) {
    super(message);
    this.name = 'AlembicError';
  }
}

export class AlembicCli {
  constructor(private readonly opts: AlembicCliOptions) {}

  /** Runs one Alembic command; throws AlembicError (one line: the command and Alembic's own error) on failure. */
  async run(args: string[], onStderrLine?: (line: string) => void): Promise<ProcessResult> {
    const argv = [...this.opts.command, '-c', this.opts.config, ...args];
    let result: ProcessResult;
    try {
      result = await runProcess(argv, { cwd: this.opts.cwd, env: this.env(), onStderrLine });
    } catch (error) {
      if (error instanceof SpawnError)
        throw new AlembicError(
          args,
          undefined,
          `${error.message} (input 'alembic' is '${this.opts.command.join(' ')}')`
        );
      throw error;
    }
    if (result.code !== 0) {
      const why =
        alembicFailure(result.stderr) ??
        (result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`);
      throw new AlembicError(args, result, redact(`alembic ${args.join(' ')} failed: ${why}`));
    }
    return result;
  }

  private env(): NodeJS.ProcessEnv {
    const base = this.opts.env ?? process.env;
    const env: NodeJS.ProcessEnv = {};
    // The runner passes every action input (the database URL among them) as INPUT_*; Alembic needs none.
    for (const [k, v] of Object.entries(base)) if (!k.startsWith('INPUT_')) env[k] = v;
    return { ...env, ...this.opts.extraEnv, PYTHONUNBUFFERED: '1', DATABASE_URL: this.opts.databaseUrl };
  }
}

/**
 * Alembic's own error from its stderr, on one line: `FAILED: ...` for Alembic's command errors, otherwise the
 * last Python exception line (plus SQLAlchemy's `[SQL: ...]` line that follows it), without the traceback.
 */
export function alembicFailure(stderr: string): string | undefined {
  const lines = stderr.split(/\r?\n/);
  const failed = lines.filter(l => l.startsWith('FAILED: ')).pop();
  if (failed) return failed.slice('FAILED: '.length).trim();
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (!/^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Warning)?: \S/.test(line)) continue;
    if (/^(INFO|ERROR|WARNING|DEBUG)\b/.test(line)) continue;
    return [line.trim(), failedSql(lines.slice(i + 1))].filter(Boolean).join(' ');
  }
  return undefined;
}

/** SQLAlchemy's `[SQL: ...]` block (it may span lines), collapsed to one line and shortened. */
function failedSql(lines: string[]): string | undefined {
  const start = lines.findIndex(l => l.startsWith('[SQL: '));
  if (start < 0) return undefined;
  const block: string[] = [];
  for (const l of lines.slice(start)) {
    block.push(l);
    if (l.trimEnd().endsWith(']')) break;
  }
  const text = block.join(' ').replace(/\s+/g, ' ').trim();
  return text.length > 300 ? `${text.slice(0, 297)}...]` : text;
}
