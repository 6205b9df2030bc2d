/**
 * Request-side contract: every request the client sends (method, path, query, JSON body) must match an
 * operation of DigitalOcean's OpenAPI spec (../shared/digitalocean-openapi/apps.json) and validate against
 * its parameter and request-body schemas. The response side is the simulator's contract test.
 *
 * Documented gaps of the spec, relaxed here and nowhere else (reference §1.7 and §2, apps.json README):
 *  1. AppSpec lacks app-level `envs`, `alerts`, `features`: allowed as extra keys of `spec`.
 *  2. Component-level `alerts` exist only on functions in the spec: allowed on services/workers/jobs.
 *  3. Jobs lack `schedule` and `timeout` (SCHEDULED kind): allowed as extra keys of jobs[].
 * The spec sets no `additionalProperties: false`, so on top of the schemas this test rejects any key the
 * spec does not name (a misspelt field would otherwise pass silently).
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import { DigitalOceanClient, type RequestInfo } from '../../src/digitalocean/client.js';
import { deploy } from '../../src/digitalocean/deploy.js';
import { performRollback, resolveRollbackTarget } from '../../src/digitalocean/rollback.js';
import { parseImageRef } from '../../src/digitalocean/spec.js';
import { createMemoryLogger } from '../../src/kit/log.js';
import { FakePlatform, sampleSpec } from '../deploy/fake-api.js';

type Schema = Record<string, unknown> & {
  properties?: Record<string, Schema>;
  allOf?: Schema[];
  items?: Schema;
};
interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; required?: boolean; schema: Schema }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
}

const openapi = JSON.parse(readFileSync('../shared/digitalocean-openapi/apps.json', 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
};
const Ajv = (AjvModule as unknown as { default: typeof AjvModule }).default ?? AjvModule;
const addFormats =
  (addFormatsModule as unknown as { default: typeof addFormatsModule }).default ?? addFormatsModule;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
for (const f of ['int32', 'int64', 'uint32', 'uint64', 'float', 'double']) ajv.addFormat(f, true);

const GAPS = [
  /^spec\.(envs|alerts|features)$/,
  /^spec\.(services|workers|jobs)\[\]\.alerts$/,
  /^spec\.jobs\[\]\.(schedule|timeout)$/
];

/** The operation for a concrete method + path, by turning `{param}` templates into patterns. */
function findOperation(method: string, path: string): { template: string; op: Operation } | undefined {
  const matches: { template: string; op: Operation; literal: number }[] = [];
  for (const [template, ops] of Object.entries(openapi.paths)) {
    const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    const op = ops[method.toLowerCase()];
    if (op && re.test(path))
      matches.push({ template, op, literal: template.replace(/\{[^}]+\}/g, '').length });
  }
  // `/v2/apps/propose` also matches `/v2/apps/{id}`: the most literal template wins.
  return matches.sort((a, b) => b.literal - a.literal)[0];
}

/** Property names a schema allows, through allOf. */
function known(schema: Schema | undefined): Map<string, Schema> {
  const out = new Map<string, Schema>();
  if (!schema) return out;
  for (const [k, v] of Object.entries(schema.properties ?? {})) out.set(k, v);
  for (const part of schema.allOf ?? []) for (const [k, v] of known(part)) out.set(k, v);
  return out;
}

/** Keys the spec does not name, as paths like `spec.services[].imagee`. */
function unknownKeys(value: unknown, schema: Schema | undefined, path: string): string[] {
  if (!schema) return [];
  if (Array.isArray(value)) return value.flatMap(v => unknownKeys(v, schema.items, `${path}[]`));
  if (!value || typeof value !== 'object') return [];
  const props = known(schema);
  if (props.size === 0) return []; // free-form object in the spec (e.g. step children)
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k;
    if (props.has(k)) out.push(...unknownKeys(v, props.get(k), at));
    else if (!GAPS.some(g => g.test(at))) out.push(at);
  }
  return out;
}

function problems(req: RequestInfo): string[] {
  const url = new URL(req.path, 'http://x');
  const found = findOperation(req.method, url.pathname);
  if (!found) return [`${req.method} ${url.pathname}: no such operation in apps.json`];
  const { op } = found;
  const out: string[] = [];
  const where = `${req.method} ${url.pathname} (${op.operationId})`;
  const params = op.parameters ?? [];
  for (const [name, raw] of url.searchParams) {
    const p = params.find(x => x.in === 'query' && x.name === name);
    if (!p) {
      out.push(`${where}: query parameter '${name}' is not documented`);
      continue;
    }
    const value =
      p.schema.type === 'integer'
        ? Number(raw)
        : p.schema.type === 'boolean'
          ? raw === 'true'
            ? true
            : raw === 'false'
              ? false
              : raw
          : raw;
    if (!ajv.validate(p.schema, value)) out.push(`${where}: query ${name}=${raw}: ${ajv.errorsText()}`);
  }
  for (const p of params.filter(x => x.in === 'query' && x.required))
    if (!url.searchParams.has(p.name)) out.push(`${where}: required query parameter '${p.name}' missing`);
  const bodySchema = op.requestBody?.content['application/json']?.schema;
  if (req.body === undefined) {
    if (op.requestBody?.required) out.push(`${where}: request body is required`);
  } else if (!bodySchema) out.push(`${where}: sends a body the operation does not take`);
  else {
    if (!ajv.validate(bodySchema, req.body))
      out.push(`${where}: body ${ajv.errorsText(ajv.errors, { dataVar: 'body' })}`);
    for (const k of unknownKeys(req.body, bodySchema, ''))
      out.push(`${where}: body key '${k}' is not in the spec`);
  }
  return out;
}

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
  const image = parseImageRef(`ghcr.io/signupflow/app@sha256:${'d'.repeat(64)}`);
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
  await performRollback(client, app.id, target.deploymentId, {
    pollIntervalMs: 1,
    timeoutMs: 60_000,
    logger: createMemoryLogger(),
    sleep: async () => {}
  });
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
