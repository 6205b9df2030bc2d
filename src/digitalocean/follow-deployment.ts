import { cancellation } from '../kit/cancellation.js';
import { formatDuration } from '../kit/duration.js';
import { errorMessage } from '../kit/errors.js';
import { collectDeploymentLogs } from './deployment-logs.js';
import type { DeployMode, DeployOutcome, DeployRun } from './deploy-run.js';
import type { ImageEdit } from './image-edit.js';
import type { App } from './types.js';
import { waitForDeployment, type WaitResult } from './waiter.js';

/** Longest wait for the live URL of a newly created app once its deployment is ACTIVE. */
const LIVE_URL_WAIT_MS = 5 * 60_000;

/**
 * Follows the deployment a create or update started until it serves or fails, and decides the outcome: it
 * succeeded when it served (ACTIVE, or SUPERSEDED after going ACTIVE: waiter.ts); otherwise `failure` says why
 * (the phase, the failing step and its reason, or the timeout). Logs are fetched either way.
 */
export async function followDeployment(
  run: DeployRun,
  d: { appId: string; deploymentId: string; mode: DeployMode; appName: string; edit?: ImageEdit }
): Promise<DeployOutcome> {
  const { appId, deploymentId, mode, appName, edit } = d;
  const previous = () => run.outputs['previous-deployment-id'];
  // Cancelled (SIGINT) while waiting: the deployment would go ACTIVE with no health gate ever judging it, so
  // it is canceled; the previous deployment keeps serving and a rerun deploys again.
  const undo = cancellation.addUndo(
    `cancel deployment ${deploymentId} (never health-gated); ${previous() ?? 'the previous deployment'} keeps serving`,
    () => cancelUngated(run, appId, deploymentId)
  );
  let wait: WaitResult;
  try {
    wait = await waitForDeployment(run.client, appId, deploymentId, {
      pollIntervalMs: run.req.pollIntervalMs,
      timeoutMs: run.req.timeoutMs,
      cancelOnTimeout: run.req.cancelOnTimeout,
      logger: run.log,
      sleep: run.hooks.sleep,
      now: run.hooks.now
    });
  } catch (error) {
    if (cancellation.cancelled) throw error;
    undo.dismiss();
    return run.outcome({
      mode,
      success: false,
      failure: `Lost track of deployment ${deploymentId}: ${errorMessage(error)}`,
      appName,
      edit
    });
  }
  undo.dismiss();
  run.set({ phase: wait.phase });
  const success = wait.succeeded;
  if (success)
    // Cancelled from here on, the deployment serves already: say how to judge or undo it.
    cancellation.signal.addEventListener('abort', () =>
      cancellation.leave(
        `deployment ${deploymentId} is ACTIVE and was not health-gated: run the health gate, or roll back with ` +
          `deploy-app-platform rollback-to: ${previous() ?? 'previous'} (app-id ${appId})`
      )
    );
  if (success && wait.phase !== 'ACTIVE') {
    const msg = `Deployment ${deploymentId} went ACTIVE and was then superseded by a newer deployment (phase ${wait.phase}); the newer one now serves`;
    run.log.warning(msg);
    run.notes.push(msg);
  }
  const after = success
    ? await readLiveUrl(run, appId, mode === 'create')
    : await run.client.getApp(appId).catch(() => undefined);
  if (after) run.set({ app: JSON.stringify(after) });
  if (success && after) {
    run.set({ 'live-url': after.live_url || undefined });
    if (after.live_url)
      run.log.info(`App ${appName} is live at ${after.live_url} (${formatDuration(wait.elapsedMs)})`);
  }
  const failure = success ? undefined : describeFailure(deploymentId, wait, run.req.timeoutMs);
  const logFile = await collectDeploymentLogs(run, appId, deploymentId, success);
  return run.outcome({ mode, success, failure, appName, edit, wait, logFile });
}

/** The undo step of a cancelled wait: cancel, and if it had finished already, say what it became. */
async function cancelUngated(run: DeployRun, appId: string, deploymentId: string): Promise<void> {
  try {
    await run.client.cancelDeployment(appId, deploymentId);
    // deploy.yml's cleanup gate reads it: a canceled deployment never went live, there is nothing to judge.
    run.set({ phase: 'CANCELED' });
    return;
  } catch (error) {
    const d = await run.client.getDeployment(appId, deploymentId).catch(() => undefined);
    if (d?.phase) run.set({ phase: d.phase });
    if (d?.phase === 'ACTIVE')
      cancellation.leave(
        `deployment ${deploymentId} went ACTIVE before it could be canceled and was not health-gated: run the health gate, ` +
          `or roll back with deploy-app-platform rollback-to: ${run.outputs['previous-deployment-id'] ?? 'previous'} (app-id ${appId})`
      );
    else if (!d?.phase || !['ERROR', 'CANCELED', 'SUPERSEDED'].includes(d.phase)) throw error;
  }
}

/**
 * The app after its deployment. A first deployment can be ACTIVE before `live_url` is set (app_action polls
 * for it, deploy/main.go); only apps with an HTTP component ever get one (app_action #265: worker-only apps).
 */
async function readLiveUrl(run: DeployRun, appId: string, firstCreate: boolean): Promise<App> {
  let after = await run.client.getApp(appId);
  const http = (after.spec?.services ?? []).length > 0 || (after.spec?.static_sites ?? []).length > 0;
  const until = run.now() + Math.min(run.req.timeoutMs, LIVE_URL_WAIT_MS);
  while (firstCreate && !after.live_url && (http || !after.spec) && run.now() < until) {
    await run.sleep(run.req.pollIntervalMs);
    after = await run.client.getApp(appId);
  }
  return after;
}

/** The one line that says why a followed deployment did not serve. */
function describeFailure(deploymentId: string, wait: WaitResult, timeoutMs: number): string {
  const step = wait.failingStep;
  const where = step
    ? ` at step "${step.step}"${step.code ? ` [${step.code}]` : ''}${step.message ? `: ${step.message}` : ''}`
    : '';
  if (wait.timedOut)
    return `Deployment ${deploymentId} did not finish within ${formatDuration(timeoutMs)}${wait.canceled ? ' and was canceled' : ''} (phase ${wait.phase})${where}`;
  if (wait.phase === 'SUPERSEDED')
    return `Deployment ${deploymentId} was superseded by a newer deployment before it became active`;
  return `Deployment ${deploymentId} ended in phase ${wait.phase}${where}`;
}
