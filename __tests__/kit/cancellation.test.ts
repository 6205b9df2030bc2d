import { describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cancellation, CancelledError } from '../../src/kit/cancellation.js';

const fixture = join(import.meta.dirname, 'fixtures', 'cancellable-action.ts');

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise(resolve => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** A bash child that traps `traps`, takes `delay` s to exit on them and then writes `marker`. */
function trappingChild(dir: string, traps: string, delay = 0.3): ChildProcess {
  return spawn(
    'bash',
    ['-c', `trap 'sleep ${delay}; echo > ${dir}/exited; exit 3' ${traps}; while :; do sleep 0.05; done`],
    { stdio: 'ignore' }
  );
}

describe('Cancellation (real child processes)', () => {
  it('signals the child, waits for its exit, then runs the undo steps in reverse order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cancel-'));
    try {
      const c = new Cancellation({ log: () => undefined });
      const child = trappingChild(dir, 'INT');
      const exit = exited(child);
      await new Promise(r => setTimeout(r, 200)); // let bash install its trap
      c.trackChild(child, { label: 'worker', signal: 'SIGINT' });
      const order: string[] = [];
      c.addUndo('remove partial', () => order.push(`partial exited=${existsSync(join(dir, 'exited'))}`));
      c.addUndo('abort upload', () => order.push(`upload exited=${existsSync(join(dir, 'exited'))}`));
      expect(c.cancelled).toBe(false);
      await c.cancel('SIGINT');
      expect(await exit).toEqual({ code: 3, signal: null }); // it ran its own trap: SIGINT, not a SIGKILL
      expect(order).toEqual(['upload exited=true', 'partial exited=true']);
      expect(c.undone).toEqual(['abort upload', 'remove partial']);
      expect(c.left).toEqual([]);
      expect(c.signal.aborted).toBe(true);
      expect(c.reason).toBe('SIGINT');
      expect(() => c.throwIfCancelled()).toThrow(CancelledError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SIGKILLs a child that ignores its signal once the grace is over, and still runs the undo steps', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cancel-'));
    try {
      const c = new Cancellation({ log: () => undefined, childGraceMs: 300 });
      const child = spawn('bash', ['-c', `trap '' TERM; while :; do sleep 0.05; done`], { stdio: 'ignore' });
      const exit = exited(child);
      await new Promise(r => setTimeout(r, 200));
      c.trackChild(child, { label: 'stubborn' });
      let ran = false;
      c.addUndo('drop scratch db', () => (ran = true));
      await c.cancel('SIGTERM');
      expect((await exit).signal).toBe('SIGKILL');
      expect(ran).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a second cancel SIGKILLs the children at once', async () => {
    const c = new Cancellation({ log: () => undefined, childGraceMs: 60_000, budgetMs: 60_000 });
    const child = spawn('bash', ['-c', `trap '' INT; while :; do sleep 0.05; done`], { stdio: 'ignore' });
    const exit = exited(child);
    await new Promise(r => setTimeout(r, 200));
    c.trackChild(child, { label: 'stubborn', signal: 'SIGINT' });
    const first = c.cancel('SIGINT');
    await new Promise(r => setTimeout(r, 100));
    expect(child.exitCode).toBeNull();
    void c.cancel('SIGTERM');
    expect((await exit).signal).toBe('SIGKILL');
    await first;
  });

  it('a child started after the cancel is signalled at once', async () => {
    const c = new Cancellation({ log: () => undefined });
    await c.cancel('SIGINT');
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const exit = exited(child);
    c.trackChild(child, { label: 'late' });
    expect((await exit).signal).toBe('SIGTERM');
  });

  it('runs a step once whoever calls first; dismissed steps do not run; failures are reported as left', async () => {
    const c = new Cancellation({ log: () => undefined });
    let runs = 0;
    const step = c.addUndo('abort upload', () => void runs++);
    const committed = c.addUndo('remove partial', () => {
      throw new Error('must not run');
    });
    c.addUndo('drop scratch db', () => Promise.reject(new Error('connection refused')));
    committed.dismiss();
    await step.run();
    await c.cancel('SIGINT');
    expect(runs).toBe(1);
    expect(c.undone).toEqual(['abort upload']);
    expect(c.left).toEqual(['drop scratch db: not done (connection refused)']);
  });

  it('bounds a hanging undo step by the budget', async () => {
    const c = new Cancellation({ log: () => undefined, budgetMs: 300 });
    c.addUndo('hangs', () => new Promise(() => undefined));
    await c.cancel('SIGINT');
    expect(c.left).toEqual(['hangs: not done (out of time)']);
  });
});

describe('runAction on SIGINT/SIGTERM (a real node process)', () => {
  async function runFixture(signal: NodeJS.Signals, env: Record<string, string> = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'cancel-action-'));
    const summaryFile = join(dir, 'summary.md');
    writeFileSync(summaryFile, '');
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      env: { ...process.env, ...env, FIXTURE_DIR: dir, GITHUB_STEP_SUMMARY: summaryFile, GITHUB_OUTPUT: '' },
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('ready\n')) resolve();
      });
      child.once('exit', () => reject(new Error(`fixture exited early: ${stdout}${stderr}`)));
    });
    child.kill(signal);
    const result = await exited(child);
    const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '');
    const out = { ...result, stdout, stderr, summary: read('summary.md'), undo: read('undo.log'), dir };
    rmSync(dir, { recursive: true, force: true });
    return out;
  }

  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s: child stopped first, undo in reverse, "cancelled" summary with what was left, exit 1',
    async signal => {
      const r = await runFixture(signal);
      expect(r.code).toBe(1);
      expect(r.undo).toBe('second child-exited=true\nfirst child-exited=true\n');
      expect(r.stdout).toContain(`${signal} received: cancelling`);
      expect(r.stdout).toMatch(
        new RegExp(`::error::Cancelled by ${signal}; undone: second step; first step; left: deployment 42`)
      );
      expect(r.stdout).not.toContain('worker stopped'); // main's own error is not reported as the failure
      expect(r.summary).toContain('## Cancelled');
      expect(r.summary).toContain(`cancelled by ${signal}`);
      expect(r.summary).toContain('- deployment 42 keeps running; the next deploy waits for it');
      expect(r.stderr).toBe('');
    }
  );

  it('a failing undo step is named in the summary as left', async () => {
    const r = await runFixture('SIGINT', { FAILING_UNDO: '1' });
    expect(r.code).toBe(1);
    expect(r.summary).toContain('- failing step: not done (boom)');
  });
});
