/**
 * Request-side contract: every request the client sends (method, path, query, JSON body) must match an
 * operation of apps.json and validate against its parameter and request-body schemas (see
 * request-contract.ts for the documented gaps relaxed). The response side is the simulator's contract test.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { DigitalOceanClient, type RequestInfo } from '../../src/digitalocean/client.js';
import { deploy } from '../../src/digitalocean/deploy.js';
import { rollBack, resolveRollbackTarget } from '../../src/digitalocean/rollback.js';
import { parseAppPlatformImage } from '../../src/digitalocean/app-platform-image.js';
import { createMemoryLogger } from '../../src/kit/log.js';
import { FakePlatform, sampleSpec } from '../deploy/fake-api.js';
import { findOperation, requestProblems as problems } from './request-contract.js';

const fake = new FakePlatform();
const sent: RequestInfo[] = [];
let client: DigitalOceanClient;
beforeAll(async () => {
  await fake.start();
  client = new DigitalOceanClient({
    token: 'dop_v1_contract',
    apiUrl: fake.url,
    logger: createMemoryLogger(),
    sleep: async () => {},
    onRequest: r => void sent.push(r)
  });
});
afterAll(() => fake.stop());

test('the contract check itself catches a misspelt field, an undocumented query and a bad enum', () => {
  expect(
    problems({
      method: 'PUT',
      path: '/v2/apps/x',
      body: { spec: sampleSpec(), update_all_source_version: true },
      attempt: 1
    })
  ).toEqual(["PUT /v2/apps/x (apps_update): body key 'update_all_source_version' is not in the spec"]);
  expect(
    problems({ method: 'GET', path: '/v2/apps/a/deployments/d/logs?type=BOTH&tail=5', attempt: 1 })
  ).toEqual([
    expect.stringMatching(/query type=BOTH: .*allowed values/),
    "GET /v2/apps/a/deployments/d/logs (apps_get_logs_aggregate): query parameter 'tail' is not documented"
  ]);
  expect(
    problems({ method: 'POST', path: '/v2/apps/a/rollback/commit', body: { x: 1 }, attempt: 1 })[0]
  ).toMatch(/does not take/);
  expect(problems({ method: 'DELETE', path: '/v2/apps/a/whatever', attempt: 1 })[0]).toMatch(
    /no such operation/
  );
});

test('every request the client sends validates against apps.json', async () => {
  const app = fake.addApp(sampleSpec('contract'), 2);
  const image = parseAppPlatformImage(`ghcr.io/signupflow/app@sha256:${'d'.repeat(64)}`);
  // Each public client call once…
  await client.getApp(app.id);
  await client.listApps(2);
  await client.findAppByName('contract');
  await client.proposeApp(app.spec as never);
  await client.proposeApp(app.spec as never, app.id);
  await client.listDeployments(app.id, { perPage: 5 });
  const dep = app.deployments[0]!;
  await client.getDeployment(app.id, dep.id);
  fake.nextLogs = { BUILD: 'b\n', DEPLOY: 'd\n' };
  const created = await client.createDeployment(app.id);
  await client.createDeployment(app.id, true);
  await client.getDeploymentLogs(app.id, created.id, undefined, 'BUILD');
  await client.getDeploymentLogs(app.id, created.id, 'web', 'DEPLOY');
  await client.cancelDeployment(app.id, created.id);
  await client.getAppHealth(app.id);
  await client.validateRollback(app.id, app.deployments.at(-1)!.id);
  const rb = await client.createRollback(app.id, app.deployments.at(-1)!.id);
  expect(rb.id).toBeDefined();
  await client.revertRollback(app.id);
  // …and the requests of whole flows: image deploy, spec create, rollback with commit.
  fake.nextLogs = undefined;
  const flow = {
    timeoutMs: 60_000,
    pollIntervalMs: 1,
    printLogs: 'always' as const,
    logDir: '/tmp',
    env: {}
  };
  const hooks = { logger: createMemoryLogger(), report: () => {}, sleep: async () => {} };
  await deploy(client, { ...flow, appId: app.id, image }, hooks);
  await deploy(
    client,
    {
      ...flow,
      appName: 'contract-new',
      specFile: { path: 'app.yaml', text: JSON.stringify(sampleSpec('contract-new')) },
      image
    },
    hooks
  );
  const target = await resolveRollbackTarget(client, app.id, 'previous');
  const rolledBack = await rollBack(client, app.id, target.deploymentId, {
    pollIntervalMs: 1,
    timeoutMs: 60_000,
    logger: createMemoryLogger(),
    sleep: async () => {}
  });
  expect(rolledBack.failure).toBeUndefined();
  await client.updateApp(app.id, app.spec as never);

  const apiRequests = sent.filter(r => r.path.startsWith('/v2/'));
  const operations = new Set(
    apiRequests.map(r => findOperation(r.method, new URL(r.path, 'http://x').pathname)?.op.operationId)
  );
  expect([...operations].sort()).toEqual(
    [
      'apps_get',
      'apps_list',
      'apps_create',
      'apps_update',
      'apps_validate_appSpec',
      'apps_list_deployments',
      'apps_get_deployment',
      'apps_create_deployment',
      'apps_cancel_deployment',
      'apps_get_logs_aggregate',
      'apps_get_logs',
      'apps_get_health',
      'apps_validate_rollback',
      'apps_create_rollback',
      'apps_commit_rollback',
      'apps_revert_rollback'
    ].sort()
  );
  expect(apiRequests.flatMap(problems)).toEqual([]);
});
