/**
 * Glue for the preview and delete modes of deploy-app-platform (issue 16), kept apart from main.ts so the deploy
 * path stays as it was: `preview-pr` turns the app-spec file into that PR's preview spec (preview-spec.ts) and
 * applies the cap; `delete` removes an app, or every preview whose PR is no longer open.
 */
import { InputError } from '../../src/kit/errors.js';
import type { Inputs } from '../../src/kit/inputs.js';
import type { Logger } from '../../src/kit/log.js';
import type { DigitalOceanClient } from '../../src/digitalocean/client.js';
import { parseSpecText } from '../../src/digitalocean/spec-file.js';
import { previewAppName, previewSpec } from '../../src/digitalocean/preview-spec.js';
import {
  deleteApp,
  deleteAppByName,
  livePreviews,
  previewCapRefusal,
  sweepPreviews
} from '../../src/digitalocean/preview-apps.js';
import type { AppSpec } from '../../src/digitalocean/types.js';

export type DeleteMode = 'false' | 'true' | 'closed-previews';

export interface PreviewInputs {
  prNumber?: number;
  maxPreviews: number;
  deleteMode: DeleteMode;
  openPrs: Set<number>;
  owner: string;
  repo: string;
}

const prNumberOf = (text: string, input: string) => {
  if (!/^[1-9]\d*$/.test(text)) throw new InputError(input, `must be a pull request number, got '${text}'`);
  return Number(text);
};

export function readPreviewInputs(inputs: Inputs, env: NodeJS.ProcessEnv): PreviewInputs {
  const pr = inputs.string('preview-pr');
  const deleteMode = inputs.enumeration<DeleteMode>('delete', ['false', 'true', 'closed-previews'], 'false');
  const openPrs = new Set(inputs.list('open-prs').map(n => prNumberOf(n, 'open-prs')));
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const needsRepository = pr !== undefined || deleteMode === 'closed-previews';
  if (needsRepository && (!owner || !repo))
    throw new InputError('preview-pr', 'needs GITHUB_REPOSITORY (owner/repo) to name the preview');
  return {
    prNumber: pr === undefined ? undefined : prNumberOf(pr, 'preview-pr'),
    maxPreviews: inputs.integer('max-previews', { default: 5, min: 1, max: 100 }),
    deleteMode,
    openPrs,
    owner: owner ?? '',
    repo: repo ?? ''
  };
}

/** The spec file text of the PR's preview (JSON, which the YAML reader reads) and what changed. */
export function previewSpecFile(
  file: { path: string; text: string },
  p: PreviewInputs,
  headRef: string | undefined
): { file: { path: string; text: string }; changes: string[] } {
  const source = parseSpecText(file.text) as AppSpec;
  const { spec, changes } = previewSpec(source, {
    owner: p.owner,
    repo: p.repo,
    prNumber: p.prNumber!,
    headRef
  });
  return {
    file: { path: `${file.path} (preview of PR #${p.prNumber})`, text: JSON.stringify(spec) },
    changes
  };
}

/** Why no preview is made when the cap of live previews is reached (an update of a live one always passes). */
export async function previewCapRefusalFor(
  client: DigitalOceanClient,
  p: PreviewInputs
): Promise<string | undefined> {
  return previewCapRefusal(await livePreviews(client, p.owner, p.repo), p.prNumber!, p.maxPreviews);
}

/** The delete modes; returns the summary lines. */
export async function runDelete(
  client: DigitalOceanClient,
  p: PreviewInputs,
  target: { appId?: string; appName?: string },
  log: Logger
): Promise<{ lines: string[]; appId?: string }> {
  if (p.deleteMode === 'closed-previews') {
    const { deleted, kept } = await sweepPreviews(client, p.owner, p.repo, p.openPrs);
    const lines = [
      ...deleted.map(d => `Deleted preview ${d.app.spec.name} (${d.app.id}): PR #${d.prNumber} is not open`),
      ...kept.map(k => `Kept preview ${k.app.spec.name}: PR #${k.prNumber} is open`)
    ];
    if (lines.length === 0) lines.push(`No previews of ${p.owner}/${p.repo} are live`);
    for (const l of lines) log.info(l);
    return { lines };
  }
  const outcome = target.appId
    ? await deleteApp(client, target.appId)
    : await deleteAppByName(
        client,
        p.prNumber !== undefined ? previewAppName(p.owner, p.repo, p.prNumber) : target.appName!
      );
  const line = outcome.deleted ? `Deleted app ${outcome.appId}` : `Nothing to delete: ${outcome.reason}`;
  log.info(line);
  return { lines: [line], appId: outcome.deleted ? outcome.appId : target.appId };
}
