// The README's rollback button (workflow_dispatch caller of rollback.yml) restores the previous deployment and its
// short health gate sees the previous version serve. DigitalOcean's API is the local App Platform simulator.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runWorkflow } from '../../../test-support/workflow-runner/index.js';
import { readmeCallers } from '../../../test-support/workflow-runner/repositories.js';
import {
  api,
  appSpec,
  health,
  startHarness,
  waitForDeployment,
  type Harness
} from '../../simulator/harness.js';
import { CALLER, callerRepository, repositories, step } from './harness.js';

let h: Harness;
let appId: string;
let liveUrl: string;

beforeAll(async () => {
  h = await startHarness({ v1: {}, v2: {} });
  const app = await h.sim.seedApp(appSpec('signupflow-button', h.images.v1!.source) as never);
  appId = app.id as string;
  liveUrl = app.live_url as string;
  const spec = (await api(h.sim, 'GET', `/v2/apps/${appId}`)).body.app.spec;
  spec.services[0].image = h.images.v2!.source;
  const put = await api(h.sim, 'PUT', `/v2/apps/${appId}`, { spec });
  await waitForDeployment(h.sim, appId, put.body.app.pending_deployment.id);
}, 300_000);

afterAll(async () => {
  await h?.close();
});

describe('rollback button (README caller)', () => {
  it('rolls back to the previous deployment, which then serves', async () => {
    expect((await health(liveUrl)).version).toBe('v2');
    const report = await runWorkflow({
      caller: { path: '.github/workflows/rollback.yml', content: readmeCallers()['rollback.yml']! },
      event: { name: 'workflow_dispatch', inputs: { reason: 'v2 breaks sign-ups' } },
      repository: CALLER,
      repositories: repositories(callerRepository()),
      vars: { APP_ID: appId },
      secrets: { DIGITALOCEAN_TOKEN: h.sim.token },
      // DigitalOcean's API and the app's public URL are the simulator's.
      rewrite: {
        inputs: (action, inputs) =>
          action === 'deploy-app-platform' || action === 'health-gate'
            ? {
                ...inputs,
                'api-url': h.sim.url,
                ...(inputs.url ? { url: inputs.url.replace('https://signupflow.example.org', liveUrl) } : {})
              }
            : inputs
      },
      log: process.env.RUNNER_LOG ? line => console.log(line) : undefined
    });
    expect(report.conclusion).toBe('success');
    expect(step(report, 'rollback/rollback', 'rollback').outputs.phase).toBe('ACTIVE');
    expect((await health(liveUrl)).version).toBe('v1');
    expect(report.jobs.find(j => j.id === 'rollback/rollback')!.summary).toContain(
      'Requested by octocat: v2 breaks sign-ups'
    );
    // Never in the deploy group: a later push cannot cancel it while it waits.
    expect(report.concurrency['rollback']).toBe('rollback-acme/signupflow-production');
  });
});
