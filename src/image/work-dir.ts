import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cancellation } from '../kit/cancellation.js';
import { errorMessage } from '../kit/errors.js';
import type { Logger } from '../kit/log.js';

/**
 * The build's private temp dir (mode 0700: mkdtemp) holding the registry auth.json (base64 user:password) and the
 * digest file. Removed on every exit path: the build's own `finally`, and the cancellation's undo step once buildah
 * has exited. A SIGKILL of the action leaves it; the next run removes it (`removeStaleWorkDirs`): its `owner` file
 * names the process that made it, and a dir whose owner is gone is stale.
 */
export const WORK_DIR_PREFIX = 'app-pipeline-build-image-';
/** A dir whose owner cannot be read (made by a run killed before writing it) is stale only after this long. */
export const STALE_UNOWNED_MS = 24 * 60 * 60 * 1000;

export interface WorkDir {
  path: string;
  /** Removes the dir now (once). */
  remove(): Promise<void>;
}

export function createWorkDir(): WorkDir {
  const path = mkdtempSync(join(tmpdir(), WORK_DIR_PREFIX));
  // buildah's TMPDIR (see BuildahBuilder.env): what it leaves when stopped goes with the dir.
  mkdirSync(join(path, 'tmp'), { mode: 0o700 });
  writeFileSync(join(path, 'owner'), `${ownerId(process.pid) ?? process.pid}\n`, { mode: 0o600 });
  const undo = cancellation.addUndo(`remove the registry credentials and temp dir ${path}`, () =>
    rmSync(path, { recursive: true, force: true })
  );
  return { path, remove: () => undo.run() };
}

/**
 * Removes the work dirs of earlier runs whose process is gone (SIGKILLed, the machine rebooted); `containers`
 * removes the working containers such a run's build left (given the list it saved before building).
 */
export async function removeStaleWorkDirs(
  log: Logger,
  containers?: (before: string[]) => Promise<string[]>,
  now = Date.now()
): Promise<void> {
  const root = tmpdir();
  let entries: string[];
  try {
    entries = readdirSync(root).filter(e => e.startsWith(WORK_DIR_PREFIX));
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(root, entry);
    try {
      if (!isStale(path, now)) continue;
      let before: string[] | undefined;
      try {
        before = readFileSync(join(path, 'containers-before'), 'utf8').split('\n').filter(Boolean);
      } catch {
        before = undefined;
      }
      if (before && containers)
        try {
          const removed = await containers(before);
          if (removed.length)
            log.info(`removed ${removed.length} buildah working container(s) left by the run of ${path}`);
        } catch (error) {
          log.warning(`working containers left by the run of ${path}: ${errorMessage(error)}`);
        }
      rmSync(path, { recursive: true, force: true });
      log.info(`removed a stale build-image temp dir ${path} (the run that made it is gone)`);
    } catch {
      // another run removed it first, or it is not ours to remove
    }
  }
}

function isStale(path: string, now: number): boolean {
  let owner: string | undefined;
  try {
    owner = readFileSync(join(path, 'owner'), 'utf8').trim();
  } catch {
    owner = undefined;
  }
  if (!owner) return now - statSync(path).mtimeMs > STALE_UNOWNED_MS;
  const [pidText, started] = owner.split(' ');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return now - statSync(path).mtimeMs > STALE_UNOWNED_MS;
  if (pid === process.pid) return false;
  // pid + start time: a reused pid is another process. Without /proc, whether the pid exists at all.
  if (started !== undefined) return ownerId(pid) !== owner;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** `<pid> <start time in clock ticks since boot>` (from /proc), or undefined when the process does not exist. */
function ownerId(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses); start time is field 22.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return `${pid} ${fields[19]}`;
  } catch {
    return undefined;
  }
}
