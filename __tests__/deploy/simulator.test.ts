/**
 * deploy-app-platform against the App Platform simulator (test-support/app-platform-sim) on the real local
 * stack: images built with buildah and pushed to the local registry, the example FastAPI app started per
 * deployment, /health answering the deployed version. Runs the bundle as a process where the runner would.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DigitalOceanClient } from '../../src/digitalocean/client.js';
import { deploy } from '../../src/digitalocean/deploy.js';
import type { DeployRequest } from '../../src/digitalocean/deploy-run.js';
import { rollBack } from '../../src/digitalocean/rollback.js';
import { parseAppPlatformImage } from '../../src/digitalocean/app-platform-image.js';
import { createMemoryLogger } from '../../src/kit/log.js';
import { appSpec, health, startHarness, type Harness } from '../simulator/harness.js';
import { requestProblems } from '../digitalocean/request-contract.js';

let h: Harness;
let appId = '';
let liveUrl = '';
const deployments: Record<string, string> = {};
const ref = (version: string) => `ghcr.io/acme/signupflow@${h.images[version]!.digest}`;

beforeAll(async () => {
  h = await startHarness({ v1: {}, v2: {}, v3: {}, v4: {} }, { phaseDelayMs: 100 });
  const app = await h.sim.seedApp(appSpec('signupflow', h.images.v1!.source));
  appId = app.id as string;
  liveUrl = app.live_url as string;
  deployments.v1 = (app.active_deployment as { id: string }).id;
}, 300_000);
afterAll(() => h?.close());

async function runDist(inputs: Record<string, string>, extraEnv: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-sim-'));
  const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STEP_SUMMARY: join(dir, 'summary') };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    RUNNER_TEMP: dir,
    ...files,
    ...extraEnv
  };
  const all = {
    token: h.sim.token,
    'api-url': h.sim.url,
    'poll-interval': '250ms',
    timeout: '2m',
    ...inputs
  };
  for (const [k, v] of Object.entries(all)) env[`INPUT_${k.toUpperCase()}`] = v;
  const child = spawn(process.execPath, ['dist/deploy-app-platform/index.js'], { env });
  let stdout = '';
  child.stdout.on('data', d => (stdout += d));
  child.stderr.on('data', d => (stdout += d));
  const status = await new Promise<number | null>(resolve => child.on('close', resolve));
  const outputs: Record<string, string> = {};
  for (const m of readFileSync(files.GITHUB_OUTPUT, 'utf8').matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm))
    outputs[m[1]!] = m[3]!;
  return { status, stdout, outputs, summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8') };
}

function inProcess() {
  const logger = createMemoryLogger();
  const client = new DigitalOceanClient({ token: h.sim.token, apiUrl: h.sim.url, logger });
  const req = (r: Partial<DeployRequest>): DeployRequest => ({
    timeoutMs: 120_000,
    pollIntervalMs: 250,
    printLogs: 'on-failure',
    logDir: mkdtempSync(join(tmpdir(), 'deploy-sim-logs-')),
    env: {},
    ...r
  });
  return { client, logger, req, hooks: { logger, report: () => {} } };
}

const apiRequests = (from: number) => h.sim.requests.slice(from).filter(r => r.path.startsWith('/v2/'));

describe('image deploys', () => {
  test('dist: happy path through a 429 and a 503; the PUT keeps every other field, secrets as they came', async () => {
    const before = h.sim.app(appId) as { spec: { services: { envs: { key: string; value: string }[] }[] } };
    const secret = before.spec.services[0]!.envs.find(e => e.key === 'SECRET_KEY')!.value;
    expect(secret).toMatch(/^EV\[1:/);
    const from = h.sim.requests.length;
    h.sim.faults.rateLimitNext(1, 1);
    h.sim.faults.failNext(1, 503);
    const r = await runDist({ 'app-id': appId, image: ref('v2') });
    expect(r.stdout).not.toMatch(/::error::/);
    expect(r.status).toBe(0);
    deployments.v2 = r.outputs['deployment-id']!;
    expect(r.outputs).toMatchObject({
      'app-id': appId,
      'previous-deployment-id': deployments.v1,
      phase: 'ACTIVE',
      'live-url': liveUrl
    });
    expect(await health(liveUrl)).toEqual({ status: 200, version: 'v2' });

    const seen = apiRequests(from);
    expect(seen.some(q => q.status === 429)).toBe(true);
    expect(seen.some(q => q.status === 503)).toBe(true);
    const put = seen.find(q => q.method === 'PUT' && q.status === 200)!;
    const expected = structuredClone(before.spec) as unknown as { services: { image: unknown }[] };
    expected.services[0]!.image = h.images.v2!.source;
    expect(put.body).toEqual({ spec: expected, update_all_source_versions: true });
    expect(r.stdout).toContain(`::add-mask::${h.sim.token}`);
    expect(r.stdout.replace(`::add-mask::${h.sim.token}`, '')).not.toContain(h.sim.token.slice(8));
    expect(r.summary).toContain('```mermaid');
  });

  test('one status request per poll, and logs when print-logs is always', async () => {
    const t = inProcess();
    const from = h.sim.requests.length;
    const outcome = await deploy(
      t.client,
      t.req({ appId, image: parseAppPlatformImage(ref('v3')), printLogs: 'always' }),
      t.hooks
    );
    expect(outcome.success).toBe(true);
    deployments.v3 = outcome.outputs['deployment-id']!;
    const polls = apiRequests(from).filter(
      q => q.method === 'GET' && q.path === `/v2/apps/${appId}/deployments/${deployments.v3}`
    );
    expect(polls).toHaveLength(outcome.wait!.polls);
    // The whole deploy: GET app, PUT, the polls, GET app (live URL), then 2 × (logs URL + archive) for BUILD/DEPLOY.
    const all = apiRequests(from);
    expect(all.filter(q => !q.path.includes('/logs'))).toHaveLength(outcome.wait!.polls + 3);
    expect(all.filter(q => q.path.endsWith('/logs'))).toHaveLength(2);
    expect(outcome.wait!.phases.map(p => p.phase)).toEqual(
      ['PENDING_BUILD', 'BUILDING', 'PENDING_DEPLOY', 'DEPLOYING', 'ACTIVE'].filter(p =>
        outcome.wait!.phases.some(x => x.phase === p)
      )
    );
    expect(outcome.wait!.phases.at(-1)!.phase).toBe('ACTIVE');
    expect(readFileSync(outcome.logFile!, 'utf8')).toMatch(/===== DEPLOY logs/);
    expect(await health(liveUrl)).toEqual({ status: 200, version: 'v3' });
  });

  test('ERROR: the failing step reason and the log tail; the previous version keeps serving', async () => {
    const t = inProcess();
    h.sim.faults.failDeploymentAtStep('wait');
    const outcome = await deploy(
      t.client,
      t.req({ appId, image: parseAppPlatformImage(ref('v4')) }),
      t.hooks
    );
    expect(outcome.success).toBe(false);
    expect(outcome.outputs.phase).toBe('ERROR');
    expect(outcome.failure).toMatch(
      new RegExp(`^Deployment ${outcome.outputs['deployment-id']} ended in phase ERROR at step ".*web.*"`)
    );
    expect(outcome.failure).toContain(
      '[DeployHealthChecksFailed]: Your deploy failed because your component did not pass its readiness health checks'
    );
    expect(t.logger.lines.join('\n')).toMatch(/::group::(BUILD|DEPLOY) logs/);
    expect(outcome.logFile).toBeDefined();
    expect(await health(liveUrl)).toEqual({ status: 200, version: 'v3' });
  });

  test('timeout: the deployment is canceled and the step fails; v3 keeps serving', async () => {
    const t = inProcess();
    const from = h.sim.requests.length;
    h.sim.faults.slowPhases(5000);
    try {
      const outcome = await deploy(
        t.client,
        t.req({ appId, image: parseAppPlatformImage(ref('v4')), timeoutMs: 1500, printLogs: 'never' }),
        t.hooks
      );
      expect(outcome.success).toBe(false);
      expect(outcome.wait!.canceled).toBe(true);
      expect(outcome.outputs.phase).toBe('CANCELED');
      expect(outcome.failure).toMatch(/did not finish within 1.5s and was canceled/);
      expect(apiRequests(from).filter(q => q.path.endsWith('/cancel') && q.status === 200)).toHaveLength(1);
    } finally {
      h.sim.faults.slowPhases(100);
    }
    await h.sim.settle(appId);
    expect(await health(liveUrl)).toEqual({ status: 200, version: 'v3' });
  });
});

describe('manual rollback', () => {
  test('dist: rollback-to previous skips the failed and canceled deployments and lands on v2', async () => {
    const r = await runDist({ 'app-id': appId, 'rollback-to': 'previous' });
    expect(r.stdout).not.toMatch(/::error::/);
    expect(r.status).toBe(0);
    expect(r.outputs['previous-deployment-id']).toBe(deployments.v3);
    expect(r.summary).toContain(`| **Rollback target** | ${deployments.v2} |`);
    expect(await health(liveUrl)).toEqual({ status: 200, version: 'v2' });
    expect((h.sim.app(appId) as { pinned_deployment?: unknown }).pinned_deployment).toBeUndefined();
  });

  test('rollback to an id without commit pins the app; a deploy is then refused with how to commit or revert', async () => {
    const t = inProcess();
    const result = await rollBack(t.client, appId, deployments.v1!, {
      pollIntervalMs: 250,
      timeoutMs: 120_000,
      logger: t.logger,
      commit: false
    });
    if (result.refused) throw new Error(result.failure);
    expect(result.phase).toBe('ACTIVE');
    expect(await health(liveUrl)).toEqual({ status: 200, version: 'v1' });
    const r = await runDist({ 'app-id': appId, image: ref('v4') });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(
        `::error::App signupflow \\(${appId}\\) is pinned to rollback deployment ${result.rollbackDeploymentId}.*rollback/commit.*rollback/revert`
      )
    );
    await t.client.commitRollback(appId);
    expect((h.sim.app(appId) as { pinned_deployment?: unknown }).pinned_deployment).toBeUndefined();
  });
});

describe('spec-file deploys', () => {
  test('dist: creates the app from .do/app.yaml (propose first), then updates it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deploy-spec-'));
    const file = join(dir, 'app.yaml');
    writeFileSync(
      file,
      [
        'name: signupflow-spec',
        'region: nyc',
        'services:',
        '- name: web',
        '  http_port: 8000',
        '  instance_count: 1',
        '  image: {registry_type: GHCR, registry: acme, repository: signupflow, digest: "${APP_DIGEST}"}',
        '  health_check: {http_path: /health, period_seconds: 10}',
        '  envs:',
        '  - {key: SECRET_KEY, value: "${SECRET_KEY}", type: SECRET, scope: RUN_TIME}',
        '  - {key: PUBLIC_URL, value: "${APP_URL}", scope: RUN_TIME}'
      ].join('\n')
    );
    const from = h.sim.requests.length;
    const created = await runDist(
      { 'app-name': 'signupflow-spec', 'app-spec': file },
      { APP_DIGEST: h.images.v1!.digest, SECRET_KEY: 'spec-secret-value' }
    );
    expect(created.stdout).not.toMatch(/::error::/);
    expect(created.status).toBe(0);
    const writes = apiRequests(from).filter(q => q.method !== 'GET');
    expect(writes.map(q => `${q.method} ${q.path}`)).toEqual(['POST /v2/apps/propose', 'POST /v2/apps']);
    const sent = writes[1]!.body as { spec: { services: { envs: { value: string }[] }[] } };
    expect(sent.spec.services[0]!.envs.map(e => e.value)).toEqual(['spec-secret-value', '${APP_URL}']);
    // Registered for masking (the runner reads ::add-mask::), never printed otherwise.
    expect(created.stdout).toContain('::add-mask::spec-secret-value');
    const printed = created.stdout
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::'))
      .join('\n');
    expect(printed).not.toContain('spec-secret-value');
    // An image digest is a content address, not a secret: it stays readable.
    expect(created.stdout).not.toContain(`::add-mask::${h.images.v1!.digest}`);
    expect(await health(created.outputs['live-url']!)).toEqual({ status: 200, version: 'v1' });

    const updated = await runDist(
      { 'app-name': 'signupflow-spec', 'app-spec': file, image: ref('v2') },
      { APP_DIGEST: h.images.v1!.digest, SECRET_KEY: 'spec-secret-value' }
    );
    expect(updated.status).toBe(0);
    expect(updated.outputs['app-id']).toBe(created.outputs['app-id']);
    expect(updated.outputs['previous-deployment-id']).toBe(created.outputs['deployment-id']);
    expect(await health(updated.outputs['live-url']!)).toEqual({ status: 200, version: 'v2' });
  });
});

test('every request sent to the simulator in this file validates against apps.json', () => {
  const sent = h.sim.requests
    .filter(r => r.path.startsWith('/v2/'))
    .map(r => ({
      method: r.method,
      path: `${r.path}${Object.keys(r.query).length ? `?${new URLSearchParams(r.query)}` : ''}`,
      body: r.body
    }));
  expect(sent.length).toBeGreaterThan(50);
  expect(sent.flatMap(requestProblems)).toEqual([]);
});
