import { InputError } from '../kit/errors.js';
import type { DeployOutcome, DeployRun } from './deploy-run.js';
import { resolveRollbackTarget, rollBack } from './rollback.js';
import type { App } from './types.js';

/**
 * `rollback-to`: the earlier deployment redeployed as it was (validate, roll back, wait, commit). A rollback
 * deployment that does not go ACTIVE is the outcome's failure, with what it left.
 */
export async function rollbackApp(run: DeployRun, app: App, rollbackTo: string): Promise<DeployOutcome> {
  if (run.req.image)
    throw new InputError(
      'rollback-to',
      'cannot be combined with image: a rollback redeploys an earlier deployment as it was'
    );
  const appName = app.spec?.name ?? app.id;
  const target = await resolveRollbackTarget(run.client, app.id, rollbackTo);
  run.set({ 'previous-deployment-id': target.activeDeploymentId });
  run.log.info(
    `Rolling back app ${appName} from ${target.activeDeploymentId ?? 'none'} to deployment ${target.deploymentId}`
  );
  const result = await rollBack(run.client, app.id, target.deploymentId, {
    pollIntervalMs: run.req.pollIntervalMs,
    timeoutMs: run.req.timeoutMs,
    logger: run.log,
    sleep: run.hooks.sleep,
    now: run.hooks.now
  });
  // Refused by App Platform's validation: no deployment exists, like the other refusals before one (pinned app).
  if (result.refused) throw new Error(result.failure);
  run.set({ 'deployment-id': result.rollbackDeploymentId, phase: result.wait.phase });
  if (result.failure !== undefined)
    return run.outcome({
      mode: 'rollback',
      success: false,
      failure: result.failure,
      appName,
      rollback: result,
      wait: result.wait
    });
  const after = await run.client.getApp(app.id);
  run.set({ 'live-url': after.live_url || undefined, app: JSON.stringify(after) });
  return run.outcome({ mode: 'rollback', success: true, appName, rollback: result, wait: result.wait });
}
