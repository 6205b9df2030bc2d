/**
 * The paths a release travels (issue 16), as the preview and promote scenarios and the rehearsal play them:
 * SignUpFlow caller repositories with the spec files each README caller names, the pull_request events, and the
 * stand-ins pointing ghcr.io, DigitalOcean's API and the public health URLs at the local registry and simulator.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { appSpec, EXAMPLE_APP_DIR } from '../signupflow-app.js';
import type { RunOptions } from './index.js';
import { readmeCallers } from './repositories.js';
import { CALLER } from './scenario.js';
import { ghcrStandIn } from './signupflow.js';
import type { RepositoryDefinition } from './stand-ins.js';

interface Registry {
  host: string;
  username: string;
  password: string;
}

/** The image block of a spec deployed by digest from ghcr.io/acme/signupflow. */
const GHCR_IMAGE = {
  registry_type: 'GHCR',
  registry: 'acme',
  repository: 'signupflow',
  digest: '${IMAGE_DIGEST}'
};

function signupflowCopy(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(EXAMPLE_APP_DIR, dir, { recursive: true, filter: src => !/__pycache__|\.venv/.test(src) });
  writeFileSync(join(dir, 'Dockerfile'), readFileSync(join(EXAMPLE_APP_DIR, 'Dockerfile.rehearsal')));
  mkdirSync(join(dir, '.do'), { recursive: true });
  return dir;
}

/**
 * The preview caller's repository: a production spec with a domain, a production database and a PRE_DEPLOY
 * migration job bound to it (what the preview must replace by a development database of its own).
 */
export function previewCallerRepository(): RepositoryDefinition {
  const dir = signupflowCopy('signupflow-preview-');
  const bound = [{ key: 'DATABASE_URL', scope: 'RUN_TIME', value: '${db.DATABASE_URL}' }];
  const production = appSpec('signupflow', GHCR_IMAGE, {
    domains: [{ domain: 'signupflow.example.org', type: 'PRIMARY' }],
    databases: [{ name: 'db', engine: 'PG', production: true, cluster_name: 'signupflow-db' }],
    jobs: [
      {
        name: 'migrate',
        kind: 'PRE_DEPLOY',
        image: GHCR_IMAGE,
        run_command: 'alembic -c alembic.ini upgrade head',
        envs: bound
      }
    ]
  }) as { services: { envs: object[] }[] };
  production.services[0]!.envs.push(...bound);
  writeFileSync(join(dir, '.do', 'app.yaml'), stringify(production));
  return { dir, visibility: 'private', sha: 'f60718293a4b5c6d7e8f9012345678a1b2c3d4e5' };
}

/** The README's preview.yml caller for a pull_request event of PR `pr` at `sha` (a fork's when `headRepo` differs). */
export function pullRequestRun(
  action: string,
  pr: number,
  sha: string,
  headRepo = CALLER
): Pick<RunOptions, 'caller' | 'event' | 'sha' | 'ref'> {
  return {
    caller: { path: '.github/workflows/preview.yml', content: readmeCallers()['preview.yml']! },
    event: {
      name: 'pull_request',
      payload: {
        action,
        number: pr,
        pull_request: { number: pr, head: { sha, ref: 'feature/x', repo: { full_name: headRepo } } }
      }
    },
    sha,
    ref: `refs/pull/${pr}/merge`
  };
}

/** Previews: ghcr.io is the local registry, DigitalOcean's API the simulator, the gate's window shortened. */
export function previewStandIns(
  sim: { url: string },
  registry: Registry
): NonNullable<RunOptions['rewrite']> {
  const ghcr = ghcrStandIn(registry);
  return {
    inputs: (action, inputs) => {
      if (action === 'build-image') return ghcr.buildInputs(inputs);
      if (action === 'deploy-app-platform') return { ...inputs, 'api-url': sim.url, 'poll-interval': '1s' };
      if (action === 'health-gate') return { ...inputs, 'api-url': sim.url, interval: '0.5s', window: '3s' };
      return inputs;
    },
    outputs: ghcr.outputs
  };
}

export const PROMOTE_SHA = 'e5f60718293a4b5c6d7e8f9012345678a1b2c3d4';

/** Spec files of both environments, image by digest; staging's release carries the database chaos hook. */
export function promoteCallerRepository(sha = PROMOTE_SHA): RepositoryDefinition {
  const dir = signupflowCopy('signupflow-promote-');
  const staging = appSpec('signupflow-staging', GHCR_IMAGE) as { services: { envs: object[] }[] };
  staging.services[0]!.envs.push({ key: 'CHAOS_DB_FAIL_AFTER_SECONDS', scope: 'RUN_TIME', value: '2' });
  writeFileSync(join(dir, '.do', 'staging.yaml'), stringify(staging));
  writeFileSync(join(dir, '.do', 'app.yaml'), stringify(appSpec('signupflow', GHCR_IMAGE)));
  return { dir, visibility: 'private', sha };
}

/** The README's promote.yml caller with one deviation, as in the deploy scenario: `migrate: false` (no PyPI here). */
export const promoteCaller = () => ({
  path: '.github/workflows/promote.yml',
  content: readmeCallers()['promote.yml']!.replace(/^( +)with:\n/m, '$1with:\n$1  migrate: false\n')
});

/** Promotion: the README's staging and production health URLs are the two apps' live URLs in the simulator. */
export function promoteStandIns(
  sim: { url: string },
  registry: Registry,
  liveUrls: { staging: string; production: string }
): NonNullable<RunOptions['rewrite']> {
  const ghcr = ghcrStandIn(registry);
  return {
    inputs: (action, inputs) => {
      if (action === 'build-image') return ghcr.buildInputs(inputs);
      if (action === 'deploy-app-platform') return { ...inputs, 'api-url': sim.url, 'poll-interval': '1s' };
      if (action === 'health-gate')
        return {
          ...inputs,
          'api-url': sim.url,
          url: inputs
            .url!.replace('https://staging.signupflow.example.org', liveUrls.staging)
            .replace('https://signupflow.example.org', liveUrls.production),
          interval: '0.5s',
          window: '8s'
        };
      return inputs;
    },
    outputs: ghcr.outputs
  };
}
