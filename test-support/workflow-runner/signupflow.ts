/**
 * SignUpFlow (examples/signupflow) as the caller repository of the README's deploy examples, and the stand-ins
 * that point that caller's remote services (ghcr.io, DigitalOcean's API, the public health URL) at the local
 * registry and App Platform simulator. Shared by the scenario tests and the rehearsal.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunOptions } from './index.js';
import { PIPELINE_ROOT } from './repositories.js';
import type { RepositoryDefinition } from './stand-ins.js';

const EXAMPLE_APP_DIR = join(PIPELINE_ROOT, 'examples', 'signupflow');

/** The registry the local stack runs (test-support/registry.ts). */
interface Registry {
  host: string;
  username: string;
  password: string;
}

/**
 * SignUpFlow as the caller's repository: the rehearsal Dockerfile (no network here) plus `dockerfileTail`, and a
 * requirements file naming nothing: Alembic, SQLAlchemy and psycopg2 come from Debian's Python (the `python` the
 * setup-python stand-in is given), whose site packages the migrate action's virtualenv sees.
 */
export function signupflowRepository(sha: string, dockerfileTail = ''): RepositoryDefinition {
  const dir = mkdtempSync(join(tmpdir(), 'signupflow-'));
  cpSync(EXAMPLE_APP_DIR, dir, { recursive: true, filter: src => !/__pycache__|\.venv/.test(src) });
  writeFileSync(
    join(dir, 'Dockerfile'),
    readFileSync(join(EXAMPLE_APP_DIR, 'Dockerfile.rehearsal'), 'utf8') + dockerfileTail
  );
  writeFileSync(
    join(dir, 'requirements.txt'),
    '# alembic, SQLAlchemy, psycopg2: from the system site packages\n'
  );
  return { dir, visibility: 'private', sha };
}

/** Debian's Python, which has python3-alembic, python3-sqlalchemy and python3-psycopg2 (scripts/install-deps.sh). */
export const DEBIAN_PYTHON = '/usr/bin/python3';

export const PUBLIC_HEALTH_URL = 'https://signupflow.example.org';

/** ghcr.io played by the local registry: build-image pushes there, its outputs name ghcr.io (same path, digest). */
export const ghcrStandIn = (registry: Registry) => ({
  buildInputs: (inputs: Record<string, string>): Record<string, string> => ({
    ...inputs,
    image: `${registry.host}/acme/signupflow`,
    'tls-verify': 'false',
    builder: 'buildah',
    'registry-username': registry.username,
    'registry-password': registry.password
  }),
  outputs: (action: string, outputs: Record<string, string>): Record<string, string> =>
    action === 'build-image'
      ? Object.fromEntries(
          Object.entries(outputs).map(([k, v]) => [k, v.split(registry.host).join('ghcr.io')])
        )
      : outputs
});

/**
 * The README deploy caller's remote services made local: ghcr.io is the local registry (same repository path and
 * digest), DigitalOcean's API is the simulator, the public health URL is the app's live URL there.
 */
export function releaseStandIns(
  sim: { url: string },
  registry: Registry,
  liveUrl: string,
  gate: { window: string } = { window: '5s' }
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
          url: inputs.url!.replace(PUBLIC_HEALTH_URL, liveUrl),
          interval: '1s',
          // the README's 60 s bake window shortened; the cancellation's own (deploy.yml's `decide`) kept
          window: inputs.window === '60s' ? gate.window : inputs.window!
        };
      return inputs;
    },
    outputs: ghcr.outputs
  };
}
