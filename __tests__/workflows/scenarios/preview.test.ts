// The README's preview.yml caller through the workflow runner (issue 16): a same-repository PR gets its own app
// (app_action's name) on a development database of its own, gated without rollback, with ONE PR comment (URL,
// digest, gate, time) that the next push updates; closing deletes the app and its database (twice is fine); the
// scheduled sweep deletes previews of closed PRs; a fork's PR gets nothing. One notification per preview result,
// none carrying a secret. GitHub's REST API is the local stand-in (test-support/github-pulls-stand-in.ts).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { previewAppName } from '../../../src/digitalocean/preview-spec.js';
import {
  runWorkflow,
  type RepositoryDefinition,
  type RunOptions
} from '../../../test-support/workflow-runner/index.js';
import { readmeCallers } from '../../../test-support/workflow-runner/repositories.js';
import {
  previewCallerRepository,
  previewStandIns,
  pullRequestRun
} from '../../../test-support/workflow-runner/release-paths.js';
import { sharedPostgres, sharedRegistry, type RegistryServer } from '../../../test-support/shared.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test-support/webhook-receiver.js';
import { startGitHubStandIn, type GitHubStandIn } from '../../../test-support/github-pulls-stand-in.js';
import { health, startHarness, type Harness } from '../../simulator/harness.js';
import { CALLER, repositories } from './harness.js';

let h: Harness;
let registry: RegistryServer;
let receiver: WebhookReceiver;
let github: GitHubStandIn;
let caller: RepositoryDefinition;
const WEBHOOK_TOKEN = 'w'.repeat(24);

const devDatabases = async () => {
  const c = new pg.Client({ connectionString: h.databaseUrl });
  await c.connect();
  try {
    return (
      await c.query<{ datname: string }>(`select datname from pg_database where datname like 'sim_dev_%'`)
    ).rows.map(r => r.datname);
  } finally {
    await c.end();
  }
};

beforeAll(async () => {
  registry = await sharedRegistry();
  receiver = await startWebhookReceiver();
  github = await startGitHubStandIn(CALLER, t => t.startsWith('ghs_'));
  caller = previewCallerRepository();
  h = await startHarness({}, { devDatabaseServer: (await sharedPostgres()).url });
}, 300_000);

afterAll(async () => {
  await h?.close();
  await receiver?.stop();
  await github?.stop();
});

function pullRequest(action: string, pr: number, sha: string, headRepo = CALLER): RunOptions {
  return { ...pullRequestRun(action, pr, sha, headRepo), ...common() };
}

function common(): Omit<RunOptions, 'caller' | 'event'> {
  return {
    repository: CALLER,
    repositories: repositories({ ...caller }),
    githubApiUrl: github.url,
    secrets: {
      DIGITALOCEAN_TOKEN: h.sim.token,
      NOTIFY_WEBHOOK_URL: `${receiver.url}/hooks/T000/B000/${WEBHOOK_TOKEN}`
    },
    rewrite: previewStandIns(h.sim, registry),
    log: process.env.RUNNER_LOG ? line => console.log(line) : undefined
  };
}

const appNamed = (name: string) => [...h.sim.apps.values()].find(a => a.spec.name === name);
const texts = () => receiver.messages.map(m => (m.body as { text: string }).text);

describe('pull-request previews (README caller)', () => {
  const name7 = previewAppName('acme', 'signupflow', 7);

  it('opened: a preview app on its own database, gated, one comment, one notification', async () => {
    const report = await runWorkflow(pullRequest('opened', 7, 'a'.repeat(40)));
    expect(report.conclusion).toBe('success');
    const app = appNamed(name7)!;
    expect(app).toBeDefined();
    expect(app.spec.domains).toBeUndefined();
    expect(await health(String(app.proxy.url))).toEqual({ status: 200, version: 'a'.repeat(40) });
    expect(await devDatabases()).toHaveLength(1);
    const comments = github.comments.get(7)!;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('✅ Preview is up');
    expect(comments[0]!.body).toContain(app.proxy.url);
    expect(comments[0]!.body).toMatch(/ghcr\.io\/acme\/signupflow@sha256:[0-9a-f]{64}/);
    expect(comments[0]!.body).toMatch(/\| \*\*Health gate\*\* \| passed \|/);
    expect(comments[0]!.body).toMatch(/\| \*\*Updated\*\* \| \d{4}-\d\d-\d\dT/);
    expect(texts()).toHaveLength(1);
    expect(texts()[0]).toMatch(/^✅ Preview is up in acme\/signupflow \(preview of PR 7\)/);
  }, 600_000);

  it('synchronize: the same comment is updated, the same app redeployed', async () => {
    const id = github.comments.get(7)![0]!.id;
    const report = await runWorkflow(pullRequest('synchronize', 7, 'b'.repeat(40)));
    expect(report.conclusion).toBe('success');
    const comments = github.comments.get(7)!;
    expect(comments.map(c => c.id)).toEqual([id]);
    expect([...h.sim.apps.values()].filter(a => a.spec.name === name7)).toHaveLength(1);
    expect(await health(String(appNamed(name7)!.proxy.url))).toEqual({
      status: 200,
      version: 'b'.repeat(40)
    });
    expect(texts()).toHaveLength(2);
  }, 600_000);

  it('closed: the app and its database are deleted; closing again is fine', async () => {
    for (let i = 0; i < 2; i++) {
      const report = await runWorkflow(pullRequest('closed', 7, 'b'.repeat(40)));
      expect(report.conclusion).toBe('success');
      expect(appNamed(name7)).toBeUndefined();
    }
    expect(await devDatabases()).toEqual([]);
    expect(texts()).toHaveLength(2);
  }, 600_000);

  it('the scheduled sweep deletes previews whose PR is closed, keeps the open ones', async () => {
    for (const pr of [8, 9])
      expect((await runWorkflow(pullRequest('opened', pr, 'c'.repeat(40)))).conclusion).toBe('success');
    github.openPulls = [9];
    const report = await runWorkflow({
      caller: { path: '.github/workflows/preview.yml', content: readmeCallers()['preview.yml']! },
      event: { name: 'schedule' },
      ...common()
    });
    expect(report.conclusion).toBe('success');
    expect(appNamed(previewAppName('acme', 'signupflow', 8))).toBeUndefined();
    expect(appNamed(previewAppName('acme', 'signupflow', 9))).toBeDefined();
    expect(await devDatabases()).toHaveLength(1);
  }, 600_000);

  it("a fork's PR gets no preview, no secret use and no comment", async () => {
    const before = h.sim.requests.length;
    const report = await runWorkflow(pullRequest('opened', 11, 'd'.repeat(40), 'mallory/signupflow'));
    expect(report.jobs.filter(j => j.result !== 'skipped').map(j => j.id)).toEqual([]);
    expect(h.sim.requests.length).toBe(before);
    expect(github.comments.get(11)).toBeUndefined();
  }, 120_000);

  it('no message carries a secret', () => {
    for (const t of texts()) {
      expect(t).not.toContain(WEBHOOK_TOKEN);
      expect(t).not.toContain(h.sim.token);
    }
    expect(texts()).toHaveLength(4);
  });
});
