export const id = 722;
export const ids = [722];
export const modules = {

/***/ 2722:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  XB: () => (/* binding */ LockTimeoutError),
  lX: () => (/* binding */ acquireAdvisoryLock),
  Ut: () => (/* binding */ advisoryLockKey),
  sG: () => (/* binding */ describeHolder),
  describeTarget: () => (/* binding */ describeTarget),
  EB: () => (/* binding */ openDirectConnection)
});

// UNUSED EXPORTS: PostgresConnectionError, advisoryLockHolders

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/pg/esm/index.mjs
var esm = __webpack_require__(3849);
// EXTERNAL MODULE: ./src/kit/duration.ts
var duration = __webpack_require__(438);
// EXTERNAL MODULE: ./src/kit/secrets.ts
var secrets = __webpack_require__(4601);
;// CONCATENATED MODULE: ./src/kit/retry.ts
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

;// CONCATENATED MODULE: ./src/postgres/advisory-lock.ts





/**
 * PostgreSQL session advisory locks held on a dedicated, direct connection (not through PgBouncer in
 * transaction mode, which would hand the session to someone else). The lock lives exactly as long as the
 * connection: if the job dies, PostgreSQL releases it.
 */
/** A stable 64-bit lock key for a name, so every pipeline migrating a database agrees on it. */
function advisoryLockKey(name) {
    return (0,external_node_crypto_.createHash)('sha256').update(name).digest().readBigInt64BE(0);
}
class PostgresConnectionError extends Error {
    code;
    constructor(message, code) {
        super(message);
        this.code = code;
        this.name = 'PostgresConnectionError';
    }
}
/** Opens one connection; a failure is one line naming the server, database and user, never the password. */
async function openDirectConnection(url, opts = {}) {
    const client = new esm/* default.Client */.Ay.Client({
        connectionString: libpqCompatible(url),
        application_name: opts.applicationName,
        connectionTimeoutMillis: opts.connectTimeoutMs ?? 15_000,
        keepAlive: true
    });
    // A dropped connection is reported by the next query; without a listener it would crash the process.
    client.on('error', () => undefined);
    try {
        await client.connect();
        return client;
    }
    catch (error) {
        await client.end().catch(() => undefined);
        const e = error;
        throw new PostgresConnectionError(`Cannot connect to PostgreSQL ${describeTarget(url)}: ${e.message}${e.code ? ` (${e.code})` : ''}`, e.code);
    }
}
/** `at host:port, database d, user u` for messages. */
function describeTarget(url) {
    try {
        const u = new URL(url);
        const db = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default)';
        return `at ${u.hostname}:${u.port || '5432'}, database ${db}, user ${decodeURIComponent(u.username) || '(default)'}`;
    }
    catch {
        return `at ${(0,secrets/* redactUrl */.BO)(url)}`;
    }
}
/**
 * node-postgres treats `sslmode=require` as `verify-full` unless told to behave like libpq; DigitalOcean's
 * managed databases present a certificate from their own CA, so libpq semantics (encrypt, verify only with
 * `sslrootcert`) are what a `?sslmode=require` URL means.
 */
function libpqCompatible(url) {
    try {
        const u = new URL(url);
        if (u.searchParams.has('sslmode') && !u.searchParams.has('uselibpqcompat'))
            u.searchParams.set('uselibpqcompat', 'true');
        return u.toString();
    }
    catch {
        return url;
    }
}
/** Sessions holding the advisory lock `key` in the current database (from pg_locks + pg_stat_activity). */
async function advisoryLockHolders(client, key) {
    const unsigned = BigInt.asUintN(64, key);
    const classid = (unsigned >> 32n).toString();
    const objid = (unsigned & 0xffffffffn).toString();
    const { rows } = await client.query(`SELECT l.pid, a.usename, a.application_name, a.client_addr::text AS client_addr, a.backend_start, a.state
       FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
        AND l.classid = $1::oid AND l.objid = $2::oid
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`, [classid, objid]);
    return rows.map(r => ({
        pid: r.pid,
        user: r.usename ?? undefined,
        application: r.application_name || undefined,
        client: r.client_addr ?? undefined,
        backendStart: r.backend_start ?? undefined,
        state: r.state ?? undefined
    }));
}
function describeHolder(h) {
    const parts = [
        h.user && `user ${h.user}`,
        h.application && `application '${h.application}'`,
        h.client && `from ${h.client}`,
        h.backendStart && `connected since ${h.backendStart.toISOString()}`,
        h.state && `state ${h.state}`
    ].filter(Boolean);
    return `pid ${h.pid}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}
class LockTimeoutError extends Error {
    holders;
    constructor(message, holders) {
        super(message);
        this.holders = holders;
        this.name = 'LockTimeoutError';
    }
}
/**
 * Takes the session advisory lock `key`, polling pg_try_advisory_lock until `timeoutMs` (a blocking
 * pg_advisory_lock could not be bounded without a statement_timeout that would also bound other work).
 */
async function acquireAdvisoryLock(client, key, opts) {
    const now = opts.now ?? Date.now;
    const wait = opts.sleep ?? sleep;
    const pollMs = opts.pollMs ?? 1000;
    const label = opts.label ?? `advisory lock ${key}`;
    const started = now();
    for (let attempt = 0;; attempt++) {
        const { rows } = await client.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key.toString()]);
        if (rows[0]?.locked) {
            return {
                key,
                waitedMs: now() - started,
                release: async () => {
                    await client.query('SELECT pg_advisory_unlock($1::bigint)', [key.toString()]);
                }
            };
        }
        const elapsed = now() - started;
        if (attempt === 0 && opts.onWait)
            opts.onWait(await advisoryLockHolders(client, key));
        if (elapsed >= opts.timeoutMs) {
            const holders = await advisoryLockHolders(client, key);
            const who = holders.length
                ? `held by ${holders.map(describeHolder).join('; ')}`
                : 'no holder is visible (it was released just now)';
            throw new LockTimeoutError(`Timed out after ${(0,duration/* formatDuration */.a)(opts.timeoutMs)} waiting for ${label}: ${who}`, holders);
        }
        await wait(Math.min(pollMs, Math.max(0, opts.timeoutMs - elapsed)));
    }
}


/***/ })

};
