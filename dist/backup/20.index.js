export const id = 20;
export const ids = [20];
export const modules = {

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

/***/ 7020:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   restoreBackup: () => (/* binding */ restoreBackup),
/* harmony export */   verifyBackup: () => (/* binding */ verifyBackup)
/* harmony export */ });
/* unused harmony exports tocTables, checkArchive, withinEstimate */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6466);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_stream_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _kit_progress_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3701);
/* harmony import */ var _postgres_binaries_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1758);
/* harmony import */ var _postgres_server_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9080);
/* harmony import */ var _postgres_url_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(8638);
/* harmony import */ var _id_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(8613);
/* harmony import */ var _process_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(3015);
/* harmony import */ var _streams_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(5543);










/** Bytes of plaintext kept from pg_restore until decryption has proven the whole message (MDC). */
const HELD_TAIL_BYTES = 1 << 20;
/** The tables (`schema.name`) listed in a `pg_restore --list` table of contents. */
function tocTables(toc) {
    const out = [];
    for (const line of toc.split('\n')) {
        // `215; 1259 16386 TABLE public Mixed Case owner`: names are printed unquoted, so the schema is the first
        // word, the owner the last, and the name everything between. `TABLE DATA ...` is the data entry.
        const m = /^\d+;\s+\d+\s+\d+\s+TABLE\s+(?!DATA\s)(\S+)\s+(.+)\s+(\S+)\s*$/.exec(line);
        if (m)
            out.push(`${m[1]}.${m[2]}`);
    }
    return out;
}
function expectedOf(store, m) {
    return { sha256: m.sha256, size: m.sizeBytes, what: store.keyOf((0,_id_js__WEBPACK_IMPORTED_MODULE_9__/* .archiveName */ .uv)(m.id)) };
}
/** Sends chunks to a child's stdin while it reads them, and discards them once it has exited. */
function feedWhileAlive(stdin, isAlive, onExit) {
    return new node_stream__WEBPACK_IMPORTED_MODULE_1__.Writable({
        write(chunk, _enc, cb) {
            if (!isAlive() || stdin.destroyed)
                return cb();
            if (stdin.write(chunk))
                return cb();
            let called = false;
            const go = () => {
                if (!called) {
                    called = true;
                    cb();
                }
            };
            stdin.once('drain', go);
            onExit(go);
        },
        final(cb) {
            if (isAlive() && !stdin.destroyed)
                stdin.end();
            cb();
        }
    });
}
/**
 * Pass 1, before the target is touched: downloads the archive and checks its size and SHA-256 against the
 * manifest (any changed byte fails here), then decrypts just the head (a wrong key or passphrase fails here)
 * until `pg_restore --list` has read the table of contents. Returns the TOC. Integrity of the rest of the
 * plaintext follows from the checksum, and pass 2 checks the MDC again before pg_restore sees the end.
 */
async function checkArchive(o, pgRestore) {
    const m = o.backup.manifest;
    const progress = new _kit_progress_js__WEBPACK_IMPORTED_MODULE_3__/* .ProgressLogger */ .m({
        label: `check ${m.id}`,
        log: l => o.logger.info(l),
        intervalMs: o.progressIntervalMs
    });
    const discard = new node_stream__WEBPACK_IMPORTED_MODULE_1__.Writable({ write: (_chunk, _enc, cb) => cb() });
    await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_2__.pipeline)(await o.store.read((0,_id_js__WEBPACK_IMPORTED_MODULE_9__/* .archiveName */ .uv)(m.id)), new _streams_js__WEBPACK_IMPORTED_MODULE_8__/* .Sha256Stream */ .Qc(expectedOf(o.store, m), n => progress.set('checked', n)), discard);
    const toc = await readToc(o, pgRestore);
    progress.print('(checksum, key and table of contents OK)');
    return toc;
}
async function readToc(o, pgRestore) {
    const m = o.backup.manifest;
    const where = o.store.keyOf((0,_id_js__WEBPACK_IMPORTED_MODULE_9__/* .archiveName */ .uv)(m.id));
    const source = await o.store.read((0,_id_js__WEBPACK_IMPORTED_MODULE_9__/* .archiveName */ .uv)(m.id));
    const lister = (0,_process_js__WEBPACK_IMPORTED_MODULE_7__/* .startProcess */ .k)(pgRestore.path, ['--list'], { stdin: 'pipe', label: 'pg_restore --list' });
    let toc = '';
    lister.child.stdout.setEncoding('utf8').on('data', (d) => (toc += d));
    lister.child.stdin.on('error', () => undefined); // EPIPE once it has read the TOC and exited
    try {
        const plain = await o.decryptor.decrypt(source);
        const sink = feedWhileAlive(lister.child.stdin, () => !lister.exited, cb => lister.child.once('close', cb));
        await new Promise((resolve, reject) => {
            // Once the TOC is read, the rest of the download is not needed here.
            lister.child.once('close', () => {
                plain.destroy();
                source.destroy();
                resolve();
            });
            (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_2__.pipeline)(plain, sink).then(resolve, (error) => (lister.exited ? resolve() : reject(error)));
        });
    }
    catch (error) {
        source.destroy();
        if (!lister.exited)
            lister.child.kill('SIGKILL');
        const to = m.encryption.keyFingerprints.length
            ? ` (encrypted to ${m.encryption.keyFingerprints.join(', ')})`
            : '';
        throw new Error(`decrypting ${where} failed: ${error.message}${to}`);
    }
    try {
        await lister.done;
    }
    catch (error) {
        throw new Error(`${where} decrypts, but not to a pg_dump archive: ${error.message}`);
    }
    return toc;
}
/** Pass 2: stream, re-check the hash, decrypt, hold the tail, pg_restore into `targetUrl`. */
async function streamRestore(o, pgRestore, targetUrl, extraArgs) {
    const m = o.backup.manifest;
    const { dbname, env } = (0,_postgres_url_js__WEBPACK_IMPORTED_MODULE_6__/* .libpqConnection */ .Vb)(targetUrl);
    const progress = new _kit_progress_js__WEBPACK_IMPORTED_MODULE_3__/* .ProgressLogger */ .m({
        label: `restore ${m.id}`,
        log: l => o.logger.info(l),
        intervalMs: o.progressIntervalMs
    });
    const source = await o.store.read((0,_id_js__WEBPACK_IMPORTED_MODULE_9__/* .archiveName */ .uv)(m.id));
    const hasher = new _streams_js__WEBPACK_IMPORTED_MODULE_8__/* .Sha256Stream */ .Qc(expectedOf(o.store, m), n => progress.set('downloaded', n));
    const restore = (0,_process_js__WEBPACK_IMPORTED_MODULE_7__/* .startProcess */ .k)(pgRestore.path, ['--no-owner', '--no-privileges', '--exit-on-error', '--no-password', ...extraArgs, `--dbname=${dbname}`], { env, stdin: 'pipe', stdout: 'ignore', label: 'pg_restore' });
    restore.child.stdin.on('error', () => undefined);
    // Large chunks into the decryption (Web Streams cost is per chunk): HTTP bodies arrive in ~16 KiB reads.
    const hashing = (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_2__.pipeline)(source, (0,_streams_js__WEBPACK_IMPORTED_MODULE_8__/* .coalesce */ .Yc)(1 << 20), hasher);
    hashing.catch(() => undefined);
    try {
        const plain = await o.decryptor.decrypt(hasher);
        await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_2__.pipeline)(plain, (0,_streams_js__WEBPACK_IMPORTED_MODULE_8__/* .holdTail */ .W9)(HELD_TAIL_BYTES), restore.child.stdin);
    }
    catch (error) {
        // pg_restore never got the whole archive: killing it rolls its transaction back.
        restore.child.kill('SIGKILL');
        await restore.done.catch(() => undefined);
        // A finished hash names the real cause (a changed byte); an unfinished one is abandoned.
        const hashError = hasher.digest !== undefined
            ? await hashing.then(() => undefined, (e) => e)
            : undefined;
        source.destroy();
        hasher.destroy();
        throw hashError ?? error;
    }
    await hashing;
    await restore.done;
    progress.print('(restored)');
}
async function pgRestoreFor(targetUrl, m) {
    const target = await (0,_postgres_server_js__WEBPACK_IMPORTED_MODULE_5__/* .serverVersion */ .qh)(targetUrl);
    const dumper = (0,_postgres_binaries_js__WEBPACK_IMPORTED_MODULE_4__/* .parsePgVersion */ .VV)(`(PostgreSQL) ${m.pgDumpVersion}`)?.major ?? 0;
    // pg_restore must read the dumper's archive format and speak to the target server.
    return (0,_postgres_binaries_js__WEBPACK_IMPORTED_MODULE_4__/* .findPgBinary */ .Uo)('pg_restore', { serverMajor: Math.max(target.major, dumper) });
}
/** `mode: restore`: into an empty database, in one transaction, after pass 1 has proven the archive. */
async function restoreBackup(o) {
    const started = Date.now();
    const existing = await (0,_postgres_server_js__WEBPACK_IMPORTED_MODULE_5__/* .userTables */ .lJ)(o.targetUrl);
    if (existing.length > 0)
        throw new Error(`target ${(0,_postgres_url_js__WEBPACK_IMPORTED_MODULE_6__/* .describeDatabase */ .DZ)(o.targetUrl)} already has ${existing.length} table(s) (${existing.slice(0, 5).join(', ')}${existing.length > 5 ? ', ...' : ''}); restore only into an empty database`);
    const pgRestore = await pgRestoreFor(o.targetUrl, o.backup.manifest);
    o.logger.info(`restore ${o.backup.id} into ${(0,_postgres_url_js__WEBPACK_IMPORTED_MODULE_6__/* .describeDatabase */ .DZ)(o.targetUrl)} with ${pgRestore.path} ${pgRestore.version}`);
    const toc = await checkArchive(o, pgRestore);
    await streamRestore(o, pgRestore, o.targetUrl, ['--single-transaction']);
    return { restoreMs: Date.now() - started, tables: tocTables(toc) };
}
/** An estimate (reltuples) is accepted within 10 % + 1000 rows: enough to catch an empty or truncated table. */
function withinEstimate(expected, actual) {
    return Math.abs(actual - expected) <= expected * 0.1 + 1000;
}
/**
 * `mode: verify`, the monthly drill: restore into a scratch database created on the server of `serverUrl`
 * (dropped afterwards), check the TOC's tables exist and the manifest's row counts match, run the user's
 * query (must return true). Failures are collected and returned; the caller fails the step on any.
 */
async function verifyBackup(o) {
    const started = Date.now();
    const scratch = `verify_${o.backup.id.toLowerCase()}_${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(3).toString('hex')}`;
    const scratchUrl = (0,_postgres_url_js__WEBPACK_IMPORTED_MODULE_6__/* .withDatabase */ .kR)(o.serverUrl, scratch);
    const pgRestore = await pgRestoreFor(o.serverUrl, o.backup.manifest);
    o.logger.info(`verify ${o.backup.id}: scratch database ${scratch} on ${(0,_postgres_url_js__WEBPACK_IMPORTED_MODULE_6__/* .describeDatabase */ .DZ)(o.serverUrl)}, ${pgRestore.path} ${pgRestore.version}`);
    const toc = await checkArchive(o, pgRestore);
    await (0,_postgres_server_js__WEBPACK_IMPORTED_MODULE_5__/* .createDatabase */ .cD)(o.serverUrl, scratch);
    try {
        await streamRestore(o, pgRestore, scratchUrl, []);
        const restoreMs = Date.now() - started;
        const tables = tocTables(toc);
        const failures = [];
        const checks = [];
        let queryResult;
        await (0,_postgres_server_js__WEBPACK_IMPORTED_MODULE_5__/* .withClient */ .SV)(scratchUrl, async (c) => {
            const present = new Set((await c.query(`SELECT n.nspname || '.' || c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')`)).rows.map(r => r.t));
            const expected = new Map(o.backup.manifest.source.tables.map(t => [t.name, t]));
            for (const name of tables) {
                if (!present.has(name)) {
                    checks.push({ name, ok: false, note: 'missing after restore' });
                    failures.push(`table ${name} from the archive is missing after restore`);
                    continue;
                }
                const want = expected.get(name);
                const [schema, ...rest] = name.split('.');
                const actual = Number((await c.query(`SELECT count(*) AS n FROM ${(0,_postgres_server_js__WEBPACK_IMPORTED_MODULE_5__/* .quoteIdent */ .v4)(schema)}.${(0,_postgres_server_js__WEBPACK_IMPORTED_MODULE_5__/* .quoteIdent */ .v4)(rest.join('.'))}`)).rows[0].n);
                if (!want) {
                    checks.push({ name, actual, ok: true, note: 'no count in manifest' });
                    continue;
                }
                const ok = want.exact ? actual === want.rows : withinEstimate(want.rows, actual);
                checks.push({
                    name,
                    expected: want.rows,
                    exact: want.exact,
                    actual,
                    ok,
                    note: want.exact ? 'exact' : 'estimate'
                });
                if (!ok)
                    failures.push(`table ${name} has ${actual} rows, the manifest says ${want.exact ? '' : '~'}${want.rows}`);
            }
            if (o.query) {
                try {
                    const r = await c.query({ text: o.query, rowMode: 'array' });
                    const first = r.rows[0]?.[0];
                    queryResult = String(first);
                    if (first !== true && first !== 't' && first !== 'true')
                        failures.push(`verify-query returned ${queryResult} (expected true)`);
                }
                catch (error) {
                    queryResult = `error: ${error.message}`;
                    failures.push(`verify-query failed: ${error.message}`);
                }
            }
        });
        return { restoreMs, tables, scratchDatabase: scratch, checks, queryResult, failures };
    }
    finally {
        await (0,_postgres_server_js__WEBPACK_IMPORTED_MODULE_5__/* .dropDatabase */ .Zi)(o.serverUrl, scratch).catch(error => o.logger.warning(`could not drop scratch database ${scratch}: ${error.message}`));
    }
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
