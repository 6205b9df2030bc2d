import { InputError, RemoteError } from '../kit/errors.js';
import type { Logger } from '../kit/log.js';
import type { DigitalOceanClient } from './client.js';
import { describeRelease } from './rollback-target.js';
import type { AppSpec } from './types.js';
import { stepCounts, waitForDeployment } from './waiter.js';

/**
 * What doctl users reach for when something is wrong, as modes of the deploy action (and the CLI): end a
 * pinned rollback either way, list deployments, print one deployment's logs, validate a spec without
 * deploying.
 */
export const OPERATIONS = [
  'rollback-commit',
  'rollback-revert',
  'list-deployments',
  'logs',
  'validate'
] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface OperationRequest {
  appId?: string;
  deploymentId?: string;
  spec?: AppSpec;
  pollIntervalMs: number;
  timeoutMs: number;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
  report: (outputs: Record<string, string | undefined>) => void;
}

/** What an operation did: the data its summary shows (digitalocean/summary.ts renders it). */
export type OperationReport =
  | { kind: 'nothing-to-do'; message: string }
  | { kind: 'rollback-committed'; app: string; deploymentId: string }
  | {
      kind: 'rollback-reverted';
      app: string;
      deploymentId: string;
      phase: string;
      succeeded: boolean;
      elapsedMs: number;
    }
  | { kind: 'deployments'; app: string; rows: string[][] }
  | { kind: 'logs'; app: string; deploymentId: string; found: boolean }
  | { kind: 'spec-valid'; lines: string[] }
  | { kind: 'spec-rejected'; message: string };

export interface OperationOutcome {
  success: boolean;
  failure?: string;
  report: OperationReport;
}

export async function runOperation(
  client: DigitalOceanClient,
  op: Operation,
  req: OperationRequest
): Promise<OperationOutcome> {
  const log = req.logger;
  if (op === 'validate') return validate();
  if (!req.appId) throw new InputError('app-id', `(or app-name) is required for mode ${op}`);
  const appId = req.appId;
  const app = await client.getApp(appId);
  req.report({ 'app-id': app.id, 'live-url': app.live_url || undefined });
  const name = app.spec?.name ?? app.id;

  switch (op) {
    case 'rollback-commit': {
      const pinned = app.pinned_deployment?.id;
      if (!pinned) return noop(`App ${name} is not pinned to a rollback: nothing to commit`);
      await client.commitRollback(appId);
      req.report({ 'deployment-id': pinned, phase: app.pinned_deployment?.phase });
      log.info(
        `Committed the rollback of app ${name}: deployment ${pinned} stays; new deployments are allowed again`
      );
      return { success: true, report: { kind: 'rollback-committed', app: name, deploymentId: pinned } };
    }
    case 'rollback-revert': {
      const pinned = app.pinned_deployment?.id;
      if (!pinned) return noop(`App ${name} is not pinned to a rollback: nothing to revert`);
      const dep = await client.revertRollback(appId);
      req.report({ 'deployment-id': dep.id, 'previous-deployment-id': pinned });
      log.info(
        `Reverting the rollback of app ${name}: deployment ${dep.id} redeploys the spec from before it`
      );
      const wait = await waitForDeployment(client, appId, dep.id, {
        pollIntervalMs: req.pollIntervalMs,
        timeoutMs: req.timeoutMs,
        logger: log,
        sleep: req.sleep
      });
      req.report({ phase: wait.phase });
      const success = wait.succeeded;
      const failure = success ? undefined : `The revert deployment ${dep.id} ended in phase ${wait.phase}`;
      return {
        success,
        failure,
        report: {
          kind: 'rollback-reverted',
          app: name,
          deploymentId: dep.id,
          phase: wait.phase,
          succeeded: success,
          elapsedMs: wait.elapsedMs
        }
      };
    }
    case 'list-deployments': {
      const { deployments } = await client.listDeploymentsPage(appId, 1, 20);
      const rows = deployments.map(d => [
        d.id,
        d.cause_details?.type ?? d.cause ?? '',
        d.phase ?? '',
        stepCounts(d),
        d.created_at ?? '',
        describeRelease(d)
      ]);
      for (const r of rows) log.info(r.join('  '));
      return { success: true, report: { kind: 'deployments', app: name, rows } };
    }
    case 'logs': {
      const id =
        req.deploymentId ??
        app.in_progress_deployment?.id ??
        app.pending_deployment?.id ??
        app.active_deployment?.id;
      if (!id) throw new InputError('deployment-id', `is required: app ${name} has no deployment`);
      let found = false;
      for (const type of ['BUILD', 'DEPLOY'] as const) {
        const text = await client.getDeploymentLogs(appId, id, undefined, type);
        if (!text?.trim()) {
          log.info(`No ${type} logs for deployment ${id}`);
          continue;
        }
        found = true;
        await log.group(`${type} logs of deployment ${id}`, async () => {
          for (const line of text.trimEnd().split('\n')) log.info(line);
        });
      }
      req.report({ 'deployment-id': id });
      return { success: true, report: { kind: 'logs', app: name, deploymentId: id, found } };
    }
  }

  function noop(message: string): OperationOutcome {
    log.info(message);
    return { success: true, report: { kind: 'nothing-to-do', message } };
  }

  async function validate(): Promise<OperationOutcome> {
    if (!req.spec) throw new InputError('app-spec', 'is required for mode validate');
    try {
      const p = await client.proposeApp(req.spec, req.appId);
      const lines = [
        `Spec of app '${req.spec.name}' is valid${req.appId ? ` for app ${req.appId}` : ''}`,
        p.app_cost !== undefined ? `App Platform estimates $${p.app_cost}/month` : undefined,
        !req.appId && p.app_name_available === false
          ? `the name is taken (suggestion: ${p.app_name_suggestion ?? 'none'})`
          : undefined
      ].filter((l): l is string => !!l);
      for (const l of lines) log.info(l);
      return { success: true, report: { kind: 'spec-valid', lines } };
    } catch (error) {
      if (
        error instanceof RemoteError &&
        error.status !== undefined &&
        error.status < 500 &&
        error.status !== 429
      )
        return {
          success: false,
          failure: `The app spec was rejected by App Platform: ${error.serverMessage ?? error.message}${error.requestId ? ` (request id ${error.requestId})` : ''}`,
          report: { kind: 'spec-rejected', message: error.serverMessage ?? error.message }
        };
      throw error;
    }
  }
}
