import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs, parseOutputFile } from '../../bin/cli.js';

const root = join(import.meta.dirname, '..', '..');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'bin', 'app-platform-pipeline.js'), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    timeout: 60_000
  });

describe('app-platform-pipeline CLI', () => {
  it('--help lists an action inputs from its action.yml', () => {
    const r = cli('health-gate', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--url (required)');
    expect(r.stdout).toContain('--failure-threshold (default: 3)');
    expect(r.stdout).toContain('p95-latency-ms');
  });

  it('an unknown action or input is refused with the list of what exists', () => {
    const a = cli('deploy');
    expect(a.status).toBe(2);
    expect(a.stderr).toContain('deploy-app-platform');
    const b = cli('backup', '--storage', 's3://x');
    expect(b.status).toBe(2);
    expect(b.stderr).toContain("unknown input '--storage'");
  });

  it('runs the bundle: a bad input fails on one line and the token is never printed', () => {
    const token = 'dop_v1_cafebabe0123456789';
    const r = cli('deploy-app-platform', '--token', token, '--app-id', 'x', '--timeout', 'soon');
    expect(r.status).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toMatch(/::error::Input '[a-z-]+'/);
    expect(`${r.stdout}${r.stderr}`).not.toContain(token);
  });

  it('parses --name value, --name=value and bare flags', () => {
    expect(
      parseArgs(['--mode', 'list', '--dry-run', '--storage-url=s3://b/p'], ['mode', 'dry-run', 'storage-url'])
    ).toEqual({
      mode: 'list',
      'dry-run': 'true',
      'storage-url': 's3://b/p'
    });
  });

  it("reads the runner's output file format", () => {
    expect(parseOutputFile('a<<EOF_1\nline1\nline2\nEOF_1\nb<<X\n\nX\n')).toEqual({
      a: 'line1\nline2',
      b: ''
    });
  });
});
