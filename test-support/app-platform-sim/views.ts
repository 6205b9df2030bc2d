// API representations of the state, with DigitalOcean's field names (apps.json app / apps_deployment).
import { OWNER_UUID, type AppState, type DeploymentState, componentsOf } from './engine.js';
import { countSteps } from './steps.js';
import { TERMINAL_PHASES } from './types.js';

const REGIONS: Record<string, { label: string; flag: string; continent: string; data_centers: string[] }> = {
  ams: { label: 'Amsterdam', flag: 'netherlands', continent: 'Europe', data_centers: ['ams3'] },
  fra: { label: 'Frankfurt', flag: 'germany', continent: 'Europe', data_centers: ['fra1'] },
  lon: { label: 'London', flag: 'uk', continent: 'Europe', data_centers: ['lon1'] },
  nyc: { label: 'New York', flag: 'usa', continent: 'North America', data_centers: ['nyc1', 'nyc3'] },
  sfo: { label: 'San Francisco', flag: 'usa', continent: 'North America', data_centers: ['sfo3'] },
  tor: { label: 'Toronto', flag: 'canada', continent: 'North America', data_centers: ['tor1'] },
  atl: { label: 'Atlanta', flag: 'usa', continent: 'North America', data_centers: ['atl1'] },
  blr: { label: 'Bangalore', flag: 'india', continent: 'Asia', data_centers: ['blr1'] },
  sgp: { label: 'Singapore', flag: 'singapore', continent: 'Asia', data_centers: ['sgp1'] },
  syd: { label: 'Sydney', flag: 'australia', continent: 'Australia', data_centers: ['syd1'] }
};

/**
 * godo's DeploymentCauseDetails (apps.gen.go; not in the OpenAPI schema): `type`, plus
 * `digitalocean_user_action {name}` for what a user did, or `autoscaler {autoscaled, scaled_components}`
 * for an AUTOSCALED one. What DigitalOcean puts in a MAINTENANCE or trusted-sources one beyond `type` is not
 * published: the simulator sends only the type.
 */
function causeDetails(d: DeploymentState): Record<string, unknown> {
  if (d.userAction) return { type: d.causeType, digitalocean_user_action: { name: d.userAction } };
  if (d.causeType === 'AUTOSCALED') {
    const scaled: Record<string, unknown> = {};
    for (const c of componentsOf(d.spec).filter(x => x.kind === 'service')) {
      const n = typeof c.spec.instance_count === 'number' ? c.spec.instance_count : 1;
      scaled[c.name] = { from: n, to: n + 1, triggering_metric: 'cpu' };
    }
    return { type: d.causeType, autoscaler: { autoscaled: true, scaled_components: scaled } };
  }
  return { type: d.causeType };
}

export interface ViewOptions {
  /** `tier_slug` of apps and deployments. */
  tier: string;
  /**
   * `latest` (default): the most recent non-canceled deployment, as godo PR #601 describes GetApp/ListApps
   * ("set to the most recent non-cancelled deployment if one exists"). `in-progress`: the simulator's old
   * habit, pending_deployment only while one is in progress.
   */
  pendingDeployment: 'in-progress' | 'latest';
}

const DEFAULT_VIEW: ViewOptions = { tier: 'basic', pendingDeployment: 'latest' };

export function deploymentView(
  d: DeploymentState,
  opts: ViewOptions = DEFAULT_VIEW
): Record<string, unknown> {
  const comps = componentsOf(d.spec);
  const list = (kind: string) =>
    comps
      .filter(c => c.kind === kind)
      .map(c => {
        const image = c.spec.image as { digest?: string; tag?: string } | undefined;
        return { name: c.name, source_commit_hash: image?.digest ?? image?.tag ?? '' };
      });
  const steps = structuredClone(d.steps);
  const view: Record<string, unknown> = {
    id: d.id,
    spec: structuredClone(d.spec),
    services: list('service'),
    workers: list('worker'),
    jobs: list('job'),
    static_sites: list('static_site'),
    phase: d.phase,
    phase_last_updated_at: d.phaseUpdatedAt,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    cause: d.cause,
    progress: {
      ...countSteps(d.steps),
      steps,
      summary_steps: steps.map(s => ({ ...s, steps: undefined }))
    },
    tier_slug: opts.tier,
    // godo fields the OpenAPI schema omits (gap 5 in the reference)
    cause_details: causeDetails(d)
  };
  if (d.clonedFrom) view.cloned_from = d.clonedFrom;
  if (d.previousDeploymentId) view.previous_deployment_id = d.previousDeploymentId;
  return JSON.parse(JSON.stringify(view)) as Record<string, unknown>;
}

export function appView(app: AppState, opts: ViewOptions = DEFAULT_VIEW): Record<string, unknown> {
  const active = app.activeId ? app.deployments.find(d => d.id === app.activeId) : undefined;
  const inProgress = app.deployments.find(d => !TERMINAL_PHASES.includes(d.phase));
  const pinned = app.pinnedId ? app.deployments.find(d => d.id === app.pinnedId) : undefined;
  const region = String(app.spec.region ?? 'nyc');
  const view: Record<string, unknown> = {
    id: app.id,
    owner_uuid: OWNER_UUID,
    spec: structuredClone(app.spec),
    default_ingress: app.proxy.url,
    created_at: app.createdAt,
    updated_at: app.updatedAt,
    region: { slug: region, ...(REGIONS[region] ?? REGIONS.nyc) },
    tier_slug: opts.tier,
    project_id: app.projectId
  };
  // Like App Platform, an app has a live URL only once a deployment went live.
  if (active) {
    view.live_url = app.proxy.url;
    view.live_url_base = app.proxy.url;
    view.live_domain = `127.0.0.1:${app.proxy.port}`;
    view.active_deployment = deploymentView(active, opts);
  }
  if (app.deployments[0]) view.last_deployment_created_at = app.deployments[0].createdAt;
  if (app.lastDeploymentActiveAt) view.last_deployment_active_at = app.lastDeploymentActiveAt;
  if (inProgress) view.in_progress_deployment = deploymentView(inProgress, opts);
  const pending =
    opts.pendingDeployment === 'latest' ? app.deployments.find(d => d.phase !== 'CANCELED') : inProgress;
  if (pending) view.pending_deployment = deploymentView(pending, opts);
  if (pinned) view.pinned_deployment = deploymentView(pinned, opts);
  return view;
}
