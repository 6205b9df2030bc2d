/**
 * The rehearsal's backup and drill: the README's caller workflows, verbatim but for their storage prefix, played
 * through the workflow runner (GitHub's parser and expression engine) on their cron, against the local PostgreSQL
 * and Ceph RGW.
 */
import * as openpgp from 'openpgp';
import type { S3Server } from '../../test-support/rgw.js';
import {
  expectedKept,
  olderBackupIds,
  seedBackups,
  storedBackupIds
} from '../../test-support/workflow-runner/backup-seed.js';
import { runWorkflow } from '../../test-support/workflow-runner/index.js';
import { readmeCallers } from '../../test-support/workflow-runner/repositories.js';
import {
  CALLER,
  callerRepository,
  repositories,
  spacesStandIn,
  step
} from '../../test-support/workflow-runner/scenario.js';
import { installedPostgresMajors } from '../../test-support/workflow-runner/stand-ins.js';
import { checked, type Rehearsal } from './stage.js';

export async function rehearseBackupWorkflows(rehearsal: Rehearsal, s3: S3Server, databaseUrl: string) {
  const prefix = `nightly/signupflow-${Date.now().toString(36)}`;
  const passphrase = 'rehearsal drill key';
  const keys = await openpgp.generateKey({ userIDs: [{ name: 'rehearsal' }], passphrase, format: 'armored' });
  const run = (file: string, content: string) =>
    runWorkflow({
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
      log: line => console.log(`  | ${line}`)
    });

  let backupId = '';
  await rehearsal.step(
    'workflow: README backup.yml on its cron',
    'backup stored, pruned to 30 daily + 12 monthly',
    async () => {
      const seeded = olderBackupIds();
      await seedBackups(s3, prefix, seeded);
      const r = await run('backup.yml', readmeCallers()['backup.yml']!);
      const out = step(r, 'backup/backup', 'backup').outputs;
      backupId = out['backup-id'] ?? '';
      const kept = expectedKept([...seeded, backupId], 30, 12);
      const stored = await storedBackupIds(s3, prefix);
      return checked(
        `${r.conclusion}, ${backupId}, pruned ${out.pruned}, kept ${stored.length}/${kept.length}`,
        {
          'run succeeded': r.conclusion === 'success',
          'a backup id': /^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{6}$/.test(backupId),
          'the stored backups are exactly the 30 daily + 12 monthly ones':
            JSON.stringify(stored) === JSON.stringify(kept),
          'pruned count reported': Number(out.pruned) === seeded.length + 1 - kept.length
        },
        r
      );
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
      const out = step(r, 'drill/drill', 'verify').outputs;
      return checked(
        `${r.conclusion}, ${out['backup-id']}, restore ${out['restore-seconds']}s`,
        {
          'run succeeded': r.conclusion === 'success',
          'the newest backup was restored': !!backupId && out['backup-id'] === backupId,
          [`client ${major} paired with the postgres:${major} service`]: r.log.some(l =>
            l.includes(`PostgreSQL client ${major} is installed`)
          )
        },
        r
      );
    }
  );
}
