import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

function serverPids(): string[] {
  const pattern = 'uvicorn app.main:app|ceph-mon|ceph-osd|radosgw|docker-registry|redis-server|postgres -D';
  const found = spawnSync('pgrep', ['-f', pattern], { encoding: 'utf8' });
  return found.stdout.split('\n').filter(Boolean);
}

/**
 * Whether a process belongs to this checkout's rehearsal: `dir` (its TMPDIR) in its environment, command line or
 * cwd, or a cwd inside this checkout (the simulator runs the example app from it with the app's own environment).
 */
function startedUnder(pid: string, dir: string): boolean {
  const read = (file: string, how: (f: string) => string) => {
    try {
      return how(`/proc/${pid}/${file}`);
    } catch {
      return ''; // gone meanwhile
    }
  };
  return [
    read('environ', f => readFileSync(f, 'utf8')),
    read('cmdline', f => readFileSync(f, 'utf8')),
    read('cwd', f => readlinkSync(f))
  ].some(text => text.includes(dir) || text.startsWith(`${root}/`) || text === root);
}

// The README's first command without its install step: the whole pipeline, twice, then backup and drill.
describe('npm run rehearsal', () => {
  it('plays every step with the expected outcome and leaves nothing running', () => {
    const before = serverPids();
    // Its own TMPDIR marks the servers it starts: other runs on the machine may start servers meanwhile.
    const own = mkdtempSync(join(tmpdir(), 'rehearsal-'));
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(root, 'scripts', 'rehearsal', 'main.ts')],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 600_000,
        env: { ...process.env, NODE_OPTIONS: '', TMPDIR: own }
      }
    );
    const out = `${run.stdout}${run.stderr}`;
    expect(out).toContain('Rehearsal passed: every expected outcome happened');
    expect(run.status).toBe(0);
    for (const step of [
      'release 1: health-gate',
      'release 2: health-gate',
      'after rollback: release 1 serves',
      'workflow: README backup.yml on its cron',
      'workflow: README restore-drill.yml on its cron'
    ])
      expect(out).toMatch(new RegExp(`^ok\\s+${step.replace(/[()]/g, '\\$&')}`, 'm'));
    expect(out).toMatch(/^ok\s+release 2: health-gate\s+exit 1, healthy=false, rolled-back=true/m);
    // The README's backup caller, through the workflow runner, pruned the seeded older backups.
    expect(out).toMatch(/^ok\s+workflow: README backup\.yml on its cron\s+success .*pruned [1-9]\d*/m);
    // Every server the rehearsal started is gone: the simulator's app processes, PostgreSQL, Ceph, the registry,
    // Redis. (Servers that were already running before, e.g. the shared test stack, are not its own.)
    const left = serverPids().filter(pid => !before.includes(pid) && startedUnder(pid, own));
    rmSync(own, { recursive: true, force: true });
    expect(left).toEqual([]);
  });
});
