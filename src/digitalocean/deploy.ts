import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDuration } from '../kit/duration.js';
import { InputError, RemoteError, errorMessage } from '../kit/errors.js';
import type { Logger } from '../kit/log.js';
import { redact } from '../kit/secrets.js';
import type { DigitalOceanClient } from './client.js';
import {
  performRollback,
  resolveRollbackTarget,
  RollbackDeploymentError,
  type RollbackResult
} from './rollback.js';
import {
  describeImage,
  formatProblems,
  parseSpecText,
  replaceImage,
  substituteEnv,
  validateSpec,
  type ImageEdit,
  type ImageRef
} from './spec.js';
import type { App, AppSpec } from './types.js';
import { waitForDeployment, type WaitResult } from './waiter.js';
import { pinAppVersion } from './version-env.js';

/**
 * The deploy-app-platform flow, free of the runner toolkit: find or create the app, pin the image, PUT,
 * follow `pending_deployment`, fetch logs on failure. Deployment failures come back as an outcome (so the
 * glue sets outputs before failing); bad inputs and API errors before any deployment exists are thrown.
 */

export type PrintLogs = 'on-failure' | 'always' | 'never';

export interface DeployRequest {
  appId?: string;
  appName?: string;
  /** The spec file: its path (for messages) and text. */
  specFile?: { path: string; text: string };
  component?: string;
  image?: ImageRef;
  registryCredentials?: string;
  timeoutMs: number;
  pollIntervalMs: number;
  rollbackTo?: string;
  /** Cancel the deployment when `timeoutMs` passes (default true). */
  cancelOnTimeout?: boolean;
  printLogs: PrintLogs;
  /** Where the full logs file is written. */
  logDir: string;
  env: Record<string, string | undefined>;
}

export type DeployOutputs = {
  'app-id'?: string;
  'deployment-id'?: string;
  'previous-deployment-id'?: string;
  phase?: string;
  'live-url'?: string;
};

export interface DeployOutcome {
  mode: 'image' | 'spec-update' | 'create' | 'rollback';
  success: boolean;
  /** One paragraph: why it failed. */
  failure?: string;
  appName?: string;
  outputs: DeployOutputs;
  edit?: ImageEdit;
  wait?: WaitResult;
  rollback?: RollbackResult;
  logFile?: string;
  notes: string[];
  durationMs: number;
}

export interface DeployHooks {
  logger: Logger;
  /** Called as soon as each output is known, so outputs exist even if a later call throws. */
  report: (outputs: DeployOutputs) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export async function deploy(
  client: DigitalOceanClient,
  req: DeployRequest,
  hooks: DeployHooks
): Promise<DeployOutcome> {
  const now = hooks.now ?? Date.now;
  const started = now();
  const log = hooks.logger;
  const outputs: DeployOutputs = {};
  const notes: string[] = [];
  const set = (o: DeployOutputs) => {
    Object.assign(outputs, o);
    hooks.report(o);
  };

  const fileSpec = req.specFile ? loadSpecFile(req.specFile, req.env, log, notes) : undefined;
  const app = await findApp(client, req, fileSpec);
  if (app) set({ 'app-id': app.id, 'live-url': app.live_url || undefined });

  if (req.rollbackTo) {
    if (!app) throw new InputError('rollback-to', 'needs an existing app (app-id or app-name)');
    return rollbackMode(app);
  }

  const base: AppSpec = fileSpec ?? app!.spec;
  const edit = req.image ? replaceImage(base, req.component, req.image, req.registryCredentials) : undefined;
  // The release reports its commit in every setup: APP_VERSION (set by deploy.yml) pinned on the component.
  const spec = pinAppVersion(edit?.spec ?? base, edit, req.env.APP_VERSION);
  if (edit) {
    log.info(
      `Component ${edit.kind}/${edit.component}: ${describeImage(edit.before)} -> ${describeImage(edit.after)}`
    );
    if (edit.sameRepository.length)
      log.warning(
        `Also using ${edit.after.repository} at another version, left unchanged: ${edit.sameRepository.join(', ')}`
      );
    if (edit.after.tag) {
      const msg = `Deploying by tag '${edit.after.tag}': a rollback to this deployment is not exact; prefer a digest (image@sha256:…)`;
      log.warning(msg);
      notes.push(msg);
    }
  }

  if (!app) return createMode(spec, edit);

  if (app.pinned_deployment?.id) {
    throw new Error(
      `App ${app.spec.name} (${app.id}) is pinned to rollback deployment ${app.pinned_deployment.id}: App Platform refuses new deployments until ` +
        `the rollback is committed (POST /v2/apps/${app.id}/rollback/commit, keeps the rolled-back version) or reverted ` +
        `(POST /v2/apps/${app.id}/rollback/revert, redeploys the spec from before the rollback)`
    );
  }
  const previous = app.active_deployment?.id;
  set({ 'previous-deployment-id': previous });
  if (fileSpec) await propose(spec, app.id);

  const updated = await client.updateApp(app.id, spec);
  let deploymentId = updated.pending_deployment?.id;
  if (!deploymentId) {
    // Nothing in the spec changed (e.g. the same digest again): ask for a deployment explicitly.
    log.info('The spec update started no deployment (nothing changed); creating one');
    deploymentId = (await client.createDeployment(app.id)).id;
  }
  set({ 'deployment-id': deploymentId });
  log.info(
    `Deployment ${deploymentId} started for app ${app.spec.name} (${app.id}); previous active deployment: ${previous ?? 'none'}`
  );
  return follow(app.id, deploymentId, fileSpec ? 'spec-update' : 'image', spec.name, edit);

  // ---- modes ------------------------------------------------------------------------------------------

  async function createMode(spec: AppSpec, edit: ImageEdit | undefined): Promise<DeployOutcome> {
    const proposal = await propose(spec);
    if (proposal && proposal.app_name_available === false)
      throw new InputError(
        'app-spec',
        `names app '${spec.name}', which is taken${proposal.app_name_suggestion ? ` (suggestion: ${proposal.app_name_suggestion})` : ''}`
      );
    const created = await client.createApp(spec);
    set({ 'app-id': created.id });
    log.info(`Created app ${spec.name} (${created.id})`);
    const deploymentId = created.pending_deployment?.id ?? (await client.createDeployment(created.id)).id;
    set({ 'deployment-id': deploymentId });
    return follow(created.id, deploymentId, 'create', spec.name, edit);
  }

  async function rollbackMode(app: App): Promise<DeployOutcome> {
    if (req.image)
      throw new InputError(
        'rollback-to',
        'cannot be combined with image: a rollback redeploys an earlier deployment as it was'
      );
    const target = await resolveRollbackTarget(client, app.id, req.rollbackTo!);
    set({ 'previous-deployment-id': target.activeDeploymentId });
    log.info(
      `Rolling back app ${app.spec.name} from ${target.activeDeploymentId ?? 'none'} to deployment ${target.deploymentId}`
    );
    let result: RollbackResult;
    try {
      result = await performRollback(client, app.id, target.deploymentId, {
        pollIntervalMs: req.pollIntervalMs,
        timeoutMs: req.timeoutMs,
        logger: log,
        sleep: hooks.sleep,
        now: hooks.now
      });
    } catch (error) {
      if (!(error instanceof RollbackDeploymentError)) throw error;
      const partial = error.result;
      set({ 'deployment-id': partial.rollbackDeploymentId, phase: partial.phase });
      return done({
        mode: 'rollback',
        success: false,
        failure: errorMessage(error),
        appName: app.spec.name,
        rollback: partial,
        wait: partial.wait
      });
    }
    set({ 'deployment-id': result.rollbackDeploymentId, phase: result.phase });
    const after = await client.getApp(app.id);
    set({ 'live-url': after.live_url || undefined });
    return done({
      mode: 'rollback',
      success: true,
      appName: app.spec.name,
      rollback: result,
      wait: result.wait
    });
  }

  async function follow(
    appId: string,
    deploymentId: string,
    mode: DeployOutcome['mode'],
    appName: string,
    edit?: ImageEdit
  ): Promise<DeployOutcome> {
    let wait: WaitResult;
    try {
      wait = await waitForDeployment(client, appId, deploymentId, {
        pollIntervalMs: req.pollIntervalMs,
        timeoutMs: req.timeoutMs,
        cancelOnTimeout: req.cancelOnTimeout,
        logger: log,
        sleep: hooks.sleep,
        now: hooks.now
      });
    } catch (error) {
      return done({
        mode,
        success: false,
        failure: `Lost track of deployment ${deploymentId}: ${errorMessage(error)}`,
        appName,
        edit
      });
    }
    set({ phase: wait.phase });
    const success = wait.phase === 'ACTIVE';
    if (success) {
      const after = await client.getApp(appId);
      set({ 'live-url': after.live_url || undefined });
      if (after.live_url)
        log.info(`App ${appName} is live at ${after.live_url} (${formatDuration(wait.elapsedMs)})`);
    }
    const failure = success ? undefined : describeFailure(deploymentId, wait, req.timeoutMs);
    const logFile = await collectLogs(appId, deploymentId, success);
    return done({ mode, success, failure, appName, edit, wait, logFile });
  }

  async function collectLogs(
    appId: string,
    deploymentId: string,
    success: boolean
  ): Promise<string | undefined> {
    if (req.printLogs === 'never' || (req.printLogs === 'on-failure' && success)) return undefined;
    const sections: string[] = [];
    for (const type of ['BUILD', 'DEPLOY'] as const) {
      let text: string | undefined;
      try {
        text = await client.getDeploymentLogs(appId, deploymentId, undefined, type);
      } catch (error) {
        log.warning(`Could not fetch ${type} logs: ${errorMessage(error)}`);
        continue;
      }
      if (text === undefined || text.trim() === '') {
        log.info(`No ${type} logs for deployment ${deploymentId} (stage skipped or not reached)`);
        continue;
      }
      sections.push(`===== ${type} logs, deployment ${deploymentId} =====\n${text.trimEnd()}\n`);
      const lines = text.trimEnd().split('\n');
      const tail = lines.slice(-TAIL_LINES);
      await log.group(
        `${type} logs${lines.length > TAIL_LINES ? ` (last ${TAIL_LINES} of ${lines.length} lines)` : ''}`,
        async () => {
          for (const line of tail) log.info(line);
        }
      );
    }
    if (!sections.length) return undefined;
    mkdirSync(req.logDir, { recursive: true });
    const file = join(req.logDir, `deploy-${deploymentId}.log`);
    writeFileSync(file, redact(sections.join('\n')));
    log.info(`Full logs: ${file}`);
    return file;
  }

  async function propose(spec: AppSpec, appId?: string) {
    try {
      const proposal = await client.proposeApp(spec, appId);
      if (proposal.app_cost !== undefined)
        notes.push(`App Platform estimates the app at $${proposal.app_cost}/month.`);
      return proposal;
    } catch (error) {
      if (
        error instanceof RemoteError &&
        error.status !== undefined &&
        error.status >= 400 &&
        error.status < 500 &&
        error.status !== 429
      )
        throw new InputError(
          'app-spec',
          `was rejected by App Platform (${error.call}): ${error.serverMessage ?? error.message}${error.requestId ? ` (request id ${error.requestId})` : ''}`
        );
      throw error;
    }
  }

  function done(o: Omit<DeployOutcome, 'outputs' | 'notes' | 'durationMs'>): DeployOutcome {
    return { ...o, outputs, notes, durationMs: now() - started };
  }
}

const TAIL_LINES = 40;

async function findApp(
  client: DigitalOceanClient,
  req: DeployRequest,
  fileSpec: AppSpec | undefined
): Promise<App | undefined> {
  if (req.appId) return client.getApp(req.appId);
  const name = req.appName ?? fileSpec?.name;
  if (!name) throw new InputError('app-id', 'or app-name (or an app-spec with a name) is required');
  const app = await client.findAppByName(name);
  if (!app && !fileSpec)
    throw new InputError('app-name', `'${name}': no such app; give app-spec to create it`);
  if (!app && fileSpec && fileSpec.name !== name)
    throw new InputError(
      'app-name',
      `'${name}' differs from the name in app-spec ('${fileSpec.name}'); the created app would be '${fileSpec.name}'`
    );
  return app;
}

function loadSpecFile(
  file: { path: string; text: string },
  env: Record<string, string | undefined>,
  log: Logger,
  notes: string[]
): AppSpec {
  const parsed = parseSpecText(file.text);
  const { value, substituted, unresolved } = substituteEnv(parsed, env);
  if (substituted.length)
    log.info(`${file.path}: substituted ${substituted.map(n => `\${${n}}`).join(', ')} from the environment`);
  if (unresolved.length) {
    const msg = `${file.path}: ${unresolved.map(n => `\${${n}}`).join(', ')} not set in the environment; left for App Platform to resolve`;
    log.warning(msg);
    notes.push(msg);
  }
  const problems = validateSpec(value);
  if (problems.length)
    throw new InputError('app-spec', `(${file.path}) is invalid: ${formatProblems(problems)}`);
  return value as AppSpec;
}

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
