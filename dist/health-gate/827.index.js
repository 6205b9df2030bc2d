export const id = 827;
export const ids = [827];
export const modules = {

/***/ 3827:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  DigitalOceanClient: () => (/* reexport */ DigitalOceanClient),
  appPlatformRollback: () => (/* reexport */ appPlatformRollback),
  checkCertificate: () => (/* reexport */ checkCertificate),
  createHttpProbe: () => (/* reexport */ createHttpProbe),
  runGate: () => (/* reexport */ runGate)
});

// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
// EXTERNAL MODULE: ./src/kit/errors.ts
var errors = __webpack_require__(3713);
// EXTERNAL MODULE: ./src/kit/log.ts
var log = __webpack_require__(3490);
// EXTERNAL MODULE: ./src/kit/retry.ts
var retry = __webpack_require__(1834);
// EXTERNAL MODULE: ./src/kit/secrets.ts + 1 modules
var secrets = __webpack_require__(5889);
// EXTERNAL MODULE: ./src/kit/duration.ts
var duration = __webpack_require__(438);
;// CONCATENATED MODULE: ./src/digitalocean/log-fetch.ts



async function fetchLogText(res, callName, opts) {
    const archives = (res.historic_urls ?? []).filter(Boolean);
    if (archives.length) {
        const parts = [];
        for (const url of archives)
            parts.push(await fetchArchive(url, callName, opts));
        return parts.join(parts.every(p => p.endsWith('\n')) ? '' : '\n');
    }
    if (res.live_url)
        return readLiveLog(res.live_url, opts);
    return undefined;
}
const MAX_REDIRECTS = 5;
/** GET an archive, following redirects (Go's http.Get does; undici's request does not). */
async function fetchArchive(url, callName, opts) {
    return (0,retry/* retry */.L5)(async () => {
        let target = url;
        for (let hop = 0;; hop++) {
            const res = await (0,undici/* request */.Em)(target, {
                method: 'GET',
                headersTimeout: opts.timeoutMs,
                bodyTimeout: opts.timeoutMs
            });
            const location = res.headers.location;
            if (res.statusCode >= 300 && res.statusCode < 400 && location && hop < MAX_REDIRECTS) {
                await res.body.dump();
                target = new URL(Array.isArray(location) ? location[0] : location, target).toString();
                continue;
            }
            const text = await res.body.text();
            if (res.statusCode >= 300)
                throw new errors/* RemoteError */.Hi({
                    call: callName,
                    status: res.statusCode,
                    serverMessage: text.slice(0, 200)
                });
            return text;
        }
    }, {
        attempts: 3,
        baseDelayMs: 1000,
        sleep: opts.sleep ?? retry/* sleep */.yy,
        isRetryable: err => err instanceof errors/* RemoteError */.Hi && err.status !== undefined && err.status >= 500
    });
}
/** Reads a live log websocket until the server closes it or it goes quiet; resolves with what arrived. */
function readLiveLog(liveUrl, opts) {
    const url = new URL(liveUrl);
    if (url.protocol === 'https:')
        url.protocol = 'wss:';
    if (url.protocol === 'http:')
        url.protocol = 'ws:';
    const idleMs = opts.liveIdleMs ?? 5000;
    const maxMs = opts.liveMaxMs ?? 60_000;
    return new Promise(resolve => {
        const lines = [];
        let settled = false;
        let idle;
        const ws = new undici/* WebSocket */.kb(url.toString());
        const finish = () => {
            if (settled)
                return;
            settled = true;
            clearTimeout(idle);
            clearTimeout(overall);
            try {
                ws.close();
            }
            catch {
                // already closed
            }
            resolve(lines.length ? `${lines.join('\n')}\n` : undefined);
        };
        const arm = () => {
            clearTimeout(idle);
            idle = setTimeout(finish, idleMs);
        };
        const overall = setTimeout(finish, maxMs);
        arm();
        ws.addEventListener('message', event => {
            arm();
            const raw = typeof event.data === 'string' ? event.data : Buffer.from(event.data).toString();
            try {
                const msg = JSON.parse(raw);
                if (typeof msg.data === 'string')
                    lines.push(msg.data.replace(/\n$/, ''));
            }
            catch {
                lines.push(raw.replace(/\n$/, ''));
            }
        });
        ws.addEventListener('close', finish);
        ws.addEventListener('error', finish);
    });
}

;// CONCATENATED MODULE: ./src/digitalocean/client.ts







/** A DigitalOcean API failure; `retryAfterMs` carries the server's wish on 429/503. */
class DigitalOceanError extends errors/* RemoteError */.Hi {
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
    baseRetryDelayMs;
    timeoutMs;
    onRequest;
    /** Every HTTP request sent to the API, retries included. */
    requestCount = 0;
    constructor(opts) {
        if (!opts.token)
            throw new Error('DigitalOceanClient needs a token');
        (0,secrets/* registerSecret */.cl)(opts.token);
        this.token = opts.token;
        const api = new URL(opts.apiUrl ?? 'https://api.digitalocean.com');
        this.apiPrefix = api.pathname.replace(/\/+$/, '');
        this.apiBase = `${api.origin}${this.apiPrefix}`;
        this.logger = opts.logger ?? log/* defaultLogger */.Um;
        this.sleep = opts.sleep ?? retry/* sleep */.yy;
        this.userAgent = opts.userAgent ?? 'app-platform-pipeline';
        this.attempts = opts.attempts ?? 6;
        this.baseRetryDelayMs = opts.baseRetryDelayMs ?? 2000;
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
    /** Not idempotent: after an answer that may hide a success (5xx, 524, reset), the app is looked up by name. */
    async createApp(spec, projectId) {
        const body = { spec };
        if (projectId)
            body.project_id = projectId;
        return (await this.mutate('POST', '/v2/apps', body, async () => {
            const app = await this.findAppByName(spec.name);
            return app ? { app } : undefined;
        })).app;
    }
    /**
     * PUT replaces the whole spec. `update_all_source_versions` makes App Platform re-resolve every image,
     * so a deploy is never reduced to a settings-only change (app_action issue #123).
     */
    async updateApp(appId, spec, updateAllSourceVersions = true, 
    /** Deployments that existed before the call: a new one read back means an ambiguous failure took effect. */
    known = new Set()) {
        const body = { spec, update_all_source_versions: updateAllSourceVersions };
        return (await this.mutate('PUT', `/v2/apps/${enc(appId)}`, body, async () => {
            const app = await this.getApp(appId);
            const started = app.pending_deployment?.id ?? app.in_progress_deployment?.id;
            return started && !known.has(started) ? { app } : undefined;
        })).app;
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
    /** One page of deployments (newest first) and whether another follows (`links.pages.next`). */
    async listDeploymentsPage(appId, page, perPage) {
        const path = `/v2/apps/${enc(appId)}/deployments?page=${page}&per_page=${perPage}`;
        const res = await this.call('GET', path);
        return { deployments: res.deployments ?? [], more: !!res.links?.pages?.next };
    }
    async getDeployment(appId, deploymentId) {
        const path = `/v2/apps/${enc(appId)}/deployments/${enc(deploymentId)}`;
        return (await this.call('GET', path)).deployment;
    }
    /** The spec marks the body required, so `{}` is sent when no option is given. */
    async createDeployment(appId, forceBuild, known = new Set()) {
        const body = forceBuild === undefined ? {} : { force_build: forceBuild };
        const path = `/v2/apps/${enc(appId)}/deployments`;
        return (await this.mutate('POST', path, body, async () => {
            const app = await this.getApp(appId);
            const d = app.pending_deployment ?? app.in_progress_deployment;
            return d?.id && !known.has(d.id) ? { deployment: d } : undefined;
        })).deployment;
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
            if (error instanceof errors/* RemoteError */.Hi && (error.status === 400 || error.status === 404))
                return undefined;
            throw error;
        }
        return fetchLogText(res, `GET ${type} logs of deployment ${deploymentId}`, {
            timeoutMs: this.timeoutMs,
            sleep: this.sleep
        });
    }
    // ---- rollback -----------------------------------------------------------------------------------------
    async validateRollback(appId, deploymentId, skipPin = false) {
        const body = { deployment_id: deploymentId, skip_pin: skipPin };
        return this.call('POST', `/v2/apps/${enc(appId)}/rollback/validate`, body);
    }
    /**
     * Not idempotent: a retry after a 5xx/524 whose first call created the rollback is refused (the app is
     * pinned). So after such an answer the app is read back: a pinned or in-progress rollback deployment that
     * did not exist before (`known`) is the one the first call created.
     */
    async createRollback(appId, deploymentId, skipPin = false, known = new Set()) {
        const body = { deployment_id: deploymentId, skip_pin: skipPin };
        return (await this.mutate('POST', `/v2/apps/${enc(appId)}/rollback`, body, async () => {
            const app = await this.getApp(appId);
            for (const d of [app.pinned_deployment, app.pending_deployment, app.in_progress_deployment])
                if (d?.id && !known.has(d.id))
                    return { deployment: await this.getDeployment(appId, d.id) };
            return undefined;
        })).deployment;
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
        return (0,retry/* retry */.L5)(attempt => this.once(method, path, body, attempt, callName), this.retryOptions(callName));
    }
    /**
     * A call that must not run twice (PUT of the spec, POST of a deployment, rollback or app). An answer that
     * does not say whether it took effect (5xx, 524, a reset connection) is followed by `readBack` before any
     * retry; when that shows the effect, its answer is returned instead of calling again. A 429 is safe to
     * retry as is (the request was refused, not processed). A refusal after such an answer (e.g. 409: already
     * pinned) is read back too before it counts.
     */
    async mutate(method, path, body, readBack) {
        const callName = `${method} ${path.split('?')[0]}`;
        let unsure = false;
        const check = async () => {
            // A read-back that fails itself tells nothing: the call is then retried (and read back once more at the end).
            const back = await readBack().catch(() => undefined);
            if (back !== undefined)
                this.logger.info(`${callName}: the earlier attempt took effect (read back); not sending it again`);
            return back;
        };
        try {
            return await (0,retry/* retry */.L5)(async (attempt) => {
                if (unsure) {
                    const back = await check();
                    if (back !== undefined)
                        return back;
                }
                try {
                    return await this.once(method, path, body, attempt, callName);
                }
                catch (error) {
                    if (isAmbiguous(error))
                        unsure = true;
                    throw error;
                }
            }, this.retryOptions(callName));
        }
        catch (error) {
            if (unsure) {
                const back = await check();
                if (back !== undefined)
                    return back;
            }
            throw error;
        }
    }
    retryOptions(callName) {
        return {
            attempts: this.attempts,
            baseDelayMs: this.baseRetryDelayMs,
            maxDelayMs: this.maxRetryDelayMs,
            sleep: this.sleep,
            isRetryable: err => err instanceof DigitalOceanError
                ? err.status !== undefined &&
                    isRetryableStatus(err.status) &&
                    // A limit that resets beyond our longest wait (the hourly one) is reported at once.
                    !(err.retryAfterMs !== undefined && err.retryAfterMs > this.maxRetryDelayMs)
                : NETWORK_CODES.has(err?.code ?? ''),
            retryAfterMs: err => (err instanceof DigitalOceanError ? err.retryAfterMs : undefined),
            onRetry: ({ attempt, delayMs, error }) => this.logger.info(`${callName}: ${error instanceof errors/* RemoteError */.Hi ? `HTTP ${error.status ?? '?'} ${error.code ?? ''}`.trim() : (0,errors/* errorMessage */.gJ)(error)}` +
                `, retrying in ${(0,duration/* formatDuration */.a3)(delayMs)} (attempt ${attempt + 1}/${this.attempts})`)
        };
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
        const res = await (0,undici/* request */.Em)(url, {
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
        let serverMessage = typeof err.message === 'string' ? err.message : undefined;
        if (res.statusCode === 429 || res.statusCode === 503) {
            retryAfterMs = (0,retry/* parseRetryAfter */.mu)(header('retry-after'));
            // Without Retry-After (the hourly limit: DO adds it to the burst limit's 429 only, release note
            // 2023-08-24), a 429 lasts until the oldest counted request expires (ratelimit-reset, epoch seconds).
            const reset = Number(header('ratelimit-reset'));
            if (retryAfterMs === undefined && res.statusCode === 429 && Number.isFinite(reset) && reset > 0) {
                retryAfterMs = Math.max(0, reset * 1000 - Date.now());
                if (retryAfterMs > this.maxRetryDelayMs)
                    serverMessage = `${serverMessage ?? 'rate limited'} The API rate limit resets at ${new Date(reset * 1000).toISOString()} (ratelimit-reset; ${header('ratelimit-remaining') ?? '?'} of ${header('ratelimit-limit') ?? '?'} requests left), too far away to wait for`;
            }
        }
        throw new DigitalOceanError({
            call: callName,
            status: res.statusCode,
            code: typeof err.id === 'string' ? err.id : undefined,
            serverMessage,
            requestId: (typeof err.request_id === 'string' && err.request_id) || header('x-request-id')
        }, retryAfterMs);
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
/** A failure after which the request may or may not have been carried out. */
function isAmbiguous(err) {
    if (err instanceof DigitalOceanError)
        return err.status !== undefined && err.status >= 500 && err.status !== 501;
    return NETWORK_CODES.has(err?.code ?? '');
}

// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
;// CONCATENATED MODULE: ./src/kit/json.ts
/** A parsed JSON or YAML value that is an object (not null, not an array): its fields can be read by name. */
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

;// CONCATENATED MODULE: ./src/health/body.ts

const HEALTHY_CHECK_VALUES = new Set(['ok', 'true']);
function judgeHealthBody(text, expectedVersion) {
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        return { ok: false, kind: 'body', reason: `body is not the health JSON: ${snippet(text)}` };
    }
    if (!isRecord(parsed) || typeof parsed.status !== 'string')
        return { ok: false, kind: 'body', reason: `body is not the health JSON (no "status"): ${snippet(text)}` };
    const version = typeof parsed.version === 'string' ? parsed.version : undefined;
    const failingChecks = isRecord(parsed.checks)
        ? Object.entries(parsed.checks).filter(([, v]) => !HEALTHY_CHECK_VALUES.has(String(v).toLowerCase()))
        : [];
    const checkText = failingChecks.map(([name, v]) => `${name}: ${describeValue(v)}`).join(', ');
    const failingNames = failingChecks.length ? failingChecks.map(([name]) => name) : undefined;
    // A failing check says more than the status it causes, so it is reported first.
    if (failingNames)
        return { ok: false, kind: 'check', reason: `check ${checkText}`, failingChecks: failingNames, version };
    if (parsed.status.toLowerCase() !== 'healthy')
        return { ok: false, kind: 'unhealthy', reason: `status is '${parsed.status}', not 'healthy'`, version };
    if (expectedVersion && !sameVersion(version, expectedVersion))
        return {
            ok: false,
            kind: 'version',
            reason: `version is '${version ?? '(none)'}', expected '${expectedVersion}'`,
            version
        };
    return { ok: true, version };
}
/**
 * Exact match, or one commit id a prefix of the other (at least 7 hex digits): a workflow knows the full
 * SHA while an app often reports the short one.
 */
function sameVersion(actual, expected) {
    if (actual === undefined)
        return false;
    if (actual === expected)
        return true;
    const a = actual.toLowerCase();
    const e = expected.toLowerCase();
    const commitish = (s) => /^[0-9a-f]{7,40}$/.test(s);
    return commitish(a) && commitish(e) && (a.startsWith(e) || e.startsWith(a));
}
const describeValue = (v) => (typeof v === 'string' ? v : JSON.stringify(v));
function snippet(text) {
    const flat = text.replace(/\s+/g, ' ').trim();
    if (flat === '')
        return '(empty)';
    return flat.length > 80 ? `${flat.slice(0, 80)}…` : flat;
}

;// CONCATENATED MODULE: ./src/health/probe.ts



/** Bodies larger than this are not a health answer; reading stops here so a huge page cannot stall a probe. */
const MAX_BODY_BYTES = 64 * 1024;
/** A probe of the health URL over one keep-alive agent; `close()` releases its sockets. */
function createHttpProbe(opts) {
    const agent = new undici/* Agent */.g6({ connect: opts.ca ? { ca: opts.ca } : {}, keepAliveTimeout: 1000 });
    const probe = async () => {
        const started = performance.now();
        const elapsed = () => Math.round(performance.now() - started);
        const signal = AbortSignal.timeout(opts.timeoutMs);
        try {
            const res = await (0,undici/* request */.Em)(opts.url, {
                method: 'GET',
                dispatcher: agent,
                signal,
                headers: {
                    accept: 'application/json',
                    'cache-control': 'no-cache',
                    'user-agent': 'app-platform-pipeline/health-gate'
                }
            });
            const text = await readLimited(res.body);
            const latencyMs = elapsed();
            const verdict = judgeHealthBody(text, opts.expectedVersion);
            if (res.statusCode < 200 || res.statusCode > 299) {
                // The body of a 503 usually says which check failed: keep that in the reason.
                const detail = verdict.kind === 'check' || verdict.kind === 'unhealthy' ? `; ${verdict.reason}` : '';
                return {
                    ok: false,
                    status: res.statusCode,
                    latencyMs,
                    kind: 'http-status',
                    reason: `HTTP ${res.statusCode}${detail}`,
                    failingChecks: verdict.failingChecks,
                    version: verdict.version
                };
            }
            return { status: res.statusCode, latencyMs, ...verdict };
        }
        catch (error) {
            if (signal.aborted)
                return {
                    ok: false,
                    latencyMs: opts.timeoutMs,
                    kind: 'timeout',
                    reason: `no answer within ${opts.timeoutMs} ms`
                };
            return { ok: false, kind: 'network', reason: networkReason(error) };
        }
    };
    return { probe, close: () => agent.close() };
}
async function readLimited(body) {
    const chunks = [];
    let size = 0;
    for await (const chunk of body) {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= MAX_BODY_BYTES) {
            body.destroy();
            break;
        }
    }
    return Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY_BYTES);
}
/** `connect ECONNREFUSED 127.0.0.1:8080`, with the error code and the cause undici wraps. */
function networkReason(error) {
    const parts = [];
    let e = error;
    for (let depth = 0; e && depth < 3; depth++) {
        const code = e.code;
        const msg = (0,errors/* errorMessage */.gJ)(e);
        const text = typeof code === 'string' && !msg.includes(code) ? `${code}: ${msg}` : msg;
        if (!parts.includes(text))
            parts.push(text);
        e = e.cause;
    }
    return `network error: ${parts.join(' <- ')}`;
}

// EXTERNAL MODULE: ./src/health/types.ts
var types = __webpack_require__(7987);
;// CONCATENATED MODULE: ./src/health/certificate.ts




const DAY_MS = 86_400_000;
/**
 * Checks the certificate a client of `url` gets: the chain verifies against the trust store, it is valid
 * for the host name, and it has at least `minDays` left. App Platform renews its Let's Encrypt
 * certificates itself, so few days left means renewal is failing. Connects with verification off to read
 * the certificate whatever is wrong with it, then applies each rule itself so every problem is named.
 */
async function checkCertificate(url, o) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || 443);
    const clock = o.clock ?? types/* systemClock */.m;
    const { cert, authorizationError } = await handshake(host, port, o);
    const report = { host, port, problems: [] };
    if (!cert || !cert.valid_to) {
        report.problems.push(`the server at ${host}:${port} sent no certificate`);
        return report;
    }
    report.subject = nameOf(cert.subject) ?? cert.subjectaltname;
    report.issuer = nameOf(cert.issuer);
    report.validTo = new Date(cert.valid_to).toISOString();
    report.daysLeft = Math.floor((Date.parse(cert.valid_to) - clock.now()) / DAY_MS);
    if (authorizationError)
        report.problems.push(`certificate chain does not verify: ${explainChainError(authorizationError)}`);
    const identityError = (0,external_node_tls_.checkServerIdentity)(host, cert);
    if (identityError)
        report.problems.push(`certificate is not valid for host '${host}': it names ${cert.subjectaltname || `CN=${report.subject ?? '?'}`}`);
    if (report.daysLeft < o.minDays)
        report.problems.push(report.daysLeft < 0
            ? `certificate expired on ${report.validTo}`
            : `certificate expires in ${report.daysLeft} days (${report.validTo}), fewer than min-certificate-days ${o.minDays}: its renewal is failing`);
    return report;
}
function handshake(host, port, o) {
    return new Promise((resolve, reject) => {
        const socket = (0,external_node_tls_.connect)({
            host,
            port,
            servername: (0,external_node_net_.isIP)(host) ? undefined : host,
            ca: o.ca,
            rejectUnauthorized: false,
            // The host name is checked separately below, so the chain error stays about the chain.
            checkServerIdentity: () => undefined
        });
        socket.setTimeout(o.timeoutMs, () => socket.destroy(new Error(`TLS handshake with ${host}:${port} took longer than ${o.timeoutMs} ms`)));
        socket.once('secureConnect', () => {
            const cert = socket.getPeerCertificate(false);
            const authorizationError = socket.authorized
                ? undefined
                : String(socket.authorizationError ?? 'not authorized');
            socket.end();
            resolve({ cert: cert && Object.keys(cert).length ? cert : undefined, authorizationError });
        });
        socket.once('error', error => reject(new Error(`TLS check of ${host}:${port} failed: ${networkReason(error)}`)));
    });
}
const CHAIN_ERRORS = {
    DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed (untrusted)',
    SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a self-signed root that is not trusted',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the issuer is not trusted (unknown CA or missing intermediate)',
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer is not trusted (unknown CA or missing intermediate)',
    CERT_HAS_EXPIRED: 'a certificate in the chain has expired',
    CERT_NOT_YET_VALID: 'a certificate in the chain is not valid yet'
};
function explainChainError(code) {
    return CHAIN_ERRORS[code] ? `${CHAIN_ERRORS[code]} (${code})` : code;
}
function nameOf(dn) {
    const cn = dn?.CN;
    return Array.isArray(cn) ? cn[0] : cn;
}

// EXTERNAL MODULE: ./src/kit/cancellation.ts
var cancellation = __webpack_require__(9449);
;// CONCATENATED MODULE: ./src/health/check-fault.ts
/**
 * When the release and the version restored by the rollback fail the gate the same way, the release was most
 * likely never the problem: a wrong `url` (404 on both), missing auth (401/403), or a body the check cannot
 * read. Returns the shared failure (`HTTP 404`), or undefined when they differ or the failure can be real
 * (5xx, timeouts and refused connections can also be an outage both versions share).
 */
function sharedCheckFault(release, restored) {
    if (!restored || restored.decision.state === 'pass')
        return undefined;
    const a = signatures(release.probes);
    const b = signatures(restored.probes);
    if (a.size !== 1 || b.size !== 1)
        return undefined;
    const [sa] = a;
    const [sb] = b;
    return sa === sb && sa !== undefined && /^(HTTP 4\d\d|unreadable body)$/.test(sa) ? sa : undefined;
}
function signatures(probes) {
    const out = new Set();
    for (const p of probes) {
        if (p.ok)
            continue;
        if (p.kind === 'http-status' && p.status !== undefined)
            out.add(`HTTP ${p.status}`);
        else if (p.kind === 'body')
            out.add('unreadable body');
        else
            out.add(p.kind ?? 'unknown');
    }
    return out;
}

// EXTERNAL MODULE: ./src/health/decision.ts
var decision = __webpack_require__(8426);
// EXTERNAL MODULE: ./src/health/probe-line.ts
var probe_line = __webpack_require__(1359);
// EXTERNAL MODULE: ./src/health/window.ts
var health_window = __webpack_require__(9124);
;// CONCATENATED MODULE: ./src/health/gate.ts






async function runGate(s, deps) {
    const { clock, logger } = deps;
    const startedAt = clock.now();
    const finish = (r) => ({
        ...r,
        startedAt,
        endedAt: clock.now()
    });
    let certificate;
    let certificateError;
    if (deps.checkCertificate) {
        try {
            certificate = await deps.checkCertificate();
            logger.info(`Certificate of ${certificate.host}: ${certificate.subject ?? '?'} issued by ${certificate.issuer ?? '?'}, ` +
                `${certificate.daysLeft ?? '?'} days left${certificate.problems.length ? ` — ${certificate.problems.join('; ')}` : ''}`);
        }
        catch (error) {
            certificateError = (0,errors/* errorMessage */.gJ)(error);
            logger.warning(`Could not read the certificate: ${certificateError}`);
        }
    }
    // A certificate problem belongs to the domain, not to the release: the previous deployment is served
    // with the same certificate, so rolling back cannot fix it. Fail without rolling back.
    if (certificate?.problems.length) {
        const reason = certificate.problems.join('; ');
        logger.error(`Health gate failed: ${reason}`);
        return finish({
            healthy: false,
            decision: { state: 'fail', cause: 'certificate', reason },
            certificate,
            outage: false,
            rolledBack: false
        });
    }
    const window = await (0,health_window/* runProbeWindow */.$)({
        probe: deps.probe,
        clock,
        initialDelayMs: s.initialDelayMs,
        intervalMs: s.intervalMs,
        windowMs: s.windowMs,
        thresholds: s.thresholds,
        onProbe: p => logger.info((0,probe_line/* formatProbeLine */.w)(p))
    });
    const base = { window, certificate, certificateError, decision: window.decision };
    if (window.decision.state === 'pass') {
        logger.info(`Health gate passed: ${window.decision.reason}`);
        return finish({ ...base, healthy: true, outage: false, rolledBack: false });
    }
    logger.error(`Health gate failed: ${window.decision.reason}`);
    if (!s.rollback || !deps.rollback) {
        logger.warning('rollback is false: the unhealthy release stays live.');
        return finish({ ...base, healthy: false, outage: false, rolledBack: false });
    }
    // Cancelled meanwhile: no rollback is started in the seconds left before the runner's SIGTERM (it could not
    // finish, and its rollback deployment would leave the app pinned). No outputs: deploy.yml's `decide` step,
    // which the runner does not cancel, gates the release again and rolls it back with time to finish.
    cancellation/* cancellation */.WN.throwIfCancelled();
    const rollback = await rollBack(s, deps, deps.rollback);
    deps.rollback.settle?.(rollback.committed ? undefined : rollback.rollbackDeploymentId);
    const likelyCheckFault = rollback.activeAt !== undefined ? sharedCheckFault(window, rollback.restored) : undefined;
    // Committing may fail while the healthy restored version serves: that is no outage, only a pinned app.
    const outage = !likelyCheckFault && (rollback.activeAt === undefined || rollback.restored?.decision.state !== 'pass');
    if (outage) {
        logger.error('OUTAGE: the release is unhealthy and the automatic rollback did not restore a healthy version.');
        logger.error('OUTAGE: a human is needed now: check the app in the DigitalOcean control panel and its runtime logs.');
    }
    return finish({
        ...base,
        healthy: false,
        rollback,
        outage,
        likelyCheckFault,
        rolledBack: rollback.activeAt !== undefined
    });
}
async function rollBack(s, deps, port) {
    const { clock, logger } = deps;
    const report = { warnings: [], startedAt: clock.now(), committed: false, endedAt: 0 };
    const done = (error) => ({ ...report, error, endedAt: clock.now() });
    let attempt;
    try {
        const target = await port.resolveTarget(s.rollbackTo);
        report.targetDeploymentId = target.deploymentId;
        logger.info(`Rolling back to deployment ${target.deploymentId} (active was ${target.activeDeploymentId ?? 'unknown'})`);
        attempt = await port.rollback(target.deploymentId);
    }
    catch (error) {
        return done(`the rollback failed: ${(0,errors/* errorMessage */.gJ)(error)}`);
    }
    report.rollbackDeploymentId = attempt.rollbackDeploymentId;
    report.warnings = attempt.warnings;
    if (attempt.failure !== undefined)
        return done(`the rollback failed: ${attempt.failure}`);
    report.activeAt = clock.now();
    // Probe the restored version briefly before making the rollback permanent: at most
    // success-threshold + failure-threshold - 1 probes decide it either way.
    const t = s.thresholds;
    logger.info(`Rollback deployment ${report.rollbackDeploymentId} is ACTIVE; probing the restored version`);
    report.restored = await (0,health_window/* runProbeWindow */.$)({
        probe: deps.restoredProbe,
        clock,
        initialDelayMs: 0,
        intervalMs: s.intervalMs,
        windowMs: (t.successThreshold + t.failureThreshold - 2) * s.intervalMs,
        thresholds: { successThreshold: t.successThreshold, failureThreshold: t.failureThreshold },
        rules: decision/* decideEarly */.Ou,
        onProbe: p => logger.info(`restored ${(0,probe_line/* formatProbeLine */.w)(p)}`)
    });
    if (report.restored.decision.state !== 'pass')
        return done(`the restored version is unhealthy too (${report.restored.decision.reason}); the app stays pinned to rollback deployment ` +
            `${report.rollbackDeploymentId} and no rollback was committed`);
    try {
        await port.commit();
        report.committed = true;
    }
    catch (error) {
        // The restored version serves and is healthy; only the unpinning failed.
        return done(`committing the rollback failed (the app stays pinned, serving the healthy restored version): ${(0,errors/* errorMessage */.gJ)(error)}`);
    }
    logger.info(`Rollback committed: deployment ${report.rollbackDeploymentId} serves the previous release`);
    return done();
}

;// CONCATENATED MODULE: ./src/digitalocean/rollback-target.ts
const PER_PAGE = 100;
const MAX_PAGES = 30;
async function findPreviousRelease(client, appId, activeId) {
    const seen = [];
    let active;
    for (let page = 1; page <= MAX_PAGES; page++) {
        const { deployments, more } = await client.listDeploymentsPage(appId, page, PER_PAGE);
        seen.push(...deployments);
        active ??= seen.find(d => d.id === activeId);
        if (!active && activeId && !more)
            active = await client.getDeployment(appId, activeId);
        if (active) {
            const found = pick(seen, active);
            if (found)
                return { deployment: found, scanned: seen.length };
        }
        if (!more)
            break;
    }
    if (!active && !activeId) {
        // No active deployment: the newest one that served is the best there is.
        const found = newestFirst(seen).find(servedTraffic);
        if (found)
            return { deployment: found, scanned: seen.length };
    }
    return { scanned: seen.length };
}
function pick(deployments, active) {
    const release = releaseOf(active);
    const activeAt = Date.parse(active.created_at ?? '');
    return newestFirst(deployments).find(d => d.id !== active.id &&
        servedTraffic(d) &&
        !(Date.parse(d.created_at ?? '') > activeAt) &&
        releaseOf(d) !== release);
}
const newestFirst = (ds) => [...ds].sort((a, b) => Date.parse(b.created_at ?? '') - Date.parse(a.created_at ?? '') || 0);
/** ACTIVE, or SUPERSEDED after serving (a deployment superseded while building never served). */
function servedTraffic(d) {
    if (d.phase === 'ACTIVE')
        return true;
    if (d.phase !== 'SUPERSEDED')
        return false;
    const steps = d.progress?.steps;
    // Without progress in the listing we cannot tell; the rollback validation refuses a failed one.
    return !steps?.length || steps.every(s => s.status === 'SUCCESS');
}
/**
 * What a deployment runs: its spec (images, envs, sizes: canonical JSON) and the source commit of each
 * component. Deployments that carry no new release (autoscaling, maintenance, a restart, trusted-source updates)
 * run the same spec and commits as the one they replaced, so they compare equal, whatever their cause.
 */
function releaseOf(d) {
    const commits = {};
    for (const list of [d.services, d.workers, d.jobs, d.static_sites])
        for (const c of list ?? [])
            if (c.source_commit_hash)
                commits[c.name] = c.source_commit_hash;
    return canonical({ spec: d.spec ?? null, commits });
}
/** JSON with object keys sorted, so equal values give equal text. */
function canonical(v) {
    if (Array.isArray(v))
        return `[${v.map(canonical).join(',')}]`;
    if (v && typeof v === 'object')
        return `{${Object.keys(v)
            .sort()
            .map(k => `${JSON.stringify(k)}:${canonical(v[k])}`)
            .join(',')}}`;
    return JSON.stringify(v) ?? 'null';
}
/** One line naming what a release runs, for listings: image digest or tag, else commit, per component. */
function describeRelease(d) {
    const commits = new Map();
    for (const list of [d.services, d.workers, d.jobs])
        for (const c of list ?? [])
            if (c.source_commit_hash)
                commits.set(c.name, c.source_commit_hash);
    const parts = [];
    for (const kind of ['services', 'workers', 'jobs', 'static_sites'])
        for (const c of (d.spec?.[kind] ?? [])) {
            const img = c.image;
            const what = img
                ? `${img.repository ?? ''}${img.digest ? `@${img.digest.slice(0, 19)}` : `:${img.tag ?? 'latest'}`}`
                : (commits.get(c.name)?.slice(0, 7) ?? 'source');
            parts.push(`${c.name}=${what}`);
        }
    return parts.join(' ');
}

;// CONCATENATED MODULE: ./src/digitalocean/started-deployment.ts
/**
 * The deployment a spec update or app creation started. DigitalOcean says a spec update always creates one
 * (doctl PR #1143: "Even in a 'no-op' update, a deployment is created"; godo PR #601: pending_deployment is
 * set on CreateApp/UpdateApp answers), so we never POST another (app_action PR #8 removed exactly that: "two
 * builds"). When the answer lacks `pending_deployment` (app_action's and godo's fixtures; Terraform PR #1477
 * says it can be unset "e.g., during app creation"), the app is read back and then the deployments listed,
 * as Terraform does; `known` are the deployments that existed before, so an older one is never taken.
 */
async function findStartedDeployment(client, answer, known) {
    const fresh = (id) => (id && !known.has(id) ? id : undefined);
    const fromAnswer = fresh(answer.pending_deployment?.id);
    if (fromAnswer)
        return fromAnswer;
    const app = await client.getApp(answer.id);
    const fromApp = fresh(app.pending_deployment?.id) ?? fresh(app.in_progress_deployment?.id);
    if (fromApp)
        return fromApp;
    // Newest first, as the API lists them.
    const listed = await client.listDeployments(answer.id, { perPage: 5 });
    const newest = listed.find(d => fresh(d.id) && d.phase !== 'CANCELED');
    if (newest)
        return newest.id;
    throw new Error(`App Platform accepted the spec of app ${answer.id} but names no deployment for it (no pending_deployment, ` +
        `nothing new among the ${listed.length} newest deployments); not creating one, which would build twice. ` +
        `See the app's deployments (doctl apps list-deployments ${answer.id})`);
}
/** Ids of the deployments an app shows now (the ones a later answer must not be mistaken for). */
function knownDeployments(app) {
    const ids = [
        app?.active_deployment,
        app?.pending_deployment,
        app?.in_progress_deployment,
        app?.pinned_deployment
    ]
        .map(d => d?.id)
        .filter((id) => !!id);
    return new Set(ids);
}

;// CONCATENATED MODULE: ./src/digitalocean/types.ts
/**
 * DigitalOcean App Platform API v2 shapes, with DigitalOcean's own field names (OpenAPI `apps.json` + godo).
 * Only what this project reads is typed precisely; specs are kept as plain JSON so that fields we do not
 * know survive a GET → edit → PUT round trip untouched.
 */
const DEPLOYMENT_PHASES = (/* unused pure expression or super */ null && ([
    'UNKNOWN',
    'PENDING_BUILD',
    'BUILDING',
    'PENDING_DEPLOY',
    'DEPLOYING',
    'ACTIVE',
    'SUPERSEDED',
    'ERROR',
    'CANCELED'
]));
const TERMINAL_PHASES = ['ACTIVE', 'SUPERSEDED', 'ERROR', 'CANCELED'];
const ROLLBACK_REFUSAL_CODES = (/* unused pure expression or super */ null && ([
    'incompatible_phase',
    'incompatible_result',
    'exceeded_revision_limit',
    'app_pinned',
    'database_config_conflict',
    'region_conflict'
]));
const ROLLBACK_WARNING_CODES = (/* unused pure expression or super */ null && ([
    'static_site_requires_rebuild',
    'image_source_missing_digest'
]));

;// CONCATENATED MODULE: ./src/digitalocean/waiter.ts




async function waitForDeployment(client, appId, deploymentId, opts) {
    const now = opts.now ?? Date.now;
    // Real waits end at once on cancellation, so the run stops polling within the runner's grace time.
    const sleep = opts.sleep ?? cancellableSleep;
    const started = now();
    const deadline = started + opts.timeoutMs;
    const log = opts.logger;
    const stamp = () => `[${(0,duration/* formatDuration */.a3)(now() - started)}]`;
    const phases = [];
    const stepStatus = new Map();
    let polls = 0;
    let deployment;
    let sawActive = false;
    let lastLine = now();
    const info = (line) => {
        lastLine = now();
        log.info(line);
    };
    for (;;) {
        polls++;
        deployment = await client.getDeployment(appId, deploymentId);
        const at = now();
        const phase = deployment.phase ?? 'UNKNOWN';
        const current = phases[phases.length - 1];
        if (current)
            current.end = at;
        if (!current || current.phase !== phase) {
            phases.push({ phase, start: at, end: at });
            info(`${stamp()} deployment ${deploymentId}: phase ${phase} (${stepCounts(deployment)})`);
        }
        for (const { key, step, depth } of flattenSteps(deployment.progress?.steps ?? [])) {
            const status = step.status ?? 'UNKNOWN';
            // Stages (build, deploy) and component steps (with a message_base) tell the story; the plumbing
            // steps in between (initialize, components) only repeat it, unless they fail.
            if (depth > 0 && !step.message_base && status !== 'ERROR')
                continue;
            if (stepStatus.get(key) === status)
                continue;
            const first = !stepStatus.has(key);
            stepStatus.set(key, status);
            // Steps first seen as PENDING are noise; report once they move.
            if (first && (status === 'PENDING' || status === 'UNKNOWN'))
                continue;
            const reason = status === 'ERROR' && step.reason?.message ? `: ${step.reason.message}` : '';
            info(`${stamp()}   ${describeStep(step)} ${status}${reason}`);
        }
        if (phase === 'ACTIVE')
            sawActive = true;
        if (isTerminal(phase))
            return finish(deployment, phase, false, false);
        if (at >= deadline)
            break;
        // Sleep in slices so a heartbeat line appears at least every HEARTBEAT_MS between phase changes.
        for (let left = Math.max(0, Math.min(opts.pollIntervalMs, deadline - at)); left > 0;) {
            const slice = Math.min(left, Math.max(1, HEARTBEAT_MS - (now() - lastLine)));
            await sleep(slice);
            left -= slice;
            if (now() - lastLine >= HEARTBEAT_MS)
                info(`${stamp()} ${heartbeat(deploymentId, deployment)}`);
        }
    }
    log.warning(`Deployment ${deploymentId} did not finish within ${(0,duration/* formatDuration */.a3)(opts.timeoutMs)} (phase ${deployment.phase ?? 'UNKNOWN'})`);
    if (opts.cancelOnTimeout === false)
        return finish(deployment, deployment.phase ?? 'UNKNOWN', true, false);
    try {
        const answer = await client.cancelDeployment(appId, deploymentId);
        // The cancel answer can still show the phase before the cancel (the OpenAPI example answers PENDING_BUILD):
        // read it back until it is terminal, so the phase output says CANCELED rather than a stale phase.
        let canceled = answer;
        for (let i = 0; i < CANCEL_READBACKS && !isTerminal(canceled.phase); i++) {
            await sleep(Math.min(opts.pollIntervalMs, 2000));
            canceled = await client.getDeployment(appId, deploymentId).catch(() => canceled);
        }
        const phase = isTerminal(canceled.phase) ? canceled.phase : 'CANCELED';
        log.info(`${stamp()} canceled deployment ${deploymentId} (phase ${canceled.phase ?? 'UNKNOWN'})`);
        const last = phases[phases.length - 1];
        if (last && last.phase !== phase)
            phases.push({ phase, start: now(), end: now() });
        return finish(canceled, phase, true, true);
    }
    catch (error) {
        log.warning(`Could not cancel deployment ${deploymentId}: ${(0,errors/* errorMessage */.gJ)(error)}`);
        // Most often it just finished (cancel answers 400 for a terminal deployment): report what it became.
        try {
            deployment = await client.getDeployment(appId, deploymentId);
        }
        catch {
            // keep the last state we saw
        }
        const phase = deployment.phase ?? 'UNKNOWN';
        if (isTerminal(phase)) {
            const last = phases[phases.length - 1];
            if (last && last.phase !== phase)
                phases.push({ phase, start: now(), end: now() });
            return finish(deployment, phase, false, false);
        }
        return finish(deployment, phase, true, false);
    }
    function finish(dep, phase, timedOut, canceled) {
        return {
            deployment: dep,
            phase,
            succeeded: phase === 'ACTIVE' || (phase === 'SUPERSEDED' && (sawActive || allTopStepsSucceeded(dep))),
            timedOut,
            canceled,
            polls,
            elapsedMs: now() - started,
            startedAt: started,
            phases,
            failingStep: findFailingStep(dep.progress?.steps ?? [])
        };
    }
}
const HEARTBEAT_MS = 15_000;
function cancellableSleep(ms) {
    return new Promise((resolve, reject) => {
        if (cancellation/* cancellation */.WN.cancelled)
            return reject(cancellation/* cancellation */.WN.signal.reason);
        const onAbort = () => {
            clearTimeout(timer);
            reject(cancellation/* cancellation */.WN.signal.reason);
        };
        const timer = setTimeout(() => {
            cancellation/* cancellation */.WN.signal.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        cancellation/* cancellation */.WN.signal.addEventListener('abort', onAbort, { once: true });
    });
}
const CANCEL_READBACKS = 5;
const isTerminal = (phase) => phase !== undefined && TERMINAL_PHASES.includes(phase);
/** Every top-level step SUCCESS (Terraform's rule, TF #1048) and none in ERROR. */
function allTopStepsSucceeded(dep) {
    const steps = dep.progress?.steps ?? [];
    return steps.length > 0 && steps.every(s => s.status === 'SUCCESS') && !(dep.progress?.error_steps ?? 0);
}
/** `3/5 steps` from the progress counters (counted from the step tree when they are absent). */
function stepCounts(dep) {
    const p = dep.progress;
    const total = p?.total_steps ?? flattenSteps(p?.steps ?? []).length;
    const done = p?.success_steps ?? flattenSteps(p?.steps ?? []).filter(s => s.step.status === 'SUCCESS').length;
    return `${done}/${total} steps`;
}
/** The step doing the work now: the deepest RUNNING one. */
function runningStep(dep) {
    let found;
    for (const { step } of flattenSteps(dep.progress?.steps ?? []))
        if (step.status === 'RUNNING')
            found = describeStep(step);
    return found;
}
function heartbeat(deploymentId, dep) {
    const running = runningStep(dep);
    return `deployment ${deploymentId}: still ${dep.phase ?? 'UNKNOWN'}, ${stepCounts(dep)}${running ? `, running: ${running}` : ''}`;
}
/** `Deploying service web` (message_base + component_name), else the step name. */
function describeStep(step) {
    if (step.message_base)
        return step.component_name ? `${step.message_base} ${step.component_name}` : step.message_base;
    return step.component_name ? `${step.name ?? 'step'} (${step.component_name})` : (step.name ?? 'step');
}
/** Every step with a stable key (its name path), parents before children. */
function flattenSteps(steps, prefix = '', depth = 0) {
    const out = [];
    steps.forEach((step, i) => {
        const key = `${prefix}/${step.name ?? i}${step.component_name ? `:${step.component_name}` : ''}`;
        out.push({ key, step, depth }, ...flattenSteps(step.steps ?? [], key, depth + 1));
    });
    return out;
}
/** The deepest step in ERROR with a reason: the one that explains the failure. */
function findFailingStep(steps) {
    let found;
    for (const { step } of flattenSteps(steps)) {
        // A parent in ERROR often only echoes its child: keep the deepest step that says why.
        if (step.status !== 'ERROR' || (found?.message && !step.reason?.message))
            continue;
        found = {
            step: describeStep(step),
            component: step.component_name,
            code: step.reason?.code,
            message: step.reason?.message
        };
    }
    return found;
}

;// CONCATENATED MODULE: ./src/digitalocean/rollback.ts






/**
 * Manual rollback through App Platform's rollback API (validate → rollback → wait ACTIVE → commit), shared
 * by deploy-app-platform (`rollback-to`) and health-gate (automatic rollback). `rollBack` returns one value
 * for every outcome the API can give (refused, not ACTIVE, ACTIVE, committed); only API and network errors throw.
 */
const REFUSALS = {
    incompatible_phase: 'the target deployment is not in a phase that can be rolled back to (it must have finished, e.g. ACTIVE or SUPERSEDED)',
    incompatible_result: 'the target deployment did not succeed (failed or canceled), so it cannot be rolled back to',
    exceeded_revision_limit: "the target deployment is older than the app tier's rollback history allows; pick a newer one or upgrade the tier",
    app_pinned: 'a rollback is already in progress and the app is pinned: commit it (POST /v2/apps/<app>/rollback/commit) or revert it (POST /v2/apps/<app>/rollback/revert) first',
    database_config_conflict: "the target deployment's database configuration differs from the current one; roll forward instead",
    region_conflict: "the target deployment ran in another region than the app's current region; roll forward instead",
    static_site_requires_rebuild: 'warning: a static site in the target deployment has to be rebuilt, so the rollback is not an exact copy',
    image_source_missing_digest: 'warning: an image in the target deployment is pinned by tag, not digest, so the rolled-back image may differ'
};
/** One line for every condition code DigitalOcean documents (and a generic line for any other). */
function explainRollbackRefusal(code) {
    return (code && REFUSALS[code]) ?? `App Platform refused the rollback${code ? ` (${code})` : ''}`;
}
/**
 * The exact ways out of a pinned app (App Platform refuses every new deployment until one is taken): the
 * deploy action's modes and the same call with curl.
 */
function pinnedAppCommands(appId, apiUrl = 'https://api.digitalocean.com') {
    const api = apiUrl.replace(/\/+$/, '');
    const curl = (op) => `curl -fsS -X POST -H "Authorization: Bearer $DIGITALOCEAN_TOKEN" ${api}/v2/apps/${appId}/rollback/${op}`;
    return (`keep the rolled-back version: deploy-app-platform with mode: rollback-commit and app-id: ${appId} (or ${curl('commit')}); ` +
        `go back to the release: mode: rollback-revert (or ${curl('revert')})`);
}
/** The one line of a refused rollback: the condition code explained and the server's own message. */
function refusalLine(code, serverMessage, targetDeploymentId) {
    return (`Rollback to deployment ${targetDeploymentId} refused${code ? ` (${code})` : ''}: ${explainRollbackRefusal(code)}` +
        (serverMessage ? ` - App Platform says: ${serverMessage}` : ''));
}
/**
 * `previous` = the newest earlier deployment of a different release that served traffic (see
 * rollback-target.ts). An id is looked up so a typo fails here, naming it, rather than in the rollback call.
 */
async function resolveRollbackTarget(client, appId, target) {
    const app = await client.getApp(appId);
    const activeDeploymentId = app.active_deployment?.id;
    if (target !== 'previous') {
        const deployment = await client.getDeployment(appId, target);
        return { deploymentId: deployment.id, deployment, activeDeploymentId };
    }
    const found = await findPreviousRelease(client, appId, activeDeploymentId);
    if (!found.deployment)
        throw new Error(`App ${appId} has no earlier deployment of another release that served traffic to roll back to ` +
            `(active: ${activeDeploymentId ?? 'none'}, ${found.scanned} deployments read)`);
    return { deploymentId: found.deployment.id, deployment: found.deployment, activeDeploymentId };
}
/**
 * validate → rollback → wait ACTIVE → (beforeCommit, commit). API and network errors throw; every outcome App
 * Platform decides is returned: refused, not ACTIVE (`failure`, the app pinned), ACTIVE, committed.
 */
async function rollback_rollBack(client, appId, targetDeploymentId, opts) {
    const log = opts.logger;
    const validation = await client.validateRollback(appId, targetDeploymentId);
    if (!validation.valid) {
        const { code, message: serverMessage } = validation.error ?? {};
        return {
            refused: true,
            failure: refusalLine(code, serverMessage, targetDeploymentId),
            targetDeploymentId,
            code,
            serverMessage
        };
    }
    const warnings = validation.warnings ?? [];
    for (const w of warnings)
        log.warning(`Rollback to ${targetDeploymentId}: ${explainRollbackRefusal(w.code)}${w.message ? ` (${w.message})` : ''}`);
    const before = await client.getApp(appId);
    const deployment = await client.createRollback(appId, targetDeploymentId, false, knownDeployments(before));
    log.info(`Rolling back app ${appId} to deployment ${targetDeploymentId}: rollback deployment ${deployment.id}`);
    // Cancelled from here on, the app would stay pinned and refuse every later deploy (409). The release was
    // already judged bad, so the rollback is kept: committed (the previous release stays, the app is unpinned).
    const onCancel = cancellation/* cancellation */.WN.addUndo(`commit rollback deployment ${deployment.id} so app ${appId} is not left pinned`, async () => {
        try {
            await client.commitRollback(appId);
        }
        catch (error) {
            cancellation/* cancellation */.WN.leave(`app ${appId} stays pinned to rollback deployment ${deployment.id} (commit failed: ${(0,errors/* errorMessage */.gJ)(error)}): ${pinnedAppCommands(appId, opts.apiUrl)}`);
        }
    });
    let wait;
    try {
        wait = await waitForDeployment(client, appId, deployment.id, {
            pollIntervalMs: opts.pollIntervalMs,
            timeoutMs: opts.timeoutMs,
            logger: log,
            sleep: opts.sleep,
            now: opts.now
        });
    }
    catch (error) {
        if (!cancellation/* cancellation */.WN.cancelled)
            onCancel.dismiss();
        throw error;
    }
    const base = { rollbackDeploymentId: deployment.id, targetDeploymentId, phase: wait.phase, warnings, wait };
    if (wait.phase !== 'ACTIVE') {
        onCancel.dismiss();
        const why = wait.timedOut
            ? `did not finish within ${(0,duration/* formatDuration */.a3)(opts.timeoutMs)}`
            : `ended in phase ${wait.phase}`;
        const step = wait.failingStep
            ? ` at "${wait.failingStep.step}"${wait.failingStep.message ? `: ${wait.failingStep.message}` : ''}`
            : '';
        return {
            ...base,
            committed: false,
            failure: `Rollback deployment ${deployment.id} ${why}${step}. The app stays pinned to it: ${pinnedAppCommands(appId, opts.apiUrl)}`
        };
    }
    try {
        await opts.beforeCommit?.();
    }
    catch (error) {
        if (!cancellation/* cancellation */.WN.cancelled)
            onCancel.dismiss();
        throw error;
    }
    if (opts.commit === false) {
        log.info(`Rollback deployment ${deployment.id} is ACTIVE; the app stays pinned until the rollback is committed or reverted`);
        return { ...base, committed: false, onCancel };
    }
    onCancel.dismiss();
    await client.commitRollback(appId);
    log.info(`Rollback to ${targetDeploymentId} committed (deployment ${deployment.id}, ${(0,duration/* formatDuration */.a3)(wait.elapsedMs)})`);
    return { ...base, committed: true };
}

;// CONCATENATED MODULE: ./src/health/rollback-port.ts

function appPlatformRollback(client, o) {
    let onCancel;
    return {
        async resolveTarget(rollbackTo) {
            const t = await resolveRollbackTarget(client, o.appId, rollbackTo ?? 'previous');
            return { deploymentId: t.deploymentId, activeDeploymentId: t.activeDeploymentId };
        },
        async rollback(targetDeploymentId) {
            // commit: false, because the gate commits only after probing the restored version itself.
            const r = await rollback_rollBack(client, o.appId, targetDeploymentId, {
                pollIntervalMs: o.pollIntervalMs,
                timeoutMs: o.timeoutMs,
                logger: o.logger,
                apiUrl: o.apiUrl,
                commit: false
            });
            if (r.refused)
                return { warnings: [], failure: r.failure };
            onCancel = r.onCancel;
            return {
                rollbackDeploymentId: r.rollbackDeploymentId,
                warnings: r.warnings.map(w => w.code ?? w.message ?? ''),
                failure: r.failure
            };
        },
        commit: async () => {
            await client.commitRollback(o.appId);
            onCancel?.dismiss();
        },
        settle: pinnedTo => {
            onCancel?.dismiss();
            if (pinnedTo)
                o.logger.error(`App ${o.appId} stays pinned to rollback deployment ${pinnedTo}; App Platform refuses new deployments until it is committed or reverted: ${pinnedAppCommands(o.appId, o.apiUrl)}`);
        }
    };
}

;// CONCATENATED MODULE: ./actions/health-gate/deferred.ts
// Loaded by main.ts once the inputs are valid, as ONE chunk: separate dynamic imports would each carry (and load)
// their own copy of the modules they share.







/***/ })

};
