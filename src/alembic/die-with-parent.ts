import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/**
 * argv that runs `argv` so that the kernel SIGKILLs it when the action's node process dies: util-linux's
 * `setpriv --pdeathsig KILL` sets PR_SET_PDEATHSIG and execs the program (same pid, so signals reach it as before).
 * A SIGKILLed action (the runner's last resort) must not leave Alembic migrating while the lock, held by node's
 * connection, is gone. Where setpriv is missing or has no --pdeathsig, or the program cannot be found (spawn then
 * reports it as it would), `argv` unchanged.
 */
export function dieWithParent(argv: string[], cwd: string | undefined, path: string | undefined): string[] {
  const setpriv = setprivWithPdeathsig();
  const [program] = argv;
  if (!setpriv || !program || !findProgram(program, cwd ?? process.cwd(), path ?? '')) return argv;
  return [setpriv, '--pdeathsig', 'KILL', '--', ...argv];
}

let cached: string | null | undefined;

function setprivWithPdeathsig(): string | null {
  if (cached !== undefined) return cached;
  cached = null;
  const setpriv = findProgram('setpriv', process.cwd(), process.env.PATH ?? '');
  if (!setpriv) return cached;
  const help = spawnSync(setpriv, ['--help'], { encoding: 'utf8', timeout: 5000 });
  if (help.status === 0 && help.stdout.includes('--pdeathsig')) cached = setpriv;
  return cached;
}

function findProgram(program: string, cwd: string, path: string): string | undefined {
  const candidates = program.includes('/')
    ? [isAbsolute(program) ? program : resolve(cwd, program)]
    : path
        .split(delimiter)
        .filter(Boolean)
        .map(d => join(d, program));
  return candidates.find(c => {
    try {
      accessSync(c, constants.X_OK);
      return statSync(c).isFile();
    } catch {
      return false;
    }
  });
}
