// Reads a deployed image's config (its Env) from the local OCI registry that stands in for GHCR/DOCR:
// GET /v2/<repo>/manifests/<digest|tag>, then the config blob. This is the simulator's "pull".
import type { RegistryAccess } from './types.js';

const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json'
];

export interface ImageSource {
  registry_type?: string;
  registry?: string;
  repository?: string;
  tag?: string;
  digest?: string;
  registry_credentials?: string;
}

export interface ImageConfig {
  /** `<repo>@<digest>` as pulled. */
  reference: string;
  digest: string;
  env: Record<string, string>;
}

/** Why a pull failed, worded like App Platform's build/pull step reasons. */
export class ImagePullError extends Error {}

/** GHCR/Docker Hub images live under `<registry>/<repository>` (owner/name); DOCR under `<repository>`. */
export function repositoryPath(image: ImageSource): string {
  const parts = image.registry_type === 'DOCR' ? [image.repository] : [image.registry, image.repository];
  return parts.filter(Boolean).join('/').toLowerCase();
}

export async function readImageConfig(
  registry: RegistryAccess | undefined,
  image: ImageSource,
  credentials?: { username: string; password: string }
): Promise<ImageConfig> {
  const repo = repositoryPath(image);
  const ref = image.digest ?? image.tag ?? 'latest';
  const shown = `${repo}${image.digest ? '@' : ':'}${ref}`;
  if (!registry) throw new ImagePullError(`unable to pull image ${shown}: no registry is reachable`);
  const base = `${registry.scheme ?? 'http'}://${registry.host}/v2/${repo}`;
  const user =
    credentials ??
    (registry.username ? { username: registry.username, password: registry.password ?? '' } : undefined);
  const headers: Record<string, string> = {};
  if (user)
    headers.authorization = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;

  const get = async (
    url: string,
    accept?: string
  ): Promise<{ body: Buffer; digest: string | null; type: string }> => {
    let res: Response;
    try {
      res = await fetch(url, { headers: { ...headers, ...(accept ? { accept } : {}) } });
    } catch (err) {
      throw new ImagePullError(
        `unable to pull image ${shown}: registry ${registry.host} unreachable (${(err as Error).message})`
      );
    }
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status === 401 || res.status === 403)
      throw new ImagePullError(
        `unable to pull image ${shown}: registry refused the credentials (HTTP ${res.status})`
      );
    if (res.status === 404)
      throw new ImagePullError(`unable to pull image ${shown}: manifest unknown (not found in the registry)`);
    if (!res.ok)
      throw new ImagePullError(`unable to pull image ${shown}: registry answered HTTP ${res.status}`);
    return {
      body,
      digest: res.headers.get('docker-content-digest'),
      type: res.headers.get('content-type') ?? ''
    };
  };

  let manifest = await get(`${base}/manifests/${ref}`, MANIFEST_TYPES.join(', '));
  let parsed = JSON.parse(manifest.body.toString('utf8')) as {
    config?: { digest: string };
    manifests?: { digest: string; platform?: { os?: string; architecture?: string } }[];
  };
  if (parsed.manifests) {
    // A multi-platform index: App Platform runs linux/amd64.
    const pick =
      parsed.manifests.find(m => m.platform?.os === 'linux' && m.platform?.architecture === 'amd64') ??
      parsed.manifests[0];
    if (!pick) throw new ImagePullError(`unable to pull image ${shown}: empty image index`);
    manifest = await get(`${base}/manifests/${pick.digest}`, MANIFEST_TYPES.join(', '));
    parsed = JSON.parse(manifest.body.toString('utf8')) as typeof parsed;
  }
  if (!parsed.config?.digest)
    throw new ImagePullError(`unable to pull image ${shown}: manifest has no config`);
  const config = JSON.parse((await get(`${base}/blobs/${parsed.config.digest}`)).body.toString('utf8')) as {
    config?: { Env?: string[] };
  };
  const env: Record<string, string> = {};
  for (const entry of config.config?.Env ?? []) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  const digest = image.digest ?? manifest.digest ?? '';
  return { reference: `${repo}@${digest}`, digest, env };
}
