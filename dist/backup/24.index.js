export const id = 24;
export const ids = [24];
export const modules = {

/***/ 9024:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  DEFAULT_RUNNER_IP_URL: () => (/* reexport */ DEFAULT_RUNNER_IP_URL),
  DEFAULT_STALE_AFTER_MS: () => (/* binding */ DEFAULT_STALE_AFTER_MS),
  DatabaseFirewall: () => (/* binding */ DatabaseFirewall),
  isStaleRule: () => (/* binding */ isStaleRule),
  isSuiteRule: () => (/* binding */ isSuiteRule),
  jobIdentity: () => (/* binding */ jobIdentity),
  lookUpRunnerIp: () => (/* reexport */ lookUpRunnerIp),
  ruleAdmits: () => (/* binding */ ruleAdmits),
  ruleDescription: () => (/* binding */ ruleDescription)
});

// UNUSED EXPORTS: FIREWALL_RULE_LIMIT, RULE_PREFIX, TrustedSourceRefusal

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
// EXTERNAL MODULE: ./src/kit/errors.ts
var errors = __webpack_require__(3713);
// EXTERNAL MODULE: ./src/kit/retry.ts
var retry = __webpack_require__(1834);
// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
// EXTERNAL MODULE: ./src/kit/log.ts
var log = __webpack_require__(3490);
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

;// CONCATENATED MODULE: ./src/digitalocean/runner-ip.ts




/** ipify's IPv4-only endpoint answers the caller's public address as plain text (what Azure's sql-action uses). */
const DEFAULT_RUNNER_IP_URL = 'https://api.ipify.org';
/** A refusal the user must act on: one line, no retry helps. */
class TrustedSourceRefusal extends Error {
    constructor(message) {
        super(message);
        this.name = 'TrustedSourceRefusal';
    }
}
/**
 * This runner's public IPv4 address as the service at `url` sees it. Accepts a plain-text answer or JSON
 * `{"ip": "..."}`. An IPv6 answer is refused: DigitalOcean's database firewall takes no IPv6 trusted sources.
 */
async function lookUpRunnerIp(url, opts = {}) {
    const call = `GET ${url}`;
    const text = await (0,retry/* retry */.L5)(async () => {
        const res = await (0,undici/* request */.Em)(url, {
            method: 'GET',
            headers: { accept: 'text/plain, application/json' },
            headersTimeout: opts.timeoutMs ?? 10_000,
            bodyTimeout: opts.timeoutMs ?? 10_000
        });
        const body = await res.body.text();
        if (res.statusCode !== 200)
            throw new errors/* RemoteError */.Hi({ call, status: res.statusCode, serverMessage: body.trim().slice(0, 200) });
        return body.trim();
    }, {
        attempts: 3,
        baseDelayMs: 500,
        sleep: opts.sleep,
        isRetryable: err => !(err instanceof errors/* RemoteError */.Hi) || (err.status ?? 500) >= 500
    });
    let address = text;
    if (text.startsWith('{')) {
        try {
            address = String(JSON.parse(text).ip ?? '');
        }
        catch {
            address = '';
        }
    }
    if ((0,external_node_net_.isIPv4)(address))
        return address;
    if ((0,external_node_net_.isIPv6)(address))
        throw new TrustedSourceRefusal(`trusted-source: the runner has only an IPv6 address (${address}, from ${url}); DigitalOcean's database firewall accepts IPv4 trusted sources only - use a runner with IPv4 egress, a self-hosted runner in the database's VPC, or a PRE_DEPLOY job`);
    throw new TrustedSourceRefusal(`Input 'runner-ip-url' did not answer an IP address: ${url} answered '${text.slice(0, 80)}'`);
}

;// CONCATENATED MODULE: ./src/digitalocean/database-firewall.ts
// A temporary trusted source on a managed database's firewall: one `ip_addr` rule for this runner, added before the
// work and removed after it, without touching anybody else's rules.
//
// The API (digitalocean/openapi specification/resources/databases/databases_{list_clusters,list_firewalls,
// update_firewall_rules}.yml; godo databases.go GetFirewallRules/UpdateFirewallRules): GET .../firewall lists the
// rules, PUT .../firewall REPLACES them all (204). There is no version or If-Match, so every change is a
// read-modify-write, as doctl's `databases firewalls append/remove` do (commands/databases.go). doctl sends back what
// it read minus `description` (godo's DatabaseFirewallRule has no such field): we keep every field of other rules.
//
// Concurrency without compare-and-swap. Other jobs (this suite's and anyone's) may write between our read and our
// PUT, and their PUT may carry a view older than ours. Protocol:
//   1. read the rules just before each write, PUT at once (one attempt: a retried PUT would replay a stale body);
//   2. wait `settleMs` - longer than any writer's read-to-PUT window - then read again;
//   3. our change is done only when that read shows it (our rule there / gone); else back off and start over.
// After step 3 succeeded no write based on a read older than our PUT can still land (it would have landed inside
// the settle window and been seen), so: a rule we reported added stays until we remove it, a rule we reported
// removed does not come back, and another job's rule dropped by our stale write is restored by that job's own step 3
// before it reports success. The assumption is that PUTs land within `settleMs` of their read.






const FIREWALL_RULE_LIMIT = 100;
/** Every description this suite writes starts so; what the stale-rule sweep looks for. */
const RULE_PREFIX = 'app-platform-pipeline';
/** GitHub ends a hosted runner's job after 6 h: a rule of ours older than that outlived its job. */
const DEFAULT_STALE_AFTER_MS = 6 * 3600_000;
/** The identity GitHub gives a job, from its environment (a local run gets `local` and its pid). */
function jobIdentity(env = process.env) {
    return {
        repository: env.GITHUB_REPOSITORY || 'local',
        runId: env.GITHUB_RUN_ID || `pid-${process.pid}`,
        attempt: env.GITHUB_RUN_ATTEMPT || '1',
        job: env.GITHUB_JOB || 'local'
    };
}
/** `app-platform-pipeline owner/repo run 123 attempt 2 job migrate`, at most 100 characters. */
function ruleDescription(id) {
    return `${RULE_PREFIX} ${id.repository} run ${id.runId} attempt ${id.attempt} job ${id.job}`.slice(0, 100);
}
const DESCRIPTION = new RegExp(`^${RULE_PREFIX} (\\S+) run (\\S+) attempt (\\d+) job (.*)$`);
/** Whether a rule's description is one this suite writes. */
const isSuiteRule = (rule) => DESCRIPTION.test(rule.description ?? '');
/** A rule this suite left behind: older than `staleAfterMs`, or an earlier attempt of this very job. */
function isStaleRule(rule, me, now, staleAfterMs) {
    const m = DESCRIPTION.exec(rule.description ?? '');
    if (!m || rule.description === ruleDescription(me))
        return false;
    const created = Date.parse(rule.created_at ?? '');
    if (Number.isFinite(created) && now - created > staleAfterMs)
        return true;
    // Attempts of one run are sequential: an earlier attempt of this job is over.
    const attempt = m[3];
    return Number(attempt) < Number(me.attempt) && rule.description === ruleDescription({ ...me, attempt });
}
/** An ip_addr rule admits an address equal to its value or inside its IPv4 CIDR range. */
function ruleAdmits(rule, ip) {
    if (rule.type !== 'ip_addr' || !(0,external_node_net_.isIPv4)(ip))
        return false;
    const [base, bits] = rule.value.split('/');
    if (!(0,external_node_net_.isIPv4)(base))
        return false;
    const prefix = bits === undefined ? 32 : Number(bits);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32)
        return false;
    const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
    return (toNumber(base) & mask) >>> 0 === (toNumber(ip) & mask) >>> 0;
}
const toNumber = (ip) => ip.split('.').reduce((n, octet) => (n << 8) + Number(octet), 0) >>> 0;
/** What we send back for a rule: everything but the read-only fields. */
const writable = (r) => ({
    ...(r.uuid ? { uuid: r.uuid } : {}),
    type: r.type,
    value: r.value,
    ...(r.description !== undefined ? { description: r.description } : {})
});
class DatabaseFirewall {
    reader;
    writer;
    logger;
    sleep;
    settleMs;
    rounds;
    constructor(opts) {
        const common = {
            token: opts.token,
            apiUrl: opts.apiUrl,
            logger: opts.logger,
            sleep: opts.sleep,
            onRequest: opts.onRequest
        };
        this.reader = new DigitalOceanClient(common);
        // One attempt per PUT: the retry is a whole new read-modify-write (below), never the same body again.
        this.writer = new DigitalOceanClient({ ...common, attempts: 1 });
        this.logger = opts.logger;
        this.sleep = opts.sleep ?? retry/* sleep */.yy;
        this.settleMs = opts.settleMs ?? 2000;
        this.rounds = opts.rounds ?? 8;
    }
    /** API requests sent so far (retries included). */
    get requestCount() {
        return this.reader.requestCount + this.writer.requestCount;
    }
    /** Every cluster of the account, page by page (godo's ListOptions; follows links.pages.next when given). */
    async listClusters() {
        const perPage = 100;
        const out = [];
        for (let page = 1; page <= 100; page++) {
            const res = await this.read(`/v2/databases?page=${page}&per_page=${perPage}`);
            const items = res.databases ?? [];
            out.push(...items);
            if (items.length < perPage && !res.links?.pages?.next)
                break;
            if (items.length === 0)
                break;
        }
        return out;
    }
    /**
     * The cluster named by `cluster` (uuid or name), or else the one whose host (public, private or standby) is the
     * database URL's host. Refuses when none matches or several do.
     */
    async findCluster(cluster, databaseUrl) {
        const all = await this.listClusters();
        const names = all.map(c => c.name).join(', ') || 'none';
        if (cluster) {
            const found = all.find(c => c.id === cluster) ?? all.find(c => c.name === cluster);
            if (!found)
                throw new TrustedSourceRefusal(`Input 'database-cluster' names no database cluster of this account: '${cluster}' (clusters: ${names})`);
            return found;
        }
        const url = new URL(databaseUrl);
        const host = url.hostname.toLowerCase();
        const port = Number(url.port || 5432);
        const hosts = (c) => [c.connection, c.private_connection, c.standby_connection, c.standby_private_connection].filter((x) => !!x?.host);
        let matches = all.filter(c => hosts(c).some(h => h.host.toLowerCase() === host));
        if (matches.length > 1)
            matches = matches.filter(c => hosts(c).some(h => h.host.toLowerCase() === host && h.port === port));
        if (matches.length === 1)
            return matches[0];
        throw new TrustedSourceRefusal(matches.length === 0
            ? `trusted-source: no database cluster of this account has the host ${host} of 'database-url'; set 'database-cluster' to its uuid or name (clusters: ${names})`
            : `trusted-source: several database clusters have the host ${host}:${port}; set 'database-cluster' (${matches.map(c => c.name).join(', ')})`);
    }
    async rules(clusterId) {
        return ((await this.read(`/v2/databases/${encodeURIComponent(clusterId)}/firewall`))
            .rules ?? []);
    }
    /**
     * Adds `{ip_addr: ip, description}` (and drops `stale` rules of ours on the way) until a settled read shows it.
     * Returns the rule as the API stored it (with its uuid) and the stale rules that are gone.
     */
    async addRule(clusterId, ip, description, isStale = () => false, initial) {
        const staleSeen = new Map();
        const mine = (r) => r.description === description && r.type === 'ip_addr' && r.value === ip;
        const rules = await this.readModifyWrite(clusterId, current => current.some(mine), current => {
            const kept = current.filter(r => {
                if (!isStale(r))
                    return true;
                staleSeen.set(r.uuid ?? `${r.type}:${r.value}`, r);
                return false;
            });
            if (kept.length + 1 > FIREWALL_RULE_LIMIT)
                throw new TrustedSourceRefusal(`trusted-source: the firewall of the database cluster is full (${current.length} of ${FIREWALL_RULE_LIMIT} trusted sources); remove a rule or reach the database another way (self-hosted runner in the VPC, PRE_DEPLOY job)`);
            return [...kept, { type: 'ip_addr', value: ip, description }];
        }, `add the trusted source ${ip}`, initial);
        const staleRemoved = [...staleSeen.values()].filter(s => !rules.some(r => s.uuid !== undefined && r.uuid === s.uuid));
        return { rule: rules.find(mine), staleRemoved };
    }
    /** Removes our rule (by uuid, and by its description in case a stale write brought it back under a new uuid). */
    async removeRule(clusterId, rule) {
        const mine = (r) => (rule.uuid !== undefined && r.uuid === rule.uuid) || r.description === rule.description;
        return ((await this.removeMatching(clusterId, mine, `remove the trusted source '${rule.description}'`)).length >
            0);
    }
    /** Removes every rule `match` selects; returns those it saw before removing them. */
    async removeMatching(clusterId, match, what, initial) {
        const seen = new Map();
        await this.readModifyWrite(clusterId, current => !current.some(match), current => {
            for (const r of current.filter(match))
                seen.set(r.uuid ?? `${r.type}:${r.value}`, r);
            return current.filter(r => !match(r));
        }, what, initial);
        return [...seen.values()];
    }
    /**
     * The protocol of this file's header: read, PUT, settle, read until `done(rules)`. `change` may throw a refusal.
     * Returns the settled rules.
     */
    async readModifyWrite(clusterId, done, change, what, initial) {
        const path = `/v2/databases/${encodeURIComponent(clusterId)}/firewall`;
        let current = initial ?? (await this.rules(clusterId));
        for (let round = 1;; round++) {
            if (done(current))
                return current;
            if (round > this.rounds)
                throw new Error(`trusted-source: could not ${what} on the firewall of cluster ${clusterId} in ${this.rounds} read-modify-write rounds (other writers kept changing it)`);
            const body = { rules: change(current).map(writable) };
            try {
                await this.writer.call('PUT', path, body);
            }
            catch (error) {
                this.raiseUnlessTransient(error, `PUT ${path}`);
                this.logger.info(`${(0,errors/* errorMessage */.gJ)(error)}; reading the rules again`);
            }
            await this.sleep(this.settleMs);
            current = await this.rules(clusterId);
            if (!done(current)) {
                const backoffMs = Math.round(Math.random() * Math.min(8000, 250 * 2 ** round));
                this.logger.info(`trusted-source: another writer changed the firewall at the same time; trying again in ${backoffMs} ms`);
                await this.sleep(backoffMs);
                current = await this.rules(clusterId);
            }
        }
    }
    async read(path) {
        try {
            return await this.reader.call('GET', path);
        }
        catch (error) {
            this.raiseUnlessTransient(error, `GET ${path.split('?')[0]}`, true);
            throw error;
        }
    }
    /** 403 is named as the missing scope; 429/5xx/network errors of a PUT are transient (the round is redone). */
    raiseUnlessTransient(error, call, always = false) {
        if (error instanceof errors/* RemoteError */.Hi && error.status === 403)
            throw new TrustedSourceRefusal(`trusted-source: the DigitalOcean token lacks the database scope (custom scopes database:read and database:update are needed): ${error.message}`);
        if (error instanceof errors/* RemoteError */.Hi && error.status === 404 && call.includes('/firewall'))
            throw new TrustedSourceRefusal(`trusted-source: unknown database cluster: ${error.message}`);
        const status = error instanceof errors/* RemoteError */.Hi ? error.status : undefined;
        const transient = status === undefined
            ? !(error instanceof errors/* RemoteError */.Hi)
            : status === 429 || (status >= 500 && status !== 501);
        if (always || !transient)
            throw error;
    }
}


/***/ }),

/***/ 1834:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L5: () => (/* binding */ retry),
/* harmony export */   mu: () => (/* binding */ parseRetryAfter),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* harmony import */ var _duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(438);

/** Sleeps `ms`, in chunks below Node's setTimeout limit (a longer delay would fire after 1 ms). */
async function sleep(ms) {
    for (const chunk of (0,_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .timerChunks */ .wf)(ms))
        await new Promise(resolve => setTimeout(resolve, chunk));
}
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
