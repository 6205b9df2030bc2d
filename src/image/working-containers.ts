import { readdirSync, readFileSync } from 'node:fs';
import { childEnvironment } from '../kit/child-environment.js';
import { exitFailureLine, runChild, type RunResult } from '../kit/child-process.js';

/**
 * buildah's working containers of one build. `buildah build` stopped before its signal handler is up (a cancel
 * right as a RUN step starts, a SIGKILL) leaves them, and nothing in a container says which build made it. So a
 * run lists the working containers before its build; afterwards the ones that are new are its own — unless
 * another buildah ran meanwhile, which is checked at removal time: while another buildah process on the same
 * storage is running, nothing is removed (its containers would look new too) and the ids are reported instead.
 */

/**
 * `buildah <args>` on the storage `env` selects, through the one spawn path. `signal` is the budget of the undo step
 * it runs in, if any (then the cancellation, which started that step, does not stop it). Rejects unless it exits 0.
 */
async function buildah(args: string[], env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<RunResult> {
  const label = `buildah ${args[0]}`;
  const r = await runChild(['buildah', ...args], { env: childEnvironment(env), label, undoSignal: signal });
  if (r.code !== 0) throw new Error(exitFailureLine(label, r));
  return r;
}

interface ContainerEntry {
  id: string;
  builder: boolean;
  containername: string;
}

/** `working-container`, `<image>-working-container`, `...-working-container-2`: the names buildah build gives. */
const WORKING = /(^|-)working-container(-\d+)?$/;

export function parseWorkingContainers(json: string): string[] | undefined {
  try {
    const entries = (JSON.parse(json) ?? []) as ContainerEntry[];
    return entries.filter(e => e.builder && WORKING.test(e.containername)).map(e => e.id);
  } catch {
    return undefined;
  }
}

export async function listWorkingContainers(
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal
): Promise<string[] | undefined> {
  try {
    return parseWorkingContainers((await buildah(['containers', '--json'], env, signal)).stdout);
  } catch {
    return undefined;
  }
}

/**
 * Pids of running buildah processes that may use the storage `env` selects (Linux /proc): the same
 * CONTAINERS_STORAGE_CONF, or one whose environment cannot be read. Builds on other storages do not count.
 */
export function otherBuildahProcesses(env: NodeJS.ProcessEnv): number[] {
  const ours = env.CONTAINERS_STORAGE_CONF ?? '';
  const storageOf = (pid: string): string | undefined => {
    try {
      const vars = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      const conf = vars.find(v => v.startsWith('CONTAINERS_STORAGE_CONF='));
      return conf ? conf.slice(conf.indexOf('=') + 1) : '';
    } catch {
      return undefined;
    }
  };
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter(e => /^\d+$/.test(e));
  } catch {
    return pids;
  }
  for (const e of entries) {
    try {
      if (readFileSync(`/proc/${e}/comm`, 'utf8').trim() !== 'buildah') continue;
      const storage = storageOf(e);
      if (storage === undefined || storage === ours) pids.push(Number(e));
    } catch {
      // gone
    }
  }
  return pids;
}

/**
 * Removes the working containers that are not in `before`. Returns what was removed, or throws (with the ids and
 * the command to remove them) when it cannot safely decide.
 */
export async function removeNewWorkingContainers(
  before: string[],
  env: NodeJS.ProcessEnv,
  signal?: AbortSignal
): Promise<string[]> {
  const now = await listWorkingContainers(env, signal);
  if (!now) throw new Error('buildah containers failed: working containers not checked');
  const known = new Set(before);
  const added = now.filter(id => !known.has(id));
  if (added.length === 0) return [];
  const others = otherBuildahProcesses(env);
  if (others.length)
    throw new Error(
      `another buildah is running (pid ${others.join(', ')}), so these may be its: ${added.map(id => id.slice(0, 12)).join(' ')} (remove with buildah rm if they are this build's)`
    );
  await buildah(['rm', ...added], env, signal);
  return added;
}
