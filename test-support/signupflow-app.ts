// SignUpFlow (examples/signupflow) on the App Platform simulator, for the simulator tests, the workflow scenarios
// and the rehearsal alike: a simulator whose images are built with buildah and pushed to the local registry, the
// app's spec shape, and its /health answer. Servers are passed in (no test framework here: the rehearsal runs it).
import { resolve } from 'node:path';
import {
  REPO_ROOT,
  startAppPlatformSimulator,
  type Simulator,
  type SimulatorOptions
} from './app-platform-sim/index.js';
import { ImageBuilder, type PushedImage, type RegistryLike } from './image-builder.js';

export const EXAMPLE_APP_DIR = resolve(REPO_ROOT, 'examples', 'signupflow');

export interface SimulatorWithImages {
  sim: Simulator;
  images: Record<string, PushedImage>;
  databaseUrl: string;
  close(): Promise<void>;
}

/** A simulator on the given servers with images built for each `APP_VERSION` (plus extra build args). */
export async function startSimulatorWithImages(
  servers: { pg: { url: string }; registry: RegistryLike },
  versions: Record<string, Record<string, string>>,
  opts: SimulatorOptions = {}
): Promise<SimulatorWithImages> {
  const { pg, registry } = servers;
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

/** The app as DigitalOcean's API answers GET /v2/apps/{id} (the simulator's view), once its work has settled. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function appView(sim: Simulator, appId: string): Promise<any> {
  await sim.settle(appId);
  const res = await fetch(`${sim.url}/v2/apps/${appId}`, {
    headers: { authorization: `Bearer ${sim.token}` }
  });
  if (!res.ok) throw new Error(`GET /v2/apps/${appId}: HTTP ${res.status}`);
  return ((await res.json()) as { app: unknown }).app;
}
