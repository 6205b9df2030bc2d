/**
 * The local rehearsal of the README's workflows, played through test-support/workflow-runner (GitHub's own
 * @actions/workflow-parser and @actions/expressions) with the real action bundles (dist/) against local servers:
 * PostgreSQL, Ceph RGW (S3), an OCI registry standing in for ghcr.io, and the App Platform simulator.
 *
 * npm run rehearsal                  production.yml on push (gate passes, ships), rollback.yml (the button),
 *                                    production.yml with a release that breaks (automatic rollback), backup.yml on
 *                                    its cron (prunes to 30 daily + 12 monthly), restore-drill.yml, and backup.yml
 *                                    + production.yml against a locked database (trusted-source: runner-ip)
 * npm run rehearsal -- --paths       preview.yml (PR opened, synchronize, closed) and promote.yml (a release failing
 *                                    staging never reaches production), notifications to a local webhook receiver
 *
 * Every outcome is checked against the run's report and the servers; exits 0 only when every one happened.
 */
import { formatDuration } from '../../src/kit/duration.js';
import { startPostgres } from '../../test-support/postgres.js';
import { startRgw, type S3Server } from '../../test-support/rgw.js';
import { startRegistry } from '../../test-support/registry.js';
import { startSimulatorWithImages } from '../../test-support/signupflow-app.js';
import { rehearseLockedDatabase } from './locked.js';
import { rehearsePaths } from './paths.js';
import { rehearseReleases } from './release.js';
import { Rehearsal } from './stage.js';
import { rehearseBackupWorkflows } from './workflows.js';

const USAGE = 'usage: npm run rehearsal [-- --paths]';
const args = process.argv.slice(2);
const unknown = args.filter(a => a !== '--paths');
if (unknown.length) {
  console.error(`rehearsal: unknown argument ${unknown[0]} (${USAGE})`);
  process.exit(2);
}
const paths = args.includes('--paths');

const stops: (() => Promise<unknown>)[] = [];
const rehearsal = new Rehearsal();

async function main(): Promise<void> {
  const started = Date.now();
  console.log(
    `Starting the local stack: PostgreSQL, ${paths ? '' : 'Ceph RGW (S3), '}OCI registry, App Platform simulator`
  );
  const [pg, s3, registry] = await Promise.all([
    startPostgres(),
    paths ? Promise.resolve(undefined) : startRgw(),
    startRegistry()
  ]);
  stops.push(
    () => pg.stop(),
    () => registry.stop()
  );
  if (s3) stops.push(() => s3.stop());
  // The app's database: its /health checks it, the deploy's migrate job migrates it, the backup dumps it.
  const appDbUrl = await pg.createDatabase('signupflow');
  const h = await startSimulatorWithImages(
    { pg: { url: appDbUrl }, registry },
    { v1: {} },
    { devDatabaseServer: pg.url }
  );
  stops.unshift(() => h.close());
  console.log(`stack ready in ${formatDuration(Date.now() - started)}`);

  if (paths) {
    await rehearsePaths(rehearsal, { registry, h, devDatabaseServer: pg.url }, stops);
  } else {
    await rehearseReleases(rehearsal, { h, registry, migrationsUrl: appDbUrl });
    // Some data for the drill's verify query (select count(*) > 0 from volunteers), through the app's own API.
    const live = [...h.sim.apps.values()].find(a => a.spec.name === 'signupflow');
    for (const name of ['Ada', 'Grace', 'Linus'])
      await fetch(new URL('/volunteers', String(live?.proxy.url)), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, email: `${name.toLowerCase()}@example.org` })
      }).catch(() => undefined);
    await rehearseBackupWorkflows(rehearsal, s3 as S3Server, appDbUrl);
    await rehearseLockedDatabase(rehearsal, { pg, s3: s3 as S3Server, registry, h }, stops);
  }

  console.log(`\n${rehearsal.table()}\n`);
  console.log(`Time per workflow:\n${rehearsal.times()}\n`);
  console.log(
    rehearsal.allOk
      ? `Rehearsal passed: every expected outcome happened (${formatDuration(Date.now() - started)}).`
      : 'Rehearsal FAILED: see the rows marked FAIL above.'
  );
}

async function cleanup(): Promise<void> {
  for (const stop of stops.splice(0))
    await stop().catch(e => console.error(`cleanup: ${(e as Error).message}`));
}

process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));
process.on('SIGTERM', () => void cleanup().then(() => process.exit(143)));
try {
  await main();
} catch (error) {
  console.error(`rehearsal: ${(error as Error).stack ?? error}`);
  rehearsal.results.push({
    step: 'rehearsal',
    expected: 'runs',
    outcome: (error as Error).message,
    ok: false,
    ms: 0
  });
} finally {
  await cleanup();
}
process.exit(rehearsal.allOk ? 0 : 1);
