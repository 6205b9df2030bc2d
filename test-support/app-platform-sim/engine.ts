// The simulated platform: apps, deployments and their lifecycle. A deployment walks DigitalOcean's phases
// (source: PENDING_BUILD -> BUILDING -> PENDING_DEPLOY -> DEPLOYING -> ACTIVE | ERROR | CANCELED; pre-built
// images only: PENDING_BUILD -> DEPLOYING -> ACTIVE, the published run in app_action #123), "pulls" its image
// from the local registry, starts the example app as a real process, waits for readiness and then switches
// the app's live URL proxy to it; the previous ACTIVE deployment becomes SUPERSEDED and its process is stopped.
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { dirname } from 'node:path';
import {
  freePort,
  runCommand,
  startAppProcess,
  waitUntilReady,
  type AppProcess,
  type HealthCheckSettings
} from './app-process.js';
import { componentEnv } from './app-env.js';
import type { DevDatabases } from './dev-databases.js';
import { ImagePullError, readImageConfig, type ImageConfig, type ImageSource } from './image-config.js';
import { startLiveProxy, type LiveProxy } from './proxy.js';
import { SecretVault } from './secrets.js';
import { buildStepTree, leafMatches, leaves, setLeafStatus, type ComponentRef, type Leaf } from './steps.js';
import {
  TERMINAL_PHASES,
  type AppSpec,
  type CauseType,
  type LogLine,
  type LogType,
  type Phase,
  type PlatformCauseType,
  type RegistryAccess,
  type Step,
  type StepReason,
  type UserActionName
} from './types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const now = () => new Date().toISOString();

export interface EngineOptions {
  exampleAppDir: string;
  python: string;
  appEnv: Record<string, string>;
  registry?: RegistryAccess;
  phaseDelayMs: number;
  /** Cap on a readiness probe period (the spec's period_seconds is honoured when shorter). */
  healthCheckPeriodMs: number;
  /** Upper bound on waiting for a component to become ready. */
  readyTimeoutMs: number;
  /** Grace given to a replaced process on SIGTERM before SIGKILL. */
  stopGraceMs: number;
  /** Longest a PRE_DEPLOY job may run. */
  jobTimeoutMs: number;
  /** Dev database components get their own database (dev-databases.ts); without it they bind to `appEnv`. */
  devDatabases?: DevDatabases;
}

export interface DeploymentState {
  id: string;
  appId: string;
  spec: AppSpec;
  phase: Phase;
  phaseUpdatedAt: string;
  createdAt: string;
  updatedAt: string;
  cause: string;
  causeType: CauseType;
  /** Absent for deployments the platform made by itself (autoscaling, maintenance...). */
  userAction?: UserActionName;
  clonedFrom?: string;
  previousDeploymentId?: string;
  steps: Step[];
  logs: Record<LogType, LogLine[]>;
  /** Unguessable part of the log URLs (real historic_urls are pre-signed object-store links). */
  logKey: string;
  processes: Map<string, AppProcess>;
  images: Map<string, ImageConfig>;
  abort: AbortController;
  failAt?: string;
  /** Test knob: stay this long in the first step matching `step` (a long phase without step changes). */
  hold?: { step: string; ms: number };
  /** Settles when the lifecycle is over (terminal phase reached). */
  done: Promise<void>;
}

export interface AppState {
  id: string;
  ownerUuid: string;
  projectId: string;
  spec: AppSpec;
  createdAt: string;
  updatedAt: string;
  proxy: LiveProxy;
  /** Newest first, as the API lists them. */
  deployments: DeploymentState[];
  activeId?: string;
  pinnedId?: string;
  /** The spec before an uncommitted rollback, restored by revert. */
  preRollbackSpec?: AppSpec;
  lastDeploymentActiveAt?: string;
}

class StepFailure extends Error {
  constructor(
    readonly leaf: Leaf,
    readonly reason: StepReason
  ) {
    super(reason.message);
  }
}

/** Reason codes the simulator uses for a failing step (DigitalOcean does not document its full list). */
export function reasonFor(path: string, detail?: string): StepReason {
  if (path.startsWith('build.'))
    return {
      code: 'BuildJobFailed',
      message: detail ?? 'Your build job failed. Review the build logs for details.'
    };
  if (path.endsWith('.wait'))
    return {
      code: 'DeployHealthChecksFailed',
      message: detail ?? 'Your deploy failed because your component did not pass its readiness health checks.'
    };
  if (path.endsWith('.deploy'))
    return {
      code: 'DeployContainerExitNonZero',
      message: detail ?? 'Your deploy failed because your container exited with a non-zero exit code.'
    };
  return { code: 'InternalError', message: detail ?? `The ${path} step failed.` };
}

export function componentsOf(spec: AppSpec): (ComponentRef & { spec: Obj })[] {
  const out: (ComponentRef & { spec: Obj })[] = [];
  const lists: [string, ComponentRef['kind']][] = [
    ['services', 'service'],
    ['workers', 'worker'],
    ['jobs', 'job'],
    ['static_sites', 'static_site']
  ];
  for (const [list, kind] of lists) {
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    for (const c of items)
      if (isObj(c))
        out.push({
          name: String(c.name),
          kind,
          spec: c,
          ...(kind === 'job' ? { jobKind: String(c.kind ?? 'UNSPECIFIED') } : {})
        });
  }
  return out;
}

export class Engine {
  readonly apps = new Map<string, AppState>();
  readonly vault = new SecretVault();
  private pendingFailures: string[] = [];
  private pendingHolds: { step: string; ms: number }[] = [];
  /** Platform deployments to create right after the next user deployment goes ACTIVE (test knob). */
  private pendingPlatform: PlatformCauseType[] = [];
  private stopped = false;

  constructor(readonly opts: EngineOptions) {}

  failNextDeploymentAt(stepName: string): void {
    this.pendingFailures.push(stepName);
  }

  holdNextDeploymentAt(step: string, ms: number): void {
    this.pendingHolds.push({ step, ms });
  }

  platformDeploymentAfterNextActive(cause: PlatformCauseType): void {
    this.pendingPlatform.push(cause);
  }

  /**
   * A deployment the platform creates by itself (godo DeploymentCauseDetailsType AUTOSCALED, MAINTENANCE,
   * UPDATE_DATABASE_TRUSTED_SOURCES): the app's current spec again, no user action. Which phases such a
   * deployment walks is not published; the simulator assumes the same path as any other (README).
   */
  platformDeploy(app: AppState, cause: PlatformCauseType): DeploymentState {
    return this.deploy(app, app.spec, PLATFORM_CAUSE_TEXT[cause], cause, undefined);
  }

  setPhaseDelay(ms: number): void {
    this.opts.phaseDelayMs = ms;
  }

  async createApp(spec: AppSpec, projectId?: string): Promise<AppState> {
    const app: AppState = {
      id: randomUUID(),
      ownerUuid: OWNER_UUID,
      projectId: projectId ?? PROJECT_ID,
      spec: this.vault.sealSpec(spec),
      createdAt: now(),
      updatedAt: now(),
      proxy: await startLiveProxy(),
      deployments: []
    };
    this.apps.set(app.id, app);
    return app;
  }

  findDeployment(app: AppState, id: string): DeploymentState | undefined {
    return app.deployments.find(d => d.id === id);
  }

  inProgress(app: AppState): DeploymentState | undefined {
    return app.deployments.find(d => !TERMINAL_PHASES.includes(d.phase));
  }

  active(app: AppState): DeploymentState | undefined {
    return app.activeId ? this.findDeployment(app, app.activeId) : undefined;
  }

  /** Starts a deployment of `spec` (already sealed); an older one still in progress is canceled. */
  deploy(
    app: AppState,
    spec: AppSpec,
    cause: string,
    causeType: CauseType,
    userAction: UserActionName | undefined,
    extra: { clonedFrom?: string; delayMs?: number } = {}
  ): DeploymentState {
    const older = this.inProgress(app);
    if (older) this.cancel(older, `superseded by a newer deployment`);
    const at = now();
    const dep: DeploymentState = {
      id: randomUUID(),
      appId: app.id,
      spec: structuredClone(spec),
      phase: 'PENDING_BUILD',
      phaseUpdatedAt: at,
      createdAt: at,
      updatedAt: at,
      cause,
      causeType,
      userAction,
      clonedFrom: extra.clonedFrom,
      previousDeploymentId: app.activeId,
      steps: buildStepTree(componentsOf(spec)),
      logs: { BUILD: [], DEPLOY: [], RUN: [] },
      logKey: randomBytes(16).toString('hex'),
      processes: new Map(),
      images: new Map(),
      abort: new AbortController(),
      failAt: this.pendingFailures.shift(),
      hold: this.pendingHolds.shift(),
      done: Promise.resolve()
    };
    app.deployments.unshift(dep);
    dep.done = this.run(app, dep, extra.delayMs).catch(err => {
      // A bug in the simulator itself must still end the deployment visibly.
      this.log(dep, 'DEPLOY', 'simulator', `internal error: ${(err as Error).message}`);
      this.setPhase(dep, 'ERROR');
    });
    return dep;
  }

  cancel(dep: DeploymentState, why = 'canceled by request'): void {
    if (TERMINAL_PHASES.includes(dep.phase)) return;
    const at = now();
    for (const l of leaves(dep.steps))
      if (l.step.status === 'RUNNING')
        setLeafStatus(l, 'ERROR', at, { code: 'DeploymentCanceled', message: `The deployment was ${why}.` });
    this.log(dep, 'DEPLOY', 'platform', `Deployment canceled: ${why}`);
    this.setPhase(dep, 'CANCELED');
    dep.abort.abort();
    void this.stopProcesses(dep);
  }

  private setPhase(dep: DeploymentState, phase: Phase): void {
    dep.phase = phase;
    dep.phaseUpdatedAt = now();
    dep.updatedAt = dep.phaseUpdatedAt;
  }

  log(dep: DeploymentState, type: LogType, component: string, text: string): void {
    dep.logs[type].push({ component, at: now(), text });
  }

  private async pause(dep: DeploymentState, ms = this.opts.phaseDelayMs): Promise<void> {
    if (ms > 0) await delay(ms, undefined, { signal: dep.abort.signal });
    if (dep.abort.signal.aborted) throw dep.abort.signal.reason;
  }

  private async runLeaf(
    dep: DeploymentState,
    path: string,
    work: (leaf: Leaf) => Promise<StepReason | void>
  ): Promise<void> {
    const leaf = leaves(dep.steps).find(l => l.path === path);
    if (!leaf) return;
    if (dep.abort.signal.aborted) throw dep.abort.signal.reason;
    setLeafStatus(leaf, 'RUNNING', now());
    dep.updatedAt = now();
    if (dep.hold && leafMatches(path, dep.hold.step)) {
      const { ms } = dep.hold;
      dep.hold = undefined;
      await this.pause(dep, ms);
    }
    if (dep.failAt && leafMatches(path, dep.failAt)) {
      const reason = reasonFor(path, undefined);
      throw new StepFailure(leaf, {
        ...reason,
        message: `${reason.message} (injected fault at step ${path})`
      });
    }
    const skipped = await work(leaf);
    if (dep.abort.signal.aborted) throw dep.abort.signal.reason;
    setLeafStatus(leaf, 'SUCCESS', now(), skipped ?? undefined);
    dep.updatedAt = now();
  }

  private async run(app: AppState, dep: DeploymentState, delayMs?: number): Promise<void> {
    const wait = () => this.pause(dep, delayMs);
    const comps = componentsOf(dep.spec);
    // app_action #123 (a published real run, 2 s polls) shows an image-only deployment going
    // PENDING_BUILD -> DEPLOYING -> ACTIVE: the build steps (PreBuiltImage) pass without a BUILDING or
    // PENDING_DEPLOY phase. Source builds keep the full path (OpenAPI phase enum; doctl #1071's dump).
    const prebuilt = comps.length > 0 && comps.every(c => isObj(c.spec.image));
    try {
      await wait();
      if (!prebuilt) this.setPhase(dep, 'BUILDING');
      await this.runLeaf(dep, 'build.initialize', async () => {
        this.log(dep, 'BUILD', 'platform', `Build started for deployment ${dep.id} (${dep.cause})`);
      });
      for (const c of comps) {
        await this.runLeaf(dep, `build.components.${c.name}`, async leaf => {
          const image = c.spec.image;
          if (isObj(image)) return this.pull(dep, c.name, image as ImageSource, leaf);
          this.log(
            dep,
            'BUILD',
            c.name,
            'source build simulated: the example app is run from its source directory'
          );
        });
      }
      await wait();
      if (!prebuilt) {
        this.setPhase(dep, 'PENDING_DEPLOY');
        await wait();
      }
      this.setPhase(dep, 'DEPLOYING');
      await this.runLeaf(dep, 'deploy.initialize', async () => {
        this.log(dep, 'DEPLOY', 'platform', `Deploying ${comps.length} component(s)`);
        await this.opts.devDatabases?.provision(app.id, dep.spec);
      });
      for (const c of comps.filter(x => x.jobKind === 'PRE_DEPLOY')) {
        await this.runLeaf(dep, `deploy.components.${c.name}.run`, async leaf => {
          const result = await this.runJob(app, dep, c.name, c.spec);
          if (result !== 0)
            throw new StepFailure(leaf, {
              code: 'PreDeployJobFailed',
              message: `Your deploy failed because the pre-deploy job ${c.name} exited with ${result}.`
            });
        });
      }
      for (const c of comps.filter(x => x.kind === 'service' || x.kind === 'worker')) {
        await this.runLeaf(dep, `deploy.components.${c.name}.deploy`, async () => {
          if (c.kind === 'service') await this.startComponent(app, dep, c.name, c.spec);
        });
        await this.runLeaf(dep, `deploy.components.${c.name}.wait`, async leaf => {
          if (c.kind !== 'service') return;
          const proc = dep.processes.get(c.name)!;
          const result = await waitUntilReady(proc, this.healthSettings(c.spec), dep.abort.signal, line =>
            this.log(dep, 'DEPLOY', c.name, line)
          );
          if (!result.ready)
            throw new StepFailure(
              leaf,
              reasonFor(leaf.path, `Your deploy failed: component ${c.name} ${result.reason}.`)
            );
          this.log(dep, 'DEPLOY', c.name, 'Component is ready');
        });
      }
      await this.runLeaf(dep, 'deploy.finalize', async () => {
        this.switchTraffic(app, dep);
      });
      this.setPhase(dep, 'ACTIVE');
      app.lastDeploymentActiveAt = now();
      const platform = dep.userAction ? this.pendingPlatform.shift() : undefined;
      if (platform && this.apps.has(app.id)) this.platformDeploy(app, platform);
    } catch (err) {
      if (dep.abort.signal.aborted || this.stopped) return; // canceled: cancel() already recorded it
      if (!(err instanceof StepFailure)) throw err;
      setLeafStatus(err.leaf, 'ERROR', now(), err.reason);
      const type: LogType = err.leaf.path.startsWith('build.') ? 'BUILD' : 'DEPLOY';
      this.log(
        dep,
        type,
        err.leaf.step.component_name ?? 'platform',
        `ERROR ${err.reason.code}: ${err.reason.message}`
      );
      // Torn down before the phase turns ERROR: whoever sees ERROR sees no process of it left.
      await this.stopProcesses(dep);
      this.setPhase(dep, 'ERROR');
    }
  }

  private async pull(
    dep: DeploymentState,
    component: string,
    image: ImageSource,
    leaf: Leaf
  ): Promise<StepReason> {
    let creds: { username: string; password: string } | undefined;
    if (image.registry_credentials) {
      const plain = this.vault.open(image.registry_credentials) ?? '';
      const colon = plain.indexOf(':');
      if (colon > 0) creds = { username: plain.slice(0, colon), password: plain.slice(colon + 1) };
    }
    try {
      this.log(
        dep,
        'BUILD',
        component,
        `Pulling image ${image.registry ?? ''}/${image.repository ?? ''} ${image.digest ?? image.tag ?? 'latest'}`
      );
      const config = await readImageConfig(this.opts.registry, image, creds);
      dep.images.set(component, config);
      this.log(dep, 'BUILD', component, `Pulled ${config.reference}`);
    } catch (err) {
      if (err instanceof ImagePullError)
        throw new StepFailure(leaf, { code: 'ImagePullFailed', message: err.message });
      throw err;
    }
    return {
      code: 'PreBuiltImage',
      message: 'Your build job was skipped because you specified a pre-built image.'
    };
  }

  private healthSettings(component: Obj): HealthCheckSettings {
    const hc = isObj(component.health_check) ? component.health_check : {};
    const num = (k: string, dflt: number) => (typeof hc[k] === 'number' ? (hc[k] as number) : dflt);
    const path =
      typeof hc.http_path === 'string' ? hc.http_path : typeof hc.path === 'string' ? hc.path : undefined;
    return {
      httpPath: path,
      // Scaled down: real seconds would make every test minutes long; the thresholds are kept as written.
      initialDelayMs: Math.min(num('initial_delay_seconds', 0) * 1000, this.opts.healthCheckPeriodMs * 4),
      periodMs: Math.min(num('period_seconds', 10) * 1000, this.opts.healthCheckPeriodMs),
      timeoutMs: Math.max(1000, num('timeout_seconds', 1) * 1000),
      successThreshold: num('success_threshold', 1),
      failureThreshold: num('failure_threshold', 9),
      deadlineMs: this.opts.readyTimeoutMs
    };
  }

  private envFor(
    app: AppState,
    dep: DeploymentState,
    component: string,
    spec: Obj,
    port: number
  ): Record<string, string> {
    const env = componentEnv({
      base: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', HOME: process.env.HOME ?? '/tmp' },
      imageEnv: dep.images.get(component)?.env ?? {},
      appEnv: this.opts.appEnv,
      builtins: {
        APP_URL: app.proxy.url,
        APP_DOMAIN: `127.0.0.1:${app.proxy.port}`,
        APP_ID: app.id,
        ...this.opts.devDatabases?.bindables(app.id)
      },
      appEnvs: dep.spec.envs,
      componentEnvs: spec.envs,
      open: v => this.vault.open(v)
    });
    // App Platform sets PORT to http_port; here it is the free port the process listens on.
    env.PORT = String(port);
    return env;
  }

  private async startComponent(app: AppState, dep: DeploymentState, name: string, spec: Obj): Promise<void> {
    const port = await freePort();
    // stop() or cancel() may have run while the port was found: start nothing they would not stop.
    if (dep.abort.signal.aborted) throw dep.abort.signal.reason;
    const env = this.envFor(app, dep, name, spec, port);
    this.log(
      dep,
      'DEPLOY',
      name,
      `Starting container (version ${env.APP_VERSION ?? 'unknown'}) on port ${port}`
    );
    const proc = startAppProcess({
      python: this.opts.python,
      cwd: this.opts.exampleAppDir,
      env,
      port,
      onLine: line => this.log(dep, dep.phase === 'ACTIVE' ? 'RUN' : 'DEPLOY', name, line)
    });
    dep.processes.set(name, proc);
  }

  /** Runs a job's run_command once (sh -c, cwd = the example app); resolves with 0 or what ended it. */
  private async runJob(
    app: AppState,
    dep: DeploymentState,
    name: string,
    spec: Obj
  ): Promise<number | string> {
    const env = this.envFor(app, dep, name, spec, 0);
    delete env.PORT;
    // The job's command (e.g. `alembic upgrade head`) must find the tools of the configured Python first.
    env.PATH = `${dirname(this.opts.python)}:${env.PATH}`;
    const command =
      typeof spec.run_command === 'string' && spec.run_command.trim() ? spec.run_command : 'true';
    this.log(dep, 'DEPLOY', name, `Running pre-deploy job: ${command}`);
    const code = await runCommand({
      command,
      cwd: this.opts.exampleAppDir,
      env,
      timeoutMs: this.opts.jobTimeoutMs,
      signal: dep.abort.signal,
      onLine: line => this.log(dep, 'DEPLOY', name, line)
    });
    this.log(dep, 'DEPLOY', name, `Job ${name} finished: ${code === 0 ? 'succeeded' : `failed (${code})`}`);
    return code;
  }

  /** Routes the live URL to the new deployment, supersedes the old one and stops its processes gracefully. */
  private switchTraffic(app: AppState, dep: DeploymentState): void {
    const routed = this.routedService(dep.spec);
    const proc = routed ? dep.processes.get(routed) : undefined;
    app.proxy.setTarget(proc?.port);
    const previous = this.active(app);
    app.activeId = dep.id;
    if (previous && previous.id !== dep.id) {
      this.setPhase(previous, 'SUPERSEDED');
      void this.stopProcesses(previous);
    }
    this.log(dep, 'DEPLOY', 'platform', `Traffic switched to deployment ${dep.id}`);
  }

  /** The service behind `/`: an ingress rule for prefix `/`, a legacy route `/`, else the first service. */
  routedService(spec: AppSpec): string | undefined {
    const services = componentsOf(spec).filter(c => c.kind === 'service');
    const ingress =
      isObj(spec.ingress) && Array.isArray(spec.ingress.rules) ? (spec.ingress.rules as Obj[]) : [];
    for (const r of ingress) {
      const prefix = isObj(r.match) && isObj(r.match.path) ? r.match.path.prefix : undefined;
      if (prefix === '/' && isObj(r.component) && typeof r.component.name === 'string')
        return r.component.name;
    }
    const byRoute = services.find(
      s => Array.isArray(s.spec.routes) && (s.spec.routes as Obj[]).some(r => r.path === '/')
    );
    return (byRoute ?? services[0])?.name;
  }

  async stopProcesses(dep: DeploymentState): Promise<void> {
    const procs = [...dep.processes.values()];
    await Promise.all(procs.map(p => p.stop(this.opts.stopGraceMs)));
  }

  async deleteApp(app: AppState): Promise<void> {
    this.apps.delete(app.id);
    for (const d of app.deployments)
      if (!TERMINAL_PHASES.includes(d.phase)) this.cancel(d, 'canceled because the app was deleted');
    await Promise.all(app.deployments.map(d => this.stopProcesses(d)));
    await app.proxy.close();
    await this.opts.devDatabases?.drop(app.id);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const app of this.apps.values()) for (const d of app.deployments) d.abort.abort();
    await Promise.all([...this.apps.values()].flatMap(a => a.deployments.map(d => this.stopProcesses(d))));
    await Promise.all([...this.apps.values()].map(a => a.proxy.close()));
    await this.opts.devDatabases?.dropAll();
  }
}

/** `cause` texts of platform deployments: the simulator's wording, DigitalOcean publishes none. */
const PLATFORM_CAUSE_TEXT: Record<PlatformCauseType, string> = {
  AUTOSCALED: 'autoscaling',
  MAINTENANCE: 'App Platform maintenance',
  UPDATE_DATABASE_TRUSTED_SOURCES: 'database trusted sources updated'
};

/** Fixed ids, so responses look like one account's. */
export const OWNER_UUID = 'a7f1c0de-5eed-4a11-9d00-0000000000a1';
export const PROJECT_ID = 'b8e2d1ef-6fee-4b22-8e11-0000000000b2';
