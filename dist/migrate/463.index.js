export const id = 463;
export const ids = [463];
export const modules = {

/***/ 5463:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  baseInterpreter: () => (/* reexport */ baseInterpreter),
  commandInVirtualenv: () => (/* reexport */ commandInVirtualenv),
  describeConnection: () => (/* reexport */ postgres_url/* describeConnection */.If),
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
// EXTERNAL MODULE: ./src/kit/retry.ts
var retry = __webpack_require__(1834);
// EXTERNAL MODULE: ./src/postgres/url.ts
var postgres_url = __webpack_require__(8638);
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
        // The TLS rule (url.ts) asked for TLS the server does not offer: say which setting decides.
        const hint = /does not support SSL/i.test(e.message) && (0,postgres_url/* nodePgConnectionString */.VE)(url) !== url
            ? ' - put sslmode=disable in the URL to connect without TLS (a non-local host gets sslmode=require unless the URL names one)'
            : '';
        throw new PostgresConnectionError(`Cannot connect to PostgreSQL at ${(0,postgres_url/* describeConnection */.If)(url)}: ${e.message}${e.code ? ` (${e.code})` : ''}${hint}`, e.code);
    }
}
/** Opens one connection; a failure is one line naming the server, database and user, never the password. */
async function openDirectConnection(url, opts = {}) {
    const client = new esm/* default.Client */.Ay.Client({
        connectionString: (0,postgres_url/* nodePgConnectionString */.VE)(url),
        application_name: opts.applicationName,
        connectionTimeoutMillis: opts.connectTimeoutMs ?? 15_000,
        keepAlive: true
    });
    // A dropped connection is reported by the next query; without a listener it would crash the process.
    client.on('error', () => undefined);
    return connectOrExplain(client, url);
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
/** One attempt at the session advisory lock `key`: held, or undefined when another session holds it. */
async function tryAdvisoryLock(client, key, waitedMs = 0) {
    const { rows } = await client.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key.toString()]);
    if (!rows[0]?.locked)
        return undefined;
    return {
        key,
        waitedMs,
        release: async () => {
            await client.query('SELECT pg_advisory_unlock($1::bigint)', [key.toString()]);
        }
    };
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
        const held = await tryAdvisoryLock(client, key, now() - started);
        if (held)
            return held;
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

// EXTERNAL MODULE: ./src/alembic/alembic-cli.ts + 2 modules
var alembic_cli = __webpack_require__(5016);
// EXTERNAL MODULE: ./src/alembic/offline-sql.ts
var offline_sql = __webpack_require__(6581);
// EXTERNAL MODULE: ./src/alembic/revisions.ts
var revisions = __webpack_require__(4209);
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
        const s = (0,offline_sql/* normaliseForMatching */.J9)(st.text).toUpperCase();
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

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
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
    const cli = opts.cli ?? (0,alembic_cli/* alembicFor */.Xq)(opts);
    let client;
    let lock;
    let unlock;
    try {
        // Pre-flight. The scripts (history, with heads marked) and, once our own connection proves the database reachable,
        // its revision (current, read-only) are read at once: each Alembic process costs about a second of
        // Python start-up. Failures are reported in order: the scripts first, then our connection (one clear
        // line), then Alembic's view of the database.
        const connecting = opts.connection ?? openDirectConnection(opts.databaseUrl, { applicationName: opts.applicationName });
        // A run that finds the migration lock free holds it from before it reads the revision: what it reads is then
        // what it migrates from, with no second read once it has the lock. A dry run never takes it.
        const reading = connecting.then(async (c) => {
            if (!opts.dryRun)
                lock = await tryAdvisoryLock(c, MIGRATION_LOCK_KEY);
            return currentRevisions(cli);
        });
        // Settled later, in order; until then a rejection must not count as unhandled.
        connecting.catch(() => undefined);
        reading.catch(() => undefined);
        let graph;
        try {
            graph = await log.group('Pre-flight: revisions', async () => {
                // `history` marks the heads as `alembic heads` would list them: one Python start-up instead of two.
                const graph = new revisions/* RevisionGraph */.Se(await cli.history());
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
        const readUnderLock = lock !== undefined;
        lock ??= await acquireAdvisoryLock(client, MIGRATION_LOCK_KEY, {
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
        // Read before this run held the lock: another pipeline may have migrated meanwhile (and an interrupted run's
        // upgrade, alive until just now, may have committed): start again from what the database says now.
        if (!readUnderLock || interrupted) {
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
        }
        await apply(cli, graph, report, opts, sessions);
        return report;
    }
    catch (error) {
        if (error instanceof Refusal || error instanceof alembic_cli/* AlembicError */.SN)
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
            if (!(rendered.error instanceof alembic_cli/* AlembicError */.SN) || !rendered.error.result)
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
    report.findings = classify((0,offline_sql/* splitOfflineSql */.Qu)(sql));
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
        const why = upgrade instanceof alembic_cli/* AlembicError */.SN
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

;// CONCATENATED MODULE: ./src/alembic/summary.ts



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

// EXTERNAL MODULE: ./src/kit/child-environment.ts
var child_environment = __webpack_require__(5246);
// EXTERNAL MODULE: ./src/kit/child-process.ts + 2 modules
var child_process = __webpack_require__(3089);
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
            opts.logger.warning(`Virtualenv cache restore failed, building it instead: ${(0,errors/* errorMessage */.gJ)(error)}`);
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
        await opts.cache.save([dir], key).then(() => opts.logger.info(`Virtualenv saved to the cache (key ${key})`), error => opts.logger.warning(`Virtualenv cache save failed (the next run installs again): ${(0,errors/* errorMessage */.gJ)(error)}`));
    }
    return { ...venv, cacheHit: false };
}
async function works(python, env) {
    if (!(0,external_node_fs_.existsSync)(python))
        return false;
    const r = await (0,child_process/* runChild */.w$)([python, '-c', 'import sys'], {
        env: (0,child_environment/* childEnvironment */.Q)(env ?? process.env),
        cancelSignal: 'SIGINT',
        dieWithParent: 'KILL'
    }).catch(() => undefined);
    return r?.code === 0;
}
async function mustRun(argv, env, what, logger) {
    const log = logger ? (line) => logger.info(line) : undefined;
    // pip runs the requirements' build code (setup.py): it gets no input and no runner token.
    const r = await (0,child_process/* runChild */.w$)(argv, {
        env: (0,child_environment/* childEnvironment */.Q)(env ?? process.env),
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
const PYTHON = /^python(\d+(\.\d+)*)?$/;
/** The interpreter a venv is made from: the `alembic` command's own Python when it is one, else python3. */
function baseInterpreter(command) {
    return PYTHON.test((0,external_node_path_.basename)(command[0] ?? '')) ? [command[0]] : ['python3'];
}
/**
 * The `alembic` command rewritten to run inside the venv: a Python interpreter becomes the venv's, a bare
 * `alembic` becomes the venv's Alembic (or the venv's `python -m alembic` when Alembic is a system package).
 */
function commandInVirtualenv(command, venv) {
    const [program, ...rest] = command;
    const name = (0,external_node_path_.basename)(program ?? '');
    if (PYTHON.test(name))
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


/***/ })

};
