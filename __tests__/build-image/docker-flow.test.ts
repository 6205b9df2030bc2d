import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMemoryLogger } from '../../src/kit/log.js';
import { buildImage, type BuildImageDeps, type BuildImageOptions } from '../../src/image/build-image.js';
import type { RunCommand } from '../../src/image/command.js';
import { parseImageName } from '../../src/image/reference.js';
import { MEDIA_TYPES, RegistryClient, sha256Digest } from '../../src/image/registry.js';
import { buildImageSummary } from '../../src/image/summary.js';

// The docker path end to end with no daemon: a scripted `docker` that "pushes" what buildx pushes when
// attestations are on (an index around the image manifest), into an in-memory registry. The action must
// still output the single-platform image manifest digest and tag it consistently.
const manifests = new Map<string, { body: Buffer; type: string }>();
const blobs = new Map<string, Buffer>();
let server: Server;
let host: string;
/** A refusal the registry answers with instead (an OCI error body and a request id), or 'drop' the connection. */
type Refusal = { status: number; code: string; message: string; requestId: string } | 'drop';
let refuse: (req: IncomingMessage) => Refusal | undefined = () => undefined;

function store(repo: string, ref: string, body: Buffer, type: string): string {
  const digest = sha256Digest(body);
  manifests.set(`${repo}@${digest}`, { body, type });
  manifests.set(`${repo}:${ref}`, { body, type });
  return digest;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const refusal = refuse(req);
    if (refusal === 'drop') return req.socket.destroy();
    if (refusal)
      return res
        .writeHead(refusal.status, { 'content-type': 'application/json', 'x-request-id': refusal.requestId })
        .end(JSON.stringify({ errors: [{ code: refusal.code, message: refusal.message }] }));
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(req.url!);
    if (req.url === '/v2/') return res.writeHead(200).end('{}');
    if (!m) return res.writeHead(404).end();
    const [, repo, kind, ref] = m;
    if (kind === 'blobs') {
      const blob = blobs.get(ref!);
      return blob ? res.writeHead(200).end(blob) : res.writeHead(404).end();
    }
    if (req.method === 'PUT') {
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c));
      req.on('end', () => {
        const digest = store(repo!, ref!, Buffer.concat(chunks), String(req.headers['content-type']));
        res.writeHead(201, { 'docker-content-digest': digest }).end();
      });
      return;
    }
    const found = manifests.get(ref!.startsWith('sha256:') ? `${repo}@${ref}` : `${repo}:${ref}`);
    if (!found)
      return res
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
    res.writeHead(200, { 'content-type': found.type, 'docker-content-digest': sha256Digest(found.body) });
    res.end(req.method === 'HEAD' ? undefined : found.body);
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>(r => server.close(() => r())));

/**
 * A fake `docker`: the daemon answers, buildx "pushes" an attestation index for the first tag. `reportedDigest`:
 * what its metadata file claims was pushed, when not the truth.
 */
function fakeDocker({ reportedDigest }: { reportedDigest?: string } = {}): {
  run: RunCommand;
  argv: string[];
} {
  const argv: string[] = [];
  const run: RunCommand = async (command, args) => {
    argv.push([command, ...args].join(' '));
    if (args[0] === 'buildx' && args[1] === 'build') {
      const labels = Object.fromEntries(
        args.flatMap((a, i) => (args[i - 1] === '--label' ? [a.split(/=(.*)/s).slice(0, 2)] : []))
      );
      const config = Buffer.from(
        JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: labels } })
      );
      blobs.set(sha256Digest(config), config);
      const image = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA_TYPES.ociManifest,
          config: {
            mediaType: 'application/vnd.oci.image.config.v1+json',
            digest: sha256Digest(config),
            size: config.length
          },
          layers: [
            {
              mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
              digest: 'sha256:' + '9'.repeat(64),
              size: 4096
            }
          ]
        })
      );
      const index = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA_TYPES.ociIndex,
          manifests: [
            {
              mediaType: MEDIA_TYPES.ociManifest,
              digest: sha256Digest(image),
              size: image.length,
              platform: { os: 'linux', architecture: 'amd64' }
            },
            {
              mediaType: MEDIA_TYPES.ociManifest,
              digest: 'sha256:' + '8'.repeat(64),
              size: 1,
              platform: { os: 'unknown', architecture: 'unknown' }
            }
          ]
        })
      );
      const tags = args.flatMap((a, i) => (args[i - 1] === '--tag' ? [a.slice(a.lastIndexOf(':') + 1)] : []));
      store('acme/app', sha256Digest(image), image, MEDIA_TYPES.ociManifest);
      let indexDigest = '';
      for (const tag of tags) indexDigest = store('acme/app', tag, index, MEDIA_TYPES.ociIndex);
      writeFileSync(
        args[args.indexOf('--metadata-file') + 1]!,
        JSON.stringify({ 'containerimage.digest': reportedDigest ?? indexDigest })
      );
      return { exitCode: 0, stdout: '', stderr: '', lines: ['#5 [2/2] COPY . /app', '#5 CACHED'] };
    }
    return { exitCode: 0, stdout: '', stderr: '', lines: [] };
  };
  return { run, argv };
}

const options = (over: Partial<BuildImageOptions> = {}): BuildImageOptions => ({
  image: parseImageName(`${host}/Acme/App`),
  context: '/ws',
  file: '/ws/Dockerfile',
  extraTags: [],
  buildArgs: [],
  platform: 'linux/amd64',
  push: true,
  credentials: { username: 'octocat', password: 'not-checked-by-the-fake' },
  builder: 'auto',
  tlsVerify: false,
  skipExisting: true,
  github: {
    eventName: 'push',
    ref: 'refs/heads/main',
    sha: 'f'.repeat(40),
    repository: 'Acme/App',
    serverUrl: 'https://github.com',
    defaultBranch: 'main'
  },
  ...over
});

describe('docker path (scripted docker, in-memory registry)', () => {
  it('outputs the platform image manifest digest even when buildx pushed an attestation index', async () => {
    const { run, argv } = fakeDocker();
    const result = await buildImage(options(), { run, log: createMemoryLogger(), env: {} });
    expect(result.builder).toBe('docker');
    const index = JSON.parse(manifests.get('acme/app:sha-fffffff')!.body.toString()) as {
      manifests: { digest: string }[];
    };
    expect(result.digest).toBe(index.manifests[0]!.digest);
    expect(result.ref).toBe(`${host}/acme/app@${result.digest}`);
    expect(result.labels['org.opencontainers.image.revision']).toBe('f'.repeat(40));
    expect(result.sizeBytes).toBeGreaterThan(4096);
    expect(result).toMatchObject({ steps: 1, cachedSteps: 1, tags: ['sha-fffffff', 'main', 'latest'] });
    expect(argv[0]).toBe('docker info --format {{.ServerVersion}}');
    expect(argv.some(a => a.startsWith('docker login --username octocat --password-stdin 127.0.0.1:'))).toBe(
      true
    );
    expect(argv.find(a => a.startsWith('docker buildx build'))).toContain('--provenance=false --sbom=false');
    expect(argv[argv.length - 1]).toMatch(/^docker logout 127\.0\.0\.1:\d+$/);
  });

  it('skip-existing on the docker path runs no docker command at all', async () => {
    const { run, argv } = fakeDocker();
    const result = await buildImage(options({ extraTags: ['v-again'] }), {
      run,
      log: createMemoryLogger(),
      env: {}
    });
    expect(result.skipped).toBe(true);
    expect(argv).toEqual([]);
    // The new tag names the same (index) bytes as the sha tag.
    expect(manifests.get('acme/app:v-again')!.body.equals(manifests.get('acme/app:sha-fffffff')!.body)).toBe(
      true
    );
  });
});

describe('a registry that fails after the login: a returned failure whose summary has the image facts', () => {
  const sha = (c: string) => c.repeat(40).slice(0, 40);
  const github = (commit: string) => ({ ...options().github, sha: sha(commit) });
  // One attempt per call: a 5xx is not retried, so the refusal is the answer.
  const deps = (run: RunCommand): BuildImageDeps => ({
    run,
    log: createMemoryLogger(),
    env: {},
    registry: o => new RegistryClient({ ...o, retry: { attempts: 1 } })
  });
  const summaryOf = (r: Awaited<ReturnType<typeof buildImage>>) => buildImageSummary(r).join('\n\n');
  afterEach(() => {
    refuse = () => undefined;
  });

  it('the digest read-back refused: the call, server message and request id; what was pushed; no digest', async () => {
    refuse = req =>
      req.method === 'GET' && req.url === '/v2/acme/app/manifests/sha-1a1a1a1'
        ? { status: 403, code: 'DENIED', message: 'pull access denied', requestId: 'req-read-1' }
        : undefined;
    const result = await buildImage(
      options({ skipExisting: false, github: github('1a') }),
      deps(fakeDocker().run)
    );
    const message = `GET http://${host}/v2/acme/app/manifests/sha-1a1a1a1 (as 'octocat') failed: HTTP 403 DENIED - authentication refused: pull access denied (request id req-read-1)`;
    expect(result.failure).toEqual({
      step: 'registry',
      message,
      output: [],
      pushedTags: ['sha-1a1a1a1', 'main', 'latest'],
      digest: undefined
    });
    expect(result.builder).toBe('docker');
    expect([result.digest, result.ref]).toEqual([undefined, undefined]);
    const summary = summaryOf(result);
    expect(summary).toContain('## Image: FAILED');
    expect(summary).toContain(`**${message}**`);
    expect(summary).toContain(`| **image** | ${host}/acme/app |`);
    expect(summary).toContain('| **pushed** | `sha-1a1a1a1` `main` `latest` |');
    expect(summary).toContain('| **builder** | docker |');
    expect(summary).not.toContain('**digest**');
    expect(summary).not.toContain('<details>');
  });

  it('a registry gone during the read-back: unreachable, naming the call', async () => {
    refuse = req =>
      req.method === 'GET' && req.url === '/v2/acme/app/manifests/sha-2b2b2b2' ? 'drop' : undefined;
    const result = await buildImage(
      options({ skipExisting: false, github: github('2b') }),
      deps(fakeDocker().run)
    );
    expect(result.failure?.message).toMatch(
      new RegExp(
        `^GET http://${host.replace(/\./g, '\\.')}/v2/acme/app/manifests/sha-2b2b2b2 failed: registry ${host.replace(/\./g, '\\.')} is unreachable: `
      )
    );
    expect(summaryOf(result)).toContain(`| **image** | ${host}/acme/app |`);
  });

  it('the builder reports a digest the registry does not serve', async () => {
    const claimed = 'sha256:' + '7'.repeat(64);
    const result = await buildImage(
      options({ skipExisting: false, github: github('3c') }),
      deps(fakeDocker({ reportedDigest: claimed }).run)
    );
    const served = sha256Digest(manifests.get('acme/app:sha-3c3c3c3')!.body);
    const message = `docker reports pushing ${claimed} but the registry serves ${served} for ${host}/acme/app:sha-3c3c3c3`;
    expect(result.failure).toMatchObject({ step: 'registry', message });
    expect(summaryOf(result)).toContain(`**${message}**`);
  });

  it('tagging refused part-way: the tags added until then, the digest, and the server message', async () => {
    const first = await buildImage(options({ github: github('4d') }), deps(fakeDocker().run));
    expect(first.failure).toBeUndefined();
    refuse = req =>
      req.method === 'PUT' && req.url === '/v2/acme/app/manifests/edge'
        ? { status: 500, code: 'UNKNOWN', message: 'storage backend unavailable', requestId: 'req-put-9' }
        : undefined;
    const { run, argv } = fakeDocker();
    const result = await buildImage(
      options({ github: github('4d'), extraTags: ['stable', 'edge'] }),
      deps(run)
    );
    expect(argv).toEqual([]);
    const message =
      'PUT /v2/acme/app/manifests/edge failed: HTTP 500 UNKNOWN - storage backend unavailable (request id req-put-9)';
    expect(result.failure).toEqual({
      step: 'registry',
      message,
      output: [],
      pushedTags: ['sha-4d4d4d4', 'main', 'latest', 'stable'],
      digest: first.digest
    });
    expect(result).toMatchObject({ builder: 'none', skipped: true });
    expect(result.digest).toBeUndefined();
    const summary = summaryOf(result);
    expect(summary).toContain(`**${message}**`);
    expect(summary).toContain(`| **image** | ${host}/acme/app |`);
    expect(summary).toContain('| **pushed** | `sha-4d4d4d4` `main` `latest` `stable` |');
    expect(summary).toContain(`| **digest** | \`${first.digest}\` (not output: the step failed) |`);
    expect(summary).toContain('| **builder** | none (reused) |');
  });
});
