export const id = 436;
export const ids = [436];
export const modules = {

/***/ 3436:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  baseInterpreter: () => (/* reexport */ baseInterpreter),
  commandInVirtualenv: () => (/* reexport */ commandInVirtualenv),
  describeTarget: () => (/* reexport */ describeTarget),
  migrate: () => (/* reexport */ migrate),
  migrationSummary: () => (/* reexport */ migrationSummary),
  openDirectConnection: () => (/* reexport */ openDirectConnection),
  prepareVirtualenv: () => (/* reexport */ prepareVirtualenv),
  virtualenvEnv: () => (/* reexport */ virtualenvEnv)
});

// EXTERNAL MODULE: ./src/kit/cancellation.ts
var cancellation = __webpack_require__(9449);
// EXTERNAL MODULE: ./src/kit/errors.ts
var errors = __webpack_require__(3713);
// EXTERNAL MODULE: ./src/kit/duration.ts
var duration = __webpack_require__(438);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/pg/esm/index.mjs
var esm = __webpack_require__(3849);
// EXTERNAL MODULE: ./src/kit/secrets.ts + 1 modules
var secrets = __webpack_require__(5889);
// EXTERNAL MODULE: ./src/kit/retry.ts
var retry = __webpack_require__(1834);
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
/** Connects `client`; a failure closes it and is one line naming the server, database and user, never the password. */
async function connectOrExplain(client, url) {
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
    return connectOrExplain(client, url);
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
    const wait = opts.sleep ?? retry/* sleep */.yy;
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
            throw new LockTimeoutError(`Timed out after ${(0,duration/* formatDuration */.a3)(opts.timeoutMs)} waiting for ${label}: ${who}`, holders);
        }
        await wait(Math.min(pollMs, Math.max(0, opts.timeoutMs - elapsed)));
    }
}

;// CONCATENATED MODULE: ./src/kit/child-environment.ts
/**
 * What every program an action starts (pg_dump, pg_restore, psql, pip, Alembic, buildah, docker) gets of the
 * action's environment: all of it (env.py may read the app's own variables, buildah its storage settings) except
 * the action's inputs, which the runner passes as INPUT_* (database URLs, passphrases, S3 keys, tokens), the CLI's
 * APP_PIPELINE_<INPUT> copies of them, and the runner's credentials (ACTIONS_RUNTIME_TOKEN,
 * ACTIONS_ID_TOKEN_REQUEST_TOKEN and the other ACTIONS_* service settings, GITHUB_TOKEN), which no child needs and
 * a requirement's setup.py must never see. A child gets what it needs from `extra` only (PGPASSWORD, DATABASE_URL,
 * REGISTRY_AUTH_FILE).
 */
function childEnvironment(base = process.env, extra = {}) {
    const env = {};
    for (const [name, value] of Object.entries(base))
        if (!withheld(name))
            env[name] = value;
    return Object.assign(env, extra);
}
function withheld(name) {
    const upper = name.toUpperCase();
    return (upper.startsWith('INPUT_') ||
        upper.startsWith('ACTIONS_') ||
        upper.startsWith('APP_PIPELINE_') ||
        upper === 'GITHUB_TOKEN' ||
        upper === 'GH_TOKEN');
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/kit/program-path.ts


/** The executable file `program` names: a path (relative to `cwd`), or a name looked up on `path` as execvp does. */
function findProgram(program, cwd, path) {
    const candidates = program.includes('/')
        ? [(0,external_node_path_.isAbsolute)(program) ? program : (0,external_node_path_.resolve)(cwd, program)]
        : path
            .split(external_node_path_.delimiter)
            .filter(Boolean)
            .map(d => (0,external_node_path_.join)(d, program));
    return candidates.find(c => {
        try {
            (0,external_node_fs_.accessSync)(c, external_node_fs_.constants.X_OK);
            return (0,external_node_fs_.statSync)(c).isFile();
        }
        catch {
            return false;
        }
    });
}

;// CONCATENATED MODULE: ./src/kit/die-with-parent.ts


/**
 * argv that runs `argv` so that the kernel sends it `signal` when the action's node process dies, even by SIGKILL
 * (the runner's last resort): util-linux's `setpriv --pdeathsig` sets PR_SET_PDEATHSIG and execs the program (same
 * pid, so signals reach it as before). No child of an action may go on as an orphan: Alembic migrating once the
 * lock held by node's connection is gone (KILL), buildah building or pushing (TERM: it then removes its working
 * containers). Where setpriv is missing or has no --pdeathsig (older util-linux), or the program cannot be found
 * (spawn then reports it as it would), `argv` unchanged.
 */
function dieWithParent(argv, o) {
    const setpriv = setprivWithPdeathsig();
    const [program] = argv;
    if (!setpriv || !program || !findProgram(program, o.cwd ?? process.cwd(), o.path ?? ''))
        return argv;
    return [setpriv, '--pdeathsig', o.signal, '--', ...argv];
}
let cached;
function setprivWithPdeathsig() {
    if (cached !== undefined)
        return cached;
    cached = null;
    const setpriv = findProgram('setpriv', process.cwd(), process.env.PATH ?? '');
    if (!setpriv)
        return cached;
    const help = (0,external_node_child_process_.spawnSync)(setpriv, ['--help'], { encoding: 'utf8', timeout: 5000 });
    if (help.status === 0 && help.stdout.includes('--pdeathsig'))
        cached = setpriv;
    return cached;
}

;// CONCATENATED MODULE: ./src/kit/child-process.ts




/** The program could not be started at all: not installed, not on PATH, not executable. */
class ProgramNotFoundError extends Error {
    program;
    code;
    constructor(program, code, detail) {
        const why = code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'not executable' : (detail ?? code);
        super(`cannot run '${program}': ${why}`);
        this.program = program;
        this.code = code;
        this.name = 'ProgramNotFoundError';
    }
}
/** Starts `argv` with the given stdio; the caller reads its streams. Start errors arrive as `'error'` events. */
function spawnChild(argv, opts) {
    const [program, ...args] = argv;
    if (!program)
        throw new Error('empty command');
    const env = opts.env ?? childEnvironment();
    const [exe, ...rest] = opts.dieWithParent
        ? dieWithParent([program, ...args], { cwd: opts.cwd, path: env.PATH, signal: opts.dieWithParent })
        : [program, ...args];
    const child = (0,external_node_child_process_.spawn)(exe, rest, { cwd: opts.cwd, env, stdio: opts.stdio });
    cancellation/* cancellation */.WN.trackChild(child, { label: opts.label ?? program, signal: opts.cancelSignal });
    return child;
}
/** Runs `argv` to completion, collecting its output. Rejects only when it cannot start (ProgramNotFoundError). */
function runChild(argv, opts = {}) {
    return new Promise((resolve, reject) => {
        const child = spawnChild(argv, { ...opts, stdio: ['pipe', 'pipe', 'pipe'] });
        const lines = [];
        const emit = (line) => {
            lines.push(line);
            opts.onLine?.(line);
        };
        const out = lineCollector(line => (emit(line), opts.onStdoutLine?.(line)));
        const err = lineCollector(line => (emit(line), opts.onStderrLine?.(line)));
        // Decoded as streams, so a multi-byte character split across chunks stays whole.
        child.stdout.setEncoding('utf8').on('data', out.push);
        child.stderr.setEncoding('utf8').on('data', err.push);
        child.on('error', (e) => reject(new ProgramNotFoundError(argv[0], e.code, e.message)));
        child.on('close', (code, signal) => {
            const stdout = out.end();
            const stderr = err.end();
            resolve({ code, signal, stdout, stderr, lines });
        });
        // A program that exits before reading stdin must not crash us with EPIPE.
        child.stdin.on('error', () => undefined);
        child.stdin.end(opts.input ?? '');
    });
}
/** The last `count` non-empty lines of a program's stderr, joined for a one-line message. */
function stderrTail(stderr, count = 5) {
    return stderr
        .trim()
        .split('\n')
        .map(l => l.trim())
        .filter(Boolean)
        .slice(-count)
        .join(' | ');
}
function lineCollector(onLine) {
    let text = '';
    let pending = '';
    return {
        push(chunk) {
            text += chunk;
            pending += chunk;
            const parts = pending.split(/\r?\n/);
            pending = parts.pop();
            for (const line of parts)
                onLine(line);
        },
        end() {
            if (pending)
                onLine(pending);
            pending = '';
            return text;
        }
    };
}

// EXTERNAL MODULE: external "node:readline"
var external_node_readline_ = __webpack_require__(481);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
;// CONCATENATED MODULE: ./src/alembic/alembic-driver.ts






const PYTHON = /^python(\d+(\.\d+)*)?$/;
/**
 * `python -m alembic ...` runs Alembic with that interpreter; an `alembic` console script names its interpreter in
 * its `#!` line (a venv's, the system's, or `/usr/bin/env python3`). Anything else (a wrapper such as
 * `poetry run alembic`) is left to the command line.
 */
function driverLaunch(command, cwd, env) {
    const [program, ...rest] = command;
    if (!program)
        return undefined;
    if (PYTHON.test((0,external_node_path_.basename)(program))) {
        if (rest[0] !== '-m' || rest[1] !== 'alembic')
            return undefined;
        return { python: [program], alembicArgs: rest.slice(2), sysPath0: cwd };
    }
    if ((0,external_node_path_.basename)(program) !== 'alembic')
        return undefined;
    const script = findProgram(program, cwd, env.PATH ?? '');
    if (!script)
        return undefined;
    const shebang = firstLine(script);
    const m = /^#!\s*(\S+)(?:\s+(\S+))?\s*$/.exec(shebang ?? '');
    if (!m)
        return undefined;
    const words = [m[1], ...(m[2] ? [m[2]] : [])];
    const interpreter = (0,external_node_path_.basename)(words[0]) === 'env' ? words[1] : words[0];
    if (!interpreter || !PYTHON.test((0,external_node_path_.basename)(interpreter)) || ((0,external_node_path_.basename)(words[0]) !== 'env' && words[1]))
        return undefined;
    // Python puts the real script's directory first on sys.path.
    return { python: words, alembicArgs: rest, sysPath0: (0,external_node_path_.dirname)((0,external_node_fs_.realpathSync)(script)) };
}
function firstLine(file) {
    const fd = (0,external_node_fs_.openSync)(file, 'r');
    try {
        const buf = Buffer.alloc(256);
        const n = (0,external_node_fs_.readSync)(fd, buf, 0, buf.length, 0);
        return buf.subarray(0, n).toString('utf8').split('\n')[0];
    }
    catch {
        return undefined;
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
/** The driver script: beside the bundle (ncc copies it as an asset) or beside this file in the sources. */
const DRIVER_SCRIPT = (0,external_node_url_.fileURLToPath)(new URL(/* asset import */ __webpack_require__(669), __webpack_require__.b));
class AlembicDriver {
    launch;
    config;
    cwd;
    env;
    child;
    ready;
    queue = Promise.resolve();
    answers = [];
    output = '';
    /** Sees the driver's stderr line by line while an upgrade runs (its log streams live). */
    onStderrLine;
    stderrPending = '';
    constructor(launch, config, cwd, env) {
        this.launch = launch;
        this.config = config;
        this.cwd = cwd;
        this.env = env;
    }
    /** Starts the interpreter (once); false when it cannot run the driver (then use the command line). */
    start() {
        this.ready ??= new Promise(resolveReady => {
            // Python unwinds on SIGINT (rolls back what env.py began); the cancellation path waits for it.
            const child = spawnChild([
                ...this.launch.python,
                DRIVER_SCRIPT,
                this.launch.sysPath0,
                ...this.launch.alembicArgs,
                '-c',
                this.config
            ], {
                cwd: this.cwd,
                env: this.env,
                stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
                label: 'alembic (driver)',
                cancelSignal: 'SIGINT',
                dieWithParent: 'KILL'
            });
            this.child = child;
            child.on('error', () => resolveReady(false));
            child.stdin.on('error', () => undefined);
            // What env.py prints outside a request, or C-level writes: kept for a failure message.
            const keep = (d) => (this.output = (this.output + d.toString()).slice(-4000));
            child.stdout.on('data', keep);
            child.stderr.on('data', keep);
            child.stderr.setEncoding('utf8').on('data', (d) => {
                if (!this.onStderrLine)
                    return;
                const lines = (this.stderrPending + d).split(/\r?\n/);
                this.stderrPending = lines.pop();
                for (const line of lines)
                    this.onStderrLine(line);
            });
            const lines = (0,external_node_readline_.createInterface)({ input: child.stdio[3] });
            let first = true;
            lines.on('line', line => {
                if (first) {
                    first = false;
                    resolveReady(JSON.parse(line).ready === true);
                    return;
                }
                this.answers.shift()?.(line);
            });
            child.on('close', () => {
                resolveReady(false);
                for (const pending of this.answers.splice(0))
                    pending(undefined);
                this.child = undefined;
            });
        });
        return this.ready;
    }
    /** One request, answered as the command would have: code, stdout, stderr (and the API's result). */
    ask(request, onStderrLine) {
        const asked = this.queue.then(async () => {
            const started = await this.start();
            const child = this.child;
            if (!started || !child || child.exitCode !== null)
                return { code: 1, signal: null, stdout: '', stderr: this.output };
            this.onStderrLine = onStderrLine;
            this.stderrPending = '';
            const line = await new Promise(resolveLine => {
                this.answers.push(resolveLine);
                child.stdin.write(`${JSON.stringify(request)}\n`);
            }).finally(() => {
                if (this.stderrPending)
                    this.onStderrLine?.(this.stderrPending);
                this.onStderrLine = undefined;
                this.stderrPending = '';
            });
            if (line === undefined)
                return { code: child.exitCode ?? 1, signal: child.signalCode, stdout: '', stderr: this.output };
            const a = JSON.parse(line);
            return { code: a.code, signal: null, stdout: a.stdout, stderr: a.stderr, result: a.result };
        });
        this.queue = asked.catch(() => undefined);
        return asked;
    }
    /** Ends the driver (its stdin closes, it exits) and waits for it. */
    async close() {
        const child = this.child;
        if (!child || child.exitCode !== null || child.signalCode !== null)
            return;
        const closed = new Promise(r => child.once('close', () => r()));
        child.stdin.end();
        await closed;
    }
}

;// CONCATENATED MODULE: ./src/alembic/offline-sql.ts
const MARKER = /^-- Running upgrade (.*?) -> ([0-9A-Za-z_]+)\s*$/;
/** A Python logging line (`INFO  [alembic.runtime.migration] ...`): env.py may log to stdout, amid the SQL. */
const LOG_LINE = /^(DEBUG|INFO|WARN|WARNING|ERROR|CRITICAL)\s+\[[\w.]+\]/;
function splitOfflineSql(sql) {
    const out = [];
    let revision;
    let section = [];
    const flush = () => {
        for (const text of splitStatements(section.join('\n')))
            out.push({ revision, text });
        section = [];
    };
    for (const line of sql.split(/\r?\n/)) {
        if (LOG_LINE.test(line))
            continue; // not SQL: it would hide the statement it precedes from the rules
        const m = MARKER.exec(line);
        if (m) {
            flush();
            revision = m[2];
        }
        else
            section.push(line);
    }
    flush();
    return out;
}
/**
 * Splits SQL text on top-level semicolons, leaving quoted strings, quoted identifiers, dollar-quoted bodies
 * and comments intact. Empty statements and comment-only statements are dropped.
 */
function splitStatements(sql) {
    const statements = [];
    let start = 0;
    let i = 0;
    const push = (end) => {
        const text = sql.slice(start, end).trim();
        if (normaliseForMatching(text))
            statements.push(text);
    };
    while (i < sql.length) {
        const c = sql[i];
        const next = sql[i + 1];
        if (c === "'" || c === '"') {
            i = skipQuoted(sql, i, c);
        }
        else if (c === '-' && next === '-') {
            const nl = sql.indexOf('\n', i);
            i = nl < 0 ? sql.length : nl + 1;
        }
        else if (c === '/' && next === '*') {
            const end = sql.indexOf('*/', i + 2);
            i = end < 0 ? sql.length : end + 2;
        }
        else if (c === '$') {
            const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))?.[0];
            if (tag) {
                const end = sql.indexOf(tag, i + tag.length);
                i = end < 0 ? sql.length : end + tag.length;
            }
            else
                i++;
        }
        else if (c === ';') {
            push(i);
            i++;
            start = i;
        }
        else
            i++;
    }
    push(sql.length);
    return statements;
}
function skipQuoted(sql, i, quote) {
    let j = i + 1;
    while (j < sql.length) {
        if (sql[j] === quote) {
            if (sql[j + 1] === quote)
                j += 2; // doubled quote is an escaped quote
            else
                return j + 1;
        }
        else
            j++;
    }
    return sql.length;
}
/** The statement with comments removed and string literals emptied: what rules may safely pattern-match. */
function normaliseForMatching(statement) {
    let out = '';
    let i = 0;
    while (i < statement.length) {
        const c = statement[i];
        const next = statement[i + 1];
        if (c === "'") {
            i = skipQuoted(statement, i, "'");
            out += "''";
        }
        else if (c === '"') {
            const end = skipQuoted(statement, i, '"');
            out += statement.slice(i, end);
            i = end;
        }
        else if (c === '-' && next === '-') {
            const nl = statement.indexOf('\n', i);
            i = nl < 0 ? statement.length : nl + 1;
            out += ' ';
        }
        else if (c === '/' && next === '*') {
            const end = statement.indexOf('*/', i + 2);
            i = end < 0 ? statement.length : end + 2;
            out += ' ';
        }
        else if (c === '$' && /^\$[A-Za-z_]*\$/.test(statement.slice(i))) {
            const tag = /^\$[A-Za-z_]*\$/.exec(statement.slice(i))[0];
            const end = statement.indexOf(tag, i + tag.length);
            i = end < 0 ? statement.length : end + tag.length;
            out += "''";
        }
        else {
            out += c;
            i++;
        }
    }
    return out.replace(/\s+/g, ' ').trim();
}

;// CONCATENATED MODULE: ./src/alembic/revisions.ts


/** Revision ids from `alembic heads` / `alembic current` stdout: the first word of each line. */
function parseRevisionList(stdout) {
    const ids = [];
    for (const line of stdout.split(/\r?\n/)) {
        if (LOG_LINE.test(line))
            continue;
        const m = /^([0-9A-Za-z_]+)(?:\s|$)/.exec(line.trim());
        if (m && !ids.includes(m[1]))
            ids.push(m[1]);
    }
    return ids;
}
/** `alembic history` lines: `0001, 0002 -> 0003 (head) (mergepoint), message`, newest first. */
function parseHistory(stdout) {
    const revisions = [];
    for (const raw of stdout.split(/\r?\n/)) {
        const m = /^(.+?) -> ([0-9A-Za-z_]+)((?: \([^)]*\))*)(?:, ?(.*))?$/.exec(raw.trim());
        if (!m)
            continue;
        const down = m[1] === '<base>' ? [] : m[1].split(/,\s*/).filter(Boolean);
        const head = /\(head\)/.test(m[3] ?? '');
        revisions.push({ id: m[2], down, message: (m[4] ?? '').trim(), ...(head ? { head } : {}) });
    }
    return revisions;
}
class RevisionGraph {
    byId = new Map();
    constructor(revisions) {
        for (const r of revisions)
            this.byId.set(r.id, r);
    }
    get(id) {
        return this.byId.get(id);
    }
    get size() {
        return this.byId.size;
    }
    /** The heads as Alembic marked them in its history, or else the revisions nobody names as a parent. */
    heads() {
        const marked = [...this.byId.values()].filter(r => r.head).map(r => r.id);
        if (marked.length)
            return marked;
        const parents = new Set([...this.byId.values()].flatMap(r => r.down));
        return [...this.byId.keys()].filter(id => !parents.has(id));
    }
    /**
     * Resolves the `target` input: `head` (the single head), `heads`, or a revision id or unique prefix of one,
     * as Alembic accepts them. Other Alembic syntaxes (relative `+1`, `branch@head`) are refused by name.
     */
    resolveTarget(target, heads) {
        if (target === 'head' || target === 'heads')
            return heads;
        if (this.byId.has(target))
            return [target];
        const matches = [...this.byId.keys()].filter(id => id.startsWith(target));
        if (matches.length === 1)
            return matches;
        if (matches.length > 1)
            throw new errors/* InputError */.dz('target', `'${target}' is ambiguous: it starts ${matches.sort().join(', ')}`);
        throw new errors/* InputError */.dz('target', `'${target}' is not a revision of this project (use head, heads or a revision id; known: ${this.known()})`);
    }
    /** The revisions themselves and everything below them. */
    ancestors(ids) {
        const seen = new Set();
        const stack = [...ids];
        while (stack.length > 0) {
            const id = stack.pop();
            if (seen.has(id))
                continue;
            seen.add(id);
            stack.push(...(this.byId.get(id)?.down ?? []));
        }
        return seen;
    }
    /**
     * What `alembic upgrade <targets>` applies to a database at `current`: every ancestor of the targets that
     * is not already an ancestor of the current revision(s), parents before children.
     */
    pending(current, targets) {
        const done = this.ancestors(current);
        const ordered = [];
        const visited = new Set();
        const visit = (id) => {
            if (visited.has(id) || done.has(id))
                return;
            visited.add(id);
            const r = this.byId.get(id);
            if (!r)
                return;
            for (const parent of r.down)
                visit(parent);
            ordered.push(r);
        };
        for (const t of targets)
            visit(t);
        return ordered;
    }
    known() {
        const ids = [...this.byId.keys()];
        return ids.length > 8 ? `${ids.slice(0, 8).join(', ')}, ...` : ids.join(', ') || 'none';
    }
}

;// CONCATENATED MODULE: ./src/alembic/alembic-cli.ts





class AlembicError extends Error {
    args;
    result;
    constructor(args, result, message) {
        super(message);
        this.args = args;
        this.result = result;
        this.name = 'AlembicError';
    }
}
class AlembicCli {
    opts;
    /** The one Python process that answers history, current and offline SQL; null: the command line does. */
    driver;
    constructor(opts) {
        this.opts = opts;
    }
    /** `alembic history`: the revisions, newest first, heads marked. */
    async history() {
        const driver = await this.viaDriver();
        if (!driver)
            return parseHistory((await this.run(['history'])).stdout);
        const answer = this.checked(['history'], await driver.ask({ command: 'history' }));
        return answer.result.map(({ head, ...r }) => ({ ...r, ...(head ? { head } : {}) }));
    }
    /** `alembic current`: the revision(s) the database is at (none for an empty database). */
    async current() {
        const driver = await this.viaDriver();
        if (!driver)
            return parseRevisionList((await this.run(['current'])).stdout);
        return this.checked(['current'], await driver.ask({ command: 'current' })).result;
    }
    /** `alembic upgrade <range> --sql`: the offline SQL on stdout; throws AlembicError (with the result) on failure. */
    async offlineSql(range) {
        const args = ['upgrade', range, '--sql'];
        const driver = await this.viaDriver();
        if (!driver)
            return this.run(args);
        return this.checked(args, await driver.ask({ command: 'sql', range }));
    }
    /**
     * `alembic upgrade <target>`, its sessions named `applicationName`, its log lines to `onStderrLine` as they come;
     * throws AlembicError on failure. In the driver when there is one: the Python start-up and imports are paid once
     * per run, not again for the upgrade. Cancelling is the same either way: SIGINT to that one process (Python
     * unwinds), the lock released only once it has exited and its sessions are gone (migrate.ts).
     */
    async upgrade(target, applicationName, onStderrLine) {
        const driver = await this.viaDriver();
        if (!driver)
            return this.run(['upgrade', target], onStderrLine, { PGAPPNAME: applicationName });
        return this.checked(['upgrade', target], await driver.ask({ command: 'upgrade', target, appname: applicationName }, onStderrLine));
    }
    /** Ends the driver process, if one runs. */
    async close() {
        const driver = await this.driver?.catch(() => null);
        await driver?.close();
    }
    /**
     * The driver when the `alembic` command is a Python Alembic (`python -m alembic`, or a console script whose
     * #! names Python); otherwise, or when that interpreter cannot run it, each question is one command.
     */
    viaDriver() {
        this.driver ??= (async () => {
            const env = this.env();
            const launch = driverLaunch(this.opts.command, this.opts.cwd, env);
            if (!launch)
                return null;
            const driver = new AlembicDriver(launch, this.opts.config, this.opts.cwd, env);
            if (await driver.start())
                return driver;
            await driver.close();
            return null;
        })();
        return this.driver;
    }
    /**
     * Runs one Alembic command; throws AlembicError (one line: the command and Alembic's own error) on failure.
     * The upgrade itself runs this way, not in the driver: it is the one process that migrates under the advisory
     * lock, so cancelling means SIGINT to exactly that process (Python unwinds its transaction) and releasing the
     * lock only once it has exited; its log lines stream live (the driver captures each answer whole); and an
     * env.py that exits or crashes mid-upgrade cannot take the driver's later `current` down with it.
     */
    async run(args, onStderrLine, extraEnv = {}) {
        const argv = [...this.opts.command, '-c', this.opts.config, ...args];
        let result;
        try {
            // SIGINT first: Python raises KeyboardInterrupt, so Alembic rolls its transaction back before exiting.
            // KILL by the kernel should node die: no Alembic left migrating once the lock (node's connection) is gone.
            result = await runChild(argv, {
                cwd: this.opts.cwd,
                env: { ...this.env(), ...extraEnv },
                onStderrLine,
                cancelSignal: 'SIGINT',
                dieWithParent: 'KILL'
            });
        }
        catch (error) {
            if (error instanceof ProgramNotFoundError)
                throw new AlembicError(args, undefined, `${error.message} (input 'alembic' is '${this.opts.command.join(' ')}')`);
            throw error;
        }
        return this.checked(args, result);
    }
    /** The result when Alembic succeeded; else AlembicError: one line, the command and Alembic's own error. */
    checked(args, result) {
        if (result.code !== 0) {
            const why = 
            // Alembic prints `FAILED: <its CommandError>` on stdout (and logs it only where env.py set up logging).
            commandError(result.stdout) ??
                alembicFailure(result.stderr) ??
                (result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`);
            throw new AlembicError(args, result, (0,secrets/* redact */.E$)(`alembic ${args.join(' ')} failed: ${why}`));
        }
        return result;
    }
    env() {
        const env = childEnvironment(this.opts.env ?? process.env);
        return { ...env, ...this.opts.extraEnv, PYTHONUNBUFFERED: '1', DATABASE_URL: this.opts.databaseUrl };
    }
}
/**
 * Alembic's own error from its stderr, on one line: `FAILED: ...` for Alembic's command errors, otherwise the
 * last Python exception line (plus SQLAlchemy's `[SQL: ...]` line that follows it), without the traceback.
 */
function alembicFailure(stderr) {
    const lines = stderr.split(/\r?\n/);
    const failed = lines.filter(l => l.startsWith('FAILED: ')).pop();
    if (failed)
        return failed.slice('FAILED: '.length).trim();
    for (let i = lines.length - 1; i >= 0; i--) {
        const line = lines[i];
        if (!/^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Warning)?: \S/.test(line))
            continue;
        if (/^(INFO|ERROR|WARNING|DEBUG)\b/.test(line))
            continue;
        return [line.trim(), failedSql(lines.slice(i + 1))].filter(Boolean).join(' ');
    }
    return undefined;
}
function commandError(stdout) {
    const failed = stdout
        .split(/\r?\n/)
        .filter(l => l.startsWith('FAILED: '))
        .pop();
    return failed?.slice('FAILED: '.length).trim() || undefined;
}
/** SQLAlchemy's `[SQL: ...]` block (it may span lines), collapsed to one line and shortened. */
function failedSql(lines) {
    const start = lines.findIndex(l => l.startsWith('[SQL: '));
    if (start < 0)
        return undefined;
    const block = [];
    for (const l of lines.slice(start)) {
        block.push(l);
        if (l.trimEnd().endsWith(']'))
            break;
    }
    const text = block.join(' ').replace(/\s+/g, ' ').trim();
    return text.length > 300 ? `${text.slice(0, 297)}...]` : text;
}

;// CONCATENATED MODULE: ./src/alembic/sql-findings.ts

// Actions of ALTER TABLE that drop something other than a column.
const NON_COLUMN_DROP = /^(CONSTRAINT|DEFAULT|NOT NULL|IDENTITY|EXPRESSION)\b/;
const RULES = [
    { kind: 'destructive', rule: 'DROP TABLE', test: s => /^DROP TABLE\b/.test(s) },
    { kind: 'destructive', rule: 'DROP SCHEMA', test: s => /^DROP SCHEMA\b/.test(s) },
    { kind: 'destructive', rule: 'DROP COLUMN', test: s => alterTableActions(s).some(dropsColumn) },
    { kind: 'destructive', rule: 'TRUNCATE', test: s => /^TRUNCATE\b/.test(s) },
    {
        kind: 'destructive',
        rule: 'DELETE without WHERE',
        test: s => /^DELETE FROM\b/.test(s) && !/\bWHERE\b/.test(s)
    },
    {
        kind: 'destructive',
        rule: 'ALTER COLUMN TYPE',
        test: s => alterTableActions(s).some(a => /^ALTER (COLUMN )?\S+ (SET DATA )?TYPE\b/.test(a))
    },
    { kind: 'incompatible', rule: 'RENAME', test: s => /^ALTER \w+( \w+)? .*\bRENAME\b/.test(s) },
    {
        kind: 'incompatible',
        rule: 'ADD COLUMN NOT NULL without default',
        test: s => alterTableActions(s).some(a => /^ADD (COLUMN )?/.test(a) && /\bNOT NULL\b/.test(a) && !/\bDEFAULT\b/.test(a))
    }
];
function classify(statements) {
    const findings = [];
    // Columns given a default earlier in the same revision: SET NOT NULL on them keeps old inserts working.
    const defaulted = new Set();
    for (const st of statements) {
        const s = normaliseForMatching(st.text).toUpperCase();
        if (/\bALEMBIC_VERSION\b/.test(s))
            continue; // Alembic's own bookkeeping
        const table = /^ALTER TABLE (?:ONLY )?(?:IF EXISTS )?(\S+)/.exec(s)?.[1];
        for (const rule of RULES) {
            if (rule.test(s))
                findings.push({ kind: rule.kind, rule: rule.rule, revision: st.revision, statement: st.text });
        }
        for (const action of alterTableActions(s)) {
            const m = /^ALTER (?:COLUMN )?(\S+) (SET DEFAULT|SET NOT NULL)\b/.exec(action);
            if (!m || !table)
                continue;
            const key = `${st.revision ?? ''}/${table}/${m[1]}`;
            if (m[2] === 'SET DEFAULT')
                defaulted.add(key);
            else if (!defaulted.has(key))
                findings.push({
                    kind: 'incompatible',
                    rule: 'SET NOT NULL without default',
                    revision: st.revision,
                    statement: st.text
                });
        }
    }
    return findings;
}
/** The comma-separated actions of an `ALTER TABLE name ...` statement (upper-cased, normalised). */
function alterTableActions(s) {
    const m = /^ALTER TABLE (?:ONLY )?(?:IF EXISTS )?\S+ (.*)$/.exec(s);
    if (!m)
        return [];
    const actions = [];
    let depth = 0;
    let current = '';
    for (const c of m[1]) {
        if (c === '(')
            depth++;
        if (c === ')')
            depth--;
        if (c === ',' && depth === 0) {
            actions.push(current.trim());
            current = '';
        }
        else
            current += c;
    }
    actions.push(current.trim());
    return actions;
}
function dropsColumn(action) {
    const m = /^DROP (.*)$/.exec(action);
    return !!m && !NON_COLUMN_DROP.test(m[1]);
}

;// CONCATENATED MODULE: ./src/alembic/sql-file.ts


/** Writes the file whole or not at all: readers never see a half-written preview. */
function writeFileAtomic(path, text) {
    (0,external_node_fs_.mkdirSync)((0,external_node_path_.dirname)(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    (0,external_node_fs_.writeFileSync)(tmp, text);
    (0,external_node_fs_.renameSync)(tmp, path);
}

;// CONCATENATED MODULE: ./src/alembic/upgrade-log.ts
const RUNNING = /Running upgrade (.*?) -> ([0-9A-Za-z_]+)(?:, (.*))?$/;
function parseRunningLine(line) {
    const m = RUNNING.exec(line.trim());
    if (!m)
        return undefined;
    return { revision: m[2], from: m[1].split(/,\s*/).filter(Boolean), message: (m[3] ?? '').trim() };
}
class UpgradeClock {
    now;
    runs = [];
    constructor(now = Date.now) {
        this.now = now;
    }
    line(text) {
        const parsed = parseRunningLine(text);
        if (!parsed)
            return undefined;
        const at = this.now();
        this.close(at);
        const run = { ...parsed, startedAt: at };
        this.runs.push(run);
        return run;
    }
    /** Ends the last revision's span (the process exited: commit included). */
    finish() {
        this.close(this.now());
        return this.runs;
    }
    get last() {
        return this.runs[this.runs.length - 1];
    }
    close(at) {
        const last = this.last;
        if (last && last.durationMs === undefined)
            last.durationMs = at - last.startedAt;
    }
}

;// CONCATENATED MODULE: ./src/postgres/sessions.ts

/** Sessions of this database, other than ours, whose application_name is `name` or, with `prefix`, starts with it. */
async function sessionsNamed(client, name, opts = {}) {
    const { rows } = await client.query(`SELECT pid, application_name, state FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid()
        AND ${opts.prefix ? 'left(application_name, length($1)) = $1' : 'application_name = $1'}
      ORDER BY pid`, [name]);
    return rows.map(r => ({ pid: r.pid, applicationName: r.application_name, state: r.state ?? undefined }));
}
/** Cancels the statement each session runs (pg_cancel_backend): its client sees an error and can unwind. */
async function cancelStatements(client, sessions) {
    for (const s of sessions)
        await client.query('SELECT pg_cancel_backend($1)', [s.pid]).catch(() => undefined);
}
/**
 * Terminates the sessions (their transactions roll back) and waits until they are gone from pg_stat_activity,
 * at most `timeoutMs`.
 */
async function endSessions(client, sessions, opts) {
    const refused = new Map();
    for (const s of sessions)
        await client.query('SELECT pg_terminate_backend($1)', [s.pid]).catch((error) => {
            refused.set(s.pid, error.message);
        });
    const deadline = Date.now() + opts.timeoutMs;
    let alive = await stillThere(client, sessions);
    while (alive.length && Date.now() < deadline && !opts.signal?.aborted) {
        await (0,retry/* sleep */.yy)(opts.pollMs ?? 50);
        alive = await stillThere(client, alive);
    }
    const gone = new Set(sessions.map(s => s.pid));
    for (const s of alive)
        gone.delete(s.pid);
    return {
        ended: sessions.filter(s => gone.has(s.pid)),
        remaining: alive.map(session => ({
            session,
            reason: refused.get(session.pid) ?? `still running after ${opts.timeoutMs} ms`
        }))
    };
}
async function stillThere(client, sessions) {
    if (!sessions.length)
        return [];
    const { rows } = await client.query('SELECT pid FROM pg_stat_activity WHERE pid = ANY($1::int[])', [sessions.map(s => s.pid)]);
    const live = new Set(rows.map(r => r.pid));
    return sessions.filter(s => live.has(s.pid));
}

;// CONCATENATED MODULE: ./src/alembic/upgrade-sessions.ts


/**
 * The database sessions of one run's `alembic upgrade`, told apart by their application_name (PGAPPNAME in the
 * upgrade's environment, which libpq and so psycopg2 use unless env.py names the connection itself): the prefix,
 * a tag unique to the run, then who runs it. Only an upgrade holding the migration lock has such sessions, so one
 * found by a run that holds the lock was left by an interrupted run (its Alembic process SIGKILLed, or its node
 * gone): nothing may migrate beside it.
 */
const UPGRADE_SESSION_PREFIX = 'migrate upgrade ';
const END_TIMEOUT_MS = 10_000;
class UpgradeSessions {
    client;
    /** For PGAPPNAME; PostgreSQL keeps 63 bytes of it. */
    applicationName;
    tag;
    constructor(client, who) {
        this.client = client;
        this.tag = `${UPGRADE_SESSION_PREFIX}${(0,external_node_crypto_.randomBytes)(4).toString('hex')}`;
        this.applicationName = `${this.tag}${who ? ` (${who})` : ''}`.slice(0, 63);
    }
    /** Cancels their statements: psycopg2 does not return from a statement on SIGINT, but does on a cancel. */
    async cancelStatements() {
        await cancelStatements(this.client, await sessionsNamed(this.client, this.tag, { prefix: true }));
    }
    /**
     * Ends what the upgrade left (a statement still running after its process was killed) and waits for it to go.
     * Resolves to a line saying what was ended (undefined if nothing was); throws when a session could not be ended.
     */
    async end(signal) {
        const found = await sessionsNamed(this.client, this.tag, { prefix: true });
        if (!found.length)
            return undefined;
        const r = await endSessions(this.client, found, { timeoutMs: END_TIMEOUT_MS, signal });
        if (r.remaining.length)
            throw new Error(`the upgrade's database session ${r.remaining.map(x => `pid ${x.session.pid} (${x.reason})`).join('; ')} could not be ended; the next run ends it before migrating`);
        return `Ended ${count(r.ended)} the interrupted upgrade left running (${describe(r.ended)}) before releasing the migration lock.`;
    }
}
/**
 * Ends the sessions of interrupted upgrades of earlier runs; call while holding the migration lock, before reading
 * the revision to start from. Resolves to a line saying what was ended; throws (one line, with the pids and how
 * to end them) when one could not be ended, e.g. it belongs to another role.
 */
async function endInterruptedUpgrades(client) {
    const found = await sessionsNamed(client, UPGRADE_SESSION_PREFIX, { prefix: true });
    if (!found.length)
        return undefined;
    const r = await endSessions(client, found, { timeoutMs: END_TIMEOUT_MS });
    if (r.remaining.length) {
        const pids = r.remaining.map(x => x.session.pid);
        throw new Error(`A database session left by an interrupted upgrade is still running and could not be ended (${r.remaining
            .map(x => `${describe([x.session])}: ${x.reason}`)
            .join('; ')}); nothing was applied. End it (SELECT pg_terminate_backend(${pids.join('), pg_terminate_backend(')})) and run again.`);
    }
    return `Ended ${count(r.ended)} left by an interrupted upgrade (${describe(r.ended)}): it held its transaction open, and this run holds the migration lock now.`;
}
function count(sessions) {
    return `${sessions.length} database session${sessions.length === 1 ? '' : 's'}`;
}
function describe(sessions) {
    return sessions.map(s => `pid ${s.pid}, application '${s.applicationName}'`).join('; ');
}

;// CONCATENATED MODULE: ./src/alembic/migrate.ts











/** The advisory lock every run of this action takes in the database it migrates. */
const MIGRATION_LOCK_KEY = advisoryLockKey('app-platform-pipeline/migrate');
class Refusal extends Error {
}
async function migrate(opts) {
    const now = opts.now ?? Date.now;
    const started = now();
    const log = opts.logger;
    const report = {
        heads: [],
        databaseRead: false,
        from: [],
        to: [],
        targets: [],
        pending: [],
        applied: [],
        findings: [],
        destructive: false,
        dryRun: opts.dryRun,
        durationMs: 0
    };
    const cli = new AlembicCli({
        command: opts.alembic,
        cwd: opts.workingDirectory,
        config: opts.config,
        databaseUrl: opts.databaseUrl,
        env: opts.env,
        extraEnv: { ...(opts.applicationName ? { PGAPPNAME: opts.applicationName } : {}), ...opts.extraEnv }
    });
    let client;
    let lock;
    let unlock;
    try {
        // Pre-flight. The scripts (history, with heads marked) and, once our own connection proves the database reachable,
        // its revision (current, read-only) are read at once: each Alembic process costs about a second of
        // Python start-up. Failures are reported in order: the scripts first, then our connection (one clear
        // line), then Alembic's view of the database.
        const connecting = opts.connection ?? openDirectConnection(opts.databaseUrl, { applicationName: opts.applicationName });
        const reading = connecting.then(() => currentRevisions(cli));
        // Settled later, in order; until then a rejection must not count as unhandled.
        connecting.catch(() => undefined);
        reading.catch(() => undefined);
        let graph;
        try {
            graph = await log.group('Pre-flight: revisions', async () => {
                // `history` marks the heads as `alembic heads` would list them: one Python start-up instead of two.
                const graph = new RevisionGraph(await cli.history());
                report.heads = graph.heads();
                log.info(`${graph.size} revisions, head${report.heads.length === 1 ? '' : 's'}: ${report.heads.join(', ') || 'none'}`);
                return graph;
            });
            if (report.heads.length === 0)
                throw new Refusal(`Alembic found no revisions in ${opts.workingDirectory} (config ${opts.config})`);
            if (report.heads.length > 1)
                throw new Refusal(multipleHeadsMessage(report.heads, graph));
            report.targets = graph.resolveTarget(opts.target, report.heads);
            client = await connecting;
            report.from = await reading;
        }
        finally {
            // Whatever failed above, the connection must not outlive the run.
            if (!client)
                await connecting.then(c => c.end()).catch(() => undefined);
            await reading.catch(() => undefined);
        }
        report.to = report.from;
        report.databaseRead = true;
        await preview(cli, graph, report, opts);
        if (opts.dryRun) {
            report.to = report.pending.length ? report.targets : report.from;
            log.notice(`Dry run: ${report.pending.length} revision(s) would be applied; nothing was changed.`);
            return report;
        }
        if (report.pending.length === 0) {
            log.info(`Nothing to do: the database is at ${show(report.from)}.`);
            return report;
        }
        lock = await acquireAdvisoryLock(client, MIGRATION_LOCK_KEY, {
            timeoutMs: opts.lockTimeoutMs,
            pollMs: opts.lockPollMs,
            label: 'the migration lock',
            onWait: holders => log.info(`Waiting up to ${(0,duration/* formatDuration */.a3)(opts.lockTimeoutMs)} for the migration lock held by ${holders.map(describeHolder).join('; ') || 'another session'}`)
        }).catch(error => {
            if (error instanceof LockTimeoutError)
                throw new Refusal(`${error.message}. Raise 'lock-timeout' if such waits are expected.`);
            throw error;
        });
        report.lockWaitedMs = lock.waitedMs;
        // The lock goes only once nothing of our upgrade migrates any more: its process has exited (the cancellation
        // path waits for it before undoing) and its sessions are gone (a statement outlives a killed process).
        const held = lock;
        const sessions = new UpgradeSessions(client, opts.applicationName);
        unlock = cancellation/* cancellation */.WN.addUndo('end the upgrade, then release the migration lock', async (signal) => {
            const ended = await sessions.end(signal);
            if (ended)
                log.info(ended);
            await held.release();
        });
        // Holding the lock, no other run's upgrade can be running: sessions of one were left by an interrupted run.
        const interrupted = await endInterruptedUpgrades(client).catch(error => {
            throw new Refusal((0,errors/* errorMessage */.gJ)(error));
        });
        if (interrupted)
            log.info(interrupted);
        // Another pipeline may have migrated while we waited: start again from what the database says now.
        const current = await currentRevisions(cli);
        if (!sameRevisions(current, report.from)) {
            log.info(`The database moved from ${show(report.from)} to ${show(current)} while this run waited for the lock.`);
            report.from = current;
            report.to = current;
            await preview(cli, graph, report, opts);
        }
        if (report.pending.length === 0) {
            if (lock.waitedMs > 0)
                log.info(`Nothing left to do: the database is at ${show(current)}.`);
            return report;
        }
        await apply(cli, graph, report, opts, sessions);
        return report;
    }
    catch (error) {
        if (error instanceof Refusal || error instanceof AlembicError)
            report.failure = error.message;
        else
            report.failure = (0,errors/* errorMessage */.gJ)(error);
        return report;
    }
    finally {
        await cli.close().catch(() => undefined);
        if (unlock)
            await unlock.run();
        else if (lock)
            await lock.release().catch(() => undefined);
        if (client)
            await client.end().catch(() => undefined);
        report.durationMs = now() - started;
    }
}
async function currentRevisions(cli) {
    return cli.current();
}
/** Pending list, offline SQL to the sql file, findings, and the destructive guard. */
async function preview(cli, graph, report, opts) {
    const log = opts.logger;
    report.pending = graph.pending(report.from, report.targets);
    const unknown = report.from.filter(r => !graph.get(r));
    if (unknown.length)
        throw new Refusal(`The database is at ${unknown.join(', ')}, which is not a revision of this project`);
    log.info(`Database at ${show(report.from)}; target ${report.targets.join(', ')}; ${report.pending.length} pending:`);
    for (const r of report.pending)
        log.info(`  ${r.id}  ${r.message}`);
    if (report.pending.length === 0) {
        // Pending is empty only when every target is at or below the current revision: never a downgrade.
        if (!sameRevisions(report.from, report.targets))
            log.info(`The database (${show(report.from)}) is already past ${report.targets.join(', ')}; this action never downgrades.`);
        report.sql = '-- Nothing to apply: the database is at the target revision.\n';
        report.render = { ok: true };
        report.findings = [];
        report.destructive = false;
        writeFileAtomic(opts.sqlFile, report.sql);
        report.sqlFile = opts.sqlFile;
        return;
    }
    const target = report.targets.length === 1 ? report.targets[0] : 'heads';
    const range = report.from.length === 0 ? target : `${report.from[0]}:${target}`;
    let sql;
    if (report.from.length > 1) {
        sql = '';
        report.render = {
            ok: false,
            error: `the database is at several revisions (${report.from.join(', ')}); Alembic renders offline SQL from one`
        };
    }
    else {
        const rendered = await cli.offlineSql(range).then(r => ({ ok: true, sql: r.stdout }), (error) => ({ ok: false, error }));
        if (rendered.ok) {
            sql = rendered.sql;
            report.render = { ok: true };
        }
        else {
            if (!(rendered.error instanceof AlembicError) || !rendered.error.result)
                throw rendered.error;
            sql = rendered.error.result.stdout;
            const lastRevision = rendered.error.result.stderr
                .split(/\r?\n/)
                .map(parseRunningLine)
                .filter(r => r !== undefined)
                .pop();
            report.render = { ok: false, error: rendered.error.message, revision: lastRevision?.revision };
        }
    }
    report.findings = classify(splitOfflineSql(sql));
    report.destructive = report.findings.some(f => f.kind === 'destructive') || !report.render.ok;
    const header = report.render.ok
        ? `-- alembic upgrade ${range} --sql\n`
        : `-- INCOMPLETE: alembic upgrade ${range} --sql could not render ${report.render.revision ? `revision ${report.render.revision}` : 'this range'} offline: ${report.render.error}\n`;
    report.sql = header + sql;
    writeFileAtomic(opts.sqlFile, report.sql);
    report.sqlFile = opts.sqlFile;
    for (const f of report.findings) {
        const say = f.kind === 'destructive' ? log.warning : log.notice;
        say(`${f.kind === 'destructive' ? 'Destructive' : 'Backward-incompatible'} (${f.rule}) in revision ${f.revision ?? '?'}: ${oneLine(f.statement)}`);
    }
    if (!report.render.ok)
        log.warning(`The pending revisions cannot be rendered as offline SQL (${report.render.error}); their effect cannot be checked.`);
    if (report.destructive && !opts.allowDestructive)
        throw new Refusal(destructiveMessage(report, graph));
}
async function apply(cli, graph, report, opts, sessions) {
    const log = opts.logger;
    const clock = new UpgradeClock(opts.now);
    const target = report.targets.length === 1 ? report.targets[0] : 'heads';
    // Cancelled: besides the SIGINT, cancel the upgrade's statement, so Python gets to unwind within the grace.
    const onCancel = () => void sessions.cancelStatements().catch(() => undefined);
    cancellation/* cancellation */.WN.signal.addEventListener('abort', onCancel, { once: true });
    const upgrade = await log
        .group(`alembic upgrade ${target}`, () => cli
        .upgrade(target, sessions.applicationName, line => {
        log.info(line);
        clock.line(line);
    })
        .then(() => undefined, (error) => error))
        .finally(() => cancellation/* cancellation */.WN.signal.removeEventListener('abort', onCancel));
    // What the process left running ends before the revision is read again (and before the lock is released).
    const ended = await sessions.end().catch((error) => {
        log.warning((0,errors/* errorMessage */.gJ)(error));
        return undefined;
    });
    if (ended)
        log.info(ended);
    const runs = clock.finish();
    const after = await currentRevisions(cli).catch(() => undefined);
    report.to = after ?? report.from;
    const nowApplied = after ? graph.ancestors(after) : graph.ancestors(report.from);
    const before = graph.ancestors(report.from);
    report.applied = report.pending
        .filter(r => nowApplied.has(r.id) && !before.has(r.id))
        .map(r => ({
        revision: r.id,
        message: r.message,
        durationMs: runs.find(x => x.revision === r.id)?.durationMs
    }));
    if (upgrade) {
        const failed = clock.last;
        report.failedRevision = failed?.revision;
        const what = failed
            ? `Revision ${failed.revision}${failed.message ? ` (${failed.message})` : ''} failed`
            : 'alembic upgrade failed';
        const why = upgrade instanceof AlembicError
            ? upgrade.message.replace(/^alembic upgrade \S+ failed: /, '')
            : (0,errors/* errorMessage */.gJ)(upgrade);
        let where;
        if (!after)
            where = 'The revision the database is at now could not be read.';
        else if (sameRevisions(after, report.from))
            where = `The database was rolled back to ${show(report.from)}, where this run started: nothing was applied.`;
        else
            where = `The database is now at ${show(after)}: ${report.applied.map(a => a.revision).join(', ')} stayed applied (env.py commits each revision separately).`;
        throw new Refusal(`${what}: ${why}. ${where}`);
    }
    const missing = report.targets.filter(t => !graph.ancestors(report.to).has(t));
    if (missing.length)
        throw new Refusal(`alembic upgrade finished but the database is at ${show(report.to)}, not ${missing.join(', ')}`);
    log.info(`Applied ${report.applied.length} revision(s): ${show(report.from)} -> ${show(report.to)}`);
}
function multipleHeadsMessage(heads, graph) {
    const named = heads.map(h => {
        const r = graph.get(h);
        return r?.message ? `${h} (${r.message})` : h;
    });
    return (`Alembic has ${heads.length} heads: ${named.join(', ')}. Two branches of migrations were added in parallel; ` +
        `merge them into one head and commit the result: alembic merge -m "merge heads" ${heads.join(' ')}`);
}
function destructiveMessage(report, graph) {
    const lines = [];
    const destructive = report.findings.filter(f => f.kind === 'destructive');
    if (destructive.length) {
        lines.push(`Refusing to apply ${destructive.length} destructive statement(s) without 'allow-destructive: true':`);
        for (const f of destructive) {
            const msg = f.revision ? graph.get(f.revision)?.message : undefined;
            lines.push(`  revision ${f.revision ?? '?'}${msg ? ` (${msg})` : ''}, ${f.rule}: ${oneLine(f.statement)}`);
        }
    }
    if (report.render && !report.render.ok) {
        lines.push(`Refusing to apply revisions that cannot be previewed as offline SQL without 'allow-destructive: true': ` +
            `${report.render.revision ? `revision ${report.render.revision}: ` : ''}${report.render.error}`);
    }
    lines.push('Nothing was applied. Review the SQL preview, then set allow-destructive: true to proceed.');
    return lines.join('\n');
}
function sameRevisions(a, b) {
    return a.length === b.length && [...a].sort().join() === [...b].sort().join();
}
/** Revisions for messages; an empty database has none. */
function show(revisions) {
    return revisions.length ? revisions.join(', ') : '<base> (no revision)';
}
function oneLine(sql) {
    const s = sql.replace(/\s+/g, ' ').trim();
    return s.length > 200 ? `${s.slice(0, 197)}...` : s;
}

;// CONCATENATED MODULE: ./src/kit/markdown.ts
/** Small pure Markdown builders for job summaries (GitHub-flavoured). */
const escapeCell = (s) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
function table(header, rows) {
    const line = (cells) => `| ${cells.map(c => escapeCell(String(c))).join(' | ')} |`;
    return [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}
/** A two-column key/value table. */
function facts(pairs) {
    return table(['', ''], pairs.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [`**${k}**`, String(v)]));
}
function details(summary, body) {
    return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}
function codeBlock(body, lang = '') {
    const fence = body.includes('```') ? '````' : '```';
    return `${fence}${lang}\n${body}\n${fence}`;
}
function mermaid(body) {
    return codeBlock(body, 'mermaid');
}
/** A Mermaid gantt chart of named spans (times in ms since epoch) — the deploy/probe timelines. */
function mermaidTimeline(title, spans) {
    const lines = ['gantt', `  title ${title}`, '  dateFormat x', '  axisFormat %H:%M:%S'];
    let section;
    for (const s of spans) {
        if (s.section && s.section !== section) {
            section = s.section;
            lines.push(`  section ${section}`);
        }
        const name = s.name.replace(/[:#;]/g, ' ');
        const end = Math.max(s.end, s.start + 1);
        lines.push(`  ${name} :${s.status ? `${s.status}, ` : ''}${Math.round(s.start)}, ${Math.round(end)}`);
    }
    return mermaid(lines.join('\n'));
}

;// CONCATENATED MODULE: ./src/alembic/report.ts



/** The job summary of one migrate run: from -> to, each revision with its message and duration, findings. */
const MAX_SQL_CHARS = 60_000; // the summary has a 1 MiB limit shared with other steps
function migrationSummary(report, database) {
    const outcome = report.failure
        ? '❌ failed'
        : report.dryRun
            ? '🔍 dry run, nothing applied'
            : report.applied.length
                ? `✅ applied ${report.applied.length} revision(s)`
                : '✅ already up to date';
    const parts = [
        '## Database migration',
        facts([
            ['Outcome', outcome],
            ['Database', database],
            ['From', report.databaseRead ? show(report.from) : undefined],
            [
                'To',
                !report.databaseRead ? undefined : report.dryRun ? `${show(report.to)} (dry run)` : show(report.to)
            ],
            ['Pending', report.databaseRead ? report.pending.length : undefined],
            ['Destructive', report.render ? (report.destructive ? 'yes' : 'no') : undefined],
            [
                'Waited for lock',
                report.lockWaitedMs !== undefined ? (0,duration/* formatDuration */.a3)(report.lockWaitedMs) : undefined
            ],
            ['Duration', (0,duration/* formatDuration */.a3)(report.durationMs)]
        ])
    ];
    if (report.failure)
        parts.push(codeBlock(report.failure));
    if (report.pending.length) {
        const applied = new Map(report.applied.map(a => [a.revision, a]));
        parts.push(table(['Revision', 'Message', 'Status', 'Duration'], report.pending.map(r => {
            const a = applied.get(r.id);
            const status = a
                ? 'applied'
                : r.id === report.failedRevision
                    ? 'failed, rolled back'
                    : report.dryRun
                        ? 'pending (dry run)'
                        : 'not applied';
            return [
                `\`${r.id}\``,
                r.message,
                status,
                a?.durationMs !== undefined ? (0,duration/* formatDuration */.a3)(a.durationMs) : ''
            ];
        })));
    }
    if (report.findings.length) {
        parts.push('### Findings', table(['Kind', 'Rule', 'Revision', 'Statement'], report.findings.map(f => [
            f.kind,
            f.rule,
            f.revision ?? '',
            `\`${f.statement.replace(/\s+/g, ' ').trim()}\``
        ])));
    }
    if (report.render && !report.render.ok)
        parts.push(`> [!WARNING]\n> The pending revisions cannot be rendered as offline SQL: ${report.render.error}`);
    if (report.sql && report.pending.length) {
        const sql = report.sql.length > MAX_SQL_CHARS
            ? `${report.sql.slice(0, MAX_SQL_CHARS)}\n-- ... truncated, see ${report.sqlFile}`
            : report.sql;
        parts.push(details(`SQL preview (${report.pending.length} revision(s))`, codeBlock(sql, 'sql')));
    }
    return parts.join('\n\n');
}

;// CONCATENATED MODULE: ./src/alembic/virtualenv.ts






async function prepareVirtualenv(opts) {
    if (!(0,external_node_fs_.existsSync)(opts.requirementsFile))
        throw new errors/* InputError */.dz('requirements', `names a file that does not exist: ${opts.requirementsFile}`);
    const requirements = (0,external_node_fs_.readFileSync)(opts.requirementsFile);
    const version = (await mustRun([
        ...opts.python,
        '-c',
        'import platform, sys; print(platform.python_implementation(), platform.python_version(), sys.platform)'
    ], opts.env, 'python --version')).stdout.trim();
    const hash = (0,external_node_crypto_.createHash)('sha256')
        .update(requirements)
        .update(opts.python.join(' '))
        .digest('hex')
        .slice(0, 20);
    const key = `alembic-venv-${process.platform}-${process.arch}-${version.replace(/\s+/g, '-').toLowerCase()}-${hash}`;
    const dir = (0,external_node_path_.join)(opts.rootDir, key);
    const binDir = (0,external_node_path_.join)(dir, 'bin');
    const python = (0,external_node_path_.join)(binDir, 'python');
    const venv = { dir, binDir, python, key, pythonVersion: version };
    if (opts.cache) {
        const restored = await opts.cache.restore([dir], key).catch(error => {
            opts.logger.warning(`Virtualenv cache restore failed, building it instead: ${error.message}`);
            return undefined;
        });
        if (restored && (await works(python, opts.env))) {
            opts.logger.info(`Virtualenv restored from cache (key ${key})`);
            return { ...venv, cacheHit: true };
        }
    }
    await opts.logger.group(`Installing ${opts.requirementsFile} into a virtualenv (${version})`, async () => {
        await mustRun([...opts.python, '-m', 'venv', '--clear', '--system-site-packages', dir], opts.env, 'python -m venv', opts.logger);
        await mustRun([
            python,
            '-m',
            'pip',
            'install',
            '--disable-pip-version-check',
            '--no-input',
            '-r',
            opts.requirementsFile
        ], opts.env, 'pip install', opts.logger);
    });
    if (opts.cache) {
        await opts.cache.save([dir], key).then(() => opts.logger.info(`Virtualenv saved to the cache (key ${key})`), error => opts.logger.warning(`Virtualenv cache save failed (the next run installs again): ${error.message}`));
    }
    return { ...venv, cacheHit: false };
}
async function works(python, env) {
    if (!(0,external_node_fs_.existsSync)(python))
        return false;
    const r = await runChild([python, '-c', 'import sys'], {
        env: childEnvironment(env ?? process.env),
        cancelSignal: 'SIGINT',
        dieWithParent: 'KILL'
    }).catch(() => undefined);
    return r?.code === 0;
}
async function mustRun(argv, env, what, logger) {
    const log = logger ? (line) => logger.info(line) : undefined;
    // pip runs the requirements' build code (setup.py): it gets no input and no runner token.
    const r = await runChild(argv, {
        env: childEnvironment(env ?? process.env),
        cancelSignal: 'SIGINT',
        dieWithParent: 'KILL',
        onStdoutLine: log,
        onStderrLine: log
    });
    if (r.code !== 0) {
        const last = r.stderr.trim().split(/\r?\n/).filter(Boolean).pop() ?? `exit code ${r.code}`;
        throw new Error(`${what} failed: ${last}`);
    }
    return r;
}
const virtualenv_PYTHON = /^python(\d+(\.\d+)*)?$/;
/** The interpreter a venv is made from: the `alembic` command's own Python when it is one, else python3. */
function baseInterpreter(command) {
    return virtualenv_PYTHON.test((0,external_node_path_.basename)(command[0] ?? '')) ? [command[0]] : ['python3'];
}
/**
 * The `alembic` command rewritten to run inside the venv: a Python interpreter becomes the venv's, a bare
 * `alembic` becomes the venv's Alembic (or the venv's `python -m alembic` when Alembic is a system package).
 */
function commandInVirtualenv(command, venv) {
    const [program, ...rest] = command;
    const name = (0,external_node_path_.basename)(program ?? '');
    if (virtualenv_PYTHON.test(name))
        return [venv.python, ...rest];
    if (name === 'alembic') {
        const own = (0,external_node_path_.join)(venv.binDir, 'alembic');
        return (0,external_node_fs_.existsSync)(own) ? [own, ...rest] : [venv.python, '-m', 'alembic', ...rest];
    }
    return command;
}
/** Environment for processes that should behave as if the venv were activated. */
function virtualenvEnv(venv, path = process.env.PATH ?? '') {
    return { VIRTUAL_ENV: venv.dir, PATH: path ? `${venv.binDir}${external_node_path_.delimiter}${path}` : venv.binDir };
}

;// CONCATENATED MODULE: ./actions/migrate/deferred.ts
// Loaded by main.ts once the inputs are valid, as ONE chunk: separate dynamic imports would each carry (and load)
// their own copy of the modules they share.






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


/***/ }),

/***/ 669:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {

module.exports = __webpack_require__.p + "2a07cd9af64cf01ca2db.py";

/***/ })

};
