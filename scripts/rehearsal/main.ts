/**
 * The local rehearsal of the whole pipeline, with the real action bundles (dist/) against local servers:
 * PostgreSQL, Ceph RGW (S3), an OCI registry standing in for ghcr.io, Redis, and the App Platform simulator.
 *   release 1: build (buildah) -> migrate -> deploy -> health gate: healthy
 *   release 2: build (a release whose database check breaks after it goes live) -> migrate -> deploy ->
 *              health gate: unhealthy -> automatic rollback to release 1, which serves again
 *   the README's nightly backup.yml (seeded older backups: prunes to 30 daily + 12 monthly) and monthly
 *   restore-drill.yml callers, played through test-support/workflow-runner on their cron
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runActionBundle, repoRoot } from '../../bin/run-bundle.js';
import { startPostgres, type PostgresServer } from '../../test-support/postgres.js';
import { startRgw } from '../../test-support/rgw.js';
import { startRegistry, type RegistryServer } from '../../test-support/registry.js';
import { freePort } from '../../test-support/ports.js';
import { startAppPlatformSimulator, type Simulator } from '../../test-support/app-platform-sim/index.js';
import { Rehearsal } from './stage.js';
import { rehearseBackupWorkflows } from './workflows.js';

const OWNER = 'acme';
const exampleDir = join(repoRoot, 'examples', 'signupflow');
const work = mkdtempSync(join(tmpdir(), 'app-pipeline-rehearsal-'));
const stops: (() => Promise<unknown>)[] = [];
const rehearsal = new Rehearsal();

async function startRedis(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore'
    }
  );
  await new Promise(r => setTimeout(r, 300));
  return {
    url: `redis://127.0.0.1:${port}/0`,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise(r => child.once('exit', r));
    }
  };
}

/** Runs one action bundle with the GitHub context of a push to main at `sha`; prints its log indented. */
async function action(name: string, inputs: Record<string, string>, env: Record<string, string> = {}) {
  const run = await runActionBundle({
    name,
    inputs,
    env: { ...process.env, ...env },
    onLine: line => console.log(`  | ${line}`)
  });
  return run;
}

function githubEnv(sha: string): Record<string, string> {
  const event = join(work, `event-${sha.slice(0, 7)}.json`);
  writeFileSync(
    event,
    JSON.stringify({ repository: { default_branch: 'main', full_name: `${OWNER}/SignUpFlow` } })
  );
  return {
    GITHUB_REPOSITORY: `${OWNER}/SignUpFlow`,
    GITHUB_REPOSITORY_OWNER: OWNER,
    GITHUB_SHA: sha,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: event,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_WORKSPACE: repoRoot
  };
}

async function healthVersion(liveUrl: string): Promise<string> {
  const res = await fetch(new URL('/health', liveUrl));
  const body = (await res.json()) as { version?: string };
  return `${res.status} ${body.version ?? '?'}`;
}

async function release(
  n: number,
  sha: string,
  ctx: {
    pg: PostgresServer;
    appDbUrl: string;
    registry: RegistryServer;
    sim: Simulator;
    redisUrl: string;
    chaos?: string;
  },
  expectHealthy: boolean
): Promise<{ appId?: string; liveUrl?: string }> {
  const env = githubEnv(sha);
  const state: { ref?: string; digest?: string; appId?: string; liveUrl?: string; previous?: string } = {};

  await rehearsal.step(`release ${n}: build-image`, 'image pushed, digest output', async () => {
    const run = await action(
      'build-image',
      {
        image: `${ctx.registry.host}/${OWNER}/signupflow`,
        context: exampleDir,
        file: join(exampleDir, 'Dockerfile.rehearsal'),
        'build-args': [
          `APP_VERSION=${sha}`,
          ...(ctx.chaos ? [`CHAOS_DB_FAIL_AFTER_SECONDS=${ctx.chaos}`] : [])
        ].join('\n'),
        'registry-username': ctx.registry.username,
        'registry-password': ctx.registry.password,
        builder: 'buildah',
        'tls-verify': 'false'
      },
      env
    );
    state.digest = run.outputs.digest;
    state.ref = run.outputs.ref;
    const ok = run.code === 0 && /^sha256:[0-9a-f]{64}$/.test(state.digest ?? '');
    return { ok, outcome: ok ? `pushed ${state.digest!.slice(0, 19)}…` : `exit ${run.code}` };
  });
  if (!state.digest) return {};

  await rehearsal.step(
    `release ${n}: migrate`,
    n === 1 ? '3 revisions applied' : 'nothing to apply',
    async () => {
      const run = await action(
        'migrate',
        { 'database-url': ctx.appDbUrl, 'working-directory': exampleDir, alembic: '/usr/bin/alembic' },
        env
      );
      const applied = Number(run.outputs['applied-count'] ?? NaN);
      const ok = run.code === 0 && applied === (n === 1 ? 3 : 0);
      return {
        ok,
        outcome: `exit ${run.code}, ${run.outputs['from-revision'] || 'empty'} -> ${run.outputs['to-revision']}, ${applied} applied`
      };
    }
  );

  await rehearsal.step(`release ${n}: deploy-app-platform`, 'deployment ACTIVE', async () => {
    const run = await action(
      'deploy-app-platform',
      {
        token: ctx.sim.token,
        'api-url': ctx.sim.url,
        'app-name': 'signupflow',
        'app-spec': join(exampleDir, '.do', 'app.yaml'),
        // The local registry plays ghcr.io: same repository path, same digest.
        image: `ghcr.io/${OWNER}/signupflow@${state.digest}`,
        'poll-interval': '1s',
        timeout: '2m'
      },
      {
        ...env,
        IMAGE_DIGEST: state.digest!,
        APP_VERSION: sha,
        DATABASE_URL: ctx.appDbUrl,
        REDIS_URL: ctx.redisUrl,
        SECRET_KEY: 'rehearsal-secret-key',
        PAPERTRAIL_ENDPOINT: 'syslog+tls://logs.papertrailapp.com:12345'
      }
    );
    state.appId = run.outputs['app-id'];
    state.liveUrl = run.outputs['live-url'];
    state.previous = run.outputs['previous-deployment-id'];
    const ok = run.code === 0 && run.outputs.phase === 'ACTIVE' && !!state.liveUrl;
    return {
      ok,
      outcome: `exit ${run.code}, phase ${run.outputs.phase}, deployment ${run.outputs['deployment-id']}`
    };
  });
  if (!state.appId || !state.liveUrl) return state;

  await rehearsal.step(
    `release ${n}: health-gate`,
    expectHealthy ? 'healthy, no rollback' : 'unhealthy -> rolled back to release 1',
    async () => {
      const run = await action(
        'health-gate',
        {
          url: new URL('/health', state.liveUrl).toString(),
          'expected-version': sha,
          interval: '1s',
          window: expectHealthy ? '5s' : '20s',
          'request-timeout': '2s',
          'success-threshold': '3',
          'failure-threshold': '3',
          rollback: 'true',
          token: ctx.sim.token,
          'app-id': state.appId!,
          'rollback-to': state.previous ?? '',
          'api-url': ctx.sim.url
        },
        env
      );
      const healthy = run.outputs.healthy === 'true';
      const rolledBack = run.outputs['rolled-back'] === 'true';
      const ok = expectHealthy
        ? run.code === 0 && healthy && !rolledBack
        : run.code !== 0 && !healthy && rolledBack;
      return {
        ok,
        outcome: `exit ${run.code}, healthy=${run.outputs.healthy}, rolled-back=${run.outputs['rolled-back']}, ${run.outputs.checks} probes, ${run.outputs.failures} failed`
      };
    }
  );
  return state;
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log(
    'Starting the local stack: PostgreSQL, Ceph RGW (S3), OCI registry, Redis, App Platform simulator'
  );
  const [pg, s3, registry, redis] = await Promise.all([
    startPostgres(),
    startRgw(),
    startRegistry(),
    startRedis()
  ]);
  stops.push(
    () => pg.stop(),
    () => s3.stop(),
    () => registry.stop(),
    () => redis.stop()
  );
  const appDbUrl = await pg.createDatabase('signupflow');
  const sim = await startAppPlatformSimulator({
    registry: { host: registry.host, username: registry.username, password: registry.password },
    appEnv: { DATABASE_URL: appDbUrl, REDIS_URL: redis.url }
  });
  stops.unshift(() => sim.stop());
  console.log(`stack ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);

  const sha1 = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
  const sha2 = 'b2c3d4e5f60718293a4b5c6d7e8f901234567890';
  const ctx = { pg, appDbUrl, registry, sim, redisUrl: redis.url };
  const r1 = await release(1, sha1, ctx, true);
  await release(2, sha2, { ...ctx, chaos: '4' }, false);

  if (r1.liveUrl) {
    await rehearsal.step('after rollback: release 1 serves', `200 ${sha1.slice(0, 7)}…`, async () => {
      const got = await healthVersion(r1.liveUrl!);
      return { ok: got === `200 ${sha1}`, outcome: got };
    });
  }

  // Some data worth backing up, through the app's own API.
  if (r1.liveUrl) {
    for (const name of ['Ada', 'Grace', 'Linus'])
      await fetch(new URL('/volunteers', r1.liveUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, email: `${name.toLowerCase()}@example.org` })
      }).catch(() => undefined);
  }

  // Some data for the drill's verify query, then the README's backup and drill workflows through the runner.
  await rehearseBackupWorkflows(rehearsal, s3, appDbUrl);

  console.log(`\n${rehearsal.table()}\n`);
  console.log(
    rehearsal.allOk
      ? `Rehearsal passed: every expected outcome happened (${((Date.now() - started) / 1000).toFixed(0)}s).`
      : 'Rehearsal FAILED: see the rows marked FAIL above.'
  );
}

async function cleanup(): Promise<void> {
  for (const stop of stops) await stop().catch(e => console.error(`cleanup: ${(e as Error).message}`));
  rmSync(work, { recursive: true, force: true });
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
