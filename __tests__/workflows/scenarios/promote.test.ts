// The README's promote.yml caller (issue 16): staging builds once and ships; here the release fails staging's
// health gate (its database check turns to 503), is rolled back automatically, ONE rollback notification reaches
// the local webhook receiver (no secret in it), and production is never touched: its job is skipped and the
// simulator saw no request for the production app.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runWorkflow } from '../../../test-support/workflow-runner/index.js';
import { readmeCallers } from '../../../test-support/workflow-runner/repositories.js';
import { sharedRegistry, type RegistryServer } from '../../../test-support/shared.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test-support/webhook-receiver.js';
import { appSpec, EXAMPLE_APP_DIR, health, startHarness, type Harness } from '../../simulator/harness.js';
import { CALLER, repositories, step } from './harness.js';

let h: Harness;
let registry: RegistryServer;
let receiver: WebhookReceiver;
const SHA = 'e5f60718293a4b5c6d7e8f9012345678a1b2c3d4';
const apps: Record<string, { id: string; url: string }> = {};

/** Spec files of both environments, image by digest; staging's release carries the database chaos hook. */
function callerRepository() {
  const dir = mkdtempSync(join(tmpdir(), 'signupflow-promote-'));
  cpSync(EXAMPLE_APP_DIR, dir, { recursive: true, filter: src => !/__pycache__|\.venv/.test(src) });
  writeFileSync(join(dir, 'Dockerfile'), readFileSync(join(EXAMPLE_APP_DIR, 'Dockerfile.rehearsal')));
  mkdirSync(join(dir, '.do'), { recursive: true });
  const image = {
    registry_type: 'GHCR',
    registry: 'acme',
    repository: 'signupflow',
    digest: '${IMAGE_DIGEST}'
  };
  const staging = appSpec('signupflow-staging', image) as { services: { envs: object[] }[] };
  staging.services[0]!.envs.push({ key: 'CHAOS_DB_FAIL_AFTER_SECONDS', scope: 'RUN_TIME', value: '2' });
  writeFileSync(join(dir, '.do', 'staging.yaml'), stringify(staging));
  writeFileSync(join(dir, '.do', 'app.yaml'), stringify(appSpec('signupflow', image)));
  return { dir, visibility: 'private' as const, sha: SHA };
}

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
      // One deviation from the README block, as in the deploy scenario: `migrate: false` (PyPI is unreachable here).
      caller: {
        path: '.github/workflows/promote.yml',
        content: readmeCallers()['promote.yml']!.replace(/^( +)with:\n/m, '$1with:\n$1  migrate: false\n')
      },
      event: { name: 'push' },
      sha: SHA,
      repository: CALLER,
      repositories: repositories(callerRepository()),
      secrets: { DIGITALOCEAN_TOKEN: h.sim.token, NOTIFY_WEBHOOK_URL: webhook },
      environments: { staging: {}, production: { requiredReviewers: true } },
      rewrite: {
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
              url: inputs
                .url!.replace('https://staging.signupflow.example.org', apps['signupflow-staging']!.url)
                .replace('https://signupflow.example.org', apps.signupflow!.url),
              interval: '0.5s',
              window: '8s'
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
