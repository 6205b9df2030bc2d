/**
 * The two scripts preview.yml runs (scripts/preview-comment.sh, scripts/open-pulls.sh) against a loopback stand-in
 * for GitHub's REST API: ONE comment per PR, kept up to date; every page of open PRs; a failing API fails the step
 * (so a sweep never reads "could not ask" as "nothing is open").
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startGitHubStandIn, type GitHubStandIn } from '../../test-support/github-pulls-stand-in.js';

const root = join(import.meta.dirname, '..', '..');
const TOKEN = 'ghs_standintoken1234567890';
let gh: GitHubStandIn;
beforeAll(async () => {
  gh = await startGitHubStandIn('acme/signupflow', TOKEN);
});
afterAll(() => gh.stop());

function run(script: string, env: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string }>(resolve => {
    const child = spawn('bash', [join(root, 'scripts', script)], {
      env: {
        PATH: process.env.PATH ?? '',
        GITHUB_API_URL: gh.url,
        GITHUB_REPOSITORY: 'acme/signupflow',
        GH_TOKEN: TOKEN,
        ...env
      }
    });
    let stdout = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stdout += d));
    child.on('close', status => resolve({ status, stdout }));
  });
}

const preview = (over: Record<string, string> = {}) => ({
  PR_NUMBER: '7',
  PREVIEW_URL: 'https://acme-signupflow-7-merge-1a2b3c4d.ondigitalocean.app',
  IMAGE_REF: `ghcr.io/acme/signupflow@sha256:${'c'.repeat(64)}`,
  GATE: 'passed',
  RESULT: 'success',
  RUN_URL: 'https://github.com/acme/signupflow/actions/runs/1',
  ...over
});

describe('preview-comment.sh', () => {
  it('creates one comment with URL, digest, gate result and time, then edits that same comment', async () => {
    gh.comments.set(7, [{ id: 1, body: 'LGTM' }]);
    const first = await run('preview-comment.sh', preview());
    expect(first.stdout).toContain('Created the preview comment on PR #7');
    const second = await run(
      'preview-comment.sh',
      preview({
        GATE: 'failed',
        RESULT: 'failure',
        IMAGE_REF: `ghcr.io/acme/signupflow@sha256:${'d'.repeat(64)}`
      })
    );
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/Updated the preview comment \d+ on PR #7/);
    const list = gh.comments.get(7)!;
    expect(list.map(c => c.body.startsWith('<!-- app-platform-pipeline:preview -->'))).toEqual([false, true]);
    const body = list[1]!.body;
    expect(body).toContain('❌ Preview failed (deploy: failure, health gate: failed)');
    expect(body).toContain('https://acme-signupflow-7-merge-1a2b3c4d.ondigitalocean.app');
    expect(body).toContain(`sha256:${'d'.repeat(64)}`);
    expect(body).not.toContain(`sha256:${'c'.repeat(64)}`);
    expect(body).toMatch(/\*\*Updated\*\* \| \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
  });

  it('a value with quotes or $(...) is data, not code', async () => {
    const r = await run(
      'preview-comment.sh',
      preview({ PR_NUMBER: '8', PREVIEW_URL: '"; $(touch /tmp/pwned-envs) `id`' })
    );
    expect(r.status).toBe(0);
    expect(gh.comments.get(8)![0]!.body).toContain('"; $(touch /tmp/pwned-envs) `id`');
  });

  it('fails when the API refuses (bad token)', async () => {
    const r = await run('preview-comment.sh', { ...preview(), GH_TOKEN: 'wrong' });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toContain('401');
  });
});

describe('open-pulls.sh', () => {
  it('lists every page of open PRs', async () => {
    gh.openPulls = Array.from({ length: 205 }, (_, i) => i + 1);
    const r = await run('open-pulls.sh', {});
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(`numbers=${gh.openPulls.join(',')}`);
  });

  it('no open PR gives an empty list', async () => {
    gh.openPulls = [];
    expect((await run('open-pulls.sh', {})).stdout.trim()).toBe('numbers=');
  });

  it('fails instead of answering "none open" when GitHub cannot be asked', async () => {
    gh.openPulls = [3];
    const r = await run('open-pulls.sh', { GH_TOKEN: 'wrong' });
    expect(r.status).not.toBe(0);
    expect(r.stdout).not.toContain('numbers=');
  });
});
