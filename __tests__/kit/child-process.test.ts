// The one spawn wrapper: what a child sees of the action's environment, what it is given on stdin, how its lines
// arrive, and the one line when the program is missing. The backup tools (pg_dump, pg_restore) go through it too.
import { afterEach, describe, expect, it } from '@jest/globals';
import { childEnvironment } from '../../src/kit/child-environment.js';
import { ProgramNotFoundError, runChild, stderrTail } from '../../src/kit/child-process.js';
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
