// API surface without running apps: auth, error shapes and request ids, spec validation (422 with the field
// path), rate limiting (headers on every response, 429 + retry-after), injected faults, YAML create, request log.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startAppPlatformSimulator, type Simulator } from '../../test-support/app-platform-sim/index.js';
import { RateLimiter } from '../../test-support/app-platform-sim/rate-limit.js';
import { api } from './harness.js';
import { contractViolations } from './contract.js';

let sim: Simulator;
let limited: Simulator;

/** A worker-only app from a git source: the simulator "builds" it without a registry and runs no process. */
const workerSpec = (name: string) => ({
  name,
  region: 'ams',
  workers: [
    {
      name: 'queue',
      github: { repo: 'acme/signupflow', branch: 'main', deploy_on_push: false },
      run_command: 'true'
    }
  ]
});

beforeAll(async () => {
  sim = await startAppPlatformSimulator({ phaseDelayMs: 10, token: 'dop_v1_simulator-test-token' });
  limited = await startAppPlatformSimulator({ phaseDelayMs: 10, rateLimit: { perMinute: 5 } });
});

afterAll(async () => {
  await Promise.all([sim?.stop(), limited?.stop()]);
});

describe('errors have DigitalOcean shape: {id, message, request_id} and an x-request-id header', () => {
  test.each([
    ['no token', null],
    ['a wrong token', 'dop_v1_wrong']
  ])('401 for %s', async (_what, token) => {
    const r = await api(sim, 'GET', '/v2/apps', undefined, { token });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({
      id: 'unauthorized',
      message: 'Unable to authenticate you',
      request_id: r.headers.get('x-request-id')
    });
    expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers.get('ratelimit-limit')).toBe('5000');
  });

  test('404 not_found for an unknown app, deployment or path', async () => {
    for (const path of [
      '/v2/apps/4f6c71e2-1e90-4762-9fee-6cc4a0a9f2cf',
      '/v2/apps/4f6c71e2-1e90-4762-9fee-6cc4a0a9f2cf/deployments',
      '/v2/nothing'
    ]) {
      const r = await api(sim, 'GET', path);
      expect(r.status).toBe(404);
      expect(r.body).toEqual({
        id: 'not_found',
        message: 'The resource you requested could not be found.',
        request_id: r.headers.get('x-request-id')
      });
    }
  });

  test('400 bad_request for a body that is not JSON', async () => {
    const res = await fetch(`${sim.url}/v2/apps/propose`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.token}`, 'content-type': 'application/json' },
      body: '{"spec": '
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { id: string }).id).toBe('bad_request');
  });
});

describe('invalid specs: 422 unprocessable_entity naming the field (first problem only, like DigitalOcean)', () => {
  const base = () =>
    structuredClone(workerSpec('valid-name')) as Record<string, unknown> & {
      workers: Record<string, unknown>[];
    };
  const cases: [string, (s: ReturnType<typeof base>) => void, string][] = [
    ['upper-case name', s => (s.name = 'SignUpFlow'), '"name"'],
    ['unknown region', s => (s.region = 'mars'), '"region"'],
    ['no component', s => delete (s as Record<string, unknown>).workers, '"services"'],
    ['bad env key', s => (s.workers[0]!.envs = [{ key: '1BAD', value: 'x' }]), '"workers[0].envs[0].key"'],
    [
      'two sources',
      s => (s.workers[0]!.image = { registry_type: 'GHCR', registry: 'acme', repository: 'x' }),
      '"workers[0]"'
    ],
    [
      'a malformed digest',
      s => {
        delete s.workers[0]!.github;
        s.workers[0]!.image = {
          registry_type: 'GHCR',
          registry: 'acme',
          repository: 'x',
          digest: 'sha256:abc'
        };
      },
      '"workers[0].image.digest"'
    ],
    [
      'tag and digest together',
      s => {
        delete s.workers[0]!.github;
        s.workers[0]!.image = {
          registry_type: 'DOCR',
          repository: 'x',
          tag: 'v1',
          digest: `sha256:${'a'.repeat(64)}`
        };
      },
      '"workers[0].image"'
    ],
    [
      'a readiness threshold out of range',
      s => {
        s.services = [{ name: 'web', github: { repo: 'a/b' }, health_check: { failure_threshold: 0 } }];
      },
      '"services[0].health_check.failure_threshold"'
    ],
    ['a duplicate component name', s => s.workers.push(structuredClone(s.workers[0]!)), '"workers[1].name"']
  ];
  test.each(cases)('%s', async (_what, mutate, field) => {
    const spec = base();
    mutate(spec);
    for (const path of ['/v2/apps/propose', '/v2/apps']) {
      const r = await api(sim, 'POST', path, { spec });
      expect(r.status).toBe(422);
      expect(r.body.id).toBe('unprocessable_entity');
      expect(r.body.message).toContain(`error validating app spec field ${field}`);
    }
  });

  test('PUT with an invalid spec is refused the same way and changes nothing', async () => {
    const created = await api(sim, 'POST', '/v2/apps', { spec: workerSpec('worker-app') });
    expect(created.status).toBe(200);
    const id = created.body.app.id;
    const bad = await api(sim, 'PUT', `/v2/apps/${id}`, {
      spec: { ...workerSpec('worker-app'), region: 'mars' }
    });
    expect(bad.status).toBe(422);
    expect((await api(sim, 'GET', `/v2/apps/${id}`)).body.app.spec.region).toBe('ams');
    await sim.settle(id);
    const deps = await api(sim, 'GET', `/v2/apps/${id}/deployments`);
    expect(deps.body.meta.total).toBe(1);
    expect(deps.body.deployments[0].phase).toBe('ACTIVE'); // workers are not run, so a git worker goes live
  });
});

describe('rate limits', () => {
  test('every response carries ratelimit-limit/-remaining/-reset; remaining counts down', async () => {
    const a = await api(sim, 'GET', '/v2/apps');
    const b = await api(sim, 'GET', '/v2/apps');
    for (const r of [a, b]) {
      expect(r.headers.get('ratelimit-limit')).toBe('5000');
      expect(Number(r.headers.get('ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    }
    expect(Number(b.headers.get('ratelimit-remaining'))).toBe(
      Number(a.headers.get('ratelimit-remaining')) - 1
    );
  });

  test('over the per-minute limit: 429 too_many_requests with retry-after', async () => {
    const statuses: number[] = [];
    let last = await api(limited, 'GET', '/v2/apps');
    statuses.push(last.status);
    for (let i = 0; i < 5; i++) {
      last = await api(limited, 'GET', '/v2/apps');
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(last.body).toEqual({
      id: 'too_many_requests',
      message: 'API rate limit exceeded.',
      request_id: last.headers.get('x-request-id')
    });
    const retryAfter = Number(last.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(last.headers.get('ratelimit-remaining')).toBe('4995');
  });

  test('sliding window: requests expire a minute after they were made (fake clock)', () => {
    const rl = new RateLimiter({ perMinute: 2, perHour: 3 });
    expect(rl.take('t', 0).limited).toBe(false);
    expect(rl.take('t', 30_000).limited).toBe(false);
    const third = rl.take('t', 59_000);
    expect(third.limited).toBe(true);
    expect(third.headers['retry-after']).toBe('1'); // the first request expires at 60 s
    expect(rl.take('t', 60_001).limited).toBe(false);
    // hourly quota (3) is now used up even though the minute window has room
    const hourly = rl.take('t', 200_000);
    expect(hourly.limited).toBe(true);
    expect(hourly.headers['ratelimit-remaining']).toBe('0');
    expect(rl.take('other', 200_000).limited).toBe(false); // per token
  });
});

describe('fault injection', () => {
  test('failNext: 503 and 500 with DigitalOcean bodies, 524 as Cloudflare HTML, then normal again', async () => {
    sim.faults.failNext(2, 503);
    const a = await api(sim, 'GET', '/v2/apps');
    const b = await api(sim, 'GET', '/v2/apps');
    expect([a.status, b.status]).toEqual([503, 503]);
    expect(a.body).toMatchObject({ id: 'service_unavailable' });
    sim.faults.failNext(1, 500);
    expect((await api(sim, 'GET', '/v2/apps')).body).toMatchObject({ id: 'server_error' });
    sim.faults.failNext(1, 524);
    const edge = await api(sim, 'GET', '/v2/apps');
    expect(edge.status).toBe(524);
    expect(edge.body).toContain('Error 524');
    expect((await api(sim, 'GET', '/v2/apps')).status).toBe(200);
  });

  test('rateLimitNext: 429 with the chosen retry-after, then normal again', async () => {
    sim.faults.rateLimitNext(1, 7);
    const r = await api(sim, 'GET', '/v2/apps');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
    expect(r.body.id).toBe('too_many_requests');
    expect((await api(sim, 'GET', '/v2/apps')).status).toBe(200);
  });
});

test('without a registry an image deployment fails at the build (pull) step', async () => {
  const spec = {
    name: 'no-registry',
    services: [
      { name: 'web', image: { registry_type: 'GHCR', registry: 'acme', repository: 'signupflow', tag: 'v1' } }
    ]
  };
  const created = await api(sim, 'POST', '/v2/apps', { spec });
  await sim.settle(created.body.app.id);
  const dep = (
    await api(
      sim,
      'GET',
      `/v2/apps/${created.body.app.id}/deployments/${created.body.app.pending_deployment.id}`
    )
  ).body.deployment;
  expect(dep.phase).toBe('ERROR');
  expect(dep.progress.steps[0].steps[1].steps[0].reason).toEqual({
    code: 'ImagePullFailed',
    message: 'unable to pull image acme/signupflow:v1: no registry is reachable'
  });
  expect((await api(sim, 'GET', `/v2/apps/${created.body.app.id}`)).body.app.live_url).toBeUndefined();
});

test('POST /v2/apps accepts and answers application/yaml', async () => {
  const res = await fetch(`${sim.url}/v2/apps`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${sim.token}`,
      'content-type': 'application/yaml',
      accept: 'application/yaml'
    },
    body: 'spec:\n  name: yaml-app\n  region: ams\n  workers:\n    - name: queue\n      github: {repo: acme/signupflow, branch: main}\n'
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/yaml');
  expect(await res.text()).toMatch(/^app:\n {2}id: /);
});

test('the request log records method, path, query, body, status and response', async () => {
  await api(sim, 'GET', '/v2/apps?per_page=3');
  const last = sim.requests[sim.requests.length - 1]!;
  expect(last).toMatchObject({ method: 'GET', path: '/v2/apps', query: { per_page: '3' }, status: 200 });
  expect(last.response).toMatchObject({ apps: expect.any(Array), meta: { total: expect.any(Number) } });
  const put = sim.requests.find(r => r.method === 'PUT');
  expect(put?.body).toMatchObject({ spec: { region: 'mars' } });
  // the bearer token is never recorded
  expect(JSON.stringify(sim.requests)).not.toContain(sim.token);
});

test('contract: every response in this file validates against apps.json', () => {
  expect(contractViolations([...sim.requests, ...limited.requests])).toEqual([]);
});
