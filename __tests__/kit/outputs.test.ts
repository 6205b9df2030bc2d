import { afterAll, afterEach, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setOutputs } from '../../src/kit/actions-io.js';
import { clearSecretsForTest, registerSecret } from '../../src/kit/secrets.js';

const dir = mkdtempSync(join(tmpdir(), 'outputs-'));
afterEach(() => {
  clearSecretsForTest();
  delete process.env['GITHUB_OUTPUT'];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('an output holding a secret is skipped with a warning naming it, never written garbled', () => {
  const file = join(dir, 'output');
  writeFileSync(file, '');
  process.env['GITHUB_OUTPUT'] = file;
  registerSecret('signupflow');
  const printed: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    printed.push(String(chunk));
    return true;
  });
  try {
    setOutputs({
      'object-key': 'nightly/signupflow/20261201T020000Z.dump.pgp',
      'backup-id': '20261201T020000Z'
    });
  } finally {
    spy.mockRestore();
  }
  const written = readFileSync(file, 'utf8');
  expect(written).toContain('backup-id');
  expect(written).toContain('20261201T020000Z');
  expect(written).not.toContain('object-key');
  expect(written).not.toContain('***');
  expect(printed.join('')).toContain("::warning::Output 'object-key' not set: its value contains a secret");
});
