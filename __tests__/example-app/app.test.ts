// The example app as a real process (run.sh -> Debian's uvicorn) against real PostgreSQL and redis-server.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import {
  alembic,
  getHealth,
  runAppToExit,
  startApp,
  startRedis,
  waitUntil,
  type App,
  type HealthResponse
} from './processes.js';
import { queryRows as sql } from '../../test-support/postgres.js';
import { sharedPostgres, type PostgresServer } from '../../test-support/shared.js';

// Characters that URL encoding changes, so both spellings must stay out of every response.
const PASSWORD = 'Sup3r$ecret/%p@ss:word';
const ROLE = `signupflow_app_${process.pid}`;
const DATABASE = `signupflow_app_${process.pid}`;
const VERSION = 'c0ffee1234';

let server: PostgresServer;
let databaseUrl: string;
const apps: App[] = [];

function roleUrl(password: string): string {
  const url = new URL(server.urlFor(DATABASE));
  url.username = ROLE;
  url.password = encodeURIComponent(password);
  return url.toString();
}

async function app(env: Record<string, string>, opts: { bare?: boolean } = {}): Promise<App> {
  const started = await startApp({ DATABASE_URL: databaseUrl, APP_VERSION: VERSION, ...env }, opts);
  apps.push(started);
  return started;
}

function expectNoSecret(text: string, ...secrets: string[]): void {
  for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), databaseUrl, ...secrets]) {
    expect(text).not.toContain(secret);
  }
}

// One outer describe: its afterAll (dropping what we created) must run before sharedPostgres' own afterAll
// stops a per-file server.
describe('example app process', () => {
  beforeAll(async () => {
    server = await sharedPostgres();
    await server.dropDatabase(DATABASE);
    await server.createDatabase(DATABASE);
    await sql(server.url, `DROP ROLE IF EXISTS ${ROLE}`);
    await sql(server.url, `CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD.replace(/'/g, "''")}'`);
    await sql(server.urlFor(DATABASE), `GRANT ALL ON SCHEMA public TO ${ROLE}`);
    databaseUrl = roleUrl(PASSWORD);
    const migrated = alembic(['-c', 'alembic.ini', 'upgrade', 'head'], databaseUrl);
    if (migrated.status !== 0) throw new Error(`alembic upgrade head failed:\n${migrated.stderr}`);
  });

  afterAll(async () => {
    for (const started of apps) await started.stop('SIGKILL');
    await server.dropDatabase(DATABASE);
    await sql(server.url, `DROP ROLE IF EXISTS ${ROLE}`);
  });

  describe('/health', () => {
    test('answers the DESIGN.md body with a real database ping, no redis check without REDIS_URL', async () => {
      const started = await app({});
      const res = await fetch(`${started.url}/health`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const text = await res.text();
      const body = JSON.parse(text) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(['status', 'version', 'uptime_seconds', 'checks']);
      expect(body).toEqual({
        status: 'healthy',
        version: VERSION,
        uptime_seconds: expect.any(Number),
        checks: { database: 'ok' }
      });
      expect(Number.isInteger(body.uptime_seconds)).toBe(true);
      expectNoSecret(text);
    });

    test('the plain uvicorn command of the README (the simulator runs that) serves the same body', async () => {
      const started = await app({ APP_VERSION: 'bare-1' }, { bare: true });
      const health = await getHealth(started.url);
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'healthy', version: 'bare-1', checks: { database: 'ok' } });
    });

    test('with a real redis-server the redis check is ok; stopping redis makes it 503 with redis failing', async () => {
      const redisPassword = 'r3dis-Secret-pw';
      const redis = await startRedis(['--requirepass', redisPassword]);
      const redisUrl = redis.url.replace('redis://', `redis://:${redisPassword}@`);
      try {
        const started = await app({ REDIS_URL: redisUrl });
        const healthy = await getHealth(started.url);
        expect(healthy.status).toBe(200);
        expect(healthy.body.checks).toEqual({ database: 'ok', redis: 'ok' });

        await redis.stop();
        const failing = await getHealth(started.url);
        expect(failing.status).toBe(503);
        expect(failing.body.status).toBe('unhealthy');
        expect(failing.body.version).toBe(VERSION);
        expect(failing.body.checks.database).toBe('ok');
        expect(failing.body.checks.redis).toMatch(/^error: ConnectionError: .*Connection refused/);
        expectNoSecret(failing.text, redisPassword, redisUrl);
      } finally {
        await redis.stop();
      }
    });

    test('a redis that refuses the credentials is a failing check without the password in it', async () => {
      const redis = await startRedis(['--requirepass', 'the-right-one']);
      try {
        const wrongUrl = redis.url.replace('redis://', 'redis://:Wrong-Redis-Pw@');
        const started = await app({ REDIS_URL: wrongUrl });
        const failing = await getHealth(started.url);
        expect(failing.status).toBe(503);
        expect(failing.body.checks.database).toBe('ok');
        expect(failing.body.checks.redis).toMatch(/^error: /);
        expectNoSecret(failing.text, 'Wrong-Redis-Pw', wrongUrl);
      } finally {
        await redis.stop();
      }
    });

    test('a database refusing the password: 503, an error string, and no password or URL in the body', async () => {
      const wrongPassword = 'Wrong$Pass/%word';
      const wrongUrl = roleUrl(wrongPassword);
      const started = await app({ DATABASE_URL: wrongUrl });
      const failing = await getHealth(started.url);
      expect(failing.status).toBe(503);
      expect(failing.body.status).toBe('unhealthy');
      expect(failing.body.checks).toEqual({
        database: expect.stringMatching(/^error: OperationalError: .*password authentication failed/)
      });
      expectNoSecret(failing.text, wrongPassword, encodeURIComponent(wrongPassword), wrongUrl);
    });

    test('an unreachable database fails the check quickly instead of hanging the probe', async () => {
      const deadUrl = `postgresql://${ROLE}:${encodeURIComponent(PASSWORD)}@127.0.0.1:1/${DATABASE}`;
      const started = await app({ DATABASE_URL: deadUrl });
      const failing = await getHealth(started.url);
      expect(failing.status).toBe(503);
      expect(failing.body.checks.database).toMatch(/^error: OperationalError: .*(refused|failed)/);
      expectNoSecret(failing.text, deadUrl);
      // Liveness stays up: the platform must not restart instances because the database is away.
      const live = await fetch(`${started.url}/livez`);
      expect(live.status).toBe(200);
      expect(await live.json()).toEqual({ status: 'alive', version: VERSION });
    });
  });

  test('CHAOS_DB_FAIL_AFTER_SECONDS (test hook) flips /health to 503 once the process is that old', async () => {
    const after = 5;
    const started = await app({ CHAOS_DB_FAIL_AFTER_SECONDS: String(after) });
    const seen: number[] = [];
    let last: HealthResponse | undefined;
    await waitUntil(async () => {
      last = await getHealth(started.url);
      seen.push(last.status);
      return last.status === 503;
    }, 'the chaos hook to fail /health');
    if (!last) throw new Error('no /health answer');
    // Healthy first, then failing for good: a release that breaks after going live.
    expect(seen[0]).toBe(200);
    expect(seen.slice(seen.indexOf(503))).toEqual([503]);
    expect(last.body.status).toBe('unhealthy');
    expect(last.body.uptime_seconds).toBeGreaterThanOrEqual(after);
    expect(last.body.checks.database).toBe(
      `error: chaos: CHAOS_DB_FAIL_AFTER_SECONDS=${after} elapsed (test hook)`
    );
    expect((await getHealth(started.url)).status).toBe(503);
  });

  test('SIGTERM: the app drains and exits 0 well within the 30 s App Platform grace period', async () => {
    const started = await app({});
    expect((await getHealth(started.url)).status).toBe(200); // leaves a keep-alive connection open
    const exit = await started.stop('SIGTERM', 30_000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(started.output()).toMatch(/Finished server process/);
  });

  describe('SIGTERM with a request in flight', () => {
    // A test transaction holds the event row lock, so the app's sign-up (SELECT ... FOR UPDATE) waits in
    // PostgreSQL: a request that is provably still running when SIGTERM arrives.
    async function inFlightSignup(started: App) {
      const holder = new pg.Client({ connectionString: databaseUrl });
      await holder.connect();
      const post = (path: string, body: unknown) =>
        fetch(`${started.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body)
        });
      const event = (await (
        await post('/events', {
          title: 'Drain',
          starts_at: '2026-12-01T10:00:00Z',
          ends_at: '2026-12-01T11:00:00Z'
        })
      ).json()) as { id: number };
      const volunteer = (await (
        await post('/volunteers', { name: 'Drain', email: `drain-${started.port}@example.org` })
      ).json()) as { id: number };
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM events WHERE id = $1 FOR UPDATE', [event.id]);
      const response = post(`/events/${event.id}/signups`, { volunteer_id: volunteer.id });
      await waitUntil(async () => {
        // Statistics views are frozen inside a transaction (stats_fetch_consistency): drop the snapshot.
        await holder.query('SELECT pg_stat_clear_snapshot()');
        const waiting = await holder.query(
          `SELECT 1 FROM pg_stat_activity WHERE application_name = 'signupflow' AND wait_event_type = 'Lock'`
        );
        return waiting.rowCount === 1;
      }, 'the sign-up to wait for the row lock');
      return { holder, response };
    }

    test('the request completes, then the process exits 0', async () => {
      const started = await app({});
      const { holder, response } = await inFlightSignup(started);
      const exit = started.stop('SIGTERM', 30_000);
      await waitUntil(async () => /Shutting down/.test(started.output()), 'uvicorn to begin its shutdown');
      expect(started.child.exitCode).toBeNull(); // still draining
      await holder.query('COMMIT');
      await holder.end();
      expect((await response).status).toBe(201);
      expect(await exit).toEqual({ code: 0, signal: null });
    });

    test('a request that never gets its lock is cut by the statement timeout, so the drain still ends', async () => {
      // Debian's uvicorn 0.17 has no --timeout-graceful-shutdown: the app's own timeouts bound the drain.
      const started = await app({});
      const { holder, response } = await inFlightSignup(started);
      const exit = started.stop('SIGTERM', 30_000);
      expect((await response).status).toBe(503);
      expect(await exit).toEqual({ code: 0, signal: null });
      await holder.query('ROLLBACK');
      await holder.end();
    });
  });

  describe('configuration errors stop the process with one line naming the variable', () => {
    test('DATABASE_URL unset', async () => {
      const result = await runAppToExit({ APP_VERSION: VERSION });
      expect(result.code).toBe(2);
      expect(result.output.trim()).toBe('signupflow: configuration error: DATABASE_URL is not set');
    });

    test('CHAOS_DB_FAIL_AFTER_SECONDS not a number', async () => {
      const result = await runAppToExit({ DATABASE_URL: databaseUrl, CHAOS_DB_FAIL_AFTER_SECONDS: 'soon' });
      expect(result.code).toBe(2);
      expect(result.output).toContain("CHAOS_DB_FAIL_AFTER_SECONDS must be a number of seconds, got 'soon'");
      expectNoSecret(result.output);
    });

    test('DATABASE_URL of another database kind', async () => {
      const result = await runAppToExit({ DATABASE_URL: `mysql://u:${PASSWORD}@127.0.0.1/x` });
      expect(result.code).toBe(2);
      expect(result.output.trim()).toBe(
        'signupflow: configuration error: DATABASE_URL must be a postgres:// or postgresql:// URL'
      );
    });
  });

  describe('volunteer scheduling endpoints (real SQL)', () => {
    let base: string;
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body)
      });

    beforeAll(async () => {
      base = (await app({})).url;
    });

    test('volunteers: create, refuse a duplicate email in any case, list', async () => {
      const created = await post('/volunteers', {
        name: 'Grace',
        email: 'grace@stmarks.org',
        phone: '555-0101'
      });
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({
        id: expect.any(Number),
        name: 'Grace',
        email: 'grace@stmarks.org'
      });
      const duplicate = await post('/volunteers', { name: 'Grace H.', email: 'GRACE@stmarks.org' });
      expect(duplicate.status).toBe(409);
      expect((await post('/volunteers', { name: 'No Mail', email: 'nomail' })).status).toBe(422);
      const list = (await (await fetch(`${base}/volunteers`)).json()) as { email: string }[];
      expect(list.map(v => v.email)).toContain('grace@stmarks.org');
    });

    test('events and sign-ups: capacity, one sign-up per volunteer, 404s, listing', async () => {
      const volunteer = (await (
        await post('/volunteers', { name: 'Joe', email: 'joe@stmarks.org' })
      ).json()) as { id: number };
      const other = (await (await post('/volunteers', { name: 'Ann', email: 'ann@stmarks.org' })).json()) as {
        id: number;
      };
      expect(
        (
          await post('/events', {
            title: 'Bad',
            starts_at: '2026-12-06T12:00:00Z',
            ends_at: '2026-12-06T09:00:00Z'
          })
        ).status
      ).toBe(422);
      const eventRes = await post('/events', {
        title: 'Food pantry',
        starts_at: '2026-12-06T09:00:00Z',
        ends_at: '2026-12-06T12:00:00Z',
        location: 'Hall',
        capacity: 1
      });
      expect(eventRes.status).toBe(201);
      const event = (await eventRes.json()) as { id: number };

      const signup = await post(`/events/${event.id}/signups`, {
        volunteer_id: volunteer.id,
        role: 'driver'
      });
      expect(signup.status).toBe(201);
      expect(await signup.json()).toMatchObject({
        volunteer_id: volunteer.id,
        event_id: event.id,
        role: 'driver'
      });
      expect((await post(`/events/${event.id}/signups`, { volunteer_id: volunteer.id })).status).toBe(409);
      const full = await post(`/events/${event.id}/signups`, { volunteer_id: other.id });
      expect(full.status).toBe(409);
      expect(await full.json()).toEqual({ detail: 'event is full' });
      expect((await post(`/events/999999/signups`, { volunteer_id: other.id })).status).toBe(404);
      expect((await post(`/events/${event.id}/signups`, { volunteer_id: 999999 })).status).toBe(404);

      const signups = (await (await fetch(`${base}/events/${event.id}/signups`)).json()) as {
        volunteer_name: string;
      }[];
      expect(signups.map(s => s.volunteer_name)).toEqual(['Joe']);
      const events = (await (await fetch(`${base}/events`)).json()) as { id: number; signup_count: number }[];
      expect(events.find(e => e.id === event.id)?.signup_count).toBe(1);
    });
  });
});
