import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACTS } from './contracts.js';

const root = join(import.meta.dirname, '..', '..');

// Started as the runner starts them, with no inputs at all: an ncc bundle that built but cannot load (e.g. a
// webpackMissingModule stub for an ESM-only package) crashes here instead of printing the input error.
function runBare(name: string) {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  return spawnSync(process.execPath, [join(root, 'dist', name, 'index.js')], {
    env,
    encoding: 'utf8',
    timeout: 60_000
  });
}

describe.each(Object.keys(CONTRACTS))('dist/%s/index.js', name => {
  it('has no missing-module stubs', () => {
    expect(readFileSync(join(root, 'dist', name, 'index.js'), 'utf8')).not.toContain('webpackMissingModule');
  });

  it('started with no inputs, exits non-zero with one line naming a required input', () => {
    const result = runBare(name);
    expect(result.status).not.toBe(0);
    const lines = `${result.stdout}${result.stderr}`.split('\n').filter(l => l.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^::error::Input '[a-z-]+' (is required|must)/);
  });
});
