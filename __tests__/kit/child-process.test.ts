// The one spawn wrapper: what a child sees of the action's environment, what it is given on stdin, how its lines
// arrive, and the one line when the program is missing. The backup tools (pg_dump, pg_restore) go through it too.
import { afterEach, describe, expect, it } from '@jest/globals';
import { cancellation } from '../../src/kit/cancellation.js';
import { childEnvironment } from '../../src/kit/child-environment.js';
import {
  exitFailureLine,
  ProgramNotFoundError,
  ProgramTimeoutError,
  runChild,
  stderrTail
} from '../../src/kit/child-process.js';
import { startProcess } from '../../src/backup/process.js';

const SECRETS = {
  'INPUT_DATABASE-URL': 'postgresql://app:s3cret-pass@db/app',
  INPUT_PASSPHRASE: 'nightly-passphrase-1',
  'INPUT_S3-SECRET-ACCESS-KEY': 'rgw-secret-key-123',
  ACTIONS_RUNTIME_TOKEN: 'runtime-token-5e1f0c',
  APP_PIPELINE_PASSPHRASE: 'nightly-passphrase-1',
  GITHUB_TOKEN: 'ghs_0123456789abcdef'
};
const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
});

describe('childEnvironment', () => {
  it('withholds inputs, the CLI copies of them and the runner credentials; keeps the rest; adds extra', () => {
    const env = childEnvironment({ ...SECRETS, PATH: '/usr/bin', APP_MODE: 'prod' }, { PGPASSWORD: 'x' });
    expect(env).toEqual({ PATH: '/usr/bin', APP_MODE: 'prod', PGPASSWORD: 'x' });
  });
});

describe('runChild', () => {
  it('gives the child the environment less inputs and credentials by default', async () => {
    Object.assign(process.env, SECRETS, { APP_MODE: 'prod' });
    const r = await runChild(['sh', '-c', 'env']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('APP_MODE=prod');
    for (const value of Object.values(SECRETS)) expect(r.stdout).not.toContain(value);
  });

  it('writes `input` to stdin, and reports stdout and stderr lines in arrival order', async () => {
    const seen: string[] = [];
    const r = await runChild(['sh', '-c', 'read p; echo "out $p"; echo err >&2; sleep 0.1; printf last'], {
      input: 'pw\n',
      onLine: l => seen.push(l),
      onStderrLine: l => seen.push(`stderr:${l}`)
    });
    expect(r).toMatchObject({ code: 0, signal: null, stdout: 'out pw\nlast', stderr: 'err\n' });
    expect(r.lines).toEqual(['out pw', 'err', 'last']);
    expect(seen).toEqual(['out pw', 'err', 'stderr:err', 'last']);
  });

  it('a program that is not installed rejects with one line naming it', async () => {
    const failed = runChild(['no-such-program-4711', '--version']);
    await expect(failed).rejects.toBeInstanceOf(ProgramNotFoundError);
    await expect(failed).rejects.toThrow("cannot run 'no-such-program-4711': not found");
  });

  it('reports a signal as the end of the program', async () => {
    const r = await runChild(['sh', '-c', 'kill -TERM $$']);
    expect(r).toMatchObject({ code: null, signal: 'SIGTERM' });
  });

  it('kills a program that overruns timeoutMs and rejects naming it', async () => {
    let pid: number | undefined;
    const failed = runChild(['sh', '-c', 'echo $$; exec sleep 5'], {
      label: 'sleeper --version',
      timeoutMs: 200,
      onLine: line => (pid = Number(line))
    });
    await expect(failed).rejects.toBeInstanceOf(ProgramTimeoutError);
    await expect(failed).rejects.toThrow('sleeper --version did not finish within 0.2 s: killed');
    // Gone, not left sleeping: signal 0 finds no such process.
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(pid!, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });

  it('a program that ends within timeoutMs resolves as without one', async () => {
    const r = await runChild(['sh', '-c', 'echo done; exit 3'], { timeoutMs: 60_000 });
    expect(r).toMatchObject({ code: 3, signal: null, stdout: 'done\n' });
  });

  it("an undo step's child is killed when the step's budget runs out, and rejects naming it", async () => {
    const spent = new AbortController();
    const failed = runChild(['sleep', '5'], { label: 'buildah rm', undoSignal: spent.signal });
    spent.abort();
    await expect(failed).rejects.toThrow('buildah rm stopped: its undo step ran out of time');
    const done = await runChild(['sh', '-c', 'echo ok'], { undoSignal: new AbortController().signal });
    expect(done).toMatchObject({ code: 0, stdout: 'ok\n' });
  });
});

describe('startProcess (pg_dump, pg_restore)', () => {
  it('gets no input, passphrase, S3 key or runner token of the action, only what it is given', async () => {
    Object.assign(process.env, SECRETS);
    const p = startProcess('sh', ['-c', 'env'], { env: { PGPASSWORD: 'for-libpq' }, label: 'env' });
    let out = '';
    p.child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    await p.done;
    expect(out).toContain('PGPASSWORD=for-libpq');
    for (const value of Object.values(SECRETS)) expect(out).not.toContain(value);
  });

  it('fails with the end of stderr', async () => {
    const p = startProcess('sh', ['-c', 'echo one >&2; echo; echo two >&2; exit 3'], { label: 'pg_dump' });
    await expect(p.done).rejects.toThrow('pg_dump exited with code 3: one | two');
  });
});

it('stderrTail keeps the last non-empty lines', () => {
  expect(stderrTail('a\n\n b \nc\nd\ne\nf\n', 3)).toBe('d | e | f');
});

it('exitFailureLine says how a program ended, with the end of its stderr', () => {
  const ended = { stdout: '', stderr: 'Error: no cluster\n' };
  expect(exitFailureLine('pg_dump --version', { ...ended, code: 2, signal: null })).toBe(
    'pg_dump --version exited with code 2: Error: no cluster'
  );
  expect(exitFailureLine('buildah rm', { code: null, signal: 'SIGKILL', stdout: '', stderr: '' })).toBe(
    'buildah rm was killed by SIGKILL'
  );
});

// Last in this file: it cancels the process-wide cancellation.
describe('runChild after the run is cancelled', () => {
  it("stops a new child at once, but not an undo step's own (it removes what the run left)", async () => {
    await cancellation.cancel('SIGINT');
    expect(await runChild(['sleep', '5'])).toMatchObject({ code: null, signal: 'SIGTERM' });
    const undo = await runChild(['sh', '-c', 'echo removed'], { undoSignal: new AbortController().signal });
    expect(undo).toMatchObject({ code: 0, signal: null, stdout: 'removed\n' });
  });
});
