import { spawnSync } from 'node:child_process';
import { findProgram } from './program-path.js';

/**
 * argv that runs `argv` so that the kernel sends it `signal` when the action's node process dies, even by SIGKILL
 * (the runner's last resort): util-linux's `setpriv --pdeathsig` sets PR_SET_PDEATHSIG and execs the program (same
 * pid, so signals reach it as before). No child of an action may go on as an orphan: Alembic migrating once the
 * lock held by node's connection is gone (KILL), buildah building or pushing (TERM: it then removes its working
 * containers). Where setpriv is missing or has no --pdeathsig (older util-linux), or the program cannot be found
 * (spawn then reports it as it would), `argv` unchanged.
 */
export function dieWithParent(
  argv: string[],
  o: { cwd?: string; path?: string; signal: 'KILL' | 'TERM' }
): string[] {
  const setpriv = setprivWithPdeathsig();
  const [program] = argv;
  if (!setpriv || !program || !findProgram(program, o.cwd ?? process.cwd(), o.path ?? '')) return argv;
  return [setpriv, '--pdeathsig', o.signal, '--', ...argv];
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
