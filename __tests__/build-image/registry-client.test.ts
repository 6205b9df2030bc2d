import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RemoteError } from '../../src/kit/errors.js';
import { MEDIA_TYPES, RegistryClient, parseChallenge, sha256Digest } from '../../src/image/registry.js';

// A fake ghcr.io-style registry (Bearer tokens from a realm) for the token flow, which the local
// docker-registry (htpasswd = Basic) cannot exercise. The Basic flow is tested against the real registry.
const USER = 'octocat';
const PASSWORD = 'ghp_fakeTokenValue123';
const TOKEN = 'registry-bearer-token-xyz';

const image = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: 'sha256:' + '1'.repeat(64),
      size: 100
    },
    layers: [
      {
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: 'sha256:' + '2'.repeat(64),
        size: 1000
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
        digest: 'sha256:' + '3'.repeat(64),
        size: 10,
        platform: { os: 'unknown', architecture: 'unknown' }
      }
    ]
  })
);

let server: Server;
let host: string;
const scopes: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const deny = (status: number, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req-42' });
      res.end(JSON.stringify({ errors: [{ code: 'DENIED', message }] }));
    };
    if (url.pathname === '/token') {
      scopes.push(url.searchParams.get('scope') ?? '');
      if (req.headers.authorization !== `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`)
        return deny(401, 'bad credentials');
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ token: TOKEN }));
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${host}/token",service="fake"` });
      return res.end();
    }
    const send = (body: Buffer, type: string, digest = sha256Digest(body)) => {
      res.writeHead(200, { 'content-type': type, 'docker-content-digest': digest });
      res.end(body);
    };
    if (url.pathname === '/v2/') return send(Buffer.from('{}'), 'application/json');
    if (url.pathname === '/v2/acme/app/manifests/sha-1111111') return send(image, MEDIA_TYPES.ociManifest);
    if (url.pathname === `/v2/acme/app/manifests/${sha256Digest(image)}`)
      return send(image, MEDIA_TYPES.ociManifest);
    if (url.pathname === '/v2/acme/app/manifests/with-index') return send(index, MEDIA_TYPES.ociIndex);
    if (url.pathname === '/v2/acme/app/manifests/tampered')
      return send(image, MEDIA_TYPES.ociManifest, 'sha256:' + 'f'.repeat(64));
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }));
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise(r => server.close(r));
});

const client = (password = PASSWORD) =>
  new RegistryClient({
    registry: host,
    credentials: { username: USER, password },
    tlsVerify: false,
    retry: { attempts: 1 }
  });

describe('RegistryClient with bearer tokens', () => {
  it('gets a token for the repository scope and reads a manifest, its digest checked', async () => {
    const c = client();
    try {
      await c.login('acme/app');
      expect(scopes).toContain('repository:acme/app:pull,push');
      const m = await c.getManifest('acme/app', 'sha-1111111');
      expect(m?.digest).toBe(sha256Digest(image));
      expect(m?.mediaType).toBe(MEDIA_TYPES.ociManifest);
      expect(RegistryClient.imageSize(m!.manifest)).toBe(1100);
      expect(await c.getManifest('acme/app', 'sha-2222222')).toBeUndefined();
    } finally {
      await c.close();
    }
  });

  it('resolves an index (attestations) to the platform manifest', async () => {
    const c = client();
    try {
      const single = await c.getImageManifest('acme/app', 'with-index', 'linux/amd64');
      expect(single?.digest).toBe(sha256Digest(image));
      await expect(c.getImageManifest('acme/app', 'with-index', 'linux/arm64')).rejects.toThrow(
        /has no linux\/arm64 manifest/
      );
    } finally {
      await c.close();
    }
  });

  it('refuses a Docker-Content-Digest that does not match the bytes', async () => {
    const c = client();
    try {
      await expect(c.getManifest('acme/app', 'tampered')).rejects.toThrow(
        /does not match the manifest bytes/
      );
    } finally {
      await c.close();
    }
  });

  it('a refused login names the call and carries the server message and request id, never the password', async () => {
    const c = client('wrong-password-value');
    try {
      const err = (await c.login('acme/app').catch(e => e)) as RemoteError;
      expect(err).toBeInstanceOf(RemoteError);
      expect(err.status).toBe(401);
      expect(err.message).toMatch(
        /^GET http:\/\/127\.0\.0\.1:\d+\/token \(token for repository:acme\/app:pull,push as 'octocat'\) failed: HTTP 401 DENIED - authentication refused: bad credentials \(request id req-42\)$/
      );
      expect(err.message).not.toContain('wrong-password-value');
    } finally {
      await c.close();
    }
  });
});

describe('RegistryClient failures', () => {
  it('an unreachable registry says so, with the network error', async () => {
    const probe = createServer();
    await new Promise<void>(r => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise(r => probe.close(r));
    const c = new RegistryClient({ registry: `127.0.0.1:${port}`, tlsVerify: false, retry: { attempts: 1 } });
    try {
      await expect(c.login('acme/app')).rejects.toThrow(
        new RegExp(`registry 127\\.0\\.0\\.1:${port} is unreachable: .*ECONNREFUSED`)
      );
    } finally {
      await c.close();
    }
  });

  it('parses WWW-Authenticate challenges', () => {
    expect(
      parseChallenge('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:a/b:pull"')
    ).toEqual({
      scheme: 'bearer',
      realm: 'https://ghcr.io/token',
      service: 'ghcr.io'
    });
    expect(parseChallenge('Basic realm="test"')).toEqual({ scheme: 'basic' });
    expect(parseChallenge(undefined)).toEqual({ scheme: 'basic' });
  });
});
