// Direct registry HTTP calls for assertions, independent of the client under test.
import { request } from 'undici';
import type { RegistryServer } from '../../test-support/shared.js';

const ACCEPT =
  'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json';

function auth(reg: RegistryServer): string {
  return `Basic ${Buffer.from(`${reg.username}:${reg.password}`).toString('base64')}`;
}

/** HEAD /v2/<repo>/manifests/<ref>: the registry's Docker-Content-Digest, or undefined on 404. */
export async function headDigest(
  reg: RegistryServer,
  repository: string,
  reference: string
): Promise<string | undefined> {
  const res = await request(`${reg.url}/v2/${repository}/manifests/${reference}`, {
    method: 'HEAD',
    headers: { authorization: auth(reg), accept: ACCEPT }
  });
  await res.body.dump();
  if (res.statusCode === 404) return undefined;
  if (res.statusCode !== 200) throw new Error(`HEAD manifest: HTTP ${res.statusCode}`);
  return String(res.headers['docker-content-digest']);
}

async function getJson<T>(reg: RegistryServer, path: string, accept?: string): Promise<T> {
  const res = await request(`${reg.url}${path}`, {
    headers: { authorization: auth(reg), ...(accept ? { accept } : {}) }
  });
  if (res.statusCode !== 200) throw new Error(`GET ${path}: HTTP ${res.statusCode}`);
  return (await res.body.json()) as T;
}

/** The image config (labels, architecture) of `reference`. */
export async function imageConfig(
  reg: RegistryServer,
  repository: string,
  reference: string
): Promise<{ architecture: string; os: string; config: { Labels?: Record<string, string> } }> {
  const manifest = await getJson<{ config: { digest: string } }>(
    reg,
    `/v2/${repository}/manifests/${reference}`,
    ACCEPT
  );
  return getJson(reg, `/v2/${repository}/blobs/${manifest.config.digest}`);
}
