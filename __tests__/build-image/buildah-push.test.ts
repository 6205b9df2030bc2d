import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, RemoteError } from '../../src/kit/errors.js';
import { createMemoryLogger } from '../../src/kit/log.js';
import { clearSecretsForTest } from '../../src/kit/secrets.js';
import { buildImage, type BuildImageOptions } from '../../src/image/build-image.js';
import { spawnCommand, type RunCommand } from '../../src/image/command.js';
import type { GitHubContext } from '../../src/image/github-context.js';
import { resolveBuildPaths } from '../../src/image/paths.js';
import { parseImageName } from '../../src/image/reference.js';
import { RegistryClient } from '../../src/image/registry.js';
import { buildImageSummary } from '../../src/image/summary.js';
import { sharedRegistry, type RegistryServer } from '../../test-support/shared.js';
import { buildahStorage, type BuildahStorage } from './buildah-storage.js';
import { headDigest, imageConfig } from './registry-http.js';
import { refusingProxy, type RefusingProxy } from './refusing-proxy.js';

// Real builds (buildah, FROM scratch) pushed to the local docker-registry with htpasswd auth.
let reg: RegistryServer;
let storage: BuildahStorage;
let workspace: string;
const run = Math.random().toString(16).slice(2, 8);
// Capitals on purpose: the image name is lower-cased before anything talks to the registry.
const imageText = () => `${reg.host}/Acme-Church/SignUpFlow-${run}`;
const repository = `acme-church/signupflow-${run}`;
const sha = (c: string) => c.repeat(40).slice(0, 40);

function github(over: Partial<GitHubContext> = {}): GitHubContext {
  return {
    eventName: 'push',
    ref: 'refs/heads/main',
    sha: sha('a1'),
    repository: 'Acme-Church/SignUpFlow',
    serverUrl: 'https://github.com',
    defaultBranch: 'main',
    ...over
  };
}

function options(over: Partial<BuildImageOptions> = {}): BuildImageOptions {
  return {
    image: parseImageName(imageText()),
    ...resolveBuildPaths(workspace, 'app', 'app/Dockerfile'),
    extraTags: [],
    buildArgs: [],
    platform: 'linux/amd64',
    push: true,
    credentials: { username: reg.username, password: reg.password },
    builder: 'buildah',
    tlsVerify: false,
    skipExisting: true,
    github: github(),
    ...over
  };
}

/** spawnCommand with the private storage, recording every command. */
function recordingRun(env: NodeJS.ProcessEnv): { run: RunCommand; commands: string[][] } {
  const commands: string[][] = [];
  return {
    commands,
    run: (command, args, opts) => {
      commands.push([command, ...args]);
      return spawnCommand(command, args, { ...opts, env });
    }
  };
}

beforeAll(async () => {
  reg = await sharedRegistry();
  storage = buildahStorage();
  workspace = mkdtempSync(join(tmpdir(), 'build-image-ws-'));
  mkdirSync(join(workspace, 'app'));
  writeFileSync(join(workspace, 'app', 'hello.txt'), `hello ${randomBytes(8).toString('hex')}\n`);
  writeFileSync(
    join(workspace, 'app', 'Dockerfile'),
    'FROM scratch\nENV GREETING=hello\nCOPY hello.txt /hello.txt\n'
  );
  writeFileSync(join(workspace, 'app', 'Broken.Dockerfile'), 'FROM scratch\nCOPY no-such-file.txt /x\n');
});

afterAll(() => {
  storage?.cleanup();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
  clearSecretsForTest();
});

describe('buildah build + push to a real registry', () => {
  let firstDigest: string;

  it('pushes every tag, outputs the digest the registry serves, with the OCI labels on the image', async () => {
    const log = createMemoryLogger();
    const { run, commands } = recordingRun(storage.env);
    const result = await buildImage(options({ extraTags: ['stable'] }), { run, log, env: storage.env });

    expect(result.image).toBe(`${reg.host}/${repository}`);
    expect(result.tags).toEqual(['sha-a1a1a1a', 'main', 'latest', 'stable']);
    expect(result.skipped).toBe(false);
    expect(result.builder).toBe('buildah');
    expect(result.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.ref).toBe(`${reg.host}/${repository}@${result.digest}`);
    // The registry's own answer (HEAD, Docker-Content-Digest) for every tag is the output digest.
    for (const tag of result.tags) expect(await headDigest(reg, repository, tag)).toBe(result.digest);
    expect(await headDigest(reg, repository, result.digest!)).toBe(result.digest);

    const config = await imageConfig(reg, repository, result.digest!);
    expect(config.architecture).toBe('amd64');
    expect(config.os).toBe('linux');
    expect(config.config.Labels).toMatchObject({
      'org.opencontainers.image.source': 'https://github.com/Acme-Church/SignUpFlow',
      'org.opencontainers.image.revision': sha('a1'),
      'org.opencontainers.image.version': 'main',
      'org.opencontainers.image.title': 'SignUpFlow'
    });
    expect(Date.parse(config.config.Labels!['org.opencontainers.image.created']!)).not.toBeNaN();
    expect(result.labels).toEqual(config.config.Labels);
    expect(result.sizeBytes).toBeGreaterThan(0);

    // Password only ever on stdin: not in any argv, not in the log.
    expect(commands.map(c => c.slice(0, 2).join(' '))).toEqual([
      'buildah login',
      'buildah build',
      'buildah push',
      'buildah logout'
    ]);
    for (const c of commands) expect(c.join(' ')).not.toContain(reg.password);
    for (const line of log.lines) expect(line).not.toContain(reg.password);
    firstDigest = result.digest!;
  });

  it('skip-existing: the sha tag is already there, so nothing is built and its digest is reused', async () => {
    const log = createMemoryLogger();
    const { run, commands } = recordingRun(storage.env);
    const result = await buildImage(options({ extraTags: ['again'] }), { run, log, env: storage.env });
    expect(result.skipped).toBe(true);
    expect(result.builder).toBe('none');
    expect(result.digest).toBe(firstDigest);
    expect(commands).toEqual([]);
    // The new tag points at the very same bytes.
    expect(await headDigest(reg, repository, 'again')).toBe(firstDigest);
    expect(result.labels['org.opencontainers.image.revision']).toBe(sha('a1'));
  });

  it('a new commit built with empty local storage reuses layers from the registry cache', async () => {
    const fresh = buildahStorage();
    try {
      const { run } = recordingRun(fresh.env);
      const result = await buildImage(
        options({ github: github({ sha: sha('b2'), ref: 'refs/tags/v1.4.0' }) }),
        {
          run,
          log: createMemoryLogger(),
          env: fresh.env
        }
      );
      expect(result.tags).toEqual(['sha-b2b2b2b', '1.4.0', '1.4', '1']);
      expect(result.steps).toBe(2);
      expect(result.cachedSteps).toBe(2);
      expect(result.digest).not.toBe(firstDigest);
      expect(await headDigest(reg, repository, '1.4.0')).toBe(result.digest);
    } finally {
      fresh.cleanup();
    }
  });

  it('a wrong password fails before building, clearly, and is never printed', async () => {
    const wrong = `wrong-${randomBytes(6).toString('hex')}`;
    const log = createMemoryLogger();
    const { run, commands } = recordingRun(storage.env);
    const error = (await buildImage(
      options({
        credentials: { username: reg.username, password: wrong },
        github: github({ sha: sha('c3') })
      }),
      {
        run,
        log,
        env: storage.env
      }
    ).catch(e => e)) as RemoteError;
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.status).toBe(401);
    expect(error.message).toContain(`as '${reg.username}'`);
    expect(error.message).toContain('authentication refused');
    expect(error.message).not.toContain(wrong);
    for (const line of log.lines) expect(line).not.toContain(wrong);
    expect(commands).toEqual([]);
    expect(await headDigest(reg, repository, 'sha-c3c3c3c')).toBeUndefined();
  });

  it('a failing build step fails with the step error and its output folded', async () => {
    const log = createMemoryLogger();
    const { run } = recordingRun(storage.env);
    const opts = options({
      ...resolveBuildPaths(workspace, 'app', 'app/Broken.Dockerfile'),
      github: github({ sha: sha('d4') })
    });
    const result = await buildImage(opts, { run, log, env: storage.env });
    expect(result.failure?.message).toMatch(/^buildah build failed \(exit code \d+\): .*no-such-file\.txt/);
    expect(result.failure?.output.some(l => l.includes('no-such-file.txt'))).toBe(true);
    expect(result.digest).toBeUndefined();
    const folded = log.lines.indexOf('::group::buildah output (last 40 lines)');
    expect(folded).toBeGreaterThan(-1);
    expect(log.lines.slice(folded).some(l => l.includes('no-such-file.txt'))).toBe(true);
    expect(log.lines.slice(folded)).toContain('::endgroup::');
    expect(await headDigest(reg, repository, 'sha-d4d4d4d')).toBeUndefined();
  });

  it('a missing Dockerfile is an error on the file input, before anything runs', () => {
    expect(() => resolveBuildPaths(workspace, 'app', 'app/Nope.Dockerfile')).toThrow(InputError);
    expect(() => resolveBuildPaths(workspace, 'app', 'app/Nope.Dockerfile')).toThrow(
      /^Input 'file' 'app\/Nope\.Dockerfile' does not exist/
    );
    expect(() => resolveBuildPaths(workspace, 'nope', 'app/Dockerfile')).toThrow(/^Input 'context' /);
  });

  it('push: false builds locally and outputs no digest', async () => {
    const { run, commands } = recordingRun(storage.env);
    const result = await buildImage(options({ push: false, github: github({ sha: sha('e5') }) }), {
      run,
      log: createMemoryLogger(),
      env: storage.env
    });
    expect(result.digest).toBeUndefined();
    expect(commands.map(c => c[1])).toEqual(['build']);
    expect(await headDigest(reg, repository, 'sha-e5e5e5e')).toBeUndefined();
  });

  it('skip-existing does not reuse a sha tag built for another platform', async () => {
    const log = createMemoryLogger();
    const { run, commands } = recordingRun(storage.env);
    const result = await buildImage(options({ platform: 'linux/arm64' }), { run, log, env: storage.env });
    expect(result.skipped).toBe(false);
    expect(commands.map(c => c[1])).toContain('build');
    expect(log.lines.some(l => /not reusing .*: it is linux\/amd64, not linux\/arm64/.test(l))).toBe(true);
    expect(result.digest).not.toBe(firstDigest);
    expect((await imageConfig(reg, repository, 'sha-a1a1a1a')).architecture).toBe('arm64');
  });
});

describe('the real registry, reached through a proxy that refuses one tag, after a real buildah push', () => {
  let proxy: RefusingProxy;

  beforeAll(async () => {
    proxy = await refusingProxy(reg, req =>
      req.method === 'PUT' && req.url === `/v2/${repository}/manifests/protected`
        ? { status: 403, code: 'DENIED', message: 'tag protected is immutable', requestId: 'req-tag-3' }
        : undefined
    );
  });
  afterAll(() => proxy?.close());

  it('tagging refused after the push: a returned failure naming the call; the summary says what was pushed', async () => {
    const { run } = recordingRun(storage.env);
    const result = await buildImage(
      options({ extraTags: ['protected'], github: github({ sha: sha('f6') }) }),
      {
        run,
        log: createMemoryLogger(),
        env: storage.env,
        // The builder pushes to the registry itself; the action's own registry calls go through the proxy.
        registry: o => new RegistryClient({ ...o, registry: proxy.host, retry: { attempts: 1 } })
      }
    );
    const digest = await headDigest(reg, repository, 'sha-f6f6f6f');
    expect(digest).toMatch(/^sha256:/);
    const message = `PUT http://${proxy.host}/v2/${repository}/manifests/protected (as '${reg.username}') failed: HTTP 403 DENIED - authentication refused: tag protected is immutable (request id req-tag-3)`;
    expect(result.failure).toEqual({
      step: 'registry',
      message,
      output: [],
      pushedTags: ['sha-f6f6f6f', 'main', 'latest'],
      digest
    });
    expect(result.builder).toBe('buildah');
    expect([result.digest, result.ref]).toEqual([undefined, undefined]);
    expect(await headDigest(reg, repository, 'protected')).toBeUndefined();
    expect(await headDigest(reg, repository, 'main')).toBe(digest);

    const summary = buildImageSummary(result).join('\n\n');
    expect(summary).toContain('## Image: FAILED');
    expect(summary).toContain(`**${message}**`);
    expect(summary).toContain(`| **image** | ${reg.host}/${repository} |`);
    expect(summary).toContain('| **pushed** | `sha-f6f6f6f` `main` `latest` |');
    expect(summary).toContain(`| **digest** | \`${digest}\` (not output: the step failed) |`);
    expect(summary).toContain('| **builder** | buildah |');
    expect(summary).not.toContain(reg.password);
  });
});
