import type { DigitalOceanClient } from './client.js';
import type { ComponentSpec, Deployment } from './types.js';

/**
 * `rollback-to: previous`: the newest deployment, older than the active one, that served (ACTIVE, or
 * SUPERSEDED with every top-level step SUCCESS) a *different release* than the active one. Busy apps get
 * many deployments that carry no new release (cause_details.type AUTOSCALED, MAINTENANCE,
 * UPDATE_DATABASE_TRUSTED_SOURCES, a RESTART, an earlier rollback of the same release: godo apps.gen.go),
 * so picking "the one before" would roll back to the very release that failed. Pages are read until one is
 * found (Terraform PR #1466 reports apps with "a lot of deployments, mainly autoscaling events").
 */
export interface PreviousRelease {
  deployment: Deployment;
  /** How many deployments were read to find it. */
  scanned: number;
}

const PER_PAGE = 100;
const MAX_PAGES = 30;

export async function findPreviousRelease(
  client: DigitalOceanClient,
  appId: string,
  activeId: string | undefined
): Promise<PreviousRelease | { deployment?: undefined; scanned: number }> {
  const seen: Deployment[] = [];
  let active: Deployment | undefined;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { deployments, more } = await client.listDeploymentsPage(appId, page, PER_PAGE);
    seen.push(...deployments);
    active ??= seen.find(d => d.id === activeId);
    if (!active && activeId && !more) active = await client.getDeployment(appId, activeId);
    if (active) {
      const found = pick(seen, active);
      if (found) return { deployment: found, scanned: seen.length };
    }
    if (!more) break;
  }
  if (!active && !activeId) {
    // No active deployment: the newest one that served is the best there is.
    const found = newestFirst(seen).find(servedTraffic);
    if (found) return { deployment: found, scanned: seen.length };
  }
  return { scanned: seen.length };
}

function pick(deployments: Deployment[], active: Deployment): Deployment | undefined {
  const release = releaseOf(active);
  const activeAt = Date.parse(active.created_at ?? '');
  return newestFirst(deployments).find(
    d =>
      d.id !== active.id &&
      servedTraffic(d) &&
      !(Date.parse(d.created_at ?? '') > activeAt) &&
      releaseOf(d) !== release
  );
}

const newestFirst = (ds: Deployment[]) =>
  [...ds].sort((a, b) => Date.parse(b.created_at ?? '') - Date.parse(a.created_at ?? '') || 0);

/** ACTIVE, or SUPERSEDED after serving (a deployment superseded while building never served). */
function servedTraffic(d: Deployment): boolean {
  if (d.phase === 'ACTIVE') return true;
  if (d.phase !== 'SUPERSEDED') return false;
  const steps = d.progress?.steps;
  // Without progress in the listing we cannot tell; the rollback validation refuses a failed one.
  return !steps?.length || steps.every(s => s.status === 'SUCCESS');
}

/**
 * What a deployment runs: its spec (images, envs, sizes: canonical JSON) and the source commit of each
 * component. Deployments that carry no new release (autoscaling, maintenance, a restart, trusted-source updates)
 * run the same spec and commits as the one they replaced, so they compare equal, whatever their cause.
 */
export function releaseOf(d: Deployment): string {
  const commits: Record<string, string> = {};
  for (const list of [d.services, d.workers, d.jobs, d.static_sites])
    for (const c of list ?? []) if (c.source_commit_hash) commits[c.name] = c.source_commit_hash;
  return canonical({ spec: d.spec ?? null, commits });
}

/** JSON with object keys sorted, so equal values give equal text. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map(k => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** One line naming what a release runs, for listings: image digest or tag, else commit, per component. */
export function describeRelease(d: Deployment): string {
  const commits = new Map<string, string>();
  for (const list of [d.services, d.workers, d.jobs])
    for (const c of list ?? []) if (c.source_commit_hash) commits.set(c.name, c.source_commit_hash);
  const parts: string[] = [];
  for (const kind of ['services', 'workers', 'jobs', 'static_sites'] as const)
    for (const c of (d.spec?.[kind] ?? []) as ComponentSpec[]) {
      const img = c.image;
      const what = img
        ? `${img.repository ?? ''}${img.digest ? `@${img.digest.slice(0, 19)}` : `:${img.tag ?? 'latest'}`}`
        : (commits.get(c.name)?.slice(0, 7) ?? 'source');
      parts.push(`${c.name}=${what}`);
    }
  return parts.join(' ');
}
