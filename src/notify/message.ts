import { redact } from '../kit/secrets.js';

/**
 * What a notification says. One message per event, Slack incoming-webhook JSON with only `text` (the common
 * denominator: Slack, Mattermost and Discord's `/slack` endpoints all render it; links stay plain URLs because the
 * three link syntaxes differ and every one of them auto-links a bare URL).
 */
export const NOTIFY_EVENTS = [
  'rollback',
  'outage',
  'deploy-failed',
  'backup-failed',
  'drill-failed',
  'preview-ready',
  'preview-failed'
] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

export const isNotifyEvent = (text: string): text is NotifyEvent =>
  (NOTIFY_EVENTS as readonly string[]).includes(text);

export interface NotificationFacts {
  event: NotifyEvent;
  /** owner/repo */
  repository: string;
  /** What shipped or was tried: an image digest ref, a commit, a backup id. */
  release?: string;
  /** The GitHub environment (staging, production) or the preview's name. */
  environment?: string;
  /** The workflow run, https://github.com/<repo>/actions/runs/<id>. */
  runUrl?: string;
  /** The app's URL (a preview's, or the live URL). */
  url?: string;
  /** One line from the step that failed (its error), shown as is after redaction. */
  details?: string;
  /** Overrides the default next step. */
  nextStep?: string;
}

export interface SlackMessage {
  text: string;
}

interface EventWording {
  headline: string;
  nextStep: string;
}

const WORDING: Record<NotifyEvent, EventWording> = {
  rollback: {
    headline: '↩️ Release rolled back: it failed the health gate',
    nextStep:
      'The previous version serves again. Read the health gate summary in the run, fix the release and push again.'
  },
  outage: {
    headline: '🚨 OUTAGE: the release is unhealthy and the rollback did not restore service',
    nextStep:
      'Act now: open the app in the DigitalOcean control panel, read its runtime logs and roll back by hand ' +
      '(the rollback workflow, rollback-to a known good deployment).'
  },
  'deploy-failed': {
    headline: '❌ Deploy failed',
    nextStep:
      'The previously active deployment keeps serving. Read the failing step of the run (build, migration or deploy logs), fix it and re-run.'
  },
  'backup-failed': {
    headline: '❌ Backup failed: there is no new backup',
    nextStep: 'Read the run log, fix the cause and re-run the backup workflow today.'
  },
  'drill-failed': {
    headline: '❌ Restore drill failed: the newest backup could not be restored and verified',
    nextStep:
      'Treat the backups as unproven: read the drill log, fix the cause, run a backup and the drill again.'
  },
  'preview-ready': {
    headline: '✅ Preview is up',
    nextStep: 'Review the change on the preview URL.'
  },
  'preview-failed': {
    headline: '❌ Preview failed',
    nextStep: 'Read the run log, push a fix to the pull request; the preview is redeployed on the next push.'
  }
};

/** Slack's control characters (`<!channel>`, `<url|x>`): escaped as Slack documents, so a value cannot ping. */
const escapeSlack = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const oneLine = (s: string) => s.replace(/\s*[\r\n]+\s*/g, ' ').trim();

/** The message for one event. Every value is redacted: a registered secret never reaches the webhook. */
export function composeMessage(f: NotificationFacts): SlackMessage {
  const wording = WORDING[f.event];
  const where = f.environment ? ` (${f.environment})` : '';
  const lines = [`${wording.headline} in ${f.repository}${where}`];
  const add = (label: string, value: string | undefined) => {
    if (value && value.trim()) lines.push(`${label}: ${oneLine(value)}`);
  };
  add('What happened', f.details);
  add('Release', f.release);
  add('URL', f.url);
  add('Run', f.runUrl);
  add('Next step', f.nextStep ?? wording.nextStep);
  return { text: escapeSlack(redact(lines.join('\n'))) };
}

/** The run's URL from the runner's environment (GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID/ATTEMPT). */
export function runUrlFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = env;
  if (!server || !repo || !id) return undefined;
  const attempt =
    env.GITHUB_RUN_ATTEMPT && env.GITHUB_RUN_ATTEMPT !== '1' ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : '';
  return `${server}/${repo}/actions/runs/${id}${attempt}`;
}
