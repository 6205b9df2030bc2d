import type { UndoStep } from '../kit/cancellation.js';
import type { Logger } from '../kit/log.js';
import type { DigitalOceanClient } from '../digitalocean/client.js';
import { pinnedAppCommands, resolveRollbackTarget, rollBack } from '../digitalocean/rollback.js';

/**
 * What the gate needs from App Platform to undo a release. The gate is tested against fakes of this port
 * and the real adapter below is exercised against the App Platform simulator.
 */
export interface RollbackPort {
  /** `rollbackTo` undefined: the deployment that was active before the current one. */
  resolveTarget(
    rollbackTo: string | undefined
  ): Promise<{ deploymentId: string; activeDeploymentId?: string }>;
  /** validate → rollback → wait ACTIVE; leaves the app pinned so the restored version is probed before commit. */
  rollback(targetDeploymentId: string): Promise<RollbackAttempt>;
  /** Makes the rollback permanent (unpins the app). */
  commit(): Promise<void>;
  /**
   * The gate has decided: no commit on cancel any more. `pinnedTo`: the app stays pinned to that rollback
   * deployment, and the port says how to finish it.
   */
  settle?(pinnedTo: string | undefined): void;
}

/** What one rollback call did; `failure` set when it was refused or its deployment did not become ACTIVE. */
export interface RollbackAttempt {
  /** Undefined when App Platform refused before creating one. */
  rollbackDeploymentId?: string;
  warnings: string[];
  failure?: string;
}

export interface AppPlatformRollbackOptions {
  appId: string;
  pollIntervalMs: number;
  timeoutMs: number;
  logger: Logger;
  apiUrl?: string;
}

export function appPlatformRollback(client: DigitalOceanClient, o: AppPlatformRollbackOptions): RollbackPort {
  let onCancel: UndoStep | undefined;
  return {
    async resolveTarget(rollbackTo) {
      const t = await resolveRollbackTarget(client, o.appId, rollbackTo ?? 'previous');
      return { deploymentId: t.deploymentId, activeDeploymentId: t.activeDeploymentId };
    },
    async rollback(targetDeploymentId) {
      // commit: false, because the gate commits only after probing the restored version itself.
      const r = await rollBack(client, o.appId, targetDeploymentId, {
        pollIntervalMs: o.pollIntervalMs,
        timeoutMs: o.timeoutMs,
        logger: o.logger,
        apiUrl: o.apiUrl,
        commit: false
      });
      if (r.refused) return { warnings: [], failure: r.failure };
      onCancel = r.onCancel;
      return {
        rollbackDeploymentId: r.rollbackDeploymentId,
        warnings: r.warnings.map(w => w.code ?? w.message ?? ''),
        failure: r.failure
      };
    },
    commit: async () => {
      await client.commitRollback(o.appId);
      onCancel?.dismiss();
    },
    settle: pinnedTo => {
      onCancel?.dismiss();
      if (pinnedTo)
        o.logger.error(
          `App ${o.appId} stays pinned to rollback deployment ${pinnedTo}; App Platform refuses new deployments until it is committed or reverted: ${pinnedAppCommands(o.appId, o.apiUrl)}`
        );
    }
  };
}
