import type { UndoStep } from '../kit/cancellation.js';
import type { Logger } from '../kit/log.js';
import type { DigitalOceanClient } from '../digitalocean/client.js';
import { performRollback, resolveRollbackTarget } from '../digitalocean/rollback.js';

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
  rollback(targetDeploymentId: string): Promise<{ rollbackDeploymentId: string; warnings: string[] }>;
  /** Makes the rollback permanent (unpins the app). */
  commit(): Promise<void>;
  /** The gate has decided (committed, or leaves the app pinned and says how to finish): no commit on cancel. */
  settle?(): void;
}

/** A failed rollback that still created a rollback deployment (it did not become ACTIVE). */
export class RollbackFailedError extends Error {
  constructor(
    message: string,
    readonly rollbackDeploymentId?: string
  ) {
    super(message);
    this.name = 'RollbackFailedError';
  }
}

export interface DigitalOceanRollbackOptions {
  appId: string;
  pollIntervalMs: number;
  timeoutMs: number;
  logger: Logger;
  apiUrl?: string;
}

export function digitalOceanRollback(
  client: DigitalOceanClient,
  o: DigitalOceanRollbackOptions
): RollbackPort {
  let onCancel: UndoStep | undefined;
  return {
    async resolveTarget(rollbackTo) {
      const t = await resolveRollbackTarget(client, o.appId, rollbackTo ?? 'previous');
      return { deploymentId: t.deploymentId, activeDeploymentId: t.activeDeploymentId };
    },
    async rollback(targetDeploymentId) {
      try {
        // commit: false, because the gate commits only after probing the restored version itself.
        const r = await performRollback(client, o.appId, targetDeploymentId, {
          pollIntervalMs: o.pollIntervalMs,
          timeoutMs: o.timeoutMs,
          logger: o.logger,
          apiUrl: o.apiUrl,
          commit: false
        });
        onCancel = r.onCancel;
        return {
          rollbackDeploymentId: r.rollbackDeploymentId,
          warnings: r.warnings.map(w => w.code ?? w.message ?? '')
        };
      } catch (error) {
        const partial = (error as { result?: { rollbackDeploymentId?: string } }).result;
        if (partial?.rollbackDeploymentId && error instanceof Error)
          throw new RollbackFailedError(error.message, partial.rollbackDeploymentId);
        throw error;
      }
    },
    commit: async () => {
      await client.commitRollback(o.appId);
      onCancel?.dismiss();
    },
    settle: () => onCancel?.dismiss()
  };
}
