// Issue 15 through the workflow runner: PostgreSQL is reachable only through the TCP gate that admits a source
// while a rule of the simulator's database firewall admits it. The README's nightly backup.yml and push-to-main
// production.yml (deploy.yml's migrate job) callers with `trusted-source: runner-ip` work, the rule is gone after
// the run and the other teams' rules are untouched; without trusted-source the connection is refused and the run
// says so in one clear line.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as openpgp from 'openpgp';
import { startLockedDatabase, type LockedDatabase } from '../../../test-support/locked-database.js';
import { queryRows } from '../../../test-support/postgres.js';
import { runWorkflow, type RunOptions } from '../../../test-support/workflow-runner/index.js';
import { readmeCallers } from '../../../test-support/workflow-runner/repositories.js';
import {
  sharedPostgres,
  sharedRegistry,
  sharedS3,
  type PostgresServer,
  type RegistryServer,
  type S3Server
} from '../../../test-support/shared.js';
import {
  chainInputs,
  trustedSourceStandIn,
  withTrustedSource
} from '../../../test-support/workflow-runner/trusted-source.js';
import { appSpec, health, startHarness, type Harness } from '../../simulator/harness.js';
import {
  CALLER,
  callerRepository,
  DEBIAN_PYTHON,
  releaseStandIns,
  repositories,
  signupflowRepository,
  spacesStandIn,
  step
} from './harness.js';

let pg: PostgresServer;
let s3: S3Server;
let registry: RegistryServer;
let h: Harness;
let locked: LockedDatabase;
let publicKey: string;
const suffix = Date.now().toString(36);
const prefix = `nightly/locked-${suffix}`;
const databases: string[] = [];

async function lockedDatabase(name: string): Promise<string> {
  const db = `locked_scn_${suffix}_${name}`;
  databases.push(db);
  await pg.createDatabase(db);
  return locked.url(db);
}

const connects = (url: string) =>
  queryRows(url, 'SELECT 1').then(
    () => true,
    () => false
  );

beforeAll(async () => {
  [pg, s3, registry] = await Promise.all([sharedPostgres(), sharedS3(), sharedRegistry()]);
  h = await startHarness({ v1: {} });
  // One simulator serves the apps the deploy updates and the database cluster whose firewall locks PostgreSQL.
  locked = await startLockedDatabase(pg, { sim: h.sim });
  publicKey = (await openpgp.generateKey({ userIDs: [{ name: 'locked' }], format: 'armored' })).publicKey;
}, 300_000);

afterAll(async () => {
  await locked?.stop();
  await h?.close();
  for (const db of databases) await pg.dropDatabase(db);
});

const log = process.env.RUNNER_LOG ? (line: string) => console.log(line) : undefined;

function backupRun(content: string, databaseUrl: string): RunOptions {
  return {
    caller: { path: '.github/workflows/backup.yml', content: content.replace('nightly/signupflow', prefix) },
    event: { name: 'schedule' },
    repository: CALLER,
    repositories: repositories(callerRepository()),
    secrets: {
      DATABASE_URL: databaseUrl,
      SPACES_ACCESS_KEY_ID: s3.accessKeyId,
      SPACES_SECRET_ACCESS_KEY: s3.secretAccessKey,
      BACKUP_PUBLIC_KEY: publicKey,
      DIGITALOCEAN_TOKEN: h.sim.token
    },
    rewrite: { inputs: chainInputs(spacesStandIn(s3), trustedSourceStandIn(locked)) },
    log
  };
}

async function pushRun(content: string, sha: string, databaseUrl: string) {
  const app = await h.sim.seedApp(
    appSpec(`signupflow-locked-${sha.slice(0, 4)}`, h.images.v1!.source) as never
  );
  const liveUrl = app.live_url as string;
  const stand = releaseStandIns(h.sim, registry, liveUrl);
  const report = await runWorkflow({
    caller: { path: '.github/workflows/production.yml', content },
    event: { name: 'push' },
    sha,
    repository: CALLER,
    repositories: repositories(signupflowRepository(sha)),
    vars: { APP_ID: app.id as string },
    secrets: { DIGITALOCEAN_TOKEN: h.sim.token, DATABASE_URL: databaseUrl },
    python: DEBIAN_PYTHON,
    rewrite: { inputs: chainInputs(stand.inputs, trustedSourceStandIn(locked)), outputs: stand.outputs },
    log
  });
  return { report, liveUrl };
}

const ADDED =
  /^trusted-source: added 127\.0\.0\.1 to the firewall of signupflow-db \(rule [0-9a-f-]{36}, 'app-platform-pipeline acme\/signupflow run \d+ attempt 1 job (backup|release)'\)/;
const REMOVED = /^trusted-source: removed 127\.0\.0\.1 from the firewall of signupflow-db in/;

describe('README callers against a locked database (trusted-source: runner-ip)', () => {
  it('nightly backup.yml: the backup is stored through the gate; the rule is gone after, other rules untouched', async () => {
    const url = await lockedDatabase('backup');
    const before = locked.rules();
    expect(await connects(url)).toBe(false);
    const report = await runWorkflow(backupRun(withTrustedSource(readmeCallers()['backup.yml']!), url));
    expect(report.conclusion).toBe('success');
    expect(step(report, 'backup/backup', 'backup').outputs['backup-id']).toMatch(
      /^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{6}$/
    );
    const lines = report.jobs
      .find(j => j.id === 'backup/backup')!
      .log.map(l => l.replace(/^\s*\[\w+\] /, ''));
    expect(lines.filter(l => ADDED.test(l))).toHaveLength(1);
    expect(lines.filter(l => REMOVED.test(l))).toHaveLength(1);
    expect(locked.extraRules()).toEqual([]);
    expect(locked.rules()).toEqual(before);
    expect(await connects(url)).toBe(false);
    expect(report.log.join('\n')).not.toContain(h.sim.token);
  }, 300_000);

  it('nightly backup.yml without trusted-source: refused, one clear line naming the database', async () => {
    const url = await lockedDatabase('backup_refused');
    const refused = locked.gate.refused.length;
    const report = await runWorkflow(backupRun(readmeCallers()['backup.yml']!, url));
    expect(report.conclusion).toBe('failure');
    expect(locked.gate.refused.length).toBeGreaterThan(refused);
    const errors = report.jobs
      .find(j => j.id === 'backup/backup')!
      .log.map(l => l.replace(/^\s*\[\w+\] /, ''))
      .filter(l => l.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(CLEAR_REFUSAL);
    expect(locked.extraRules()).toEqual([]);
  }, 300_000);

  it("production.yml on push: deploy.yml's migrate job migrates through the gate, the release ships, the rule is gone", async () => {
    const url = await lockedDatabase('deploy');
    const before = locked.rules();
    const sha = '18293a4b5c6d7e8f9012345678a1b2c3d4e5f607';
    const { report, liveUrl } = await pushRun(
      withTrustedSource(readmeCallers()['production.yml']!),
      sha,
      url
    );
    expect(report.conclusion).toBe('success');
    expect(step(report, 'deploy/release', 'migrate').outputs['applied-count']).toBe('3');
    expect(step(report, 'deploy/release', 'gate').outputs).toMatchObject({ healthy: 'true' });
    expect(await health(liveUrl)).toEqual({ status: 200, version: sha });
    const lines = report.jobs
      .find(j => j.id === 'deploy/release')!
      .log.map(l => l.replace(/^\s*\[\w+\] /, ''));
    expect(lines.filter(l => ADDED.test(l))).toHaveLength(1);
    expect(lines.filter(l => REMOVED.test(l))).toHaveLength(1);
    expect(locked.extraRules()).toEqual([]);
    expect(locked.rules()).toEqual(before);
    expect(await connects(url)).toBe(false);
  }, 600_000);

  it('production.yml without trusted-source: the migrate step is refused with one clear line, nothing deployed', async () => {
    const url = await lockedDatabase('deploy_refused');
    const sha = '293a4b5c6d7e8f9012345678a1b2c3d4e5f60718';
    const { report, liveUrl } = await pushRun(readmeCallers()['production.yml']!, sha, url);
    expect(report.conclusion).toBe('failure');
    expect(step(report, 'deploy/release', 'migrate').result).toBe('failure');
    expect(step(report, 'deploy/release', 'deploy').result).toBe('skipped');
    const errors = report.jobs
      .find(j => j.id === 'deploy/release')!
      .log.map(l => l.replace(/^\s*\[\w+\] /, ''))
      .filter(l => l.startsWith('::error::'));
    expect(errors[0]).toMatch(CLEAR_REFUSAL);
    expect(await health(liveUrl)).toEqual({ status: 200, version: 'v1' });
  }, 600_000);
});

/** What a refused connection must say: which database, that it refused, and what to do. */
const CLEAR_REFUSAL =
  /^::error::Cannot connect to PostgreSQL .*127\.0\.0\.1.*(ECONNRESET|reset by peer|refused|closed the connection)/;
