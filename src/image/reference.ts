import { InputError } from '../kit/errors.js';

/**
 * The one image-reference grammar (OCI distribution: `[registry/]path[:tag][@digest]`), read the same way by the
 * build (a name to push to) and the deploy (the image App Platform pulls, src/digitalocean/app-platform-image.ts).
 */
export interface ImageName {
  /** `ghcr.io`, `127.0.0.1:5000`, lower-cased; `docker.io` when the reference names no registry. */
  registry: string;
  /** `owner/repo`; Docker Hub's `library/` added to a one-component name (`nginx` is `library/nginx`). */
  repository: string;
  /** `registry/repository`: what tags and digests are appended to (`imageRef` in builder.ts). */
  name: string;
}

/** A name with its tag and digest as written (each checked where it is used: `isValidTag`, `isValidDigest`). */
export interface ImageReference extends ImageName {
  tag?: string;
  digest?: string;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
/** Docker Hub's names; a one-component repository on any of them is an official image under `library/`. */
export const DOCKER_HUB_HOSTS: ReadonlySet<string> = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'registry.hub.docker.com'
]);

/**
 * Splits `text` by the grammar. The registry is the first component when it looks like a host (has `.` or `:`,
 * or is `localhost`). Every path component must be lower case (registries reject others); the tag and digest are
 * returned as written, checked by `isValidTag`/`isValidDigest` where they are used. `bad(why)` words the error
 * for the caller's input.
 */
export function parseImageReference(text: string, bad: (why: string) => Error): ImageReference {
  const given = text.trim();
  if (!given) throw bad('it is empty');
  if (/\s/.test(given)) throw bad('it contains spaces');
  let rest = given;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  const first = parts[0] ?? '';
  const hasRegistry =
    parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first.toLowerCase() : 'docker.io';
  const path = hasRegistry ? parts.slice(1) : parts;
  for (const p of path)
    if (!PATH_COMPONENT.test(p))
      throw bad(
        `'${p}' is not a valid repository name component (lower case letters, digits, '.', '_', '-')`
      );
  if (DOCKER_HUB_HOSTS.has(registry) && path.length === 1) path.unshift('library');
  const repository = path.join('/');
  return { registry, repository, name: `${registry}/${repository}`, tag, digest };
}

/**
 * The name the build pushes to, lower-cased once (registries reject upper-case repository names, and GitHub owner
 * names often have capitals); a tag or digest is refused, the build computes the tags. `input` names the input.
 */
export function parseImageName(text: string, input = 'image'): ImageName {
  const given = text.trim();
  const ref = parseImageReference(
    given.toLowerCase(),
    why => new InputError(input, `is not a valid image name ('${given}'): ${why}`)
  );
  if (ref.digest !== undefined)
    throw new InputError(input, `must be an image name without a digest, got '${given}'`);
  if (ref.tag !== undefined)
    throw new InputError(
      input,
      `must be an image name without a tag (tags are computed; add more with 'tags'), got '${given}'`
    );
  return { registry: ref.registry, repository: ref.repository, name: ref.name };
}

/** The default image: `ghcr.io/<owner>/<repo>` from GITHUB_REPOSITORY, lower-cased. */
export function defaultImageName(githubRepository: string | undefined): string | undefined {
  if (!githubRepository || !/^[^/\s]+\/[^/\s]+$/.test(githubRepository)) return undefined;
  return `ghcr.io/${githubRepository.toLowerCase()}`;
}

/** True for a valid tag (OCI distribution grammar). */
export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

/** True for a sha256 content digest, the only algorithm registries and App Platform use. */
export function isValidDigest(digest: string): boolean {
  return DIGEST.test(digest);
}

/** Turns a branch or tag name into a valid image tag: `feature/Login` -> `feature-Login`. */
export function slugTag(text: string): string {
  const slug = text
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128)
    .replace(/-+$/, '');
  return slug;
}

/** The host to talk HTTP to: Docker Hub's API lives on registry-1.docker.io. */
export function registryApiHost(registry: string): string {
  return registry === 'docker.io' ? 'registry-1.docker.io' : registry;
}
