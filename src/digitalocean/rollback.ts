import { cancellation, type UndoStep } from '../kit/cancellation.js';
import { formatDuration } from '../kit/duration.js';
import { errorMessage } from '../kit/errors.js';
import type { Logger } from '../kit/log.js';
import type { DigitalOceanClient } from './client.js';
import { findPreviousRelease } from './rollback-target.js';
import { knownDeployments } from './started-deployment.js';
import type { Deployment, RollbackCondition } from './types.js';
import { waitForDeployment, type WaitResult } from './waiter.js';

/**
 * Manual rollback through App Platform's rollback API (validate → rollback → wait ACTIVE → commit), shared
 * by deploy-app-platform (`rollback-to`) and health-gate (automatic rollback). `rollBack` returns one value
 * for every outcome the API can give (refused, not ACTIVE, ACTIVE, committed); only API and network errors throw.
 */

const REFUSALS: Record<string, string> = {
  incompatible_phase:
    'the target deployment is not in a phase that can be rolled back to (it must have finished, e.g. ACTIVE or SUPERSEDED)',
  incompatible_result:
    'the target deployment did not succeed (failed or canceled), so it cannot be rolled back to',
  exceeded_revision_limit:
    "the target deployment is older than the app tier's rollback history allows; pick a newer one or upgrade the tier",
  app_pinned:
    'a rollback is already in progress and the app is pinned: commit it (POST /v2/apps/<app>/rollback/commit) or revert it (POST /v2/apps/<app>/rollback/revert) first',
  database_config_conflict:
    "the target deployment's database configuration differs from the current one; roll forward instead",
  region_conflict:
    "the target deployment ran in another region than the app's current region; roll forward instead",
  static_site_requires_rebuild:
    'warning: a static site in the target deployment has to be rebuilt, so the rollback is not an exact copy',
  image_source_missing_digest:
    'warning: an image in the target deployment is pinned by tag, not digest, so the rolled-back image may differ'
};

/** One line for every condition code DigitalOcean documents (and a generic line for any other). */
export function explainRollbackRefusal(code: string | undefined): string {
  return (code && REFUSALS[code]) ?? `App Platform refused the rollback${code ? ` (${code})` : ''}`;
}

/**
 * The exact ways out of a pinned app (App Platform refuses every new deployment until one is taken): the
 * deploy action's modes and the same call with curl.
 */
export function pinnedAppCommands(appId: string, apiUrl = 'https://api.digitalocean.com'): string {
  const api = apiUrl.replace(/\/+$/, '');
  const curl = (op: string) =>
    `curl -fsS -X POST -H "Authorization: Bearer $DIGITALOCEAN_TOKEN" ${api}/v2/apps/${appId}/rollback/${op}`;
  return (
    `keep the rolled-back version: deploy-app-platform with mode: rollback-commit and app-id: ${appId} (or ${curl('commit')}); ` +
    `go back to the release: mode: rollback-revert (or ${curl('revert')})`
  );
}

/** The one line of a refused rollback: the condition code explained and the server's own message. */
function refusalLine(
  code: string | undefined,
  serverMessage: string | undefined,
  targetDeploymentId: string
) {
  return (
    `Rollback to deployment ${targetDeploymentId} refused${code ? ` (${code})` : ''}: ${explainRollbackRefusal(code)}` +
    (serverMessage ? ` - App Platform says: ${serverMessage}` : '')
  );
}

export interface RollbackTarget {
  deploymentId: string;
  deployment: Deployment;
  /** The deployment active when we looked (what the rollback replaces). */
  activeDeploymentId?: string;
}

/**
 * `previous` = the newest earlier deployment of a different release that served traffic (see
 * rollback-target.ts). An id is looked up so a typo fails here, naming it, rather than in the rollback call.
 */
export async function resolveRollbackTarget(
  client: DigitalOceanClient,
  appId: string,
  target: 'previous' | string
): Promise<RollbackTarget> {
  const app = await client.getApp(appId);
  const activeDeploymentId = app.active_deployment?.id;
  if (target !== 'previous') {
    const deployment = await client.getDeployment(appId, target);
    return { deploymentId: deployment.id, deployment, activeDeploymentId };
  }
  const found = await findPreviousRelease(client, appId, activeDeploymentId);
  if (!found.deployment)
    throw new Error(
      `App ${appId} has no earlier deployment of another release that served traffic to roll back to ` +
        `(active: ${activeDeploymentId ?? 'none'}, ${found.scanned} deployments read)`
    );
  return { deploymentId: found.deployment.id, deployment: found.deployment, activeDeploymentId };
}

export interface RollbackOptions {
  pollIntervalMs: number;
  timeoutMs: number;
  logger: Logger;
  /** Runs once the rollback deployment is ACTIVE and before the commit (e.g. a health probe); throw to stop. */
  beforeCommit?: () => Promise<void>;
  /** Commit (unpin) when done; default true. False leaves the app pinned to the rollback. */
  commit?: boolean;
  /** For the commands printed when the app stays pinned. */
  apiUrl?: string;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** A rollback deployment was created: ACTIVE (maybe committed), or `failure` says why it did not get there. */
export interface RollbackResult {
  refused?: undefined;
  rollbackDeploymentId: string;
  targetDeploymentId: string;
  phase: string;
  committed: boolean;
  warnings: RollbackCondition[];
  wait: WaitResult;
  /**
   * With `commit: false`: the step that commits the rollback if the run is cancelled before its caller decides
   * (dismiss it once the caller has committed or chosen to leave the app pinned).
   */
  onCancel?: UndoStep;
  /** Set when the rollback deployment did not become ACTIVE (the app stays pinned to it). */
  failure?: string;
}

/** App Platform's validation refused the rollback: no rollback deployment exists. */
export interface RollbackRefusal {
  refused: true;
  failure: string;
  targetDeploymentId: string;
  code?: string;
  serverMessage?: string;
}

export type RollbackOutcome = RollbackResult | RollbackRefusal;

/**
 * validate → rollback → wait ACTIVE → (beforeCommit, commit). API and network errors throw; every outcome App
 * Platform decides is returned: refused, not ACTIVE (`failure`, the app pinned), ACTIVE, committed.
 */
export async function rollBack(
  client: DigitalOceanClient,
  appId: string,
  targetDeploymentId: string,
  opts: RollbackOptions
): Promise<RollbackOutcome> {
  const log = opts.logger;
  const validation = await client.validateRollback(appId, targetDeploymentId);
  if (!validation.valid) {
    const { code, message: serverMessage } = validation.error ?? {};
    return {
      refused: true,
      failure: refusalLine(code, serverMessage, targetDeploymentId),
      targetDeploymentId,
      code,
      serverMessage
    };
  }
  const warnings = validation.warnings ?? [];
  for (const w of warnings)
    log.warning(
      `Rollback to ${targetDeploymentId}: ${explainRollbackRefusal(w.code)}${w.message ? ` (${w.message})` : ''}`
    );

  const before = await client.getApp(appId);
  const deployment = await client.createRollback(appId, targetDeploymentId, false, knownDeployments(before));
  log.info(
    `Rolling back app ${appId} to deployment ${targetDeploymentId}: rollback deployment ${deployment.id}`
  );
  // Cancelled from here on, the app would stay pinned and refuse every later deploy (409). The release was
  // already judged bad, so the rollback is kept: committed (the previous release stays, the app is unpinned).
  const onCancel = cancellation.addUndo(
    `commit rollback deployment ${deployment.id} so app ${appId} is not left pinned`,
    async () => {
      try {
        await client.commitRollback(appId);
      } catch (error) {
        cancellation.leave(
          `app ${appId} stays pinned to rollback deployment ${deployment.id} (commit failed: ${errorMessage(error)}): ${pinnedAppCommands(appId, opts.apiUrl)}`
        );
      }
    }
  );
  let wait: WaitResult;
  try {
    wait = await waitForDeployment(client, appId, deployment.id, {
      pollIntervalMs: opts.pollIntervalMs,
      timeoutMs: opts.timeoutMs,
      logger: log,
      sleep: opts.sleep,
      now: opts.now
    });
  } catch (error) {
    if (!cancellation.cancelled) onCancel.dismiss();
    throw error;
  }
  const base = { rollbackDeploymentId: deployment.id, targetDeploymentId, phase: wait.phase, warnings, wait };
  if (wait.phase !== 'ACTIVE') {
    onCancel.dismiss();
    const why = wait.timedOut
      ? `did not finish within ${formatDuration(opts.timeoutMs)}`
      : `ended in phase ${wait.phase}`;
    const step = wait.failingStep
      ? ` at "${wait.failingStep.step}"${wait.failingStep.message ? `: ${wait.failingStep.message}` : ''}`
      : '';
    return {
      ...base,
      committed: false,
      failure: `Rollback deployment ${deployment.id} ${why}${step}. The app stays pinned to it: ${pinnedAppCommands(appId, opts.apiUrl)}`
    };
  }
  try {
    await opts.beforeCommit?.();
  } catch (error) {
    if (!cancellation.cancelled) onCancel.dismiss();
    throw error;
  }
  if (opts.commit === false) {
    log.info(
      `Rollback deployment ${deployment.id} is ACTIVE; the app stays pinned until the rollback is committed or reverted`
    );
    return { ...base, committed: false, onCancel };
  }
  onCancel.dismiss();
  await client.commitRollback(appId);
  log.info(
    `Rollback to ${targetDeploymentId} committed (deployment ${deployment.id}, ${formatDuration(wait.elapsedMs)})`
  );
  return { ...base, committed: true };
}
