import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DigitalOceanClient } from '../../src/digitalocean/client.js';
import { deploy } from '../../src/digitalocean/deploy.js';
import type { DeployOutputs, DeployRequest } from '../../src/digitalocean/deploy-run.js';
import { explainRollbackRefusal, resolveRollbackTarget, rollBack } from '../../src/digitalocean/rollback.js';
import { parseAppPlatformImage } from '../../src/digitalocean/app-platform-image.js';
import { renderDeploySummary } from '../../src/digitalocean/summary.js';
import { ROLLBACK_REFUSAL_CODES, ROLLBACK_WARNING_CODES } from '../../src/digitalocean/types.js';
import { createMemoryLogger } from '../../src/kit/log.js';
import { loadAppsOpenApi } from '../../test-support/openapi.js';
import { FakePlatform, sampleSpec } from './fake-api.js';

const TOKEN = 'dop_v1_deploytesttoken9876543210';
const D = `sha256:${'c'.repeat(64)}`;
const fake = new FakePlatform();
beforeAll(() => fake.start());
afterAll(() => fake.stop());

/** A virtual clock: sleeping advances time instantly, so timeouts are deterministic. */
function harness() {
  let t = 1_000_000;
  const sleeps: number[] = [];
  const logger = createMemoryLogger();
  const reported: DeployOutputs[] = [];
  const client = new DigitalOceanClient({
    token: TOKEN,
    apiUrl: fake.url,
    logger,
    sleep: async ms => void (t += ms)
  });
  const hooks = {
    logger,
    report: (o: DeployOutputs) => reported.push(o),
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    }
  };
  const req = (r: Partial<DeployRequest>): DeployRequest => ({
    timeoutMs: 600_000,
    pollIntervalMs: 5000,
    printLogs: 'on-failure',
    logDir: mkdtempSync(join(tmpdir(), 'deploy-logs-')),
    env: {},
    ...r
  });
  return { client, hooks, logger, sleeps, reported, req, text: () => logger.lines.join('\n') };
}

const since = (n: number) => fake.requests.slice(n);

beforeEach(() => {
  fake.faults = [];
  fake.nextScript = ['PENDING_BUILD', 'DEPLOYING', 'ACTIVE'];
  fake.nextError = undefined;
  fake.nextLogs = undefined;
});

describe('image deploy', () => {
  test('happy path through a 429 and a 503: PUT keeps the spec, outputs set, one GET per poll', async () => {
    const app = fake.addApp(sampleSpec('happy'));
    const activeBefore = app.activeId;
    const h = harness();
    fake.fail({
      method: 'PUT',
      response: {
        status: 429,
        body: { id: 'too_many_requests', message: 'API rate limit exceeded.' },
        headers: { 'retry-after': '1' }
      }
    });
    fake.fail({
      method: 'GET',
      path: /\/deployments\/[^/]+$/,
      response: { status: 503, body: { id: 'service_unavailable', message: 'busy' } }
    });
    const start = fake.requests.length;
    const outcome = await deploy(
      h.client,
      h.req({ appId: app.id, image: parseAppPlatformImage(`ghcr.io/signupflow/app@${D}`) }),
      h.hooks
    );

    expect(outcome.success).toBe(true);
    expect(JSON.parse(outcome.outputs.app!)).toMatchObject({ id: app.id, live_url: app.live_url });
    expect(outcome.outputs).toEqual({
      app: outcome.outputs.app,
      'app-id': app.id,
      'previous-deployment-id': activeBefore,
      'deployment-id': app.activeId,
      phase: 'ACTIVE',
      'live-url': 'https://happy.ondigitalocean.app'
    });
    // The PUT that got through sent the whole spec back, only services[0].image.digest changed.
    const puts = since(start).filter(r => r.method === 'PUT');
    expect(puts).toHaveLength(2);
    const expected = sampleSpec('happy') as {
      services: { image: { digest: string } }[];
      jobs: { image: { digest: string } }[];
    };
    expected.services[0]!.image.digest = D;
    // The PRE_DEPLOY job runs the same repository: it is pinned too, so migrations run the release.
    expected.jobs[0]!.image.digest = D;
    expect(puts[1]!.body).toEqual({ spec: expected, update_all_source_versions: true });
    expect(JSON.stringify((puts[1]!.body as { spec: unknown }).spec)).toBe(JSON.stringify(expected));
    // One status GET per poll: 3 phases = 3 successful polls (+1 retried 503), two sleeps between them.
    const polls = since(start).filter(r => r.method === 'GET' && /\/deployments\/[^/]+$/.test(r.path));
    expect(polls).toHaveLength(4);
    expect(outcome.wait!.polls).toBe(3);
    expect(h.sleeps).toEqual([5000, 5000]);
    expect(outcome.wait!.phases.map(p => p.phase)).toEqual(['PENDING_BUILD', 'DEPLOYING', 'ACTIVE']);
    expect(h.text()).toMatch(/phase DEPLOYING/);
    expect(h.text()).toMatch(/Deploying service web RUNNING/);
    expect(h.text()).toMatch(/HTTP 429 too_many_requests, retrying/);
    expect(h.text()).toMatch(/HTTP 503 service_unavailable, retrying/);
    expect(h.text()).not.toContain(TOKEN);
    // Outputs were reported as they became known, app-id first.
    expect(Object.keys(h.reported[0]!)).toContain('app-id');
    const summary = renderDeploySummary(outcome);
    expect(summary).toContain('```mermaid');
    expect(summary).toContain(`ghcr.io/signupflow/app@${D}`);
    expect(summary).toMatch(/\| DEPLOYING \| 5\.0s \|/);
  });

  test('ERROR: failing step reason, BUILD/DEPLOY log tails in groups, whole logs in a file', async () => {
    const app = fake.addApp(sampleSpec('broken'));
    fake.nextScript = ['PENDING_BUILD', 'DEPLOYING', 'ERROR'];
    fake.nextError = {
      code: 'HealthChecksFailed',
      message: 'Your deploy failed because the health check at /health failed.'
    };
    const deployLog = Array.from(
      { length: 60 },
      (_, i) => `web 2026-11-25T10:00:${String(i).padStart(2, '0')}Z line ${i}`
    ).join('\n');
    fake.nextLogs = { DEPLOY: `${deployLog}\nweb ImportError: no module named app\n` };
    const h = harness();
    const outcome = await deploy(
      h.client,
      h.req({ appId: app.id, image: parseAppPlatformImage(`ghcr.io/signupflow/app@${D}`) }),
      h.hooks
    );
    expect(outcome.success).toBe(false);
    expect(outcome.outputs.phase).toBe('ERROR');
    expect(outcome.outputs['deployment-id']).toBeDefined();
    expect(outcome.failure).toBe(
      `Deployment ${outcome.outputs['deployment-id']} ended in phase ERROR at step "Deploying service web" [HealthChecksFailed]: Your deploy failed because the health check at /health failed.`
    );
    const text = h.text();
    expect(text).toContain('No BUILD logs');
    expect(text).toContain('::group::DEPLOY logs (last 40 of 61 lines)');
    expect(text).toContain('web ImportError: no module named app');
    expect(text).not.toContain('line 20\n');
    expect(outcome.logFile).toBeDefined();
    const file = readFileSync(outcome.logFile!, 'utf8');
    expect(file).toContain('line 0');
    expect(file).toContain('ImportError');
    expect(renderDeploySummary(outcome)).toContain(outcome.logFile!);
    // The app keeps serving the old deployment.
    expect(app.activeId).not.toBe(outcome.outputs['deployment-id']);
  });

  test('timeout cancels the deployment and fails', async () => {
    const app = fake.addApp(sampleSpec('slow'));
    fake.nextScript = ['PENDING_BUILD', ...Array(50).fill('DEPLOYING')];
    const h = harness();
    const start = fake.requests.length;
    const outcome = await deploy(
      h.client,
      h.req({
        appId: app.id,
        image: parseAppPlatformImage(`ghcr.io/signupflow/app@${D}`),
        timeoutMs: 30_000,
        printLogs: 'never'
      }),
      h.hooks
    );
    expect(outcome.success).toBe(false);
    expect(outcome.wait!.timedOut).toBe(true);
    expect(outcome.outputs.phase).toBe('CANCELED');
    expect(outcome.failure).toMatch(/did not finish within 30.0s and was canceled \(phase CANCELED\)/);
    expect(since(start).filter(r => r.path.endsWith('/cancel'))).toHaveLength(1);
    // 30 s at 5 s intervals: polls at 0,5,…,30 s = 7 GETs, never more than one per interval.
    expect(outcome.wait!.polls).toBe(7);
    expect(since(start).filter(r => r.method === 'GET' && /\/deployments\/[^/]+$/.test(r.path))).toHaveLength(
      7
    );
    expect(since(start).some(r => r.path.includes('/logs'))).toBe(false); // print-logs: never
  });

  test('cancelOnTimeout false leaves the deployment running and still fails', async () => {
    const app = fake.addApp(sampleSpec('slow-keep'));
    fake.nextScript = ['PENDING_BUILD', ...Array(50).fill('DEPLOYING')];
    const h = harness();
    const start = fake.requests.length;
    const outcome = await deploy(
      h.client,
      h.req({
        appId: app.id,
        image: parseAppPlatformImage('ghcr.io/signupflow/app:v9'),
        timeoutMs: 10_000,
        cancelOnTimeout: false,
        printLogs: 'never'
      }),
      h.hooks
    );
    expect(outcome.success).toBe(false);
    expect(outcome.failure).toMatch(/did not finish within 10.0s \(phase DEPLOYING\)$/);
    expect(since(start).filter(r => r.path.endsWith('/cancel'))).toEqual([]);
    expect(h.text()).toMatch(/::warning::Deploying by tag 'v9': a rollback to this deployment is not exact/);
  });

  test('a deployment that finishes just as the timeout passes is reported as it ended', async () => {
    const app = fake.addApp(sampleSpec('photo-finish'));
    fake.nextScript = ['PENDING_BUILD', 'DEPLOYING', 'DEPLOYING', 'ACTIVE'];
    fake.fail({
      method: 'POST',
      path: /\/cancel$/,
      response: { status: 400, body: { id: 'bad_request', message: 'deployment is already ACTIVE' } }
    });
    const h = harness();
    const outcome = await deploy(
      h.client,
      h.req({
        appId: app.id,
        image: parseAppPlatformImage(`ghcr.io/signupflow/app@${D}`),
        timeoutMs: 10_000
      }),
      h.hooks
    );
    expect(h.text()).toMatch(
      /Could not cancel deployment .*: POST .*\/cancel failed: HTTP 400 bad_request - deployment is already ACTIVE/
    );
    expect(outcome.success).toBe(true);
    expect(outcome.wait!.timedOut).toBe(false);
    expect(outcome.outputs.phase).toBe('ACTIVE');
  });

  test('a pinned app is refused before any change, saying how to commit or revert', async () => {
    const app = fake.addApp(sampleSpec('pinned'));
    app.pinnedId = app.activeId;
    const h = harness();
    const start = fake.requests.length;
    await expect(
      deploy(
        h.client,
        h.req({ appId: app.id, image: parseAppPlatformImage(`ghcr.io/signupflow/app@${D}`) }),
        h.hooks
      )
    ).rejects.toThrow(
      new RegExp(`pinned to rollback deployment ${app.activeId}.*rollback/commit.*rollback/revert`)
    );
    expect(since(start).filter(r => r.method !== 'GET')).toEqual([]);
  });

  test('unknown component fails naming the input, before any change', async () => {
    const app = fake.addApp(sampleSpec('comp'));
    const h = harness();
    const start = fake.requests.length;
    await expect(
      deploy(
        h.client,
        h.req({
          appId: app.id,
          component: 'api',
          image: parseAppPlatformImage(`ghcr.io/signupflow/app@${D}`)
        }),
        h.hooks
      )
    ).rejects.toThrow(/^Input 'component' 'api' is not a service, worker or job/);
    expect(since(start).filter(r => r.method !== 'GET')).toEqual([]);
  });
});

describe('spec-file deploy', () => {
  const file = (name: string) => ({
    path: '.do/app.yaml',
    text: [
      `name: ${name}`,
      'region: nyc',
      'services:',
      '- name: web',
      '  http_port: 8000',
      '  image: {registry_type: GHCR, registry: signupflow, repository: app, tag: latest, registry_credentials: "${GHCR_CREDENTIALS}"}',
      '  envs:',
      '  - {key: DATABASE_URL, value: "${db.DATABASE_URL}", scope: RUN_TIME}',
      '  - {key: SECRET_KEY, value: "${SECRET_KEY}", type: SECRET}',
      'databases:',
      '- {name: db, engine: PG}'
    ].join('\n')
  });
  const env = { GHCR_CREDENTIALS: 'bot:ghp_x', SECRET_KEY: 's3cr3t-value' };

  test('creates the app when app-name is absent: propose first, then create, then wait', async () => {
    const h = harness();
    const start = fake.requests.length;
    const outcome = await deploy(
      h.client,
      h.req({
        appName: 'fresh-app',
        specFile: file('fresh-app'),
        env,
        image: parseAppPlatformImage(`ghcr.io/signupflow/app@${D}`)
      }),
      h.hooks
    );
    expect(outcome.success).toBe(true);
    expect(outcome.mode).toBe('create');
    const writes = since(start).filter(r => r.method !== 'GET');
    expect(writes.map(r => `${r.method} ${r.path}`)).toEqual(['POST /v2/apps/propose', 'POST /v2/apps']);
    const sent = (writes[1]!.body as { spec: { services: { image: unknown; envs: unknown }[] } }).spec;
    expect(sent.services[0]!.image).toEqual({
      registry_type: 'GHCR',
      registry: 'signupflow',
      repository: 'app',
      digest: D,
      registry_credentials: 'bot:ghp_x'
    });
    expect(sent.services[0]!.envs).toEqual([
      { key: 'DATABASE_URL', value: '${db.DATABASE_URL}', scope: 'RUN_TIME' },
      { key: 'SECRET_KEY', value: 's3cr3t-value', type: 'SECRET' }
    ]);
    expect(outcome.outputs['app-id']).toBe(
      [...fake.apps.values()].find(a => a.spec.name === 'fresh-app')!.id
    );
    expect(outcome.outputs['previous-deployment-id']).toBeUndefined();
  });

  test('updates the app found by name: propose with app_id, then PUT', async () => {
    const app = fake.addApp(sampleSpec('existing-app'));
    const h = harness();
    const start = fake.requests.length;
    const outcome = await deploy(
      h.client,
      h.req({ appName: 'existing-app', specFile: file('existing-app'), env }),
      h.hooks
    );
    expect(outcome.success).toBe(true);
    expect(outcome.mode).toBe('spec-update');
    const writes = since(start).filter(r => r.method !== 'GET');
    expect(writes.map(r => `${r.method} ${r.path}`)).toEqual([
      'POST /v2/apps/propose',
      `PUT /v2/apps/${app.id}`
    ]);
    expect((writes[0]!.body as { app_id: string }).app_id).toBe(app.id);
    expect(app.spec.services).toEqual((writes[1]!.body as { spec: { services: unknown } }).spec.services);
  });

  test('an invalid spec file fails naming app-spec and the field, before any write', async () => {
    const h = harness();
    const bad = {
      path: '.do/app.yaml',
      text: 'name: Bad Name\nservices:\n- name: web\n  instance_count: 0\n'
    };
    await expect(deploy(h.client, h.req({ appName: 'whatever', specFile: bad }), h.hooks)).rejects.toThrow(
      /^Input 'app-spec' \(\.do\/app\.yaml\) is invalid: name .*; services\[0\]\.instance_count must be a whole number/
    );
  });
});

describe('manual rollback', () => {
  test('rollback-to previous: validate, rollback, wait ACTIVE, commit', async () => {
    const app = fake.addApp(sampleSpec('rb-prev'), 2);
    const [current, previous] = app.deployments;
    const h = harness();
    const start = fake.requests.length;
    const outcome = await deploy(h.client, h.req({ appId: app.id, rollbackTo: 'previous' }), h.hooks);
    expect(outcome.success).toBe(true);
    expect(outcome.rollback!.targetDeploymentId).toBe(previous!.id);
    expect(outcome.outputs['previous-deployment-id']).toBe(current!.id);
    expect(outcome.outputs['deployment-id']).toBe(app.activeId);
    expect(outcome.rollback!.committed).toBe(true);
    expect(app.pinnedId).toBeUndefined();
    expect(
      since(start)
        .filter(r => r.method === 'POST')
        .map(r => r.path.replace(app.id, 'APP'))
    ).toEqual(['/v2/apps/APP/rollback/validate', '/v2/apps/APP/rollback', '/v2/apps/APP/rollback/commit']);
    expect(since(start).find(r => r.path.endsWith('/rollback'))!.body).toEqual({
      deployment_id: previous!.id,
      skip_pin: false
    });
  });

  test('rollback-to an id, with a beforeCommit hook and commit: false leaving the app pinned', async () => {
    const app = fake.addApp(sampleSpec('rb-id'), 3);
    const target = app.deployments[3]!;
    const h = harness();
    const resolved = await resolveRollbackTarget(h.client, app.id, target.id);
    expect(resolved.deploymentId).toBe(target.id);
    const order: string[] = [];
    const result = await rollBack(h.client, app.id, resolved.deploymentId, {
      pollIntervalMs: 1000,
      timeoutMs: 60_000,
      logger: h.logger,
      sleep: h.hooks.sleep,
      // The hook runs once the rollback deployment (the newest) serves traffic, before any commit.
      beforeCommit: async () =>
        void order.push(
          `hook: active=${app.activeId === app.deployments[0]!.id} pinned=${Boolean(app.pinnedId)}`
        ),
      commit: false
    });
    expect(order).toEqual(['hook: active=true pinned=true']);
    if (result.refused) throw new Error(result.failure);
    expect(result.failure).toBeUndefined();
    expect(result.phase).toBe('ACTIVE');
    expect(result.committed).toBe(false);
    expect(app.pinnedId).toBe(result.rollbackDeploymentId);
    app.pinnedId = undefined;
  });

  test('a refused rollback explains the code in one line', async () => {
    const app = fake.addApp(sampleSpec('rb-refused'));
    app.pinnedId = app.activeId;
    const h = harness();
    const refusal = await rollBack(h.client, app.id, app.deployments[1]!.id, {
      pollIntervalMs: 1,
      timeoutMs: 10,
      logger: h.logger
    });
    expect(refusal.refused).toBe(true);
    expect(refusal.failure).toMatch(
      /refused \(app_pinned\): a rollback is already in progress.*commit.*revert.*App Platform says: app is pinned/
    );
    expect(refusal.failure).not.toContain('\n');
  });

  test('previous when there is no earlier deployment fails clearly', async () => {
    const app = fake.addApp(sampleSpec('rb-none'), 0);
    const h = harness();
    await expect(resolveRollbackTarget(h.client, app.id, 'previous')).rejects.toThrow(
      /has no earlier deployment of another release that served traffic to roll back to/
    );
  });

  test('every rollback condition code apps.json documents has its own explanation', () => {
    const openapi = loadAppsOpenApi<any>(); // eslint-disable-line @typescript-eslint/no-explicit-any
    const schema =
      openapi.paths['/v2/apps/{app_id}/rollback/validate'].post.responses['200'].content['application/json']
        .schema;
    const documented: string[] = schema.properties.error.allOf[1].properties.code.enum;
    expect([...ROLLBACK_REFUSAL_CODES, ...ROLLBACK_WARNING_CODES].sort()).toEqual([...documented].sort());
    const lines = documented.map(c => explainRollbackRefusal(c));
    expect(new Set(lines).size).toBe(lines.length);
    for (const l of lines) expect(l).not.toMatch(/refused the rollback/);
    expect(explainRollbackRefusal('something_new')).toBe('App Platform refused the rollback (something_new)');
  });
});
