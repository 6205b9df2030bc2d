/**
 * The committed health-gate bundle against App Platform answers from DigitalOcean's OpenAPI examples and
 * godo's fixtures (../deploy/evidence), with the release's /health served by the same replay server.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { fixture, ReplayServer, spawnBundle, until, type Obj, type Route } from '../deploy/replay-server.js';
import { runHealthGate } from './helpers/run-action.js';

const TOKEN = 'dop_v1_healthreplaytoken0123456789';
let api: ReplayServer;
beforeEach(async () => {
  api = await new ReplayServer().start();
});
afterEach(() => api.stop());

const json = (body: unknown, status = 200) => ({ status, body });

/** godo testDeployment as one release of image `tag` (constructed ids, images and times). */
function release(id: string, tag: string, createdAt: string, phase = 'SUPERSEDED'): Obj {
  const d = fixture<Obj>('godo', 'testDeployment');
  return {
    ...d,
    id,
    phase,
    created_at: createdAt,
    spec: {
      name: 'app-name',
      services: [{ name: 'web', image: { registry_type: 'GHCR', registry: 'acme', repository: 'app', tag } }]
    }
  };
}

/** An app whose release "v2" is active, "v1" before it; POST /rollback may fail with `rollbackFault` after taking effect. */
function platform(opts: { rollbackFault?: number; healthAfterRollback?: number; health?: number } = {}) {
  const app = fixture<Obj>('godo', 'testApp');
  const id = app.id as string;
  const active = release('dep-v2', 'v2', '2026-12-01T10:00:00Z', 'ACTIVE');
  const previous = release('dep-v1', 'v1', '2026-11-30T10:00:00Z');
  const rollback = { ...fixture<{ deployment: Obj }>('openapi', 'apps_create_rollback.200').deployment };
  let rolledBack = false;
  const routes: Route[] = [
    {
      method: 'GET',
      path: `/v2/apps/${id}`,
      replies: () =>
        json({
          app: rolledBack
            ? {
                ...app,
                active_deployment: active,
                pinned_deployment: rollback,
                in_progress_deployment: rollback
              }
            : { ...app, active_deployment: active }
        })
    },
    {
      method: 'GET',
      path: `/v2/apps/${id}/deployments`,
      replies: [json({ deployments: [active, previous], links: {} })]
    },
    {
      method: 'POST',
      path: `/v2/apps/${id}/rollback/validate`,
      replies: [json(fixture('openapi', 'apps_validate_rollback.200.Valid rollback'))]
    },
    {
      method: 'POST',
      path: `/v2/apps/${id}/rollback`,
      replies: () => {
        if (rolledBack)
          // Constructed: the app is pinned now, so a second rollback is refused (status and text undocumented).
          return json({ id: 'conflict', message: 'app is pinned to a rollback deployment' }, 409);
        rolledBack = true;
        return opts.rollbackFault
          ? {
              status: opts.rollbackFault,
              raw: '<html><body>502 Bad Gateway</body></html>',
              headers: { 'content-type': 'text/html' }
            }
          : json({ deployment: rollback });
      }
    },
    {
      method: 'GET',
      path: `/v2/apps/${id}/deployments/${rollback.id as string}`,
      replies: [json({ deployment: { ...rollback, phase: 'ACTIVE' } })]
    },
    { method: 'POST', path: `/v2/apps/${id}/rollback/commit`, replies: [{ status: 200 }] },
    {
      method: 'GET',
      path: /^\/health/,
      replies: () =>
        json({ status: 'healthy' }, rolledBack ? (opts.healthAfterRollback ?? 200) : (opts.health ?? 500))
    }
  ];
  api.use(...routes);
  return { id, rollbackId: rollback.id as string };
}

const gateInputs = (id: string, extra: Record<string, string> = {}) => ({
  url: `${api.url}/health`,
  token: TOKEN,
  'app-id': id,
  'api-url': api.url,
  interval: '100ms',
  window: '1s',
  'success-threshold': '2',
  'failure-threshold': '2',
  'request-timeout': '2s',
  ...extra
});

describe('health-gate against replayed App Platform answers', () => {
  test('POST /rollback answered 502 after it took effect: read back, no second POST, rolled back, no OUTAGE', async () => {
    const p = platform({ rollbackFault: 502 });
    const r = await runHealthGate(gateInputs(p.id));
    const why = `\n--- log ---\n${r.stdout}`;
    expect({ why, posts: api.calls('POST', `/v2/apps/${p.id}/rollback`).length }).toEqual({ why, posts: 1 });
    expect(r.stdout).not.toMatch(/OUTAGE/);
    expect(r.outputs['rolled-back']).toBe('true');
    expect(r.outputs['rollback-deployment-id']).toBe(p.rollbackId);
    expect(api.calls('POST', `/v2/apps/${p.id}/rollback/commit`)).toHaveLength(1);
  });

  test('a token the API refuses fails at the start, before the bake window, naming the input', async () => {
    const p = platform();
    api.use({
      method: 'GET',
      path: `/v2/apps/${p.id}`,
      replies: [json(fixture('openapi', 'error.401'), 401)]
    });
    const r = await runHealthGate(gateInputs(p.id));
    expect(r.code).not.toBe(0);
    expect(api.calls('GET', /^\/health/)).toHaveLength(0);
    expect(r.stdout).toMatch(/::error::Input 'token'.*401.*Unable to authenticate you/);
    expect(r.stdout).not.toMatch(/OUTAGE/);
  });

  test('the URL user:password and ?token= never print', async () => {
    platform({ health: 200 });
    const url = new URL(`${api.url}/health`);
    url.username = 'probeuser';
    url.password = 'pr0be-s3cret-pass';
    url.searchParams.set('token', 'q-t0ken-9f8e7d6c5b');
    const r = await runHealthGate({
      ...gateInputs('unused'),
      url: url.toString(),
      rollback: 'false',
      token: ''
    });
    expect(r.code).toBe(0);
    // ::add-mask:: commands are the runner's input (it swallows them); everything else must be masked.
    const printed = r.stdout
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::'))
      .join('\n');
    expect(r.stdout).toContain('::add-mask::pr0be-s3cret-pass');
    const all = `${printed}${r.summary}${JSON.stringify(r.outputs)}`;
    expect(all).not.toContain('pr0be-s3cret-pass');
    expect(all).not.toContain('q-t0ken-9f8e7d6c5b');
    expect(api.calls('GET', /^\/health/).length).toBeGreaterThan(0);
  });

  test('release and restored version both 404: the URL or check is reported as the likely fault, not OUTAGE, with the commands', async () => {
    const p = platform({ health: 404, healthAfterRollback: 404 });
    const r = await runHealthGate(gateInputs(p.id));
    expect(r.code).not.toBe(0);
    expect(r.stdout).not.toMatch(/OUTAGE/);
    expect(r.stdout).toMatch(/::error::.*(URL|check).*likely/i);
    // The app stays pinned: the exact ways out are printed.
    expect(r.stdout).toContain(`/v2/apps/${p.id}/rollback/revert`);
    expect(r.stdout).toContain(`/v2/apps/${p.id}/rollback/commit`);
  });
});

describe('health-gate cancelled by the runner (SIGINT) after the rollback deployment was created', () => {
  test('the rollback is committed so the app is not left pinned (every later deploy would get 409)', async () => {
    const p = platform();
    // The rollback deployment stays in progress until the cancel.
    api.use({
      method: 'GET',
      path: `/v2/apps/${p.id}/deployments/${p.rollbackId}`,
      replies: [
        json({
          deployment: { ...fixture<{ deployment: Obj }>('openapi', 'apps_create_rollback.200').deployment }
        })
      ]
    });
    const run = spawnBundle('health-gate', { ...gateInputs(p.id), interval: '100ms' }, process.env);
    await until(() => api.calls('POST', `/v2/apps/${p.id}/rollback`).length > 0, 'the rollback');
    await until(
      () => api.calls('GET', `/v2/apps/${p.id}/deployments/${p.rollbackId}`).length > 0,
      'a poll of the rollback'
    );
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(1);
    expect(api.calls('POST', `/v2/apps/${p.id}/rollback/commit`)).toHaveLength(1);
    expect(r.log).toMatch(/::error::Cancelled by SIGINT; undone: commit rollback deployment b6bdf840/);
  });
});

describe('the step summary says why the step failed', () => {
  test('an unhealthy release rolled back: the headline, the failed decision and the rollback', async () => {
    const p = platform();
    const r = await runHealthGate(gateInputs(p.id));
    expect(r.code).toBe(1);
    expect(r.summary).toContain('## ↩️ Health gate failed: release rolled back');
    expect(r.summary).toMatch(
      /\| \*\*Why\*\* \| 2 consecutive failed probes \(failure-threshold 2\); last: HTTP 500/
    );
    expect(r.summary).toContain('| **Rolled back to** | dep-v1 |');
    expect(r.summary).toContain(`| **Rollback deployment** | ${p.rollbackId} |`);
  });

  test('an input error: the input to fix and the one line', async () => {
    const p = platform();
    const r = await runHealthGate(gateInputs(p.id, { 'app-id': '' }));
    expect(r.code).toBe(1);
    expect(r.summary).toContain('## Failed: input `app-id`');
    expect(r.summary).toContain(
      "Input 'app-id' is required when rollback is true (the id of the App Platform app)"
    );
    expect(api.calls('GET', /^\/health/)).toHaveLength(0);
  });

  test('a token the API refuses: the input to fix and the server message', async () => {
    const p = platform();
    api.use({
      method: 'GET',
      path: `/v2/apps/${p.id}`,
      replies: [json(fixture('openapi', 'error.401'), 401)]
    });
    const r = await runHealthGate(gateInputs(p.id));
    expect(r.code).toBe(1);
    expect(r.summary).toContain('## Failed: input `token`');
    expect(r.summary).toMatch(
      /Input 'token' was refused by the DigitalOcean API.*401.*Unable to authenticate you/
    );
    expect(r.summary).not.toContain(TOKEN);
  });
});
