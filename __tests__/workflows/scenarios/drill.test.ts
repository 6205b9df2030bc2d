// The README's monthly drill caller restores the newest backup into its service database with a client of the
// service's own major (before the fix: postgresql-client-17 against postgres:16, and a fixed host port 5432); and a
// private pipeline repository works with PIPELINE_REPOSITORY_TOKEN and fails with one clear line without it.
import { beforeAll, describe, expect, it } from '@jest/globals';
import * as openpgp from 'openpgp';
import pg from 'pg';
import { runWorkflow, type RunOptions } from '../../../test-support/workflow-runner/index.js';
import { pipelineRepository, readmeCallers } from '../../../test-support/workflow-runner/repositories.js';
import { installedPostgresMajors } from '../../../test-support/workflow-runner/stand-ins.js';
import { sharedPostgres, sharedS3, type S3Server } from '../../../test-support/shared.js';
import { CALLER, callerRepository, repositories, spacesStandIn, step } from './harness.js';

let s3: S3Server;
let databaseUrl: string;
let keys: { publicKey: string; privateKey: string };
const passphrase = 'drill key passphrase';
const prefix = `nightly/drill-${Date.now().toString(36)}`;
const major = Math.max(...installedPostgresMajors());

const base = (file: string, content: string, extra: Partial<RunOptions> = {}): RunOptions => ({
  caller: { path: `.github/workflows/${file}`, content: content.replace('nightly/signupflow', prefix) },
  event: { name: 'schedule' },
  repository: CALLER,
  repositories: repositories(callerRepository()),
  secrets: {
    DATABASE_URL: databaseUrl,
    SPACES_ACCESS_KEY_ID: s3.accessKeyId,
    SPACES_SECRET_ACCESS_KEY: s3.secretAccessKey,
    BACKUP_PUBLIC_KEY: keys.publicKey,
    BACKUP_PRIVATE_KEY: keys.privateKey,
    BACKUP_PRIVATE_KEY_PASSPHRASE: passphrase
  },
  rewrite: { inputs: spacesStandIn(s3) },
  log: process.env.RUNNER_LOG ? line => console.log(line) : undefined,
  ...extra
});

beforeAll(async () => {
  const server = await sharedPostgres();
  s3 = await sharedS3();
  databaseUrl = await server.createDatabase(`drill_scn_${Date.now().toString(36)}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(
    "create table volunteers (id serial primary key, name text); insert into volunteers (name) values ('Ada'), ('Grace')"
  );
  await client.end();
  keys = await openpgp.generateKey({ userIDs: [{ name: 'drill' }], passphrase, format: 'armored' });
});

describe('monthly restore drill (README caller)', () => {
  it('restores the newest backup into its service database with a client of the same major', async () => {
    const backup = await runWorkflow(base('backup.yml', readmeCallers()['backup.yml']!));
    expect(backup.conclusion).toBe('success');
    const id = step(backup, 'backup/backup', 'backup').outputs['backup-id'];
    // The README names postgres:16 (the production major); this machine has only PostgreSQL 15 servers, so the
    // service image is the one substitution: the drill must still pair its client with whatever the service runs.
    const drill = readmeCallers()['restore-drill.yml']!.replace(
      'postgres-image: postgres:16',
      `postgres-image: postgres:${major}`
    );
    const report = await runWorkflow(base('restore-drill.yml', drill));
    expect(report.conclusion).toBe('success');
    const verify = step(report, 'drill/drill', 'verify');
    expect(verify.outputs['backup-id']).toBe(id);
    expect(Number(verify.outputs['restore-seconds'])).toBeGreaterThan(0);
    const log = report.jobs.find(j => j.id === 'drill/drill')!.log.join('\n');
    expect(log).toContain(`PostgreSQL client ${major} is installed`);
    expect(log).toMatch(new RegExp(`service postgres: postgres:${major} stand-in on 127\\.0\\.0\\.1:\\d+`));
  });
});

describe('private pipeline repository', () => {
  const privatePipeline = () => repositories(callerRepository(), pipelineRepository('private'));

  it('without a token every job stops at its checkout with one clear line', async () => {
    const report = await runWorkflow(
      base('backup.yml', readmeCallers()['backup.yml']!, { repositories: privatePipeline() })
    );
    expect(report.conclusion).toBe('failure');
    const log = report.jobs.find(j => j.id === 'backup/backup')!.log;
    expect(log.filter(l => l.startsWith('::error::Cannot read the pipeline repository'))).toEqual([
      '::error::Cannot read the pipeline repository your-org/app-platform-pipeline: if it is private or internal, pass a token with contents:read on it as the PIPELINE_REPOSITORY_TOKEN secret'
    ]);
    expect(step(report, 'backup/backup', 'backup').result).toBe('skipped');
  });

  it('with PIPELINE_REPOSITORY_TOKEN passed by the caller the backup runs', async () => {
    const caller = readmeCallers()['backup.yml']!.replace(
      /^( +)DATABASE_URL: \$\{\{ secrets\.DATABASE_URL \}\}$/m,
      (m, indent: string) =>
        `${m}\n${indent}PIPELINE_REPOSITORY_TOKEN: \${{ secrets.PIPELINE_REPOSITORY_TOKEN }}`
    );
    const options = base('backup.yml', caller, {
      repositories: privatePipeline(),
      tokens: { github_pat_pipeline: ['your-org/app-platform-pipeline'] }
    });
    options.secrets = { ...options.secrets, PIPELINE_REPOSITORY_TOKEN: 'github_pat_pipeline' };
    const report = await runWorkflow(options);
    expect(report.conclusion).toBe('success');
    expect(step(report, 'backup/backup', 'backup').outputs['backup-id']).toMatch(
      /^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{6}$/
    );
  });
});
