// Shared set-up for the simulator tests: the real local stack (PostgreSQL for the app's /health database check,
// the OCI registry the simulator pulls image configs from), rehearsal images built with buildah, and small
// helpers to call the simulator's API the way a client would.
import { resolve } from 'node:path';
import { sharedPostgres, sharedRegistry } from '../../test-support/shared.js';
import {
  REPO_ROOT,
  startAppPlatformSimulator,
  type Simulator,
  type SimulatorOptions
} from '../../test-support/app-platform-sim/index.js';
import { ImageBuilder, type PushedImage } from './image-builder.js';

export const EXAMPLE_APP_DIR = resolve(REPO_ROOT, 'examples', 'signupflow');

export interface Harness {
  sim: Simulator;
  images: Record<string, PushedImage>;
  databaseUrl: string;
  close(): Promise<void>;
}

/** Starts a simulator on the shared stack with images built for each `APP_VERSION` (plus extra build args). */
export async function startHarness(
  versions: Record<string, Record<string, string>>,
  opts: SimulatorOptions = {}
): Promise<Harness> {
  const [pg, registry] = await Promise.all([sharedPostgres(), sharedRegistry()]);
  const builder = new ImageBuilder(registry, EXAMPLE_APP_DIR);
  const images: Record<string, PushedImage> = {};
  try {
    for (const [version, args] of Object.entries(versions))
      images[version] = await builder.push('acme', 'signupflow', { APP_VERSION: version, ...args });
  } finally {
    builder.cleanup();
  }
  const sim = await startAppPlatformSimulator({
    appEnv: { DATABASE_URL: pg.url },
    registry,
    phaseDelayMs: 50,
    stopGraceMs: 5000,
    // the tests poll faster than a real client may; the rate limit has its own test
    rateLimit: { perMinute: 100_000, perHour: 1_000_000 },
    ...opts
  });
  return { sim, images, databaseUrl: pg.url, close: () => sim.stop() };
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function api<T = any>(
  sim: Pick<Simulator, 'url' | 'token'>,
  method: string,
  path: string,
  body?: unknown,
  opts: { token?: string | null; headers?: Record<string, string> } = {}
): Promise<ApiResponse<T>> {
  const token = opts.token === undefined ? sim.token : opts.token;
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: {
      ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...opts.headers
    },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (e.g. a 524 page): keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

const TERMINAL = ['ACTIVE', 'ERROR', 'CANCELED', 'SUPERSEDED'];

/** Polls a deployment until it ends; returns the distinct phases seen, in order, and the final object. */
export async function waitForDeployment(
  sim: Simulator,
  appId: string,
  depId: string,
  timeoutMs = 60_000
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ phases: string[]; deployment: any }> {
  const phases: string[] = [];
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await api(sim, 'GET', `/v2/apps/${appId}/deployments/${depId}`);
    if (r.status !== 200) throw new Error(`GET deployment: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    const phase = r.body.deployment.phase as string;
    if (phases[phases.length - 1] !== phase) phases.push(phase);
    if (TERMINAL.includes(phase)) return { phases, deployment: r.body.deployment };
    if (Date.now() > until) throw new Error(`deployment ${depId} still ${phase} after ${timeoutMs} ms`);
    await new Promise(res => setTimeout(res, 60));
  }
}

/** The SignUpFlow spec shape (examples/signupflow/.do/app.yaml, trimmed) pointing at `image`. */
export function appSpec(
  name: string,
  image: PushedImage['source'] | Record<string, unknown>,
  extra: Record<string, unknown> = {}
) {
  return {
    name,
    region: 'nyc',
    services: [
      {
        name: 'web',
        image,
        http_port: 8000,
        instance_count: 2,
        instance_size_slug: 'apps-s-1vcpu-1gb',
        health_check: {
          http_path: '/health',
          initial_delay_seconds: 0,
          period_seconds: 10,
          timeout_seconds: 5,
          failure_threshold: 3
        },
        envs: [
          { key: 'SECRET_KEY', type: 'SECRET', scope: 'RUN_TIME', value: 'not-a-real-secret' },
          { key: 'FEATURE_FLAG', scope: 'RUN_TIME', value: 'on' }
        ]
      }
    ],
    ...extra
  };
}

export async function health(liveUrl: string): Promise<{ status: number; version?: string }> {
  const res = await fetch(`${liveUrl}/health`);
  const body = (await res.json().catch(() => ({}))) as { version?: string };
  return { status: res.status, version: body.version };
}
