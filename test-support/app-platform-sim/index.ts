// App Platform simulator: DigitalOcean's App Platform API on loopback, running the example app per deployment.
// See README.md beside this file for options, fault injection and the differences from the real service.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiServer, type FaultState } from './api.js';
import { Engine, type AppState } from './engine.js';
import { revisionLimitOf } from './rollback.js';
import type { PlatformCauseType } from './types.js';
import { RateLimiter } from './rate-limit.js';
import { validateAppSpec } from './validate-spec.js';
import { appView } from './views.js';
import { databasesOf, type DatabasesState } from './databases.js';
import { DevDatabases } from './dev-databases.js';
import type { AppSpec, RecordedRequest, RegistryAccess } from './types.js';

export type { AppSpec, Phase, RecordedRequest, RegistryAccess, Step } from './types.js';
export type { AppState, DeploymentState } from './engine.js';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '..', '..');

export interface SimulatorOptions {
  /** Bearer token the API accepts (default: a random `dop_v1_` token). */
  token?: string;
  /** API port (default: a free one). */
  port?: number;
  /** The app run for every service (default <repo>/examples/signupflow). */
  exampleAppDir?: string;
  /** Environment given to every app process (e.g. DATABASE_URL of the test PostgreSQL). */
  appEnv?: Record<string, string>;
  /** The OCI registry standing in for GHCR/DOCR/Docker Hub; without it, image deployments fail to pull. */
  registry?: RegistryAccess;
  /** Time spent in each phase (default 200 ms). */
  phaseDelayMs?: number;
  rateLimit?: { perMinute?: number; perHour?: number };
  /** Python with fastapi/uvicorn (default /usr/bin/python3). */
  python?: string;
  /** Cap on the readiness probe period (default 250 ms; shorter spec periods are honoured). */
  healthCheckPeriodMs?: number;
  /** Longest wait for a component to become ready (default 30 s). */
  readyTimeoutMs?: number;
  /** SIGTERM grace for replaced processes before SIGKILL (default 10 s). */
  stopGraceMs?: number;
  /** Longest a PRE_DEPLOY job may run (default 120 s). */
  jobTimeoutMs?: number;
  /** How many newer live revisions a rollback target may be behind (default: the tier's, rollback.ts). */
  revisionLimit?: number;
  /** The apps' pricing tier (`tier_slug`, default `basic`); `starter` allows no rollback (limit 0). */
  tier?: string;
  /**
   * pending_deployment on GET: the latest non-canceled deployment, also after ACTIVE (default; godo PR #601:
   * "For GetApp and ListApps it will be set to the most recent non-cancelled deployment"), or `in-progress`
   * (the simulator's old habit: only while one is in progress).
   */
  pendingDeployment?: 'in-progress' | 'latest';
  /**
   * Log URLs: `live-or-historic` (default; OpenAPI apps_get_logs, godo/doctl fixtures: live_url while in
   * progress or ACTIVE, else historic_urls) or `both` (the old habit: both while live).
   */
  logUrls?: 'both' | 'live-or-historic';
  /** PostgreSQL URL whose user may CREATE DATABASE: each dev database component gets its own database there. */
  devDatabaseServer?: string;
}

export interface SimulatorFaults {
  /** The next `n` API requests answer `status` (500/503 with a DigitalOcean error body, 524 with Cloudflare's HTML). */
  failNext(n: number, status?: 500 | 503 | 524): void;
  /** The next `n` API requests answer 429 with `retry-after: <retryAfterSeconds>`. */
  rateLimitNext(n: number, retryAfterSeconds?: number): void;
  /** The next deployment created fails at the first step matching `stepName` (`wait`, `build`, `deploy.finalize`...). */
  failDeploymentAtStep(stepName: string): void;
  /** Time spent in each phase from now on. */
  slowPhases(ms: number): void;
  /** The next `n` API requests answer the hourly limit's 429: no retry-after, ratelimit-reset in `resetInSeconds`. */
  hourlyLimitNext(n: number, resetInSeconds?: number): void;
  /** historic_urls answer 302 to the archive from now on (or no longer, with false). */
  redirectLogArchives(on?: boolean): void;
  /** The next deployment created stays `ms` in the first step matching `stepName`, its phase unchanged. */
  holdDeploymentAtStep(stepName: string, ms: number): void;
  /** Once the next user deployment goes ACTIVE, the platform creates one with this cause (it supersedes it). */
  platformDeploymentAfterNextActive(cause: PlatformCauseType): void;
}

export interface Simulator {
  /** API base URL, e.g. http://127.0.0.1:PORT (use as `api-url`). */
  url: string;
  token: string;
  /** Every API request with its response, oldest first. */
  requests: RecordedRequest[];
  faults: SimulatorFaults;
  /** Creates an app whose first deployment is ACTIVE (and running) before this resolves. */
  seedApp(spec: AppSpec): Promise<Record<string, unknown>>;
  /** The app as GET /v2/apps/{id} would return it. */
  app(id: string): Record<string, unknown>;
  /** Live state, for assertions. */
  apps: Map<string, AppState>;
  /** Managed database clusters and their firewalls (databases.ts). */
  databases: DatabasesState;
  /** A deployment the platform creates by itself now (AUTOSCALED, MAINTENANCE, ...); resolves with its id. */
  platformDeploy(appId: string, cause: PlatformCauseType): string;
  /** Resolves when the app has no deployment in progress. */
  settle(appId: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startAppPlatformSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const token = opts.token ?? `dop_v1_sim${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
  const exampleAppDir = opts.exampleAppDir ?? resolve(REPO_ROOT, 'examples', 'signupflow');
  if (!existsSync(exampleAppDir))
    throw new Error(`App Platform simulator: exampleAppDir ${exampleAppDir} does not exist`);
  const engine = new Engine({
    exampleAppDir,
    python: opts.python ?? '/usr/bin/python3',
    appEnv: { ...(opts.appEnv ?? {}) },
    registry: opts.registry,
    phaseDelayMs: opts.phaseDelayMs ?? 200,
    healthCheckPeriodMs: opts.healthCheckPeriodMs ?? 250,
    readyTimeoutMs: opts.readyTimeoutMs ?? 30_000,
    stopGraceMs: opts.stopGraceMs ?? 10_000,
    jobTimeoutMs: opts.jobTimeoutMs ?? 120_000,
    devDatabases: opts.devDatabaseServer ? new DevDatabases(opts.devDatabaseServer) : undefined
  });
  const faultState: FaultState = {
    failNext: { remaining: 0, status: 503 },
    rateLimitNext: { remaining: 0, retryAfterSeconds: 1 },
    hourlyLimitNext: { remaining: 0, resetInSeconds: 2 },
    redirectLogArchives: false
  };
  const tier = opts.tier ?? 'basic';
  const views = { tier, pendingDeployment: opts.pendingDeployment ?? 'latest' } as const;
  const requests: RecordedRequest[] = [];
  let url = '';

  const settle = async (appId: string) => {
    const app = engine.apps.get(appId);
    if (!app) return;
    await Promise.all(app.deployments.map(d => d.done));
  };

  const seedApp = async (spec: AppSpec) => {
    validateAppSpec(spec);
    const app = await engine.createApp(spec);
    const dep = engine.deploy(app, app.spec, 'app created', 'MANUAL', 'UPDATE_SPEC', { delayMs: 0 });
    await dep.done;
    if (dep.phase !== 'ACTIVE') {
      const reason = JSON.stringify(
        dep.logs.DEPLOY.concat(dep.logs.BUILD)
          .slice(-5)
          .map(l => l.text)
      );
      throw new Error(`seedApp: the first deployment of ${spec.name} ended ${dep.phase}: ${reason}`);
    }
    return appView(app, views);
  };

  const faults: SimulatorFaults = {
    failNext: (n, status = 503) => {
      faultState.failNext = { remaining: n, status };
    },
    rateLimitNext: (n, retryAfterSeconds = 1) => {
      faultState.rateLimitNext = { remaining: n, retryAfterSeconds };
    },
    failDeploymentAtStep: step => engine.failNextDeploymentAt(step),
    slowPhases: ms => engine.setPhaseDelay(ms),
    hourlyLimitNext: (n, resetInSeconds = 2) => {
      faultState.hourlyLimitNext = { remaining: n, resetInSeconds };
    },
    redirectLogArchives: (on = true) => {
      faultState.redirectLogArchives = on;
    },
    holdDeploymentAtStep: (step, ms) => engine.holdNextDeploymentAt(step, ms),
    platformDeploymentAfterNextActive: cause => engine.platformDeploymentAfterNextActive(cause)
  };

  // /_sim/<command> for the standalone process (rehearsal scripts cannot call functions).
  const control = async (command: string, body: unknown): Promise<unknown> => {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (command === 'seed') return { app: await seedApp(b.spec as AppSpec) };
    if (command === 'faults') {
      if (b.failNext)
        faults.failNext(
          Number((b.failNext as { n: number }).n),
          (b.failNext as { status?: 500 | 503 | 524 }).status
        );
      if (b.rateLimitNext)
        faults.rateLimitNext(
          Number((b.rateLimitNext as { n: number }).n),
          (b.rateLimitNext as { retryAfterSeconds?: number }).retryAfterSeconds
        );
      if (typeof b.failDeploymentAtStep === 'string') faults.failDeploymentAtStep(b.failDeploymentAtStep);
      if (typeof b.slowPhases === 'number') faults.slowPhases(b.slowPhases);
      if (b.hourlyLimitNext)
        faults.hourlyLimitNext(
          Number((b.hourlyLimitNext as { n: number }).n),
          (b.hourlyLimitNext as { resetInSeconds?: number }).resetInSeconds
        );
      if (typeof b.redirectLogArchives === 'boolean') faults.redirectLogArchives(b.redirectLogArchives);
      const hold = b.holdDeploymentAtStep as { step?: unknown; ms?: unknown } | undefined;
      if (hold && typeof hold.step === 'string') faults.holdDeploymentAtStep(hold.step, Number(hold.ms));
      if (typeof b.platformDeploymentAfterNextActive === 'string')
        faults.platformDeploymentAfterNextActive(b.platformDeploymentAfterNextActive as PlatformCauseType);
      return { ok: true };
    }
    if (command === 'requests') return { requests };
    if (command === 'processes')
      return {
        processes: [...engine.apps.values()].flatMap(a =>
          a.deployments.flatMap(d =>
            [...d.processes.entries()]
              .filter(([, p]) => !p.hasExited())
              .map(([component, p]) => ({
                app_id: a.id,
                deployment_id: d.id,
                component,
                pid: p.pid,
                port: p.port
              }))
          )
        )
      };
    return undefined;
  };

  const server = createApiServer({
    engine,
    token,
    limiter: new RateLimiter(opts.rateLimit),
    faults: faultState,
    requests,
    revisionLimit: opts.revisionLimit ?? revisionLimitOf(tier),
    tier,
    views,
    logUrls: opts.logUrls ?? 'live-or-historic',
    baseUrl: () => url,
    control
  });
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(opts.port ?? 0, '127.0.0.1', () => res());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const closed = new Promise<void>(res => server.close(() => res()));
      server.closeAllConnections();
      await closed;
      await engine.stop();
    })());

  return {
    url,
    token,
    requests,
    faults,
    seedApp,
    app: id => {
      const app = engine.apps.get(id);
      if (!app) throw new Error(`no app ${id}`);
      return appView(app, views);
    },
    platformDeploy: (appId, cause) => {
      const app = engine.apps.get(appId);
      if (!app) throw new Error(`no app ${appId}`);
      return engine.platformDeploy(app, cause).id;
    },
    apps: engine.apps,
    databases: databasesOf(engine),
    settle,
    stop
  };
}
