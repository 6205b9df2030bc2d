// Deployment lifecycle against the real example app: phases and steps, SUPERSEDED, the live URL proxy
// switching versions, failing releases that leave the previous version serving, logs, cancel, health, delete.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { WebSocket } from 'undici';
import { api, appSpec, health, startHarness, waitForDeployment, type Harness } from './harness.js';
import { contractViolations } from './contract.js';

// A pre-built image skips BUILDING and PENDING_DEPLOY (app_action #123's published run); source deploys walk
// every phase (evidence.test.ts).
const IMAGE_PHASES = ['PENDING_BUILD', 'DEPLOYING', 'ACTIVE'];
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
async function eventually(check: () => boolean, ms = 15_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) return false;
    await new Promise(r => setTimeout(r, 50));
  }
  return true;
}

function followWebsocket(url: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const messages: unknown[] = [];
    const ws = new WebSocket(url);
    ws.addEventListener('message', ev => messages.push(JSON.parse(String(ev.data))));
    ws.addEventListener('close', () => resolve(messages));
    ws.addEventListener('error', () => reject(new Error(`websocket ${url} failed`)));
  });
}

let h: Harness;
let appId = '';
let firstDep = '';
let secondDep = '';

beforeAll(async () => {
  h = await startHarness(
    { v1: {}, v2: {}, broken: { CHAOS_DB_FAIL_AFTER_SECONDS: '0' } },
    { phaseDelayMs: 150 }
  );
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('a new app', () => {
  test('propose, then create: the first deployment walks the phases to ACTIVE and live_url serves v1', async () => {
    const spec = appSpec('signupflow', h.images.v1!.source);
    const proposed = await api(h.sim, 'POST', '/v2/apps/propose', { spec });
    expect(proposed.status).toBe(200);
    expect(proposed.body).toMatchObject({ app_name_available: true, spec: { name: 'signupflow' } });

    // Long phases here so that polling sees every one of them even on a loaded machine.
    h.sim.faults.slowPhases(400);
    const created = await api(h.sim, 'POST', '/v2/apps', { spec });
    expect(created.status).toBe(200);
    const app = created.body.app;
    appId = app.id;
    firstDep = app.pending_deployment.id;
    expect(app.pending_deployment.phase).toBe('PENDING_BUILD');
    expect(app.live_url).toBeUndefined(); // nothing is live yet

    const { phases, deployment } = await waitForDeployment(h.sim, appId, firstDep).finally(() =>
      h.sim.faults.slowPhases(150)
    );
    expect(phases).toEqual(IMAGE_PHASES);
    expect(deployment.progress).toMatchObject({
      success_steps: 6,
      total_steps: 6,
      error_steps: 0,
      pending_steps: 0
    });
    const [build, deploy] = deployment.progress.steps;
    expect(build.steps.map((s: { name: string }) => s.name)).toEqual(['initialize', 'components']);
    expect(build.steps[1].steps[0]).toMatchObject({
      name: 'web',
      component_name: 'web',
      message_base: 'Building service',
      status: 'SUCCESS',
      reason: { code: 'PreBuiltImage' }
    });
    expect(
      deploy.steps[1].steps[0].steps.map(
        (s: { name: string; message_base: string }) => `${s.name}:${s.message_base}`
      )
    ).toEqual(['deploy:Deploying service', 'wait:Waiting for service']);
    expect(deployment.services).toEqual([{ name: 'web', source_commit_hash: h.images.v1!.digest }]);

    const got = await api(h.sim, 'GET', `/v2/apps/${appId}`);
    expect(got.body.app.active_deployment.id).toBe(firstDep);
    // godo PR #601: on GET, pending_deployment is the most recent non-canceled deployment, also once ACTIVE.
    expect(got.body.app.pending_deployment).toMatchObject({ id: firstDep, phase: 'ACTIVE' });
    expect(got.body.app.in_progress_deployment).toBeUndefined();
    expect(got.body.app.live_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await health(got.body.app.live_url)).toEqual({ status: 200, version: 'v1' });
  });

  test('SECRET env values come back encrypted as EV[...]; GENERAL values as sent', async () => {
    const { body } = await api(h.sim, 'GET', `/v2/apps/${appId}`);
    const envs = body.app.spec.services[0].envs;
    expect(envs[0].value).toMatch(/^EV\[1:[^:]+:[^\]]+\]$/);
    expect(envs[1]).toEqual({ key: 'FEATURE_FLAG', scope: 'RUN_TIME', value: 'on' });
  });

  test('a taken name is reported by propose and refused by create', async () => {
    const spec = appSpec('signupflow', h.images.v1!.source);
    const proposed = await api(h.sim, 'POST', '/v2/apps/propose', { spec });
    expect(proposed.body.app_name_available).toBe(false);
    expect(proposed.body.app_name_suggestion).toMatch(/^signupflow-/);
    const again = await api(h.sim, 'POST', '/v2/apps', { spec });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ id: 'conflict' });
  });
});

describe('updating the image', () => {
  test('PUT returns the new deployment as pending_deployment; it goes ACTIVE, the old one SUPERSEDED, live_url switches', async () => {
    const current = (await api(h.sim, 'GET', `/v2/apps/${appId}`)).body.app;
    const oldPid = h.sim.apps
      .get(appId)!
      .deployments.find(d => d.id === firstDep)!
      .processes.get('web')!.pid;
    const spec = structuredClone(current.spec);
    spec.services[0].image = h.images.v2!.source;
    const put = await api(h.sim, 'PUT', `/v2/apps/${appId}`, { spec, update_all_source_versions: true });
    expect(put.status).toBe(200);
    secondDep = put.body.app.pending_deployment.id;
    expect(secondDep).not.toBe(firstDep);
    expect(put.body.app.active_deployment.id).toBe(firstDep);
    // the encrypted secret sent back as it came is kept, not re-encrypted
    expect(put.body.app.spec.services[0].envs[0].value).toBe(current.spec.services[0].envs[0].value);

    const { deployment } = await waitForDeployment(h.sim, appId, secondDep);
    expect(deployment.phase).toBe('ACTIVE');
    expect(deployment.previous_deployment_id).toBe(firstDep);
    const old = await api(h.sim, 'GET', `/v2/apps/${appId}/deployments/${firstDep}`);
    expect(old.body.deployment.phase).toBe('SUPERSEDED');
    expect(await health(current.live_url)).toEqual({ status: 200, version: 'v2' });
    expect(await eventually(() => !isAlive(oldPid))).toBe(true);
  });

  test('deployments are listed newest first with pagination links and meta.total', async () => {
    const p1 = await api(h.sim, 'GET', `/v2/apps/${appId}/deployments?per_page=1`);
    expect(p1.body.deployments.map((d: { id: string }) => d.id)).toEqual([secondDep]);
    expect(p1.body.meta).toEqual({ total: 2 });
    expect(p1.body.links.pages.next).toBe(`${h.sim.url}/v2/apps/${appId}/deployments?per_page=1&page=2`);
    const next = new URL(p1.body.links.pages.next);
    const p2 = await api(h.sim, 'GET', `${next.pathname}${next.search}`);
    expect(p2.body.deployments.map((d: { id: string }) => d.id)).toEqual([firstDep]);
    expect(p2.body.links.pages).toEqual({
      first: `${h.sim.url}/v2/apps/${appId}/deployments?per_page=1&page=1`,
      prev: `${h.sim.url}/v2/apps/${appId}/deployments?per_page=1&page=1`
    });
    const apps = await api(h.sim, 'GET', '/v2/apps?per_page=200');
    expect(apps.body.apps.map((a: { id: string }) => a.id)).toEqual([appId]);
    expect(apps.body.meta.total).toBe(1);
  });

  test('logs: an ACTIVE deployment answers live_url alone, a superseded one historic_urls alone; unknown component 404', async () => {
    // OpenAPI apps_get_logs: "either real-time logs of an in-progress or active deployment or archived logs of
    // a past deployment"; godo's and doctl's fixtures answer live_url alone.
    const deploy = await api(
      h.sim,
      'GET',
      `/v2/apps/${appId}/deployments/${secondDep}/components/web/logs?type=DEPLOY`
    );
    expect(deploy.status).toBe(200);
    expect(Object.keys(deploy.body)).toEqual(['live_url']);
    // live_url is a websocket of {"data": line} messages; for an ACTIVE deployment's DEPLOY logs it sends what
    // exists and closes (the stage is over); a plain GET of the same URL streams the text instead
    expect(deploy.body.live_url).toMatch(/^ws:\/\//);
    const deployText = await (await fetch(deploy.body.live_url.replace(/^ws/, 'http'))).text();
    expect(deployText).toMatch(/^web \S+ Starting container \(version v2\)/m);
    expect(deployText).toContain('Uvicorn running on');
    const messages = await followWebsocket(deploy.body.live_url);
    expect(messages.length).toBe(deployText.trim().split('\n').length);
    expect(messages[messages.length - 1]).toEqual({
      data: expect.stringMatching(/^web \S+ Component is ready$/)
    });
    const missing = await api(
      h.sim,
      'GET',
      `/v2/apps/${appId}/deployments/${secondDep}/components/nope/logs?type=DEPLOY`
    );
    expect(missing.status).toBe(404);

    // The superseded v1 deployment: archives only, served without the token.
    const build = await api(h.sim, 'GET', `/v2/apps/${appId}/deployments/${firstDep}/logs?type=BUILD`);
    expect(build.status).toBe(200);
    expect(Object.keys(build.body)).toEqual(['historic_urls']);
    const buildText = await (await fetch(build.body.historic_urls[0])).text();
    expect(buildText).toContain(`Pulled acme/signupflow@${h.images.v1!.digest}`);
  });

  test('following a deployment in progress: the websocket delivers lines as they come and closes once it is live', async () => {
    h.sim.faults.slowPhases(400);
    try {
      const created = await api(h.sim, 'POST', `/v2/apps/${appId}/deployments`);
      const depId = created.body.deployment.id;
      let logs = await api(
        h.sim,
        'GET',
        `/v2/apps/${appId}/deployments/${depId}/logs?type=BUILD&follow=true`
      );
      expect(logs.status).toBe(400); // nothing built yet: App Platform answers 400 too
      while (logs.status === 400) {
        await new Promise(r => setTimeout(r, 50));
        logs = await api(h.sim, 'GET', `/v2/apps/${appId}/deployments/${depId}/logs?type=BUILD&follow=true`);
      }
      const messages = (await followWebsocket(logs.body.live_url)) as { data: string }[];
      const phaseAtClose = (await api(h.sim, 'GET', `/v2/apps/${appId}/deployments/${depId}`)).body.deployment
        .phase;
      expect(phaseAtClose).toBe('ACTIVE');
      secondDep = depId; // the v2 deployment serving from now on
      expect(messages.map(m => m.data)).toEqual([
        expect.stringContaining('Build started'),
        expect.stringContaining('Pulling image'),
        expect.stringContaining(`Pulled acme/signupflow@${h.images.v2!.digest}`)
      ]);
    } finally {
      h.sim.faults.slowPhases(150);
    }
  });

  test('GET /v2/apps/{id}/health reports the running component HEALTHY', async () => {
    const r = await api(h.sim, 'GET', `/v2/apps/${appId}/health`);
    expect(r.body).toEqual({
      app_health: {
        components: [
          expect.objectContaining({ name: 'web', state: 'HEALTHY', replicas_desired: 2, replicas_ready: 2 })
        ],
        functions_components: []
      }
    });
  });
});

describe('failing releases leave the previous deployment serving', () => {
  test('a release whose /health answers 503 ends in ERROR at the wait step; live_url still serves v2', async () => {
    const spec = (await api(h.sim, 'GET', `/v2/apps/${appId}`)).body.app.spec;
    spec.services[0].image = h.images.broken!.source;
    const put = await api(h.sim, 'PUT', `/v2/apps/${appId}`, { spec });
    const depId = put.body.app.pending_deployment.id;
    const { deployment } = await waitForDeployment(h.sim, appId, depId);
    expect(deployment.phase).toBe('ERROR');
    expect(deployment.progress.error_steps).toBe(1);
    const wait = deployment.progress.steps[1].steps[1].steps[0].steps[1];
    expect(wait).toMatchObject({
      name: 'wait',
      status: 'ERROR',
      reason: { code: 'DeployHealthChecksFailed' }
    });
    expect(wait.reason.message).toContain('readiness probe failed 3 times in a row (last: HTTP 503)');

    const app = (await api(h.sim, 'GET', `/v2/apps/${appId}`)).body.app;
    expect(app.active_deployment.id).toBe(secondDep);
    expect(await health(app.live_url)).toEqual({ status: 200, version: 'v2' });
    const logs = await api(h.sim, 'GET', `/v2/apps/${appId}/deployments/${depId}/logs?type=DEPLOY`);
    const text = await (await fetch(logs.body.historic_urls[0])).text();
    expect(text).toContain('Readiness probe failed: HTTP 503');
    expect(text).toContain('ERROR DeployHealthChecksFailed');
    const proc = h.sim.apps
      .get(appId)!
      .deployments.find(d => d.id === depId)!
      .processes.get('web')!;
    expect(proc.hasExited()).toBe(true);
  });

  test('registry_credentials are used for the pull and come back encrypted; wrong ones fail the pull', async () => {
    const spec = (await api(h.sim, 'GET', `/v2/apps/${appId}`)).body.app.spec;
    spec.services[0].image = { ...h.images.v2!.source, registry_credentials: 'acme:wrong-password' };
    const put = await api(h.sim, 'PUT', `/v2/apps/${appId}`, { spec });
    expect(put.body.app.spec.services[0].image.registry_credentials).toMatch(/^EV\[1:/);
    const { deployment } = await waitForDeployment(h.sim, appId, put.body.app.pending_deployment.id);
    expect(deployment.phase).toBe('ERROR');
    expect(deployment.progress.steps[0].steps[1].steps[0].reason).toEqual({
      code: 'ImagePullFailed',
      message: `unable to pull image acme/signupflow@${h.images.v2!.digest}: registry refused the credentials (HTTP 401)`
    });
  });

  test('an image the registry does not have fails at the build (pull) step', async () => {
    const spec = (await api(h.sim, 'GET', `/v2/apps/${appId}`)).body.app.spec;
    spec.services[0].image = { ...h.images.v2!.source, digest: `sha256:${'0'.repeat(64)}` };
    const put = await api(h.sim, 'PUT', `/v2/apps/${appId}`, { spec });
    const { phases, deployment } = await waitForDeployment(h.sim, appId, put.body.app.pending_deployment.id);
    expect(phases[phases.length - 1]).toBe('ERROR');
    expect(phases).not.toContain('DEPLOYING');
    const pull = deployment.progress.steps[0].steps[1].steps[0];
    expect(pull).toMatchObject({ status: 'ERROR', reason: { code: 'ImagePullFailed' } });
    expect(pull.reason.message).toContain('manifest unknown');
    expect(deployment.progress.steps[0].reason.code).toBe('ImagePullFailed');
    const app = (await api(h.sim, 'GET', `/v2/apps/${appId}`)).body.app;
    expect(await health(app.live_url)).toEqual({ status: 200, version: 'v2' });
    // restore the good image for the following tests
    spec.services[0].image = h.images.v2!.source;
    const back = await api(h.sim, 'PUT', `/v2/apps/${appId}`, { spec });
    expect(
      (await waitForDeployment(h.sim, appId, back.body.app.pending_deployment.id)).deployment.phase
    ).toBe('ACTIVE');
  });

  test('faults.failDeploymentAtStep fails the next deployment at that step with its reason and log line', async () => {
    h.sim.faults.failDeploymentAtStep('finalize');
    const created = await api(h.sim, 'POST', `/v2/apps/${appId}/deployments`, { force_build: true });
    expect(created.status).toBe(200);
    const { deployment } = await waitForDeployment(h.sim, appId, created.body.deployment.id);
    expect(deployment.phase).toBe('ERROR');
    const finalize = deployment.progress.steps[1].steps[2];
    expect(finalize).toMatchObject({ name: 'finalize', status: 'ERROR' });
    expect(finalize.reason.message).toContain('injected fault at step deploy.finalize');
    expect(deployment.cause).toBe('manual');
    const logs = await api(h.sim, 'GET', `/v2/apps/${appId}/deployments/${deployment.id}/logs?type=DEPLOY`);
    expect(await (await fetch(logs.body.historic_urls[0])).text()).toContain('injected fault');
  });

  test('cancel: an in-progress deployment becomes CANCELED; canceling a finished one is refused', async () => {
    h.sim.faults.slowPhases(3000);
    try {
      const created = await api(h.sim, 'POST', `/v2/apps/${appId}/deployments`);
      const depId = created.body.deployment.id;
      const app = (await api(h.sim, 'GET', `/v2/apps/${appId}`)).body.app;
      expect(app.in_progress_deployment.id).toBe(depId);
      const canceled = await api(h.sim, 'POST', `/v2/apps/${appId}/deployments/${depId}/cancel`);
      expect(canceled.status).toBe(200);
      expect(canceled.body.deployment.phase).toBe('CANCELED');
      const again = await api(h.sim, 'POST', `/v2/apps/${appId}/deployments/${depId}/cancel`);
      expect(again.status).toBe(400);
      expect(again.body.id).toBe('bad_request');
      const after = (await api(h.sim, 'GET', `/v2/apps/${appId}`)).body.app;
      expect(after.in_progress_deployment).toBeUndefined();
      // the canceled deployment is never pending_deployment (godo PR #601: "most recent non-cancelled")
      expect(after.pending_deployment.id).not.toBe(depId);
      expect(await health(after.live_url)).toEqual({ status: 200, version: 'v2' });
    } finally {
      h.sim.faults.slowPhases(150);
    }
  });
});

test('a new deployment cancels one still in progress (only the newest goes live)', async () => {
  h.sim.faults.slowPhases(2000);
  let newer = '';
  let older = '';
  try {
    older = (await api(h.sim, 'POST', `/v2/apps/${appId}/deployments`)).body.deployment.id;
    newer = (await api(h.sim, 'POST', `/v2/apps/${appId}/deployments`)).body.deployment.id;
    const app = (await api(h.sim, 'GET', `/v2/apps/${appId}`)).body.app;
    expect(app.pending_deployment.id).toBe(newer);
  } finally {
    h.sim.faults.slowPhases(150);
  }
  const first = await api(h.sim, 'GET', `/v2/apps/${appId}/deployments/${older}`);
  expect(first.body.deployment.phase).toBe('CANCELED');
  expect((await waitForDeployment(h.sim, appId, newer)).deployment.phase).toBe('ACTIVE');
});

describe('deleting the app', () => {
  test('DELETE answers {id}, stops its processes and the app is gone', async () => {
    const state = h.sim.apps.get(appId)!;
    const pids = state.deployments.flatMap(d => [...d.processes.values()].map(p => p.pid));
    const del = await api(h.sim, 'DELETE', `/v2/apps/${appId}`);
    expect(del.body).toEqual({ id: appId });
    expect((await api(h.sim, 'GET', `/v2/apps/${appId}`)).status).toBe(404);
    expect(pids.filter(isAlive)).toEqual([]);
  });
});

test('contract: every response in this file validates against apps.json', () => {
  expect(h.sim.requests.length).toBeGreaterThan(20);
  expect(contractViolations(h.sim.requests)).toEqual([]);
});
