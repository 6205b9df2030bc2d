// The README's nightly backup caller, verbatim, on its cron: it stores a backup AND prunes to 30 daily + 12
// monthly (before the fix `inputs.prune != false` was false on schedule, so nothing was ever pruned); a caller's
// explicit keep-daily 0 stays 0; this repository's own backup.yml lists on a dispatch with mode: list.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as openpgp from 'openpgp';
import { runWorkflow, type RunOptions } from '../../../test-support/workflow-runner/index.js';
import { pipelineRepository, readmeCallers } from '../../../test-support/workflow-runner/repositories.js';
import {
  sharedPostgres,
  sharedS3,
  type PostgresServer,
  type S3Server
} from '../../../test-support/shared.js';
import {
  expectedKept,
  olderBackupIds,
  seedBackups,
  storedBackupIds
} from '../../../test-support/workflow-runner/backup-seed.js';
import { CALLER, callerRepository, repositories, spacesStandIn, step } from './harness.js';

let pg: PostgresServer;
let s3: S3Server;
let databaseUrl: string;
let publicKey: string;
const prefix = `nightly/signupflow-${Date.now().toString(36)}`;

const storedIds = () => storedBackupIds(s3, prefix);
const seed = (ids: string[]) => seedBackups(s3, prefix, ids);

const options = (content: string, extra: Partial<RunOptions> = {}): RunOptions =>
  ({
    caller: { path: '.github/workflows/backup.yml', content },
    event: { name: 'schedule' },
    repository: CALLER,
    repositories: repositories(callerRepository()),
    secrets: {
      DATABASE_URL: databaseUrl,
      SPACES_ACCESS_KEY_ID: s3.accessKeyId,
      SPACES_SECRET_ACCESS_KEY: s3.secretAccessKey,
      BACKUP_PUBLIC_KEY: publicKey
    },
    rewrite: { inputs: spacesStandIn(s3) },
    log: process.env.RUNNER_LOG ? line => console.log(line) : undefined,
    ...extra
  }) as RunOptions;

beforeAll(async () => {
  [pg, s3] = await Promise.all([sharedPostgres(), sharedS3()]);
  databaseUrl = await pg.createDatabase(`backup_scn_${Date.now().toString(36)}`);
  const key = await openpgp.generateKey({
    userIDs: [{ name: 'drill', email: 'drill@example.org' }],
    format: 'armored'
  });
  publicKey = key.publicKey;
});
afterAll(async () => undefined);

const readmeBackup = () => readmeCallers()['backup.yml']!.replace('nightly/signupflow', prefix);

describe('scheduled backup (README caller)', () => {
  it('stores a backup and prunes to 30 daily + 12 monthly', async () => {
    const seeded = olderBackupIds();
    await seed(seeded);
    const report = await runWorkflow(options(readmeBackup()));
    expect(report.conclusion).toBe('success');
    const backup = step(report, 'backup/backup', 'backup');
    const newId = backup.outputs['backup-id']!;
    expect(newId).toMatch(/^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{6}$/);
    const all = [...seeded, newId];
    const kept = expectedKept(all, 30, 12);
    expect(await storedIds()).toEqual(kept);
    expect(Number(backup.outputs.pruned)).toBe(all.length - kept.length);
  });

  it("keeps a caller's explicit keep-daily: 0 (monthly backups only)", async () => {
    const caller = readmeBackup().replace(/^( +)s3-endpoint: .*$/m, m => `${m}\n      keep-daily: 0`);
    expect(caller).toMatch(/keep-daily: 0/);
    const before = await storedIds();
    const report = await runWorkflow(options(caller));
    expect(report.conclusion).toBe('success');
    const newId = step(report, 'backup/backup', 'backup').outputs['backup-id']!;
    expect(await storedIds()).toEqual(expectedKept([...before, newId], 0, 12));
  });
});

describe("this repository's backup.yml", () => {
  it('lists on a dispatch with mode: list, reading the documented BACKUP_* variables', async () => {
    const report = await runWorkflow({
      ...options(''),
      caller: {
        path: '.github/workflows/backup.yml',
        content: await import('node:fs').then(fs =>
          fs.readFileSync(new URL('../../../.github/workflows/backup.yml', import.meta.url), 'utf8')
        )
      },
      event: { name: 'workflow_dispatch', inputs: { mode: 'list' } },
      repository: 'your-org/app-platform-pipeline',
      repositories: { 'your-org/app-platform-pipeline': pipelineRepository() },
      vars: {
        BACKUP_STORAGE_URL: `s3://signupflow-backups/${prefix}`,
        BACKUP_S3_ENDPOINT: 'https://fra1.digitaloceanspaces.com'
      },
      environments: {
        production: {
          secrets: {
            DATABASE_URL: databaseUrl,
            SPACES_ACCESS_KEY_ID: s3.accessKeyId,
            SPACES_SECRET_ACCESS_KEY: s3.secretAccessKey
          }
        }
      },
      secrets: {}
    });
    expect(report.conclusion).toBe('success');
    const list = step(report, 'backup', 'backup');
    expect(Number(list.outputs.kept)).toBe((await storedIds()).length);
    expect(list.outputs.pruned ?? '').toBe('');
  });
});
