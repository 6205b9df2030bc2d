import { InputError } from '../kit/errors.js';
import type { DeployOutcome, DeployRun } from './deploy-run.js';
import { followDeployment } from './follow-deployment.js';
import type { ImageEdit } from './image-edit.js';
import { proposeSpec } from './propose.js';
import { findStartedDeployment } from './started-deployment.js';
import type { AppSpec } from './types.js';

/** No app of that name yet: propose the spec (the name must be free), create the app, follow its first deployment. */
export async function createApp(
  run: DeployRun,
  spec: AppSpec,
  edit: ImageEdit | undefined
): Promise<DeployOutcome> {
  const proposal = await proposeSpec(run, spec);
  // godo encodes app_name_available with omitempty, so a Go server or proxy drops `false`: a suggestion
  // without the field means the name is taken too (doctl's propose fixture, integration/apps_test.go).
  const taken =
    proposal.app_name_available === false ||
    (proposal.app_name_available === undefined && !!proposal.app_name_suggestion);
  if (taken)
    throw new InputError(
      'app-spec',
      `names app '${spec.name}', which is taken${proposal.app_name_suggestion ? ` (suggestion: ${proposal.app_name_suggestion})` : ''}`
    );
  const created = await run.client.createApp(spec, run.req.projectId);
  run.set({ 'app-id': created.id });
  run.log.info(`Created app ${spec.name} (${created.id})`);
  const deploymentId = await findStartedDeployment(run.client, created, new Set());
  run.set({ 'deployment-id': deploymentId });
  return followDeployment(run, { appId: created.id, deploymentId, mode: 'create', appName: spec.name, edit });
}
