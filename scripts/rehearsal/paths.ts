/**
 * Issue 16 in the rehearsal (`npm run rehearsal -- --paths`): the paths a release travels, through the workflow
 * runner with the README's callers, notifications received by the local webhook receiver.
 *   preview.yml: PR opened (its own app on its own development database, one comment) -> synchronize (the same
 *                comment updated, the same app redeployed) -> closed (app and database deleted)
 *   promote.yml: a release failing staging's gate is rolled back there and never reaches production
 */
import pg from 'pg';
import { previewAppName } from '../../src/digitalocean/preview-spec.js';
import { startGitHubStandIn } from '../../test-support/github-pulls-stand-in.js';
import type { RegistryLike } from '../../test-support/image-builder.js';
import { appSpec, health, type SimulatorWithImages } from '../../test-support/signupflow-app.js';
import { startWebhookReceiver } from '../../test-support/webhook-receiver.js';
import { runWorkflow, type RunOptions } from '../../test-support/workflow-runner/index.js';
import {
  PROMOTE_SHA,
  previewCallerRepository,
  previewStandIns,
  promoteCaller,
  promoteCallerRepository,
  promoteStandIns,
  pullRequestRun
} from '../../test-support/workflow-runner/release-paths.js';
import { CALLER, repositories, step } from '../../test-support/workflow-runner/scenario.js';
import { checked, type Rehearsal } from './stage.js';

const log = (line: string) => console.log(`  | ${line}`);
const WEBHOOK_TOKEN = 'rehearsalwebhooktoken000';

export async function rehearsePaths(
  rehearsal: Rehearsal,
  stack: { registry: RegistryLike; h: SimulatorWithImages; devDatabaseServer: string },
  stops: (() => Promise<unknown>)[]
): Promise<void> {
  const { registry, h } = stack;
  const receiver = await startWebhookReceiver();
  stops.unshift(() => receiver.stop());
  const github = await startGitHubStandIn(CALLER, t => t.startsWith('ghs_'));
  stops.unshift(() => github.stop());
  const webhook = `${receiver.url}/hooks/T000/B000/${WEBHOOK_TOKEN}`;
  const texts = () => receiver.messages.map(m => (m.body as { text: string }).text);
  const noSecret = () => texts().every(t => !t.includes(WEBHOOK_TOKEN) && !t.includes(h.sim.token));
  const devDatabases = async () => {
    const c = new pg.Client({ connectionString: stack.devDatabaseServer });
    await c.connect();
    try {
      return (await c.query(`select datname from pg_database where datname like 'sim_dev_%'`)).rowCount ?? 0;
    } finally {
      await c.end();
    }
  };

  const caller = previewCallerRepository();
  const pr = 7;
  const name = previewAppName('acme', 'signupflow', pr);
  const appNamed = () => [...h.sim.apps.values()].find(a => a.spec.name === name);
  const preview = (action: string, sha: string) =>
    runWorkflow({
      ...pullRequestRun(action, pr, sha),
      repository: CALLER,
      repositories: repositories({ ...caller }),
      githubApiUrl: github.url,
      secrets: { DIGITALOCEAN_TOKEN: h.sim.token, NOTIFY_WEBHOOK_URL: webhook },
      rewrite: previewStandIns(h.sim, registry),
      log
    } satisfies RunOptions);

  let commentId: number | undefined;
  await rehearsal.step(
    'workflow: README preview.yml on PR opened',
    'a preview app on its own development database, gated, one PR comment, one notification',
    async () => {
      const sha = 'a'.repeat(40);
      const r = await preview('opened', sha);
      const app = appNamed();
      const served = app ? await health(String(app.proxy.url)) : { status: 0 };
      const comments = github.comments.get(pr) ?? [];
      commentId = comments[0]?.id;
      return checked(
        `${r.conclusion}, app ${name} ${served.status}, ${comments.length} comment(s), ${texts().length} notification(s)`,
        {
          'run succeeded': r.conclusion === 'success',
          'the preview app serves the PR commit': served.status === 200 && served.version === sha,
          'no domains in the preview': app?.spec.domains === undefined,
          'its own development database': (await devDatabases()) === 1,
          'one comment with the URL and the digest':
            comments.length === 1 &&
            comments[0]!.body.includes(String(app?.proxy.url)) &&
            /ghcr\.io\/acme\/signupflow@sha256:[0-9a-f]{64}/.test(comments[0]!.body),
          'one notification: preview up':
            texts().length === 1 && /^✅ Preview is up in acme\/signupflow/.test(texts()[0]!)
        },
        r
      );
    }
  );

  await rehearsal.step(
    'workflow: README preview.yml on PR synchronize',
    'the same comment updated, the same app redeployed with the new commit, one more notification',
    async () => {
      const sha = 'b'.repeat(40);
      const r = await preview('synchronize', sha);
      const comments = github.comments.get(pr) ?? [];
      const apps = [...h.sim.apps.values()].filter(a => a.spec.name === name);
      const served = apps[0] ? await health(String(apps[0].proxy.url)) : { status: 0 };
      return checked(
        `${r.conclusion}, ${comments.length} comment(s), /health ${served.status} ${served.version?.slice(0, 7)}`,
        {
          'run succeeded': r.conclusion === 'success',
          'the same single comment': comments.length === 1 && comments[0]!.id === commentId,
          'the comment names the new commit`s result': /\| \*\*Health gate\*\* \| passed \|/.test(
            comments[0]?.body ?? ''
          ),
          'one app, serving the new commit': apps.length === 1 && served.version === sha,
          'two notifications': texts().length === 2
        },
        r
      );
    }
  );

  await rehearsal.step(
    'workflow: README preview.yml on PR closed',
    'the preview app and its database are deleted; no more notifications',
    async () => {
      const r = await preview('closed', 'b'.repeat(40));
      return checked(
        `${r.conclusion}, app ${appNamed() ? 'still there' : 'deleted'}, ${await devDatabases()} dev database(s)`,
        {
          'run succeeded': r.conclusion === 'success',
          'the app is deleted': appNamed() === undefined,
          'its database is deleted': (await devDatabases()) === 0,
          'no message carries a secret': noSecret()
        },
        r
      );
    }
  );

  const apps: Record<string, { id: string; url: string }> = {};
  for (const appName of ['signupflow-staging', 'signupflow']) {
    const app = await h.sim.seedApp(appSpec(appName, h.images.v1!.source) as never);
    apps[appName] = { id: app.id as string, url: app.live_url as string };
  }
  await rehearsal.step(
    'workflow: README promote.yml, release failing staging',
    'staging rolled back (v1 serves), production skipped and untouched, one rollback notification',
    async () => {
      const before = receiver.messages.length;
      const requestsBefore = h.sim.requests.length;
      const r = await runWorkflow({
        caller: promoteCaller(),
        event: { name: 'push' },
        sha: PROMOTE_SHA,
        repository: CALLER,
        repositories: repositories(promoteCallerRepository()),
        secrets: { DIGITALOCEAN_TOKEN: h.sim.token, NOTIFY_WEBHOOK_URL: webhook },
        environments: { staging: {}, production: { requiredReviewers: true } },
        rewrite: promoteStandIns(h.sim, registry, {
          staging: apps['signupflow-staging']!.url,
          production: apps.signupflow!.url
        }),
        log
      });
      const gate = step(r, 'release/staging/release', 'gate').outputs;
      const messages = texts().slice(before);
      const production = r.jobs.filter(j => j.id.startsWith('release/production'));
      return checked(
        `${r.conclusion}, staging rolled-back=${gate['rolled-back']}, production ${production.map(j => j.result).join('/')}, ${messages.length} notification(s)`,
        {
          'run failed': r.conclusion === 'failure',
          'staging gate failed and rolled back': gate.healthy === 'false' && gate['rolled-back'] === 'true',
          'staging serves v1 again': (await health(apps['signupflow-staging']!.url)).version === 'v1',
          'production job skipped, no approval asked':
            production.length > 0 &&
            production.every(j => j.result === 'skipped') &&
            !r.jobs.some(j => j.approval),
          'no API request for the production app': h.sim.requests
            .slice(requestsBefore)
            .every(q => !q.path.includes(apps.signupflow!.id)),
          'production serves v1': (await health(apps.signupflow!.url)).version === 'v1',
          'one rollback notification naming the digest':
            messages.length === 1 &&
            /^↩️ Release rolled back: it failed the health gate in acme\/signupflow \(staging\)/.test(
              messages[0]!
            ) &&
            messages[0]!.includes('ghcr.io/acme/signupflow@sha256:'),
          'no message carries a secret': noSecret()
        },
        r
      );
    }
  );
}
