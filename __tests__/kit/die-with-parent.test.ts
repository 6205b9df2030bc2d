// One way for every action to keep its children from outliving it (Alembic: KILL; buildah: TERM).
import { describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dieWithParent } from '../../src/kit/die-with-parent.js';
import { findProgram } from '../../src/kit/program-path.js';

const PATH = process.env.PATH ?? '';

describe('dieWithParent', () => {
  test('wraps a program in setpriv --pdeathsig with the signal asked for', () => {
    const setpriv = findProgram('setpriv', process.cwd(), PATH);
    expect(setpriv).toBeDefined(); // util-linux, installed by scripts/install-deps.sh
    expect(dieWithParent(['sleep', '1'], { path: PATH, signal: 'TERM' })).toEqual([
      setpriv,
      '--pdeathsig',
      'TERM',
      '--',
      'sleep',
      '1'
    ]);
    expect(dieWithParent(['sleep', '1'], { path: PATH, signal: 'KILL' })[2]).toBe('KILL');
  });

  test('leaves a program it cannot find as it is, so spawn reports it as not installed', () => {
    expect(dieWithParent(['no-such-program-here', 'x'], { path: PATH, signal: 'KILL' })).toEqual([
      'no-such-program-here',
      'x'
    ]);
    expect(dieWithParent(['./missing'], { cwd: '/', path: PATH, signal: 'KILL' })).toEqual(['./missing']);
  });

  test('the wrapped child gets the signal when its parent is SIGKILLed', async () => {
    // A bash parent starts `sleep 600` wrapped, prints its pid and is then killed; the sleep must go too.
    const argv = dieWithParent(['sleep', '600'], { path: PATH, signal: 'KILL' });
    const script = `${argv.map(a => `'${a}'`).join(' ')} & echo $!; wait`;
    const parent = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    const pid = await new Promise<number>(r => parent.stdout.once('data', d => r(Number(String(d).trim()))));
    // Only once setpriv has set the death signal and exec'd sleep (bash prints the pid right after forking).
    const cmdline = () => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
      } catch {
        return undefined;
      }
    };
    for (let i = 0; i < 200 && cmdline() !== 'sleep'; i++) await new Promise(r => setTimeout(r, 25));
    expect(cmdline()).toBe('sleep');
    parent.kill('SIGKILL');
    await new Promise(r => parent.once('exit', r));
    // Gone, or a zombie nobody reaps (this machine's init does not): either way it no longer runs.
    const running = () => {
      try {
        return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
      } catch {
        return false;
      }
    };
    let alive = running();
    for (let i = 0; i < 100 && alive; i++) {
      await new Promise(r => setTimeout(r, 50));
      alive = running();
    }
    expect(alive).toBe(false);
  });
});

describe('findProgram', () => {
  test('finds executables on the path or relative to cwd, never directories or plain files', () => {
    expect(findProgram('bash', '/', PATH)).toMatch(/\/bash$/);
    expect(findProgram('/bin', '/', PATH)).toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), 'find-program-'));
    writeFileSync(join(dir, 'plain'), 'not a program');
    chmodSync(join(dir, 'plain'), 0o644);
    expect(findProgram('plain', '/', dir)).toBeUndefined();
    chmodSync(join(dir, 'plain'), 0o755);
    expect(findProgram('plain', '/', dir)).toBe(join(dir, 'plain'));
    rmSync(dir, { recursive: true, force: true });
    expect(findProgram('bin/sh', '/', PATH)).toBe('/bin/sh');
  });
});
