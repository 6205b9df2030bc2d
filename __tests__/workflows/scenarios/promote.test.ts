// The README's promote.yml caller (issue 16): staging builds once and ships; here the release fails staging's
// health gate (its database check turns to 503), is rolled back automatically, ONE rollback notification reaches
// the local webhook receiver (no secret in it), and production is never touched: its job is skipped and the
// simulator saw no request for the production app.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runWorkflow } from '../../../test-support/workflow-runner/index.js';
import {
  PROMOTE_SHA,
  promoteCaller,
  promoteCallerRepository,
  promoteStandIns
} from '../../../test-support/workflow-runner/release-paths.js';
import { sharedRegistry, type RegistryServer } from '../../../test-support/shared.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test-support/webhook-receiver.js';
import { appSpec, health, startHarness, type Harness } from '../../simulator/harness.js';
import { CALLER, repositories, step } from './harness.js';

let h: Harness;
let registry: RegistryServer;
let receiver: WebhookReceiver;
const SHA = PROMOTE_SHA;
const apps: Record<string, { id: string; url: string }> = {};

beforeAll(async () => {
  registry = await sharedRegistry();
  receiver = await startWebhookReceiver();
  h = await startHarness({ v1: {} });
  for (const name of ['signupflow-staging', 'signupflow']) {
    const app = await h.sim.seedApp(appSpec(name, h.images.v1!.source) as never);
    apps[name] = { id: app.id as string, url: app.live_url as string };
  }
}, 300_000);

afterAll(async () => {
  await h?.close();
  await receiver?.stop();
});

describe('promote (README caller)', () => {
  it('a release that fails staging is rolled back there and never reaches production', async () => {
    const webhook = `${receiver.url}/hooks/T000/B000/${'s'.repeat(24)}`;
    const report = await runWorkflow({
      caller: promoteCaller(),
      event: { name: 'push' },
      sha: SHA,
      repository: CALLER,
      repositories: repositories(promoteCallerRepository(SHA)),
      secrets: { DIGITALOCEAN_TOKEN: h.sim.token, NOTIFY_WEBHOOK_URL: webhook },
      environments: { staging: {}, production: { requiredReviewers: true } },
      rewrite: promoteStandIns(h.sim, registry, {
        staging: apps['signupflow-staging']!.url,
        production: apps.signupflow!.url
      }),
      log: process.env.RUNNER_LOG ? line => console.log(line) : undefined
    });
    const log = report.log.join('\n');
    expect(report.conclusion).toBe('failure');
    expect(step(report, 'release/staging/release', 'gate').outputs).toMatchObject({
      healthy: 'false',
      'rolled-back': 'true',
      outage: 'false'
    });
    // Production: skipped, no approval asked, not one API request for its app.
    expect(report.jobs.filter(j => j.id.startsWith('release/production')).map(j => j.result)).toEqual([
      'skipped'
    ]);
    expect(report.jobs.some(j => j.approval)).toBe(false);
    expect(h.sim.requests.filter(r => r.path.includes(apps.signupflow!.id))).toEqual([]);
    expect(await health(apps.signupflow!.url)).toEqual({ status: 200, version: 'v1' });
    // Staging serves the previous version again.
    expect(await health(apps['signupflow-staging']!.url)).toEqual({ status: 200, version: 'v1' });
    // Exactly one notification, the rollback, without the webhook's token.
    expect(receiver.messages).toHaveLength(1);
    const text = (receiver.messages[0]!.body as { text: string }).text;
    expect(text).toMatch(
      /^↩️ Release rolled back: it failed the health gate in acme\/signupflow \(staging\)/
    );
    expect(text).toContain('ghcr.io/acme/signupflow@sha256:');
    expect(text).not.toContain('s'.repeat(24));
    expect(text).not.toContain(h.sim.token);
    expect(log).not.toContain(h.sim.token);
  }, 600_000);
});
