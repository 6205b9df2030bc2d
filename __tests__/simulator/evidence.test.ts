// The simulator against the published evidence (issue 14 item 5; sources in test-support/app-platform-sim/README.md
// "Evidence"): image vs source phase paths, platform-created deployments, the hourly limit's 429, live vs
// historic log URLs and redirecting archives, pending_deployment per godo PR #601, per-tier revision limits.
// Every response is also checked against the OpenAPI schemas at the end.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startAppPlatformSimulator, type Simulator } from '../../test-support/app-platform-sim/index.js';
import { api, appSpec, health, startHarness, waitForDeployment, type Harness } from './harness.js';
import { contractViolations } from './contract.js';

let h: Harness;
let strict: Simulator;
let starter: Simulator;

beforeAll(async () => {
  // h keeps the simulator's old habits, opted into (both log URLs, pending_deployment only while in progress);
  // strict runs on the defaults, which are the documented behaviours: live-or-historic log URLs and
  // pending_deployment as the latest non-canceled deployment.
  h = await startHarness(
    { v1: {}, v2: {} },
    { phaseDelayMs: 50, logUrls: 'both', pendingDeployment: 'in-progress' }
  );
  strict = await startAppPlatformSimulator({
    appEnv: { DATABASE_URL: h.databaseUrl },
    phaseDelayMs: 50,
    stopGraceMs: 5000,
    rateLimit: { perMinute: 100_000, perHour: 1_000_000 }
  });
  starter = await startAppPlatformSimulator({
    appEnv: { DATABASE_URL: h.databaseUrl },
    phaseDelayMs: 10,
    stopGraceMs: 5000,
    tier: 'starter',
    rateLimit: { perMinute: 100_000, perHour: 1_000_000 }
  });
}, 300_000);

afterAll(async () => {
  await Promise.all([h?.close(), strict?.stop(), starter?.stop()]);
});

/** A GitHub-source spec: the simulator "builds" it and runs the example app from source. */
const sourceSpec = (name: string, version: string) => ({
  name,
  region: 'nyc',
  services: [
    {
      name: 'web',
      github: { repo: 'acme/signupflow', branch: 'main', deploy_on_push: false },
      http_port: 8000,
      instance_count: 1,
      health_check: { http_path: '/health', period_seconds: 10 },
      envs: [{ key: 'APP_VERSION', value: version, scope: 'RUN_TIME' }]
    }
  ]
});

describe('phase paths (app_action #123; OpenAPI phase enum)', () => {
  test('an image-only deployment goes PENDING_BUILD → DEPLOYING → ACTIVE, its build steps PreBuiltImage', async () => {
    const app = await h.sim.seedApp(appSpec('phases-image', h.images.v1!.source));
    h.sim.faults.slowPhases(400);
    try {
      const put = await api(h.sim, 'PUT', `/v2/apps/${app.id as string}`, {
        spec: appSpec('phases-image', h.images.v2!.source)
      });
      const { phases, deployment } = await waitForDeployment(
        h.sim,
        app.id as string,
        put.body.app.pending_deployment.id
      );
      expect(phases).toEqual(['PENDING_BUILD', 'DEPLOYING', 'ACTIVE']);
      expect(deployment.progress.steps[0].steps[1].steps[0].reason.code).toBe('PreBuiltImage');
    } finally {
      h.sim.faults.slowPhases(50);
    }
  });

  test('a source deployment walks BUILDING and PENDING_DEPLOY too', async () => {
    h.sim.faults.slowPhases(400);
    try {
      const created = await api(h.sim, 'POST', '/v2/apps', { spec: sourceSpec('phases-source', 's1') });
      expect(created.status).toBe(200);
      const { phases } = await waitForDeployment(
        h.sim,
        created.body.app.id,
        created.body.app.pending_deployment.id
      );
      expect(phases).toEqual(['PENDING_BUILD', 'BUILDING', 'PENDING_DEPLOY', 'DEPLOYING', 'ACTIVE']);
    } finally {
      h.sim.faults.slowPhases(50);
    }
  });
});

describe('platform-created deployments (godo DeploymentCauseDetailsType)', () => {
  test('AUTOSCALED right after ours goes ACTIVE: no user action, autoscaler details; ours SUPERSEDED', async () => {
    const app = await h.sim.seedApp(appSpec('platform-auto', h.images.v1!.source));
    const id = app.id as string;
    h.sim.faults.platformDeploymentAfterNextActive('AUTOSCALED');
    const put = await api(h.sim, 'PUT', `/v2/apps/${id}`, {
      spec: appSpec('platform-auto', h.images.v2!.source)
    });
    const ours = put.body.app.pending_deployment.id as string;
    await waitForDeployment(h.sim, id, ours);
    await h.sim.settle(id);
    const list = (await api(h.sim, 'GET', `/v2/apps/${id}/deployments`)).body.deployments;
    expect(list.map((d: { phase: string }) => d.phase)).toEqual(['ACTIVE', 'SUPERSEDED', 'SUPERSEDED']);
    expect(list[1].id).toBe(ours);
    expect(list[1].cause_details).toEqual({
      type: 'MANUAL',
      digitalocean_user_action: { name: 'UPDATE_SPEC' }
    });
    expect(list[0].cause_details).toEqual({
      type: 'AUTOSCALED',
      autoscaler: {
        autoscaled: true,
        scaled_components: { web: { from: 2, to: 3, triggering_metric: 'cpu' } }
      }
    });
    // The same release again: spec and image digest equal to ours.
    expect(list[0].spec).toEqual(list[1].spec);
    expect(list[0].services).toEqual(list[1].services);
    expect(await health(app.live_url as string)).toEqual({ status: 200, version: 'v2' });
  });

  test('MAINTENANCE on demand: only its type in cause_details', async () => {
    const app = await h.sim.seedApp(appSpec('platform-maint', h.images.v1!.source));
    const dep = h.sim.platformDeploy(app.id as string, 'MAINTENANCE');
    const { deployment } = await waitForDeployment(h.sim, app.id as string, dep);
    expect(deployment.phase).toBe('ACTIVE');
    expect(deployment.cause_details).toEqual({ type: 'MAINTENANCE' });
  });
});

describe('rate limits (OpenAPI headers; release note 2023-08-24)', () => {
  let limited: Simulator;
  beforeAll(async () => {
    limited = await startAppPlatformSimulator({
      phaseDelayMs: 10,
      rateLimit: { perMinute: 1000, perHour: 3 }
    });
  });
  afterAll(() => limited?.stop());

  test('the hourly limit answers 429 without retry-after; ratelimit-reset is when the oldest request expires', async () => {
    const first = await api(limited, 'GET', '/v2/apps');
    const resetAt = Number(first.headers.get('ratelimit-reset'));
    await api(limited, 'GET', '/v2/apps');
    await api(limited, 'GET', '/v2/apps');
    const over = await api(limited, 'GET', '/v2/apps');
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ id: 'too_many_requests', message: 'API rate limit exceeded.' });
    expect(over.headers.get('retry-after')).toBeNull();
    expect(over.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(over.headers.get('ratelimit-reset'))).toBe(resetAt);
  });

  test('hourlyLimitNext: the same 429 with a reset the test chooses, then normal again', async () => {
    h.sim.faults.hourlyLimitNext(1, 5);
    const r = await api(h.sim, 'GET', '/v2/apps');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBeNull();
    const reset = Number(r.headers.get('ratelimit-reset'));
    expect(reset - Date.now() / 1000).toBeGreaterThan(3);
    expect(reset - Date.now() / 1000).toBeLessThanOrEqual(6);
    expect((await api(h.sim, 'GET', '/v2/apps')).status).toBe(200);
  });
});

describe('log URLs (OpenAPI "either real-time … or archived"; godo/doctl fixtures)', () => {
  test('live_url alone while ACTIVE, historic_urls alone once superseded; archives may redirect', async () => {
    const app = await strict.seedApp(sourceSpec('logs-strict', 'l1'));
    const id = app.id as string;
    const first = (app.active_deployment as { id: string }).id;
    const live = await api(strict, 'GET', `/v2/apps/${id}/deployments/${first}/logs?type=DEPLOY`);
    expect(Object.keys(live.body)).toEqual(['live_url']);
    expect(live.body.live_url).toMatch(/^ws:\/\//);

    const put = await api(strict, 'PUT', `/v2/apps/${id}`, { spec: sourceSpec('logs-strict', 'l2') });
    await waitForDeployment(strict, id, put.body.app.pending_deployment.id);
    const over = await api(strict, 'GET', `/v2/apps/${id}/deployments/${first}/logs?type=DEPLOY`);
    expect(Object.keys(over.body)).toEqual(['historic_urls']);
    const direct = await (await fetch(over.body.historic_urls[0])).text();
    expect(direct).toContain('Component is ready');

    strict.faults.redirectLogArchives();
    try {
      const moved = await api(strict, 'GET', `/v2/apps/${id}/deployments/${first}/logs?type=DEPLOY`);
      const hop = await fetch(moved.body.historic_urls[0], { redirect: 'manual' });
      expect(hop.status).toBe(302);
      expect(hop.headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sim-logs\//);
      // The same archive (the old process may still be logging its shutdown: compare the start).
      const followed = await (await fetch(moved.body.historic_urls[0])).text();
      expect(followed).toContain(`Traffic switched to deployment ${first}`);
      expect(followed.startsWith(direct.split('\n').slice(0, 5).join('\n'))).toBe(true);
    } finally {
      strict.faults.redirectLogArchives(false);
    }
  });
});

describe('pending_deployment on GET (godo PR #601)', () => {
  test('latest: the most recent non-canceled deployment, also after it went ACTIVE', async () => {
    const app = await strict.seedApp(sourceSpec('pending-latest', 'p1'));
    const id = app.id as string;
    const active = (app.active_deployment as { id: string }).id;
    expect((app.pending_deployment as { id: string }).id).toBe(active);
    // A deployment canceled at once is skipped: pending_deployment stays the last one that was not.
    strict.faults.slowPhases(5000);
    try {
      const started = await api(strict, 'POST', `/v2/apps/${id}/deployments`, {});
      await api(strict, 'POST', `/v2/apps/${id}/deployments/${started.body.deployment.id}/cancel`);
    } finally {
      strict.faults.slowPhases(50);
    }
    const got = (await api(strict, 'GET', `/v2/apps/${id}`)).body.app;
    expect(got.pending_deployment.id).toBe(active);
    expect(got.in_progress_deployment).toBeUndefined();
  });

  test('opt-in old habit (in-progress): none once nothing is in progress', async () => {
    const app = await h.sim.seedApp(appSpec('pending-old-habit', h.images.v1!.source));
    expect(app.pending_deployment).toBeUndefined();
    // and its log URLs opt-in (both): live_url and historic_urls together for the ACTIVE deployment
    const dep = (app.active_deployment as { id: string }).id;
    const logs = await api(h.sim, 'GET', `/v2/apps/${app.id as string}/deployments/${dep}/logs?type=DEPLOY`);
    expect(Object.keys(logs.body).sort()).toEqual(['historic_urls', 'live_url']);
  });
});

describe('rollback revision limits per tier (OpenAPI apps_validate_rollback example)', () => {
  test('starter keeps no revision: rolling back to the previous deployment exceeds the limit of 0', async () => {
    const app = await starter.seedApp(sourceSpec('tier-starter', 't1'));
    const id = app.id as string;
    const first = (app.active_deployment as { id: string }).id;
    expect(app.tier_slug).toBe('starter');
    const put = await api(starter, 'PUT', `/v2/apps/${id}`, { spec: sourceSpec('tier-starter', 't2') });
    await waitForDeployment(starter, id, put.body.app.pending_deployment.id);
    const v = await api(starter, 'POST', `/v2/apps/${id}/rollback/validate`, { deployment_id: first });
    expect(v.body).toEqual({
      valid: false,
      error: {
        code: 'exceeded_revision_limit',
        message:
          'the deployment is past the maximum historical revision limit of 0 for the "starter" app tier'
      }
    });
  });

  test('basic (assumed 10): the same rollback is valid', async () => {
    const app = await h.sim.seedApp(sourceSpec('tier-basic', 'b1'));
    const id = app.id as string;
    const first = (app.active_deployment as { id: string }).id;
    const put = await api(h.sim, 'PUT', `/v2/apps/${id}`, { spec: sourceSpec('tier-basic', 'b2') });
    await waitForDeployment(h.sim, id, put.body.app.pending_deployment.id);
    const v = await api(h.sim, 'POST', `/v2/apps/${id}/rollback/validate`, { deployment_id: first });
    expect(v.body).toEqual({ valid: true });
  });
});

test('every response in this file validates against apps.json', () => {
  const all = [...h.sim.requests, ...strict.requests, ...starter.requests];
  expect(all.length).toBeGreaterThan(30);
  expect(contractViolations(all)).toEqual([]);
});
