// `--version` of each PostgreSQL client candidate, through the one spawn path (src/kit/child-process.ts): the
// environment less the action's inputs, one line when a client fails, and a hung client killed at the timeout
// rather than holding up the action (it is then no candidate).
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProgramTimeoutError } from '../../src/kit/child-process.js';
import { binaryVersion, findPgBinary } from '../../src/postgres/binaries.js';

const root = mkdtempSync(join(tmpdir(), 'pg-binaries-'));
const saved = { ...process.env };

afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** An executable `pg_dump` in `dir` running `script` (sh). */
function fakeClient(dir: string, script: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'pg_dump');
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('binaryVersion', () => {
  it('reads the version a client prints; the client does not see the action inputs', async () => {
    process.env['INPUT_DATABASE-URL'] = 'postgresql://app:s3cret@db/app';
    const path = fakeClient(
      join(root, 'clean'),
      'env | grep -q s3cret && { echo "saw the input" >&2; exit 9; }\necho "pg_dump (PostgreSQL) 16.4 (Debian 16.4-1)"'
    );
    expect(await binaryVersion(path)).toEqual({ path, version: '16.4', major: 16 });
  });

  it('a client that fails says how, with the end of its stderr', async () => {
    const path = fakeClient(join(root, 'broken'), 'echo "Error: no cluster found" >&2; exit 2');
    await expect(binaryVersion(path)).rejects.toThrow(
      `${path} --version exited with code 2: Error: no cluster found`
    );
  });

  it('a client that hangs is killed at the timeout, with an error naming it', async () => {
    const pidFile = join(root, 'hung.pid');
    const path = fakeClient(join(root, 'hung'), `echo $$ > ${pidFile}\nexec sleep 30`);
    const failed = binaryVersion(path, 200);
    await expect(failed).rejects.toBeInstanceOf(ProgramTimeoutError);
    await expect(failed).rejects.toThrow(`${path} --version did not finish within 0.2 s: killed`);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });
});

describe('findPgBinary', () => {
  it('a hung candidate is no candidate: the one that answers is chosen', async () => {
    fakeClient(join(root, 'path-hung'), 'exec sleep 30');
    const answering = fakeClient(join(root, 'versioned', '15', 'bin'), 'echo "pg_dump (PostgreSQL) 15.8"');
    const found = await findPgBinary('pg_dump', {
      pathEnv: join(root, 'path-hung'),
      versionedRoot: join(root, 'versioned'),
      versionTimeoutMs: 200
    });
    expect(found).toEqual({ path: answering, version: '15.8', major: 15 });
  });
});
