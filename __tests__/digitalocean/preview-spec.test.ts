import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  PREVIEW_INSTANCE_SIZE,
  previewAppName,
  previewPrNumber,
  previewSpec
} from '../../src/digitalocean/preview-spec.js';
import { parseSpecText } from '../../src/digitalocean/spec-file.js';
import type { AppSpec } from '../../src/digitalocean/types.js';

const APP_NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;

describe('previewAppName', () => {
  it.each([
    // digitalocean/app_action utils/preview_test.go: foo/bar PR 3 is named foo-bar-3-merge-adb46530.
    ['foo', 'bar', 3, 'foo-bar-3-merge-adb46530'],
    ['Acme', 'SignUpFlow', 42, expect.stringMatching(/^acme-signupflow-42-merg-[0-9a-f]{8}$/)],
    ['acme', 'my_repo.js', 7, expect.stringMatching(/^acme-my-repo-js-7-merge-[0-9a-f]{8}$/)],
    [
      'a-very-long-organisation-name',
      'an-even-longer-repository-name',
      12345,
      expect.stringMatching(/^a-very-long-organisatio-[0-9a-f]{8}$/)
    ],
    ['3scale', 'api', 1, expect.stringMatching(/^pr-3scale-api-1-merge-[0-9a-f]{8}$/)]
  ])('%s/%s #%d -> %s', (owner, repo, pr, expected) => {
    const name = previewAppName(owner as string, repo as string, pr as number);
    expect(name).toEqual(expected);
    expect(name).toMatch(APP_NAME);
    expect(name.length).toBeLessThanOrEqual(32);
  });

  it('is the same for the same PR and differs between PRs whose cut bases collide', () => {
    const a = previewAppName('a-very-long-organisation-name', 'repo', 1);
    const b = previewAppName('a-very-long-organisation-name', 'repo', 2);
    expect(a.slice(0, 23)).toBe(b.slice(0, 23));
    expect(a).not.toBe(b);
    expect(previewAppName('a-very-long-organisation-name', 'repo', 1)).toBe(a);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses PR number %p', pr => {
    expect(() => previewAppName('a', 'b', pr)).toThrow(/positive whole number/);
  });
});

const base = (): AppSpec => ({
  name: 'signupflow',
  region: 'nyc',
  domains: [{ domain: 'signupflow.example.org', type: 'PRIMARY' }],
  alerts: [{ rule: 'DEPLOYMENT_FAILED' }],
  services: [
    {
      name: 'web',
      image: { registry_type: 'GHCR', registry: 'acme', repository: 'signupflow', digest: 'sha256:abc' },
      instance_count: 3,
      instance_size_slug: 'apps-d-1vcpu-2gb',
      alerts: [{ rule: 'CPU_UTILIZATION', value: 80 }],
      envs: [
        { key: 'DATABASE_URL', type: 'SECRET', scope: 'RUN_TIME', value: 'postgres://prod:pw@prod-host/app' }
      ]
    }
  ],
  jobs: [
    {
      name: 'migrate',
      kind: 'PRE_DEPLOY',
      run_command: 'alembic upgrade head',
      envs: [{ key: 'DATABASE_URL', type: 'SECRET', value: '${DATABASE_URL}' }]
    }
  ]
});

const opts = { owner: 'acme', repo: 'signupflow', prNumber: 9 };

describe('previewSpec', () => {
  type Case = [string, (s: AppSpec) => void, (s: AppSpec) => void];
  const cases: Case[] = [
    ['takes the preview name', () => {}, s => expect(s.name).toBe(previewAppName('acme', 'signupflow', 9))],
    [
      'drops domains and app alerts',
      () => {},
      s => {
        expect(s).not.toHaveProperty('domains');
        expect(s).not.toHaveProperty('alerts');
      }
    ],
    [
      'one smallest instance per component, no component alerts',
      () => {},
      s => {
        for (const c of [...s.services!, ...s.jobs!]) {
          expect(c.instance_count).toBe(1);
          expect(c.instance_size_slug).toBe(PREVIEW_INSTANCE_SIZE);
          expect(c).not.toHaveProperty('alerts');
        }
      }
    ],
    [
      'autoscaling becomes one instance',
      s => (s.services![0]!.autoscaling = { min_instance_count: 2, max_instance_count: 5 }),
      s => {
        expect(s.services![0]).not.toHaveProperty('autoscaling');
        expect(s.services![0]!.instance_count).toBe(1);
      }
    ],
    [
      'a literal production URL and a ${PLACEHOLDER} both bind to an added development database',
      () => {},
      s => {
        expect(s.databases).toEqual([{ name: 'db', engine: 'PG', production: false }]);
        expect(s.services![0]!.envs).toEqual([
          { key: 'DATABASE_URL', type: 'GENERAL', scope: 'RUN_TIME', value: '${db.DATABASE_URL}' }
        ]);
        expect((s.jobs![0]!.envs as { value: string }[])[0]!.value).toBe('${db.DATABASE_URL}');
        expect(JSON.stringify(s)).not.toContain('prod-host');
      }
    ],
    [
      'the PRE_DEPLOY migration job is kept, migrating the preview database',
      () => {},
      s => {
        expect(s.jobs!.map(j => [j.name, j.kind, j.run_command])).toEqual([
          ['migrate', 'PRE_DEPLOY', 'alembic upgrade head']
        ]);
      }
    ],
    [
      'a production database component becomes a development database of the same name',
      s => {
        s.databases = [
          {
            name: 'maindb',
            engine: 'PG',
            version: '16',
            production: true,
            cluster_name: 'prod-pg',
            db_name: 'app',
            db_user: 'app'
          }
        ];
        s.services![0]!.envs = [{ key: 'DATABASE_URL', scope: 'RUN_TIME', value: '${maindb.DATABASE_URL}' }];
        s.jobs![0]!.envs = [{ key: 'DATABASE_URL', value: '${maindb.DATABASE_URL}' }];
      },
      s => {
        expect(s.databases).toEqual([{ name: 'maindb', engine: 'PG', version: '16', production: false }]);
        expect(s.services![0]!.envs).toEqual([
          { key: 'DATABASE_URL', scope: 'RUN_TIME', value: '${maindb.DATABASE_URL}' }
        ]);
        expect(JSON.stringify(s)).not.toContain('prod-pg');
      }
    ],
    [
      'a managed Redis cluster is removed (development databases are PostgreSQL only)',
      s => (s.databases = [{ name: 'cache', engine: 'REDIS', production: true, cluster_name: 'prod-redis' }]),
      s => {
        expect(s.databases!.map(d => d.name)).toEqual(['db']);
        expect(JSON.stringify(s)).not.toContain('prod-redis');
      }
    ],
    [
      'app-level envs and other configured keys are rebound too',
      s => (s.envs = [{ key: 'DATABASE_URL', value: 'postgres://x@prod/app' }]),
      s =>
        expect(s.envs).toEqual([
          { key: 'DATABASE_URL', type: 'GENERAL', value: '${db.DATABASE_URL}' },
          { key: 'PIPELINE_PREVIEW', value: 'acme/signupflow#9', scope: 'RUN_TIME', type: 'GENERAL' }
        ])
    ],
    [
      'GitHub sources of this repository build the PR branch without deploy_on_push; others untouched',
      s => {
        s.workers = [
          { name: 'mine', github: { repo: 'acme/signupflow', branch: 'main', deploy_on_push: true } },
          { name: 'theirs', github: { repo: 'other/lib', branch: 'main', deploy_on_push: true } }
        ];
      },
      s => {
        expect(s.workers![0]!.github).toEqual({
          repo: 'acme/signupflow',
          branch: 'feature/x',
          deploy_on_push: false
        });
        expect(s.workers![1]!.github).toEqual({ repo: 'other/lib', branch: 'main', deploy_on_push: true });
      }
    ],
    [
      'unknown fields survive',
      s => (s.ingress = { rules: [{ match: { path: { prefix: '/' } } }] }),
      s => expect(s.ingress).toEqual({ rules: [{ match: { path: { prefix: '/' } } }] })
    ]
  ];
  it.each(cases)('%s', (_title, arrange, check) => {
    const source = base();
    arrange(source);
    const before = structuredClone(source);
    const { spec } = previewSpec(source, { ...opts, headRef: 'feature/x' });
    check(spec);
    expect(source).toEqual(before); // the input is not edited
  });

  it('lists what it changed', () => {
    const { changes } = previewSpec(base(), opts);
    expect(changes).toEqual([
      `name: signupflow -> ${previewAppName('acme', 'signupflow', 9)}`,
      'domains: removed (they belong to production)',
      'alerts: removed (they belong to production)',
      `services/web: 3 x apps-d-1vcpu-2gb -> 1 x ${PREVIEW_INSTANCE_SIZE}`,
      'services/web: alerts removed',
      `jobs/migrate: 1 x default -> 1 x ${PREVIEW_INSTANCE_SIZE}`,
      'databases/db: development database added',
      'services/web: DATABASE_URL -> ${db.DATABASE_URL}',
      'jobs/migrate: DATABASE_URL -> ${db.DATABASE_URL}'
    ]);
  });

  it("the example app's spec becomes a preview that never names a production secret", () => {
    const text = readFileSync(
      join(import.meta.dirname, '..', '..', 'examples', 'signupflow', '.do', 'app.yaml'),
      'utf8'
    );
    const { spec } = previewSpec(parseSpecText(text) as AppSpec, opts);
    expect(spec.name).toMatch(APP_NAME);
    expect(spec).not.toHaveProperty('domains');
    expect(JSON.stringify(spec)).not.toContain('${DATABASE_URL}');
    expect(spec.jobs!.find(j => j.kind === 'PRE_DEPLOY')!.envs).toContainEqual(
      expect.objectContaining({ key: 'DATABASE_URL', value: '${db.DATABASE_URL}' })
    );
  });

  it('marks the preview with its repository and PR, which previewPrNumber reads back', () => {
    const { spec } = previewSpec(base(), opts);
    expect(previewPrNumber(spec, 'acme', 'signupflow')).toBe(9);
    expect(previewPrNumber(spec, 'ACME', 'SignUpFlow')).toBe(9);
    expect(previewPrNumber(spec, 'acme', 'signup')).toBeUndefined();
    expect(previewPrNumber(base(), 'acme', 'signupflow')).toBeUndefined();
    // Previewing a preview's spec again keeps one marker.
    const again = previewSpec(spec, { ...opts, prNumber: 10 }).spec;
    expect((again.envs as { key: string }[]).filter(e => e.key === 'PIPELINE_PREVIEW')).toHaveLength(1);
    expect(previewPrNumber(again, 'acme', 'signupflow')).toBe(10);
  });
});
