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
  /** Components pinned together with `component` (same repository, or named in `component`). */
  alsoPinned: string[];
  /** Other components using the same repository at another version, left as they are (named components only). */
  sameRepository: string[];
}

const SOURCE_KEYS = ['git', 'github', 'gitlab', 'bitbucket'];

/**
 * Returns a copy of `spec` running `ref`. `componentNames` (the `component` input, comma-separated) names the
 * components to change; without it, the only service is changed together with every service, worker and job
 * whose image is the same repository (a PRE_DEPLOY migration job on the release image must run the release,
 * not the old digest). Per component only `image` changes: registry fields, digest xor tag, and
 * `registry_credentials` when given (otherwise the stored, encrypted value is sent back as it came).
 */
export function replaceImage(
  spec: AppSpec,
  componentNames: string | undefined,
  ref: ImageRef,
  registryCredentials?: string
): ImageEdit {
  const copy = structuredClone(spec);
  const named = componentNames
    ?.split(',')
    .map(n => n.trim())
    .filter(Boolean);
  const primary = selectComponent(copy, named?.[0]);
  const targets = [primary];
  for (const name of named?.slice(1) ?? []) targets.push(selectComponent(copy, name));
  const sameRepo = (img: ImageSourceSpec | undefined, other: ImageSourceSpec | undefined) =>
    !!img &&
    !!other &&
    img.repository === other.repository &&
    (img.registry ?? '') === (other.registry ?? '');
  const primaryImage = primary.component.image;
  if (!named)
    for (const kind of IMAGE_COMPONENT_KINDS)
      (copy[kind] ?? []).forEach((c, index) => {
        if (c === primary.component || !c.image) return;
        if (sameRepo(c.image, primaryImage) || sameRepo(c.image, refImage(ref)))
          targets.push({ kind, index, component: c });
      });
  let before: ImageSourceSpec | undefined;
  let after: ImageSourceSpec | undefined;
  let changed = false;
  for (const t of targets) {
    const source = SOURCE_KEYS.find(k => t.component[k] !== undefined);
    if (source)
      throw new InputError(
        'component',
        `'${t.component.name}' is built from a ${source} source, not an image; deploy an image component`
      );
    const old = t.component.image ? structuredClone(t.component.image) : undefined;
    const image = pinImage(t.component.image, ref, registryCredentials);
    copy[t.kind]![t.index] = { ...t.component, image };
    changed ||= JSON.stringify(old) !== JSON.stringify(image);
    if (t === primary) {
      before = old;
      after = image;
    }
  }
  const pinned = new Set(targets.map(t => t.component.name));
  const sameRepository: string[] = [];
  for (const k of IMAGE_COMPONENT_KINDS)
    for (const c of copy[k] ?? []) {
      if (pinned.has(c.name) || !c.image) continue;
      if (sameRepo(c.image, after) && (c.image.digest !== after!.digest || c.image.tag !== after!.tag))
        sameRepository.push(`${k}/${c.name}`);
    }
  return {
    spec: copy,
    kind: primary.kind,
    component: primary.component.name,
    before,
    after: after!,
    alsoPinned: targets.slice(1).map(t => `${t.kind}/${t.component.name}`),
    changed,
    sameRepository
  };
}

function refImage(ref: ImageRef): ImageSourceSpec {
  return { registry: ref.registry_type === 'DOCR' ? undefined : ref.registry, repository: ref.repository };
}

function pinImage(
  current: ImageSourceSpec | undefined,
  ref: ImageRef,
  registryCredentials: string | undefined
): ImageSourceSpec {
  const image: ImageSourceSpec = { ...(current ?? {}) };
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
  return image;
}

// ---- spec files -----------------------------------------------------------------------------------------

/**
 * App-wide variables App Platform resolves itself when they are unset here (app_action utils/env.go keeps
 * them too; docs: use-environment-variables#app-wide-variables).
 */
const APP_WIDE = new Set(['APP_URL', 'APP_DOMAIN', 'APP_ID']);

export interface Substitution {
  value: unknown;
  /** Names substituted, with their values (masked by the caller). */
  substituted: Map<string, string>;
  /** Unset names without an App Platform meaning: the deploy fails naming them all. */
  missing: string[];
  /** Unset names left as written for App Platform: bindables (`${db.DATABASE_URL}`), app-wide, opted out. */
  kept: string[];
}

export interface PlaceholderOptions {
  /** Unset names to leave as written (App Platform resolves them); `'*'`: every unset name. */
  keep?: ReadonlySet<string> | '*';
}

/**
 * Placeholders as app_action expands them (Go's os.Expand on the spec): `${VAR}` and `$VAR`, from `env`, in
 * every string of the parsed spec (not the YAML text, so a value with `:` or `#` cannot change the document's
 * structure). Unlike app_action, an unset `VAR` is not silently deployed as "" (or as the literal text): it is
 * reported as missing, unless App Platform resolves it itself (a dotted bindable such as `${db.DATABASE_URL}`
 * or `${_self.PRIVATE_URL}`, an app-wide `${APP_URL}`) or `keep` names it. `$$` writes one `$`.
 */
export function substituteEnv(
  value: unknown,
  env: Record<string, string | undefined>,
  opts: PlaceholderOptions = {}
): Substitution {
  const substituted = new Map<string, string>();
  const missing = new Set<string>();
  const kept = new Set<string>();
  const keepAll = opts.keep === '*';
  const keep = opts.keep instanceof Set ? opts.keep : new Set<string>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string')
      return v.replace(
        /\$\$|\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
        (whole, braced: string | undefined, bare: string | undefined) => {
          if (whole === '$$') return '$';
          const name = (braced ?? bare)!;
          const written = braced !== undefined ? whole : `\${${name}}`;
          if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
            // `${db.DATABASE_URL}`, `${_self.X}`: bindables App Platform resolves.
            kept.add(name);
            return whole;
          }
          const replacement = env[name];
          if (replacement !== undefined) {
            substituted.set(name, replacement);
            return replacement;
          }
          if (APP_WIDE.has(name) || keepAll || keep.has(name)) {
            kept.add(name);
            return written;
          }
          missing.add(name);
          return whole;
        }
      );
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { value: walk(value), substituted, missing: [...missing], kept: [...kept] };
}

/** app_action's per-component variable name: `IMAGE_DIGEST_` + the name upper-cased, `-` as `_`. */
export const componentEnvName = (name: string) => name.toUpperCase().replace(/-/g, '_');

/**
 * app_action's image variables (deploy/images.go): for every container component, `IMAGE_DIGEST_<NAME>`
 * sets the digest and clears the tag, else `IMAGE_TAG_<NAME>` sets the tag and clears the digest.
 * Returns the components changed (`services/web`).
 */
export function applyImageVariables(spec: AppSpec, env: Record<string, string | undefined>): string[] {
  const changed: string[] = [];
  for (const kind of IMAGE_COMPONENT_KINDS)
    for (const c of spec[kind] ?? []) {
      if (!c.image) continue;
      const digest = env[`IMAGE_DIGEST_${componentEnvName(c.name)}`];
      const tag = env[`IMAGE_TAG_${componentEnvName(c.name)}`];
      if (digest) {
        c.image.digest = digest;
        delete c.image.tag;
      } else if (tag) {
        c.image.tag = tag;
        delete c.image.digest;
      } else continue;
      changed.push(`${kind}/${c.name}`);
    }
  return changed;
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
