import { parse as parseYaml } from 'yaml';
import { InputError } from '../kit/errors.js';
import type { AppSpec, ComponentSpec, ImageSourceSpec, RegistryType } from './types.js';

/**
 * Pure app-spec edits. A spec read from the API is edited in a deep copy and only the one `image` we mean
 * to change is touched: every other field, including `EV[1:…]` encrypted secrets, goes back exactly as it
 * came (PUT replaces the whole spec).
 */

// ---- image references -----------------------------------------------------------------------------------

export interface ImageRef {
  registry_type: RegistryType;
  /** GHCR/Docker Hub: the owner (org or user); DOCR: the registry name (not sent: implicit in the account). */
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const GHCR_HOSTS = new Set(['ghcr.io']);
const DOCKER_HUB_HOSTS = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'registry.hub.docker.com'
]);
const DOCR_HOSTS = new Set(['registry.digitalocean.com']);

/**
 * `ghcr.io/owner/repo@sha256:…`, `ghcr.io/owner/repo:tag`, `docker.io/org/repo:tag`, `nginx:1.27` (Docker
 * Hub `library/`), `registry.digitalocean.com/<registry>/repo@sha256:…`. App Platform pulls only from these
 * three registries; anything else is an InputError on `input`.
 */
export function parseImageRef(ref: string, input = 'image'): ImageRef {
  const bad = (why: string) => new InputError(input, `is not a usable image reference ('${ref}'): ${why}`);
  const text = ref.trim();
  if (!text) throw bad('it is empty');
  if (/\s/.test(text)) throw bad('it contains spaces');
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest))
      throw bad(`the digest must be sha256: followed by 64 hex characters, got '${digest}'`);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw bad(`the tag '${tag}' is not a valid tag`);
  }
  if (!digest && !tag) throw bad('add a digest (@sha256:…, preferred) or a tag (:tag)');
  const parts = rest.split('/');
  const first = parts[0] ?? '';
  const hasHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = hasHost ? first.toLowerCase() : 'docker.io';
  const path = hasHost ? parts.slice(1) : parts;
  for (const p of path)
    if (!PATH_COMPONENT.test(p)) throw bad(`'${p}' is not a valid repository name component (lower case)`);

  let registry_type: RegistryType;
  if (GHCR_HOSTS.has(host)) registry_type = 'GHCR';
  else if (DOCKER_HUB_HOSTS.has(host)) registry_type = 'DOCKER_HUB';
  else if (DOCR_HOSTS.has(host)) registry_type = 'DOCR';
  else
    throw bad(`App Platform pulls only from ghcr.io, docker.io and registry.digitalocean.com, not '${host}'`);

  if (registry_type === 'DOCKER_HUB' && path.length === 1) path.unshift('library');
  if (path.length < 2)
    throw bad(`expected ${host}/<${registry_type === 'DOCR' ? 'registry' : 'owner'}>/<repository>`);
  const [owner, ...repo] = path;
  // A tag next to a digest is informational only: the digest is what gets deployed.
  return { registry_type, registry: owner!, repository: repo.join('/'), ...(digest ? { digest } : { tag }) };
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

// ---- components -----------------------------------------------------------------------------------------

export const IMAGE_COMPONENT_KINDS = ['services', 'workers', 'jobs'] as const;
export type ComponentKind = (typeof IMAGE_COMPONENT_KINDS)[number];

/** `services: web; workers: (none); jobs: migrate` — for messages naming what exists. */
export function describeComponents(spec: AppSpec): string {
  return IMAGE_COMPONENT_KINDS.map(kind => {
    const names = (spec[kind] ?? []).map(c => c.name);
    return `${kind}: ${names.length ? names.join(', ') : '(none)'}`;
  }).join('; ');
}

/** Finds the component to deploy: by name among services/workers/jobs, or the only service. */
export function selectComponent(
  spec: AppSpec,
  name: string | undefined
): { kind: ComponentKind; index: number; component: ComponentSpec } {
  if (name) {
    for (const kind of IMAGE_COMPONENT_KINDS) {
      const index = (spec[kind] ?? []).findIndex(c => c.name === name);
      if (index >= 0) return { kind, index, component: spec[kind]![index]! };
    }
    throw new InputError(
      'component',
      `'${name}' is not a service, worker or job of app '${spec.name}' (${describeComponents(spec)})`
    );
  }
  const services = spec.services ?? [];
  if (services.length !== 1)
    throw new InputError(
      'component',
      `is required: app '${spec.name}' has ${services.length} services, so there is no "only service" (${describeComponents(spec)})`
    );
  return { kind: 'services', index: 0, component: services[0]! };
}

export interface ImageEdit {
  spec: AppSpec;
  kind: ComponentKind;
  component: string;
  before?: ImageSourceSpec;
  after: ImageSourceSpec;
  /** True when the spec changed (same digest again = no change: App Platform would not redeploy). */
  changed: boolean;
  /** Other components using the same repository at another version (e.g. a PRE_DEPLOY job). */
  sameRepository: string[];
}

const SOURCE_KEYS = ['git', 'github', 'gitlab', 'bitbucket'];

/**
 * Returns a copy of `spec` in which component `componentName` (default: the only service) runs `ref`.
 * Only that component's `image` changes: registry fields, digest xor tag, and `registry_credentials` when
 * given (otherwise the stored, encrypted value is sent back as it came).
 */
export function replaceImage(
  spec: AppSpec,
  componentName: string | undefined,
  ref: ImageRef,
  registryCredentials?: string
): ImageEdit {
  const copy = structuredClone(spec);
  const { kind, index, component } = selectComponent(copy, componentName);
  const source = SOURCE_KEYS.find(k => component[k] !== undefined);
  if (source)
    throw new InputError(
      'component',
      `'${component.name}' is built from a ${source} source, not an image; deploy an image component`
    );
  const before = component.image ? structuredClone(component.image) : undefined;
  const image: ImageSourceSpec = { ...(component.image ?? {}) };
  image.registry_type = ref.registry_type;
  if (ref.registry_type === 'DOCR') delete image.registry;
  else image.registry = ref.registry;
  image.repository = ref.repository;
  if (ref.digest) {
    image.digest = ref.digest;
    delete image.tag;
    // deploy_on_push follows a tag; a pinned digest has nothing to follow.
    delete image.deploy_on_push;
  } else {
    image.tag = ref.tag;
    delete image.digest;
  }
  if (registryCredentials) image.registry_credentials = registryCredentials;
  copy[kind]![index] = { ...component, image };
  const sameRepository: string[] = [];
  for (const k of IMAGE_COMPONENT_KINDS)
    for (const c of copy[k] ?? []) {
      if (c.name === component.name || !c.image) continue;
      const same =
        c.image.repository === image.repository && (c.image.registry ?? '') === (image.registry ?? '');
      if (same && (c.image.digest !== image.digest || c.image.tag !== image.tag))
        sameRepository.push(`${k}/${c.name}`);
    }
  return {
    spec: copy,
    kind,
    component: component.name,
    before,
    after: image,
    changed: JSON.stringify(before) !== JSON.stringify(image),
    sameRepository
  };
}

// ---- spec files -----------------------------------------------------------------------------------------

/** App Platform's own bindable names, resolved by the platform at deploy time, never by us. */
const PLATFORM_BINDABLES = new Set(['APP_URL', 'APP_DOMAIN', 'APP_ID']);

export interface Substitution {
  value: unknown;
  substituted: string[];
  /** `${NAME}` with no such environment variable: left as written (App Platform may resolve it). */
  unresolved: string[];
}

/**
 * `${VAR}` substitution from `env` in every string of a parsed spec (not in the YAML text, so a value with
 * `:` or `#` cannot change the document's structure). `${db.DATABASE_URL}`, `${_self.X}` and `${APP_URL}`
 * style bindables are left for App Platform.
 */
export function substituteEnv(value: unknown, env: Record<string, string | undefined>): Substitution {
  const substituted = new Set<string>();
  const unresolved = new Set<string>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string')
      return v.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || PLATFORM_BINDABLES.has(name)) return whole;
        const replacement = env[name];
        if (replacement === undefined) {
          unresolved.add(name);
          return whole;
        }
        substituted.add(name);
        return replacement;
      });
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { value: walk(value), substituted: [...substituted], unresolved: [...unresolved] };
}

/** Parses a YAML or JSON spec file's text (`input` is named in errors). */
export function parseSpecText(text: string, input = 'app-spec'): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    throw new InputError(input, `is not valid YAML/JSON: ${(error as Error).message.split('\n')[0]}`);
  }
}

// ---- local validation -----------------------------------------------------------------------------------

const NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
const REGIONS = ['atl', 'nyc', 'sfo', 'tor', 'ams', 'fra', 'lon', 'blr', 'sgp', 'syd'];
const ENV_KEY = /^[_A-Za-z][_A-Za-z0-9]*$/;
const SCOPES = ['UNSET', 'RUN_TIME', 'BUILD_TIME', 'RUN_AND_BUILD_TIME'];
const JOB_KINDS = ['UNSPECIFIED', 'PRE_DEPLOY', 'POST_DEPLOY', 'FAILED_DEPLOY', 'SCHEDULED'];
const COMPONENT_LISTS = ['services', 'workers', 'jobs', 'static_sites', 'functions', 'databases'];

export interface SpecProblem {
  path: string;
  message: string;
}

/** The checks App Platform would fail on, with field paths (`services[0].image.digest`), before any call. */
export function validateSpec(value: unknown): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  if (!isObject(value))
    return [{ path: '(root)', message: 'must be a mapping with at least name and services' }];
  const spec = value;
  if (typeof spec.name !== 'string') add('name', 'is required');
  else if (!NAME.test(spec.name))
    add(
      'name',
      `'${spec.name}' must be 2-32 characters: lower-case letters, digits and '-', starting with a letter`
    );
  if (spec.region !== undefined && !REGIONS.includes(String(spec.region)))
    add('region', `must be one of ${REGIONS.join(', ')}`);
  checkEnvs(spec.envs, 'envs', add);
  const seen = new Map<string, string>();
  for (const list of COMPONENT_LISTS) {
    const items = spec[list];
    if (items === undefined) continue;
    if (!Array.isArray(items)) {
      add(list, 'must be a list');
      continue;
    }
    items.forEach((c, i) => {
      const at = `${list}[${i}]`;
      if (!isObject(c)) return add(at, 'must be a mapping');
      if (typeof c.name !== 'string' || !NAME.test(c.name))
        add(`${at}.name`, 'is required: 2-32 characters, lower-case letters, digits and -');
      else if (seen.has(c.name)) add(`${at}.name`, `'${c.name}' is also used by ${seen.get(c.name)}`);
      else seen.set(c.name, at);
      if (list === 'databases') return;
      if (c.image !== undefined) checkImage(c.image, `${at}.image`, add);
      checkEnvs(c.envs, `${at}.envs`, add);
      if (
        c.instance_count !== undefined &&
        !(Number.isInteger(c.instance_count) && (c.instance_count as number) >= 1)
      )
        add(`${at}.instance_count`, 'must be a whole number of at least 1');
      if (
        c.http_port !== undefined &&
        !(Number.isInteger(c.http_port) && (c.http_port as number) >= 1 && (c.http_port as number) <= 65535)
      )
        add(`${at}.http_port`, 'must be a port number (1-65535)');
      if (list === 'jobs' && c.kind !== undefined && !JOB_KINDS.includes(String(c.kind)))
        add(`${at}.kind`, `must be one of ${JOB_KINDS.join(', ')}`);
    });
  }
  if (seen.size === 0)
    add('services', 'the spec has no component (services, workers, jobs, static_sites, functions)');
  return problems;
}

function checkImage(image: unknown, at: string, add: (p: string, m: string) => void): void {
  if (!isObject(image)) return add(at, 'must be a mapping');
  if (!['DOCR', 'DOCKER_HUB', 'GHCR'].includes(String(image.registry_type)))
    add(`${at}.registry_type`, 'must be DOCR, DOCKER_HUB or GHCR');
  if (typeof image.repository !== 'string' || !image.repository) add(`${at}.repository`, 'is required');
  if (image.registry_type !== 'DOCR' && image.registry_type !== undefined && !image.registry)
    add(`${at}.registry`, 'is required for GHCR and DOCKER_HUB (the owner)');
  if (image.tag !== undefined && image.digest !== undefined) add(at, 'has both tag and digest; use one');
  if (image.digest !== undefined && !DIGEST.test(String(image.digest)))
    add(`${at}.digest`, 'must be sha256: followed by 64 hex characters');
  if (image.tag !== undefined && !TAG.test(String(image.tag))) add(`${at}.tag`, 'is not a valid tag');
}

function checkEnvs(envs: unknown, at: string, add: (p: string, m: string) => void): void {
  if (envs === undefined) return;
  if (!Array.isArray(envs)) return add(at, 'must be a list');
  envs.forEach((e, i) => {
    if (!isObject(e) || typeof e.key !== 'string' || !ENV_KEY.test(e.key))
      add(`${at}[${i}].key`, 'is required: letters, digits and _, not starting with a digit');
    else {
      if (e.scope !== undefined && !SCOPES.includes(String(e.scope)))
        add(`${at}[${i}].scope`, `must be one of ${SCOPES.join(', ')}`);
      if (e.type !== undefined && !['GENERAL', 'SECRET'].includes(String(e.type)))
        add(`${at}[${i}].type`, 'must be GENERAL or SECRET');
    }
  });
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validation problems as one line, for an InputError on the spec input. */
export function formatProblems(problems: SpecProblem[]): string {
  return problems.map(p => `${p.path} ${p.message}`).join('; ');
}
