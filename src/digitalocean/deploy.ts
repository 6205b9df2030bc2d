import { InputError } from '../kit/errors.js';
import type { DigitalOceanClient } from './client.js';
import { createApp } from './deploy-create.js';
import { rollbackApp } from './deploy-rollback.js';
import { DeployRun, type DeployHooks, type DeployOutcome, type DeployRequest } from './deploy-run.js';
import { updateApp } from './deploy-update.js';
import { findApp } from './find-app.js';
import { logImageEdit, replaceImage } from './image-edit.js';
import { applyImageVariables } from './image-variables.js';
import { loadSpecFile } from './spec-file.js';
import type { AppSpec } from './types.js';
import { pinAppVersion } from './version-env.js';

/**
 * The deploy-app-platform flow, free of the runner toolkit: find the app, build the spec to deploy (spec file or
 * the app's own, the image pinned, APP_VERSION pinned), then one mode: roll back, create, or update and follow.
 * A deployment that does not serve comes back as the outcome's `failure`; bad inputs and refused calls before
 * any deployment exists are thrown.
 */
export async function deploy(
  client: DigitalOceanClient,
  req: DeployRequest,
  hooks: DeployHooks
): Promise<DeployOutcome> {
  const run = new DeployRun(client, req, hooks);
  const fileSpec = req.specFile
    ? loadSpecFile(req.specFile, req.env, run.log, run.notes, { keep: req.keepPlaceholders })
    : undefined;
  const app = await findApp(client, req, fileSpec);
  if (app) run.set({ 'app-id': app.id, 'live-url': app.live_url || undefined });

  if (req.rollbackTo) {
    if (!app) throw new InputError('rollback-to', 'needs an existing app (app-id or app-name)');
    return rollbackApp(run, app, req.rollbackTo);
  }

  let base: AppSpec = fileSpec ?? app!.spec;
  if (!fileSpec) {
    // app_action applies IMAGE_DIGEST_<NAME>/IMAGE_TAG_<NAME> to an existing app's spec too.
    base = structuredClone(base);
    const pinned = applyImageVariables(base, req.env);
    if (pinned.length) run.log.info(`IMAGE_DIGEST_*/IMAGE_TAG_* set the image of ${pinned.join(', ')}`);
  }
  const edit = req.image ? replaceImage(base, req.component, req.image, req.registryCredentials) : undefined;
  // The release reports its commit in every setup: APP_VERSION (set by deploy.yml) pinned on the component.
  const spec = pinAppVersion(edit?.spec ?? base, edit, req.env.APP_VERSION);
  if (edit) logImageEdit(edit, run.log, run.notes);

  if (!app) return createApp(run, spec, edit);
  return updateApp(run, app, spec, { fromFile: !!fileSpec, edit });
}
