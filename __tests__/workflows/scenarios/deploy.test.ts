// The README's "Deploy on push to main" caller, verbatim, in its exact setup (app id, no spec file), against the
// App Platform simulator and the local registry:
// - a healthy release ships: migrations applied, the gate passes, no rollback. Before the fix the gate expected
//   github.sha while /health answered the app's old APP_VERSION, so every healthy release was rolled back;
// - its image holds the caller's files and nothing of the pipeline repository, even with `COPY . /src/`;
// - a release whose /health breaks after going live is rolled back automatically and the previous version serves;
// - a run cancelled after the deploy started never leaves the release live without its gate, nor the app pinned.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runWorkflow, type RunOptions } from '../../../test-support/workflow-runner/index.js';
import { readmeCallers } from '../../../test-support/workflow-runner/repositories.js';
import { sharedPostgres, sharedRegistry, type RegistryServer } from '../../../test-support/shared.js';
import { api, appSpec, health, startHarness, type Harness } from '../../simulator/harness.js';
import {
  CALLER,
  DEBIAN_PYTHON,
  releaseStandIns,
  repositories,
  signupflowRepository,
  step
} from './harness.js';
import { imageFiles } from './image-files.js';

let h: Harness;
let registry: RegistryServer;
let migrationsUrl: string;

/** A release that breaks after it went live: its database check fails 4 s after start (the app's test hook). */
const BREAKS_AFTER_GOING_LIVE = 'ENV CHAOS_DB_FAIL_AFTER_SECONDS=4\n';

beforeAll(async () => {
  const pg = await sharedPostgres();
  registry = await sharedRegistry();
  migrationsUrl = await pg.createDatabase(`deploy_scn_${Date.now().toString(36)}`);
  h = await startHarness({ v1: {} });
}, 300_000);

afterAll(async () => {
  await h?.close();
});

/** An app that runs v1; `envs` are app-level (they win over the image's own ENV). */
async function seedV1(name: string, envs: Record<string, string>[] = []) {
  const app = await h.sim.seedApp({ ...(appSpec(name, h.images.v1!.source) as object), envs } as never);
  const id = app.id as string;
  return {
    id,
    liveUrl: app.live_url as string,
    v1Deployment: (app.active_deployment as { id: string }).id
  };
}

/** A push of `sha` through the README caller; the caller's Dockerfile is the rehearsal one plus `tail`. */
function push(
  app: { id: string; liveUrl: string },
  sha: string,
  opts: { tail?: string; window?: string; cancel?: RunOptions['cancel'] } = {}
) {
  return runWorkflow({
    caller: { path: '.github/workflows/production.yml', content: readmeCallers()['production.yml']! },
    event: { name: 'push' },
    sha,
    repository: CALLER,
    repositories: repositories(signupflowRepository(sha, opts.tail)),
    vars: { APP_ID: app.id },
    secrets: { DIGITALOCEAN_TOKEN: h.sim.token, DATABASE_URL: migrationsUrl },
    python: DEBIAN_PYTHON,
    rewrite: releaseStandIns(h.sim, registry, app.liveUrl, { window: opts.window ?? '5s' }),
    cancel: opts.cancel,
    log: process.env.RUNNER_LOG ? line => console.log(line) : undefined
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const appNow = async (id: string): Promise<any> => (await api(h.sim, 'GET', `/v2/apps/${id}`)).body.app;

describe('deploy on push (README caller)', () => {
  it('ships a healthy release in the exact README setup (app id, no spec); the image holds nothing of the pipeline', async () => {
    const sha = 'd4e5f60718293a4b5c6d7e8f9012345678a1b2c3';
    // The app-level APP_VERSION=v1 would win over the image's own ENV.
    const app = await seedV1('signupflow-push', [{ key: 'APP_VERSION', value: 'v1', scope: 'RUN_TIME' }]);
    // `COPY . /src/` is what puts a pipeline checkout inside the build context into the image.
    const report = await push(app, sha, { tail: 'COPY . /src/\n' });
    expect(report.conclusion).toBe('success');
    // Migrations ran for real: the README's alembic-requirements, Debian's Alembic.
    expect(step(report, 'deploy/release', 'migrate').outputs).toMatchObject({ 'applied-count': '3' });
    const gate = step(report, 'deploy/release', 'gate');
    expect(gate.outputs).toMatchObject({ healthy: 'true', 'rolled-back': 'false' });
    expect(await health(app.liveUrl)).toEqual({ status: 200, version: sha });
    const release = report.jobs.find(j => j.id === 'deploy/release')!;
    expect(release.environment).toEqual({ name: 'production', url: app.liveUrl });
    expect(report.jobs.filter(j => j.environment).map(j => j.id)).toEqual(['deploy/release']);

    const files = await imageFiles(
      registry,
      'acme/signupflow',
      step(report, 'deploy/build', 'build').outputs.digest!
    );
    expect(files).toContain('src/alembic.ini');
    expect(files).toContain('app/app/main.py');
    expect(files.filter(f => /(^|\/)\.pipeline(\/|$)|(^|\/)actions\/deploy-app-platform\//.test(f))).toEqual(
      []
    );
  }, 300_000);

  it('rolls a release whose /health breaks back automatically; the previous version serves', async () => {
    const sha = 'e5f60718293a4b5c6d7e8f9012345678a1b2c3d4';
    const app = await seedV1('signupflow-bad');
    const report = await push(app, sha, { tail: BREAKS_AFTER_GOING_LIVE, window: '20s' });
    expect(report.conclusion).toBe('failure');
    const deploy = step(report, 'deploy/release', 'deploy');
    expect(deploy.result).toBe('success');
    const gate = step(report, 'deploy/release', 'gate');
    expect(gate.result).toBe('failure');
    expect(gate.outputs).toMatchObject({ healthy: 'false', 'rolled-back': 'true' });
    // The simulator's view: the rollback deployment serves, the bad one does not, nothing pinned.
    await h.sim.settle(app.id);
    const after = await appNow(app.id);
    expect(after.active_deployment.id).toBe(gate.outputs['rollback-deployment-id']);
    expect(after.active_deployment.id).not.toBe(deploy.outputs['deployment-id']);
    expect(after.pinned_deployment).toBeUndefined();
    expect(await health(app.liveUrl)).toEqual({ status: 200, version: 'v1' });
    expect(report.outputs.deploy).toMatchObject({ shipped: 'false' });
  }, 300_000);

  it('cancelled while the deployment runs: the deployment is canceled, the previous one keeps serving, not pinned', async () => {
    const sha = 'f60718293a4b5c6d7e8f9012345678a1b2c3d4e5';
    const app = await seedV1('signupflow-cancel-deploy');
    h.sim.faults.slowPhases(1500);
    const report = await push(app, sha, {
      cancel: { job: 'deploy/release', step: 'deploy', afterLine: /Deployment \S+ started/ }
    }).finally(() => h.sim.faults.slowPhases(50));
    expect(report.conclusion).toBe('cancelled');
    const deploy = step(report, 'deploy/release', 'deploy');
    expect(deploy.result).toBe('cancelled');
    await h.sim.settle(app.id);
    const started = await api(
      h.sim,
      'GET',
      `/v2/apps/${app.id}/deployments/${deploy.outputs['deployment-id']}`
    );
    expect(started.body.deployment.phase).toBe('CANCELED');
    const after = await appNow(app.id);
    expect(after.active_deployment.id).toBe(app.v1Deployment);
    expect(after.pinned_deployment).toBeUndefined();
    expect(await health(app.liveUrl)).toEqual({ status: 200, version: 'v1' });
  }, 300_000);

  it('cancelled during the gate of a bad release: the cleanup gate still decides and rolls it back, not pinned', async () => {
    const sha = '0718293a4b5c6d7e8f9012345678a1b2c3d4e5f6';
    const app = await seedV1('signupflow-cancel-gate');
    const report = await push(app, sha, {
      tail: BREAKS_AFTER_GOING_LIVE,
      window: '120s',
      cancel: { job: 'deploy/release', step: 'gate', afterMs: 1000 }
    });
    expect(step(report, 'deploy/release', 'gate').result).toBe('cancelled');
    const decide = step(report, 'deploy/release', 'decide');
    expect(decide.outputs).toMatchObject({ healthy: 'false', 'rolled-back': 'true' });
    await h.sim.settle(app.id);
    const after = await appNow(app.id);
    expect(after.active_deployment.id).toBe(decide.outputs['rollback-deployment-id']);
    expect(after.pinned_deployment).toBeUndefined();
    expect(await health(app.liveUrl)).toEqual({ status: 200, version: 'v1' });
    expect(report.outputs.deploy).toMatchObject({ shipped: 'false' });
  }, 300_000);
});
