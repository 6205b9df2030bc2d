import type { DeployOutcome, DeployRun } from './deploy-run.js';
import { followDeployment } from './follow-deployment.js';
import type { ImageEdit } from './image-edit.js';
import { proposeSpec } from './propose.js';
import { findStartedDeployment, knownDeployments } from './started-deployment.js';
import type { App, AppSpec } from './types.js';

/**
 * An existing app: refused while pinned to a rollback, a spec file proposed first, then one PUT and the
 * deployment it started followed (never a second POST).
 */
export async function updateApp(
  run: DeployRun,
  app: App,
  spec: AppSpec,
  how: { fromFile: boolean; edit?: ImageEdit }
): Promise<DeployOutcome> {
  const name = app.spec?.name ?? app.id;
  if (app.pinned_deployment?.id) {
    throw new Error(
      `App ${name} (${app.id}) is pinned to rollback deployment ${app.pinned_deployment.id}: App Platform refuses new deployments until ` +
        `the rollback is committed (POST /v2/apps/${app.id}/rollback/commit, keeps the rolled-back version) or reverted ` +
        `(POST /v2/apps/${app.id}/rollback/revert, redeploys the spec from before the rollback)`
    );
  }
  const previous = app.active_deployment?.id;
  run.set({ 'previous-deployment-id': previous });
  if (how.fromFile) await proposeSpec(run, spec, app.id);

  const known = knownDeployments(app);
  const updated = await run.client.updateApp(app.id, spec, true, known);
  const deploymentId = await findStartedDeployment(run.client, updated, known);
  run.set({ 'deployment-id': deploymentId });
  run.log.info(
    `Deployment ${deploymentId} started for app ${name} (${app.id}); previous active deployment: ${previous ?? 'none'}`
  );
  return followDeployment(run, {
    appId: app.id,
    deploymentId,
    mode: how.fromFile ? 'spec-update' : 'image',
    appName: spec.name,
    edit: how.edit
  });
}
