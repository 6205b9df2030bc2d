// Shared set-up for the simulator tests: the real local stack (PostgreSQL for the app's /health database check,
// the OCI registry the simulator pulls image configs from), rehearsal images built with buildah, and small
// helpers to call the simulator's API the way a client would.
import { sharedPostgres, sharedRegistry } from '../../test-support/shared.js';
import type { Simulator, SimulatorOptions } from '../../test-support/app-platform-sim/index.js';
import { startSimulatorWithImages, type SimulatorWithImages } from '../../test-support/signupflow-app.js';

export { appSpec, EXAMPLE_APP_DIR, health } from '../../test-support/signupflow-app.js';

export type Harness = SimulatorWithImages;

/** Starts a simulator on the shared stack with images built for each `APP_VERSION` (plus extra build args). */
export async function startHarness(
  versions: Record<string, Record<string, string>>,
  opts: SimulatorOptions = {}
): Promise<Harness> {
  const [pg, registry] = await Promise.all([sharedPostgres(), sharedRegistry()]);
  return startSimulatorWithImages({ pg, registry }, versions, opts);
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
