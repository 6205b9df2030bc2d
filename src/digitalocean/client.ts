import { request } from 'undici';
import { RemoteError, errorMessage } from '../kit/errors.js';
import { defaultLogger, type Logger } from '../kit/log.js';
import { parseRetryAfter, retry, sleep as realSleep } from '../kit/retry.js';
import { registerSecret } from '../kit/secrets.js';
import { formatDuration } from '../kit/duration.js';
import { fetchLogText } from './log-fetch.js';
import type {
  ApiErrorBody,
  App,
  AppHealth,
  AppProposeResponse,
  AppSpec,
  Deployment,
  LogType,
  LogsResponse,
  PageLinks,
  RollbackValidation
} from './types.js';

/** What the request hook sees: tests count requests and validate bodies against the OpenAPI spec. */
export interface RequestInfo {
  method: string;
  /** Path and query, e.g. `/v2/apps/123/deployments?page=1`. */
  path: string;
  body?: unknown;
  attempt: number;
}

export interface DigitalOceanClientOptions {
  token: string;
  /** Default https://api.digitalocean.com (a simulator in tests). */
  apiUrl?: string;
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
  userAgent?: string;
  /**
   * Total attempts per call for 429/5xx (default 6: with 2 s doubling backoff and full jitter the retries span
   * about 30 s on average and 60 s at most, enough to ride out a short API or Cloudflare outage).
   */
  attempts?: number;
  baseRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  onRequest?: (info: RequestInfo) => void;
  /** Per-request timeout (headers and body), default 60 s. */
  requestTimeoutMs?: number;
}

/** A DigitalOcean API failure; `retryAfterMs` carries the server's wish on 429/503. */
export class DigitalOceanError extends RemoteError {
  constructor(
    details: ConstructorParameters<typeof RemoteError>[0],
    readonly retryAfterMs?: number
  ) {
    super(details);
    this.name = 'DigitalOceanError';
  }
}

/** Retry 429 (rate limit) and 5xx except 501 (godo's rule), plus Cloudflare's 520-524. */
function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501);
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT'
]);

export class DigitalOceanClient {
  private readonly token: string;
  /** The API base without a trailing slash; may carry a path prefix (e.g. a proxy's `/do`). */
  private readonly apiBase: string;
  private readonly apiPrefix: string;
  private readonly logger: Logger;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly userAgent: string;
  private readonly attempts: number;
  private readonly maxRetryDelayMs: number;
  private readonly baseRetryDelayMs: number;
  private readonly timeoutMs: number;
  private readonly onRequest?: (info: RequestInfo) => void;
  /** Every HTTP request sent to the API, retries included. */
  requestCount = 0;

  constructor(opts: DigitalOceanClientOptions) {
    if (!opts.token) throw new Error('DigitalOceanClient needs a token');
    registerSecret(opts.token);
    this.token = opts.token;
    const api = new URL(opts.apiUrl ?? 'https://api.digitalocean.com');
    this.apiPrefix = api.pathname.replace(/\/+$/, '');
    this.apiBase = `${api.origin}${this.apiPrefix}`;
    this.logger = opts.logger ?? defaultLogger;
    this.sleep = opts.sleep ?? realSleep;
    this.userAgent = opts.userAgent ?? 'app-platform-pipeline';
    this.attempts = opts.attempts ?? 6;
    this.baseRetryDelayMs = opts.baseRetryDelayMs ?? 2000;
    this.maxRetryDelayMs = opts.maxRetryDelayMs ?? 30_000;
    this.timeoutMs = opts.requestTimeoutMs ?? 60_000;
    this.onRequest = opts.onRequest;
  }

  // ---- apps ---------------------------------------------------------------------------------------------

  async getApp(appId: string): Promise<App> {
    return (await this.call<{ app: App }>('GET', `/v2/apps/${enc(appId)}`)).app;
  }

  /** Every app, following `links.pages.next`. */
  async listApps(perPage = 100): Promise<App[]> {
    const apps: App[] = [];
    let path: string | undefined = `/v2/apps?page=1&per_page=${perPage}`;
    for (let guard = 0; path && guard < 1000; guard++) {
      const page: { apps?: App[]; links?: PageLinks } = await this.call('GET', path);
      apps.push(...(page.apps ?? []));
      path = this.sameHostPath(page.links?.pages?.next);
    }
    return apps;
  }

  /** The app whose `spec.name` is `name` (names are unique per account), or undefined. */
  async findAppByName(name: string): Promise<App | undefined> {
    return (await this.listApps()).find(app => app.spec?.name === name);
  }

  /** Not idempotent: after an answer that may hide a success (5xx, 524, reset), the app is looked up by name. */
  async createApp(spec: AppSpec, projectId?: string): Promise<App> {
    const body: Record<string, unknown> = { spec };
    if (projectId) body.project_id = projectId;
    return (
      await this.mutate<{ app: App }>('POST', '/v2/apps', body, async () => {
        const app = await this.findAppByName(spec.name);
        return app ? { app } : undefined;
      })
    ).app;
  }

  /**
   * PUT replaces the whole spec. `update_all_source_versions` makes App Platform re-resolve every image,
   * so a deploy is never reduced to a settings-only change (app_action issue #123).
   */
  async updateApp(
    appId: string,
    spec: AppSpec,
    updateAllSourceVersions = true,
    /** Deployments that existed before the call: a new one read back means an ambiguous failure took effect. */
    known: ReadonlySet<string> = new Set()
  ): Promise<App> {
    const body = { spec, update_all_source_versions: updateAllSourceVersions };
    return (
      await this.mutate<{ app: App }>('PUT', `/v2/apps/${enc(appId)}`, body, async () => {
        const app = await this.getApp(appId);
        const started = app.pending_deployment?.id ?? app.in_progress_deployment?.id;
        return started && !known.has(started) ? { app } : undefined;
      })
    ).app;
  }

  /** Dry-run validation of a spec (existing app untouched when `appId` is given). */
  async proposeApp(spec: AppSpec, appId?: string): Promise<AppProposeResponse> {
    const body: Record<string, unknown> = { spec };
    if (appId) body.app_id = appId;
    return this.call<AppProposeResponse>('POST', '/v2/apps/propose', body);
  }

  async getAppHealth(appId: string): Promise<AppHealth> {
    const res = await this.call<{ app_health?: AppHealth }>('GET', `/v2/apps/${enc(appId)}/health`);
    return res.app_health ?? {};
  }

  // ---- deployments --------------------------------------------------------------------------------------

  /** Deployments, newest first; `pages` limits how many pages are read (default: one). */
  async listDeployments(
    appId: string,
    opts: { perPage?: number; pages?: number } = {}
  ): Promise<Deployment[]> {
    const out: Deployment[] = [];
    let path: string | undefined = `/v2/apps/${enc(appId)}/deployments?page=1&per_page=${opts.perPage ?? 20}`;
    for (let page = 0; path && page < (opts.pages ?? 1); page++) {
      const res: { deployments?: Deployment[]; links?: PageLinks } = await this.call('GET', path);
      out.push(...(res.deployments ?? []));
      path = this.sameHostPath(res.links?.pages?.next);
    }
    return out;
  }

  /** One page of deployments (newest first) and whether another follows (`links.pages.next`). */
  async listDeploymentsPage(
    appId: string,
    page: number,
    perPage: number
  ): Promise<{ deployments: Deployment[]; more: boolean }> {
    const path = `/v2/apps/${enc(appId)}/deployments?page=${page}&per_page=${perPage}`;
    const res: { deployments?: Deployment[]; links?: PageLinks } = await this.call('GET', path);
    return { deployments: res.deployments ?? [], more: !!res.links?.pages?.next };
  }

  async getDeployment(appId: string, deploymentId: string): Promise<Deployment> {
    const path = `/v2/apps/${enc(appId)}/deployments/${enc(deploymentId)}`;
    return (await this.call<{ deployment: Deployment }>('GET', path)).deployment;
  }

  /** The spec marks the body required, so `{}` is sent when no option is given. */
  async createDeployment(
    appId: string,
    forceBuild?: boolean,
    known: ReadonlySet<string> = new Set()
  ): Promise<Deployment> {
    const body = forceBuild === undefined ? {} : { force_build: forceBuild };
    const path = `/v2/apps/${enc(appId)}/deployments`;
    return (
      await this.mutate<{ deployment: Deployment }>('POST', path, body, async () => {
        const app = await this.getApp(appId);
        const d = app.pending_deployment ?? app.in_progress_deployment;
        return d?.id && !known.has(d.id) ? { deployment: d } : undefined;
      })
    ).deployment;
  }

  async cancelDeployment(appId: string, deploymentId: string): Promise<Deployment> {
    const path = `/v2/apps/${enc(appId)}/deployments/${enc(deploymentId)}/cancel`;
    return (await this.call<{ deployment: Deployment }>('POST', path)).deployment;
  }

  /**
   * The archived log text of one stage (`historic_urls`, fetched without our token: they are pre-signed
   * links elsewhere). Undefined when the stage was never reached (the API answers 400 then).
   */
  async getDeploymentLogs(
    appId: string,
    deploymentId: string,
    component: string | undefined,
    type: LogType
  ): Promise<string | undefined> {
    const base = `/v2/apps/${enc(appId)}/deployments/${enc(deploymentId)}`;
    const path = `${base}${component ? `/components/${enc(component)}` : ''}/logs?type=${type}&follow=false`;
    let res: LogsResponse;
    try {
      res = await this.call<LogsResponse>('GET', path);
    } catch (error) {
      if (error instanceof RemoteError && (error.status === 400 || error.status === 404)) return undefined;
      throw error;
    }
    return fetchLogText(res, `GET ${type} logs of deployment ${deploymentId}`, {
      timeoutMs: this.timeoutMs,
      sleep: this.sleep
    });
  }

  // ---- rollback -----------------------------------------------------------------------------------------

  async validateRollback(appId: string, deploymentId: string, skipPin = false): Promise<RollbackValidation> {
    const body = { deployment_id: deploymentId, skip_pin: skipPin };
    return this.call<RollbackValidation>('POST', `/v2/apps/${enc(appId)}/rollback/validate`, body);
  }

  /**
   * Not idempotent: a retry after a 5xx/524 whose first call created the rollback is refused (the app is
   * pinned). So after such an answer the app is read back: a pinned or in-progress rollback deployment that
   * did not exist before (`known`) is the one the first call created.
   */
  async createRollback(
    appId: string,
    deploymentId: string,
    skipPin = false,
    known: ReadonlySet<string> = new Set()
  ): Promise<Deployment> {
    const body = { deployment_id: deploymentId, skip_pin: skipPin };
    return (
      await this.mutate<{ deployment: Deployment }>(
        'POST',
        `/v2/apps/${enc(appId)}/rollback`,
        body,
        async () => {
          const app = await this.getApp(appId);
          for (const d of [app.pinned_deployment, app.pending_deployment, app.in_progress_deployment])
            if (d?.id && !known.has(d.id)) return { deployment: await this.getDeployment(appId, d.id) };
          return undefined;
        }
      )
    ).deployment;
  }

  /** Answers 200 with an empty body. */
  async commitRollback(appId: string): Promise<void> {
    await this.call('POST', `/v2/apps/${enc(appId)}/rollback/commit`);
  }

  async revertRollback(appId: string): Promise<Deployment> {
    return (await this.call<{ deployment: Deployment }>('POST', `/v2/apps/${enc(appId)}/rollback/revert`))
      .deployment;
  }

  // ---- transport ----------------------------------------------------------------------------------------

  /** One API call with retries; the call name (`PUT /v2/apps/<id>`) is what errors report. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const callName = `${method} ${path.split('?')[0]}`;
    return retry(attempt => this.once<T>(method, path, body, attempt, callName), this.retryOptions(callName));
  }

  /**
   * A call that must not run twice (PUT of the spec, POST of a deployment, rollback or app). An answer that
   * does not say whether it took effect (5xx, 524, a reset connection) is followed by `readBack` before any
   * retry; when that shows the effect, its answer is returned instead of calling again. A 429 is safe to
   * retry as is (the request was refused, not processed). A refusal after such an answer (e.g. 409: already
   * pinned) is read back too before it counts.
   */
  async mutate<T>(
    method: string,
    path: string,
    body: unknown,
    readBack: () => Promise<T | undefined>
  ): Promise<T> {
    const callName = `${method} ${path.split('?')[0]}`;
    let unsure = false;
    const check = async (): Promise<T | undefined> => {
      // A read-back that fails itself tells nothing: the call is then retried (and read back once more at the end).
      const back = await readBack().catch(() => undefined);
      if (back !== undefined)
        this.logger.info(`${callName}: the earlier attempt took effect (read back); not sending it again`);
      return back;
    };
    try {
      return await retry(async attempt => {
        if (unsure) {
          const back = await check();
          if (back !== undefined) return back;
        }
        try {
          return await this.once<T>(method, path, body, attempt, callName);
        } catch (error) {
          if (isAmbiguous(error)) unsure = true;
          throw error;
        }
      }, this.retryOptions(callName));
    } catch (error) {
      if (unsure) {
        const back = await check();
        if (back !== undefined) return back;
      }
      throw error;
    }
  }

  private retryOptions(callName: string): Parameters<typeof retry>[1] {
    return {
      attempts: this.attempts,
      baseDelayMs: this.baseRetryDelayMs,
      maxDelayMs: this.maxRetryDelayMs,
      sleep: this.sleep,
      isRetryable: err =>
        err instanceof DigitalOceanError
          ? err.status !== undefined &&
            isRetryableStatus(err.status) &&
            // A limit that resets beyond our longest wait (the hourly one) is reported at once.
            !(err.retryAfterMs !== undefined && err.retryAfterMs > this.maxRetryDelayMs)
          : NETWORK_CODES.has((err as { code?: string })?.code ?? ''),
      retryAfterMs: err => (err instanceof DigitalOceanError ? err.retryAfterMs : undefined),
      onRetry: ({ attempt, delayMs, error }) =>
        this.logger.info(
          `${callName}: ${error instanceof RemoteError ? `HTTP ${error.status ?? '?'} ${error.code ?? ''}`.trim() : errorMessage(error)}` +
            `, retrying in ${formatDuration(delayMs)} (attempt ${attempt + 1}/${this.attempts})`
        )
    };
  }

  private async once<T>(
    method: string,
    path: string,
    body: unknown,
    attempt: number,
    callName: string
  ): Promise<T> {
    this.requestCount++;
    this.onRequest?.({ method, path, body, attempt });
    const url = `${this.apiBase}${path}`;
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      accept: 'application/json',
      'user-agent': this.userAgent
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await request(url, {
      method: method as 'GET',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs
    });
    const text = await res.body.text();
    if (res.statusCode >= 200 && res.statusCode < 300) {
      if (!text.trim()) return {} as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new DigitalOceanError({
          call: callName,
          status: res.statusCode,
          serverMessage: `response is not JSON: ${text.slice(0, 200)}`
        });
      }
    }
    let err: ApiErrorBody = {};
    try {
      err = JSON.parse(text) as ApiErrorBody;
    } catch {
      err = { message: text.trim().slice(0, 300) || undefined };
    }
    const header = (name: string) => {
      const v = res.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    let retryAfterMs: number | undefined;
    let serverMessage = typeof err.message === 'string' ? err.message : undefined;
    if (res.statusCode === 429 || res.statusCode === 503) {
      retryAfterMs = parseRetryAfter(header('retry-after'));
      // Without Retry-After (the hourly limit: DO adds it to the burst limit's 429 only, release note
      // 2023-08-24), a 429 lasts until the oldest counted request expires (ratelimit-reset, epoch seconds).
      const reset = Number(header('ratelimit-reset'));
      if (retryAfterMs === undefined && res.statusCode === 429 && Number.isFinite(reset) && reset > 0) {
        retryAfterMs = Math.max(0, reset * 1000 - Date.now());
        if (retryAfterMs > this.maxRetryDelayMs)
          serverMessage = `${serverMessage ?? 'rate limited'} The API rate limit resets at ${new Date(reset * 1000).toISOString()} (ratelimit-reset; ${header('ratelimit-remaining') ?? '?'} of ${header('ratelimit-limit') ?? '?'} requests left), too far away to wait for`;
      }
    }
    throw new DigitalOceanError(
      {
        call: callName,
        status: res.statusCode,
        code: typeof err.id === 'string' ? err.id : undefined,
        serverMessage,
        requestId: (typeof err.request_id === 'string' && err.request_id) || header('x-request-id')
      },
      retryAfterMs
    );
  }

  /** A pagination link reduced to path + query on our API host. */
  private sameHostPath(link: string | undefined): string | undefined {
    if (!link) return undefined;
    const u = new URL(link, `${this.apiBase}/`);
    const path =
      this.apiPrefix && u.pathname.startsWith(`${this.apiPrefix}/`)
        ? u.pathname.slice(this.apiPrefix.length)
        : u.pathname;
    return `${path}${u.search}`;
  }
}

const enc = (s: string) => encodeURIComponent(s);

/** A failure after which the request may or may not have been carried out. */
function isAmbiguous(err: unknown): boolean {
  if (err instanceof DigitalOceanError)
    return err.status !== undefined && err.status >= 500 && err.status !== 501;
  return NETWORK_CODES.has((err as { code?: string })?.code ?? '');
}
