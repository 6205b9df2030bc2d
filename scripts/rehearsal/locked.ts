/**
 * Issue 15 in the rehearsal: the nightly backup and the deploy's migrate job against a locked database. PostgreSQL
 * is reachable only through a TCP gate that admits a source while a rule of the simulator's database firewall
 * admits it; the README's callers gain `trusted-source: runner-ip`. Checked: each run works, its rule is gone
 * afterwards, the other teams' rules are untouched, and without trusted-source the connection is refused.
 */
import * as openpgp from 'openpgp';
import { startLockedDatabase } from '../../test-support/locked-database.js';
import { queryRows, type PostgresServer } from '../../test-support/postgres.js';
import type { S3Server } from '../../test-support/rgw.js';
import type { RegistryLike } from '../../test-support/image-builder.js';
import { appSpec, health, type SimulatorWithImages } from '../../test-support/signupflow-app.js';
import { runWorkflow } from '../../test-support/workflow-runner/index.js';
import { readmeCallers } from '../../test-support/workflow-runner/repositories.js';
import {
  CALLER,
  callerRepository,
  repositories,
  spacesStandIn,
  step
} from '../../test-support/workflow-runner/scenario.js';
import {
  DEBIAN_PYTHON,
  releaseStandIns,
  signupflowRepository
} from '../../test-support/workflow-runner/signupflow.js';
import {
  chainInputs,
  trustedSourceStandIn,
  withTrustedSource
} from '../../test-support/workflow-runner/trusted-source.js';
import { checked, type Rehearsal } from './stage.js';

const log = (line: string) => console.log(`  | ${line}`);
const LOCKED_SHA = '18293a4b5c6d7e8f9012345678a1b2c3d4e5f607';

export async function rehearseLockedDatabase(
  rehearsal: Rehearsal,
  stack: { pg: PostgresServer; s3: S3Server; registry: RegistryLike; h: SimulatorWithImages },
  stops: (() => Promise<unknown>)[]
): Promise<void> {
  const { pg, s3, registry, h } = stack;
  const locked = await startLockedDatabase(pg, { sim: h.sim });
  stops.unshift(() => locked.stop());
  const backupDb = 'locked_backup';
  await pg.createDatabase(backupDb);
  const migrationsDb = 'locked_migrations';
  await pg.createDatabase(migrationsDb);
  const connects = (url: string) =>
    queryRows(url, 'SELECT 1').then(
      () => true,
      () => false
    );
  const rulesBefore = JSON.stringify(locked.rules());
  const firewallFacts = (jobLog: string[]) => ({
    'the rule was added for this job': jobLog.some(l => l.startsWith('trusted-source: added 127.0.0.1')),
    'the rule is gone afterwards':
      jobLog.some(l => l.startsWith('trusted-source: removed 127.0.0.1')) && locked.extraRules().length === 0,
    'the other rules are untouched': JSON.stringify(locked.rules()) === rulesBefore
  });
  const { publicKey } = await openpgp.generateKey({ userIDs: [{ name: 'locked' }], format: 'armored' });
  const prefix = `nightly/locked-${Date.now().toString(36)}`;
  const backup = (content: string) =>
    runWorkflow({
      caller: {
        path: '.github/workflows/backup.yml',
        content: content.replace('nightly/signupflow', prefix)
      },
      event: { name: 'schedule' },
      repository: CALLER,
      repositories: repositories(callerRepository()),
      secrets: {
        DATABASE_URL: locked.url(backupDb),
        SPACES_ACCESS_KEY_ID: s3.accessKeyId,
        SPACES_SECRET_ACCESS_KEY: s3.secretAccessKey,
        BACKUP_PUBLIC_KEY: publicKey,
        DIGITALOCEAN_TOKEN: h.sim.token
      },
      rewrite: { inputs: chainInputs(spacesStandIn(s3), trustedSourceStandIn(locked)) },
      log
    });

  await rehearsal.step(
    'workflow: README backup.yml + trusted-source: runner-ip (locked database)',
    'refused before, backup stored through the firewall, rule removed, other rules untouched, refused after',
    async () => {
      const refusedBefore = !(await connects(locked.url(backupDb)));
      const r = await backup(withTrustedSource(readmeCallers()['backup.yml']!));
      const job = r.jobs.find(j => j.id === 'backup/backup');
      const id = step(r, 'backup/backup', 'backup').outputs['backup-id'];
      return checked(
        `${r.conclusion}, ${id}, ${locked.extraRules().length} rule(s) of ours left`,
        {
          'refused before the run': refusedBefore,
          'run succeeded': r.conclusion === 'success',
          'a backup id': /^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{6}$/.test(id ?? ''),
          ...firewallFacts(job?.log ?? []),
          'refused after the run': !(await connects(locked.url(backupDb)))
        },
        r
      );
    }
  );

  await rehearsal.step(
    'workflow: README backup.yml without trusted-source (locked database)',
    'the connection is refused, one clear error line',
    async () => {
      const refused = locked.gate.refused.length;
      const r = await backup(readmeCallers()['backup.yml']!);
      const errors = (r.jobs.find(j => j.id === 'backup/backup')?.log ?? []).filter(l =>
        l.startsWith('::error::')
      );
      return checked(
        `${r.conclusion}: ${errors[0] ?? 'no error line'}`,
        {
          'run failed': r.conclusion === 'failure',
          'the gate refused the connection': locked.gate.refused.length > refused,
          'one error line naming the database':
            errors.length === 1 && /^::error::Cannot connect to PostgreSQL .*127\.0\.0\.1/.test(errors[0]!),
          'no rule added': locked.extraRules().length === 0
        },
        r
      );
    }
  );

  await rehearsal.step(
    'workflow: README production.yml + trusted-source: runner-ip (locked database)',
    "deploy.yml's migrate job migrates through the firewall, the release ships, rule removed, other rules untouched",
    async () => {
      const app = await h.sim.seedApp(appSpec('signupflow-locked', h.images.v1!.source) as never);
      const liveUrl = app.live_url as string;
      const stand = releaseStandIns(h.sim, registry, liveUrl);
      const r = await runWorkflow({
        caller: {
          path: '.github/workflows/production.yml',
          content: withTrustedSource(readmeCallers()['production.yml']!)
        },
        event: { name: 'push' },
        sha: LOCKED_SHA,
        repository: CALLER,
        repositories: repositories(signupflowRepository(LOCKED_SHA)),
        vars: { APP_ID: app.id as string },
        secrets: { DIGITALOCEAN_TOKEN: h.sim.token, DATABASE_URL: locked.url(migrationsDb) },
        python: DEBIAN_PYTHON,
        rewrite: { inputs: chainInputs(stand.inputs, trustedSourceStandIn(locked)), outputs: stand.outputs },
        log
      });
      const migrate = step(r, 'deploy/release', 'migrate').outputs;
      const served = await health(liveUrl);
      return checked(
        `${r.conclusion}, ${migrate['applied-count']} applied through the gate, /health ${served.status} ${served.version}`,
        {
          'run succeeded': r.conclusion === 'success',
          '3 migrations applied': migrate['applied-count'] === '3',
          'the pushed commit serves': served.version === LOCKED_SHA,
          ...firewallFacts(r.jobs.find(j => j.id === 'deploy/release')?.log ?? []),
          'refused after the run': !(await connects(locked.url(migrationsDb)))
        },
        r
      );
    }
  );
}
