// Development databases (issue 16): a dev database component gets a database of its own, created with the app,
// bound through `${db.DATABASE_URL}` to the PRE_DEPLOY job and the service, and dropped when the app is deleted.
// Two apps at once each get their own; the platform's DATABASE_URL (the "production" one) is never touched.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { sharedPostgres } from '../../test-support/shared.js';
import { api, appSpec, health, startHarness, type Harness } from './harness.js';

let h: Harness;
const devDatabases = async () => {
  const c = new pg.Client({ connectionString: h.databaseUrl });
  await c.connect();
  try {
    return (
      await c.query<{ datname: string }>(`select datname from pg_database where datname like 'sim_dev_%'`)
    ).rows.map(r => r.datname);
  } finally {
    await c.end();
  }
};
const revision = async (database: string) => {
  const url = new URL(h.databaseUrl);
  url.pathname = `/${database}`;
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try {
    return (await c.query<{ version_num: string }>('select version_num from alembic_version')).rows;
  } finally {
    await c.end();
  }
};

beforeAll(async () => {
  h = await startHarness({ v1: {} }, { devDatabaseServer: (await sharedPostgres()).url });
}, 300_000);
afterAll(() => h?.close());

const bound = [{ key: 'DATABASE_URL', scope: 'RUN_TIME', value: '${db.DATABASE_URL}' }];
const previewLike = (name: string) =>
  appSpec(name, h.images.v1!.source, {
    databases: [{ name: 'db', engine: 'PG', production: false }],
    jobs: [
      {
        name: 'migrate',
        kind: 'PRE_DEPLOY',
        image: h.images.v1!.source,
        run_command: 'alembic -c alembic.ini upgrade head',
        envs: bound
      }
    ]
  });

describe('development databases', () => {
  it('each app gets its own, migrated by its PRE_DEPLOY job, dropped with the app', async () => {
    const before = await devDatabases();
    const withEnv = (spec: ReturnType<typeof previewLike>) => {
      spec.services[0]!.envs.push(...(bound as never[]));
      return spec;
    };
    const a = await h.sim.seedApp(withEnv(previewLike('acme-signupflow-1')) as never);
    const b = await h.sim.seedApp(withEnv(previewLike('acme-signupflow-2')) as never);
    const created = (await devDatabases()).filter(d => !before.includes(d));
    expect(created).toHaveLength(2);
    for (const d of created) expect(await revision(d)).toHaveLength(1);
    expect((await health(a.live_url as string)).status).toBe(200);
    expect((await health(b.live_url as string)).status).toBe(200);

    const del = await api(h.sim, 'DELETE', `/v2/apps/${a.id as string}`);
    expect(del.status).toBe(200);
    const left = (await devDatabases()).filter(d => !before.includes(d));
    expect(left).toHaveLength(1);
    expect(left[0]).toContain(String(b.id).replace(/-/g, '').slice(0, 12));

    await h.sim.stop();
    expect((await devDatabases()).filter(d => !before.includes(d))).toEqual([]);
  }, 180_000);
});
