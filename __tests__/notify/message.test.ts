import { afterEach, describe, expect, it } from '@jest/globals';
import { clearSecretsForTest, registerSecret } from '../../src/kit/secrets.js';
import { NOTIFY_EVENTS, composeMessage, runUrlFromEnv, type NotifyEvent } from '../../src/notify/message.js';

afterEach(() => clearSecretsForTest());

const RUN = 'https://github.com/acme/signupflow/actions/runs/42';
const REF = `ghcr.io/acme/signupflow@sha256:${'a'.repeat(64)}`;

// What each event must say: the headline words and the words of the next step.
const EXPECTED: Record<NotifyEvent, { headline: RegExp; next: RegExp }> = {
  rollback: { headline: /rolled back/, next: /previous version serves again/ },
  outage: { headline: /^🚨 OUTAGE/, next: /^Next step: Act now: .*roll back by hand/m },
  'deploy-failed': { headline: /Deploy failed/, next: /keeps serving/ },
  'backup-failed': { headline: /Backup failed/, next: /re-run the backup workflow/ },
  'drill-failed': { headline: /Restore drill failed/, next: /drill again/ },
  'preview-ready': { headline: /Preview is up/, next: /Review the change/ },
  'preview-failed': { headline: /Preview failed/, next: /push a fix/ }
};

describe('composeMessage', () => {
  it.each(NOTIFY_EVENTS)('%s: repository, what happened, release, run link and one next step', event => {
    const { text } = composeMessage({
      event,
      repository: 'acme/signupflow',
      environment: 'production',
      release: REF,
      runUrl: RUN,
      details: 'probe #3 HTTP 503'
    });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(EXPECTED[event].headline);
    expect(lines[0]).toContain('acme/signupflow (production)');
    expect(lines).toContain('What happened: probe #3 HTTP 503');
    expect(lines).toContain(`Release: ${REF}`);
    expect(lines).toContain(`Run: ${RUN}`);
    expect(lines.filter(l => l.startsWith('Next step: '))).toHaveLength(1);
    expect(text).toMatch(EXPECTED[event].next);
  });

  it('each event has its own headline and next step', () => {
    const texts = NOTIFY_EVENTS.map(event => composeMessage({ event, repository: 'a/b' }).text);
    expect(new Set(texts.map(t => t.split('\n')[0])).size).toBe(NOTIFY_EVENTS.length);
    expect(new Set(texts.map(t => t.split('\n').at(-1))).size).toBe(NOTIFY_EVENTS.length);
  });

  it('an explicit next step replaces the default one', () => {
    const { text } = composeMessage({
      event: 'preview-ready',
      repository: 'a/b',
      nextStep: 'Ask Ana to test it'
    });
    expect(text.split('\n').filter(l => l.startsWith('Next step'))).toEqual([
      'Next step: Ask Ana to test it'
    ]);
  });

  it('redacts registered secrets and escapes Slack control characters in values', () => {
    registerSecret('dop_v1_supersecrettoken');
    const { text } = composeMessage({
      event: 'deploy-failed',
      repository: 'a/b',
      details: 'GET /v2/apps failed with token dop_v1_supersecrettoken <!channel> & more\nsecond line'
    });
    expect(text).not.toContain('dop_v1_supersecrettoken');
    expect(text).toContain('***');
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('&lt;!channel&gt; &amp; more second line');
  });

  it('omits facts that are not given', () => {
    const { text } = composeMessage({ event: 'backup-failed', repository: 'a/b' });
    expect(text).not.toMatch(/^(Release|Run|URL|What happened):/m);
  });
});

describe('runUrlFromEnv', () => {
  it('links this run, and the attempt when it is a re-run', () => {
    const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'a/b', GITHUB_RUN_ID: '7' };
    expect(runUrlFromEnv(env)).toBe('https://github.com/a/b/actions/runs/7');
    expect(runUrlFromEnv({ ...env, GITHUB_RUN_ATTEMPT: '2' })).toBe(
      'https://github.com/a/b/actions/runs/7/attempts/2'
    );
    expect(runUrlFromEnv({})).toBeUndefined();
  });
});
