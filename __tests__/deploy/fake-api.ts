/**
 * A small programmable stand-in for the App Platform API, for logic tests of the client, waiter, rollback
 * and deploy flow (the full simulator lives in test-support/app-platform-sim). Deployments advance one
 * scripted phase per GET, so a test controls exactly what each poll sees. Faults (429, 503, …) are queued.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: IncomingMessage['headers'];
}

export interface FakeResponse {
  status?: number;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

export type Handler = (req: FakeRequest) => FakeResponse | undefined | Promise<FakeResponse | undefined>;

export interface FakeServer {
  url: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

/** An HTTP server answering with `handler`; every request recorded. */
export async function startFakeServer(handler: Handler): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c as Buffer));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const u = new URL(req.url ?? '/', 'http://x');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const fr: FakeRequest = {
        method: req.method ?? 'GET',
        path: u.pathname,
        query: u.searchParams,
        body,
        headers: req.headers
      };
      requests.push(fr);
      Promise.resolve(handler(fr))
        .then(r => {
          const out = r ?? {
            status: 404,
            body: { id: 'not_found', message: 'The resource you requested could not be found.' }
          };
          const raw = out.raw ?? (out.body === undefined ? '' : JSON.stringify(out.body));
          res.writeHead(out.status ?? 200, {
            'content-type': 'application/json',
            'x-request-id': randomUUID(),
            ...out.headers
          });
          res.end(raw);
        })
        .catch((err: Error) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: 'server_error', message: err.message }));
        });
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>(resolve => server.close(() => resolve()))
  };
}

// ---- a scripted App Platform ----------------------------------------------------------------------------

type Obj = Record<string, unknown>;

export interface FakeDeployment {
  id: string;
  spec: Obj;
  phase: string;
  created_at: string;
  /** Phases still to come: one is taken per GET of this deployment. */
  script: string[];
  errorReason?: { code: string; message: string };
  cause?: string;
  logs?: Partial<Record<'BUILD' | 'DEPLOY', string>>;
}

export interface FakeApp {
  id: string;
  spec: Obj;
  live_url: string;
  deployments: FakeDeployment[];
  activeId?: string;
  pendingId?: string;
  pinnedId?: string;
}

export interface Fault {
  method?: string;
  /** Regular expression on the path. */
  path?: RegExp;
  response: FakeResponse;
}

let clock = Date.parse('2026-11-25T10:00:00Z');
const stamp = () => new Date((clock += 1000)).toISOString();

export class FakePlatform {
  apps = new Map<string, FakeApp>();
  faults: Fault[] = [];
  /** Phases a new deployment goes through, one per GET (the last is terminal). */
  nextScript: string[] = ['PENDING_BUILD', 'DEPLOYING', 'ACTIVE'];
  nextError?: { code: string; message: string };
  nextLogs?: FakeDeployment['logs'];
  server!: FakeServer;
  perPage?: number;

  async start(): Promise<this> {
    this.server = await startFakeServer(req => this.handle(req));
    return this;
  }

  get url(): string {
    return this.server.url;
  }

  get requests(): FakeRequest[] {
    return this.server.requests;
  }

  stop(): Promise<void> {
    return this.server.close();
  }

  /** An app with one ACTIVE deployment of `spec` (and `history` older SUPERSEDED ones). */
  addApp(spec: Obj, history = 1): FakeApp {
    const app: FakeApp = {
      id: randomUUID(),
      spec: structuredClone(spec),
      live_url: `https://${spec.name}.ondigitalocean.app`,
      deployments: []
    };
    for (let i = 0; i < history + 1; i++)
      app.deployments.unshift({
        id: randomUUID(),
        // Older deployments ran older releases (another digest), as a real history does.
        spec: i === history ? structuredClone(spec) : olderRelease(spec, i),
        phase: 'SUPERSEDED',
        created_at: stamp(),
        script: []
      });
    app.deployments[0]!.phase = 'ACTIVE';
    app.activeId = app.deployments[0]!.id;
    this.apps.set(app.id, app);
    return app;
  }

  fail(fault: Fault): void {
    this.faults.push(fault);
  }

  private newDeployment(
    app: FakeApp,
    cause: string,
    spec = app.spec,
    script = this.nextScript
  ): FakeDeployment {
    const d: FakeDeployment = {
      id: randomUUID(),
      spec: structuredClone(spec),
      phase: 'PENDING_BUILD',
      created_at: stamp(),
      script: [...script],
      errorReason: this.nextError,
      cause,
      logs: this.nextLogs
    };
    app.deployments.unshift(d);
    app.pendingId = d.id;
    return d;
  }

  private renderDeployment(d: FakeDeployment): Obj {
    const failed = d.phase === 'ERROR';
    // Only deployments that went ACTIVE are ever SUPERSEDED here, so their steps all succeeded.
    const done = d.phase === 'ACTIVE' || d.phase === 'SUPERSEDED';
    const deploying = d.phase === 'DEPLOYING';
    return {
      id: d.id,
      spec: d.spec,
      phase: d.phase,
      created_at: d.created_at,
      cause: d.cause,
      progress: {
        total_steps: 2,
        success_steps: done ? 2 : deploying || failed ? 1 : 0,
        error_steps: failed ? 1 : 0,
        steps: [
          { name: 'build', status: done || deploying || failed ? 'SUCCESS' : 'RUNNING' },
          {
            name: 'deploy',
            status: failed ? 'ERROR' : done ? 'SUCCESS' : deploying ? 'RUNNING' : 'PENDING',
            steps: [
              {
                name: 'web',
                component_name: 'web',
                message_base: 'Deploying service',
                status: failed ? 'ERROR' : done ? 'SUCCESS' : deploying ? 'RUNNING' : 'PENDING',
                ...(failed && d.errorReason ? { reason: d.errorReason } : {})
              }
            ]
          }
        ]
      }
    };
  }

  private renderApp(app: FakeApp): Obj {
    const dep = (id?: string) => {
      const d = app.deployments.find(x => x.id === id);
      return d ? this.renderDeployment(d) : undefined;
    };
    const pending = app.deployments.find(
      x => x.id === app.pendingId && !['ACTIVE', 'ERROR', 'CANCELED', 'SUPERSEDED'].includes(x.phase)
    );
    return {
      id: app.id,
      spec: app.spec,
      live_url: app.live_url,
      active_deployment: dep(app.activeId),
      pending_deployment: pending ? this.renderDeployment(pending) : undefined,
      pinned_deployment: dep(app.pinnedId)
    };
  }

  private advance(app: FakeApp, d: FakeDeployment): void {
    const next = d.script.shift();
    if (!next) return;
    d.phase = next;
    if (next === 'ACTIVE') {
      for (const other of app.deployments)
        if (other.phase === 'ACTIVE' && other !== d) other.phase = 'SUPERSEDED';
      app.activeId = d.id;
    }
  }

  private handle(req: FakeRequest): FakeResponse | undefined {
    const i = this.faults.findIndex(
      f => (!f.method || f.method === req.method) && (!f.path || f.path.test(req.path))
    );
    if (i >= 0) return this.faults.splice(i, 1)[0]!.response;
    const err = (status: number, id: string, message: string): FakeResponse => ({
      status,
      body: { id, message, request_id: randomUUID() }
    });
    const body = (req.body ?? {}) as Obj;
    const m = (re: RegExp) => re.exec(req.path);
    let r: RegExpExecArray | null;

    const logText = m(/^\/archive\/([^/]+)\/(BUILD|DEPLOY)$/);
    if (logText) {
      const d = [...this.apps.values()].flatMap(a => a.deployments).find(x => x.id === logText[1]);
      return { raw: d?.logs?.[logText[2] as 'BUILD'] ?? '', headers: { 'content-type': 'text/plain' } };
    }
    if (req.method === 'GET' && req.path === '/v2/apps') {
      const all = [...this.apps.values()];
      const per = this.perPage ?? Number(req.query.get('per_page') ?? 20);
      const page = Number(req.query.get('page') ?? 1);
      const next =
        page * per < all.length ? `${this.url}/v2/apps?page=${page + 1}&per_page=${per}` : undefined;
      return {
        body: {
          apps: all.slice((page - 1) * per, page * per).map(a => this.renderApp(a)),
          links: { pages: next ? { next } : {} },
          meta: { total: all.length }
        }
      };
    }
    if (req.method === 'POST' && req.path === '/v2/apps') {
      const spec = body.spec as Obj;
      const app: FakeApp = {
        id: randomUUID(),
        spec,
        live_url: `https://${spec.name}.ondigitalocean.app`,
        deployments: []
      };
      this.apps.set(app.id, app);
      this.newDeployment(app, 'app created');
      return { body: { app: this.renderApp(app) } };
    }
    if (req.method === 'POST' && req.path === '/v2/apps/propose') {
      const spec = body.spec as Obj;
      const taken = [...this.apps.values()].some(a => a.spec.name === spec.name && a.id !== body.app_id);
      return { body: { app_name_available: !taken, spec, app_cost: 5 } };
    }
    if ((r = m(/^\/v2\/apps\/([^/]+)(\/.*)?$/))) {
      const app = this.apps.get(r[1]!);
      if (!app) return err(404, 'not_found', 'The resource you requested could not be found.');
      const rest = r[2] ?? '';
      if (rest === '' && req.method === 'GET') return { body: { app: this.renderApp(app) } };
      if (rest === '' && req.method === 'PUT') {
        if (app.pinnedId) return err(409, 'conflict', 'app is pinned to a rollback deployment');
        app.spec = structuredClone(body.spec as Obj);
        this.newDeployment(app, 'app spec updated');
        return { body: { app: this.renderApp(app) } };
      }
      if (rest === '/deployments' && req.method === 'GET')
        return {
          body: {
            deployments: app.deployments.map(d => this.renderDeployment(d)),
            links: { pages: {} },
            meta: { total: app.deployments.length }
          }
        };
      if (rest === '/deployments' && req.method === 'POST') {
        if (app.pinnedId) return err(409, 'conflict', 'app is pinned to a rollback deployment');
        return { body: { deployment: this.renderDeployment(this.newDeployment(app, 'manual')) } };
      }
      if ((r = /^\/deployments\/([^/]+)(\/.*)?$/.exec(rest))) {
        const d = app.deployments.find(x => x.id === r![1]);
        if (!d) return err(404, 'not_found', 'The resource you requested could not be found.');
        const sub = r[2] ?? '';
        if (sub === '' && req.method === 'GET') {
          this.advance(app, d);
          return { body: { deployment: this.renderDeployment(d) } };
        }
        if (sub === '/cancel' && req.method === 'POST') {
          d.phase = 'CANCELED';
          d.script = [];
          return { body: { deployment: this.renderDeployment(d) } };
        }
        if (/^(\/components\/[^/]+)?\/logs$/.test(sub)) {
          const type = req.query.get('type') as 'BUILD' | 'DEPLOY';
          if (!d.logs?.[type]) return err(400, 'bad_request', `no ${type} logs for this deployment`);
          return { body: { historic_urls: [`${this.url}/archive/${d.id}/${type}`] } };
        }
      }
      if (rest === '/rollback/validate' || rest === '/rollback') {
        const target = app.deployments.find(x => x.id === body.deployment_id);
        let error: { code: string; message: string } | undefined;
        if (app.pinnedId) error = { code: 'app_pinned', message: 'app is pinned' };
        else if (!target || !['ACTIVE', 'SUPERSEDED'].includes(target.phase))
          error = {
            code: 'incompatible_result',
            message: `deployment result "failed" is unsuitable for rollback`
          };
        if (rest === '/rollback/validate') return { body: error ? { valid: false, error } : { valid: true } };
        if (error) return err(400, 'bad_request', error.message);
        const d = this.newDeployment(app, 'rollback', target!.spec);
        if (!body.skip_pin) app.pinnedId = d.id;
        return { body: { deployment: this.renderDeployment(d) } };
      }
      if (rest === '/rollback/commit' && req.method === 'POST') {
        if (!app.pinnedId) return err(400, 'bad_request', 'no rollback to commit');
        app.pinnedId = undefined;
        return { raw: '' };
      }
      if (rest === '/rollback/revert' && req.method === 'POST') {
        app.pinnedId = undefined;
        return { body: { deployment: this.renderDeployment(this.newDeployment(app, 'revert')) } };
      }
      if (rest === '/health' && req.method === 'GET')
        return {
          body: {
            app_health: {
              components: [{ name: 'web', state: 'HEALTHY', replicas_desired: 1, replicas_ready: 1 }]
            }
          }
        };
    }
    return undefined;
  }
}

/** The SignUpFlow-like spec the tests deploy: a service with a secret, a PRE_DEPLOY job, a database. */
function olderRelease(spec: Obj, i: number): Obj {
  const copy = structuredClone(spec) as { services?: { image?: { digest?: string } }[] };
  const image = copy.services?.[0]?.image;
  if (image?.digest) image.digest = `sha256:${String(i % 10).repeat(64)}`;
  return copy as Obj;
}

export function sampleSpec(name = 'signupflow'): Record<string, unknown> {
  return {
    name,
    region: 'nyc',
    features: ['buildpack-stack=ubuntu-22'],
    alerts: [{ rule: 'DEPLOYMENT_FAILED' }],
    envs: [{ key: 'APP_ENV', value: 'production', scope: 'RUN_TIME' }],
    services: [
      {
        name: 'web',
        http_port: 8000,
        instance_count: 1,
        instance_size_slug: 'apps-s-1vcpu-0.5gb',
        image: {
          registry_type: 'GHCR',
          registry: 'signupflow',
          repository: 'app',
          digest: `sha256:${'a'.repeat(64)}`,
          registry_credentials: 'EV[1:abc:def123]'
        },
        health_check: { http_path: '/health', period_seconds: 10 },
        envs: [
          { key: 'DATABASE_URL', value: '${db.DATABASE_URL}', scope: 'RUN_TIME' },
          { key: 'SECRET_KEY', value: 'EV[1:nonce:ciphertext]', type: 'SECRET', scope: 'RUN_TIME' }
        ],
        routes: [{ path: '/' }]
      }
    ],
    jobs: [
      {
        name: 'migrate',
        kind: 'PRE_DEPLOY',
        run_command: 'alembic upgrade head',
        image: {
          registry_type: 'GHCR',
          registry: 'signupflow',
          repository: 'app',
          digest: `sha256:${'a'.repeat(64)}`
        }
      }
    ],
    databases: [{ name: 'db', engine: 'PG', production: false }]
  };
}
