/**
 * The rehearsal's backup and drill: the README's caller workflows, verbatim, played through the workflow runner
 * (GitHub's parser and expression engine) on their cron, against the local PostgreSQL and Ceph RGW.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import type { S3Server } from '../../test-support/rgw.js';
import {
  expectedKept,
  olderBackupIds,
  seedBackups,
  storedBackupIds
} from '../../test-support/workflow-runner/backup-seed.js';
import { runWorkflow, type RunOptions, type RunReport } from '../../test-support/workflow-runner/index.js';
import { pipelineRepository, readmeCallers } from '../../test-support/workflow-runner/repositories.js';
import { installedPostgresMajors } from '../../test-support/workflow-runner/stand-ins.js';
import type { Rehearsal } from './stage.js';

const stepOutputs = (r: RunReport, job: string, id: string) =>
  r.jobs.find(j => j.id === job)?.steps.find(s => s.id === id && !s.post)?.outputs ?? {};

const print = (r: RunReport) =>
  r.jobs.map(j => `${j.id} ${j.result} ${(j.ms / 1000).toFixed(1)}s`).join(', ');

export async function rehearseBackupWorkflows(rehearsal: Rehearsal, s3: S3Server, databaseUrl: string) {
  const prefix = `nightly/signupflow-${Date.now().toString(36)}`;
  const passphrase = 'rehearsal drill key';
  const keys = await openpgp.generateKey({ userIDs: [{ name: 'rehearsal' }], passphrase, format: 'armored' });
  const spaces = (_a: string, inputs: Record<string, string>) =>
    inputs['storage-url'] === undefined
      ? inputs
      : {
          ...inputs,
          'storage-url': inputs['storage-url'].replace(
            /^s3:\/\/[^/]+\/nightly\/signupflow/,
            `s3://${s3.bucket}/${prefix}`
          ),
          's3-endpoint': s3.endpoint,
          's3-force-path-style': 'true'
        };
  const run = (file: string, content: string) =>
    runWorkflow({
      caller: { path: `.github/workflows/${file}`, content },
      event: { name: 'schedule' },
      repository: 'acme/signupflow',
      repositories: {
        'acme/signupflow': {
          dir: mkdtempSync(join(tmpdir(), 'caller-')),
          visibility: 'private',
          sha: 'c'.repeat(40)
        },
        'your-org/app-platform-pipeline': pipelineRepository()
      },
      secrets: {
        DATABASE_URL: databaseUrl,
        SPACES_ACCESS_KEY_ID: s3.accessKeyId,
        SPACES_SECRET_ACCESS_KEY: s3.secretAccessKey,
        BACKUP_PUBLIC_KEY: keys.publicKey,
        BACKUP_PRIVATE_KEY: keys.privateKey,
        BACKUP_PRIVATE_KEY_PASSPHRASE: passphrase
      },
      rewrite: { inputs: spaces },
      log: line => console.log(`  | ${line}`)
    } satisfies RunOptions);

  let backupId = '';
  await rehearsal.step(
    'workflow: README backup.yml on its cron',
    'backup stored, pruned to 30 daily + 12 monthly',
    async () => {
      const seeded = olderBackupIds();
      await seedBackups(s3, prefix, seeded);
      const r = await run('backup.yml', readmeCallers()['backup.yml']!);
      const out = stepOutputs(r, 'backup/backup', 'backup');
      backupId = out['backup-id'] ?? '';
      const kept = expectedKept([...seeded, backupId], 30, 12);
      const stored = await storedBackupIds(s3, prefix);
      const ok = r.conclusion === 'success' && !!backupId && JSON.stringify(stored) === JSON.stringify(kept);
      return {
        ok,
        outcome: `${r.conclusion} (${print(r)}), ${backupId}, pruned ${out.pruned}, kept ${stored.length}/${kept.length}`
      };
    }
  );
  await rehearsal.step(
    'workflow: README restore-drill.yml on its cron',
    'newest backup restored into the service database, client = server major',
    async () => {
      const major = Math.max(...installedPostgresMajors());
      // The README's postgres:16 is the production major; this machine has PostgreSQL `major` servers only.
      const drill = readmeCallers()['restore-drill.yml']!.replace(
        'postgres-image: postgres:16',
        `postgres-image: postgres:${major}`
      );
      const r = await run('restore-drill.yml', drill);
      const out = stepOutputs(r, 'drill/drill', 'verify');
      const paired = r.log.some(l => l.includes(`PostgreSQL client ${major} is installed`));
      const ok = r.conclusion === 'success' && out['backup-id'] === backupId && paired;
      return {
        ok,
        outcome: `${r.conclusion} (${print(r)}), ${out['backup-id']}, restore ${out['restore-seconds']}s`
      };
    }
  );
}
