import { afterEach, describe, expect, test } from '@jest/globals';
import { DigitalOceanClient, type RequestInfo } from '../../src/digitalocean/client.js';
import { RemoteError } from '../../src/kit/errors.js';
import { createMemoryLogger } from '../../src/kit/log.js';
import { startFakeServer, type FakeResponse, type FakeServer, type Handler } from '../deploy/fake-api.js';

const TOKEN = 'dop_v1_clienttesttoken0123456789';
let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Answers the queued responses in order, then `last` forever. */
function queue(responses: FakeResponse[], last: FakeResponse): Handler {
  return () => responses.shift() ?? last;
}

async function client(
  handler: Handler,
  extra: Partial<ConstructorParameters<typeof DigitalOceanClient>[0]> = {}
) {
  server = await startFakeServer(handler);
  const sleeps: number[] = [];
  const logger = createMemoryLogger();
  const seen: RequestInfo[] = [];
  const c = new DigitalOceanClient({
    token: TOKEN,
    apiUrl: server.url,
    logger,
    sleep: async ms => void sleeps.push(ms),
    onRequest: info => seen.push(info),
    ...extra
  });
  return { c, sleeps, logger, seen, server };
}

const APP = { app: { id: 'app-1', spec: { name: 'x' } } };

describe('DigitalOceanClient retries', () => {
  test('429 honours retry-after, then succeeds', async () => {
    const { c, sleeps, logger } = await client(
      queue(
        [
          {
            status: 429,
            body: { id: 'too_many_requests', message: 'API rate limit exceeded.' },
            headers: { 'retry-after': '3' }
          }
        ],
        { body: APP }
      )
    );
    expect((await c.getApp('app-1')).id).toBe('app-1');
    expect(sleeps).toEqual([3000]);
    expect(c.requestCount).toBe(2);
    expect(logger.lines.join('\n')).toMatch(
      /GET \/v2\/apps\/app-1: HTTP 429 too_many_requests, retrying in 3.0s \(attempt 2\/6\)/
    );
  });

  test('429 without retry-after waits until ratelimit-reset', async () => {
    const reset = Math.ceil(Date.now() / 1000) + 5;
    const { c, sleeps } = await client(
      queue(
        [
          {
            status: 429,
            body: { id: 'too_many_requests', message: 'API rate limit exceeded.' },
            headers: { 'RateLimit-Reset': String(reset) }
          }
        ],
        { body: APP }
      )
    );
    await c.getApp('app-1');
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(3000);
    expect(sleeps[0]).toBeLessThanOrEqual(6000);
  });

  test('503 and 524 are retried with capped exponential backoff', async () => {
    const { c, sleeps } = await client(
      queue(
        [
          { status: 503, body: { id: 'service_unavailable', message: 'try later' } },
          { status: 524, raw: '<html>timeout</html>' }
        ],
        { body: APP }
      ),
      { maxRetryDelayMs: 1500 }
    );
    await c.getApp('app-1');
    expect(sleeps).toHaveLength(2);
    for (const s of sleeps) expect(s).toBeLessThanOrEqual(1500);
  });

  test('gives up after the attempts with a RemoteError carrying call, id, message and request id', async () => {
    const { c, sleeps } = await client(
      queue([], {
        status: 500,
        body: { id: 'server_error', message: 'Unexpected server-side error', request_id: 'req-500' }
      }),
      { attempts: 3 }
    );
    const error = (await c.getApp('app-1').catch(e => e)) as RemoteError;
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.message).toBe(
      'GET /v2/apps/app-1 failed: HTTP 500 server_error - Unexpected server-side error (request id req-500)'
    );
    expect(sleeps).toHaveLength(2);
    expect(c.requestCount).toBe(3);
  });

  test('4xx is not retried; the request id falls back to x-request-id', async () => {
    const { c, sleeps } = await client(
      queue([], {
        status: 404,
        body: { id: 'not_found', message: 'The resource you requested could not be found.' },
        headers: { 'x-request-id': 'hdr-req-1' }
      })
    );
    const error = (await c.getDeployment('app-1', 'dep-9').catch(e => e)) as RemoteError;
    expect(error.message).toBe(
      'GET /v2/apps/app-1/deployments/dep-9 failed: HTTP 404 not_found - The resource you requested could not be found. (request id hdr-req-1)'
    );
    expect(error.status).toBe(404);
    expect(sleeps).toEqual([]);
  });

  test('the token is sent as a bearer token and appears in no error or log line', async () => {
    const { c, logger, server } = await client(
      queue([{ status: 503, body: { id: 'x', message: 'y' } }], {
        status: 401,
        body: { id: 'unauthorized', message: 'Unable to authenticate you.' }
      })
    );
    const error = (await c.getApp('a').catch(e => e)) as Error;
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(server.requests[0]!.headers['user-agent']).toBe('app-platform-pipeline');
    expect(error.message).toContain('Unable to authenticate you.');
    expect(`${error.message}${error.stack}${logger.lines.join('\n')}`).not.toContain(TOKEN);
  });
});

describe('DigitalOceanClient calls', () => {
  test('listApps follows links.pages.next and findAppByName matches spec.name', async () => {
    const pages: Record<string, unknown> = {};
    const { c, seen } = await client(req => {
      const page = Number(req.query.get('page'));
      const next =
        page < 3 ? { next: `https://api.digitalocean.com/v2/apps?page=${page + 1}&per_page=100` } : {};
      return {
        body: (pages[page] = {
          apps: [{ id: `id-${page}`, spec: { name: `app-${page}` } }],
          links: { pages: next }
        })
      };
    });
    expect((await c.listApps()).map(a => a.id)).toEqual(['id-1', 'id-2', 'id-3']);
    // the absolute next link is followed on our API host, never on the host it names
    expect(seen.map(s => s.path)).toEqual([
      '/v2/apps?page=1&per_page=100',
      '/v2/apps?page=2&per_page=100',
      '/v2/apps?page=3&per_page=100'
    ]);
    expect((await c.findAppByName('app-2'))?.id).toBe('id-2');
    expect(await c.findAppByName('nope')).toBeUndefined();
  });

  test('an api-url with a path prefix keeps it, also for pagination links', async () => {
    const { c, server } = await client(req => {
      if (req.path === '/proxy/v2/apps' && req.query.get('page') === '1')
        return {
          body: {
            apps: [{ id: 'a1', spec: { name: 'one' } }],
            links: { pages: { next: `${server.url}/proxy/v2/apps?page=2` } }
          }
        };
      if (req.path === '/proxy/v2/apps')
        return { body: { apps: [{ id: 'a2', spec: { name: 'two' } }], links: { pages: {} } } };
      return undefined;
    });
    const prefixed = new DigitalOceanClient({
      token: TOKEN,
      apiUrl: `${server.url}/proxy/`,
      sleep: async () => {}
    });
    expect((await prefixed.listApps()).map(a => a.id)).toEqual(['a1', 'a2']);
    expect(c.requestCount).toBe(0);
  });

  test('deployment logs: historic_urls fetched without the token; 400 means no logs', async () => {
    let url = '';
    const { c, server } = await client(req => {
      if (req.path.startsWith('/archive/'))
        return { raw: req.path.endsWith('1') ? 'line 1\nline 2\n' : 'line 3\n' };
      if (req.query.get('type') === 'BUILD')
        return { status: 400, body: { id: 'bad_request', message: 'no build logs' } };
      return { body: { live_url: 'wss://x', historic_urls: [`${url}/archive/1`, `${url}/archive/2`] } };
    });
    url = server.url;
    expect(await c.getDeploymentLogs('a', 'd', undefined, 'BUILD')).toBeUndefined();
    expect(await c.getDeploymentLogs('a', 'd', 'web', 'DEPLOY')).toBe('line 1\nline 2\nline 3\n');
    const paths = server.requests.map(r => `${r.path}?${r.query}`);
    expect(paths).toContain('/v2/apps/a/deployments/d/components/web/logs?type=DEPLOY&follow=false');
    for (const r of server.requests.filter(r => r.path.startsWith('/archive/')))
      expect(r.headers.authorization).toBeUndefined();
  });

  test('commitRollback accepts the empty 200 body; createDeployment sends {} or force_build', async () => {
    const { c, seen } = await client(req =>
      req.path.endsWith('/commit') ? { raw: '' } : { body: { deployment: { id: 'd1' } } }
    );
    await expect(c.commitRollback('a')).resolves.toBeUndefined();
    expect((await c.createDeployment('a')).id).toBe('d1');
    await c.createDeployment('a', true);
    expect(seen.map(s => [s.method, s.path, s.body])).toEqual([
      ['POST', '/v2/apps/a/rollback/commit', undefined],
      ['POST', '/v2/apps/a/deployments', {}],
      ['POST', '/v2/apps/a/deployments', { force_build: true }]
    ]);
  });

  test('a non-JSON success body is reported with the call', async () => {
    const { c } = await client(() => ({ raw: '<html>oops</html>' }));
    await expect(c.getApp('a')).rejects.toThrow(
      'GET /v2/apps/a failed: HTTP 200 - response is not JSON: <html>oops</html>'
    );
  });
});
