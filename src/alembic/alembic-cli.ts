import { redact } from '../kit/secrets.js';
import { childEnvironment } from '../kit/child-environment.js';
import { ProgramNotFoundError, runChild, type ProgramOutput, type RunResult } from '../kit/child-process.js';
import { AlembicDriver, driverLaunch } from './alembic-driver.js';
import { parseHistory, parseRevisionList, type Revision } from './revisions.js';

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
  /** Base environment (default process.env), less what childEnvironment withholds; extra ones added. */
  env?: NodeJS.ProcessEnv;
  extraEnv?: Record<string, string>;
}

/** The Alembic of a migrate run: its sessions named `applicationName` (PGAPPNAME), so a waiting run can name them. */
export function alembicFor(run: {
  alembic: string[];
  workingDirectory: string;
  config: string;
  databaseUrl: string;
  applicationName?: string;
  env?: NodeJS.ProcessEnv;
  extraEnv?: Record<string, string>;
}): AlembicCli {
  return new AlembicCli({
    command: run.alembic,
    cwd: run.workingDirectory,
    config: run.config,
    databaseUrl: run.databaseUrl,
    env: run.env,
    extraEnv: { ...(run.applicationName ? { PGAPPNAME: run.applicationName } : {}), ...run.extraEnv }
  });
}

export class AlembicError extends Error {
  constructor(
    readonly args: string[],
    readonly result: ProgramOutput | undefined,
    message: string
  ) {
    super(message);
    this.name = 'AlembicError';
  }
}

export class AlembicCli {
  /** The one Python process that answers history, current and offline SQL; null: the command line does. */
  private driver?: Promise<AlembicDriver | null>;

  constructor(private readonly opts: AlembicCliOptions) {}

  /** `alembic history`: the revisions, newest first, heads marked. */
  async history(): Promise<Revision[]> {
    const driver = await this.viaDriver();
    if (!driver) return parseHistory((await this.run(['history'])).stdout);
    const answer = this.checked(['history'], await driver.ask({ command: 'history' }));
    return (answer.result as Revision[]).map(({ head, ...r }) => ({ ...r, ...(head ? { head } : {}) }));
  }

  /** `alembic current`: the revision(s) the database is at (none for an empty database). */
  async current(): Promise<string[]> {
    const driver = await this.viaDriver();
    if (!driver) return parseRevisionList((await this.run(['current'])).stdout);
    return this.checked(['current'], await driver.ask({ command: 'current' })).result as string[];
  }

  /** `alembic upgrade <range> --sql`: the offline SQL on stdout; throws AlembicError (with the result) on failure. */
  async offlineSql(range: string): Promise<ProgramOutput> {
    const args = ['upgrade', range, '--sql'];
    const driver = await this.viaDriver();
    if (!driver) return this.run(args);
    return this.checked(args, await driver.ask({ command: 'sql', range }));
  }

  /**
   * `alembic upgrade <target>`, its sessions named `applicationName`, its log lines to `onStderrLine` as they come;
   * throws AlembicError on failure. In the driver when there is one: the Python start-up and imports are paid once
   * per run, not again for the upgrade. Cancelling is the same either way: SIGINT to that one process (Python
   * unwinds), the lock released only once it has exited and its sessions are gone (migrate.ts).
   */
  async upgrade(
    target: string,
    applicationName: string,
    onStderrLine: (line: string) => void
  ): Promise<ProgramOutput> {
    const driver = await this.viaDriver();
    if (!driver) return this.run(['upgrade', target], onStderrLine, { PGAPPNAME: applicationName });
    return this.checked(
      ['upgrade', target],
      await driver.ask({ command: 'upgrade', target, appname: applicationName }, onStderrLine)
    );
  }

  /** Starts the driver now (its Python start-up and imports take most of a run), without waiting for it. */
  start(): this {
    void this.viaDriver().catch(() => undefined);
    return this;
  }

  /** Ends the driver process, if one runs. */
  async close(): Promise<void> {
    const driver = await this.driver?.catch(() => null);
    await driver?.close();
  }

  /**
   * The driver when the `alembic` command is a Python Alembic (`python -m alembic`, or a console script whose
   * #! names Python); otherwise, or when that interpreter cannot run it, each question is one command.
   */
  private viaDriver(): Promise<AlembicDriver | null> {
    this.driver ??= (async () => {
      const env = this.env();
      const launch = driverLaunch(this.opts.command, this.opts.cwd, env);
      if (!launch) return null;
      const driver = new AlembicDriver(launch, this.opts.config, this.opts.cwd, env);
      if (await driver.start()) return driver;
      await driver.close();
      return null;
    })();
    return this.driver;
  }

  /**
   * Runs one Alembic command; throws AlembicError (one line: the command and Alembic's own error) on failure.
   * The upgrade itself runs this way, not in the driver: it is the one process that migrates under the advisory
   * lock, so cancelling means SIGINT to exactly that process (Python unwinds its transaction) and releasing the
   * lock only once it has exited; its log lines stream live (the driver captures each answer whole); and an
   * env.py that exits or crashes mid-upgrade cannot take the driver's later `current` down with it.
   */
  async run(
    args: string[],
    onStderrLine?: (line: string) => void,
    extraEnv: Record<string, string> = {}
  ): Promise<ProgramOutput> {
    const argv = [...this.opts.command, '-c', this.opts.config, ...args];
    let result: RunResult;
    try {
      // SIGINT first: Python raises KeyboardInterrupt, so Alembic rolls its transaction back before exiting.
      // KILL by the kernel should node die: no Alembic left migrating once the lock (node's connection) is gone.
      result = await runChild(argv, {
        cwd: this.opts.cwd,
        env: { ...this.env(), ...extraEnv },
        onStderrLine,
        cancelSignal: 'SIGINT',
        dieWithParent: 'KILL'
      });
    } catch (error) {
      if (error instanceof ProgramNotFoundError)
        throw new AlembicError(
          args,
          undefined,
          `${error.message} (input 'alembic' is '${this.opts.command.join(' ')}')`
        );
      throw error;
    }
    return this.checked(args, result);
  }

  /** The result when Alembic succeeded; else AlembicError: one line, the command and Alembic's own error. */
  private checked<T extends ProgramOutput>(args: string[], result: T): T {
    if (result.code !== 0) {
      const why =
        // Alembic prints `FAILED: <its CommandError>` on stdout (and logs it only where env.py set up logging).
        commandError(result.stdout) ??
        alembicFailure(result.stderr) ??
        (result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`);
      throw new AlembicError(args, result, redact(`alembic ${args.join(' ')} failed: ${why}`));
    }
    return result;
  }

  private env(): NodeJS.ProcessEnv {
    const env = childEnvironment(this.opts.env ?? process.env);
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

function commandError(stdout: string): string | undefined {
  const failed = stdout
    .split(/\r?\n/)
    .filter(l => l.startsWith('FAILED: '))
    .pop();
  return failed?.slice('FAILED: '.length).trim() || undefined;
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
