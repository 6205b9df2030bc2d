// The HTTP face of the simulator: DigitalOcean's /v2/apps paths, bodies, status codes, error shapes
// ({id, message, request_id} + x-request-id), rate-limit headers and injected faults. Also serves the log
// archive URLs handed out as historic_urls/live_url, and a small /_sim control API for out-of-process use.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { probeOnce } from './app-process.js';
import { componentsOf, type AppState, type DeploymentState, type Engine } from './engine.js';
import type { RateLimiter } from './rate-limit.js';
import { handleLogUpgrade } from './live-logs.js';
import { followEnded, LOG_TYPES, renderLines, resolveLogUrl } from './logs.js';
import { validateRollback } from './rollback.js';
import { TERMINAL_PHASES, type AppSpec, type LogType, type RecordedRequest } from './types.js';
import { SpecError, validateAppSpec } from './validate-spec.js';
import { appView, deploymentView, type ViewOptions } from './views.js';
import { routeDatabases } from './databases.js';

export interface FaultState {
  failNext: { remaining: number; status: 500 | 503 | 524 };
  rateLimitNext: { remaining: number; retryAfterSeconds: number };
  /** 429s of an exhausted hourly quota: no retry-after, ratelimit-reset this many seconds ahead. */
  hourlyLimitNext: { remaining: number; resetInSeconds: number };
  /** historic_urls answer 302 to the archive (Go clients follow redirects; whether DO's do is unknown). */
  redirectLogArchives: boolean;
}

export interface ApiContext {
  engine: Engine;
  token: string;
  limiter: RateLimiter;
  faults: FaultState;
  requests: RecordedRequest[];
  /** The `exceeded_revision_limit` bound and the tier it is reported for. */
  revisionLimit: number;
  tier: string;
  views: ViewOptions;
  /**
   * `live-or-historic` (default, as DigitalOcean documents it): live_url while in progress or ACTIVE,
   * historic_urls once over (OpenAPI apps_get_logs: "either real-time … or archived"; godo apps_test.go and
   * doctl integration/apps_test.go answer live_url alone). `both`: the simulator's old habit, both together.
   */
  logUrls: 'both' | 'live-or-historic';
  baseUrl: () => string;
  /** Runs a control command from /_sim (seed, faults, requests, processes); undefined when unknown. */
  control: (command: string, body: unknown) => Promise<unknown>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string
  ) {
    super(message);
  }
}

const NOT_FOUND = 'The resource you requested could not be found.';
const notFound = () => new HttpError(404, 'not_found', NOT_FOUND);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Req {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  wantsYaml: boolean;
}

interface Reply {
  status: number;
  body?: unknown;
}

export function createApiServer(ctx: ApiContext): Server {
  const server = createServer((req, res) => {
    handle(ctx, req, res).catch(err => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'server_error', message: `simulator bug: ${(err as Error).message}` }));
    });
  });
  const followers = new Set<Duplex>();
  server.on('upgrade', (req, socket) => handleLogUpgrade(ctx.engine, req, socket, followers));
  server.on('close', () => {
    for (const s of followers) s.destroy();
  });
  return server;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function handle(ctx: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sim');
  if (url.pathname.startsWith('/sim-logs/')) return serveLogText(ctx, url, res);
  const requestId = randomUUID();
  const text = await readBody(req);
  const contentType = String(req.headers['content-type'] ?? '');
  let body: unknown;
  let unparsable = false;
  if (text.length > 0) {
    try {
      body = /yaml/.test(contentType) ? parseYaml(text) : JSON.parse(text);
    } catch {
      body = text;
      unparsable = true;
    }
  }
  const r: Req = {
    method: req.method ?? 'GET',
    path: url.pathname.replace(/\/+$/, '') || '/',
    query: url.searchParams,
    body,
    wantsYaml: /yaml/.test(String(req.headers.accept ?? ''))
  };
  const token = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1]?.trim();
  const headers: Record<string, string> = { 'x-request-id': requestId };
  // Only DigitalOcean's API is logged: the /_sim control calls are the test's own, not the client's.
  const record = (status: number, response: unknown) =>
    r.path.startsWith('/v2/') &&
    ctx.requests.push({
      method: r.method,
      path: r.path,
      query: Object.fromEntries(url.searchParams),
      body,
      status,
      response,
      requestId,
      at: new Date().toISOString()
    });
  const send = (status: number, payload: unknown, extra: Record<string, string> = {}) => {
    record(status, payload);
    const all = { ...headers, ...extra };
    if (payload === undefined) {
      res.writeHead(status, { ...all, 'content-length': '0' }).end();
    } else if (typeof payload === 'string') {
      res.writeHead(status, { ...all, 'content-type': 'text/html; charset=UTF-8' }).end(payload);
    } else if (r.wantsYaml && r.path === '/v2/apps' && status === 200) {
      res.writeHead(status, { ...all, 'content-type': 'application/yaml' }).end(stringifyYaml(payload));
    } else {
      res
        .writeHead(status, { ...all, 'content-type': 'application/json; charset=utf-8' })
        .end(JSON.stringify(payload));
    }
  };
  const sendError = (e: HttpError, extra: Record<string, string> = {}) =>
    send(e.status, { id: e.id, message: e.message, request_id: requestId }, extra);

  const isApi = r.path.startsWith('/v2/');
  const isControl = r.path.startsWith('/_sim/');
  if (!isApi && !isControl) return sendError(notFound());

  const quota = ctx.limiter.peek(token ?? 'anonymous');
  if (isApi && ctx.faults.rateLimitNext.remaining > 0) {
    ctx.faults.rateLimitNext.remaining--;
    return sendError(new HttpError(429, 'too_many_requests', 'API rate limit exceeded.'), {
      ...quota,
      'ratelimit-remaining': '0',
      'retry-after': String(ctx.faults.rateLimitNext.retryAfterSeconds)
    });
  }
  if (isApi && ctx.faults.hourlyLimitNext.remaining > 0) {
    ctx.faults.hourlyLimitNext.remaining--;
    // DigitalOcean adds Retry-After to the burst (per-minute) limit's 429 only (release note 2023-08-24):
    // the hourly one says when the oldest counted request expires, in ratelimit-reset (OpenAPI headers).
    return sendError(new HttpError(429, 'too_many_requests', 'API rate limit exceeded.'), {
      ...quota,
      'ratelimit-remaining': '0',
      'ratelimit-reset': String(Math.ceil(Date.now() / 1000) + ctx.faults.hourlyLimitNext.resetInSeconds)
    });
  }
  if (isApi && ctx.faults.failNext.remaining > 0) {
    ctx.faults.failNext.remaining--;
    const status = ctx.faults.failNext.status;
    // 524 comes from Cloudflare in front of the API: an HTML page, not a DigitalOcean error body.
    if (status === 524)
      return send(524, '<html><body><h1>Error 524</h1><p>A timeout occurred</p></body></html>', quota);
    const id = status === 503 ? 'service_unavailable' : 'server_error';
    const msg =
      status === 503
        ? 'The service is temporarily unavailable. Please try again.'
        : 'Server was unable to give you a response.';
    return sendError(new HttpError(status, id, msg), quota);
  }
  if (token !== ctx.token)
    return sendError(new HttpError(401, 'unauthorized', 'Unable to authenticate you'), quota);
  const decision = ctx.limiter.take(token);
  Object.assign(headers, decision.headers);
  if (decision.limited) return sendError(new HttpError(429, 'too_many_requests', 'API rate limit exceeded.'));
  if (unparsable)
    return sendError(new HttpError(400, 'bad_request', 'unable to parse the request body as JSON'));
  try {
    const reply = isControl ? await controlRoute(ctx, r) : await route(ctx, r);
    send(reply.status, reply.body);
  } catch (err) {
    if (err instanceof HttpError) return sendError(err);
    if (err instanceof SpecError) return sendError(new HttpError(422, 'unprocessable_entity', err.message));
    throw err;
  }
}

async function controlRoute(ctx: ApiContext, r: Req): Promise<Reply> {
  let body: unknown;
  try {
    body = await ctx.control(r.path.slice('/_sim/'.length), r.body);
  } catch (err) {
    if (err instanceof HttpError || err instanceof SpecError) throw err;
    // e.g. a seeded app whose first deployment did not go live: the caller's problem, said plainly
    throw new HttpError(400, 'bad_request', (err as Error).message);
  }
  if (body === undefined) throw notFound();
  return { status: 200, body };
}

function page<T>(ctx: ApiContext, r: Req, items: T[]): { items: T[]; links: Obj; meta: Obj } {
  const perPage = Math.min(200, Math.max(1, Number(r.query.get('per_page') ?? 20) || 20));
  const pageNo = Math.max(1, Number(r.query.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number) => {
    const q = new URLSearchParams(r.query);
    q.set('page', String(n));
    q.set('per_page', String(perPage));
    return `${ctx.baseUrl()}${r.path}?${q.toString()}`;
  };
  const pages: Obj = {};
  if (pageNo > 1) Object.assign(pages, { first: link(1), prev: link(Math.min(pageNo - 1, last)) });
  if (pageNo < last) Object.assign(pages, { next: link(pageNo + 1), last: link(last) });
  return {
    items: items.slice((pageNo - 1) * perPage, pageNo * perPage),
    links: { pages },
    meta: { total: items.length }
  };
}

function specFrom(body: unknown): AppSpec {
  if (!isObj(body) || body.spec === undefined) throw new HttpError(400, 'bad_request', 'spec is required');
  validateAppSpec(body.spec);
  return body.spec as AppSpec;
}

function requireApp(ctx: ApiContext, id: string): AppState {
  const app = ctx.engine.apps.get(id);
  if (!app) throw notFound();
  return app;
}

function requireDeployment(ctx: ApiContext, app: AppState, id: string): DeploymentState {
  const dep = ctx.engine.findDeployment(app, id);
  if (!dep) throw notFound();
  return dep;
}

function refuseWhilePinned(app: AppState): void {
  if (app.pinnedId)
    throw new HttpError(
      409,
      'conflict',
      `app is pinned to rollback deployment ${app.pinnedId}; commit or revert the rollback before creating a new deployment`
    );
}

function nameTaken(ctx: ApiContext, name: string, exceptId?: string): boolean {
  return [...ctx.engine.apps.values()].some(a => a.spec.name === name && a.id !== exceptId);
}

async function route(ctx: ApiContext, r: Req): Promise<Reply> {
  const seg = r.path.split('/').slice(1); // ['v2', 'apps', ...]
  if (seg[0] === 'v2' && seg[1] === 'databases')
    return routeDatabases(ctx.engine, r, (s, id, m) => new HttpError(s, id, m));
  if (seg[0] !== 'v2' || seg[1] !== 'apps') throw notFound();
  const [, , appId, sub, subId, action, component, componentAction] = seg;
  const { engine } = ctx;
  const m = r.method;

  if (appId === undefined) {
    if (m === 'GET') {
      const all = [...engine.apps.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      const p = page(ctx, r, all);
      return {
        status: 200,
        body: { apps: p.items.map(a => appView(a, ctx.views)), links: p.links, meta: p.meta }
      };
    }
    if (m === 'POST') {
      const spec = specFrom(r.body);
      if (nameTaken(ctx, spec.name))
        throw new HttpError(409, 'conflict', `an app with the name "${spec.name}" already exists`);
      const app = await engine.createApp(
        spec,
        isObj(r.body) && typeof r.body.project_id === 'string' ? r.body.project_id : undefined
      );
      engine.deploy(app, app.spec, 'app created', 'MANUAL', 'UPDATE_SPEC');
      return { status: 200, body: { app: appView(app, ctx.views) } };
    }
    throw methodNotAllowed();
  }

  if (appId === 'propose' && sub === undefined) {
    if (m !== 'POST') throw methodNotAllowed();
    const spec = specFrom(r.body);
    const exceptId = isObj(r.body) && typeof r.body.app_id === 'string' ? r.body.app_id : undefined;
    const available = !nameTaken(ctx, spec.name, exceptId);
    const services = Array.isArray(spec.services) ? spec.services.length : 0;
    return {
      status: 200,
      body: {
        app_name_available: available,
        ...(available
          ? {}
          : { app_name_suggestion: `${spec.name.slice(0, 26)}-${Math.floor(Math.random() * 1e4)}` }),
        app_is_static: services === 0 && Array.isArray(spec.static_sites),
        spec,
        app_cost: 5 * Math.max(1, services)
      }
    };
  }

  const app = requireApp(ctx, appId);

  if (sub === undefined) {
    if (m === 'GET') return { status: 200, body: { app: appView(app, ctx.views) } };
    if (m === 'PUT') {
      const spec = specFrom(r.body);
      refuseWhilePinned(app);
      if (spec.name !== app.spec.name && nameTaken(ctx, spec.name, app.id))
        throw new HttpError(409, 'conflict', `an app with the name "${spec.name}" already exists`);
      app.spec = engine.vault.sealSpec(spec);
      app.updatedAt = new Date().toISOString();
      engine.deploy(app, app.spec, 'app spec updated', 'MANUAL', 'UPDATE_SPEC');
      return { status: 200, body: { app: appView(app, ctx.views) } };
    }
    if (m === 'DELETE') {
      await engine.deleteApp(app);
      return { status: 200, body: { id: app.id } };
    }
    throw methodNotAllowed();
  }

  if (sub === 'health' && subId === undefined && m === 'GET')
    return { status: 200, body: await healthOf(ctx, app) };

  if (sub === 'deployments') {
    if (subId === undefined) {
      if (m === 'GET') {
        const types = r.query.getAll('deployment_types');
        const list =
          types.length > 0 ? app.deployments.filter(d => types.includes(d.causeType)) : app.deployments;
        const p = page(ctx, r, list);
        return {
          status: 200,
          body: { deployments: p.items.map(d => deploymentView(d, ctx.views)), links: p.links, meta: p.meta }
        };
      }
      if (m === 'POST') {
        refuseWhilePinned(app);
        const dep = engine.deploy(app, app.spec, 'manual', 'MANUAL', 'CREATE_DEPLOYMENT');
        return { status: 200, body: { deployment: deploymentView(dep, ctx.views) } };
      }
      throw methodNotAllowed();
    }
    const dep = requireDeployment(ctx, app, subId);
    if (action === undefined && m === 'GET')
      return { status: 200, body: { deployment: deploymentView(dep, ctx.views) } };
    if (action === 'cancel' && m === 'POST') {
      if (TERMINAL_PHASES.includes(dep.phase))
        throw new HttpError(
          400,
          'bad_request',
          `deployment ${dep.id} is already ${dep.phase} and cannot be canceled`
        );
      engine.cancel(dep);
      return { status: 200, body: { deployment: deploymentView(dep, ctx.views) } };
    }
    if (m === 'GET' && action === 'logs' && component === undefined)
      return { status: 200, body: logUrls(ctx, app, dep, r, undefined) };
    if (m === 'GET' && action === 'components' && component !== undefined && componentAction === 'logs')
      return { status: 200, body: logUrls(ctx, app, dep, r, component) };
    throw notFound();
  }

  if (sub === 'logs' && m === 'GET') {
    const active = engine.active(app);
    if (!active) throw new HttpError(400, 'bad_request', 'the app has no active deployment');
    return { status: 200, body: logUrls(ctx, app, active, r, undefined) };
  }

  if (sub === 'rollback') return rollbackRoute(ctx, app, r, subId);
  throw notFound();
}

function methodNotAllowed(): HttpError {
  return new HttpError(405, 'method_not_allowed', 'The method is not allowed for this resource.');
}

function rollbackRoute(ctx: ApiContext, app: AppState, r: Req, action: string | undefined): Reply {
  const { engine } = ctx;
  if (r.method !== 'POST') throw methodNotAllowed();
  if (action === undefined || action === 'validate') {
    const body = isObj(r.body) ? r.body : {};
    if (typeof body.deployment_id !== 'string' || body.deployment_id === '')
      throw new HttpError(400, 'bad_request', 'deployment_id is required');
    const target = requireDeployment(ctx, app, body.deployment_id);
    const verdict = validateRollback(app, target, ctx.revisionLimit, ctx.tier);
    if (action === 'validate') return { status: 200, body: verdict };
    if (!verdict.valid)
      throw new HttpError(422, 'unprocessable_entity', `${verdict.error!.code}: ${verdict.error!.message}`);
    const before = app.spec;
    app.spec = structuredClone(target.spec);
    app.updatedAt = new Date().toISOString();
    const dep = engine.deploy(
      app,
      app.spec,
      `rollback to deployment ${target.id}`,
      'MANUAL_ROLLBACK',
      'ROLLBACK_APP',
      {
        clonedFrom: target.id
      }
    );
    if (body.skip_pin !== true) {
      app.pinnedId = dep.id;
      app.preRollbackSpec = before;
    }
    return { status: 200, body: { deployment: deploymentView(dep, ctx.views) } };
  }
  if (action === 'commit') {
    if (!app.pinnedId) throw new HttpError(400, 'bad_request', 'the app has no rollback to commit');
    app.pinnedId = undefined;
    app.preRollbackSpec = undefined;
    return { status: 200 };
  }
  if (action === 'revert') {
    if (!app.pinnedId || !app.preRollbackSpec)
      throw new HttpError(400, 'bad_request', 'the app has no rollback to revert');
    app.spec = app.preRollbackSpec;
    app.pinnedId = undefined;
    app.preRollbackSpec = undefined;
    app.updatedAt = new Date().toISOString();
    const dep = engine.deploy(app, app.spec, 'rollback reverted', 'MANUAL', 'REVERT_APP_ROLLBACK');
    return { status: 200, body: { deployment: deploymentView(dep, ctx.views) } };
  }
  throw notFound();
}

function logUrls(
  ctx: ApiContext,
  app: AppState,
  dep: DeploymentState,
  r: Req,
  component: string | undefined
): Obj {
  const type = (r.query.get('type') ?? 'UNSPECIFIED').toUpperCase();
  if (!['UNSPECIFIED', ...LOG_TYPES].includes(type))
    throw new HttpError(
      400,
      'bad_request',
      `log type "${type}" is not supported by the simulator (BUILD, DEPLOY, RUN)`
    );
  if (component !== undefined && !componentsOf(dep.spec).some(c => c.name === component)) throw notFound();
  const types: LogType[] = type === 'UNSPECIFIED' ? (LOG_TYPES as LogType[]) : [type as LogType];
  const have = types.some(t => dep.logs[t].some(l => component === undefined || l.component === component));
  // App Platform answers 400 for a stage that has no logs (yet, or skipped).
  if (!have)
    throw new HttpError(
      400,
      'bad_request',
      `no ${type === 'UNSPECIFIED' ? '' : `${type} `}logs for deployment ${dep.id}`
    );
  const q = new URLSearchParams({ app: app.id });
  if (component) q.set('component', component);
  const base = `${ctx.baseUrl()}/sim-logs/${dep.id}/${dep.logKey}/${type}`;
  const live = !TERMINAL_PHASES.includes(dep.phase) || dep.phase === 'ACTIVE';
  // A websocket URL like App Platform's (wss:// there; plain ws:// here, there is no TLS on loopback).
  const liveUrl = `${base.replace(/^http/, 'ws')}/live?${q.toString()}`;
  if (ctx.faults.redirectLogArchives) q.set('redirect', '1');
  const historic = [`${base}/archive?${q.toString()}`];
  if (ctx.logUrls === 'live-or-historic') return live ? { live_url: liveUrl } : { historic_urls: historic };
  return { live_url: live ? liveUrl : '', historic_urls: historic };
}

/** GET /sim-logs/<dep>/<key>/<TYPE>/archive: plain text, no auth header (like pre-signed URLs). A plain GET of
 * the live URL streams text until the stage ends; a websocket upgrade of it is handled in live-logs.ts. */
async function serveLogText(ctx: ApiContext, url: URL, res: ServerResponse): Promise<void> {
  const target = resolveLogUrl(ctx.engine, url);
  if (!target) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  const text = (lines: string[]) => lines.map(l => `${l}\n`).join('');
  if (target.mode === 'archive' && url.searchParams.has('redirect')) {
    // Like an object store moving a pre-signed link: 302 to the same archive without the marker.
    url.searchParams.delete('redirect');
    res.writeHead(302, { location: `${ctx.baseUrl()}${url.pathname}?${url.searchParams.toString()}` }).end();
    return;
  }
  if (target.mode === 'archive') {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(text(renderLines(target).lines));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  let sent = 0;
  let closed = false;
  res.on('close', () => (closed = true));
  for (;;) {
    const out = renderLines(target, sent);
    if (out.lines.length > 0) res.write(text(out.lines));
    sent = out.count;
    if (closed || followEnded(target)) break;
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  res.end();
}

async function healthOf(ctx: ApiContext, app: AppState): Promise<Obj> {
  const active = ctx.engine.active(app);
  const services = active ? (Array.isArray(active.spec.services) ? (active.spec.services as Obj[]) : []) : [];
  const components = await Promise.all(
    services.map(async s => {
      const name = String(s.name);
      const proc = active?.processes.get(name);
      const hc = isObj(s.health_check) ? s.health_check : {};
      const path = typeof hc.http_path === 'string' ? hc.http_path : undefined;
      let healthy = false;
      if (proc && !proc.hasExited()) {
        healthy = (await probeOnce(proc.port, path, 2000)).ok;
      }
      const desired = typeof s.instance_count === 'number' ? s.instance_count : 1;
      return {
        name,
        cpu_usage_percent: healthy ? 1.5 : 0,
        memory_usage_percent: healthy ? 12.5 : 0,
        replicas_desired: desired,
        replicas_ready: healthy ? desired : 0,
        state: healthy ? 'HEALTHY' : 'UNHEALTHY'
      };
    })
  );
  return { app_health: { components, functions_components: [] } };
}
