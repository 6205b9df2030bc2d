// The example's own App Platform spec (examples/signupflow/.do/app.yaml, ${VAR}s filled like the deploy action
// does) deploys on the simulator: its PRE_DEPLOY job runs `alembic upgrade head` against the database before
// the new version starts; a failing job fails the deployment and the previous version keeps serving.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { parse as parseYaml } from 'yaml';
import { sharedPostgres } from '../../test-support/shared.js';
import { api, EXAMPLE_APP_DIR, health, startHarness, waitForDeployment, type Harness } from './harness.js';
import { contractViolations } from './contract.js';

let h: Harness;
let databaseUrl = '';

function exampleSpec(vars: Record<string, string>) {
  const text = readFileSync(join(EXAMPLE_APP_DIR, '.do', 'app.yaml'), 'utf8');
  return parseYaml(
    text.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (_m, name: string) => vars[name] ?? '')
  ) as Record<string, unknown>;
}

async function alembicVersion(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const r = await client.query('SELECT version_num FROM alembic_version').catch(() => undefined);
    return r?.rows[0]?.version_num as string | undefined;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  const server = await sharedPostgres();
  databaseUrl = await server.createDatabase(`sim_example_${Date.now().toString(36)}`);
  h = await startHarness({ v1: {} });
}, 120_000);

afterAll(async () => {
  await h?.close();
});

test('app.yaml as written: the PRE_DEPLOY migration runs, then web goes ACTIVE at the spec APP_VERSION', async () => {
  const spec = exampleSpec({
    GITHUB_REPOSITORY_OWNER: 'acme',
    IMAGE_DIGEST: h.images.v1!.digest,
    DATABASE_URL: databaseUrl,
    SECRET_KEY: 'rehearsal-secret',
    APP_VERSION: 'commit-1',
    PAPERTRAIL_ENDPOINT: 'syslog+tls://logs.example.org:1234'
  });
  expect(await alembicVersion()).toBeUndefined();
  const created = await api(h.sim, 'POST', '/v2/apps', { spec });
  expect([created.status, created.body.message]).toEqual([200, undefined]);
  const appId = created.body.app.id;
  const { deployment } = await waitForDeployment(h.sim, appId, created.body.app.pending_deployment.id);
  expect(deployment.phase).toBe('ACTIVE');
  const job = deployment.progress.steps[1].steps[1].steps[0];
  expect(job).toMatchObject({
    name: 'migrate',
    status: 'SUCCESS',
    steps: [{ name: 'run', message_base: 'Running pre-deploy job' }]
  });
  expect(await alembicVersion()).toBe('0003');
  const live = (await api(h.sim, 'GET', `/v2/apps/${appId}`)).body.app.live_url;
  expect(await health(live)).toEqual({ status: 200, version: 'commit-1' });

  // A migration that fails (an unknown target revision) fails the deployment before web is replaced.
  const failing = structuredClone(created.body.app.spec);
  failing.jobs[0].run_command = 'alembic -c alembic.ini upgrade no_such_revision';
  failing.services[0].envs.find((e: { key: string }) => e.key === 'APP_VERSION').value = 'commit-2';
  const put = await api(h.sim, 'PUT', `/v2/apps/${appId}`, { spec: failing });
  const failed = await waitForDeployment(h.sim, appId, put.body.app.pending_deployment.id);
  expect(failed.deployment.phase).toBe('ERROR');
  const step = failed.deployment.progress.steps[1].steps[1].steps[0].steps[0];
  expect(step).toMatchObject({ status: 'ERROR', reason: { code: 'PreDeployJobFailed' } });
  const logs = await api(
    h.sim,
    'GET',
    `/v2/apps/${appId}/deployments/${failed.deployment.id}/components/migrate/logs?type=DEPLOY`
  );
  expect(await (await fetch(logs.body.historic_urls[0])).text()).toContain('no_such_revision');
  expect(await health(live)).toEqual({ status: 200, version: 'commit-1' });
});

test('contract: every response in this file validates against apps.json', () => {
  expect(contractViolations(h.sim.requests)).toEqual([]);
});
