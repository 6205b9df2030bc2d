/**
 * The committed deploy bundle against response bodies from DigitalOcean's own code and spec (evidence/*.json,
 * each entry naming its source). Where a scenario needs a state those sources never show (a deployment
 * SUPERSEDED after it went ACTIVE, a 524 after the PUT took effect), the constructed part is said so inline.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runActionBundle } from '../../bin/run-bundle.js';
import {
  fixture,
  fixtureText,
  ReplayServer,
  spawnBundle,
  until,
  type Obj,
  type Route
} from './replay-server.js';

const TOKEN = 'dop_v1_replaytoken0123456789abcdef';
const clean = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.startsWith('GITHUB_') && !k.startsWith('INPUT_'))
);

let api: ReplayServer;
beforeEach(async () => {
  api = await new ReplayServer().start();
});
afterEach(() => api.stop());

function specFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'replay-spec-'));
  const file = join(dir, 'app.yaml');
  writeFileSync(file, text);
  return file;
}

async function deploy(inputs: Record<string, string>, env: Record<string, string> = {}) {
  const run = await runActionBundle({
    name: 'deploy-app-platform',
    inputs: { token: TOKEN, 'api-url': api.url, 'poll-interval': '100ms', timeout: '20s', ...inputs },
    env: { ...clean, ...env },
    onLine: () => {}
  });
  const log = run.stdout + run.stderr;
  return { ...run, log, explain: `\n--- action log ---\n${log}\n--- requests ---\n${describe()}` };
  function describe() {
    return api.requests.map(r => `${r.method} ${r.path}?${r.query.toString()}`).join('\n');
  }
}

const json = (body: unknown, status = 200): { status: number; body: unknown } => ({ status, body });
const postDeployments = (appId: string) => api.calls('POST', `/v2/apps/${appId}/deployments`);

/** app_action's TestDeploy world: a pre-existing app "foo" (List answers it) whose Update answers only {id}. */
function appActionRoutes(final: 'deploymentActive' | 'deploymentError'): Route[] {
  const existing = { ...fixture('app-action', 'app'), spec: { name: 'foo' } };
  const build = fixture<{ historic_urls: string[] }>('app-action', 'buildLogs');
  const dep = fixture<{ historic_urls: string[] }>('app-action', 'deployLogs');
  // The transcribed archive URLs (http://build.com, http://deploy.com) point at this server instead.
  api.archives.set('build', fixtureText('app-action', 'buildLogs'));
  api.archives.set('deploy', fixtureText('app-action', 'deployLogs'));
  build.historic_urls = [`${api.url}/archive/build`];
  dep.historic_urls = [`${api.url}/archive/deploy`];
  return [
    { method: 'GET', path: '/v2/apps', replies: [json({ apps: [existing], links: {} })] },
    { method: 'POST', path: '/v2/apps/propose', replies: [json(fixture('doctl', 'proposeAvailable'))] },
    { method: 'PUT', path: '/v2/apps/app-id', replies: [json({ app: fixture('app-action', 'app') })] },
    {
      method: 'GET',
      path: '/v2/apps/app-id',
      replies: [json({ app: fixture('app-action', 'appLive') })]
    },
    {
      method: 'GET',
      path: '/v2/apps/app-id/deployments',
      replies: [json({ deployments: fixture('app-action', 'deployments'), links: {} })]
    },
    {
      method: 'GET',
      path: '/v2/apps/app-id/deployments/deployment-id',
      replies: [json({ deployment: fixture('app-action', final) })]
    },
    {
      method: 'GET',
      path: '/v2/apps/app-id/deployments/deployment-id/logs',
      query: { type: 'BUILD' },
      replies: [json(build)]
    },
    {
      method: 'GET',
      path: '/v2/apps/app-id/deployments/deployment-id/logs',
      query: { type: 'DEPLOY' },
      replies: [json(dep)]
    }
  ];
}

describe('app_action TestDeploy answers (no pending_deployment on Update)', () => {
  test('success: follows the deployment the update started, never POSTs a second one, prints both logs', async () => {
    api.use(...appActionRoutes('deploymentActive'));
    const file = specFile(
      'name: foo\nservices:\n  - name: web\n    image: {registry_type: GHCR, registry: foo, repository: bar, tag: v1}\n'
    );
    const r = await deploy({ 'app-name': 'foo', 'app-spec': file, 'print-logs': 'always' });
    expect({ code: r.code, explain: r.explain }).toEqual({ code: 0, explain: r.explain });
    expect(postDeployments('app-id')).toHaveLength(0);
    expect(api.calls('PUT', '/v2/apps/app-id')).toHaveLength(1);
    expect(r.outputs['deployment-id']).toBe('deployment-id');
    expect(r.outputs.phase).toBe('ACTIVE');
    expect(r.log).toContain('build log');
    expect(r.log).toContain('deploy log');
    expect(r.log).not.toMatch(/nothing changed/);
    expect(api.unmatched).toEqual([]);
  });

  test('ERROR: fails naming the phase, prints both logs, no second deployment', async () => {
    api.use(...appActionRoutes('deploymentError'));
    const file = specFile(
      'name: foo\nservices:\n  - name: web\n    image: {registry_type: GHCR, registry: foo, repository: bar, tag: v1}\n'
    );
    const r = await deploy({ 'app-name': 'foo', 'app-spec': file });
    expect(r.code).not.toBe(0);
    expect(postDeployments('app-id')).toHaveLength(0);
    expect(r.outputs.phase).toBe('ERROR');
    expect(r.log).toMatch(/::error::.*ERROR/);
    expect(r.log).toContain('build log');
    expect(r.log).toContain('deploy log');
  });

  test('create (app_action "success": Create answers only {id}): no POST /deployments, waits for live_url', async () => {
    const routes = appActionRoutes('deploymentActive');
    api.use(...routes);
    api.use(
      { method: 'GET', path: '/v2/apps', replies: [json({ apps: [], links: {} })] },
      { method: 'POST', path: '/v2/apps', replies: [json({ app: fixture('app-action', 'app') })] },
      {
        method: 'GET',
        path: '/v2/apps/app-id',
        // Constructed: the first read after ACTIVE has no live_url yet (app_action polls until it is set).
        replies: [
          json({ app: fixture('app-action', 'app') }),
          json({ app: fixture('app-action', 'app') }),
          json({ app: fixture('app-action', 'appLive') })
        ]
      }
    );
    const file = specFile(
      'name: foo\nservices:\n  - name: web\n    image: {registry_type: GHCR, registry: foo, repository: bar, tag: v1}\n'
    );
    const r = await deploy({ 'app-name': 'foo', 'app-spec': file });
    expect({ code: r.code, explain: r.explain }).toEqual({ code: 0, explain: r.explain });
    expect(postDeployments('app-id')).toHaveLength(0);
    expect(r.outputs['deployment-id']).toBe('deployment-id');
    expect(r.outputs['live-url']).toBe('https://example.com');
    expect(api.calls('GET', '/v2/apps/app-id')).toHaveLength(3);
  });
});

describe('doctl propose answer', () => {
  test('a taken name (app_name_available omitted, suggestion given) fails before POST /v2/apps', async () => {
    api.use(
      { method: 'GET', path: '/v2/apps', replies: [json({ apps: [], links: {} })] },
      { method: 'POST', path: '/v2/apps/propose', replies: [json(fixture('doctl', 'proposeNameTaken'))] }
    );
    const file = specFile(
      'name: test\nservices:\n  - name: service\n    github: {repo: digitalocean/doctl, branch: main}\n'
    );
    const r = await deploy({ 'app-spec': file });
    expect(r.code).not.toBe(0);
    expect(api.calls('POST', '/v2/apps')).toHaveLength(0);
    expect(r.log).toMatch(/::error::.*taken.*new-name/);
  });
});

/** godo's and doctl's logs answers carry only live_url (a websocket), no historic_urls. */
function liveLogRoutes(appId: string, depId: string, source: 'godo' | 'doctl'): Route[] {
  api.liveLogs.set('BUILD', ['web 2026-12-01T10:00:00Z Step 1/3 : FROM python', 'web build done']);
  api.liveLogs.set('DEPLOY', ['web 2026-12-01T10:00:05Z uvicorn running']);
  return (['BUILD', 'DEPLOY'] as const).map(type => {
    const logs = fixture<Obj>(source, 'getLogs');
    // Transcribed live_url (https://live.logs.url / doctl's ws test server) pointed at this server.
    logs.live_url = `${api.url.replace(/^http/, 'ws')}/live/${type}`;
    return {
      method: 'GET',
      path: `/v2/apps/${appId}/deployments/${depId}/logs`,
      query: { type },
      replies: [json(logs)]
    };
  });
}

describe('godo and doctl answers', () => {
  test('doctl: pending_deployment on the update, step status "pending"/"done", live-only logs printed', async () => {
    const app = fixture<Obj>('doctl', 'testApp');
    const id = app.id as string;
    const pending = fixture<Obj>('doctl', 'testDeployment');
    const before = {
      ...app,
      active_deployment: { ...fixture<Obj>('doctl', 'testDeploymentActive'), id: 'older' }
    };
    api.use(
      { method: 'GET', path: `/v2/apps/${id}`, replies: [json({ app: before })] },
      { method: 'POST', path: '/v2/apps/propose', replies: [json(fixture('doctl', 'proposeAvailable'))] },
      {
        method: 'PUT',
        path: `/v2/apps/${id}`,
        replies: [json({ app: { ...app, active_deployment: pending, pending_deployment: pending } })]
      },
      {
        method: 'GET',
        path: `/v2/apps/${id}/deployments/${pending.id as string}`,
        replies: [
          json({ deployment: pending }),
          json({ deployment: fixture('doctl', 'testDeploymentActive') })
        ]
      },
      ...liveLogRoutes(id, pending.id as string, 'doctl')
    );
    const file = specFile(
      'name: test\nservices:\n  - name: service\n    github: {repo: digitalocean/doctl, branch: main}\n'
    );
    const r = await deploy({ 'app-id': id, 'app-spec': file, 'print-logs': 'always' });
    expect({ code: r.code, explain: r.explain }).toEqual({ code: 0, explain: r.explain });
    expect(r.outputs['deployment-id']).toBe(pending.id);
    expect(postDeployments(id)).toHaveLength(0);
    expect(r.log).toContain('web build done');
    expect(r.log).toContain('uvicorn running');
    expect(r.log).not.toMatch(/No BUILD logs/);
  });

  test('godo: an update answer without pending_deployment, the app read back, live-only logs printed', async () => {
    const app = fixture<Obj>('godo', 'testApp');
    const id = app.id as string;
    const dep = fixture<Obj>('godo', 'testDeployment');
    // godo's testApp has no active_deployment before the update in this scenario (constructed: an older id).
    const before = { ...app, active_deployment: { id: 'older-deployment' } };
    api.use(
      {
        method: 'GET',
        path: `/v2/apps/${id}`,
        replies: [json({ app: before }), json({ app: { ...app, in_progress_deployment: dep } })]
      },
      { method: 'POST', path: '/v2/apps/propose', replies: [json(fixture('doctl', 'proposeAvailable'))] },
      { method: 'PUT', path: `/v2/apps/${id}`, replies: [json({ app })] },
      {
        method: 'GET',
        path: `/v2/apps/${id}/deployments`,
        replies: [json({ deployments: [dep], links: {}, meta: { total: 1 } })]
      },
      {
        method: 'GET',
        path: `/v2/apps/${id}/deployments/${dep.id as string}`,
        replies: [json({ deployment: dep })]
      },
      ...liveLogRoutes(id, dep.id as string, 'godo')
    );
    const file = specFile(
      'name: app-name\nservices:\n  - name: service-name\n    github: {repo: owner/service, branch: branch}\n'
    );
    const r = await deploy({ 'app-id': id, 'app-spec': file, 'print-logs': 'always' });
    expect({ code: r.code, explain: r.explain }).toEqual({ code: 0, explain: r.explain });
    expect(postDeployments(id)).toHaveLength(0);
    expect(r.outputs['deployment-id']).toBe(dep.id);
    expect(r.log).toContain('web build done');
  });

  test('SUPERSEDED after ACTIVE (constructed: godo testDeployment with phase SUPERSEDED) is a success', async () => {
    const app = fixture<Obj>('doctl', 'testApp');
    const id = app.id as string;
    const pending = fixture<Obj>('doctl', 'testDeployment');
    const superseded = { ...fixture<Obj>('godo', 'testDeployment'), id: pending.id, phase: 'SUPERSEDED' };
    api.use(
      {
        method: 'GET',
        path: `/v2/apps/${id}`,
        replies: [json({ app: { ...app, active_deployment: { id: 'older' } } })]
      },
      { method: 'POST', path: '/v2/apps/propose', replies: [json(fixture('doctl', 'proposeAvailable'))] },
      {
        method: 'PUT',
        path: `/v2/apps/${id}`,
        replies: [json({ app: { ...app, pending_deployment: pending } })]
      },
      {
        method: 'GET',
        path: `/v2/apps/${id}/deployments/${pending.id as string}`,
        // ACTIVE came and went between two polls: the next poll already reads SUPERSEDED.
        replies: [json({ deployment: pending }), json({ deployment: superseded })]
      }
    );
    const file = specFile(
      'name: test\nservices:\n  - name: service\n    github: {repo: digitalocean/doctl, branch: main}\n'
    );
    const r = await deploy({ 'app-id': id, 'app-spec': file, 'print-logs': 'never' });
    expect({ code: r.code, explain: r.explain }).toEqual({ code: 0, explain: r.explain });
    expect(r.log).not.toMatch(/::error::/);
  });

  test('SUPERSEDED before it ever became active is still a failure', async () => {
    const app = fixture<Obj>('doctl', 'testApp');
    const id = app.id as string;
    const pending = fixture<Obj>('doctl', 'testDeployment');
    // Constructed: doctl's pending deployment, superseded while its step is still pending.
    const superseded = { ...pending, phase: 'SUPERSEDED' };
    api.use(
      {
        method: 'GET',
        path: `/v2/apps/${id}`,
        replies: [json({ app: { ...app, active_deployment: { id: 'older' } } })]
      },
      { method: 'POST', path: '/v2/apps/propose', replies: [json(fixture('doctl', 'proposeAvailable'))] },
      {
        method: 'PUT',
        path: `/v2/apps/${id}`,
        replies: [json({ app: { ...app, pending_deployment: pending } })]
      },
      {
        method: 'GET',
        path: `/v2/apps/${id}/deployments/${pending.id as string}`,
        replies: [json({ deployment: pending }), json({ deployment: superseded })]
      }
    );
    const file = specFile(
      'name: test\nservices:\n  - name: service\n    github: {repo: digitalocean/doctl, branch: main}\n'
    );
    const r = await deploy({ 'app-id': id, 'app-spec': file, 'print-logs': 'never' });
    expect(r.code).not.toBe(0);
    expect(r.log).toMatch(/::error::.*superseded/i);
  });
});

describe('transport faults', () => {
  const app = () => fixture<Obj>('doctl', 'testApp');
  const file = () =>
    specFile(
      'name: test\nservices:\n  - name: service\n    github: {repo: digitalocean/doctl, branch: main}\n'
    );

  function happyRoutes(id: string, pending: Obj): Route[] {
    return [
      {
        method: 'GET',
        path: `/v2/apps/${id}`,
        replies: [json({ app: { ...app(), active_deployment: { id: 'older' } } })]
      },
      { method: 'POST', path: '/v2/apps/propose', replies: [json(fixture('doctl', 'proposeAvailable'))] },
      {
        method: 'PUT',
        path: `/v2/apps/${id}`,
        replies: [json({ app: { ...app(), pending_deployment: pending } })]
      },
      {
        method: 'GET',
        path: `/v2/apps/${id}/deployments/${pending.id as string}`,
        replies: [json({ deployment: fixture('doctl', 'testDeploymentActive') })]
      }
    ];
  }

  test('429 without Retry-After (burst): waits until ratelimit-reset and recovers', async () => {
    const id = app().id as string;
    const headers = fixture<Record<string, number>>('openapi', 'headers.ratelimit');
    api.use(...happyRoutes(id, fixture('doctl', 'testDeployment')));
    api.use({
      method: 'GET',
      path: `/v2/apps/${id}`,
      replies: [
        {
          status: 429,
          body: fixture('openapi', 'error.429'),
          headers: {
            'ratelimit-limit': String(headers['ratelimit-limit']),
            'ratelimit-remaining': '0',
            'ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1)
          }
        },
        json({ app: { ...app(), active_deployment: { id: 'older' } } })
      ]
    });
    const r = await deploy({ 'app-id': id, 'app-spec': file(), 'print-logs': 'never' });
    expect({ code: r.code, explain: r.explain }).toEqual({ code: 0, explain: r.explain });
    expect(api.calls('GET', `/v2/apps/${id}`).length).toBeGreaterThanOrEqual(2);
  });

  test('429 without Retry-After whose reset is far away (the hourly limit): one clear failure, no retry storm', async () => {
    const id = app().id as string;
    const reset = Math.ceil(Date.now() / 1000) + 50 * 60;
    api.use({
      method: 'GET',
      path: `/v2/apps/${id}`,
      replies: [
        {
          status: 429,
          body: fixture('openapi', 'error.429'),
          headers: { 'ratelimit-limit': '5000', 'ratelimit-remaining': '0', 'ratelimit-reset': String(reset) }
        }
      ]
    });
    const r = await deploy({ 'app-id': id, 'app-spec': file(), 'print-logs': 'never' });
    expect(r.code).not.toBe(0);
    expect(api.calls('GET', `/v2/apps/${id}`)).toHaveLength(1);
    expect(r.log).toMatch(/::error::.*rate limit.*resets at/i);
    expect(r.log).toContain(new Date(reset * 1000).toISOString().slice(11, 16));
  });

  test('524 on the PUT after it took effect: read back, one PUT, no second deployment', async () => {
    const id = app().id as string;
    const pending = fixture<Obj>('doctl', 'testDeployment');
    let applied = false;
    api.use(...happyRoutes(id, pending));
    api.use(
      {
        method: 'PUT',
        path: `/v2/apps/${id}`,
        replies: [
          {
            status: 524,
            // Constructed: Cloudflare's 524 page (TF provider #1466 reports 524s from the DO API).
            raw: '<!DOCTYPE html><html><head><title>api.digitalocean.com | 524: A timeout occurred</title></head><body>Error code 524</body></html>',
            headers: { 'content-type': 'text/html' },
            effect: () => (applied = true)
          },
          json({ app: { ...app(), pending_deployment: { ...pending, id: 'second-deployment' } } })
        ]
      },
      {
        method: 'GET',
        path: `/v2/apps/${id}`,
        replies: () =>
          json({
            app: applied
              ? { ...app(), active_deployment: { id: 'older' }, pending_deployment: pending }
              : { ...app(), active_deployment: { id: 'older' } }
          })
      }
    );
    const r = await deploy({ 'app-id': id, 'app-spec': file(), 'print-logs': 'never' });
    expect({ code: r.code, explain: r.explain }).toEqual({ code: 0, explain: r.explain });
    expect(api.calls('PUT', `/v2/apps/${id}`)).toHaveLength(1);
    expect(postDeployments(id)).toHaveLength(0);
    expect(r.outputs['deployment-id']).toBe(pending.id);
  });

  test('timeout with cancel: the phase output is the phase read back after the cancel (OpenAPI cancel example)', async () => {
    const id = app().id as string;
    const pending = fixture<Obj>('doctl', 'testDeployment');
    const canceled = fixture<{ deployment: Obj }>('openapi', 'apps_cancel_deployment.200').deployment;
    let cancelCalled = false;
    api.use(...happyRoutes(id, pending));
    api.use(
      {
        method: 'GET',
        path: `/v2/apps/${id}/deployments/${pending.id as string}`,
        replies: () => json({ deployment: cancelCalled ? { ...pending, phase: 'CANCELED' } : pending })
      },
      {
        method: 'POST',
        path: `/v2/apps/${id}/deployments/${pending.id as string}/cancel`,
        replies: [
          { ...json({ deployment: { ...canceled, id: pending.id } }), effect: () => (cancelCalled = true) }
        ]
      }
    );
    const r = await deploy({ 'app-id': id, 'app-spec': file(), timeout: '1s', 'print-logs': 'never' });
    expect(r.code).not.toBe(0);
    expect(r.outputs.phase).toBe('CANCELED');
  });
});

describe('rollback-to previous (constructed deployment lists on godo testDeployment)', () => {
  function dep(id: string, phase: string, image: string, type: string, createdAt: string): Obj {
    const d = fixture<Obj>('godo', 'testDeployment');
    return {
      ...d,
      id,
      phase,
      created_at: createdAt,
      cause_details: { type },
      spec: {
        name: 'app-name',
        services: [
          {
            name: 'service-name',
            image: {
              registry_type: 'GHCR',
              registry: 'acme',
              repository: 'app',
              digest: `sha256:${image.repeat(64)}`
            }
          }
        ]
      }
    };
  }

  test('skips autoscaled, restart and maintenance deployments of the same image and pages until a different one', async () => {
    const app = fixture<Obj>('godo', 'testApp');
    const id = app.id as string;
    const active = dep('active-b', 'ACTIVE', 'b', 'MANUAL', '2026-12-01T10:00:00Z');
    const page1 = [
      dep('autoscaled-b', 'SUPERSEDED', 'b', 'AUTOSCALED', '2026-12-01T09:00:00Z'),
      active,
      dep('maintenance-b', 'SUPERSEDED', 'b', 'MAINTENANCE', '2026-12-01T08:00:00Z'),
      dep('failed-a', 'ERROR', 'a', 'MANUAL', '2026-12-01T07:30:00Z')
    ];
    const page2 = [
      dep('first-b', 'SUPERSEDED', 'b', 'MANUAL', '2026-12-01T07:00:00Z'),
      dep('release-a', 'SUPERSEDED', 'a', 'MANUAL', '2026-11-30T10:00:00Z'),
      dep('release-0', 'SUPERSEDED', '0', 'MANUAL', '2026-11-29T10:00:00Z')
    ];
    const rollback = fixture<{ deployment: Obj }>('openapi', 'apps_create_rollback.200').deployment;
    api.use(
      {
        method: 'GET',
        path: `/v2/apps/${id}`,
        replies: [json({ app: { ...app, active_deployment: active } })]
      },
      {
        method: 'GET',
        path: `/v2/apps/${id}/deployments`,
        replies: r =>
          r.query.get('page') === '2'
            ? json({ deployments: page2, links: {} })
            : json({
                deployments: page1,
                links: {
                  pages: {
                    next: `${api.url}/v2/apps/${id}/deployments?page=2&per_page=${r.query.get('per_page')}`
                  }
                }
              })
      },
      {
        method: 'GET',
        path: `/v2/apps/${id}/deployments/${rollback.id as string}`,
        replies: [json({ deployment: { ...rollback, phase: 'ACTIVE' } })]
      },
      {
        method: 'POST',
        path: `/v2/apps/${id}/rollback/validate`,
        replies: [json(fixture('openapi', 'apps_validate_rollback.200.Valid rollback'))]
      },
      { method: 'POST', path: `/v2/apps/${id}/rollback`, replies: [json({ deployment: rollback })] },
      { method: 'POST', path: `/v2/apps/${id}/rollback/commit`, replies: [{ status: 200 }] }
    );
    const r = await deploy({ 'app-id': id, 'rollback-to': 'previous', 'print-logs': 'never' });
    expect({ code: r.code, explain: r.explain }).toEqual({ code: 0, explain: r.explain });
    const posted = api.calls('POST', `/v2/apps/${id}/rollback`);
    expect(posted.map(p => (p.body as Obj).deployment_id)).toEqual(['release-a']);
  });
});

describe('spec placeholders and masking (doctl testApp)', () => {
  const app = () => fixture<Obj>('doctl', 'testApp');
  const spec = (env: string) =>
    specFile(
      `name: test\nservices:\n  - name: service\n    image: {registry_type: GHCR, registry: acme, repository: app, tag: v1}\n    envs:\n${env}`
    );

  test('unset ${VAR} and $VAR fail before any request, naming every missing one; bindables stay', async () => {
    const file = spec(
      '      - {key: SECRET_KEY, value: "${SECRET_KEY}"}\n      - {key: OTHER, value: "$OTHER_TOKEN"}\n      - {key: DB, value: "${db.DATABASE_URL}"}\n'
    );
    const r = await deploy({ 'app-id': app().id as string, 'app-spec': file });
    expect(r.code).not.toBe(0);
    expect(api.requests).toEqual([]);
    expect(r.log).toMatch(/::error::Input 'app-spec' .*\$\{SECRET_KEY\}, \$\{OTHER_TOKEN\}, not set/);
    expect(r.log).not.toContain('db.DATABASE_URL}, ');
  });

  test('a substituted value echoed by a 422 body never prints; $VAR is substituted too', async () => {
    const id = app().id as string;
    const secret = 'sk-live-0a1b2c3d4e5f';
    api.use(
      {
        method: 'GET',
        path: `/v2/apps/${id}`,
        replies: [json({ app: { ...app(), active_deployment: { id: 'older' } } })]
      },
      {
        method: 'POST',
        path: '/v2/apps/propose',
        // Constructed: a 422 whose message quotes the offending value, as validation errors often do.
        replies: r => {
          const env = (r.body as { spec: { services: { envs: { value: string }[] }[] } }).spec.services[0]!
            .envs[1]!;
          return json(
            {
              id: 'unprocessable_entity',
              message: `invalid env value "${env.value}"`,
              request_id: 'req-422'
            },
            422
          );
        }
      }
    );
    const file = spec('      - {key: A, value: "x"}\n      - {key: SECRET_KEY, value: "$SECRET_KEY"}\n');
    const r = await deploy({ 'app-id': id, 'app-spec': file }, { SECRET_KEY: secret });
    expect(r.code).not.toBe(0);
    const posted = api.calls('POST', '/v2/apps/propose')[0]!.body as {
      spec: { services: { envs: { value: string }[] }[] };
    };
    expect(posted.spec.services[0]!.envs[1]!.value).toBe(secret);
    const printed = r.log
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::'))
      .join('\n');
    expect(printed).toMatch(/req-422/);
    expect(`${printed}${r.summary}`).not.toContain(secret);
  });

  test("app_action's IMAGE_DIGEST_<NAME> pins the app's current spec without an image input", async () => {
    const id = app().id as string;
    const digest = `sha256:${'d'.repeat(64)}`;
    const current = {
      ...app(),
      active_deployment: { id: 'older' },
      spec: {
        name: 'test',
        services: [
          {
            name: 'service',
            image: { registry_type: 'GHCR', registry: 'acme', repository: 'app', tag: 'v1' }
          }
        ],
        jobs: [
          {
            name: 'db-migrate',
            kind: 'PRE_DEPLOY',
            image: { registry_type: 'GHCR', registry: 'acme', repository: 'app', tag: 'v1' }
          }
        ]
      }
    };
    const pending = fixture<Obj>('doctl', 'testDeployment');
    api.use(
      { method: 'GET', path: `/v2/apps/${id}`, replies: [json({ app: current })] },
      {
        method: 'PUT',
        path: `/v2/apps/${id}`,
        replies: [json({ app: { ...current, pending_deployment: pending } })]
      },
      {
        method: 'GET',
        path: `/v2/apps/${id}/deployments/${pending.id as string}`,
        replies: [json({ deployment: fixture('doctl', 'testDeploymentActive') })]
      }
    );
    const r = await deploy(
      { 'app-id': id, 'print-logs': 'never' },
      { IMAGE_DIGEST_SERVICE: digest, IMAGE_DIGEST_DB_MIGRATE: digest }
    );
    expect({ code: r.code, explain: r.explain }).toEqual({ code: 0, explain: r.explain });
    const put = api.calls('PUT', `/v2/apps/${id}`)[0]!.body as { spec: { services: Obj[]; jobs: Obj[] } };
    expect(put.spec.services[0]!.image).toEqual({
      registry_type: 'GHCR',
      registry: 'acme',
      repository: 'app',
      digest
    });
    expect(put.spec.jobs[0]!.image).toEqual({
      registry_type: 'GHCR',
      registry: 'acme',
      repository: 'app',
      digest
    });
  });
});

describe('modes', () => {
  test('rollback-commit unpins a pinned app; on an app that is not pinned it changes nothing', async () => {
    const app = fixture<Obj>('godo', 'testApp');
    const id = app.id as string;
    const pinned = fixture<Obj>('godo', 'testDeployment');
    let isPinned = true;
    api.use(
      {
        method: 'GET',
        path: `/v2/apps/${id}`,
        replies: () => json({ app: isPinned ? { ...app, pinned_deployment: pinned } : app })
      },
      {
        method: 'POST',
        path: `/v2/apps/${id}/rollback/commit`,
        replies: [{ status: 200, effect: () => (isPinned = false) }]
      }
    );
    const first = await deploy({ 'app-id': id, mode: 'rollback-commit' });
    expect({ code: first.code, explain: first.explain }).toEqual({ code: 0, explain: first.explain });
    expect(first.outputs['deployment-id']).toBe(pinned.id);
    const second = await deploy({ 'app-id': id, mode: 'rollback-commit' });
    expect(second.code).toBe(0);
    expect(second.log).toMatch(/not pinned/);
    expect(api.calls('POST', `/v2/apps/${id}/rollback/commit`)).toHaveLength(1);
  });

  test('logs prints the live-only logs of a deployment (godo getLogs answer)', async () => {
    const app = fixture<Obj>('godo', 'testApp');
    const id = app.id as string;
    const dep = fixture<Obj>('godo', 'testDeployment');
    api.use(
      { method: 'GET', path: `/v2/apps/${id}`, replies: [json({ app: { ...app, active_deployment: dep } })] },
      ...liveLogRoutes(id, dep.id as string, 'godo')
    );
    const r = await deploy({ 'app-id': id, mode: 'logs' });
    expect({ code: r.code, explain: r.explain }).toEqual({ code: 0, explain: r.explain });
    expect(r.log).toContain('web build done');
    expect(r.log).toContain('uvicorn running');
  });
});

describe('cancelled by the runner (SIGINT) mid-wait', () => {
  test('the deployment that never got a gate is canceled; the summary says cancelled and what was undone', async () => {
    const app = fixture<Obj>('doctl', 'testApp');
    const id = app.id as string;
    const pending = fixture<Obj>('doctl', 'testDeployment');
    api.use(
      {
        method: 'GET',
        path: `/v2/apps/${id}`,
        replies: [json({ app: { ...app, active_deployment: { id: 'older' } } })]
      },
      { method: 'POST', path: '/v2/apps/propose', replies: [json(fixture('doctl', 'proposeAvailable'))] },
      {
        method: 'PUT',
        path: `/v2/apps/${id}`,
        replies: [json({ app: { ...app, pending_deployment: pending } })]
      },
      // The deployment never finishes on its own.
      {
        method: 'GET',
        path: `/v2/apps/${id}/deployments/${pending.id as string}`,
        replies: [json({ deployment: pending })]
      },
      {
        method: 'POST',
        path: `/v2/apps/${id}/deployments/${pending.id as string}/cancel`,
        replies: [json({ deployment: { ...pending, phase: 'CANCELED' } })]
      }
    );
    const file = specFile(
      'name: test\nservices:\n  - name: service\n    github: {repo: digitalocean/doctl, branch: main}\n'
    );
    const run = spawnBundle(
      'deploy-app-platform',
      {
        token: TOKEN,
        'api-url': api.url,
        'app-id': id,
        'app-spec': file,
        'poll-interval': '10s',
        'print-logs': 'never'
      },
      clean
    );
    await until(
      () => api.calls('GET', `/v2/apps/${id}/deployments/${pending.id as string}`).length > 0,
      'the first poll'
    );
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(1);
    expect(api.calls('POST', `/v2/apps/${id}/deployments/${pending.id as string}/cancel`)).toHaveLength(1);
    expect(r.log).toMatch(
      /::error::Cancelled by SIGINT; undone: cancel deployment f4e37431-a0f4-458f-8f9f-5c9a61d8562f/
    );
    expect(r.summary).toMatch(/Cancelled/);
    expect(r.outputs['deployment-id']).toBe(pending.id);
  });
});
