// The README's "Deploy on push to main" caller, verbatim, in its exact setup (app id, no spec file): push ships a
// healthy release, the gate passes without a rollback. Before the fix the gate expected github.sha while /health
// answered the app's old APP_VERSION, so every healthy release was rolled back.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWorkflow } from '../../../test-support/workflow-runner/index.js';
import { readmeCallers } from '../../../test-support/workflow-runner/repositories.js';
import { sharedPostgres, sharedRegistry, type RegistryServer } from '../../../test-support/shared.js';
import { appSpec, EXAMPLE_APP_DIR, health, startHarness, type Harness } from '../../simulator/harness.js';
import { CALLER, repositories, step } from './harness.js';

let h: Harness;
let registry: RegistryServer;
let appId: string;
let liveUrl: string;
let migrationsUrl: string;
const SHA = 'd4e5f60718293a4b5c6d7e8f9012345678a1b2c3';

/** SignUpFlow as the caller's repository: the rehearsal Dockerfile (no network here) and requirements Debian has. */
function signupflowRepository() {
  const dir = mkdtempSync(join(tmpdir(), 'signupflow-'));
  cpSync(EXAMPLE_APP_DIR, dir, { recursive: true, filter: src => !/__pycache__|\.venv/.test(src) });
  writeFileSync(join(dir, 'Dockerfile'), readFileSync(join(EXAMPLE_APP_DIR, 'Dockerfile.rehearsal')));
  // Offline here: Debian's alembic, SQLAlchemy and psycopg2 come through the virtualenv's system site packages.
  writeFileSync(
    join(dir, 'requirements.txt'),
    '# alembic, SQLAlchemy, psycopg2: from the system site packages\n'
  );
  return { dir, visibility: 'private' as const, sha: SHA };
}

beforeAll(async () => {
  const pg = await sharedPostgres();
  registry = await sharedRegistry();
  migrationsUrl = await pg.createDatabase(`deploy_scn_${Date.now().toString(36)}`);
  h = await startHarness({ v1: {} });
  // The app already runs v1, with an app-level APP_VERSION that would win over the image's own ENV.
  const app = await h.sim.seedApp({
    ...(appSpec('signupflow-push', h.images.v1!.source) as object),
    envs: [{ key: 'APP_VERSION', value: 'v1', scope: 'RUN_TIME' }]
  } as never);
  appId = app.id as string;
  liveUrl = app.live_url as string;
}, 300_000);

afterAll(async () => {
  await h?.close();
});

describe('deploy on push (README caller)', () => {
  it('ships a healthy release in the exact README setup (app id, no spec)', async () => {
    const report = await runWorkflow({
      // One deviation from the README block: `migrate: false`. The migrate action installs the app's requirements from
      // PyPI into a virtualenv, and PyPI is unreachable here (migrate itself is covered by __tests__/migrate/).
      caller: {
        path: '.github/workflows/production.yml',
        content: readmeCallers()['production.yml']!.replace(
          /^( +)alembic-requirements: .*$/m,
          '$1migrate: false'
        )
      },
      event: { name: 'push' },
      sha: SHA,
      repository: CALLER,
      repositories: repositories(signupflowRepository()),
      vars: { APP_ID: appId },
      secrets: { DIGITALOCEAN_TOKEN: h.sim.token, DATABASE_URL: migrationsUrl },
      rewrite: {
        // ghcr.io is the local registry (same repository path and digest); DigitalOcean's API is the simulator.
        inputs: (action, inputs) => {
          if (action === 'build-image')
            return {
              ...inputs,
              image: `${registry.host}/acme/signupflow`,
              'tls-verify': 'false',
              builder: 'buildah',
              'registry-username': registry.username,
              'registry-password': registry.password
            };
          if (action === 'deploy-app-platform')
            return { ...inputs, 'api-url': h.sim.url, 'poll-interval': '1s' };
          if (action === 'health-gate')
            return {
              ...inputs,
              'api-url': h.sim.url,
              url: inputs.url!.replace('https://signupflow.example.org', liveUrl),
              interval: '1s',
              window: '5s'
            };
          return inputs;
        },
        outputs: (action, outputs) =>
          action === 'build-image'
            ? Object.fromEntries(
                Object.entries(outputs).map(([k, v]) => [k, v.split(registry.host).join('ghcr.io')])
              )
            : outputs
      },
      log: process.env.RUNNER_LOG ? line => console.log(line) : undefined
    });
    expect(report.conclusion).toBe('success');
    const gate = step(report, 'deploy/release', 'gate');
    expect(gate.outputs).toMatchObject({ healthy: 'true', 'rolled-back': 'false' });
    expect(await health(liveUrl)).toEqual({ status: 200, version: SHA });
    const release = report.jobs.find(j => j.id === 'deploy/release')!;
    expect(release.environment).toEqual({ name: 'production', url: liveUrl });
    expect(report.jobs.filter(j => j.environment).map(j => j.id)).toEqual(['deploy/release']);
  });
});
