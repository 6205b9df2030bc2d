import type { DigitalOceanClient } from './client.js';
import { DigitalOceanError } from './client.js';
import { previewPrNumber } from './preview-spec.js';
import type { App } from './types.js';

/**
 * The preview apps of one repository on the account, found by the marker env every preview carries
 * (preview-spec.ts), and the two things done with them: refuse a new one past the cap, delete the ones whose PR
 * is closed. Deleting is idempotent, as app_action's delete with `ignore_not_found` (delete/main.go): an app that
 * is already gone (404) is fine.
 */
export interface LivePreview {
  app: App;
  prNumber: number;
}

export async function livePreviews(
  client: DigitalOceanClient,
  owner: string,
  repo: string
): Promise<LivePreview[]> {
  const previews: LivePreview[] = [];
  for (const app of await client.listApps()) {
    const prNumber = app.spec ? previewPrNumber(app.spec, owner, repo) : undefined;
    if (prNumber !== undefined) previews.push({ app, prNumber });
  }
  return previews.sort((a, b) => a.prNumber - b.prNumber);
}

/** Undefined when `prNumber` may have a preview; else the message the step fails with. */
export function previewCapRefusal(
  live: LivePreview[],
  prNumber: number,
  maxPreviews: number
): string | undefined {
  if (live.some(p => p.prNumber === prNumber)) return undefined; // an update of a live preview is never refused
  if (live.length < maxPreviews) return undefined;
  return (
    `No preview for PR #${prNumber}: ${live.length} previews are live, the cap (max-previews) is ${maxPreviews} ` +
    `(${live.map(p => `#${p.prNumber} ${p.app.spec.name}`).join(', ')}). Close or merge a pull request ` +
    '(its preview is deleted), or raise max-previews.'
  );
}

export type DeleteOutcome = { deleted: true; appId: string } | { deleted: false; reason: string };

/** DELETE /v2/apps/{id}; an app already deleted (404) is reported, not failed. */
export async function deleteApp(client: DigitalOceanClient, appId: string): Promise<DeleteOutcome> {
  try {
    await client.call('DELETE', `/v2/apps/${encodeURIComponent(appId)}`);
    return { deleted: true, appId };
  } catch (error) {
    if (error instanceof DigitalOceanError && error.status === 404)
      return { deleted: false, reason: `app ${appId} was already deleted` };
    throw error;
  }
}

/** Deletes the app named `name` if there is one. */
export async function deleteAppByName(client: DigitalOceanClient, name: string): Promise<DeleteOutcome> {
  const app = await client.findAppByName(name);
  if (!app) return { deleted: false, reason: `no app named ${name} (already deleted)` };
  return deleteApp(client, app.id);
}

export interface SweepResult {
  deleted: LivePreview[];
  kept: LivePreview[];
}

/** Deletes every preview of the repository whose PR is not open. */
export async function sweepPreviews(
  client: DigitalOceanClient,
  owner: string,
  repo: string,
  openPrs: ReadonlySet<number>
): Promise<SweepResult> {
  const result: SweepResult = { deleted: [], kept: [] };
  for (const preview of await livePreviews(client, owner, repo)) {
    if (openPrs.has(preview.prNumber)) {
      result.kept.push(preview);
      continue;
    }
    await deleteApp(client, preview.app.id);
    result.deleted.push(preview);
  }
  return result;
}
