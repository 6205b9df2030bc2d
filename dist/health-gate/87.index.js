export const id = 87;
export const ids = [87];
export const modules = {

/***/ 3087:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createHttpProbe: () => (/* binding */ createHttpProbe),
  networkReason: () => (/* binding */ networkReason)
});

// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
// EXTERNAL MODULE: ./src/kit/errors.ts
var errors = __webpack_require__(3713);
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
const isRecord = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
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


/***/ })

};
