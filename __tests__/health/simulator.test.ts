import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from 'undici';
import { DigitalOceanClient } from '../../src/digitalocean/client.js';
import { createMemoryLogger } from '../../src/kit/log.js';
import { startAppPlatformSimulator, type Simulator } from '../../test-support/app-platform-sim/index.js';
import { sharedPostgres } from '../../test-support/shared.js';
import { explain, runHealthGate } from './helpers/run-action.js';

/**
 * The health gate as a process (dist/health-gate) against the App Platform simulator, which runs the
 * example FastAPI app per deployment behind a stable live URL. Releases are real app processes; the
 * "broken" release uses the app's CHAOS_DB_FAIL_AFTER_SECONDS hook so its database check turns to 503.
 */
let sim: Simulator;
let client: DigitalOceanClient;
let n = 0;

beforeAll(async () => {
  const pg = await sharedPostgres();
  sim = await startAppPlatformSimulator({
    appEnv: { DATABASE_URL: pg.url },
    phaseDelayMs: 50,
    stopGraceMs: 2000
  });
  client = new DigitalOceanClient({ token: sim.token, apiUrl: sim.url, logger: createMemoryLogger() });
}, 120_000);

afterAll(async () => {
  await sim?.stop();
});

function spec(name: string, version: string, extraEnvs: { key: string; value: string }[] = []) {
  return {
    name,
    region: 'nyc',
    services: [
      {
        name: 'web',
        github: { repo: 'acme/signupflow', branch: 'main', deploy_on_push: false },
        http_port: 8000,
        health_check: { http_path: '/health', period_seconds: 1, timeout_seconds: 2, failure_threshold: 50 },
        envs: [{ key: 'APP_VERSION', value: version }, ...extraEnvs]
      }
    ]
  };
}

interface Release {
  appId: string;
  healthUrl: string;
  previousDeploymentId: string;
  releaseDeploymentId: string;
  releasePhase: string;
}

/** Seeds an app at v1, then deploys `version` (optionally with extra envs) and waits until it has settled. */
async function release(version: string, extraEnvs: { key: string; value: string }[] = []): Promise<Release> {
  const name = `hg-${++n}-${Date.now().toString(36)}`;
  const seeded = (await sim.seedApp(spec(name, 'v1'))) as {
    id: string;
    live_url: string;
    active_deployment: { id: string };
  };
  await client.updateApp(seeded.id, spec(name, version, extraEnvs));
  await sim.settle(seeded.id);
  const [latest] = await client.listDeployments(seeded.id);
  return {
    appId: seeded.id,
    healthUrl: `${seeded.live_url}/health`,
    previousDeploymentId: seeded.active_deployment.id,
    releaseDeploymentId: latest!.id,
    releasePhase: latest!.phase ?? ''
  };
}

const rollbackCalls = (appId: string) =>
  sim.requests
    .filter(r => r.path.startsWith(`/v2/apps/${appId}/rollback`))
    .map(r => `${r.method} ${r.path.slice(`/v2/apps/${appId}`.length)}`);

async function liveHealth(
  url: string
): Promise<{ status: number; body: { status?: string; version?: string } }> {
  const res = await request(url);
  return { status: res.statusCode, body: (await res.body.json()) as { status?: string; version?: string } };
}

const fast = {
  interval: '0.25s',
  'request-timeout': '5s',
  'success-threshold': '3',
  'failure-threshold': '3'
};

describe('health-gate against the App Platform simulator', () => {
  it('passes a healthy release and calls no rollback endpoint', async () => {
    const r = await release('v2');
    const run = await runHealthGate({
      ...fast,
      url: r.healthUrl,
      'expected-version': 'v2',
      window: '2s',
      token: sim.token,
      'app-id': r.appId,
      'api-url': sim.url
    });
    await explain(run, async () => {
      expect(run.code).toBe(0);
      expect(run.outputs).toMatchObject({
        healthy: 'true',
        'rolled-back': 'false',
        checks: '9',
        failures: '0',
        'rollback-deployment-id': ''
      });
      expect(Number(run.outputs['p95-latency-ms'])).toBeGreaterThanOrEqual(0);
      expect(run.stdout.match(/^probe #\d+ .* HTTP 200 .* ok {2}version v2$/gm)).toHaveLength(9);
      expect(rollbackCalls(r.appId)).toEqual([]);
      expect(run.summary).toContain('✅ Health gate passed');
    });
  });

  it('rolls a release whose database check turns to 503 back to the previous deployment, which is healthy', async () => {
    const r = await release('v2', [{ key: 'CHAOS_DB_FAIL_AFTER_SECONDS', value: '4' }]);
    const run = await runHealthGate({
      ...fast,
      url: r.healthUrl,
      'expected-version': 'v2',
      interval: '0.5s',
      window: '30s',
      token: sim.token,
      'app-id': r.appId,
      'api-url': sim.url
    });
    await explain(run, async () => {
      expect(run.code).toBe(1);
      expect(run.outputs).toMatchObject({ healthy: 'false', 'rolled-back': 'true', outage: 'false' });
      expect(run.stdout).toMatch(/probe #\d+ .* HTTP 503 .* FAIL {2}HTTP 503; check database: error: chaos/);
      expect(run.stdout).toContain(
        '::error::Health gate failed: 3 consecutive failed probes (failure-threshold 3)'
      );
      expect(Number(run.outputs.failures)).toBe(3);
      expect(rollbackCalls(r.appId)).toEqual([
        'POST /rollback/validate',
        'POST /rollback',
        'POST /rollback/commit'
      ]);
      const create = sim.requests.find(
        q => q.method === 'POST' && q.path === `/v2/apps/${r.appId}/rollback`
      )!;
      expect(create.body).toMatchObject({ deployment_id: r.previousDeploymentId });
      const rollbackId = run.outputs['rollback-deployment-id'];
      expect(rollbackId).toBe((create.response as { deployment: { id: string } }).deployment.id);
      expect(run.stdout).toContain(
        `::error::The release failed the health gate (3 consecutive failed probes`
      );
      expect(run.stdout).toContain(
        `rolled back to deployment ${r.previousDeploymentId} (rollback deployment ${rollbackId})`
      );

      // The previous release serves again, committed (the app is no longer pinned).
      const app = await client.getApp(r.appId);
      expect(app.active_deployment?.id).toBe(rollbackId);
      expect((app as { pinned_deployment?: unknown }).pinned_deployment).toBeUndefined();
      expect(await liveHealth(r.healthUrl)).toMatchObject({
        status: 200,
        body: { status: 'healthy', version: 'v1' }
      });
      expect(run.summary).toContain('↩️ Health gate failed: release rolled back');
      expect(run.summary).toContain('section Rollback');
      expect(run.summary).toContain('### Restored version');
    });
  });

  it('calls it an outage, naming the rollback deployment, when the rollback deployment fails', async () => {
    const r = await release('v2');
    // The next deployment created is the rollback one: it fails at its "wait" step (readiness).
    sim.faults.failDeploymentAtStep('wait');
    const run = await runHealthGate({
      ...fast,
      url: r.healthUrl,
      'expected-version': 'v3',
      window: '2s',
      token: sim.token,
      'app-id': r.appId,
      'api-url': sim.url
    });
    await explain(run, async () => {
      expect(run.code).toBe(1);
      const create = sim.requests.find(
        q => q.method === 'POST' && q.path === `/v2/apps/${r.appId}/rollback`
      )!;
      const rollbackId = (create.response as { deployment: { id: string } }).deployment.id;
      expect(run.outputs).toMatchObject({
        healthy: 'false',
        'rolled-back': 'false',
        'rollback-deployment-id': rollbackId,
        outage: 'true'
      });
      expect(run.stdout).toContain(
        `::error::OUTAGE: the rollback failed: Rollback deployment ${rollbackId} ended in phase ERROR`
      );
      expect(rollbackCalls(r.appId)).toEqual(['POST /rollback/validate', 'POST /rollback']);
      expect(run.summary).toContain('🚨 OUTAGE');
      // The unhealthy release still serves: that is why it is an outage.
      expect(await liveHealth(r.healthUrl)).toMatchObject({ status: 200, body: { version: 'v2' } });
    });
  });

  it('fails a release that reports the wrong version', async () => {
    const r = await release('v2');
    const run = await runHealthGate({
      ...fast,
      url: r.healthUrl,
      'expected-version': 'v3',
      window: '2s',
      rollback: 'false'
    });
    await explain(run, async () => {
      expect(run.code).toBe(1);
      expect(run.outputs).toMatchObject({
        healthy: 'false',
        'rolled-back': 'false',
        checks: '3',
        failures: '3'
      });
      expect(run.stdout).toContain(
        "::error::The release failed the health gate: 3 consecutive failed probes (failure-threshold 3); last: version is 'v2', expected 'v3'"
      );
      expect(rollbackCalls(r.appId)).toEqual([]);
    });
  });

  it('reports a rollback target App Platform refuses, with its reason, as an outage', async () => {
    // With the chaos hook at 0 s the release never gets ready: its deployment fails (ERROR) and v1 keeps serving.
    const r = await release('v2', [{ key: 'CHAOS_DB_FAIL_AFTER_SECONDS', value: '0' }]);
    expect(r.releasePhase).toBe('ERROR');
    const run = await runHealthGate({
      ...fast,
      url: r.healthUrl,
      'expected-version': 'v2',
      window: '2s',
      token: sim.token,
      'app-id': r.appId,
      'api-url': sim.url,
      'rollback-to': r.releaseDeploymentId
    });
    await explain(run, async () => {
      expect(run.code).toBe(1);
      expect(run.outputs).toMatchObject({
        healthy: 'false',
        'rolled-back': 'false',
        'rollback-deployment-id': ''
      });
      expect(run.stdout).toContain(
        `::error::OUTAGE: the rollback failed: Rollback to deployment ${r.releaseDeploymentId} refused (incompatible_result): ` +
          'the target deployment did not succeed (failed or canceled), so it cannot be rolled back to - ' +
          'App Platform says: deployment result "failed" is unsuitable for rollback'
      );
      expect(rollbackCalls(r.appId)).toEqual(['POST /rollback/validate']);
      expect(run.summary).toContain('🚨 OUTAGE');
      expect(run.summary).toContain('[!CAUTION]');
    });
  });
});
