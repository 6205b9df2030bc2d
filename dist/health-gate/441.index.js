export const id = 441;
export const ids = [441,87];
export const modules = {

/***/ 9441:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   checkCertificate: () => (/* binding */ checkCertificate)
/* harmony export */ });
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1692);
/* harmony import */ var node_tls__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_tls__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7030);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_net__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _probe_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3087);



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
    const now = o.now ?? Date.now;
    const { cert, authorizationError } = await handshake(host, port, o);
    const report = { host, port, problems: [] };
    if (!cert || !cert.valid_to) {
        report.problems.push(`the server at ${host}:${port} sent no certificate`);
        return report;
    }
    report.subject = nameOf(cert.subject) ?? cert.subjectaltname;
    report.issuer = nameOf(cert.issuer);
    report.validTo = new Date(cert.valid_to).toISOString();
    report.daysLeft = Math.floor((Date.parse(cert.valid_to) - now()) / DAY_MS);
    if (authorizationError)
        report.problems.push(`certificate chain does not verify: ${explainChainError(authorizationError)}`);
    const identityError = (0,node_tls__WEBPACK_IMPORTED_MODULE_0__.checkServerIdentity)(host, cert);
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
        const socket = (0,node_tls__WEBPACK_IMPORTED_MODULE_0__.connect)({
            host,
            port,
            servername: (0,node_net__WEBPACK_IMPORTED_MODULE_1__.isIP)(host) ? undefined : host,
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
        socket.once('error', error => reject(new Error(`TLS check of ${host}:${port} failed: ${(0,_probe_js__WEBPACK_IMPORTED_MODULE_2__.networkReason)(error)}`)));
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


/***/ }),

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
