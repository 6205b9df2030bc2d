// Rollback rules (reference §1.5): validate with DigitalOcean's condition codes, rollback pins the app and
// blocks deploys, commit unpins, revert redeploys the spec from before the rollback, skip_pin commits at once.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { api, appSpec, health, startHarness, waitForDeployment, type Harness } from './harness.js';
import { contractViolations } from './contract.js';

let h: Harness;
let appId = '';
let liveUrl = '';
const dep: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness(
    { v1: {}, v2: {}, broken: { CHAOS_DB_FAIL_AFTER_SECONDS: '0' } },
    { revisionLimit: 4 }
  );
  const app = await h.sim.seedApp(appSpec('signupflow-rb', h.images.v1!.source));
  appId = app.id as string;
  liveUrl = app.live_url as string;
  dep.A = (app.active_deployment as { id: string }).id;
}, 120_000);

afterAll(async () => {
  await h?.close();
});

async function deployImage(image: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const spec = (await api(h.sim, 'GET', `/v2/apps/${appId}`)).body.app.spec;
  spec.services[0].image = image;
  const put = await api(h.sim, 'PUT', `/v2/apps/${appId}`, { spec: { ...spec, ...extra } });
  expect(put.status).toBe(200);
  return (await waitForDeployment(h.sim, appId, put.body.app.pending_deployment.id)).deployment;
}

const validate = (deploymentId: string) =>
  api(h.sim, 'POST', `/v2/apps/${appId}/rollback/validate`, { deployment_id: deploymentId });

test('seedApp gives an app whose first deployment is ACTIVE and serving', async () => {
  expect(await health(liveUrl)).toEqual({ status: 200, version: 'v1' });
  const b = await deployImage(h.images.v2!.source);
  expect(b.phase).toBe('ACTIVE');
  dep.B = b.id;
  const c = await deployImage(h.images.broken!.source);
  expect(c.phase).toBe('ERROR');
  dep.C = c.id;
});

test('validate: the active deployment, a failed one and an unknown id are refused; a superseded one is valid', async () => {
  expect((await validate(dep.B!)).body).toEqual({
    valid: false,
    error: { code: 'incompatible_phase', message: 'deployment is the currently active deployment' }
  });
  expect((await validate(dep.C!)).body).toEqual({
    valid: false,
    error: { code: 'incompatible_result', message: 'deployment result "failed" is unsuitable for rollback' }
  });
  const unknown = await validate('3aa4d20e-5527-4c00-b496-601fbd22520a');
  expect(unknown.status).toBe(404);
  expect((await validate(dep.A!)).body).toEqual({ valid: true });
});

test('rollback pins the app to a new deployment cloned from the target; deploys are refused while pinned', async () => {
  const r = await api(h.sim, 'POST', `/v2/apps/${appId}/rollback`, { deployment_id: dep.A, skip_pin: false });
  expect(r.status).toBe(200);
  expect(r.body.deployment).toMatchObject({ cloned_from: dep.A, cause_details: { type: 'MANUAL_ROLLBACK' } });
  dep.R1 = r.body.deployment.id;
  const done = await waitForDeployment(h.sim, appId, dep.R1!);
  expect(done.deployment.phase).toBe('ACTIVE');
  expect(await health(liveUrl)).toEqual({ status: 200, version: 'v1' });
  const app = (await api(h.sim, 'GET', `/v2/apps/${appId}`)).body.app;
  expect(app.pinned_deployment.id).toBe(dep.R1);
  expect(app.spec.services[0].image.digest).toBe(h.images.v1!.digest);

  const put = await api(h.sim, 'PUT', `/v2/apps/${appId}`, { spec: app.spec });
  expect(put.status).toBe(409);
  expect(put.body.message).toContain(`pinned to rollback deployment ${dep.R1}`);
  const created = await api(h.sim, 'POST', `/v2/apps/${appId}/deployments`, {});
  expect(created.status).toBe(409);
  expect((await validate(dep.B!)).body).toMatchObject({ valid: false, error: { code: 'app_pinned' } });
  const second = await api(h.sim, 'POST', `/v2/apps/${appId}/rollback`, { deployment_id: dep.B });
  expect(second.status).toBe(422);
  expect(second.body.message).toMatch(/^app_pinned: /);
});

test('revert redeploys the spec from before the rollback (here the broken release) and unpins', async () => {
  const r = await api(h.sim, 'POST', `/v2/apps/${appId}/rollback/revert`);
  expect(r.status).toBe(200);
  expect(r.body.deployment.cause_details.digitalocean_user_action.name).toBe('REVERT_APP_ROLLBACK');
  dep.V = r.body.deployment.id;
  const app = (await api(h.sim, 'GET', `/v2/apps/${appId}`)).body.app;
  expect(app.pinned_deployment).toBeUndefined();
  expect(app.spec.services[0].image.digest).toBe(h.images.broken!.digest);
  // the broken release fails its health check again, so the rolled-back v1 keeps serving
  expect((await waitForDeployment(h.sim, appId, dep.V!)).deployment.phase).toBe('ERROR');
  expect(await health(liveUrl)).toEqual({ status: 200, version: 'v1' });
});

test("a rollback that is committed stays: the app spec becomes the target's, commit/revert then refuse", async () => {
  const r = await api(h.sim, 'POST', `/v2/apps/${appId}/rollback`, { deployment_id: dep.B });
  expect(r.status).toBe(200);
  dep.R2 = r.body.deployment.id;
  expect((await waitForDeployment(h.sim, appId, dep.R2!)).deployment.phase).toBe('ACTIVE');
  expect(await health(liveUrl)).toEqual({ status: 200, version: 'v2' });
  const commit = await api(h.sim, 'POST', `/v2/apps/${appId}/rollback/commit`);
  expect(commit.status).toBe(200);
  expect(commit.body).toBeUndefined(); // empty body, as documented
  const app = (await api(h.sim, 'GET', `/v2/apps/${appId}`)).body.app;
  expect(app.pinned_deployment).toBeUndefined();
  expect(app.spec.services[0].image.digest).toBe(h.images.v2!.digest);
  const again = await api(h.sim, 'POST', `/v2/apps/${appId}/rollback/commit`);
  expect(again.status).toBe(400);
  expect((await api(h.sim, 'POST', `/v2/apps/${appId}/rollback/revert`)).status).toBe(400);
});

test('skip_pin: true rolls back without pinning', async () => {
  const r = await api(h.sim, 'POST', `/v2/apps/${appId}/rollback`, { deployment_id: dep.A, skip_pin: true });
  expect(r.status).toBe(200);
  expect((await waitForDeployment(h.sim, appId, r.body.deployment.id)).deployment.phase).toBe('ACTIVE');
  expect((await api(h.sim, 'GET', `/v2/apps/${appId}`)).body.app.pinned_deployment).toBeUndefined();
  expect(await health(liveUrl)).toEqual({ status: 200, version: 'v1' });
});

test('warnings and refusals: a tag-only image, the revision limit, a region change', async () => {
  const tagged = await deployImage({
    registry_type: 'GHCR',
    registry: 'acme',
    repository: 'signupflow',
    tag: 'v2'
  });
  expect(tagged.phase).toBe('ACTIVE');
  expect(await health(liveUrl)).toEqual({ status: 200, version: 'v2' });
  const pinned = await deployImage(h.images.v1!.source);
  expect((await validate(tagged.id)).body).toEqual({
    valid: true,
    warnings: [
      {
        code: 'image_source_missing_digest',
        components: ['web'],
        message:
          'image source does not pin a digest; the rollback is not guaranteed to restore the old version'
      }
    ]
  });
  expect((await validate(dep.A!)).body).toMatchObject({
    valid: false,
    error: { code: 'exceeded_revision_limit' }
  });
  await deployImage(h.images.v2!.source, { region: 'ams' });
  expect((await validate(pinned.id)).body).toMatchObject({
    valid: false,
    error: { code: 'region_conflict' }
  });
});

test('contract: every response in this file validates against apps.json', () => {
  expect(contractViolations(h.sim.requests)).toEqual([]);
});
