import { request } from 'undici';
import { RemoteError } from '../kit/errors.js';
import { defaultLogger, type Logger } from '../kit/log.js';
import { parseRetryAfter, retry, sleep as realSleep } from '../kit/retry.js';
import { registerSecret } from '../kit/secrets.js';
import { formatDuration } from '../kit/duration.js';
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
  /** Total attempts per call for 429/5xx (default 5, like godo's RetryMax 4). */
  attempts?: number;
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
    this.attempts = opts.attempts ?? 5;
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

  async createApp(spec: AppSpec, projectId?: string): Promise<App> {
    const body: Record<string, unknown> = { spec };
    if (projectId) body.project_id = projectId;
    return (await this.call<{ app: App }>('POST', '/v2/apps', body)).app;
  }

  /**
   * PUT replaces the whole spec. `update_all_source_versions` makes App Platform re-resolve every image,
   * so a deploy is never reduced to a settings-only change (app_action issue #123).
   */
  async updateApp(appId: string, spec: AppSpec, updateAllSourceVersions = true): Promise<App> {
    const body = { spec, update_all_source_versions: updateAllSourceVersions };
    return (await this.call<{ app: App }>('PUT', `/v2/apps/${enc(appId)}`, body)).app;
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

  async getDeployment(appId: string, deploymentId: string): Promise<Deployment> {
    const path = `/v2/apps/${enc(appId)}/deployments/${enc(deploymentId)}`;
    return (await this.call<{ deployment: Deployment }>('GET', path)).deployment;
  }

  /** The spec marks the body required, so `{}` is sent when no option is given. */
  async createDeployment(appId: string, forceBuild?: boolean): Promise<Deployment> {
    const body = forceBuild === undefined ? {} : { force_build: forceBuild };
    const path = `/v2/apps/${enc(appId)}/deployments`;
    return (await this.call<{ deployment: Deployment }>('POST', path, body)).deployment;
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
    const parts: string[] = [];
    for (const url of res.historic_urls ?? [])
      parts.push(await this.fetchText(url, `GET ${type} log archive`));
    return parts.join(parts.every(p => p.endsWith('\n')) ? '' : '\n');
  }

  // ---- rollback -----------------------------------------------------------------------------------------

  async validateRollback(appId: string, deploymentId: string, skipPin = false): Promise<RollbackValidation> {
    const body = { deployment_id: deploymentId, skip_pin: skipPin };
    return this.call<RollbackValidation>('POST', `/v2/apps/${enc(appId)}/rollback/validate`, body);
  }

  async createRollback(appId: string, deploymentId: string, skipPin = false): Promise<Deployment> {
    const body = { deployment_id: deploymentId, skip_pin: skipPin };
    return (await this.call<{ deployment: Deployment }>('POST', `/v2/apps/${enc(appId)}/rollback`, body))
      .deployment;
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
    return retry(attempt => this.once<T>(method, path, body, attempt, callName), {
      attempts: this.attempts,
      baseDelayMs: 1000,
      maxDelayMs: this.maxRetryDelayMs,
      sleep: this.sleep,
      isRetryable: err =>
        err instanceof DigitalOceanError
          ? err.status !== undefined && isRetryableStatus(err.status)
          : NETWORK_CODES.has((err as { code?: string })?.code ?? ''),
      retryAfterMs: err => (err instanceof DigitalOceanError ? err.retryAfterMs : undefined),
      onRetry: ({ attempt, delayMs, error }) =>
        this.logger.info(
          `${callName}: ${error instanceof RemoteError ? `HTTP ${error.status ?? '?'} ${error.code ?? ''}`.trim() : (error as Error).message}` +
            `, retrying in ${formatDuration(delayMs)} (attempt ${attempt + 1}/${this.attempts})`
        )
    });
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
    if (res.statusCode === 429 || res.statusCode === 503) {
      retryAfterMs = parseRetryAfter(header('retry-after'));
      // Without Retry-After, a 429 lasts until the oldest counted request expires (ratelimit-reset, epoch s).
      const reset = Number(header('ratelimit-reset'));
      if (retryAfterMs === undefined && res.statusCode === 429 && Number.isFinite(reset) && reset > 0)
        retryAfterMs = Math.max(0, reset * 1000 - Date.now());
    }
    throw new DigitalOceanError(
      {
        call: callName,
        status: res.statusCode,
        code: typeof err.id === 'string' ? err.id : undefined,
        serverMessage: typeof err.message === 'string' ? err.message : undefined,
        requestId: (typeof err.request_id === 'string' && err.request_id) || header('x-request-id')
      },
      retryAfterMs
    );
  }

  /** GET a pre-signed log URL: no Authorization header, the token must not leave for another host. */
  private async fetchText(url: string, callName: string): Promise<string> {
    return retry(
      async () => {
        const res = await request(url, {
          method: 'GET',
          headersTimeout: this.timeoutMs,
          bodyTimeout: this.timeoutMs
        });
        const text = await res.body.text();
        if (res.statusCode >= 300)
          throw new DigitalOceanError({
            call: callName,
            status: res.statusCode,
            serverMessage: text.slice(0, 200)
          });
        return text;
      },
      {
        attempts: 3,
        baseDelayMs: 1000,
        sleep: this.sleep,
        isRetryable: err => err instanceof DigitalOceanError && err.status !== undefined && err.status >= 500
      }
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
