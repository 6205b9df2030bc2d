// Every action ends the same way (runAction): outputs, summary, then the failure. A thrown error gets a summary
// saying why, naming the input for an input error and the call (with request id) for a refused remote call.
import { afterEach, beforeEach, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '../../src/kit/actions-io.js';
import { InputError, RemoteError } from '../../src/kit/errors.js';

let dir: string;
let printed: string[];
let spy: { mockRestore(): void };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'action-result-'));
  for (const f of ['summary', 'output']) writeFileSync(join(dir, f), '');
  process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary');
  process.env.GITHUB_OUTPUT = join(dir, 'output');
  printed = [];
  spy = jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    printed.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  spy.mockRestore();
  process.exitCode = 0;
  delete process.env.GITHUB_STEP_SUMMARY;
  delete process.env.GITHUB_OUTPUT;
  rmSync(dir, { recursive: true, force: true });
});
const summary = () => readFileSync(join(dir, 'summary'), 'utf8');
const outputs = () => readFileSync(join(dir, 'output'), 'utf8');
const errors = () =>
  printed
    .join('')
    .split('\n')
    .filter(l => l.startsWith('::error::'));

it('a returned failure: outputs set, summary written, the step fails with the one line', async () => {
  await runAction(async () => ({
    outputs: { healthy: false, checks: 6 },
    summary: ['## Health gate: FAILED', '| probe | ok |'],
    failure: 'Release unhealthy: 3 failed probes in a row'
  }));
  expect(outputs()).toContain('healthy');
  expect(outputs()).toContain('checks');
  expect(summary()).toBe('## Health gate: FAILED\n\n| probe | ok |\n\n');
  expect(errors()).toEqual(['::error::Release unhealthy: 3 failed probes in a row']);
  expect(process.exitCode).toBe(1);
});

it('a returned success: outputs and summary, no failure', async () => {
  await runAction(async () => ({ outputs: { digest: 'sha256:ab' }, summary: ['## Built'] }));
  expect(outputs()).toContain('sha256:ab');
  expect(summary()).toBe('## Built\n\n');
  expect(errors()).toEqual([]);
  expect(process.exitCode ?? 0).toBe(0);
});

it('a thrown input error: the summary names the input to fix', async () => {
  await runAction(async () => {
    throw new InputError('keep-daily', "must be a whole number >= 0, got 'thirty'");
  });
  expect(summary()).toContain('## Failed: input `keep-daily`');
  expect(summary()).toContain("Input 'keep-daily' must be a whole number >= 0, got 'thirty'");
  expect(errors()).toEqual(["::error::Input 'keep-daily' must be a whole number >= 0, got 'thirty'"]);
  expect(process.exitCode).toBe(1);
});

it('a thrown remote error: the summary names the call, the server message and the request id', async () => {
  await runAction(async () => {
    throw new RemoteError({
      call: 'PUT /v2/apps/42',
      status: 422,
      serverMessage: 'invalid spec',
      requestId: 'req-9'
    });
  });
  expect(summary()).toContain('## Failed: PUT /v2/apps/42');
  expect(summary()).toContain('HTTP 422 - invalid spec (request id req-9)');
  expect(process.exitCode).toBe(1);
});
