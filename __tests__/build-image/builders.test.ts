import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryLogger } from '../../src/kit/log.js';
import { selectBuilder } from '../../src/image/build-image.js';
import type { BuildRequest, BuilderDeps } from '../../src/image/builder.js';
import {
  BuildahBuilder,
  buildahBuildArgs,
  buildahLoginArgs,
  buildahPushArgs,
  countBuildahCache
} from '../../src/image/buildah.js';
import { ProgramNotFoundError } from '../../src/kit/child-process.js';
import { type CommandOptions, type CommandResult, type RunCommand } from '../../src/image/command.js';
import {
  BUILDX_BUILDER_NAME,
  DockerBuilder,
  countBuildxCache,
  dockerBuildArgs,
  dockerLoginArgs,
  dockerLogoutArgs
} from '../../src/image/docker.js';
import { parseImageName } from '../../src/image/reference.js';

const PASSWORD = 'pa55-w0rd-never-on-argv';

function request(over: Partial<BuildRequest> = {}): BuildRequest {
  return {
    image: parseImageName('ghcr.io/Acme/App'),
    tags: ['sha-0123456', 'main', 'latest'],
    context: '/ws',
    file: '/ws/Dockerfile',
    platform: 'linux/amd64',
    buildArgs: ['VERSION=0123456'],
    labels: { 'org.opencontainers.image.revision': '0123456789' },
    push: true,
    tlsVerify: true,
    credentials: { username: 'octocat', password: PASSWORD },
    workDir: '/tmp/wd',
    ...over
  };
}

interface Call {
  command: string;
  args: string[];
  opts?: CommandOptions;
}

/** Records calls; answers from a script keyed by `command args[0] args[1]`. */
function fakeRun(script: (c: Call) => Partial<CommandResult> | Error = () => ({})): {
  run: RunCommand;
  calls: Call[];
} {
  const calls: Call[] = [];
  const run: RunCommand = async (command, args, opts) => {
    const call = { command, args, opts };
    calls.push(call);
    const r = script(call);
    if (r instanceof Error) throw r;
    const lines = r.lines ?? [];
    for (const l of lines) opts?.onLine?.(l);
    return { exitCode: 0, stdout: '', stderr: '', lines, ...r };
  };
  return { run, calls };
}

describe('docker buildx arguments', () => {
  it('pushes a single-platform image without attestations and writes a metadata file', () => {
    const args = dockerBuildArgs(request(), { ghaCache: false });
    expect(args.slice(0, 2)).toEqual(['buildx', 'build']);
    expect(args).toEqual(
      expect.arrayContaining([
        '--provenance=false',
        '--sbom=false',
        '--push',
        '--metadata-file',
        '/tmp/wd/buildx-metadata.json'
      ])
    );
    expect(args.join(' ')).toContain('--platform linux/amd64 --file /ws/Dockerfile');
    expect(args.join(' ')).toContain(
      '--tag ghcr.io/acme/app:sha-0123456 --tag ghcr.io/acme/app:main --tag ghcr.io/acme/app:latest'
    );
    expect(args.join(' ')).toContain(
      '--label org.opencontainers.image.revision=0123456789 --build-arg VERSION=0123456'
    );
    expect(args[args.length - 1]).toBe('/ws');
    expect(args).not.toContain('--cache-from');
    expect(args.join(' ')).not.toContain(PASSWORD);
  });

  it('uses the gha cache with a per-image scope and mode=max', () => {
    const args = dockerBuildArgs(request(), { ghaCache: true, builder: 'b1' }).join(' ');
    expect(args).toContain('buildx build --builder b1 ');
    expect(args).toContain(
      '--cache-from type=gha,scope=acme-app --cache-to type=gha,scope=acme-app,mode=max'
    );
  });

  it('pushes to an insecure registry through the image exporter, and loads when not pushing', () => {
    const insecure = dockerBuildArgs(request({ tlsVerify: false }), { ghaCache: false });
    expect(insecure).toEqual(
      expect.arrayContaining(['--output', 'type=image,push=true,registry.insecure=true'])
    );
    expect(insecure).not.toContain('--push');
    const local = dockerBuildArgs(request({ push: false }), { ghaCache: false });
    expect(local).toContain('--load');
    expect(local).not.toContain('--push');
  });

  it('logs in with the password on stdin only, and out of the same server', () => {
    expect(dockerLoginArgs(request())).toEqual([
      'login',
      '--username',
      'octocat',
      '--password-stdin',
      'ghcr.io'
    ]);
    expect(dockerLogoutArgs(request())).toEqual(['logout', 'ghcr.io']);
    const hub = request({ image: parseImageName('acme/app') });
    expect(dockerLoginArgs(hub)).toEqual(['login', '--username', 'octocat', '--password-stdin']);
  });

  it('counts cached steps in plain progress output', () => {
    const lines = [
      '#1 [internal] load build definition from Dockerfile',
      '#5 [1/3] FROM docker.io/library/python:3.12-slim',
      '#6 [2/3] COPY requirements.txt .',
      '#6 CACHED',
      '#7 [3/3] RUN pip install -r requirements.txt',
      '#7 DONE 12.1s',
      '#8 [stage-1 2/2] COPY app /app',
      '#8 CACHED'
    ];
    expect(countBuildxCache(lines)).toEqual({ steps: 3, cachedSteps: 2 });
  });

  it('builds through DockerBuilder: login via stdin, build, digest from the metadata file, logout', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'docker-args-'));
    try {
      writeFileSync(
        join(workDir, 'buildx-metadata.json'),
        JSON.stringify({ 'containerimage.digest': 'sha256:' + 'a'.repeat(64) })
      );
      const env = { ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'https://results' };
      const { run, calls } = fakeRun(c => {
        if (c.args[0] === 'buildx' && c.args[1] === 'inspect' && c.args.length === 2)
          return { stdout: 'Name: default\nDriver: docker\n' };
        if (c.args[0] === 'buildx' && c.args[1] === 'inspect') return { exitCode: 1 };
        if (c.args[0] === 'buildx' && c.args[1] === 'build')
          return { lines: ['#6 [2/2] COPY . /app', '#6 CACHED'] };
        return {};
      });
      const log = createMemoryLogger();
      const builder = new DockerBuilder({ run, log, env });
      const req = request({ workDir });
      await builder.login(req);
      const outcome = await builder.build(req);
      await builder.logout(req);
      expect(outcome).toEqual({
        digest: 'sha256:' + 'a'.repeat(64),
        pushedTags: req.tags,
        steps: 1,
        cachedSteps: 1
      });
      const argv = calls.map(c => [c.command, ...c.args].join(' '));
      expect(argv[0]).toBe('docker login --username octocat --password-stdin ghcr.io');
      expect(calls[0]!.opts?.input).toBe(PASSWORD);
      // The docker driver cannot export a gha cache: a docker-container builder is created and used.
      expect(argv).toContain(`docker buildx create --name ${BUILDX_BUILDER_NAME} --driver docker-container`);
      const build = argv.find(a => a.startsWith('docker buildx build'))!;
      expect(build).toContain(`--builder ${BUILDX_BUILDER_NAME}`);
      expect(build).toContain('type=gha,scope=acme-app');
      expect(argv[argv.length - 1]).toBe('docker logout ghcr.io');
      for (const a of argv) expect(a).not.toContain(PASSWORD);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });

  it('skips the gha cache (and any builder change) outside GitHub Actions', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'docker-args-'));
    try {
      writeFileSync(join(workDir, 'buildx-metadata.json'), '{}');
      const { run, calls } = fakeRun();
      await new DockerBuilder({ run, log: createMemoryLogger(), env: {} }).build(request({ workDir }));
      expect(calls).toHaveLength(1);
      expect(calls[0]!.args.join(' ')).not.toContain('type=gha');
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });

  it('fails a build with the last error line and keeps the output', async () => {
    const { run } = fakeRun(() => ({
      exitCode: 1,
      lines: [
        '#6 [2/2] RUN false',
        '#6 ERROR: process "/bin/sh -c false" did not complete successfully: exit code: 1',
        'done'
      ]
    }));
    await expect(
      new DockerBuilder({ run, log: createMemoryLogger(), env: {} }).build(request())
    ).rejects.toMatchObject({
      name: 'BuildFailedError',
      message:
        'docker buildx build failed (exit code 1): process "/bin/sh -c false" did not complete successfully: exit code: 1',
      output: expect.arrayContaining(['done'])
    });
  });
});

describe('buildah arguments', () => {
  it('builds with --layers and a registry cache repository next to the image', () => {
    const args = buildahBuildArgs(request()).join(' ');
    expect(args).toContain(
      'build --tls-verify=true --authfile /tmp/wd/auth.json --platform linux/amd64 --layers --force-rm --file /ws/Dockerfile'
    );
    expect(args).toContain('--cache-from ghcr.io/acme/app-cache --cache-to ghcr.io/acme/app-cache');
    expect(args).toContain('--tag ghcr.io/acme/app:sha-0123456 --tag ghcr.io/acme/app:main');
    expect(args.endsWith(' /ws')).toBe(true);
    const local = buildahBuildArgs(request({ push: false, credentials: undefined, tlsVerify: false }));
    expect(local).not.toContain('--cache-to');
    expect(local).not.toContain('--authfile');
    expect(local).toContain('--tls-verify=false');
  });

  it('passes a target stage as --target, and nothing without one', () => {
    expect(buildahBuildArgs(request({ target: 'runtime' })).join(' ')).toContain(
      '--file /ws/Dockerfile --target runtime'
    );
    expect(buildahBuildArgs(request())).not.toContain('--target');
    expect(dockerBuildArgs(request({ target: 'runtime' }), { ghaCache: false }).join(' ')).toContain(
      '--file /ws/Dockerfile --target runtime'
    );
    expect(dockerBuildArgs(request(), { ghaCache: false })).not.toContain('--target');
  });

  it('logs in through stdin into a private auth file and pushes the sha tag with a digest file', () => {
    expect(buildahLoginArgs(request())).toEqual([
      'login',
      '--authfile',
      '/tmp/wd/auth.json',
      '--tls-verify=true',
      '--username',
      'octocat',
      '--password-stdin',
      'ghcr.io'
    ]);
    expect(buildahPushArgs(request())).toEqual([
      'push',
      '--tls-verify=true',
      '--authfile',
      '/tmp/wd/auth.json',
      '--digestfile',
      '/tmp/wd/digest',
      'ghcr.io/acme/app:sha-0123456',
      'docker://ghcr.io/acme/app:sha-0123456'
    ]);
  });

  it('counts cache hits, ignoring FROM and the label steps it adds', () => {
    const labels = { 'org.opencontainers.image.revision': 'abc' };
    const lines = [
      'STEP 1/4: FROM scratch',
      'STEP 2/4: ENV A=1',
      '--> Using cache 37ab2a46b762',
      'STEP 3/4: COPY app /app',
      '--> Pushing cache ghcr.io/acme/app-cache:58a52a',
      'STEP 4/4: LABEL "org.opencontainers.image.revision"="abc"',
      '--> Using cache 8aa5b0b39cc2'
    ];
    expect(countBuildahCache(lines, labels)).toEqual({ steps: 2, cachedSteps: 1 });
  });

  it('reports a refused login with buildah’s message, never the password', async () => {
    const { run, calls } = fakeRun(() => ({
      exitCode: 125,
      lines: ['Error: logging into "ghcr.io": invalid username/password']
    }));
    const err = await new BuildahBuilder({ run, log: createMemoryLogger() })
      .login(request())
      .catch((e: Error) => e);
    expect(err).toMatchObject({ name: 'LoginFailedError' });
    expect((err as Error).message).toBe(
      `buildah login ghcr.io as 'octocat' failed: logging into "ghcr.io": invalid username/password`
    );
    expect(calls[0]!.opts?.input).toBe(PASSWORD);
    expect(calls[0]!.args).not.toContain(PASSWORD);
  });
});

describe('builder selection', () => {
  it('auto picks docker when `docker info` works', async () => {
    const { run, calls } = fakeRun(() => ({ exitCode: 0 }));
    expect((await selectBuilder('auto', { run, log: createMemoryLogger() })).name).toBe('docker');
    expect(calls[0]!.command).toBe('docker');
    expect(calls[0]!.args[0]).toBe('info');
  });

  it('auto picks buildah when the daemon does not answer or docker is not installed', async () => {
    const down = fakeRun(() => ({ exitCode: 1, lines: ['Cannot connect to the Docker daemon'] }));
    expect((await selectBuilder('auto', { run: down.run, log: createMemoryLogger() })).name).toBe('buildah');
    const missing = fakeRun(() => new ProgramNotFoundError('docker', 'ENOENT'));
    expect((await selectBuilder('auto', { run: missing.run, log: createMemoryLogger() })).name).toBe(
      'buildah'
    );
  });

  it('an explicit builder is used without probing', async () => {
    const { run, calls } = fakeRun();
    expect((await selectBuilder('docker', { run, log: createMemoryLogger() })).name).toBe('docker');
    expect((await selectBuilder('buildah', { run, log: createMemoryLogger() })).name).toBe('buildah');
    expect(calls).toHaveLength(0);
  });
});

describe('registry login and logout, one path for both builders', () => {
  const builders = {
    buildah: (deps: BuilderDeps) => new BuildahBuilder(deps),
    docker: (deps: BuilderDeps) => new DockerBuilder({ ...deps, env: {} })
  };

  it.each(['buildah', 'docker'] as const)(
    '%s: a refused login names the builder, registry and user, with the password on stdin only',
    async name => {
      const { run, calls } = fakeRun(() => ({
        exitCode: 1,
        lines: ['Error: logging into "ghcr.io": invalid username/password']
      }));
      const err = await builders[name]({ run, log: createMemoryLogger() })
        .login(request())
        .catch((e: Error) => e);
      expect(err).toMatchObject({
        name: 'LoginFailedError',
        message: `${name} login ghcr.io as 'octocat' failed: logging into "ghcr.io": invalid username/password`
      });
      expect(calls).toHaveLength(1);
      expect(calls[0]!.command).toBe(name);
      expect(calls[0]!.args[0]).toBe('login');
      expect(calls[0]!.opts?.input).toBe(PASSWORD);
      expect(calls[0]!.args.join(' ')).not.toContain(PASSWORD);
    }
  );

  it.each(['buildah', 'docker'] as const)(
    '%s: a failed logout only warns; without credentials neither login nor logout runs anything',
    async name => {
      const log = createMemoryLogger();
      const { run, calls } = fakeRun(() => ({ exitCode: 1, lines: ['Error: not logged into ghcr.io'] }));
      const builder = builders[name]({ run, log });
      await builder.logout(request());
      expect(log.lines).toContain(`::warning::${name} logout ghcr.io: not logged into ghcr.io`);
      calls.length = 0;
      await builder.login(request({ credentials: undefined }));
      await builder.logout(request({ credentials: undefined }));
      expect(calls).toEqual([]);
    }
  );
});
