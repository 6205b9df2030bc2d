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

/** Runs the rehearsal with `args` under its own TMPDIR; returns its output, exit status and the servers it left. */
function rehearse(args: string[]) {
  const before = serverPids();
  // Its own TMPDIR marks the servers it starts: other runs on the machine may start servers meanwhile.
  const own = mkdtempSync(join(tmpdir(), 'rehearsal-'));
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'scripts', 'rehearsal', 'main.ts'), ...args],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 1_200_000,
      env: { ...process.env, NODE_OPTIONS: '', TMPDIR: own }
    }
  );
  const out = `${run.stdout}${run.stderr}`;
  // Every server the rehearsal started is gone: the simulator's app processes, PostgreSQL, Ceph, the registry.
  // (Servers that were already running before, e.g. the shared test stack, are not its own.)
  const left = serverPids().filter(pid => !before.includes(pid) && startedUnder(pid, own));
  rmSync(own, { recursive: true, force: true });
  return { out, status: run.status, left };
}

const row = (step: string) => new RegExp(`^ok\\s+${step.replace(/[()+.]/g, '\\$&')}`, 'm');

// The README's first command without its install step: the README's workflows through the workflow runner.
describe('npm run rehearsal', () => {
  it('plays every workflow with the expected outcome and leaves nothing running', () => {
    const { out, status, left } = rehearse([]);
    expect(out).toContain('Rehearsal passed: every expected outcome happened');
    expect(status).toBe(0);
    for (const step of [
      'workflow: README production.yml on push (healthy release)',
      'workflow: README rollback.yml (the button)',
      'workflow: README production.yml on push (release breaks after going live)',
      'workflow: README backup.yml on its cron',
      'workflow: README restore-drill.yml on its cron',
      'workflow: README backup.yml + trusted-source: runner-ip (locked database)',
      'workflow: README backup.yml without trusted-source (locked database)',
      'workflow: README production.yml + trusted-source: runner-ip (locked database)'
    ])
      expect(out).toMatch(row(step));
    expect(out).toMatch(
      /^ok\s+workflow: README production\.yml on push \(release breaks after going live\)\s+failure, deploy success, gate failure, healthy=false, rolled-back=true, \/health 200 v1/m
    );
    // The README's backup caller, through the workflow runner, pruned the seeded older backups.
    expect(out).toMatch(/^ok\s+workflow: README backup\.yml on its cron\s+success, \S+, pruned [1-9]\d*/m);
    // Time per workflow, each job with its result and duration.
    expect(out).toMatch(
      /^workflow: README rollback\.yml \(the button\): .+ \(rollback\/rollback success \d+\.\ds\)$/m
    );
    expect(left).toEqual([]);
  }, 1_300_000);

  it('--paths: a PR preview opened, updated and closed, and a promotion stopped in staging; nothing left running', () => {
    const { out, status, left } = rehearse(['--paths']);
    expect(out).toContain('Rehearsal passed: every expected outcome happened');
    expect(status).toBe(0);
    for (const step of [
      'workflow: README preview.yml on PR opened',
      'workflow: README preview.yml on PR synchronize',
      'workflow: README preview.yml on PR closed',
      'workflow: README promote.yml, release failing staging'
    ])
      expect(out).toMatch(row(step));
    expect(left).toEqual([]);
  }, 1_300_000);

  it('refuses an unknown argument with one line naming it', () => {
    const { out, status } = rehearse(['--pathz']);
    expect(out.trim()).toBe('rehearsal: unknown argument --pathz (usage: npm run rehearsal [-- --paths])');
    expect(status).toBe(2);
  });
});
