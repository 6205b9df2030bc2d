import { registerSecret } from '../kit/secrets.js';

/**
 * An incoming-webhook URL is a bearer credential: Slack (`/services/T…/B…/<token>`), Discord
 * (`/api/webhooks/<id>/<token>/slack`) and Mattermost (`/hooks/<id>`) carry it in the path. Besides the whole URL,
 * its path and every token-like segment (16+ characters) are masked, so a copy quoted piecewise or
 * percent-encoded (e.g. inside another tool's error) is masked too.
 */
export function registerWebhookSecrets(url: string): void {
  registerSecret(url);
  let path: string;
  try {
    const u = new URL(url);
    path = `${u.pathname}${u.search}`;
  } catch {
    path = url;
  }
  if (path.length > 1) registerSecret(path);
  for (const segment of path.split(/[/?&=]/)) if (segment.length >= 16) registerSecret(segment);
}
