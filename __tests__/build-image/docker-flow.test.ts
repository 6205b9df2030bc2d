import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMemoryLogger } from '../../src/kit/log.js';
import { buildImage, type BuildImageOptions } from '../../src/image/build-image.js';
import type { RunCommand } from '../../src/image/command.js';
import { parseImageName } from '../../src/image/reference.js';
import { MEDIA_TYPES, sha256Digest } from '../../src/image/registry.js';

// The docker path end to end with no daemon: a scripted `docker` that "pushes" what buildx pushes when
// attestations are on (an index around the image manifest), into an in-memory registry. The action must
// still output the single-platform image manifest digest and tag it consistently.
const manifests = new Map<string, { body: Buffer; type: string }>();
const blobs = new Map<string, Buffer>();
let server: Server;
let host: string;

function store(repo: string, ref: string, body: Buffer, type: string): string {
  const digest = sha256Digest(body);
  manifests.set(`${repo}@${digest}`, { body, type });
  manifests.set(`${repo}:${ref}`, { body, type });
  return digest;
}

beforeAll(async () => {
  server = createServer((req, res) => {
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

/** A fake `docker`: the daemon answers, buildx "pushes" an attestation index for the first tag. */
function fakeDocker(): { run: RunCommand; argv: string[] } {
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
        JSON.stringify({ 'containerimage.digest': indexDigest })
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
