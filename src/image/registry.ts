import { createHash } from 'node:crypto';
import { Agent, request, type Dispatcher } from 'undici';
import { RemoteError, errorMessage } from '../kit/errors.js';
import { retry, type RetryOptions } from '../kit/retry.js';
import { registerSecret } from '../kit/secrets.js';
import { registryApiHost } from './reference.js';

/**
 * A small OCI distribution (registry v2) client: the same credentials the builder pushes with, used to
 * check them before a build, to answer skip-existing, to read back the pushed manifest's digest and to tag
 * an already-pushed manifest without rebuilding. Auth follows the server's WWW-Authenticate challenge:
 * Basic (htpasswd registries) or Bearer tokens from the realm (ghcr.io, Docker Hub).
 */

export const MEDIA_TYPES = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json'
} as const;
const ACCEPT = Object.values(MEDIA_TYPES).join(', ');
const INDEX_TYPES: string[] = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerList];

export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface RegistryClientOptions {
  /** `ghcr.io`, `127.0.0.1:5000` (the registry part of the image name). */
  registry: string;
  credentials?: RegistryCredentials;
  /** false: accept self-signed certificates and fall back to plain http (local registries). */
  tlsVerify?: boolean;
  retry?: RetryOptions;
}

export interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: { os?: string; architecture?: string; variant?: string };
}

export interface Manifest {
  schemaVersion?: number;
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
}

export interface ManifestInfo {
  digest: string;
  mediaType: string;
  /** The exact bytes the registry holds: re-PUT them to add a tag without changing the digest. */
  body: Buffer;
  manifest: Manifest;
}

export interface ImageConfig {
  architecture?: string;
  os?: string;
  config?: { Labels?: Record<string, string> };
}

type Challenge =
  { scheme: 'none' } | { scheme: 'basic' } | { scheme: 'bearer'; realm: string; service?: string };

interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export const sha256Digest = (data: Buffer): string =>
  `sha256:${createHash('sha256').update(data).digest('hex')}`;

export class RegistryClient {
  private readonly host: string;
  private readonly dispatcher: Dispatcher | undefined;
  private base?: { url: string; challenge: Challenge };
  private readonly tokens = new Map<string, string>();

  constructor(private readonly opts: RegistryClientOptions) {
    this.host = registryApiHost(opts.registry);
    this.dispatcher =
      opts.tlsVerify === false ? new Agent({ connect: { rejectUnauthorized: false } }) : undefined;
    if (opts.credentials) registerSecret(opts.credentials.password);
  }

  /** Checks that the registry answers and accepts the credentials for pushing to (or reading) `repository`. */
  async login(repository: string, actions: 'pull' | 'pull,push' = 'pull,push'): Promise<void> {
    const { challenge } = await this.discover();
    if (challenge.scheme === 'none') return;
    if (challenge.scheme === 'bearer') {
      await this.token(repository, actions);
      return;
    }
    const call = `log in to ${this.opts.registry} as ${this.userLabel()} (GET ${this.base!.url}/v2/)`;
    if (!this.opts.credentials)
      throw new RemoteError({
        call,
        status: 401,
        serverMessage: 'the registry requires a login: set registry-username and registry-password'
      });
    const authorization = basic(this.opts.credentials);
    const res = await this.exchange('GET', `${this.base!.url}/v2/`, { headers: { authorization } });
    if (res.status !== 200)
      throw this.error(
        call,
        res,
        res.status === 401 || res.status === 403 ? 'authentication refused' : undefined
      );
  }

  /** The manifest `reference` (tag or digest) points at, or undefined when there is none. */
  async getManifest(repository: string, reference: string): Promise<ManifestInfo | undefined> {
    const path = `/v2/${repository}/manifests/${reference}`;
    const res = await this.send('GET', path, { repository, actions: 'pull', accept: ACCEPT });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw this.error(`GET ${path}`, res);
    const computed = sha256Digest(res.body);
    const claimed = header(res, 'docker-content-digest');
    // Trust but verify: the digest we hand to deploys must be the hash of the bytes the registry serves.
    if (claimed && claimed !== computed)
      throw new RemoteError({
        call: `GET ${path}`,
        serverMessage: `Docker-Content-Digest ${claimed} does not match the manifest bytes (${computed})`
      });
    if (reference.startsWith('sha256:') && reference !== computed)
      throw new RemoteError({ call: `GET ${path}`, serverMessage: `manifest bytes hash to ${computed}` });
    const manifest = JSON.parse(res.body.toString('utf8')) as Manifest;
    const mediaType = (header(res, 'content-type') ?? manifest.mediaType ?? '').split(';')[0]!.trim();
    return { digest: computed, mediaType, body: res.body, manifest };
  }

  /**
   * The single-platform image manifest for `reference`: the manifest itself, or, when the reference is an
   * index (buildx attestations, multi-arch), the entry for `platform` (`linux/amd64`).
   */
  async getImageManifest(
    repository: string,
    reference: string,
    platform: string
  ): Promise<ManifestInfo | undefined> {
    const top = await this.getManifest(repository, reference);
    if (!top || !INDEX_TYPES.includes(top.mediaType)) return top;
    const [os, architecture, variant] = platform.split('/');
    const entry = (top.manifest.manifests ?? []).find(
      m =>
        m.platform?.os === os &&
        m.platform?.architecture === architecture &&
        (!variant || m.platform?.variant === variant)
    );
    if (!entry)
      throw new RemoteError({
        call: `GET /v2/${repository}/manifests/${reference}`,
        serverMessage: `the image index has no ${platform} manifest`
      });
    return this.getManifest(repository, entry.digest);
  }

  /** Puts manifest bytes under `reference` (a tag); returns the digest the registry reports. */
  async putManifest(repository: string, reference: string, body: Buffer, mediaType: string): Promise<string> {
    const path = `/v2/${repository}/manifests/${reference}`;
    const res = await this.send('PUT', path, {
      repository,
      actions: 'pull,push',
      body,
      contentType: mediaType
    });
    if (res.status !== 201 && res.status !== 200) throw this.error(`PUT ${path}`, res);
    return header(res, 'docker-content-digest') ?? sha256Digest(body);
  }

  /** A blob's bytes (image configs are small), following the registry's redirect to its storage. */
  async getBlob(repository: string, digest: string): Promise<Buffer> {
    const path = `/v2/${repository}/blobs/${digest}`;
    let res = await this.send('GET', path, { repository, actions: 'pull' });
    for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 3; hops++) {
      const location = header(res, 'location');
      if (!location) break;
      // Storage URLs are pre-signed: our Authorization header must not go along.
      res = await this.exchange('GET', new URL(location, this.base!.url).toString(), {}, { retry: false });
    }
    if (res.status !== 200) throw this.error(`GET ${path}`, res);
    if (sha256Digest(res.body) !== digest)
      throw new RemoteError({ call: `GET ${path}`, serverMessage: 'blob bytes do not match their digest' });
    return res.body;
  }

  async getImageConfig(repository: string, manifest: Manifest): Promise<ImageConfig> {
    if (!manifest.config) throw new Error('the manifest has no config: not an image manifest');
    return JSON.parse(
      (await this.getBlob(repository, manifest.config.digest)).toString('utf8')
    ) as ImageConfig;
  }

  /** The compressed size of an image: config plus layers, as stored in the registry. */
  static imageSize(manifest: Manifest): number {
    return (manifest.config?.size ?? 0) + (manifest.layers ?? []).reduce((sum, l) => sum + l.size, 0);
  }

  async close(): Promise<void> {
    await this.dispatcher?.close();
  }

  // -- plumbing --

  private userLabel(): string {
    return this.opts.credentials ? `'${this.opts.credentials.username}'` : 'anonymous';
  }

  /** Finds the base URL (https, or http when tls-verify is off and the registry speaks plain http) and the auth challenge. */
  private async discover(): Promise<{ url: string; challenge: Challenge }> {
    if (this.base) return this.base;
    const candidates =
      this.opts.tlsVerify === false
        ? [`https://${this.host}`, `http://${this.host}`]
        : [`https://${this.host}`];
    let lastError: unknown;
    for (const [i, url] of candidates.entries()) {
      let res: Response;
      // The https probe of a maybe-plain-http registry is not retried: its failure is the answer.
      const probe = () => this.raw('GET', `${url}/v2/`, {});
      try {
        res = i < candidates.length - 1 ? await probe() : await this.withRetry(probe);
      } catch (error) {
        lastError = error;
        continue;
      }
      if (res.status !== 200 && res.status !== 401)
        throw this.error(`GET ${url}/v2/`, res, 'not an OCI registry API endpoint?');
      this.base = {
        url,
        challenge: res.status === 200 ? { scheme: 'none' } : parseChallenge(header(res, 'www-authenticate'))
      };
      return this.base;
    }
    throw this.unreachable(`GET ${candidates.map(c => `${c}/v2/`).join(' and ')}`, lastError);
  }

  private async token(repository: string, actions: string): Promise<string> {
    const { challenge } = await this.discover();
    if (challenge.scheme !== 'bearer') throw new Error('no bearer challenge');
    const scope = `repository:${repository}:${actions}`;
    const cached = this.tokens.get(scope);
    if (cached) return cached;
    const url = new URL(challenge.realm);
    if (challenge.service) url.searchParams.set('service', challenge.service);
    url.searchParams.set('scope', scope);
    const headers: Record<string, string> = {};
    if (this.opts.credentials) headers.authorization = basic(this.opts.credentials);
    const res = await this.exchange('GET', url.toString(), { headers });
    if (res.status !== 200)
      throw this.error(
        `GET ${url.origin}${url.pathname} (token for ${scope} as ${this.userLabel()})`,
        res,
        'authentication refused'
      );
    const body = JSON.parse(res.body.toString('utf8')) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token)
      throw new RemoteError({
        call: `GET ${url.origin}${url.pathname}`,
        serverMessage: 'token response has no token'
      });
    registerSecret(token);
    this.tokens.set(scope, token);
    return token;
  }

  private async send(
    method: string,
    path: string,
    o: { repository: string; actions: string; accept?: string; body?: Buffer; contentType?: string }
  ): Promise<Response> {
    const { url, challenge } = await this.discover();
    const headers: Record<string, string> = {};
    if (o.accept) headers.accept = o.accept;
    if (o.contentType) headers['content-type'] = o.contentType;
    if (challenge.scheme === 'basic') {
      if (!this.opts.credentials)
        throw new RemoteError({
          call: `${method} ${url}${path}`,
          status: 401,
          serverMessage: `registry ${this.opts.registry} requires a login: set registry-username and registry-password`
        });
      headers.authorization = basic(this.opts.credentials);
    } else if (challenge.scheme === 'bearer') {
      headers.authorization = `Bearer ${await this.token(o.repository, o.actions)}`;
    }
    const res = await this.exchange(method, `${url}${path}`, { headers, body: o.body });
    if (res.status === 401 || res.status === 403)
      throw this.error(`${method} ${url}${path} (as ${this.userLabel()})`, res, 'authentication refused');
    return res;
  }

  /**
   * One HTTP exchange, retried (see withRetry); a registry that cannot be reached (refused connection, reset, timeout)
   * is a RemoteError naming the call, like a refusal.
   */
  private async exchange(
    method: string,
    url: string,
    o: { headers?: Record<string, string>; body?: Buffer },
    { retry = true } = {}
  ): Promise<Response> {
    try {
      return await (retry ? this.withRetry(() => this.raw(method, url, o)) : this.raw(method, url, o));
    } catch (error) {
      throw this.unreachable(`${method} ${url.split('?')[0]}`, error);
    }
  }

  private unreachable(call: string, error: unknown): RemoteError {
    return new RemoteError({
      call,
      serverMessage: `registry ${this.opts.registry} is unreachable: ${describeNetworkError(error)}`
    });
  }

  private async raw(
    method: string,
    url: string,
    o: { headers?: Record<string, string>; body?: Buffer }
  ): Promise<Response> {
    const res = await request(url, {
      method: method as Dispatcher.HttpMethod,
      headers: o.headers,
      body: o.body,
      dispatcher: this.dispatcher,
      headersTimeout: 30_000,
      bodyTimeout: 60_000
    });
    const body = Buffer.from(await res.body.arrayBuffer());
    return { status: res.statusCode, headers: res.headers, body };
  }

  /** Retries network errors, 429 and 5xx, a few times: registries blip. */
  private withRetry(fn: () => Promise<Response>): Promise<Response> {
    return retry(
      async () => {
        const res = await fn();
        if (res.status === 429 || res.status >= 500) throw new RetryableStatus(res);
        return res;
      },
      { attempts: 3, baseDelayMs: 300, maxDelayMs: 3000, ...this.opts.retry }
    ).catch((error: unknown) => {
      if (error instanceof RetryableStatus) return error.res;
      throw error;
    });
  }

  private error(call: string, res: Response, hint?: string): RemoteError {
    let code: string | undefined;
    let serverMessage: string | undefined;
    try {
      const parsed = JSON.parse(res.body.toString('utf8')) as {
        errors?: { code?: string; message?: string }[];
        details?: string;
      };
      code = parsed.errors?.[0]?.code;
      serverMessage =
        parsed.errors
          ?.map(e => e.message)
          .filter(Boolean)
          .join('; ') || parsed.details;
    } catch {
      serverMessage = res.body.toString('utf8').trim().slice(0, 300) || undefined;
    }
    if (hint) serverMessage = serverMessage ? `${hint}: ${serverMessage}` : hint;
    return new RemoteError({
      call,
      status: res.status,
      code,
      serverMessage,
      requestId:
        header(res, 'x-github-request-id') ??
        header(res, 'x-request-id') ??
        header(res, 'docker-distribution-request-id')
    });
  }
}

class RetryableStatus extends Error {
  constructor(readonly res: Response) {
    super(`HTTP ${res.status}`);
  }
}

function header(res: Response, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function basic(c: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}

/** `Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="..."` or `Basic realm="..."`. */
export function parseChallenge(value: string | undefined): Challenge {
  if (!value) return { scheme: 'basic' };
  const scheme = value.trim().split(/\s+/)[0]!.toLowerCase();
  const params: Record<string, string> = {};
  for (const m of value.matchAll(/(\w+)="([^"]*)"/g)) params[m[1]!.toLowerCase()] = m[2]!;
  if (scheme === 'bearer' && params.realm)
    return { scheme: 'bearer', realm: params.realm, service: params.service };
  return { scheme: 'basic' };
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: unknown })?.cause;
  const code = (error as { code?: string })?.code ?? (cause as { code?: string })?.code;
  const message = errorMessage(cause ?? error);
  return code && !message.includes(code) ? `${code} ${message}` : message;
}
