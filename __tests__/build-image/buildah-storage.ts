// A private buildah storage (overlay, as root) for one test file, so tests never touch the machine's image
// store and always start without local layers. buildah reads CONTAINERS_STORAGE_CONF, so the action bundle
// run as a process gets it through its environment.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BuildahStorage {
  dir: string;
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

export function buildahStorage(): BuildahStorage {
  const dir = mkdtempSync(join(tmpdir(), 'build-image-storage-'));
  const conf = join(dir, 'storage.conf');
  writeFileSync(conf, `[storage]\ndriver = "overlay"\ngraphroot = "${dir}/root"\nrunroot = "${dir}/run"\n`);
  const env = { ...process.env, CONTAINERS_STORAGE_CONF: conf };
  return {
    dir,
    env,
    cleanup() {
      try {
        execFileSync('buildah', ['rmi', '--all', '--force'], { env, stdio: 'ignore' });
      } catch {
        // nothing to remove
      }
      // Overlay mounts left by an interrupted build would make rm fail with EBUSY.
      const mounts = readFileSync('/proc/mounts', 'utf8')
        .split('\n')
        .map(l => l.split(' ')[1] ?? '')
        .filter(m => m.startsWith(dir))
        .reverse();
      for (const m of mounts) execFileSync('umount', ['-l', m], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
