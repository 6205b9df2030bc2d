// build-image cancelled as GitHub cancels a job (SIGINT, SIGTERM) and killed (SIGKILL) mid-build, with real buildah
// and the local registry: nothing of the run is left (no auth.json, no working container, no pushed image) or, after
// a SIGKILL, the next run removes it. And the Basic form of the registry credentials, base64(user:password), is a
// secret: a registry error that echoes the header never prints it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAction, type ActionResult } from '../../test-support/action-process.js';
import { sharedRegistry, type RegistryServer } from '../../test-support/shared.js';
import { otherBuildahProcesses } from '../../src/image/working-containers.js';
import { buildahStorage, type BuildahStorage } from './buildah-storage.js';
import { headDigest } from './registry-http.js';

let reg: RegistryServer;
let storage: BuildahStorage;
let workspace: string;
const run = randomBytes(3).toString('hex');

/** A private TMPDIR per action run: whatever the run leaves in its temp dir is visible, and only its own. */
function freshTemp(): string {
  return mkdtempSync(join(workspace, 'tmp-'));
}

function env(temp: string, sha: string): NodeJS.ProcessEnv {
  const eventFile = join(temp, '..', 'event.json');
  return {
    ...storage.env,
    // No OCI runtime on the test machines: RUN steps in a chroot (buildah's own isolation, no runc/crun needed).
    BUILDAH_ISOLATION: 'chroot',
    TMPDIR: temp,
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'Acme-Church/SignUpFlow',
    GITHUB_SHA: sha.repeat(40).slice(0, 40),
    GITHUB_REF: 'refs/heads/main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: eventFile
  };
}

function inputs(repository: string, over: Record<string, string> = {}): Record<string, string> {
  return {
    image: `${reg.host}/${repository}`,
    context: 'app',
    file: 'app/Slow.Dockerfile',
    'registry-username': reg.username,
    'registry-password': reg.password,
    builder: 'buildah',
    'tls-verify': 'false',
    ...over
  };
}

/** Working containers in the test's private storage (every one of them is this file's). */
const workingContainers = (): string[] =>
  execFileSync('buildah', ['containers', '--quiet'], { env: storage.env, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);

const basic = () => Buffer.from(`${reg.username}:${reg.password}`).toString('base64');

/** Lines that print a value outside the runner's own mask commands. */
const leaks = (r: ActionResult, value: string): string[] =>
  `${r.stdout}\n${r.stderr}\n${r.summary}\n${Object.values(r.outputs).join('\n')}`
    .split('\n')
    .filter(l => l.includes(value) && !l.startsWith('::add-mask::'));

/** Everything under `dir`, as relative paths. */
const leftIn = (dir: string): string[] => readdirSync(dir, { recursive: true }).map(String);

beforeAll(async () => {
  reg = await sharedRegistry();
  storage = buildahStorage();
  workspace = mkdtempSync(join(tmpdir(), 'build-image-cancel-'));
  writeFileSync(join(workspace, 'event.json'), JSON.stringify({ repository: { default_branch: 'main' } }));
  // A root filesystem with just /bin/sleep and its loader, so a RUN step can take as long as the test needs.
  const rootfs = join(workspace, 'app', 'rootfs');
  for (const [from, to] of [
    ['/bin/sleep', 'bin/sleep'],
    ['/lib/x86_64-linux-gnu/libc.so.6', 'lib/x86_64-linux-gnu/libc.so.6'],
    ['/lib64/ld-linux-x86-64.so.2', 'lib64/ld-linux-x86-64.so.2']
  ] as const) {
    mkdirSync(join(rootfs, to, '..'), { recursive: true });
    copyFileSync(from, join(rootfs, to));
  }
  // The random ARG-free RUN line differs per file run, so the layer cache never skips the sleep.
  writeFileSync(
    join(workspace, 'app', 'Slow.Dockerfile'),
    `FROM scratch\nCOPY rootfs/ /\nRUN ["/bin/sleep", "600", "${run}"]\nCOPY rootfs/bin/sleep /done\n`
  );
});

afterAll(() => {
  storage?.cleanup();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

describe('build-image cancelled mid-build', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s: buildah stopped, no auth.json, no working container, nothing pushed, summary says Cancelled',
    async signal => {
      const temp = freshTemp();
      const repository = `cancel/${signal.toLowerCase()}-${run}`;
      const action = startAction('build-image', inputs(repository), env(temp, 'c1'));
      await action.waitFor(/^STEP 3\/\d+: RUN /);
      // The RUN step's working container exists now, and the auth file holds the credentials.
      expect(workingContainers().length).toBeGreaterThan(0);
      expect(leftIn(temp).some(p => p.endsWith('auth.json'))).toBe(true);
      action.child.kill(signal);
      const r = await action.done;
      expect(r.code).toBe(1);
      expect(r.summary).toContain('Cancelled');
      expect(r.stdout).toContain(`::error::Cancelled by ${signal}`);
      // The undo step's own buildah commands ran to the end: the cancellation stopped the build, not them.
      expect(r.summary).toMatch(/Undone:[\s\S]*- remove this build's buildah working containers/);
      expect(r.summary).not.toMatch(/working containers: not done/);
      expect(leftIn(temp)).toEqual([]);
      expect(workingContainers()).toEqual([]);
      expect(await headDigest(reg, repository, 'sha-c1c1c1c')).toBeUndefined();
      expect(leaks(r, reg.password)).toEqual([]);
      expect(leaks(r, basic())).toEqual([]);
    }
  );

  it('SIGKILL: buildah does not build on as an orphan, and the next run removes what the killed run left', async () => {
    const temp = freshTemp();
    const repository = `cancel/sigkill-${run}`;
    const action = startAction('build-image', inputs(repository), env(temp, 'c2'));
    await action.waitFor(/^STEP 3\/\d+: RUN /);
    action.child.kill('SIGKILL');
    await action.done;
    // Its buildah got SIGTERM from the kernel (pdeathsig) and ends on its own: it must not build on. A later job
    // starts only once it has gone (on a loaded machine that takes a moment), as it would on a runner.
    for (let i = 0; i < 300 && otherBuildahProcesses(storage.env).length > 0; i++)
      await new Promise(r => setTimeout(r, 100));
    expect(otherBuildahProcesses(storage.env)).toEqual([]);
    // The killed run's auth file is still there: only a later run can remove it.
    expect(leftIn(temp).some(p => p.endsWith('auth.json'))).toBe(true);

    // The next run in the same temp dir and storage: a build without the slow step.
    writeFileSync(join(workspace, 'app', 'Quick.Dockerfile'), 'FROM scratch\nCOPY rootfs/bin/sleep /quick\n');
    const next = startAction(
      'build-image',
      inputs(repository, { file: 'app/Quick.Dockerfile' }),
      env(temp, 'c3')
    );
    const r = await next.done;
    expect([r.code, r.stdout]).toEqual([0, expect.stringMatching(/removed a stale build-image temp dir/)]);
    expect(leftIn(temp)).toEqual([]);
    expect(workingContainers()).toEqual([]);
    // The killed run pushed nothing; the next one did.
    expect(await headDigest(reg, repository, 'sha-c2c2c2c')).toBeUndefined();
    expect(await headDigest(reg, repository, 'sha-c3c3c3c')).toMatch(/^sha256:/);
  });
});

describe('the Basic form of the registry credentials is a secret', () => {
  let server: Server;
  let host: string;

  beforeAll(async () => {
    // A registry whose refusal echoes the Authorization header back, as some proxies' error pages do.
    server = createServer((req, res) => {
      const auth = req.headers.authorization;
      if (!auth) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="echo"', 'content-type': 'application/json' });
        res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
        return;
      }
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'DENIED', message: `refused Authorization: ${auth}` }] }));
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    host = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(() => new Promise<void>(resolve => (server ? server.close(() => resolve()) : resolve())));

  it('a refused push whose error echoes the header never prints base64(user:password)', async () => {
    const temp = freshTemp();
    const r = await startAction(
      'build-image',
      inputs('echo/app', { image: `${host}/echo/app` }),
      env(temp, 'd1')
    ).done;
    expect(r.code).toBe(1);
    // The refusal itself is reported, with the server's message masked where it quotes the credentials.
    expect(r.stdout).toMatch(/::error::.*refused Authorization: Basic \*\*\*/);
    expect(r.stdout).toContain(`::add-mask::${basic()}`);
    expect(leaks(r, basic())).toEqual([]);
    expect(leaks(r, reg.password)).toEqual([]);
  });
});
