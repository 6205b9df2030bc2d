import { InputError } from '../kit/errors.js';
import { DOCKER_HUB_HOSTS, isValidDigest, isValidTag, parseImageReference } from '../image/reference.js';
import type { ImageSourceSpec, RegistryType } from './types.js';

/** An image App Platform can pull, in the terms of a spec's `image` (ImageSourceSpec). */
export interface AppPlatformImage {
  registry_type: RegistryType;
  /** GHCR/Docker Hub: the owner (org or user); DOCR: the registry name (not sent: implicit in the account). */
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const REGISTRY_TYPES: ReadonlyMap<string, RegistryType> = new Map([
  ['ghcr.io', 'GHCR'],
  ['registry.digitalocean.com', 'DOCR'],
  ...[...DOCKER_HUB_HOSTS].map(host => [host, 'DOCKER_HUB'] as const)
]);

/**
 * The `image` input read by the one grammar (src/image/reference.ts), then held to what App Platform pulls:
 * `ghcr.io/owner/repo@sha256:…`, `ghcr.io/owner/repo:tag`, `docker.io/org/repo:tag`, `nginx:1.27` (Docker Hub
 * `library/`), `registry.digitalocean.com/<registry>/repo@sha256:…`: one of these three registries, and a digest
 * or a tag. Anything else is an InputError on `input`.
 */
export function parseAppPlatformImage(text: string, input = 'image'): AppPlatformImage {
  const bad = (why: string) => new InputError(input, `is not a usable image reference ('${text}'): ${why}`);
  const ref = parseImageReference(text, bad);
  if (ref.digest !== undefined && !isValidDigest(ref.digest))
    throw bad(`the digest must be sha256: followed by 64 hex characters, got '${ref.digest}'`);
  if (ref.tag !== undefined && !isValidTag(ref.tag)) throw bad(`the tag '${ref.tag}' is not a valid tag`);
  if (ref.digest === undefined && ref.tag === undefined)
    throw bad('add a digest (@sha256:…, preferred) or a tag (:tag)');
  const registryType = REGISTRY_TYPES.get(ref.registry);
  if (!registryType)
    throw bad(
      `App Platform pulls only from ghcr.io, docker.io and registry.digitalocean.com, not '${ref.registry}'`
    );
  const [owner, ...repository] = ref.repository.split('/');
  if (!repository.length)
    throw bad(`expected ${ref.registry}/<${registryType === 'DOCR' ? 'registry' : 'owner'}>/<repository>`);
  // A tag next to a digest is informational only: the digest is what gets deployed.
  return {
    registry_type: registryType,
    registry: owner!,
    repository: repository.join('/'),
    ...(ref.digest ? { digest: ref.digest } : { tag: ref.tag })
  };
}

/** `ghcr.io/owner/repo@sha256:…` back from a spec `image` (for logs and summaries). */
export function describeImage(image: ImageSourceSpec | undefined): string {
  if (!image) return '(no image)';
  const host =
    image.registry_type === 'GHCR'
      ? 'ghcr.io'
      : image.registry_type === 'DOCR'
        ? 'registry.digitalocean.com'
        : 'docker.io';
  const path = [image.registry, image.repository].filter(Boolean).join('/');
  return `${host}/${path}${image.digest ? `@${image.digest}` : `:${image.tag ?? 'latest'}`}`;
}
