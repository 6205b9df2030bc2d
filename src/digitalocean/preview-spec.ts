import { createHash } from 'node:crypto';
import { isRecord } from '../kit/json.js';
import type { AppSpec, ComponentSpec } from './types.js';

/**
 * Pull-request previews: the app name and the spec a preview deploys, as pure functions.
 *
 * The name follows digitalocean/app_action (utils/preview.go, GenerateAppName + PRRefFromContext): the ref is
 * `<pr number>/merge`, the base `<owner>-<repo>-<ref>` lower-cased with `/`, `_`, `.` turned into `-` and `:`
 * dropped, cut so that `-` + the first 8 hex digits of the SHA-256 of the base fit App Platform's 32 characters.
 * So a repository moving from app_action keeps its preview apps' names (and app_action's delete still finds
 * them). Beyond app_action, the result always matches App Platform's name pattern `^[a-z][a-z0-9-]{0,30}[a-z0-9]$`
 * (DigitalOcean's OpenAPI, app_spec.name): any other character becomes `-`, and a base that would not start with a
 * letter gets a `pr-` prefix (app_action would send a name the API rejects).
 *
 * The spec edits follow app_action's SanitizeSpecForPullRequestPreview (utils/preview.go: no domains, no alerts,
 * GitHub sources of this repository on the PR's branch with deploy_on_push off) and add what a preview of this
 * pipeline needs: one small instance per component, and a development database in place of the production one, so
 * the PRE_DEPLOY migration job migrates the preview's own database and a preview never reaches production data.
 */

const APP_NAME_MAX = 32;
const APP_NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;

export function previewAppName(owner: string, repo: string, prNumber: number): string {
  if (!Number.isInteger(prNumber) || prNumber <= 0)
    throw new Error(`A pull request number is a positive whole number, got ${prNumber}`);
  let base = `${owner}-${repo}-${prNumber}/merge`
    .toLowerCase()
    .replace(/[/_.]/g, '-')
    .replace(/:/g, '')
    .replace(/[^a-z0-9-]/g, '-');
  if (!/^[a-z]/.test(base)) base = `pr-${base}`;
  const suffix = `-${createHash('sha256').update(base).digest('hex').slice(0, 8)}`;
  const name = base.slice(0, APP_NAME_MAX - suffix.length) + suffix;
  if (!APP_NAME.test(name))
    throw new Error(`Internal: preview name '${name}' breaks App Platform's name rule`);
  return name;
}

/** App-level env var every preview carries: `<owner>/<repo>#<pr number>`. */
export const PREVIEW_MARKER_ENV = 'PIPELINE_PREVIEW';
export const previewMarker = (owner: string, repo: string, prNumber: number) =>
  `${owner}/${repo}#${prNumber}`;

/** The PR number of a preview of `owner/repo`, read from its marker; undefined for any other app. */
export function previewPrNumber(spec: AppSpec, owner: string, repo: string): number | undefined {
  if (!Array.isArray(spec.envs)) return undefined;
  const prefix = `${owner}/${repo}#`.toLowerCase();
  for (const e of spec.envs) {
    if (!isRecord(e) || e.key !== PREVIEW_MARKER_ENV || typeof e.value !== 'string') continue;
    if (!e.value.toLowerCase().startsWith(prefix)) continue;
    const n = Number(e.value.slice(prefix.length));
    if (Number.isInteger(n) && n > 0) return n;
  }
  return undefined;
}

export interface PreviewOptions {
  owner: string;
  repo: string;
  prNumber: number;
  /** The PR's head branch (github.head_ref): GitHub-sourced components of this repository build from it. */
  headRef?: string;
  /** Env keys that carry the production database's URL (default DATABASE_URL). */
  databaseEnvKeys?: string[];
  /** Name of the development database component added when the spec has none (default `db`). */
  devDatabaseName?: string;
  /** The instance size every component is reduced to (default apps-s-1vcpu-0.5gb, App Platform's smallest). */
  instanceSizeSlug?: string;
}

export interface PreviewSpec {
  spec: AppSpec;
  /** What was changed, one line each, for the job summary. */
  changes: string[];
}

export const PREVIEW_INSTANCE_SIZE = 'apps-s-1vcpu-0.5gb';
const SIZED_KINDS = ['services', 'workers', 'jobs'] as const;
const SOURCE_KINDS = ['services', 'workers', 'jobs', 'static_sites', 'functions'] as const;

/** `${db.DATABASE_URL}`: a bindable of the component `db`. */
const bindableComponent = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? /^\$\{([a-z][a-z0-9-]*)\.[A-Z_][A-Z0-9_]*\}$/.exec(value.trim())?.[1]
    : undefined;

export function previewSpec(source: AppSpec, o: PreviewOptions): PreviewSpec {
  const spec = structuredClone(source) as AppSpec;
  const changes: string[] = [];
  const name = previewAppName(o.owner, o.repo, o.prNumber);
  changes.push(`name: ${source.name} -> ${name}`);
  spec.name = name;

  for (const field of ['domains', 'alerts'] as const)
    if (field in spec) {
      delete spec[field];
      changes.push(`${field}: removed (they belong to production)`);
    }

  const size = o.instanceSizeSlug ?? PREVIEW_INSTANCE_SIZE;
  for (const kind of SIZED_KINDS)
    for (const c of spec[kind] ?? []) {
      const before = `${String(c.instance_count ?? 1)} x ${String(c.instance_size_slug ?? 'default')}`;
      const scaled = 'autoscaling' in c;
      delete c.autoscaling;
      c.instance_count = 1;
      c.instance_size_slug = size;
      if (scaled || before !== `1 x ${size}`)
        changes.push(`${kind}/${c.name}: ${scaled ? 'autoscaling' : before} -> 1 x ${size}`);
      if ('alerts' in c) {
        delete c.alerts;
        changes.push(`${kind}/${c.name}: alerts removed`);
      }
    }

  // app_action: GitHub sources of this repository build the PR's branch, and only when we deploy.
  if (o.headRef)
    for (const kind of SOURCE_KINDS)
      for (const c of (spec[kind] ?? []) as ComponentSpec[]) {
        const gh = c.github;
        if (!isRecord(gh) || gh.repo !== `${o.owner}/${o.repo}`) continue;
        gh.branch = o.headRef;
        gh.deploy_on_push = false;
        changes.push(`${kind}/${c.name}: GitHub branch ${o.headRef}, deploy_on_push off`);
      }

  replaceDatabases(spec, o, changes);
  // Marks the app as this PR's preview: the sweep and the cap find previews by it, never by name alone.
  const marker = {
    key: PREVIEW_MARKER_ENV,
    value: previewMarker(o.owner, o.repo, o.prNumber),
    scope: 'RUN_TIME',
    type: 'GENERAL'
  };
  spec.envs = [
    ...(Array.isArray(spec.envs) ? spec.envs.filter(e => !isRecord(e) || e.key !== PREVIEW_MARKER_ENV) : []),
    marker
  ];
  return { spec, changes };
}

function replaceDatabases(spec: AppSpec, o: PreviewOptions, changes: string[]): void {
  const keys = new Set(o.databaseEnvKeys ?? ['DATABASE_URL']);
  const databases = spec.databases ?? [];
  // Every database component becomes a development database of the same name and engine: the bindables that
  // point at it (`${db.DATABASE_URL}`) then resolve to the preview's own database.
  // App Platform's development databases are PostgreSQL only: another engine's (production) cluster is dropped.
  spec.databases = [];
  for (const db of databases) {
    const engine = db.engine ?? 'PG';
    if (engine !== 'PG') {
      changes.push(
        `databases/${db.name}: ${String(engine)} cluster removed (no development database for it)`
      );
      continue;
    }
    const dev: { name: string; [key: string]: unknown } = { name: db.name, engine: 'PG', production: false };
    if (db.version !== undefined) dev.version = db.version;
    if (db.production === true || db.cluster_name !== undefined)
      changes.push(
        `databases/${db.name}: production cluster ${String(db.cluster_name ?? '')} -> development database`
      );
    spec.databases.push(dev);
  }
  const devNames = new Set(spec.databases.map(d => d.name));
  let added: string | undefined;
  const devDatabase = () => {
    if (added) return added;
    const existing = spec.databases!.find(d => d.engine === 'PG');
    if (existing) return (added = existing.name);
    added = o.devDatabaseName ?? 'db';
    spec.databases!.push({ name: added, engine: 'PG', production: false });
    devNames.add(added);
    changes.push(`databases/${added}: development database added`);
    return added;
  };
  // An env var that carries the production URL itself (a SECRET, a ${PLACEHOLDER}) now binds to the dev database.
  const rebind = (envs: unknown, where: string) => {
    if (!Array.isArray(envs)) return;
    for (const e of envs) {
      if (!isRecord(e) || typeof e.key !== 'string' || !keys.has(e.key)) continue;
      const bound = bindableComponent(e.value);
      if (bound && devNames.has(bound)) continue;
      e.value = `\${${devDatabase()}.DATABASE_URL}`;
      e.type = 'GENERAL';
      changes.push(`${where}: ${e.key} -> \${${devDatabase()}.DATABASE_URL}`);
    }
  };
  rebind(spec.envs, 'envs');
  for (const kind of SOURCE_KINDS)
    for (const c of (spec[kind] ?? []) as ComponentSpec[]) rebind(c.envs, `${kind}/${c.name}`);
  if (spec.databases.length === 0) delete spec.databases;
}
