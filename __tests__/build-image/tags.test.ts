import { describe, expect, it } from '@jest/globals';
import { InputError } from '../../src/kit/errors.js';
import { readGitHubContext, type GitHubContext } from '../../src/image/github-context.js';
import { ociLabels } from '../../src/image/labels.js';
import { defaultImageName, parseImageName, slugTag } from '../../src/image/reference.js';
import { computeTags } from '../../src/image/tags.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const ctx = (over: Partial<GitHubContext>): GitHubContext => ({
  eventName: 'push',
  ref: 'refs/heads/main',
  sha: SHA,
  repository: 'Acme-Church/SignUpFlow',
  serverUrl: 'https://github.com',
  defaultBranch: 'main',
  ...over
});

describe('computeTags', () => {
  const cases: {
    name: string;
    ctx: Partial<GitHubContext>;
    extra?: string[];
    tags: string[];
    version: string;
  }[] = [
    { name: 'push to the default branch', ctx: {}, tags: ['sha-0123456', 'main', 'latest'], version: 'main' },
    {
      name: 'push to a feature branch (slugged, no latest)',
      ctx: { ref: 'refs/heads/feature/Login+SSO' },
      tags: ['sha-0123456', 'feature-Login-SSO'],
      version: 'feature-Login-SSO'
    },
    {
      name: 'default branch unknown: no latest',
      ctx: { defaultBranch: undefined },
      tags: ['sha-0123456', 'main'],
      version: 'main'
    },
    {
      name: 'semver tag',
      ctx: { ref: 'refs/tags/v1.2.3' },
      tags: ['sha-0123456', '1.2.3', '1.2', '1'],
      version: '1.2.3'
    },
    {
      name: 'semver tag without v',
      ctx: { ref: 'refs/tags/2.0.10' },
      tags: ['sha-0123456', '2.0.10', '2.0', '2'],
      version: '2.0.10'
    },
    {
      name: '0.x tag: no bare major',
      ctx: { ref: 'refs/tags/v0.4.1' },
      tags: ['sha-0123456', '0.4.1', '0.4'],
      version: '0.4.1'
    },
    {
      name: 'pre-release: only the full version',
      ctx: { ref: 'refs/tags/v1.3.0-rc.1' },
      tags: ['sha-0123456', '1.3.0-rc.1'],
      version: '1.3.0-rc.1'
    },
    {
      name: 'non-semver tag',
      ctx: { ref: 'refs/tags/release/2026-11' },
      tags: ['sha-0123456', 'release-2026-11'],
      version: 'release-2026-11'
    },
    {
      name: 'pull request',
      ctx: { eventName: 'pull_request', ref: 'refs/pull/42/merge', prNumber: 42 },
      tags: ['sha-0123456', 'pr-42'],
      version: 'pr-42'
    },
    {
      name: 'pull_request_target',
      ctx: { eventName: 'pull_request_target', ref: 'refs/heads/main', prNumber: 7 },
      tags: ['sha-0123456', 'pr-7'],
      version: 'pr-7'
    },
    {
      name: 'workflow_dispatch on a branch',
      ctx: { eventName: 'workflow_dispatch', ref: 'refs/heads/hotfix' },
      tags: ['sha-0123456', 'hotfix'],
      version: 'hotfix'
    },
    {
      name: 'extra tags appended, duplicates dropped',
      ctx: {},
      extra: ['stable', 'latest', 'sha-0123456'],
      tags: ['sha-0123456', 'main', 'latest', 'stable'],
      version: 'main'
    },
    {
      name: 'upper-case sha is lower-cased',
      ctx: { sha: SHA.toUpperCase(), ref: '' },
      tags: ['sha-0123456'],
      version: 'sha-0123456'
    }
  ];
  it.each(cases)('$name', c => {
    const got = computeTags(ctx(c.ctx), c.extra);
    expect(got.tags).toEqual(c.tags);
    expect(got.version).toBe(c.version);
    expect(got.shaTag).toBe('sha-0123456');
  });

  it('rejects an invalid extra tag naming the tags input', () => {
    expect(() => computeTags(ctx({}), ['ok', 'bad tag'])).toThrow(InputError);
    expect(() => computeTags(ctx({}), ['-dash'])).toThrow(/^Input 'tags' has an invalid tag '-dash'/);
  });

  it('refuses to run without a commit id', () => {
    expect(() => computeTags(ctx({ sha: '' }))).toThrow(/GITHUB_SHA is missing/);
  });
});

describe('readGitHubContext', () => {
  const files: Record<string, string> = {
    '/ev/push.json': JSON.stringify({ repository: { default_branch: 'trunk' } }),
    '/ev/pr.json': JSON.stringify({
      number: 17,
      pull_request: { number: 17 },
      repository: { default_branch: 'main' }
    })
  };
  const read = (p: string) => {
    if (!(p in files)) throw new Error('ENOENT');
    return files[p]!;
  };

  it('takes the default branch from the event payload', () => {
    const c = readGitHubContext(
      {
        GITHUB_EVENT_NAME: 'push',
        GITHUB_REF: 'refs/heads/trunk',
        GITHUB_SHA: SHA,
        GITHUB_REPOSITORY: 'o/r',
        GITHUB_EVENT_PATH: '/ev/push.json'
      },
      read
    );
    expect(c).toMatchObject({ defaultBranch: 'trunk', prNumber: undefined, serverUrl: 'https://github.com' });
    expect(computeTags(c).tags).toEqual(['sha-0123456', 'trunk', 'latest']);
  });

  it('takes the PR number from the payload, or from the ref when there is none', () => {
    expect(
      readGitHubContext(
        {
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_REF: 'refs/pull/17/merge',
          GITHUB_EVENT_PATH: '/ev/pr.json'
        },
        read
      ).prNumber
    ).toBe(17);
    expect(
      readGitHubContext(
        {
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_REF: 'refs/pull/99/merge',
          GITHUB_EVENT_PATH: '/missing'
        },
        read
      ).prNumber
    ).toBe(99);
  });

  it('keeps a GitHub Enterprise server URL for the source label', () => {
    const c = readGitHubContext({
      GITHUB_SERVER_URL: 'https://ghe.example.org/',
      GITHUB_REPOSITORY: 'o/r',
      GITHUB_SHA: SHA
    });
    expect(ociLabels(c, { version: 'v', created: new Date(0) })['org.opencontainers.image.source']).toBe(
      'https://ghe.example.org/o/r'
    );
  });
});

describe('ociLabels', () => {
  it('has source, revision, created, version and title', () => {
    const labels = ociLabels(ctx({}), { version: '1.2.3', created: new Date('2026-11-25T02:00:00Z') });
    expect(labels).toMatchObject({
      'org.opencontainers.image.source': 'https://github.com/Acme-Church/SignUpFlow',
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.created': '2026-11-25T02:00:00.000Z',
      'org.opencontainers.image.version': '1.2.3',
      'org.opencontainers.image.title': 'SignUpFlow'
    });
  });
});

describe('image names', () => {
  it('defaults to ghcr.io/<owner>/<repo> lower-cased', () => {
    expect(defaultImageName('Acme-Church/SignUpFlow')).toBe('ghcr.io/acme-church/signupflow');
    expect(defaultImageName(undefined)).toBeUndefined();
    expect(defaultImageName('not-a-repo')).toBeUndefined();
  });

  it.each([
    [
      'ghcr.io/Acme-Church/SignUpFlow',
      { registry: 'ghcr.io', repository: 'acme-church/signupflow', name: 'ghcr.io/acme-church/signupflow' }
    ],
    [
      '127.0.0.1:5000/team/app',
      { registry: '127.0.0.1:5000', repository: 'team/app', name: '127.0.0.1:5000/team/app' }
    ],
    ['localhost/app', { registry: 'localhost', repository: 'app', name: 'localhost/app' }],
    ['acme/app', { registry: 'docker.io', repository: 'acme/app', name: 'docker.io/acme/app' }],
    ['nginx', { registry: 'docker.io', repository: 'library/nginx', name: 'docker.io/library/nginx' }],
    [
      'registry.digitalocean.com/acme/sign_up-flow',
      {
        registry: 'registry.digitalocean.com',
        repository: 'acme/sign_up-flow',
        name: 'registry.digitalocean.com/acme/sign_up-flow'
      }
    ]
  ])('parses %s', (text, want) => {
    expect(parseImageName(text)).toEqual(want);
  });

  it.each([
    ['ghcr.io/acme/app:latest', /without a tag/],
    ['ghcr.io/acme/app@sha256:abc', /without a digest/],
    ['ghcr.io/acme/-app', /not a valid image name/],
    ['ghcr.io/acme//app', /not a valid image name/]
  ])('rejects %s naming the image input', (text, why) => {
    expect(() => parseImageName(text)).toThrow(InputError);
    expect(() => parseImageName(text)).toThrow(why);
    expect(() => parseImageName(text)).toThrow(/^Input 'image' /);
  });

  it('slugs branch names into valid tags', () => {
    expect(slugTag('feature/x')).toBe('feature-x');
    expect(slugTag('.hidden--')).toBe('hidden');
    expect(slugTag('a'.repeat(200))).toHaveLength(128);
  });
});
