import { InputError } from '../kit/errors.js';

/**
 * Image names (`registry/path`, no tag). Registries reject upper-case repository names ("repository name
 * must be lowercase"), and GitHub owner names often have capitals, so names are lower-cased here once.
 */
export interface ImageName {
  /** `ghcr.io`, `127.0.0.1:5000`; `docker.io` when the name has no registry part. */
  registry: string;
  /** `owner/repo` */
  repository: string;
  /** `registry/repository` as given (lower-cased), what tags are appended to. */
  name: string;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** The default image: `ghcr.io/<owner>/<repo>` from GITHUB_REPOSITORY, lower-cased. */
export function defaultImageName(githubRepository: string | undefined): string | undefined {
  if (!githubRepository || !/^[^/\s]+\/[^/\s]+$/.test(githubRepository)) return undefined;
  return `ghcr.io/${githubRepository.toLowerCase()}`;
}

/** Parses and lower-cases an image name; `input` names the input in errors. */
export function parseImageName(text: string, input = 'image'): ImageName {
  const given = text.trim();
  const lower = given.toLowerCase();
  if (lower.includes('@'))
    throw new InputError(input, `must be an image name without a digest, got '${given}'`);
  const parts = lower.split('/');
  const first = parts[0] ?? '';
  const hasRegistry =
    parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  const pathParts = hasRegistry ? parts.slice(1) : parts;
  if (pathParts.length === 1 && registry === 'docker.io') pathParts.unshift('library');
  const last = pathParts[pathParts.length - 1] ?? '';
  if (last.includes(':'))
    throw new InputError(
      input,
      `must be an image name without a tag (tags are computed; add more with 'tags'), got '${given}'`
    );
  for (const p of pathParts) {
    if (!PATH_COMPONENT.test(p))
      throw new InputError(
        input,
        `is not a valid image name: '${p}' in '${given}' (letters, digits, '.', '_', '-' only)`
      );
  }
  return {
    registry,
    repository: pathParts.join('/'),
    name: hasRegistry ? lower : `${registry}/${pathParts.join('/')}`
  };
}

/** True for a valid tag (OCI distribution grammar). */
export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
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
