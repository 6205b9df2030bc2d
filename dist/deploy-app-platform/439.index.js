export const id = 439;
export const ids = [439];
export const modules = {

/***/ 5439:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DigitalOceanClient: () => (/* binding */ DigitalOceanClient)
/* harmony export */ });
/* unused harmony export DigitalOceanError */
/* harmony import */ var undici__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4371);
/* harmony import */ var _kit_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3713);
/* harmony import */ var _kit_log_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3490);
/* harmony import */ var _kit_retry_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1834);
/* harmony import */ var _kit_secrets_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4601);
/* harmony import */ var _kit_duration_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(438);






/** A DigitalOcean API failure; `retryAfterMs` carries the server's wish on 429/503. */
class DigitalOceanError extends _kit_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .RemoteError */ .Hi {
    retryAfterMs;
    constructor(details, retryAfterMs) {
        super(details);
        this.retryAfterMs = retryAfterMs;
        this.name = 'DigitalOceanError';
    }
}
/** Retry 429 (rate limit) and 5xx except 501 (godo's rule), plus Cloudflare's 520-524. */
function isRetryableStatus(status) {
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
class DigitalOceanClient {
    token;
    /** The API base without a trailing slash; may carry a path prefix (e.g. a proxy's `/do`). */
    apiBase;
    apiPrefix;
    logger;
    sleep;
    userAgent;
    attempts;
    maxRetryDelayMs;
    timeoutMs;
    onRequest;
    /** Every HTTP request sent to the API, retries included. */
    requestCount = 0;
    constructor(opts) {
        if (!opts.token)
            throw new Error('DigitalOceanClient needs a token');
        (0,_kit_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .registerSecret */ .cl)(opts.token);
        this.token = opts.token;
        const api = new URL(opts.apiUrl ?? 'https://api.digitalocean.com');
        this.apiPrefix = api.pathname.replace(/\/+$/, '');
        this.apiBase = `${api.origin}${this.apiPrefix}`;
        this.logger = opts.logger ?? _kit_log_js__WEBPACK_IMPORTED_MODULE_2__/* .defaultLogger */ .Um;
        this.sleep = opts.sleep ?? _kit_retry_js__WEBPACK_IMPORTED_MODULE_5__/* .sleep */ .yy;
        this.userAgent = opts.userAgent ?? 'app-platform-pipeline';
        this.attempts = opts.attempts ?? 5;
        this.maxRetryDelayMs = opts.maxRetryDelayMs ?? 30_000;
        this.timeoutMs = opts.requestTimeoutMs ?? 60_000;
        this.onRequest = opts.onRequest;
    }
    // ---- apps ---------------------------------------------------------------------------------------------
    async getApp(appId) {
        return (await this.call('GET', `/v2/apps/${enc(appId)}`)).app;
    }
    /** Every app, following `links.pages.next`. */
    async listApps(perPage = 100) {
        const apps = [];
        let path = `/v2/apps?page=1&per_page=${perPage}`;
        for (let guard = 0; path && guard < 1000; guard++) {
            const page = await this.call('GET', path);
            apps.push(...(page.apps ?? []));
            path = this.sameHostPath(page.links?.pages?.next);
        }
        return apps;
    }
    /** The app whose `spec.name` is `name` (names are unique per account), or undefined. */
    async findAppByName(name) {
        return (await this.listApps()).find(app => app.spec?.name === name);
    }
    async createApp(spec, projectId) {
        const body = { spec };
        if (projectId)
            body.project_id = projectId;
        return (await this.call('POST', '/v2/apps', body)).app;
    }
    /**
     * PUT replaces the whole spec. `update_all_source_versions` makes App Platform re-resolve every image,
     * so a deploy is never reduced to a settings-only change (app_action issue #123).
     */
    async updateApp(appId, spec, updateAllSourceVersions = true) {
        const body = { spec, update_all_source_versions: updateAllSourceVersions };
        return (await this.call('PUT', `/v2/apps/${enc(appId)}`, body)).app;
    }
    /** Dry-run validation of a spec (existing app untouched when `appId` is given). */
    async proposeApp(spec, appId) {
        const body = { spec };
        if (appId)
            body.app_id = appId;
        return this.call('POST', '/v2/apps/propose', body);
    }
    async getAppHealth(appId) {
        const res = await this.call('GET', `/v2/apps/${enc(appId)}/health`);
        return res.app_health ?? {};
    }
    // ---- deployments --------------------------------------------------------------------------------------
    /** Deployments, newest first; `pages` limits how many pages are read (default: one). */
    async listDeployments(appId, opts = {}) {
        const out = [];
        let path = `/v2/apps/${enc(appId)}/deployments?page=1&per_page=${opts.perPage ?? 20}`;
        for (let page = 0; path && page < (opts.pages ?? 1); page++) {
            const res = await this.call('GET', path);
            out.push(...(res.deployments ?? []));
            path = this.sameHostPath(res.links?.pages?.next);
        }
        return out;
    }
    async getDeployment(appId, deploymentId) {
        const path = `/v2/apps/${enc(appId)}/deployments/${enc(deploymentId)}`;
        return (await this.call('GET', path)).deployment;
    }
    /** The spec marks the body required, so `{}` is sent when no option is given. */
    async createDeployment(appId, forceBuild) {
        const body = forceBuild === undefined ? {} : { force_build: forceBuild };
        const path = `/v2/apps/${enc(appId)}/deployments`;
        return (await this.call('POST', path, body)).deployment;
    }
    async cancelDeployment(appId, deploymentId) {
        const path = `/v2/apps/${enc(appId)}/deployments/${enc(deploymentId)}/cancel`;
        return (await this.call('POST', path)).deployment;
    }
    /**
     * The archived log text of one stage (`historic_urls`, fetched without our token: they are pre-signed
     * links elsewhere). Undefined when the stage was never reached (the API answers 400 then).
     */
    async getDeploymentLogs(appId, deploymentId, component, type) {
        const base = `/v2/apps/${enc(appId)}/deployments/${enc(deploymentId)}`;
        const path = `${base}${component ? `/components/${enc(component)}` : ''}/logs?type=${type}&follow=false`;
        let res;
        try {
            res = await this.call('GET', path);
        }
        catch (error) {
            if (error instanceof _kit_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .RemoteError */ .Hi && (error.status === 400 || error.status === 404))
                return undefined;
            throw error;
        }
        const parts = [];
        for (const url of res.historic_urls ?? [])
            parts.push(await this.fetchText(url, `GET ${type} log archive`));
        return parts.join(parts.every(p => p.endsWith('\n')) ? '' : '\n');
    }
    // ---- rollback -----------------------------------------------------------------------------------------
    async validateRollback(appId, deploymentId, skipPin = false) {
        const body = { deployment_id: deploymentId, skip_pin: skipPin };
        return this.call('POST', `/v2/apps/${enc(appId)}/rollback/validate`, body);
    }
    async createRollback(appId, deploymentId, skipPin = false) {
        const body = { deployment_id: deploymentId, skip_pin: skipPin };
        return (await this.call('POST', `/v2/apps/${enc(appId)}/rollback`, body))
            .deployment;
    }
    /** Answers 200 with an empty body. */
    async commitRollback(appId) {
        await this.call('POST', `/v2/apps/${enc(appId)}/rollback/commit`);
    }
    async revertRollback(appId) {
        return (await this.call('POST', `/v2/apps/${enc(appId)}/rollback/revert`))
            .deployment;
    }
    // ---- transport ----------------------------------------------------------------------------------------
    /** One API call with retries; the call name (`PUT /v2/apps/<id>`) is what errors report. */
    async call(method, path, body) {
        const callName = `${method} ${path.split('?')[0]}`;
        return (0,_kit_retry_js__WEBPACK_IMPORTED_MODULE_5__/* .retry */ .L5)(attempt => this.once(method, path, body, attempt, callName), {
            attempts: this.attempts,
            baseDelayMs: 1000,
            maxDelayMs: this.maxRetryDelayMs,
            sleep: this.sleep,
            isRetryable: err => err instanceof DigitalOceanError
                ? err.status !== undefined && isRetryableStatus(err.status)
                : NETWORK_CODES.has(err?.code ?? ''),
            retryAfterMs: err => (err instanceof DigitalOceanError ? err.retryAfterMs : undefined),
            onRetry: ({ attempt, delayMs, error }) => this.logger.info(`${callName}: ${error instanceof _kit_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .RemoteError */ .Hi ? `HTTP ${error.status ?? '?'} ${error.code ?? ''}`.trim() : error.message}` +
                `, retrying in ${(0,_kit_duration_js__WEBPACK_IMPORTED_MODULE_4__/* .formatDuration */ .a)(delayMs)} (attempt ${attempt + 1}/${this.attempts})`)
        });
    }
    async once(method, path, body, attempt, callName) {
        this.requestCount++;
        this.onRequest?.({ method, path, body, attempt });
        const url = `${this.apiBase}${path}`;
        const headers = {
            authorization: `Bearer ${this.token}`,
            accept: 'application/json',
            'user-agent': this.userAgent
        };
        if (body !== undefined)
            headers['content-type'] = 'application/json';
        const res = await (0,undici__WEBPACK_IMPORTED_MODULE_0__/* .request */ .Em)(url, {
            method: method,
            headers,
            body: body === undefined ? undefined : JSON.stringify(body),
            headersTimeout: this.timeoutMs,
            bodyTimeout: this.timeoutMs
        });
        const text = await res.body.text();
        if (res.statusCode >= 200 && res.statusCode < 300) {
            if (!text.trim())
                return {};
            try {
                return JSON.parse(text);
            }
            catch {
                throw new DigitalOceanError({
                    call: callName,
                    status: res.statusCode,
                    serverMessage: `response is not JSON: ${text.slice(0, 200)}`
                });
            }
        }
        let err = {};
        try {
            err = JSON.parse(text);
        }
        catch {
            err = { message: text.trim().slice(0, 300) || undefined };
        }
        const header = (name) => {
            const v = res.headers[name];
            return Array.isArray(v) ? v[0] : v;
        };
        let retryAfterMs;
        if (res.statusCode === 429 || res.statusCode === 503) {
            retryAfterMs = (0,_kit_retry_js__WEBPACK_IMPORTED_MODULE_5__/* .parseRetryAfter */ .mu)(header('retry-after'));
            // Without Retry-After, a 429 lasts until the oldest counted request expires (ratelimit-reset, epoch s).
            const reset = Number(header('ratelimit-reset'));
            if (retryAfterMs === undefined && res.statusCode === 429 && Number.isFinite(reset) && reset > 0)
                retryAfterMs = Math.max(0, reset * 1000 - Date.now());
        }
        throw new DigitalOceanError({
            call: callName,
            status: res.statusCode,
            code: typeof err.id === 'string' ? err.id : undefined,
            serverMessage: typeof err.message === 'string' ? err.message : undefined,
            requestId: (typeof err.request_id === 'string' && err.request_id) || header('x-request-id')
        }, retryAfterMs);
    }
    /** GET a pre-signed log URL: no Authorization header, the token must not leave for another host. */
    async fetchText(url, callName) {
        return (0,_kit_retry_js__WEBPACK_IMPORTED_MODULE_5__/* .retry */ .L5)(async () => {
            const res = await (0,undici__WEBPACK_IMPORTED_MODULE_0__/* .request */ .Em)(url, {
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
        }, {
            attempts: 3,
            baseDelayMs: 1000,
            sleep: this.sleep,
            isRetryable: err => err instanceof DigitalOceanError && err.status !== undefined && err.status >= 500
        });
    }
    /** A pagination link reduced to path + query on our API host. */
    sameHostPath(link) {
        if (!link)
            return undefined;
        const u = new URL(link, `${this.apiBase}/`);
        const path = this.apiPrefix && u.pathname.startsWith(`${this.apiPrefix}/`)
            ? u.pathname.slice(this.apiPrefix.length)
            : u.pathname;
        return `${path}${u.search}`;
    }
}
const enc = (s) => encodeURIComponent(s);


/***/ }),

/***/ 1834:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L5: () => (/* binding */ retry),
/* harmony export */   mu: () => (/* binding */ parseRetryAfter),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
const sleep = (ms) => new Promise(resolve => setTimeout(resolve, ms));
async function retry(fn, opts = {}) {
    const attempts = opts.attempts ?? 5;
    const base = opts.baseDelayMs ?? 500;
    const max = opts.maxDelayMs ?? 30_000;
    const wait = opts.sleep ?? sleep;
    const random = opts.random ?? Math.random;
    for (let attempt = 1;; attempt++) {
        try {
            return await fn(attempt);
        }
        catch (error) {
            const retryable = opts.isRetryable ? opts.isRetryable(error) : true;
            if (!retryable || attempt >= attempts)
                throw error;
            const asked = opts.retryAfterMs?.(error);
            const backoff = Math.min(max, base * 2 ** (attempt - 1));
            const delayMs = asked !== undefined ? Math.min(max, Math.max(0, asked)) : Math.round(random() * backoff);
            opts.onRetry?.({ attempt, delayMs, error });
            await wait(delayMs);
        }
    }
}
/** `Retry-After` as milliseconds: either delta-seconds or an HTTP date. Undefined when absent/unparseable. */
function parseRetryAfter(value, now = Date.now()) {
    if (value === null || value === undefined)
        return undefined;
    const v = value.trim();
    if (/^\d+(\.\d+)?$/.test(v))
        return Math.round(Number(v) * 1000);
    const date = Date.parse(v);
    if (Number.isNaN(date))
        return undefined;
    return Math.max(0, date - now);
}


/***/ })

};
