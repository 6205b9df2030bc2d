/**
 * Runs the notify bundle (dist/notify/index.js) as the runner does, against the local webhook receiver: one
 * message per event with the right content, no secret in any message or log, and a failing receiver (500,
 * timeout, connection refused) leaves the step green with a warning and a summary line.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOTIFY_EVENTS } from '../../src/notify/message.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test-support/webhook-receiver.js';

const HOOK_SECRET = 'T0SECRET/B0SECRET/XXXXhookTokenXXXX';
let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(() => receiver.stop());

const bundle = join(import.meta.dirname, '..', '..', 'dist', 'notify', 'index.js');

async function run(inputs: Record<string, string>, extraEnv: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'notify-'));
  const output = join(dir, 'output');
  const summary = join(dir, 'summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/signupflow',
    GITHUB_RUN_ID: '1234',
    ...extraEnv
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const result = await new Promise<{ status: number | null; stdout: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bundle], { env });
    let stdout = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stdout += d));
    child.on('error', reject);
    child.on('close', status => resolve({ status, stdout }));
  });
  // `::add-mask::` lines are how a secret reaches the runner's masker: the only place it may appear.
  const stdout = result.stdout
    .split('\n')
    .filter(l => !l.startsWith('::add-mask::'))
    .join('\n');
  return {
    status: result.status,
    stdout,
    output: readFileSync(output, 'utf8'),
    summary: readFileSync(summary, 'utf8')
  };
}

const hook = () => `${receiver.url}/hooks/${HOOK_SECRET}`;

describe('notify action', () => {
  it.each(NOTIFY_EVENTS)('%s: exactly one message, with the facts, and no secret', async event => {
    const before = receiver.messages.length;
    const r = await run({
      event,
      'webhook-url': hook(),
      release: 'ghcr.io/acme/signupflow@sha256:' + 'b'.repeat(64),
      environment: 'staging',
      // An error quoting the webhook URL itself: the token must not travel to the webhook or the log.
      details: `deploy failed posting to ${hook()}`
    });
    expect(r.status).toBe(0);
    expect(receiver.messages.length - before).toBe(1);
    const message = receiver.messages.at(-1)!;
    expect(message.contentType).toBe('application/json');
    const text = (message.body as { text: string }).text;
    expect(text).toContain('acme/signupflow (staging)');
    expect(text).toContain('Release: ghcr.io/acme/signupflow@sha256:' + 'b'.repeat(64));
    expect(text).toContain('Run: https://github.com/acme/signupflow/actions/runs/1234');
    expect(text).toMatch(/^Next step: /m);
    expect(message.raw).not.toContain(HOOK_SECRET);
    expect(r.stdout).not.toContain(HOOK_SECRET);
    expect(r.summary).not.toContain(HOOK_SECRET);
    expect(r.output).toMatch(/delivered<<[\s\S]*true/);
    expect(r.summary).toContain(`Notification \`${event}\` delivered`);
  });

  it('masks the webhook token also when quoted piecewise or percent-encoded', async () => {
    // The webhook URL is the only secret the action reads: its token segment is masked in every form.
    const before = receiver.messages.length;
    const r = await run({
      event: 'outage',
      'webhook-url': hook(),
      details: `failed: ${encodeURIComponent(HOOK_SECRET)} and XXXXhookTokenXXXX`
    });
    expect(r.status).toBe(0);
    const raw = receiver.messages
      .slice(before)
      .map(m => m.raw)
      .join('\n');
    expect(raw).not.toContain(HOOK_SECRET);
    expect(raw).not.toContain(encodeURIComponent(HOOK_SECRET));
    expect(raw).not.toContain('XXXXhookTokenXXXX');
    expect(raw).toContain('What happened: failed: ');
  });

  it('a receiver answering 500 does not fail the step: warning + summary line, with the server message', async () => {
    receiver.setMode('error');
    try {
      const r = await run({ event: 'rollback', 'webhook-url': hook() });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(
        /^::warning::notify: the rollback notification was not delivered: POST http:\/\/127\.0\.0\.1:\d+\/… failed: HTTP 500 - internal_error \(request id req-\d+\)/m
      );
      expect(r.summary).toContain('Notification `rollback` NOT delivered');
      expect(r.output).toMatch(/delivered<<[\s\S]*false/);
      expect(r.stdout + r.summary).not.toContain(HOOK_SECRET);
    } finally {
      receiver.setMode('ok');
    }
  });

  it('a receiver that never answers does not fail the step (timeout)', async () => {
    receiver.setMode('hang');
    try {
      const r = await run({ event: 'backup-failed', 'webhook-url': hook(), timeout: '1s' });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^::warning::notify: .* timed out after 1 s/m);
      expect(r.summary).toContain('NOT delivered');
    } finally {
      receiver.setMode('ok');
    }
  });

  it('a refused connection does not fail the step', async () => {
    const port = await new Promise<number>(resolve => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const r = await run({
      event: 'drill-failed',
      'webhook-url': `http://127.0.0.1:${port}/hooks/${HOOK_SECRET}`,
      timeout: '5s'
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^::warning::notify: .*failed: ECONNREFUSED/m);
    expect(r.stdout + r.summary).not.toContain(HOOK_SECRET);
  });

  it('without a webhook URL nothing is sent and the summary says so', async () => {
    const before = receiver.requests;
    const r = await run({ event: 'preview-ready' });
    expect(r.status).toBe(0);
    expect(receiver.requests).toBe(before);
    expect(r.summary).toContain('not sent: no webhook URL configured');
  });

  it('a webhook URL that is not http(s) is a warning, not a failure, and is not printed', async () => {
    const r = await run({ event: 'preview-failed', 'webhook-url': `hooks.example/${HOOK_SECRET}` });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/::warning::.*webhook-url' must be an http\(s\) URL/);
    expect(r.stdout).not.toContain(HOOK_SECRET);
  });

  it('an unknown event is a bad input: one line naming it', async () => {
    const r = await run({ event: 'exploded', 'webhook-url': hook() });
    expect(r.status).not.toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^::error::Input 'event' must be one of rollback, outage, .*got 'exploded'$/)
    ]);
  });

  it('an input error writes a step summary naming the input', async () => {
    const r = await run({ event: 'exploded', 'webhook-url': hook() });
    expect(r.status).not.toBe(0);
    expect(r.summary).toMatch(/Input 'event' must be one of rollback, outage, .*got 'exploded'/);
    expect(r.summary).not.toContain(HOOK_SECRET);
  });
});
