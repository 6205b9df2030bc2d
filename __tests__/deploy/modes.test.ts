/**
 * The deploy-app-platform bundle (dist) against the simulator behaving as the evidence says (issue 14 items 5,
 * 6, 8; test-support/app-platform-sim/README.md "Evidence"): log URLs live-or-historic, platform-created
 * deployments, the hourly limit's 429 without Retry-After, redirecting log archives. One app walks a history:
 * v1 (seed) → v2 (a long step: heartbeat) → v3 then AUTOSCALED by the platform (SUPERSEDED after ACTIVE) →
 * rollback-to previous (v2, not the autoscaled v3) → pinned rollback reverted → the modes.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, appSpec, health, startHarness, waitForDeployment, type Harness } from '../simulator/harness.js';
import { contractViolations } from '../simulator/contract.js';
import { requestProblems } from '../digitalocean/request-contract.js';

let h: Harness;
let appId = '';
let liveUrl = '';
const deps: Record<string, string> = {};
const ref = (version: string) => `ghcr.io/acme/signupflow@${h.images[version]!.digest}`;

beforeAll(async () => {
  h = await startHarness({ v1: {}, v2: {}, v3: {} }, { phaseDelayMs: 100, logUrls: 'live-or-historic' });
  const app = await h.sim.seedApp(appSpec('signupflow-modes', h.images.v1!.source));
  appId = app.id as string;
  liveUrl = app.live_url as string;
  deps.v1 = (app.active_deployment as { id: string }).id;
}, 300_000);
afterAll(() => h?.close());

async function runDist(inputs: Record<string, string>, extraEnv: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-modes-'));
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
    timeout: '3m',
    ...inputs
  };
  for (const [k, v] of Object.entries(all)) env[`INPUT_${k.toUpperCase()}`] = v;
  const child = spawn(process.execPath, ['dist/deploy-app-platform/index.js'], { env, cwd: process.cwd() });
  let stdout = '';
  child.stdout.on('data', d => (stdout += d));
  child.stderr.on('data', d => (stdout += d));
  const status = await new Promise<number | null>(resolve => child.on('close', resolve));
  const outputs: Record<string, string> = {};
  for (const m of readFileSync(files.GITHUB_OUTPUT, 'utf8').matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm))
    outputs[m[1]!] = m[3]!;
  return { status, stdout, outputs, summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8') };
}

const ok = (r: Awaited<ReturnType<typeof runDist>>) => {
  expect(r.stdout).not.toMatch(/::error::/);
  expect(r.status).toBe(0);
};

describe('deploys', () => {
  test('heartbeat: a step that runs long prints the step counts and the running step between phase changes', async () => {
    // 20 s in deploy.components.web.deploy: phase DEPLOYING and every step unchanged, longer than the 15 s beat.
    h.sim.faults.holdDeploymentAtStep('deploy.components.web.deploy', 20_000);
    const r = await runDist({ 'app-id': appId, image: ref('v2') });
    ok(r);
    deps.v2 = r.outputs['deployment-id']!;
    const beats = r.stdout.split('\n').filter(l => l.includes(`deployment ${deps.v2}: still DEPLOYING`));
    expect(beats.length).toBeGreaterThanOrEqual(1);
    expect(beats[0]).toMatch(/still DEPLOYING, 3\/6 steps, running: Deploying service web$/);
    // The image path of the published run (app_action #123): no BUILDING, no PENDING_DEPLOY.
    expect(r.stdout).not.toMatch(/phase (BUILDING|PENDING_DEPLOY)/);
    expect(await health(liveUrl)).toEqual({ status: 200, version: 'v2' });
  }, 120_000);

  test('SUPERSEDED after ACTIVE (the platform autoscales right after): success, with a note', async () => {
    h.sim.faults.platformDeploymentAfterNextActive('AUTOSCALED');
    // One poll at the start, the next long after ours went live and the autoscaled one replaced it.
    const r = await runDist({ 'app-id': appId, image: ref('v3'), 'poll-interval': '20s' });
    ok(r);
    deps.v3 = r.outputs['deployment-id']!;
    expect(r.outputs.phase).toBe('SUPERSEDED');
    expect(r.stdout).toContain(
      `Deployment ${deps.v3} went ACTIVE and was then superseded by a newer deployment (phase SUPERSEDED)`
    );
    const app = h.sim.app(appId) as { active_deployment: { id: string; cause_details: { type: string } } };
    expect(app.active_deployment.cause_details.type).toBe('AUTOSCALED');
    deps.autoscaled = app.active_deployment.id;
    expect(await health(liveUrl)).toEqual({ status: 200, version: 'v3' });
  }, 120_000);

  test('rollback-to previous skips the autoscaled redeploy of v3 and its original: lands on v2', async () => {
    const r = await runDist({ 'app-id': appId, 'rollback-to': 'previous' });
    ok(r);
    expect(r.outputs['previous-deployment-id']).toBe(deps.autoscaled);
    expect(r.summary).toContain(`| **Rollback target** | ${deps.v2} |`);
    expect(await health(liveUrl)).toEqual({ status: 200, version: 'v2' });
    expect((h.sim.app(appId) as { pinned_deployment?: unknown }).pinned_deployment).toBeUndefined();
  }, 120_000);
});

describe('modes', () => {
  test('rollback-revert: an uncommitted rollback is reverted to the spec before it and the app unpinned', async () => {
    const rolled = await api(h.sim, 'POST', `/v2/apps/${appId}/rollback`, { deployment_id: deps.v1 });
    expect(rolled.status).toBe(200);
    await waitForDeployment(h.sim, appId, rolled.body.deployment.id);
    expect(await health(liveUrl)).toEqual({ status: 200, version: 'v1' });

    const r = await runDist({ 'app-id': appId, mode: 'rollback-revert' });
    ok(r);
    expect(r.outputs['previous-deployment-id']).toBe(rolled.body.deployment.id);
    expect(r.outputs.phase).toBe('ACTIVE');
    expect(r.summary).toContain('Rollback reverted: signupflow-modes');
    const app = h.sim.app(appId) as {
      pinned_deployment?: unknown;
      active_deployment: { id: string; cause_details: unknown };
    };
    expect(app.pinned_deployment).toBeUndefined();
    expect(app.active_deployment.id).toBe(r.outputs['deployment-id']);
    expect(app.active_deployment.cause_details).toEqual({
      type: 'MANUAL',
      digitalocean_user_action: { name: 'REVERT_APP_ROLLBACK' }
    });
    expect(await health(liveUrl)).toEqual({ status: 200, version: 'v2' });

    const again = await runDist({ 'app-id': appId, mode: 'rollback-revert' });
    ok(again);
    expect(again.stdout).toContain('App signupflow-modes is not pinned to a rollback: nothing to revert');
  }, 120_000);

  test('list-deployments: id, cause, phase, step counts and release of each, the autoscaled one included', async () => {
    const r = await runDist({ 'app-id': appId, mode: 'list-deployments' });
    ok(r);
    const row = (id: string) => r.stdout.split('\n').find(l => l.startsWith(id)) ?? '';
    expect(row(deps.autoscaled!)).toMatch(
      new RegExp(`^${deps.autoscaled}  AUTOSCALED  SUPERSEDED  6/6 steps  \\S+  web=signupflow@sha256:`)
    );
    expect(row(deps.v3!)).toContain('  MANUAL  SUPERSEDED  6/6 steps  ');
    expect(row(deps.v3!)).toContain(`web=signupflow@${h.images.v3!.digest.slice(0, 19)}`);
    expect(r.stdout).toContain(' MANUAL_ROLLBACK  SUPERSEDED ');
    expect(r.summary).toContain('| id | cause | phase | progress | created | release |');
    expect(r.summary).toContain(deps.autoscaled);
  }, 60_000);

  test('logs: a superseded deployment has only historic_urls; archives that redirect are followed', async () => {
    h.sim.faults.redirectLogArchives();
    try {
      const r = await runDist({ 'app-id': appId, mode: 'logs', 'deployment-id': deps.v2! });
      ok(r);
      expect(r.stdout).toContain(`::group::DEPLOY logs of deployment ${deps.v2}`);
      expect(r.stdout).toContain(`Traffic switched to deployment ${deps.v2}`);
      expect(r.stdout).toContain(`::group::BUILD logs of deployment ${deps.v2}`);
    } finally {
      h.sim.faults.redirectLogArchives(false);
    }
    const urls = await api(h.sim, 'GET', `/v2/apps/${appId}/deployments/${deps.v2}/logs?type=DEPLOY`);
    expect(Object.keys(urls.body)).toEqual(['historic_urls']);
  }, 60_000);

  test('validate: a valid spec is proposed (no deployment); a rejected one fails naming the field and request id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modes-spec-'));
    const file = join(dir, 'app.yaml');
    const spec = (healthPath: string) =>
      [
        'name: signupflow-modes',
        'region: nyc',
        'services:',
        '- name: web',
        '  http_port: 8000',
        `  image: {registry_type: GHCR, registry: acme, repository: signupflow, digest: "${h.images.v3!.digest}"}`,
        `  health_check: {http_path: ${healthPath}}`
      ].join('\n');
    writeFileSync(file, spec('/health'));
    const before = h.sim.app(appId) as { active_deployment: { id: string } };
    const from = h.sim.requests.length;
    const r = await runDist({ 'app-id': appId, mode: 'validate', 'app-spec': file });
    ok(r);
    expect(r.stdout).toContain(`Spec of app 'signupflow-modes' is valid for app ${appId}`);
    expect(r.stdout).toMatch(/App Platform estimates \$\d+\/month/);
    const writes = h.sim.requests.slice(from).filter(q => q.method !== 'GET');
    expect(writes.map(q => `${q.method} ${q.path}`)).toEqual(['POST /v2/apps/propose']);
    expect((h.sim.app(appId) as { active_deployment: { id: string } }).active_deployment.id).toBe(
      before.active_deployment.id
    );

    // A mistake only App Platform catches: the answer's message and request id reach the error line.
    writeFileSync(file, spec('health'));
    const bad = await runDist({ 'app-id': appId, mode: 'validate', 'app-spec': file });
    expect(bad.status).toBe(1);
    const propose = h.sim.requests.filter(q => q.path === '/v2/apps/propose').at(-1)!;
    expect(propose.status).toBe(422);
    expect(bad.stdout).toMatch(
      new RegExp(
        `::error::The app spec was rejected by App Platform: error validating app spec field "services\\[0\\]\\.health_check\\.http_path": must start with /.*\\(request id ${propose.requestId}\\)`
      )
    );
  }, 60_000);
});

describe('the hourly limit (429 without Retry-After; ratelimit-reset)', () => {
  test('survived: a reset a few seconds away is waited for', async () => {
    h.sim.faults.hourlyLimitNext(2, 2);
    const from = h.sim.requests.length;
    const r = await runDist({ 'app-id': appId, mode: 'list-deployments' });
    ok(r);
    const limited = h.sim.requests.slice(from).filter(q => q.status === 429);
    expect(limited).toHaveLength(2);
    expect(r.stdout).toMatch(/HTTP 429 too_many_requests, retrying in .* \(attempt 2\/\d+\)/);
    expect(r.stdout).toContain(deps.autoscaled);
  }, 60_000);

  test('reported: a reset an hour away fails at once with the reset time and the request id', async () => {
    h.sim.faults.hourlyLimitNext(1, 3600);
    const from = h.sim.requests.length;
    const r = await runDist({ 'app-id': appId, mode: 'list-deployments' });
    expect(r.status).toBe(1);
    const seen = h.sim.requests.slice(from);
    expect(seen).toHaveLength(1);
    expect(r.stdout).toMatch(
      new RegExp(
        `::error::.*API rate limit exceeded\\. The API rate limit resets at \\S+ \\(ratelimit-reset; 0 of \\d+ requests left\\), too far away to wait for.*${seen[0]!.requestId}`
      )
    );
  }, 60_000);
});

test('every request and response in this file validates against apps.json', () => {
  const sent = h.sim.requests.map(r => ({
    method: r.method,
    path: `${r.path}${Object.keys(r.query).length ? `?${new URLSearchParams(r.query)}` : ''}`,
    body: r.body
  }));
  expect(sent.length).toBeGreaterThan(40);
  expect(sent.flatMap(requestProblems)).toEqual([]);
  expect(contractViolations(h.sim.requests)).toEqual([]);
});
