// This repository's cutover.yml, dispatched by hand as a new user would (Actions → cutover → Run workflow), through
// the local runner: the example app's Alembic revisions create the schema (migrate action, the runner's own
// alembic), import-sqlite copies a SQLite database of the example app's data written by SQLAlchemy and stored in
// the backup storage (Ceph RGW playing Spaces). A dry run first (nothing kept), then the real run: every table in
// the summary with matching counts and checksums, the outputs, and the rows themselves in PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWorkflow, type RunReport } from '../../test-support/workflow-runner/index.js';
import { PIPELINE_ROOT, pipelineRepository } from '../../test-support/workflow-runner/repositories.js';
import { queryRows } from '../../test-support/postgres.js';
import { sharedPostgres, sharedS3, type PostgresServer, type S3Server } from '../../test-support/shared.js';
import { PYTHON, makeFixture, node24 } from '../sqlite/helpers.js';
import { step } from './scenarios/harness.js';

const PIPELINE = 'your-org/app-platform-pipeline';
/** The example app's tables (alembic_version is Alembic's own, written by the migrate step). */
const APP_TABLES = ['volunteers', 'events', 'signups'] as const;

const dir = mkdtempSync(join(tmpdir(), 'cutover-scn-'));
let pg: PostgresServer;
let s3: S3Server;
let databaseName: string;
let databaseUrl: string;
let sqliteUrl: string;
let fixture: string;

/** What is in the SQLite file, read with Python's sqlite3 (not by the code under test): ids per table. */
function sqliteIds(): Record<string, string[]> {
  const script = `import json, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(json.dumps({t: [str(r[0]) for r in c.execute(f"SELECT id FROM {t} ORDER BY id")] for t in sys.argv[2:]}))`;
  const r = spawnSync(PYTHON, ['-c', script, fixture, ...APP_TABLES], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Record<string, string[]>;
}

async function postgresIds(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of APP_TABLES)
    out[t] = (await queryRows<{ n: string }>(databaseUrl, `SELECT id::text AS n FROM ${t} ORDER BY id`)).map(
      r => r.n
    );
  return out;
}

/** The workflow file in this repository, dispatched on this repository, with the production environment's secrets. */
function dispatch(inputs: Record<string, string | boolean>): Promise<RunReport> {
  return runWorkflow({
    caller: {
      path: '.github/workflows/cutover.yml',
      content: readFileSync(join(PIPELINE_ROOT, '.github', 'workflows', 'cutover.yml'), 'utf8')
    },
    event: { name: 'workflow_dispatch', inputs },
    repository: PIPELINE,
    repositories: { [PIPELINE]: pipelineRepository() },
    vars: { BACKUP_S3_ENDPOINT: 'https://fra1.digitaloceanspaces.com' },
    environments: {
      production: {
        secrets: {
          DATABASE_URL: databaseUrl,
          SPACES_ACCESS_KEY_ID: s3.accessKeyId,
          SPACES_SECRET_ACCESS_KEY: s3.secretAccessKey
        }
      }
    },
    // Spaces is played by the local Ceph RGW (path-style URLs on 127.0.0.1).
    rewrite: {
      inputs: (action, values) =>
        action === 'import-sqlite'
          ? { ...values, 's3-endpoint': s3.endpoint, 's3-force-path-style': 'true' }
          : values
    },
    log: process.env.RUNNER_LOG ? line => console.log(line) : undefined
  });
}

function expectEveryTableMatches(summary: string, ids: Record<string, string[]>): void {
  for (const t of APP_TABLES) {
    const n = ids[t]!.length;
    expect(summary).toMatch(new RegExp(`\\| ${t} \\| ${n} \\| ${n} \\| match \\|`));
  }
  expect(summary).toContain('every table: row count and checksum match');
  expect(summary).not.toContain('MISMATCH');
}

beforeAll(async () => {
  // runs.using: node24 — import-sqlite reads SQLite with node:sqlite, so the actions run under Node 24.
  process.env.BUNDLE_NODE = node24();
  [pg, s3] = await Promise.all([sharedPostgres(), sharedS3()]);
  databaseName = `cutover_scn_${process.pid}_${Date.now().toString(36)}`;
  databaseUrl = await pg.createDatabase(databaseName);
  fixture = join(dir, 'signupflow.sqlite');
  makeFixture(fixture, { appTablesOnly: true });
  const key = `cutover-scn-${process.pid}/signupflow.sqlite`;
  await s3.client().send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: readFileSync(fixture) }));
  sqliteUrl = `s3://${s3.bucket}/${key}`;
}, 120_000);

afterAll(async () => {
  await pg?.dropDatabase(databaseName).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe("cutover.yml on workflow_dispatch: the example app's SQLite data into PostgreSQL", () => {
  let ids: Record<string, string[]>;
  let total: number;
  let dry: RunReport;
  let real: RunReport;
  let afterDry: Record<string, string[]>;
  let alembicAfterDry: unknown;
  const seconds: Record<string, string> = {};

  beforeAll(async () => {
    ids = sqliteIds();
    total = APP_TABLES.reduce((n, t) => n + ids[t]!.length, 0);
    let t = Date.now();
    // The dispatch form's defaults (dry-run: true, app-directory: examples/signupflow); the runner's alembic.
    dry = await dispatch({ sqlite: sqliteUrl, requirements: '' });
    seconds.dry = ((Date.now() - t) / 1000).toFixed(1);
    afterDry = await postgresIds();
    alembicAfterDry = await queryRows(databaseUrl, 'SELECT version_num FROM alembic_version');
    t = Date.now();
    real = await dispatch({ sqlite: sqliteUrl, requirements: '', 'dry-run': false });
    seconds.real = ((Date.now() - t) / 1000).toFixed(1);
    console.log(`cutover.yml through the runner: dry run ${seconds.dry}s, real run ${seconds.real}s`);
  }, 600_000);

  it('the fixture holds the example app data (gaps in the ids included)', () => {
    expect(ids.volunteers).toHaveLength(38);
    expect(ids.volunteers).not.toContain('3');
    expect(total).toBe(38 + 7 + 35);
  });

  it('dry run: the job succeeds in the production environment, Alembic creates the schema, import verifies', async () => {
    expect(dry.error).toBeUndefined();
    expect(dry.conclusion).toBe('success');
    const job = dry.jobs.find(j => j.id === 'cutover')!;
    expect(job.result).toBe('success');
    expect(job.environment?.name).toBe('production');
    expect(Object.values(dry.concurrency)).toEqual([`cutover-${PIPELINE}`]);
    // requirements: '' — no Python setup, the migrate step runs the runner's own alembic.
    expect(job.steps.find(s => s.name.includes('setup-python'))?.result).toBe('skipped');
    const migrate = step(dry, 'cutover', 'migrate');
    expect(migrate.result).toBe('success');
    expect(migrate.outputs['to-revision']).toBe('0003');
    const imported = step(dry, 'cutover', 'import');
    expect(imported.outputs).toEqual({ tables: '3', rows: String(total), verified: 'true' });
    expect(job.outputs).toEqual({ tables: '3', rows: String(total), verified: 'true' });
    expect(job.summary).toContain('## Cut-over from SQLite: dry run verified, rolled back');
    expectEveryTableMatches(job.summary, ids);
  });

  it('dry run kept nothing: the schema is at head, every table empty', () => {
    expect(alembicAfterDry).toEqual([{ version_num: '0003' }]);
    expect(afterDry).toEqual({ volunteers: [], events: [], signups: [] });
    expect(dry.jobs[0]!.summary).toContain('dry run (everything but the commit)');
  });

  it('real run: success, every row counted and checksummed in the summary, outputs rows and verified', () => {
    expect(real.error).toBeUndefined();
    expect(real.conclusion).toBe('success');
    const job = real.jobs.find(j => j.id === 'cutover')!;
    expect(job.result).toBe('success');
    // The dry run's migrate already brought the schema to head.
    expect(step(real, 'cutover', 'migrate').outputs['applied-count']).toBe('0');
    expect(step(real, 'cutover', 'import').outputs).toEqual({
      tables: '3',
      rows: String(total),
      verified: 'true'
    });
    expect(job.outputs.rows).toBe(String(total));
    expect(job.outputs.verified).toBe('true');
    expect(job.summary).toContain('## Cut-over from SQLite: verified and committed');
    expect(job.summary).toContain(sqliteUrl);
    expectEveryTableMatches(job.summary, ids);
    expect(job.summary).toContain('gh workflow run backup.yml -f mode=backup');
    expect(job.summary).toContain('gh secret set DATABASE_URL --env production');
  });

  it('every row arrived in PostgreSQL, id for id, and the sequences continue past the highest id', async () => {
    expect(await postgresIds()).toEqual(ids);
    const next = await queryRows<{ id: string }>(
      databaseUrl,
      "INSERT INTO volunteers (name, email) VALUES ('After the cut-over', 'after@example.org') RETURNING id::text AS id"
    );
    expect(Number(next[0]!.id)).toBe(Math.max(...ids.volunteers!.map(Number)) + 1);
  });

  it('no secret is printed: database password and Spaces keys are masked in log and summary', () => {
    const password = new URL(databaseUrl).password;
    for (const report of [dry, real]) {
      const printed = [...report.log, ...report.jobs.map(j => j.summary)].join('\n');
      for (const secret of [password, s3.secretAccessKey, s3.accessKeyId].filter(s => s.length > 3))
        expect(printed).not.toContain(secret);
    }
  });
});
