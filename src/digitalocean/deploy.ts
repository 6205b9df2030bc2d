import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cancellation } from '../kit/cancellation.js';
import { formatDuration } from '../kit/duration.js';
import { InputError, RemoteError, errorMessage } from '../kit/errors.js';
import type { Logger } from '../kit/log.js';
import { MIN_SECRET_LENGTH, redact, registerSecret } from '../kit/secrets.js';
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
  applyImageVariables,
  validateSpec,
  type PlaceholderOptions,
  type ImageEdit,
  type ImageRef
} from './spec.js';
import type { App, AppSpec } from './types.js';
import { findStartedDeployment, knownDeployments } from './started-deployment.js';
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
  /** The project a new app is created in. */
  projectId?: string;
  timeoutMs: number;
  pollIntervalMs: number;
  rollbackTo?: string;
  /** Cancel the deployment when `timeoutMs` passes (default true). */
  cancelOnTimeout?: boolean;
  printLogs: PrintLogs;
  /** Where the full logs file is written. */
  logDir: string;
  env: Record<string, string | undefined>;
  /** Unset placeholder names App Platform resolves itself (`keep-placeholders`); '*' keeps every unset one. */
  keepPlaceholders?: ReadonlySet<string> | '*';
}

export type DeployOutputs = {
  /** The app JSON after the deploy (app_action's `app` output), set on failure too. */
  app?: string;
  /** Each stage's log text (capped; the full text is in the log file). */
  'build-logs'?: string;
  'deploy-logs'?: string;
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

  const fileSpec = req.specFile
    ? loadSpecFile(req.specFile, req.env, log, notes, { keep: req.keepPlaceholders })
    : undefined;
  const app = await findApp(client, req, fileSpec);
  if (app) set({ 'app-id': app.id, 'live-url': app.live_url || undefined });

  if (req.rollbackTo) {
    if (!app) throw new InputError('rollback-to', 'needs an existing app (app-id or app-name)');
    return rollbackMode(app);
  }

  let base: AppSpec = fileSpec ?? app!.spec;
  if (!fileSpec) {
    // app_action applies IMAGE_DIGEST_<NAME>/IMAGE_TAG_<NAME> to an existing app's spec too.
    base = structuredClone(base);
    const pinned = applyImageVariables(base, req.env);
    if (pinned.length) log.info(`IMAGE_DIGEST_*/IMAGE_TAG_* set the image of ${pinned.join(', ')}`);
  }
  const edit = req.image ? replaceImage(base, req.component, req.image, req.registryCredentials) : undefined;
  // The release reports its commit in every setup: APP_VERSION (set by deploy.yml) pinned on the component.
  const spec = pinAppVersion(edit?.spec ?? base, edit, req.env.APP_VERSION);
  if (edit) {
    log.info(
      `Component ${edit.kind}/${edit.component}: ${describeImage(edit.before)} -> ${describeImage(edit.after)}`
    );
    if (edit.alsoPinned.length)
      log.info(`Same image pinned in ${edit.alsoPinned.join(', ')} (same repository)`);
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
      `App ${app.spec?.name ?? app.id} (${app.id}) is pinned to rollback deployment ${app.pinned_deployment.id}: App Platform refuses new deployments until ` +
        `the rollback is committed (POST /v2/apps/${app.id}/rollback/commit, keeps the rolled-back version) or reverted ` +
        `(POST /v2/apps/${app.id}/rollback/revert, redeploys the spec from before the rollback)`
    );
  }
  const previous = app.active_deployment?.id;
  set({ 'previous-deployment-id': previous });
  if (fileSpec) await propose(spec, app.id);

  const known = knownDeployments(app);
  const updated = await client.updateApp(app.id, spec, true, known);
  const deploymentId = await findStartedDeployment(client, updated, known);
  set({ 'deployment-id': deploymentId });
  log.info(
    `Deployment ${deploymentId} started for app ${app.spec?.name ?? app.id} (${app.id}); previous active deployment: ${previous ?? 'none'}`
  );
  return follow(app.id, deploymentId, fileSpec ? 'spec-update' : 'image', spec.name, edit);

  // ---- modes ------------------------------------------------------------------------------------------

  async function createMode(spec: AppSpec, edit: ImageEdit | undefined): Promise<DeployOutcome> {
    const proposal = await propose(spec);
    // godo encodes app_name_available with omitempty, so a Go server or proxy drops `false`: a suggestion
    // without the field means the name is taken too (doctl's propose fixture, integration/apps_test.go).
    const taken =
      proposal &&
      (proposal.app_name_available === false ||
        (proposal.app_name_available === undefined && !!proposal.app_name_suggestion));
    if (taken)
      throw new InputError(
        'app-spec',
        `names app '${spec.name}', which is taken${proposal.app_name_suggestion ? ` (suggestion: ${proposal.app_name_suggestion})` : ''}`
      );
    const created = await client.createApp(spec, req.projectId);
    set({ 'app-id': created.id });
    log.info(`Created app ${spec.name} (${created.id})`);
    const deploymentId = await findStartedDeployment(client, created, new Set());
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
      `Rolling back app ${app.spec?.name ?? app.id} from ${target.activeDeploymentId ?? 'none'} to deployment ${target.deploymentId}`
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
        appName: app.spec?.name ?? app.id,
        rollback: partial,
        wait: partial.wait
      });
    }
    set({ 'deployment-id': result.rollbackDeploymentId, phase: result.phase });
    const after = await client.getApp(app.id);
    set({ 'live-url': after.live_url || undefined, app: JSON.stringify(after) });
    return done({
      mode: 'rollback',
      success: true,
      appName: app.spec?.name ?? app.id,
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
    // Cancelled (SIGINT) while waiting: the deployment would go ACTIVE with no health gate ever judging it, so
    // it is canceled; the previous deployment keeps serving and a rerun deploys again.
    const undo = cancellation.addUndo(
      `cancel deployment ${deploymentId} (never health-gated); ${outputs['previous-deployment-id'] ?? 'the previous deployment'} keeps serving`,
      () => cancelUngated(appId, deploymentId)
    );
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
      if (cancellation.cancelled) throw error;
      undo.dismiss();
      return done({
        mode,
        success: false,
        failure: `Lost track of deployment ${deploymentId}: ${errorMessage(error)}`,
        appName,
        edit
      });
    }
    undo.dismiss();
    set({ phase: wait.phase });
    if (wait.succeeded)
      // Cancelled from here on, the deployment serves already: say how to judge or undo it.
      cancellation.signal.addEventListener('abort', () =>
        cancellation.leave(
          `deployment ${deploymentId} is ACTIVE and was not health-gated: run the health gate, or roll back with ` +
            `deploy-app-platform rollback-to: ${outputs['previous-deployment-id'] ?? 'previous'} (app-id ${appId})`
        )
      );
    const success = wait.succeeded;
    if (success && wait.phase !== 'ACTIVE') {
      const msg = `Deployment ${deploymentId} went ACTIVE and was then superseded by a newer deployment (phase ${wait.phase}); the newer one now serves`;
      log.warning(msg);
      notes.push(msg);
    }
    const after = success
      ? await readLiveUrl(appId, mode === 'create')
      : await client.getApp(appId).catch(() => undefined);
    if (after) set({ app: JSON.stringify(after) });
    if (success && after) {
      set({ 'live-url': after.live_url || undefined });
      if (after.live_url)
        log.info(`App ${appName} is live at ${after.live_url} (${formatDuration(wait.elapsedMs)})`);
    }
    const failure = success ? undefined : describeFailure(deploymentId, wait, req.timeoutMs);
    const logFile = await collectLogs(appId, deploymentId, success);
    return done({ mode, success, failure, appName, edit, wait, logFile });
  }

  /** The undo step of a cancelled wait: cancel, and if it had finished already, say what it became. */
  async function cancelUngated(appId: string, deploymentId: string): Promise<void> {
    try {
      await client.cancelDeployment(appId, deploymentId);
      // deploy.yml's cleanup gate reads it: a canceled deployment never went live, there is nothing to judge.
      set({ phase: 'CANCELED' });
      return;
    } catch (error) {
      const d = await client.getDeployment(appId, deploymentId).catch(() => undefined);
      if (d?.phase) set({ phase: d.phase });
      if (d?.phase === 'ACTIVE')
        cancellation.leave(
          `deployment ${deploymentId} went ACTIVE before it could be canceled and was not health-gated: run the health gate, ` +
            `or roll back with deploy-app-platform rollback-to: ${outputs['previous-deployment-id'] ?? 'previous'} (app-id ${appId})`
        );
      else if (!d?.phase || !['ERROR', 'CANCELED', 'SUPERSEDED'].includes(d.phase)) throw error;
    }
  }

  /**
   * The app after its deployment. A first deployment can be ACTIVE before `live_url` is set (app_action polls
   * for it, deploy/main.go); only apps with an HTTP component ever get one (app_action #265: worker-only apps).
   */
  async function readLiveUrl(appId: string, firstCreate: boolean): Promise<App> {
    let after = await client.getApp(appId);
    const http = (after.spec?.services ?? []).length > 0 || (after.spec?.static_sites ?? []).length > 0;
    const until = now() + Math.min(req.timeoutMs, LIVE_URL_WAIT_MS);
    while (firstCreate && !after.live_url && (http || !after.spec) && now() < until) {
      await (hooks.sleep ?? (ms => new Promise(r => setTimeout(r, ms))))(req.pollIntervalMs);
      after = await client.getApp(appId);
    }
    return after;
  }

  async function collectLogs(
    appId: string,
    deploymentId: string,
    success: boolean
  ): Promise<string | undefined> {
    if (req.printLogs === 'never') return undefined;
    // Fetched on success too, for the build-logs/deploy-logs outputs; printed only as print-logs says.
    const print = req.printLogs === 'always' || !success;
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
      set({ [type === 'BUILD' ? 'build-logs' : 'deploy-logs']: capOutput(text.trimEnd()) });
      if (!print) continue;
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
/** Outputs travel through $GITHUB_OUTPUT (never env vars: app_action #155), and a job's outputs share 1 MB. */
const OUTPUT_LOG_BYTES = 64 * 1024;

function capOutput(text: string): string {
  if (Buffer.byteLength(text) <= OUTPUT_LOG_BYTES) return text;
  const tail = Buffer.from(text).subarray(-OUTPUT_LOG_BYTES).toString('utf8');
  return `[first ${Buffer.byteLength(text) - OUTPUT_LOG_BYTES} bytes left out; the full log is in the log file]\n${tail.slice(tail.indexOf('\n') + 1)}`;
}
/** Longest wait for the live URL of a newly created app once its deployment is ACTIVE. */
const LIVE_URL_WAIT_MS = 5 * 60_000;

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

/** Variables whose values are image references or app-wide names, not secrets: never masked. */
const PUBLIC_VARIABLE = /^(IMAGE_(DIGEST|TAG)(_[A-Z0-9_]+)?|APP_(URL|DOMAIN|ID|VERSION))$/;
/** An image digest is a content address, not a secret. */
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * Reads a spec file: placeholders substituted strictly (every unset one named before any request), app_action's
 * IMAGE_DIGEST_<NAME>/IMAGE_TAG_<NAME> applied, every substituted value registered as a secret (a 4xx body
 * that echoes the spec must not print them), then validated locally. A substituted value is a secret, so the
 * kit's rule for secrets holds: one shorter than MIN_SECRET_LENGTH is refused, before any is registered.
 */
export function loadSpecFile(
  file: { path: string; text: string },
  env: Record<string, string | undefined>,
  log: Logger,
  notes: string[],
  opts: PlaceholderOptions = {}
): AppSpec {
  const parsed = parseSpecText(file.text);
  const { value, substituted, missing, kept } = substituteEnv(parsed, env, opts);
  if (missing.length)
    throw new InputError(
      'app-spec',
      `(${file.path}) uses ${missing.map(n => `\${${n}}`).join(', ')}, not set in the environment. Set ${missing.length > 1 ? 'them' : 'it'} ` +
        `(env: of the step), write $$ for a literal $, or list names App Platform resolves itself in keep-placeholders`
    );
  const secrets = [...substituted].filter(
    ([name, v]) => v !== '' && !PUBLIC_VARIABLE.test(name) && !DIGEST.test(v)
  );
  const short = secrets.filter(([, v]) => v.length < MIN_SECRET_LENGTH).map(([name]) => `\${${name}}`);
  if (short.length)
    throw new InputError(
      'app-spec',
      `(${file.path}) substitutes ${short.join(', ')} with ${short.length > 1 ? 'values' : 'a value'} shorter than ` +
        `${MIN_SECRET_LENGTH} characters: every substituted value is masked as a secret, and one that short cannot be ` +
        'masked in logs without also masking ordinary text; use a longer value, or write a value that is not secret ' +
        'into the spec itself'
    );
  for (const [, v] of secrets) registerSecret(v);
  if (substituted.size)
    log.info(
      `${file.path}: substituted ${[...substituted.keys()].map(n => `\${${n}}`).join(', ')} from the environment`
    );
  if (kept.length) {
    const msg = `${file.path}: ${kept.map(n => `\${${n}}`).join(', ')} left for App Platform to resolve`;
    log.info(msg);
    notes.push(msg);
  }
  const problems = validateSpec(value);
  if (problems.length)
    throw new InputError('app-spec', `(${file.path}) is invalid: ${formatProblems(problems)}`);
  const spec = value as AppSpec;
  const pinned = applyImageVariables(spec, env);
  if (pinned.length)
    log.info(`${file.path}: IMAGE_DIGEST_*/IMAGE_TAG_* set the image of ${pinned.join(', ')}`);
  return spec;
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
