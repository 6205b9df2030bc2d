import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import { InputError, errorMessage } from '../kit/errors.js';
import type { Logger } from '../kit/log.js';
import { childEnvironment } from '../kit/child-environment.js';
import { runChild, type RunResult } from '../kit/child-process.js';

/**
 * The app's Python requirements installed into a virtualenv before Alembic runs (env.py usually imports the
 * app's models), cached between runs under a key made of the requirements file's hash and the Python
 * version. The venv sees the interpreter's site packages too, so a system-wide Alembic stays usable.
 */
export interface VenvCache {
  /** Restores `paths` saved under `key`; resolves to the key restored, or undefined on a miss. */
  restore(paths: string[], key: string): Promise<string | undefined>;
  save(paths: string[], key: string): Promise<void>;
}

export interface VirtualenvOptions {
  requirementsFile: string;
  /** argv of the interpreter the venv is made from, e.g. `['python3']`. */
  python: string[];
  /** Directory the venv lives in, one per cache key (virtualenvs cannot move). */
  rootDir: string;
  cache?: VenvCache;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
}

export interface Virtualenv {
  dir: string;
  binDir: string;
  python: string;
  key: string;
  cacheHit: boolean;
  pythonVersion: string;
}

export async function prepareVirtualenv(opts: VirtualenvOptions): Promise<Virtualenv> {
  if (!existsSync(opts.requirementsFile))
    throw new InputError('requirements', `names a file that does not exist: ${opts.requirementsFile}`);
  const requirements = readFileSync(opts.requirementsFile);
  const version = (
    await mustRun(
      [
        ...opts.python,
        '-c',
        'import platform, sys; print(platform.python_implementation(), platform.python_version(), sys.platform)'
      ],
      opts.env,
      'python --version'
    )
  ).stdout.trim();
  const hash = createHash('sha256')
    .update(requirements)
    .update(opts.python.join(' '))
    .digest('hex')
    .slice(0, 20);
  const key = `alembic-venv-${process.platform}-${process.arch}-${version.replace(/\s+/g, '-').toLowerCase()}-${hash}`;
  const dir = join(opts.rootDir, key);
  const binDir = join(dir, 'bin');
  const python = join(binDir, 'python');
  const venv = { dir, binDir, python, key, pythonVersion: version };

  if (opts.cache) {
    const restored = await opts.cache.restore([dir], key).catch(error => {
      opts.logger.warning(`Virtualenv cache restore failed, building it instead: ${errorMessage(error)}`);
      return undefined;
    });
    if (restored && (await works(python, opts.env))) {
      opts.logger.info(`Virtualenv restored from cache (key ${key})`);
      return { ...venv, cacheHit: true };
    }
  }

  await opts.logger.group(`Installing ${opts.requirementsFile} into a virtualenv (${version})`, async () => {
    await mustRun(
      [...opts.python, '-m', 'venv', '--clear', '--system-site-packages', dir],
      opts.env,
      'python -m venv',
      opts.logger
    );
    await mustRun(
      [
        python,
        '-m',
        'pip',
        'install',
        '--disable-pip-version-check',
        '--no-input',
        '-r',
        opts.requirementsFile
      ],
      opts.env,
      'pip install',
      opts.logger
    );
  });
  if (opts.cache) {
    await opts.cache.save([dir], key).then(
      () => opts.logger.info(`Virtualenv saved to the cache (key ${key})`),
      error =>
        opts.logger.warning(
          `Virtualenv cache save failed (the next run installs again): ${errorMessage(error)}`
        )
    );
  }
  return { ...venv, cacheHit: false };
}

async function works(python: string, env?: NodeJS.ProcessEnv): Promise<boolean> {
  if (!existsSync(python)) return false;
  const r = await runChild([python, '-c', 'import sys'], {
    env: childEnvironment(env ?? process.env),
    cancelSignal: 'SIGINT',
    dieWithParent: 'KILL'
  }).catch(() => undefined);
  return r?.code === 0;
}

async function mustRun(
  argv: string[],
  env: NodeJS.ProcessEnv | undefined,
  what: string,
  logger?: Logger
): Promise<RunResult> {
  const log = logger ? (line: string) => logger.info(line) : undefined;
  // pip runs the requirements' build code (setup.py): it gets no input and no runner token.
  const r = await runChild(argv, {
    env: childEnvironment(env ?? process.env),
    cancelSignal: 'SIGINT',
    dieWithParent: 'KILL',
    onStdoutLine: log,
    onStderrLine: log
  });
  if (r.code !== 0) {
    const last = r.stderr.trim().split(/\r?\n/).filter(Boolean).pop() ?? `exit code ${r.code}`;
    throw new Error(`${what} failed: ${last}`);
  }
  return r;
}

const PYTHON = /^python(\d+(\.\d+)*)?$/;

/** The interpreter a venv is made from: the `alembic` command's own Python when it is one, else python3. */
export function baseInterpreter(command: string[]): string[] {
  return PYTHON.test(basename(command[0] ?? '')) ? [command[0]!] : ['python3'];
}

/**
 * The `alembic` command rewritten to run inside the venv: a Python interpreter becomes the venv's, a bare
 * `alembic` becomes the venv's Alembic (or the venv's `python -m alembic` when Alembic is a system package).
 */
export function commandInVirtualenv(
  command: string[],
  venv: Pick<Virtualenv, 'binDir' | 'python'>
): string[] {
  const [program, ...rest] = command;
  const name = basename(program ?? '');
  if (PYTHON.test(name)) return [venv.python, ...rest];
  if (name === 'alembic') {
    const own = join(venv.binDir, 'alembic');
    return existsSync(own) ? [own, ...rest] : [venv.python, '-m', 'alembic', ...rest];
  }
  return command;
}

/** Environment for processes that should behave as if the venv were activated. */
export function virtualenvEnv(
  venv: Pick<Virtualenv, 'dir' | 'binDir'>,
  path = process.env.PATH ?? ''
): Record<string, string> {
  return { VIRTUAL_ENV: venv.dir, PATH: path ? `${venv.binDir}${delimiter}${path}` : venv.binDir };
}
