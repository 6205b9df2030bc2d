/**
 * The README's release workflows through the workflow runner, against the App Platform simulator and the local
 * registry: a push to main that ships (gate passes, no rollback), the rollback button (the previous deployment
 * serves again), and a push whose release breaks after going live (rolled back automatically, the previous
 * version serves, nothing pinned). The app exists first, as the README's setup has it (deploy by app id, no spec).
 */
import { runWorkflow, type RunReport } from '../../test-support/workflow-runner/index.js';
import { readmeCallers } from '../../test-support/workflow-runner/repositories.js';
import { CALLER, callerRepository, repositories, step } from '../../test-support/workflow-runner/scenario.js';
import {
  DEBIAN_PYTHON,
  PUBLIC_HEALTH_URL,
  releaseStandIns,
  signupflowRepository
} from '../../test-support/workflow-runner/signupflow.js';
import { appSpec, appView, health, type SimulatorWithImages } from '../../test-support/signupflow-app.js';
import type { RegistryLike } from '../../test-support/image-builder.js';
import { checked, type Rehearsal } from './stage.js';

export const HEALTHY_SHA = 'd4e5f60718293a4b5c6d7e8f9012345678a1b2c3';
export const BREAKING_SHA = 'e5f60718293a4b5c6d7e8f9012345678a1b2c3d4';
/** The example app's test hook: its database check fails 4 s after start, i.e. once the release is live. */
const BREAKS_AFTER_GOING_LIVE = 'ENV CHAOS_DB_FAIL_AFTER_SECONDS=4\n';

const log = (line: string) => console.log(`  | ${line}`);

export interface ReleaseStack {
  h: SimulatorWithImages;
  registry: RegistryLike;
  /** The database the deploy's migrate job migrates (DATABASE_URL of the caller). */
  migrationsUrl: string;
}

export async function rehearseReleases(rehearsal: Rehearsal, stack: ReleaseStack): Promise<void> {
  const { h, registry } = stack;
  const seeded = await h.sim.seedApp(appSpec('signupflow', h.images.v1!.source) as never);
  const app = { id: seeded.id as string, liveUrl: seeded.live_url as string };
  const appNow = () => appView(h.sim, app.id);

  const push = (sha: string, tail = '', window = '5s'): Promise<RunReport> =>
    runWorkflow({
      caller: { path: '.github/workflows/production.yml', content: readmeCallers()['production.yml']! },
      event: { name: 'push' },
      sha,
      repository: CALLER,
      repositories: repositories(signupflowRepository(sha, tail)),
      vars: { APP_ID: app.id },
      secrets: { DIGITALOCEAN_TOKEN: h.sim.token, DATABASE_URL: stack.migrationsUrl },
      python: DEBIAN_PYTHON,
      rewrite: releaseStandIns(h.sim, registry, app.liveUrl, { window }),
      log
    });

  await rehearsal.step(
    'workflow: README production.yml on push (healthy release)',
    'build, migrate 3 revisions, deploy, gate passes, no rollback, the new commit serves',
    async () => {
      const r = await push(HEALTHY_SHA);
      const gate = step(r, 'deploy/release', 'gate').outputs;
      const migrate = step(r, 'deploy/release', 'migrate').outputs;
      const served = await health(app.liveUrl);
      return checked(
        `${r.conclusion}, ${migrate['applied-count']} applied, healthy=${gate.healthy}, rolled-back=${gate['rolled-back']}, /health ${served.status} ${served.version}`,
        {
          'run succeeded': r.conclusion === 'success',
          '3 migrations applied': migrate['applied-count'] === '3',
          'gate healthy, no rollback': gate.healthy === 'true' && gate['rolled-back'] === 'false',
          'the pushed commit serves': served.status === 200 && served.version === HEALTHY_SHA,
          'shipped output true': r.outputs.deploy?.shipped === 'true'
        },
        r
      );
    }
  );

  await rehearsal.step(
    'workflow: README rollback.yml (the button)',
    'the previous deployment (v1) serves again, its health gate passes',
    async () => {
      const r = await runWorkflow({
        caller: { path: '.github/workflows/rollback.yml', content: readmeCallers()['rollback.yml']! },
        event: { name: 'workflow_dispatch', inputs: { reason: 'rehearsal: back to v1' } },
        repository: CALLER,
        repositories: repositories(callerRepository()),
        vars: { APP_ID: app.id },
        secrets: { DIGITALOCEAN_TOKEN: h.sim.token },
        rewrite: {
          inputs: (action, inputs) =>
            action === 'deploy-app-platform' || action === 'health-gate'
              ? {
                  ...inputs,
                  'api-url': h.sim.url,
                  ...(inputs.url ? { url: inputs.url.replace(PUBLIC_HEALTH_URL, app.liveUrl) } : {})
                }
              : inputs
        },
        log
      });
      const rollback = step(r, 'rollback/rollback', 'rollback').outputs;
      const served = await health(app.liveUrl);
      const after = await appNow();
      return checked(
        `${r.conclusion}, phase ${rollback.phase}, /health ${served.status} ${served.version}`,
        {
          'run succeeded': r.conclusion === 'success',
          'rollback deployment ACTIVE': rollback.phase === 'ACTIVE',
          'v1 serves': served.status === 200 && served.version === 'v1',
          'the rollback deployment is the active one':
            after.active_deployment?.id === rollback['deployment-id'],
          'not pinned': after.pinned_deployment === undefined
        },
        r
      );
    }
  );

  await rehearsal.step(
    'workflow: README production.yml on push (release breaks after going live)',
    'deploy succeeds, gate fails, automatic rollback, the previous version (v1) serves, not pinned',
    async () => {
      const r = await push(BREAKING_SHA, BREAKS_AFTER_GOING_LIVE, '20s');
      const deploy = step(r, 'deploy/release', 'deploy');
      const gate = step(r, 'deploy/release', 'gate');
      const served = await health(app.liveUrl);
      const after = await appNow();
      return checked(
        `${r.conclusion}, deploy ${deploy.result}, gate ${gate.result}, healthy=${gate.outputs.healthy}, rolled-back=${gate.outputs['rolled-back']}, /health ${served.status} ${served.version}`,
        {
          'run failed': r.conclusion === 'failure',
          'deploy succeeded': deploy.result === 'success',
          'gate failed and rolled back':
            gate.result === 'failure' &&
            gate.outputs.healthy === 'false' &&
            gate.outputs['rolled-back'] === 'true',
          'the previous version serves': served.status === 200 && served.version === 'v1',
          'shipped output false': r.outputs.deploy?.shipped === 'false',
          "the gate's rollback deployment is the active one":
            after.active_deployment?.id === gate.outputs['rollback-deployment-id'],
          'not pinned': after.pinned_deployment === undefined
        },
        r
      );
    }
  );
}
