export const id = 209;
export const ids = [209];
export const modules = {

/***/ 7209:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runBackup: () => (/* binding */ runBackup)
});

// EXTERNAL MODULE: ./node_modules/pg/esm/index.mjs
var esm = __webpack_require__(3849);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:stream/promises"
var promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: ./src/kit/progress.ts
var kit_progress = __webpack_require__(3701);
// EXTERNAL MODULE: ./src/postgres/binaries.ts
var binaries = __webpack_require__(1758);
// EXTERNAL MODULE: ./src/postgres/server.ts
var postgres_server = __webpack_require__(9080);
// EXTERNAL MODULE: ./src/postgres/url.ts
var url = __webpack_require__(8638);
// EXTERNAL MODULE: ./src/backup/id.ts
var backup_id = __webpack_require__(8613);
// EXTERNAL MODULE: ./src/backup/process.ts
var process = __webpack_require__(3015);
;// CONCATENATED MODULE: ./src/backup/rowcounts.ts

/**
 * Row counts for the manifest, taken in the dump's own snapshot so they match the archive exactly.
 * Tables up to EXACT_MAX_PAGES (100 MiB) get count(*), cheap next to dumping them; bigger ones get the
 * planner's estimate (pg_class.reltuples), marked `exact: false`, so counting never doubles the I/O of a
 * large backup. A never-analyzed table (reltuples < 0) is always counted.
 */
const EXACT_MAX_PAGES = 12_800;
async function tableRowCounts(client, exactMaxPages = EXACT_MAX_PAGES) {
    const tables = await client.query(`SELECT n.nspname AS schema, c.relname AS name, c.relpages AS pages, c.reltuples::float8 AS tuples
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
        AND n.nspname NOT LIKE 'pg_temp%'
      ORDER BY 1, 2`);
    const out = [];
    for (const t of tables.rows) {
        const name = `${t.schema}.${t.name}`;
        if (t.pages <= exactMaxPages || t.tuples < 0) {
            const r = await client.query(`SELECT count(*) AS n FROM ${(0,postgres_server/* quoteIdent */.v4)(t.schema)}.${(0,postgres_server/* quoteIdent */.v4)(t.name)}`);
            out.push({ name, rows: Number(r.rows[0].n), exact: true });
        }
        else {
            out.push({ name, rows: Math.round(t.tuples), exact: false });
        }
    }
    return out;
}

// EXTERNAL MODULE: ./src/backup/streams.ts
var streams = __webpack_require__(5543);
;// CONCATENATED MODULE: ./src/backup/backup.ts











/**
 * One streaming pipeline, nothing on disk, memory bounded by the upload's part buffers:
 *   pg_dump -Fc (in an exported snapshot) -> OpenPGP encrypt -> SHA-256 -> store.upload
 * then HeadObject-style size check, then the manifest, last. Any failure kills pg_dump, aborts the upload
 * and writes no manifest, so nothing that looks complete is left behind.
 */
async function runBackup(o) {
    const now = o.now ?? (() => new Date());
    const startedAt = now();
    const id = (0,backup_id/* backupIdFor */.zp)(startedAt);
    const name = (0,backup_id/* archiveName */.uv)(id);
    const log = o.logger;
    if ((await o.store.head(name)) || (await o.store.head((0,backup_id/* manifestName */.vS)(id))))
        throw new Error(`backup ${id} already exists in ${o.store.location}; is another backup running?`);
    const server = await (0,postgres_server/* serverVersion */.qh)(o.databaseUrl);
    const pgDump = await (0,binaries/* findPgBinary */.Uo)('pg_dump', { serverMajor: server.major });
    log.info(`backup ${id}: ${(0,url/* describeDatabase */.DZ)(o.databaseUrl)} (PostgreSQL ${server.version}) with ${pgDump.path} ${pgDump.version}`);
    log.info(`backup ${id}: writing ${o.store.keyOf(name)} (${o.encryptor.method} encryption)`);
    // The snapshot keeps the row counts consistent with the dump; it must stay open until pg_dump has it.
    const client = new esm/* default.Client */.Ay.Client({
        connectionString: (0,postgres_server/* nodePgConnectionString */.VE)(o.databaseUrl),
        application_name: 'backup'
    });
    await client.connect();
    try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const snapshot = (await client.query('SELECT pg_export_snapshot() AS s')).rows[0].s;
        const { dbname, env } = (0,url/* libpqConnection */.Vb)(o.databaseUrl);
        const dump = (0,process/* startProcess */.k)(pgDump.path, ['--format=custom', `--snapshot=${snapshot}`, '--no-password', `--dbname=${dbname}`], { env, label: 'pg_dump' });
        o.onDumpStarted?.(dump.child);
        const counts = tableRowCounts(client);
        counts.catch(() => undefined);
        const progress = new kit_progress/* ProgressLogger */.m({
            label: `backup ${id}`,
            log: l => log.info(l),
            intervalMs: o.progressIntervalMs
        });
        // Fixed order in the line: dumped, then stored (the rate printed is that of the last, the stored bytes).
        progress.set('dumped', 0);
        progress.set('stored', 0);
        const plain = new external_node_stream_.PassThrough({ highWaterMark: 1 << 20 });
        const hasher = new streams/* Sha256Stream */.Qc(undefined, n => progress.set('stored', n));
        const dumping = (0,promises_.pipeline)(dump.child.stdout, (0,streams/* counter */.hJ)(n => progress.set('dumped', n)), (0,streams/* coalesce */.Yc)(1 << 20), (0,streams/* endGate */.lM)(() => dump.done), plain);
        const encrypted = await o.encryptor.encrypt(plain, `${id}.dump`);
        const hashing = (0,promises_.pipeline)(encrypted, hasher);
        const uploading = o.store.upload(name, hasher);
        let firstFailure;
        let killedByUs = false;
        const teardown = (error) => {
            firstFailure ??= error;
            if (!dump.exited) {
                killedByUs = true;
                dump.child.kill('SIGKILL');
            }
            plain.destroy(error);
            hasher.destroy(error);
        };
        uploading.catch(error => teardown(error));
        dumping.catch(error => teardown(error));
        const [dumped, hashed, uploaded, exited] = await Promise.allSettled([
            dumping,
            hashing,
            uploading,
            dump.done
        ]);
        // The root cause first: pg_dump's own failure beats the stream errors it caused downstream, unless we
        // killed it because the upload (or the stream) failed first.
        if (exited.status === 'rejected' && !killedByUs)
            throw exited.reason;
        if (firstFailure)
            throw firstFailure;
        for (const r of [exited, uploaded, dumped, hashed])
            if (r.status === 'rejected')
                throw r.reason;
        const sizeBytes = hasher.bytes;
        const stored = await o.store.head(name);
        if (!stored || stored.size !== sizeBytes) {
            await o.store.remove(name).catch(() => undefined);
            throw new Error(`${o.store.keyOf(name)} holds ${stored?.size ?? 'no'} bytes after the upload, expected ${sizeBytes}`);
        }
        const tables = await counts;
        await client.query('COMMIT');
        progress.print('(archive stored)');
        const manifest = {
            version: 1,
            id,
            startedAt: startedAt.toISOString(),
            completedAt: now().toISOString(),
            database: (0,url/* databaseName */.Do)(o.databaseUrl),
            serverVersion: server.version,
            pgDumpVersion: pgDump.version,
            format: 'pg_dump-custom',
            objectKey: o.store.keyOf(name),
            sizeBytes,
            sha256: hasher.digest,
            encryption: { method: o.encryptor.method, keyFingerprints: o.encryptor.keyFingerprints },
            source: { host: (0,url/* describeDatabase */.DZ)(o.databaseUrl), tables }
        };
        await o.store.putText((0,backup_id/* manifestName */.vS)(id), `${JSON.stringify(manifest, null, 2)}\n`);
        log.info(`backup ${id}: complete (manifest ${o.store.keyOf((0,backup_id/* manifestName */.vS)(id))})`);
        return { manifest, durationMs: now().getTime() - startedAt.getTime() };
    }
    finally {
        await client.end().catch(() => undefined);
    }
}


/***/ }),

/***/ 3015:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   k: () => (/* binding */ startProcess)
/* harmony export */ });
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _kit_secrets_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4601);


/** Spawns a PostgreSQL tool keeping the end of its stderr for the error message (redacted). */
function startProcess(command, args, opts) {
    const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(command, args, {
        env: { ...process.env, ...opts.env },
        stdio: [opts.stdin ?? 'ignore', opts.stdout ?? 'pipe', 'pipe']
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => {
        stderr = (stderr + d).slice(-4000);
    });
    const running = { child, exited: false, done: Promise.resolve() };
    running.done = new Promise((resolve, reject) => {
        child.on('error', error => {
            running.exited = true;
            reject(new Error(`${opts.label} could not start: ${error.message}`));
        });
        child.on('close', (code, signal) => {
            running.exited = true;
            if (code === 0)
                return resolve();
            const why = signal ? `was killed by ${signal}` : `exited with code ${code}`;
            const tail = (0,_kit_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(stderr.trim().split('\n').slice(-5).join(' | '));
            reject(new Error(`${opts.label} ${why}${tail ? `: ${tail}` : ''}`));
        });
    });
    // Avoid an unhandled rejection when the caller only awaits it after another failure.
    running.done.catch(() => undefined);
    return running;
}


/***/ }),

/***/ 5543:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Qc: () => (/* binding */ Sha256Stream),
/* harmony export */   W9: () => (/* binding */ holdTail),
/* harmony export */   Yc: () => (/* binding */ coalesce),
/* harmony export */   hJ: () => (/* binding */ counter),
/* harmony export */   lM: () => (/* binding */ endGate)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_1__);


/** Counts bytes as they pass (progress, sizes). */
function counter(onBytes) {
    let total = 0;
    return new node_stream__WEBPACK_IMPORTED_MODULE_1__.Transform({
        transform(chunk, _enc, cb) {
            total += chunk.length;
            onBytes(total);
            cb(null, chunk);
        }
    });
}
/** SHA-256 and size of what passes; `expected` makes the end of the stream fail on a mismatch. */
class Sha256Stream extends node_stream__WEBPACK_IMPORTED_MODULE_1__.Transform {
    expected;
    onBytes;
    hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    bytes = 0;
    digest;
    constructor(expected, onBytes) {
        super();
        this.expected = expected;
        this.onBytes = onBytes;
    }
    _transform(chunk, _enc, cb) {
        this.hash.update(chunk);
        this.bytes += chunk.length;
        this.onBytes?.(this.bytes);
        cb(null, chunk);
    }
    _flush(cb) {
        this.digest = this.hash.digest('hex');
        const e = this.expected;
        if (e && (e.size !== this.bytes || e.sha256 !== this.digest)) {
            cb(new Error(`checksum mismatch for ${e.what}: stored ${this.bytes} bytes with SHA-256 ${this.digest}, the manifest says ${e.size} bytes with SHA-256 ${e.sha256}`));
            return;
        }
        cb();
    }
}
/**
 * Passes data through but delays the end until `gate` resolves, and fails the stream when it rejects:
 * pg_dump's output is only whole once pg_dump has exited with 0, and an error here must reach the upload
 * (which then aborts) instead of a clean end-of-stream (which would complete it).
 */
function endGate(gate) {
    return new node_stream__WEBPACK_IMPORTED_MODULE_1__.Transform({
        transform(chunk, _enc, cb) {
            cb(null, chunk);
        },
        flush(cb) {
            gate().then(() => cb(), (error) => cb(error));
        }
    });
}
/**
 * Holds back the last `bytes` of the stream until it ends cleanly. Decryption only proves integrity at the
 * very end (the MDC); holding the tail keeps pg_restore from ever seeing a whole archive that later fails.
 */
function holdTail(bytes) {
    let held = [];
    let heldBytes = 0;
    return new node_stream__WEBPACK_IMPORTED_MODULE_1__.Transform({
        transform(chunk, _enc, cb) {
            held.push(chunk);
            heldBytes += chunk.length;
            while (held.length > 1 && heldBytes - held[0].length >= bytes) {
                const first = held.shift();
                heldBytes -= first.length;
                this.push(first);
            }
            cb();
        },
        flush(cb) {
            for (const c of held)
                this.push(c);
            held = [];
            cb();
        }
    });
}
/**
 * Joins small chunks (pg_dump writes 64 KiB pipe reads) into chunks of about `bytes`: the encryption runs on
 * Web Streams, whose cost is per chunk, so fewer, larger chunks cut the CPU the pipeline takes from pg_dump.
 */
function coalesce(bytes) {
    let held = [];
    let heldBytes = 0;
    return new node_stream__WEBPACK_IMPORTED_MODULE_1__.Transform({
        transform(chunk, _enc, cb) {
            held.push(chunk);
            heldBytes += chunk.length;
            if (heldBytes >= bytes) {
                const out = Buffer.concat(held, heldBytes);
                held = [];
                heldBytes = 0;
                cb(null, out);
                return;
            }
            cb();
        },
        flush(cb) {
            cb(null, heldBytes ? Buffer.concat(held, heldBytes) : undefined);
        }
    });
}


/***/ }),

/***/ 3701:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   m: () => (/* binding */ ProgressLogger)
/* harmony export */ });
/* harmony import */ var _bytes_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9239);
/* harmony import */ var _duration_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(438);


class ProgressLogger {
    opts;
    started;
    lastPrinted;
    counters = new Map();
    intervalMs;
    now;
    constructor(opts) {
        this.opts = opts;
        this.now = opts.now ?? Date.now;
        this.intervalMs = opts.intervalMs ?? 5000;
        this.started = this.now();
        this.lastPrinted = this.started;
    }
    /** Sets counter `name` (e.g. `dumped`, `stored`) to `bytes`, printing a line when the interval has passed. */
    set(name, bytes) {
        this.counters.set(name, bytes);
        if (this.now() - this.lastPrinted >= this.intervalMs)
            this.print();
    }
    add(name, bytes) {
        this.set(name, (this.counters.get(name) ?? 0) + bytes);
    }
    get(name) {
        return this.counters.get(name) ?? 0;
    }
    elapsedMs() {
        return this.now() - this.started;
    }
    /** Prints a line now (e.g. the final one). The rate is that of the last counter. */
    print(suffix = '') {
        this.lastPrinted = this.now();
        const elapsed = this.elapsedMs();
        const parts = [...this.counters].map(([name, bytes]) => `${(0,_bytes_js__WEBPACK_IMPORTED_MODULE_1__/* .formatBytes */ .z)(bytes)} ${name}`);
        const last = [...this.counters.values()].pop() ?? 0;
        parts.push((0,_bytes_js__WEBPACK_IMPORTED_MODULE_1__/* .formatRate */ .C)(last, elapsed), `${(0,_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a)(elapsed)} elapsed`);
        this.opts.log(`${this.opts.label}: ${parts.join(', ')}${suffix ? ` ${suffix}` : ''}`);
    }
}


/***/ }),

/***/ 1758:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Uo: () => (/* binding */ findPgBinary),
/* harmony export */   VV: () => (/* binding */ parsePgVersion)
/* harmony export */ });
/* unused harmony exports binaryVersion, candidatePaths */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7975);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_util__WEBPACK_IMPORTED_MODULE_4__);





const execFileAsync = (0,node_util__WEBPACK_IMPORTED_MODULE_4__.promisify)(node_child_process__WEBPACK_IMPORTED_MODULE_0__.execFile);
/** Parses `pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)` or `pg_dump (PostgreSQL) 9.6.24`. */
function parsePgVersion(text) {
    const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
    if (!m)
        return undefined;
    const first = Number(m[1]);
    // Before 10 the major version had two parts (9.6).
    const major = first >= 10 ? first : Number(`${first}.${m[2] ?? 0}`);
    return { version: [m[1], m[2], m[3]].filter(x => x !== undefined).join('.'), major };
}
async function binaryVersion(path) {
    const { stdout } = await execFileAsync(path, ['--version'], { timeout: 10_000 });
    const parsed = parsePgVersion(stdout);
    if (!parsed)
        throw new Error(`${path} --version printed something unexpected: ${stdout.trim()}`);
    return { path, ...parsed };
}
async function isExecutable(path) {
    try {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.access)(path, node_fs__WEBPACK_IMPORTED_MODULE_2__.constants.X_OK);
        return true;
    }
    catch {
        return false;
    }
}
/** Every candidate path for `tool`: $PATH entries first, then /usr/lib/postgresql/<major>/bin. */
async function candidatePaths(tool, opts = {}) {
    const paths = [];
    for (const dir of (opts.pathEnv ?? process.env.PATH ?? '').split(node_path__WEBPACK_IMPORTED_MODULE_3__.delimiter)) {
        if (dir && (await isExecutable((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, tool))))
            paths.push((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, tool));
    }
    const root = opts.versionedRoot ?? '/usr/lib/postgresql';
    let majors = [];
    try {
        majors = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(root);
    }
    catch {
        // no versioned installs on this machine
    }
    for (const major of majors) {
        const p = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(root, major, 'bin', tool);
        if (await isExecutable(p))
            paths.push(p);
    }
    return [...new Set(paths)];
}
/**
 * Finds `tool` (PATH first, then /usr/lib/postgresql/* /bin) and picks the newest version found. With
 * `serverMajor`, refuses in one line naming both versions when no client is at least that major: an older
 * pg_dump aborts on a newer server, the most common silent backup failure.
 */
async function findPgBinary(tool, opts = {}) {
    const found = [];
    for (const p of await candidatePaths(tool, opts)) {
        try {
            found.push(await binaryVersion(p));
        }
        catch {
            // a broken wrapper (Debian's pg_wrapper without a cluster) is not a candidate
        }
    }
    if (found.length === 0)
        throw new Error(`${tool} not found on PATH or under /usr/lib/postgresql/*/bin; install the PostgreSQL client`);
    // Newest first; among equal versions keep PATH order (stable sort).
    found.sort((a, b) => b.major - a.major);
    const best = found[0];
    if (opts.serverMajor !== undefined && best.major < opts.serverMajor)
        throw new Error(`${tool} ${best.version} is older than the server (PostgreSQL ${opts.serverMajor}); install postgresql-client-${opts.serverMajor} or newer`);
    return best;
}


/***/ }),

/***/ 9080:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SV: () => (/* binding */ withClient),
/* harmony export */   VE: () => (/* binding */ nodePgConnectionString),
/* harmony export */   Zi: () => (/* binding */ dropDatabase),
/* harmony export */   cD: () => (/* binding */ createDatabase),
/* harmony export */   lJ: () => (/* binding */ userTables),
/* harmony export */   qh: () => (/* binding */ serverVersion),
/* harmony export */   v4: () => (/* binding */ quoteIdent)
/* harmony export */ });
/* unused harmony export serverMajorVersion */
/* harmony import */ var pg__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3849);
/* harmony import */ var _url_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8638);


/**
 * SQL access for the checks the actions make themselves (versions, row counts, scratch databases).
 * The connection uses the same TLS default as pg_dump (sslmode=require to non-local hosts).
 */
async function withClient(url, fn) {
    const client = new pg__WEBPACK_IMPORTED_MODULE_0__/* ["default"].Client */ .Ay.Client({
        connectionString: nodePgConnectionString(url),
        application_name: 'app-platform-pipeline'
    });
    await client.connect();
    try {
        return await fn(client);
    }
    finally {
        await client.end().catch(() => undefined);
    }
}
/**
 * The URL for node-postgres: TLS defaults as for libpq, and libpq's meaning of `sslmode` (node-postgres
 * otherwise treats `require` as `verify-full`, which rejects DigitalOcean's managed-database CA).
 * Only for node-postgres: libpq rejects the extra parameter.
 */
function nodePgConnectionString(url) {
    const u = new URL((0,_url_js__WEBPACK_IMPORTED_MODULE_1__/* .withSslDefaults */ .v_)(url));
    if (u.searchParams.has('sslmode') && !u.searchParams.has('uselibpqcompat'))
        u.searchParams.set('uselibpqcompat', 'true');
    return u.toString();
}
async function serverVersion(url) {
    return withClient(url, async (c) => {
        const r = await c.query("SELECT current_setting('server_version') AS v, current_setting('server_version_num') AS n");
        const n = Number(r.rows[0].n);
        return { version: r.rows[0].v, versionNum: n, major: n >= 100000 ? Math.floor(n / 10000) : n / 10000 };
    });
}
async function serverMajorVersion(url) {
    return (await serverVersion(url)).major;
}
/** Quotes an identifier for SQL (`"my ""db"""`). */
function quoteIdent(name) {
    return `"${name.replace(/"/g, '""')}"`;
}
async function createDatabase(url, name) {
    await withClient(url, c => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
}
async function dropDatabase(url, name) {
    await withClient(url, c => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}
/** User tables (not system schemas) in the URL's database: a restore target must have none. */
async function userTables(url) {
    return withClient(url, async (c) => {
        const r = await c.query(`SELECT format('%I.%I', n.nspname, c.relname) AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
        ORDER BY 1`);
        return r.rows.map(row => row.t);
    });
}


/***/ })

};
