export const id = 402;
export const ids = [402];
export const modules = {

/***/ 1402:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  buildImage: () => (/* reexport */ buildImage),
  buildImageSummary: () => (/* reexport */ buildImageSummary),
  spawnCommand: () => (/* reexport */ spawnCommand)
});

// EXTERNAL MODULE: ./src/kit/secrets.ts + 1 modules
var secrets = __webpack_require__(5889);
// EXTERNAL MODULE: ./src/kit/cancellation.ts
var cancellation = __webpack_require__(9449);
// EXTERNAL MODULE: ./src/kit/errors.ts
var errors = __webpack_require__(3713);
// EXTERNAL MODULE: ./src/kit/duration.ts
var duration = __webpack_require__(438);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/image/builder.ts
/** A failed build or push: the message is one line; `output` is the whole output, for a folded group. */
class BuildFailedError extends Error {
    output;
    constructor(message, output) {
        super(message);
        this.output = output;
        this.name = 'BuildFailedError';
    }
}
/** Login failures: the registry refused the credentials or could not be reached. */
class LoginFailedError extends Error {
    constructor(message) {
        super(message);
        this.name = 'LoginFailedError';
    }
}
/** `registry/repo:tag`: a name a builder tags and pushes (not a digest reference). */
const taggedName = (image, tag) => `${image.name}:${tag}`;
function labelArgs(labels) {
    return Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
}
function targetArgs(req) {
    return req.target ? ['--target', req.target] : [];
}
function buildArgArgs(buildArgs) {
    return buildArgs.flatMap(a => ['--build-arg', a]);
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
/** The program ran longer than its `timeoutMs` and was killed. */
class ProgramTimeoutError extends Error {
    label;
    timeoutMs;
    constructor(label, timeoutMs) {
        super(`${label} did not finish within ${timeoutMs / 1000} s: killed`);
        this.label = label;
        this.timeoutMs = timeoutMs;
        this.name = 'ProgramTimeoutError';
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
    const undoSignal = opts.undoSignal;
    if (!undoSignal) {
        cancellation/* cancellation */.WN.trackChild(child, { label: opts.label ?? program, signal: opts.cancelSignal });
        return child;
    }
    const kill = () => stop(child, 'SIGKILL');
    if (undoSignal.aborted)
        kill();
    else {
        undoSignal.addEventListener('abort', kill, { once: true });
        child.once('close', () => undoSignal.removeEventListener('abort', kill));
    }
    return child;
}
/**
 * Runs `argv` to completion, collecting its output. Rejects only when it cannot start (ProgramNotFoundError), ran
 * past `timeoutMs` (ProgramTimeoutError), or its undo step's budget ran out (`undoSignal`'s reason).
 */
function runChild(argv, opts = {}) {
    return new Promise((resolve, reject) => {
        const child = spawnChild(argv, { ...opts, stdio: ['pipe', 'pipe', 'pipe'] });
        const label = opts.label ?? argv[0];
        let timedOut = false;
        const timer = opts.timeoutMs === undefined
            ? undefined
            : setTimeout(() => {
                timedOut = true;
                stop(child, 'SIGKILL');
            }, opts.timeoutMs);
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
        child.on('error', (e) => {
            clearTimeout(timer);
            reject(new ProgramNotFoundError(argv[0], e.code, e.message));
        });
        child.on('close', (code, signal) => {
            clearTimeout(timer);
            const stdout = out.end();
            const stderr = err.end();
            if (timedOut)
                return reject(new ProgramTimeoutError(label, opts.timeoutMs));
            if (signal && opts.undoSignal?.aborted)
                return reject(new Error(`${label} stopped: its undo step ran out of time`));
            resolve({ code, signal, stdout, stderr, lines });
        });
        // A program that exits before reading stdin must not crash us with EPIPE.
        child.stdin.on('error', () => undefined);
        child.stdin.end(opts.input ?? '');
    });
}
function stop(child, signal) {
    if (child.exitCode !== null || child.signalCode !== null)
        return;
    try {
        child.kill(signal);
    }
    catch {
        // already gone
    }
}
/** The one line for a program that did not exit 0: `<label> exited with code 2: <the end of its stderr>`. */
function exitFailureLine(label, r) {
    const why = r.signal ? `was killed by ${r.signal}` : `exited with code ${r.code}`;
    const tail = stderrTail(r.stderr);
    return `${label} ${why}${tail ? `: ${tail}` : ''}`;
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

;// CONCATENATED MODULE: ./src/image/command.ts

/**
 * The one spawn wrapper (src/kit/child-process.ts) in the shape the builders take: injectable, so builder logic
 * is tested with a fake `RunCommand`. A program that is not installed rejects with the kit's ProgramNotFoundError.
 */
const spawnCommand = async (command, args, opts = {}) => {
    const r = await runChild([command, ...args], {
        cwd: opts.cwd,
        env: opts.env,
        input: opts.input,
        onLine: opts.onLine,
        dieWithParent: opts.dieWithParent ? 'TERM' : undefined
    });
    return { exitCode: r.code ?? 1, stdout: r.stdout, stderr: r.stderr, lines: r.lines };
};
/** The last line that looks like an error, for one-line failure messages. */
function lastErrorLine(lines) {
    const meaningful = lines.map(l => l.trim()).filter(Boolean);
    const errorish = meaningful.filter(l => /error|denied|unauthori[sz]ed|failed|no such file|not found/i.test(l));
    // `#6 ERROR: ...` (buildx step prefix) and `Error: ...` say nothing the surrounding message does not.
    return (errorish.pop() ?? meaningful.pop())?.replace(/^#\d+\s+/, '').replace(/^error:\s*/i, '');
}

;// CONCATENATED MODULE: ./src/image/builder-login.ts


/**
 * `<builder> login … --password-stdin` and `<builder> logout …`, the same for buildah and docker: only the
 * arguments (and buildah's per-request environment) differ. The password goes through stdin, never argv; a refused
 * login is a LoginFailedError with the builder's own message; a failed logout only warns (the work dir holding the
 * credentials is removed all the same). Without credentials both do nothing.
 */
async function builderLogin(builder, args, req, deps) {
    if (!req.credentials)
        return;
    const res = await deps.run(builder, args(req), { input: req.credentials.password, env: deps.env });
    if (res.exitCode !== 0)
        throw new LoginFailedError(`${builder} login ${req.image.registry} as '${req.credentials.username}' failed: ${lastErrorLine(res.lines) ?? `exit code ${res.exitCode}`}`);
}
async function builderLogout(builder, args, req, deps) {
    if (!req.credentials)
        return;
    const res = await deps.run(builder, args(req), { env: deps.env });
    if (res.exitCode !== 0)
        deps.log.warning(`${builder} logout ${req.image.registry}: ${lastErrorLine(res.lines) ?? `exit code ${res.exitCode}`}`);
}

;// CONCATENATED MODULE: ./src/image/working-containers.ts



/**
 * buildah's working containers of one build. `buildah build` stopped before its signal handler is up (a cancel
 * right as a RUN step starts, a SIGKILL) leaves them, and nothing in a container says which build made it. So a
 * run lists the working containers before its build; afterwards the ones that are new are its own — unless
 * another buildah ran meanwhile, which is checked at removal time: while another buildah process on the same
 * storage is running, nothing is removed (its containers would look new too) and the ids are reported instead.
 */
/**
 * `buildah <args>` on the storage `env` selects, through the one spawn path. `signal` is the budget of the undo step
 * it runs in, if any (then the cancellation, which started that step, does not stop it). Rejects unless it exits 0.
 */
async function buildah(args, env, signal) {
    const label = `buildah ${args[0]}`;
    const r = await runChild(['buildah', ...args], { env: childEnvironment(env), label, undoSignal: signal });
    if (r.code !== 0)
        throw new Error(exitFailureLine(label, r));
    return r;
}
/** `working-container`, `<image>-working-container`, `...-working-container-2`: the names buildah build gives. */
const WORKING = /(^|-)working-container(-\d+)?$/;
function parseWorkingContainers(json) {
    try {
        const entries = (JSON.parse(json) ?? []);
        return entries.filter(e => e.builder && WORKING.test(e.containername)).map(e => e.id);
    }
    catch {
        return undefined;
    }
}
async function listWorkingContainers(env, signal) {
    try {
        return parseWorkingContainers((await buildah(['containers', '--json'], env, signal)).stdout);
    }
    catch {
        return undefined;
    }
}
/**
 * Pids of running buildah processes that may use the storage `env` selects (Linux /proc): the same
 * CONTAINERS_STORAGE_CONF, or one whose environment cannot be read. Builds on other storages do not count.
 */
function otherBuildahProcesses(env) {
    const ours = env.CONTAINERS_STORAGE_CONF ?? '';
    const storageOf = (pid) => {
        try {
            const vars = (0,external_node_fs_.readFileSync)(`/proc/${pid}/environ`, 'utf8').split('\0');
            const conf = vars.find(v => v.startsWith('CONTAINERS_STORAGE_CONF='));
            return conf ? conf.slice(conf.indexOf('=') + 1) : '';
        }
        catch {
            return undefined;
        }
    };
    const pids = [];
    let entries;
    try {
        entries = (0,external_node_fs_.readdirSync)('/proc').filter(e => /^\d+$/.test(e));
    }
    catch {
        return pids;
    }
    for (const e of entries) {
        try {
            if ((0,external_node_fs_.readFileSync)(`/proc/${e}/comm`, 'utf8').trim() !== 'buildah')
                continue;
            const storage = storageOf(e);
            if (storage === undefined || storage === ours)
                pids.push(Number(e));
        }
        catch {
            // gone
        }
    }
    return pids;
}
/**
 * Removes the working containers that are not in `before`. Returns what was removed, or throws (with the ids and
 * the command to remove them) when it cannot safely decide.
 */
async function removeNewWorkingContainers(before, env, signal) {
    const now = await listWorkingContainers(env, signal);
    if (!now)
        throw new Error('buildah containers failed: working containers not checked');
    const known = new Set(before);
    const added = now.filter(id => !known.has(id));
    if (added.length === 0)
        return [];
    const others = otherBuildahProcesses(env);
    if (others.length)
        throw new Error(`another buildah is running (pid ${others.join(', ')}), so these may be its: ${added.map(id => id.slice(0, 12)).join(' ')} (remove with buildah rm if they are this build's)`);
    await buildah(['rm', ...added], env, signal);
    return added;
}

;// CONCATENATED MODULE: ./src/image/buildah.ts








/** The working containers there were before this run's build (see working-containers.ts), one id a line. */
const containersBeforeFile = (workDir) => (0,external_node_path_.join)(workDir, 'containers-before');
/**
 * buildah: daemonless, runs on any runner with buildah installed (GitHub's ubuntu images have it).
 * Credentials live in a private auth file inside the request's work dir, so nothing touches the user's
 * ~/.docker or containers auth, and logout + removing the work dir leaves no token behind.
 */
const authFile = (req) => (0,external_node_path_.join)(req.workDir, 'auth.json');
const digestFile = (req) => (0,external_node_path_.join)(req.workDir, 'digest');
/** The registry repository holding buildah's layer cache: one image per cached step, tagged by cache key. */
const cacheRepository = (req) => `${req.image.name}-cache`;
function buildahLoginArgs(req) {
    if (!req.credentials)
        throw new Error('no credentials');
    return [
        'login',
        '--authfile',
        authFile(req),
        `--tls-verify=${req.tlsVerify}`,
        '--username',
        req.credentials.username,
        '--password-stdin',
        req.image.registry
    ];
}
function buildahBuildArgs(req) {
    const args = ['build', `--tls-verify=${req.tlsVerify}`];
    if (req.credentials)
        args.push('--authfile', authFile(req));
    // --force-rm: a failed step must not leave its container (and overlay mount) behind on a self-hosted runner.
    args.push('--platform', req.platform, '--layers', '--force-rm', '--file', req.file, ...targetArgs(req));
    // The registry cache needs push rights; without a push the local --layers cache is all there is.
    if (req.push)
        args.push('--cache-from', cacheRepository(req), '--cache-to', cacheRepository(req));
    for (const tag of req.tags)
        args.push('--tag', taggedName(req.image, tag));
    args.push(...labelArgs(req.labels), ...buildArgArgs(req.buildArgs), req.context);
    return args;
}
function buildahPushArgs(req) {
    const ref = taggedName(req.image, req.tags[0]);
    const args = ['push', `--tls-verify=${req.tlsVerify}`];
    if (req.credentials)
        args.push('--authfile', authFile(req));
    args.push('--digestfile', digestFile(req), ref, `docker://${ref}`);
    return args;
}
function buildahLogoutArgs(req) {
    return ['logout', '--authfile', authFile(req), req.image.registry];
}
/** Steps (`STEP 2/4: COPY ...`, FROM excluded) and the ones buildah reused (`--> Using cache <id>`). */
function countBuildahCache(lines, labels = {}) {
    // buildah turns each --label into a LABEL step of its own; those change every commit and are not the
    // user's build steps.
    const ours = new Set(Object.entries(labels).map(([k, v]) => `LABEL ${JSON.stringify(k)}=${JSON.stringify(v)}`));
    let steps = 0;
    let cachedSteps = 0;
    let counting = false;
    for (const line of lines) {
        const step = /^STEP \d+\/\d+: (.*)$/.exec(line);
        if (step) {
            counting = !/^FROM /i.test(step[1]) && !ours.has(step[1]);
            if (counting)
                steps++;
        }
        else if (counting && /^--> Using cache [0-9a-f]+/.test(line)) {
            cachedSteps++;
        }
    }
    return { steps, cachedSteps };
}
class BuildahBuilder {
    deps;
    name = 'buildah';
    constructor(deps) {
        this.deps = deps;
    }
    /**
     * buildah's own temp dirs (`buildahNNN`, left behind when it is stopped mid-build) go inside the request's work
     * dir (its `tmp`, made by createWorkDir), so removing that removes them too.
     */
    env(req) {
        return childEnvironment(this.deps.env ?? process.env, { TMPDIR: (0,external_node_path_.join)(req.workDir, 'tmp') });
    }
    login(req) {
        return builderLogin('buildah', buildahLoginArgs, req, { ...this.deps, env: this.env(req) });
    }
    async build(req) {
        const { log } = this.deps;
        const env = this.env(req);
        // buildah stopped early (a cancel as a step starts, a SIGKILL) leaves its working containers: the new ones
        // are removed by an undo step, or by the next run from this file when this one is killed.
        const before = await listWorkingContainers(env);
        if (before)
            try {
                (0,external_node_fs_.writeFileSync)(containersBeforeFile(req.workDir), before.join('\n'));
            }
            catch {
                // no work dir (a test's fake one): the undo step still has the list
            }
        const containers = before
            ? cancellation/* cancellation */.WN.addUndo("remove this build's buildah working containers", async (signal) => {
                const removed = await removeNewWorkingContainers(before, env, signal);
                if (removed.length)
                    log.info(`removed ${removed.length} buildah working container(s) of this build`);
            })
            : undefined;
        const built = await log.group(`buildah build ${taggedName(req.image, req.tags[0])}`, () => this.deps.run('buildah', buildahBuildArgs(req), {
            env,
            onLine: line => log.info(line),
            dieWithParent: true
        }));
        // Cancelled: nothing more may start, the push least; the undo steps remove what buildah left.
        cancellation/* cancellation */.WN.throwIfCancelled();
        if (built.exitCode === 0)
            containers?.dismiss();
        else
            await containers?.run();
        if (built.exitCode !== 0)
            throw new BuildFailedError(`buildah build failed (exit code ${built.exitCode}): ${lastErrorLine(built.lines) ?? 'no output'}`, built.lines);
        const cache = countBuildahCache(built.lines, req.labels);
        if (!req.push)
            return { pushedTags: [], ...cache };
        const pushed = await log.group(`buildah push ${taggedName(req.image, req.tags[0])}`, () => this.deps.run('buildah', buildahPushArgs(req), {
            env: this.env(req),
            onLine: line => log.info(line),
            dieWithParent: true
        }));
        cancellation/* cancellation */.WN.throwIfCancelled();
        if (pushed.exitCode !== 0)
            throw new BuildFailedError(`buildah push ${taggedName(req.image, req.tags[0])} failed (exit code ${pushed.exitCode}): ${lastErrorLine(pushed.lines) ?? 'no output'}`, pushed.lines);
        const digest = (0,external_node_fs_.readFileSync)(digestFile(req), 'utf8').trim();
        return { digest, pushedTags: [req.tags[0]], ...cache };
    }
    logout(req) {
        return builderLogout('buildah', buildahLogoutArgs, req, { ...this.deps, env: this.env(req) });
    }
}

;// CONCATENATED MODULE: ./src/image/docker.ts






/**
 * docker buildx: GitHub's hosted runners have a daemon. Provenance and SBOM attestations are switched off
 * so the pushed digest is the single-platform image manifest (not an index with an `unknown/unknown`
 * attestation entry) that App Platform pulls and a rollback pins.
 */
const BUILDX_BUILDER_NAME = 'app-platform-pipeline';
const metadataFile = (req) => (0,external_node_path_.join)(req.workDir, 'buildx-metadata.json');
/** Docker Hub logins take no server argument. */
const loginServer = (req) => req.image.registry === 'docker.io' ? [] : [req.image.registry];
/** The gha cache scope: one per image, so two images built in one repository do not evict each other. */
const cacheScope = (req) => req.image.repository.replace(/[^a-z0-9._-]+/g, '-');
/** BuildKit reads the Actions cache service from these variables, which the runner gives JavaScript actions. */
function ghaCacheAvailable(env) {
    return Boolean(env.ACTIONS_RUNTIME_TOKEN && (env.ACTIONS_RESULTS_URL || env.ACTIONS_CACHE_URL));
}
function ghaCacheVariables(env) {
    const names = [
        'ACTIONS_RUNTIME_TOKEN',
        'ACTIONS_RESULTS_URL',
        'ACTIONS_CACHE_URL',
        'ACTIONS_CACHE_SERVICE_V2'
    ];
    return Object.fromEntries(names.filter(n => env[n] !== undefined).map(n => [n, env[n]]));
}
function dockerLoginArgs(req) {
    if (!req.credentials)
        throw new Error('no credentials');
    return ['login', '--username', req.credentials.username, '--password-stdin', ...loginServer(req)];
}
function dockerLogoutArgs(req) {
    return ['logout', ...loginServer(req)];
}
function dockerBuildArgs(req, opts) {
    const args = ['buildx', 'build'];
    if (opts.builder)
        args.push('--builder', opts.builder);
    args.push('--progress=plain', '--platform', req.platform, '--file', req.file, ...targetArgs(req));
    for (const tag of req.tags)
        args.push('--tag', taggedName(req.image, tag));
    args.push(...labelArgs(req.labels), ...buildArgArgs(req.buildArgs));
    args.push('--provenance=false', '--sbom=false', '--metadata-file', metadataFile(req));
    if (req.push) {
        // `--push` cannot be told that a registry is plain http / self-signed; the image exporter can.
        args.push(...(req.tlsVerify ? ['--push'] : ['--output', 'type=image,push=true,registry.insecure=true']));
    }
    else {
        args.push('--load');
    }
    if (opts.ghaCache) {
        const scope = cacheScope(req);
        args.push('--cache-from', `type=gha,scope=${scope}`, '--cache-to', `type=gha,scope=${scope},mode=max`);
    }
    args.push(req.context);
    return args;
}
/** `docker buildx build --progress=plain` prints `#7 [2/3] COPY ...` per step and `#7 CACHED` for reused ones. */
function countBuildxCache(lines) {
    const steps = new Set();
    const cached = new Set();
    for (const line of lines) {
        const step = /^#(\d+) \[(?:[^\]]*\s)?\d+\/\d+\] (?!FROM )/.exec(line);
        if (step)
            steps.add(step[1]);
        const hit = /^#(\d+) CACHED\s*$/.exec(line);
        if (hit)
            cached.add(hit[1]);
    }
    return { steps: steps.size, cachedSteps: [...cached].filter(id => steps.has(id)).length };
}
/** True when a docker daemon answers (`docker info` exits 0). */
async function dockerAvailable(run, env) {
    try {
        return (await run('docker', ['info', '--format', '{{.ServerVersion}}'], { env })).exitCode === 0;
    }
    catch {
        return false;
    }
}
class DockerBuilder {
    deps;
    name = 'docker';
    builder;
    constructor(deps) {
        this.deps = deps;
    }
    login(req) {
        return builderLogin('docker', dockerLoginArgs, req, this.deps);
    }
    /**
     * The default `docker` driver cannot export to the gha cache; a docker-container builder can. Create one
     * (once per runner) only when the cache would be used.
     */
    async prepareBuilder() {
        const env = this.deps.env ?? process.env;
        if (!ghaCacheAvailable(env))
            return undefined;
        const current = await this.deps.run('docker', ['buildx', 'inspect'], { env });
        const driver = /^Driver:\s*(\S+)/m.exec(current.stdout)?.[1];
        if (current.exitCode === 0 && driver !== 'docker')
            return undefined;
        const ours = await this.deps.run('docker', ['buildx', 'inspect', BUILDX_BUILDER_NAME], { env });
        if (ours.exitCode !== 0) {
            const created = await this.deps.run('docker', ['buildx', 'create', '--name', BUILDX_BUILDER_NAME, '--driver', 'docker-container'], { env });
            if (created.exitCode !== 0) {
                this.deps.log.warning(`docker buildx create failed, building without the gha cache: ${lastErrorLine(created.lines)}`);
                return '';
            }
        }
        return BUILDX_BUILDER_NAME;
    }
    async build(req) {
        const { log } = this.deps;
        if (this.builder === undefined)
            this.builder = await this.prepareBuilder();
        const base = this.deps.env ?? process.env;
        const ghaCache = this.builder !== '' && ghaCacheAvailable(base);
        const args = dockerBuildArgs(req, { builder: this.builder || undefined, ghaCache });
        // Children get no ACTIONS_* credentials (childEnvironment), except the build that uses the cache service.
        const env = ghaCache ? childEnvironment(base, ghaCacheVariables(base)) : this.deps.env;
        const built = await log.group(`docker buildx build ${taggedName(req.image, req.tags[0])}`, () => this.deps.run('docker', args, { env, onLine: line => log.info(line) }));
        if (built.exitCode !== 0)
            throw new BuildFailedError(`docker buildx build failed (exit code ${built.exitCode}): ${lastErrorLine(built.lines) ?? 'no output'}`, built.lines);
        const cache = countBuildxCache(built.lines);
        if (!req.push)
            return { pushedTags: [], ...cache };
        const metadata = JSON.parse((0,external_node_fs_.readFileSync)(metadataFile(req), 'utf8'));
        const digest = typeof metadata['containerimage.digest'] === 'string' ? metadata['containerimage.digest'] : undefined;
        return { digest, pushedTags: [...req.tags], ...cache };
    }
    logout(req) {
        return builderLogout('docker', dockerLogoutArgs, req, this.deps);
    }
}

;// CONCATENATED MODULE: ./src/image/labels.ts
/**
 * OCI annotations as image labels. `source` is what links a ghcr.io package to its repository (and so
 * gives the package the repository's visibility and Actions access).
 */
function ociLabels(ctx, opts) {
    const labels = {
        'org.opencontainers.image.created': opts.created.toISOString(),
        'org.opencontainers.image.version': opts.version
    };
    if (ctx.sha)
        labels['org.opencontainers.image.revision'] = ctx.sha;
    if (ctx.repository) {
        const url = `${ctx.serverUrl}/${ctx.repository}`;
        labels['org.opencontainers.image.source'] = url;
        labels['org.opencontainers.image.url'] = url;
        labels['org.opencontainers.image.title'] = ctx.repository.split('/')[1] ?? ctx.repository;
    }
    return labels;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
// EXTERNAL MODULE: ./src/kit/retry.ts
var retry = __webpack_require__(1834);
// EXTERNAL MODULE: ./src/image/reference.ts
var reference = __webpack_require__(3564);
;// CONCATENATED MODULE: ./src/image/registry.ts






/**
 * A small OCI distribution (registry v2) client: the same credentials the builder pushes with, used to
 * check them before a build, to answer skip-existing, to read back the pushed manifest's digest and to tag
 * an already-pushed manifest without rebuilding. Auth follows the server's WWW-Authenticate challenge:
 * Basic (htpasswd registries) or Bearer tokens from the realm (ghcr.io, Docker Hub).
 */
const MEDIA_TYPES = {
    ociManifest: 'application/vnd.oci.image.manifest.v1+json',
    ociIndex: 'application/vnd.oci.image.index.v1+json',
    dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
    dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json'
};
const ACCEPT = Object.values(MEDIA_TYPES).join(', ');
const INDEX_TYPES = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerList];
const sha256Digest = (data) => `sha256:${(0,external_node_crypto_.createHash)('sha256').update(data).digest('hex')}`;
class RegistryClient {
    opts;
    host;
    dispatcher;
    base;
    tokens = new Map();
    constructor(opts) {
        this.opts = opts;
        this.host = (0,reference/* registryApiHost */.Mb)(opts.registry);
        this.dispatcher =
            opts.tlsVerify === false ? new undici/* Agent */.g6({ connect: { rejectUnauthorized: false } }) : undefined;
        if (opts.credentials)
            (0,secrets/* registerSecret */.cl)(opts.credentials.password);
    }
    /** Checks that the registry answers and accepts the credentials for pushing to (or reading) `repository`. */
    async login(repository, actions = 'pull,push') {
        const { challenge } = await this.discover();
        if (challenge.scheme === 'none')
            return;
        if (challenge.scheme === 'bearer') {
            await this.token(repository, actions);
            return;
        }
        const call = `log in to ${this.opts.registry} as ${this.userLabel()} (GET ${this.base.url}/v2/)`;
        if (!this.opts.credentials)
            throw new errors/* RemoteError */.Hi({
                call,
                status: 401,
                serverMessage: 'the registry requires a login: set registry-username and registry-password'
            });
        const authorization = basic(this.opts.credentials);
        const res = await this.exchange('GET', `${this.base.url}/v2/`, { headers: { authorization } });
        if (res.status !== 200)
            throw this.error(call, res, res.status === 401 || res.status === 403 ? 'authentication refused' : undefined);
    }
    /** The manifest `reference` (tag or digest) points at, or undefined when there is none. */
    async getManifest(repository, reference) {
        const path = `/v2/${repository}/manifests/${reference}`;
        const res = await this.send('GET', path, { repository, actions: 'pull', accept: ACCEPT });
        if (res.status === 404)
            return undefined;
        if (res.status !== 200)
            throw this.error(`GET ${path}`, res);
        const computed = sha256Digest(res.body);
        const claimed = header(res, 'docker-content-digest');
        // Trust but verify: the digest we hand to deploys must be the hash of the bytes the registry serves.
        if (claimed && claimed !== computed)
            throw new errors/* RemoteError */.Hi({
                call: `GET ${path}`,
                serverMessage: `Docker-Content-Digest ${claimed} does not match the manifest bytes (${computed})`
            });
        if (reference.startsWith('sha256:') && reference !== computed)
            throw new errors/* RemoteError */.Hi({ call: `GET ${path}`, serverMessage: `manifest bytes hash to ${computed}` });
        const manifest = JSON.parse(res.body.toString('utf8'));
        const mediaType = (header(res, 'content-type') ?? manifest.mediaType ?? '').split(';')[0].trim();
        return { digest: computed, mediaType, body: res.body, manifest };
    }
    /**
     * The single-platform image manifest for `reference`: the manifest itself, or, when the reference is an
     * index (buildx attestations, multi-arch), the entry for `platform` (`linux/amd64`).
     */
    async getImageManifest(repository, reference, platform) {
        const top = await this.getManifest(repository, reference);
        if (!top || !INDEX_TYPES.includes(top.mediaType))
            return top;
        const [os, architecture, variant] = platform.split('/');
        const entry = (top.manifest.manifests ?? []).find(m => m.platform?.os === os &&
            m.platform?.architecture === architecture &&
            (!variant || m.platform?.variant === variant));
        if (!entry)
            throw new errors/* RemoteError */.Hi({
                call: `GET /v2/${repository}/manifests/${reference}`,
                serverMessage: `the image index has no ${platform} manifest`
            });
        return this.getManifest(repository, entry.digest);
    }
    /** Puts manifest bytes under `reference` (a tag); returns the digest the registry reports. */
    async putManifest(repository, reference, body, mediaType) {
        const path = `/v2/${repository}/manifests/${reference}`;
        const res = await this.send('PUT', path, {
            repository,
            actions: 'pull,push',
            body,
            contentType: mediaType
        });
        if (res.status !== 201 && res.status !== 200)
            throw this.error(`PUT ${path}`, res);
        return header(res, 'docker-content-digest') ?? sha256Digest(body);
    }
    /** A blob's bytes (image configs are small), following the registry's redirect to its storage. */
    async getBlob(repository, digest) {
        const path = `/v2/${repository}/blobs/${digest}`;
        let res = await this.send('GET', path, { repository, actions: 'pull' });
        for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 3; hops++) {
            const location = header(res, 'location');
            if (!location)
                break;
            // Storage URLs are pre-signed: our Authorization header must not go along.
            res = await this.exchange('GET', new URL(location, this.base.url).toString(), {}, { retry: false });
        }
        if (res.status !== 200)
            throw this.error(`GET ${path}`, res);
        if (sha256Digest(res.body) !== digest)
            throw new errors/* RemoteError */.Hi({ call: `GET ${path}`, serverMessage: 'blob bytes do not match their digest' });
        return res.body;
    }
    async getImageConfig(repository, manifest) {
        if (!manifest.config)
            throw new Error('the manifest has no config: not an image manifest');
        return JSON.parse((await this.getBlob(repository, manifest.config.digest)).toString('utf8'));
    }
    /** The compressed size of an image: config plus layers, as stored in the registry. */
    static imageSize(manifest) {
        return (manifest.config?.size ?? 0) + (manifest.layers ?? []).reduce((sum, l) => sum + l.size, 0);
    }
    async close() {
        await this.dispatcher?.close();
    }
    // -- plumbing --
    userLabel() {
        return this.opts.credentials ? `'${this.opts.credentials.username}'` : 'anonymous';
    }
    /** Finds the base URL (https, or http when tls-verify is off and the registry speaks plain http) and the auth challenge. */
    async discover() {
        if (this.base)
            return this.base;
        const candidates = this.opts.tlsVerify === false
            ? [`https://${this.host}`, `http://${this.host}`]
            : [`https://${this.host}`];
        let lastError;
        for (const [i, url] of candidates.entries()) {
            let res;
            // The https probe of a maybe-plain-http registry is not retried: its failure is the answer.
            const probe = () => this.raw('GET', `${url}/v2/`, {});
            try {
                res = i < candidates.length - 1 ? await probe() : await this.withRetry(probe);
            }
            catch (error) {
                lastError = error;
                continue;
            }
            if (res.status !== 200 && res.status !== 401)
                throw this.error(`GET ${url}/v2/`, res, 'not an OCI registry API endpoint?');
            this.base = {
                url,
                challenge: res.status === 200 ? { scheme: 'none' } : parseChallenge(header(res, 'www-authenticate'))
            };
            return this.base;
        }
        throw this.unreachable(`GET ${candidates.map(c => `${c}/v2/`).join(' and ')}`, lastError);
    }
    async token(repository, actions) {
        const { challenge } = await this.discover();
        if (challenge.scheme !== 'bearer')
            throw new Error('no bearer challenge');
        const scope = `repository:${repository}:${actions}`;
        const cached = this.tokens.get(scope);
        if (cached)
            return cached;
        const url = new URL(challenge.realm);
        if (challenge.service)
            url.searchParams.set('service', challenge.service);
        url.searchParams.set('scope', scope);
        const headers = {};
        if (this.opts.credentials)
            headers.authorization = basic(this.opts.credentials);
        const res = await this.exchange('GET', url.toString(), { headers });
        if (res.status !== 200)
            throw this.error(`GET ${url.origin}${url.pathname} (token for ${scope} as ${this.userLabel()})`, res, 'authentication refused');
        const body = JSON.parse(res.body.toString('utf8'));
        const token = body.token ?? body.access_token;
        if (!token)
            throw new errors/* RemoteError */.Hi({
                call: `GET ${url.origin}${url.pathname}`,
                serverMessage: 'token response has no token'
            });
        (0,secrets/* registerSecret */.cl)(token);
        this.tokens.set(scope, token);
        return token;
    }
    async send(method, path, o) {
        const { url, challenge } = await this.discover();
        const headers = {};
        if (o.accept)
            headers.accept = o.accept;
        if (o.contentType)
            headers['content-type'] = o.contentType;
        if (challenge.scheme === 'basic') {
            if (!this.opts.credentials)
                throw new errors/* RemoteError */.Hi({
                    call: `${method} ${url}${path}`,
                    status: 401,
                    serverMessage: `registry ${this.opts.registry} requires a login: set registry-username and registry-password`
                });
            headers.authorization = basic(this.opts.credentials);
        }
        else if (challenge.scheme === 'bearer') {
            headers.authorization = `Bearer ${await this.token(o.repository, o.actions)}`;
        }
        const res = await this.exchange(method, `${url}${path}`, { headers, body: o.body });
        if (res.status === 401 || res.status === 403)
            throw this.error(`${method} ${url}${path} (as ${this.userLabel()})`, res, 'authentication refused');
        return res;
    }
    /**
     * One HTTP exchange, retried (see withRetry); a registry that cannot be reached (refused connection, reset, timeout)
     * is a RemoteError naming the call, like a refusal.
     */
    async exchange(method, url, o, { retry = true } = {}) {
        try {
            return await (retry ? this.withRetry(() => this.raw(method, url, o)) : this.raw(method, url, o));
        }
        catch (error) {
            throw this.unreachable(`${method} ${url.split('?')[0]}`, error);
        }
    }
    unreachable(call, error) {
        return new errors/* RemoteError */.Hi({
            call,
            serverMessage: `registry ${this.opts.registry} is unreachable: ${describeNetworkError(error)}`
        });
    }
    async raw(method, url, o) {
        const res = await (0,undici/* request */.Em)(url, {
            method: method,
            headers: o.headers,
            body: o.body,
            dispatcher: this.dispatcher,
            headersTimeout: 30_000,
            bodyTimeout: 60_000
        });
        const body = Buffer.from(await res.body.arrayBuffer());
        return { status: res.statusCode, headers: res.headers, body };
    }
    /** Retries network errors, 429 and 5xx, a few times: registries blip. */
    withRetry(fn) {
        return (0,retry/* retry */.L5)(async () => {
            const res = await fn();
            if (res.status === 429 || res.status >= 500)
                throw new RetryableStatus(res);
            return res;
        }, { attempts: 3, baseDelayMs: 300, maxDelayMs: 3000, ...this.opts.retry }).catch((error) => {
            if (error instanceof RetryableStatus)
                return error.res;
            throw error;
        });
    }
    error(call, res, hint) {
        let code;
        let serverMessage;
        try {
            const parsed = JSON.parse(res.body.toString('utf8'));
            code = parsed.errors?.[0]?.code;
            serverMessage =
                parsed.errors
                    ?.map(e => e.message)
                    .filter(Boolean)
                    .join('; ') || parsed.details;
        }
        catch {
            serverMessage = res.body.toString('utf8').trim().slice(0, 300) || undefined;
        }
        if (hint)
            serverMessage = serverMessage ? `${hint}: ${serverMessage}` : hint;
        return new errors/* RemoteError */.Hi({
            call,
            status: res.status,
            code,
            serverMessage,
            requestId: header(res, 'x-github-request-id') ??
                header(res, 'x-request-id') ??
                header(res, 'docker-distribution-request-id')
        });
    }
}
class RetryableStatus extends Error {
    res;
    constructor(res) {
        super(`HTTP ${res.status}`);
        this.res = res;
    }
}
function header(res, name) {
    const v = res.headers[name];
    return Array.isArray(v) ? v[0] : v;
}
function basic(c) {
    return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}
/** `Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="..."` or `Basic realm="..."`. */
function parseChallenge(value) {
    if (!value)
        return { scheme: 'basic' };
    const scheme = value.trim().split(/\s+/)[0].toLowerCase();
    const params = {};
    for (const m of value.matchAll(/(\w+)="([^"]*)"/g))
        params[m[1].toLowerCase()] = m[2];
    if (scheme === 'bearer' && params.realm)
        return { scheme: 'bearer', realm: params.realm, service: params.service };
    return { scheme: 'basic' };
}
function describeNetworkError(error) {
    const cause = error?.cause;
    const code = error?.code ?? cause?.code;
    const message = (0,errors/* errorMessage */.gJ)(cause ?? error);
    return code && !message.includes(code) ? `${code} ${message}` : message;
}

;// CONCATENATED MODULE: ./src/image/tags.ts


const SHORT_SHA_LENGTH = 7;
const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;
/**
 * Tags from the GitHub context, like docker/metadata-action's defaults plus a sha tag and `latest` on the
 * default branch: push to a branch -> `<branch-slug>` (+ `latest` on the default branch); tag `v1.2.3` ->
 * `1.2.3`, `1.2`, `1` (only `1.2.3-rc.1` for a pre-release; no bare `0` for 0.x, which promises nothing);
 * other tags -> their slug; pull request -> `pr-<n>`. `extra` tags are added last and must be valid.
 */
function computeTags(ctx, extra = []) {
    const sha = ctx.sha.trim().toLowerCase();
    if (!/^[0-9a-f]{7,64}$/.test(sha))
        throw new Error(`GITHUB_SHA is missing or not a commit id ('${ctx.sha}'): cannot compute the sha-<commit> tag`);
    const shaTag = `sha-${sha.slice(0, SHORT_SHA_LENGTH)}`;
    const tags = [shaTag];
    let version = shaTag;
    const isPullRequest = ctx.eventName === 'pull_request' || ctx.eventName === 'pull_request_target';
    if (isPullRequest) {
        if (ctx.prNumber !== undefined) {
            version = `pr-${ctx.prNumber}`;
            tags.push(version);
        }
    }
    else if (ctx.ref.startsWith('refs/heads/')) {
        const branch = ctx.ref.slice('refs/heads/'.length);
        const slug = (0,reference/* slugTag */.q3)(branch);
        if (slug) {
            version = slug;
            tags.push(slug);
        }
        if (ctx.defaultBranch !== undefined && branch === ctx.defaultBranch)
            tags.push('latest');
    }
    else if (ctx.ref.startsWith('refs/tags/')) {
        const gitTag = ctx.ref.slice('refs/tags/'.length);
        const semver = SEMVER.exec(gitTag);
        if (semver) {
            const [, major, minor, patch, pre] = semver;
            version = `${major}.${minor}.${patch}${pre ? `-${pre}` : ''}`;
            tags.push((0,reference/* slugTag */.q3)(version));
            if (!pre) {
                tags.push(`${major}.${minor}`);
                if (major !== '0')
                    tags.push(major);
            }
        }
        else {
            const slug = (0,reference/* slugTag */.q3)(gitTag);
            if (slug) {
                version = slug;
                tags.push(slug);
            }
        }
    }
    for (const tag of extra) {
        if (!(0,reference/* isValidTag */.r_)(tag))
            throw new errors/* InputError */.dz('tags', `has an invalid tag '${tag}' (up to 128 letters, digits, '_', '.', '-'; not starting with '.' or '-')`);
        tags.push(tag);
    }
    return { shaTag, tags: [...new Set(tags)], version };
}

// EXTERNAL MODULE: ./src/image/target.ts
var image_target = __webpack_require__(2184);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./src/image/work-dir.ts





/**
 * The build's private temp dir (mode 0700: mkdtemp) holding the registry auth.json (base64 user:password) and the
 * digest file. Removed on every exit path: the build's own `finally`, and the cancellation's undo step once buildah
 * has exited. A SIGKILL of the action leaves it; the next run removes it (`removeStaleWorkDirs`): its `owner` file
 * names the process that made it, and a dir whose owner is gone is stale.
 */
const WORK_DIR_PREFIX = 'app-pipeline-build-image-';
/** A dir whose owner cannot be read (made by a run killed before writing it) is stale only after this long. */
const STALE_UNOWNED_MS = 24 * 60 * 60 * 1000;
function createWorkDir() {
    const path = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), WORK_DIR_PREFIX));
    // buildah's TMPDIR (see BuildahBuilder.env): what it leaves when stopped goes with the dir.
    (0,external_node_fs_.mkdirSync)((0,external_node_path_.join)(path, 'tmp'), { mode: 0o700 });
    (0,external_node_fs_.writeFileSync)((0,external_node_path_.join)(path, 'owner'), `${ownerId(process.pid) ?? process.pid}\n`, { mode: 0o600 });
    const undo = cancellation/* cancellation */.WN.addUndo(`remove the registry credentials and temp dir ${path}`, () => (0,external_node_fs_.rmSync)(path, { recursive: true, force: true }));
    return { path, remove: () => undo.run() };
}
/**
 * Removes the work dirs of earlier runs whose process is gone (SIGKILLed, the machine rebooted); `containers`
 * removes the working containers such a run's build left (given the list it saved before building).
 */
async function removeStaleWorkDirs(log, containers, now = Date.now()) {
    const root = (0,external_node_os_.tmpdir)();
    let entries;
    try {
        entries = (0,external_node_fs_.readdirSync)(root).filter(e => e.startsWith(WORK_DIR_PREFIX));
    }
    catch {
        return;
    }
    for (const entry of entries) {
        const path = (0,external_node_path_.join)(root, entry);
        try {
            if (!isStale(path, now))
                continue;
            let before;
            try {
                before = (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(path, 'containers-before'), 'utf8').split('\n').filter(Boolean);
            }
            catch {
                before = undefined;
            }
            if (before && containers)
                try {
                    const removed = await containers(before);
                    if (removed.length)
                        log.info(`removed ${removed.length} buildah working container(s) left by the run of ${path}`);
                }
                catch (error) {
                    log.warning(`working containers left by the run of ${path}: ${(0,errors/* errorMessage */.gJ)(error)}`);
                }
            (0,external_node_fs_.rmSync)(path, { recursive: true, force: true });
            log.info(`removed a stale build-image temp dir ${path} (the run that made it is gone)`);
        }
        catch {
            // another run removed it first, or it is not ours to remove
        }
    }
}
function isStale(path, now) {
    let owner;
    try {
        owner = (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(path, 'owner'), 'utf8').trim();
    }
    catch {
        owner = undefined;
    }
    if (!owner)
        return now - (0,external_node_fs_.statSync)(path).mtimeMs > STALE_UNOWNED_MS;
    const [pidText, started] = owner.split(' ');
    const pid = Number(pidText);
    if (!Number.isInteger(pid) || pid <= 0)
        return now - (0,external_node_fs_.statSync)(path).mtimeMs > STALE_UNOWNED_MS;
    if (pid === process.pid)
        return false;
    // pid + start time: a reused pid is another process. Without /proc, whether the pid exists at all.
    if (started !== undefined)
        return ownerId(pid) !== owner;
    try {
        process.kill(pid, 0);
        return false;
    }
    catch (error) {
        return error.code === 'ESRCH';
    }
}
/** `<pid> <start time in clock ticks since boot>` (from /proc), or undefined when the process does not exist. */
function ownerId(pid) {
    try {
        const stat = (0,external_node_fs_.readFileSync)(`/proc/${pid}/stat`, 'utf8');
        // Fields after the command name (which may hold spaces and parentheses); start time is field 22.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return `${pid} ${fields[19]}`;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/image/build-image.ts













const FAILED_OUTPUT_LINES = 40;
/** The registry serves something else than this run pushed: failed like a refused call. */
class RegistryMismatchError extends Error {
    constructor(message) {
        super(message);
        this.name = 'RegistryMismatchError';
    }
}
/**
 * Builds and pushes the image, or reuses the pushed `sha-<commit>` image (skip-existing), and returns the
 * digest read back from the registry. Every tag ends up pointing at the same manifest bytes: the builder pushes the
 * sha tag, the other tags are PUT through the registry API from the manifest it serves.
 *
 * A failed build or push step is returned as `failure`, and so is a registry that refuses a call, cannot be
 * reached, or serves something else than was pushed once this run is past the login; the failure says what was
 * pushed by then. A registry that is unreachable or refuses the credentials at the login, before anything of this
 * run exists, throws (RemoteError), as input errors do.
 */
async function buildImage(opts, deps) {
    const { log } = deps;
    // The form the credentials take in the Authorization header and in auth.json: a server echoing either is masked.
    if (opts.credentials)
        (0,secrets/* registerCredentials */.WR)(opts.credentials.username, opts.credentials.password);
    const now = deps.now ?? Date.now;
    const { shaTag, tags, version } = computeTags(opts.github, opts.extraTags);
    const labels = ociLabels(opts.github, { version, created: new Date(now()) });
    if (opts.target)
        labels[image_target/* TARGET_LABEL */.lk] = opts.target;
    const { image } = opts;
    const base = { image: image.name, tags, labels, platform: opts.platform };
    log.info(`image ${image.name}, tags: ${tags.join(', ')}`);
    const registry = opts.push
        ? (deps.registry ?? (o => new RegistryClient(o)))({
            registry: image.registry,
            credentials: opts.credentials,
            tlsVerify: opts.tlsVerify
        })
        : undefined;
    const progress = {
        build: { builder: 'none', skipped: false, buildMs: 0, cachedSteps: 0, steps: 0 },
        pushedTags: []
    };
    const run = { opts, deps, now, shaTag, base, progress };
    try {
        // Fails fast, before a long build, when the registry is unreachable or refuses the credentials.
        await registry?.login(image.repository);
        try {
            return ((registry && opts.skipExisting && (await reuseExisting(run, registry))) ||
                (await buildAndPush(run, registry)));
        }
        catch (error) {
            if (!(error instanceof errors/* RemoteError */.Hi || error instanceof RegistryMismatchError))
                throw error;
            const { build, pushedTags, digest } = progress;
            return {
                ...base,
                ...build,
                failure: { step: 'registry', message: (0,errors/* errorMessage */.gJ)(error), output: [], pushedTags, digest }
            };
        }
    }
    finally {
        await registry?.close();
    }
}
/** skip-existing: the sha tag's image, when it is this build's (platform, stage), tagged with the other tags. */
async function reuseExisting(run, registry) {
    const { opts, deps, shaTag, base, progress } = run;
    const { image } = opts;
    const existing = await registry.getManifest(image.repository, shaTag);
    const reusable = existing && (await reusableImage(registry, image, existing, opts, deps.log));
    if (!existing || !reusable)
        return undefined;
    deps.log.info(`${taggedName(image, shaTag)} is already in the registry (${existing.digest}): reusing it, nothing to build`);
    progress.build.skipped = true; // nothing built: the rest of the initial facts stand
    progress.pushedTags = [shaTag];
    progress.digest = reusable.single.digest;
    await tagManifest(registry, image, existing, base.tags.filter(t => t !== shaTag), run);
    return {
        ...base,
        ...progress.build,
        labels: reusable.labels,
        digest: reusable.single.digest,
        ref: `${image.name}@${reusable.single.digest}`,
        sizeBytes: RegistryClient.imageSize(reusable.single.manifest)
    };
}
/** Builds (and pushes), then reads the pushed image back and adds the tags the builder did not push. */
async function buildAndPush(run, registry) {
    const { opts, deps, now, shaTag, base, progress } = run;
    const { log } = deps;
    const { image } = opts;
    const builder = await selectBuilder(opts.builder, deps);
    log.info(`builder: ${builder.name}`);
    progress.build.builder = builder.name;
    // What a SIGKILLed earlier run left (its auth.json above all) goes before this run writes its own.
    const builderEnv = deps.env ?? process.env;
    await removeStaleWorkDirs(log, builder.name === 'buildah' ? before => removeNewWorkingContainers(before, builderEnv) : undefined);
    const work = createWorkDir();
    const workDir = work.path;
    const req = {
        image,
        tags: base.tags,
        context: opts.context,
        file: opts.file,
        platform: opts.platform,
        target: opts.target,
        buildArgs: opts.buildArgs,
        labels: base.labels,
        push: opts.push,
        tlsVerify: opts.tlsVerify,
        credentials: opts.push ? opts.credentials : undefined,
        workDir
    };
    const started = now();
    let outcome;
    try {
        await builder.login(req);
        try {
            outcome = await builder.build(req);
        }
        catch (error) {
            if (!(error instanceof BuildFailedError))
                throw error;
            // The live output scrolled by inside a group; repeat its end, folded, next to the error.
            await log.group(`${builder.name} output (last ${FAILED_OUTPUT_LINES} lines)`, async () => {
                for (const line of error.output.slice(-FAILED_OUTPUT_LINES))
                    log.info(line);
            });
            outcome = error;
        }
        finally {
            // Cancelled, nothing new may start: removing the work dir removes the credentials all the same.
            if (!cancellation/* cancellation */.WN.cancelled)
                await builder.logout(req);
        }
    }
    finally {
        await work.remove();
    }
    progress.build.buildMs = now() - started;
    // A failed build or push step is this action's own failure: returned with what the summary shows.
    if (outcome instanceof BuildFailedError)
        return {
            ...base,
            ...progress.build,
            failure: {
                step: 'build',
                message: outcome.message,
                output: outcome.output.slice(-FAILED_OUTPUT_LINES),
                pushedTags: []
            }
        };
    log.info(`built in ${(0,duration/* formatDuration */.a3)(progress.build.buildMs)}; ${outcome.cachedSteps} of ${outcome.steps} steps from the layer cache`);
    progress.build.cachedSteps = outcome.cachedSteps;
    progress.build.steps = outcome.steps;
    progress.pushedTags = [...outcome.pushedTags];
    const result = { ...base, ...progress.build };
    if (!registry)
        return result;
    const pushed = await registry.getManifest(image.repository, shaTag);
    if (!pushed)
        throw new RegistryMismatchError(`${taggedName(image, shaTag)} is not in the registry after the push`);
    if (outcome.digest && outcome.digest !== pushed.digest)
        throw new RegistryMismatchError(`${builder.name} reports pushing ${outcome.digest} but the registry serves ${pushed.digest} for ${taggedName(image, shaTag)}`);
    const single = await singlePlatform(registry, image, pushed, opts.platform);
    progress.digest = single.digest;
    await tagManifest(registry, image, pushed, base.tags.filter(t => !outcome.pushedTags.includes(t)), run);
    return {
        ...result,
        labels: await imageLabels(registry, image, single),
        digest: single.digest,
        ref: `${image.name}@${single.digest}`,
        sizeBytes: RegistryClient.imageSize(single.manifest)
    };
}
async function selectBuilder(kind, deps) {
    const builderDeps = { run: deps.run, log: deps.log, env: deps.env };
    if (kind === 'docker')
        return new DockerBuilder(builderDeps);
    if (kind === 'buildah')
        return new BuildahBuilder(builderDeps);
    return (await dockerAvailable(deps.run, deps.env))
        ? new DockerBuilder(builderDeps)
        : new BuildahBuilder(builderDeps);
}
/** An index (attestations, multi-arch) is resolved to the platform's image manifest: that is what deploys pin. */
async function singlePlatform(registry, image, top, platform) {
    const single = await registry.getImageManifest(image.repository, top.digest, platform);
    if (!single)
        throw new RegistryMismatchError(`${image.name}@${top.digest} vanished from the registry`);
    if (!single.manifest.config)
        throw new RegistryMismatchError(`${image.name}@${single.digest} is not an image manifest (${single.mediaType})`);
    return single;
}
/** PUTs the manifest bytes under each tag, one after the other; each one done is in the run's pushed tags. */
async function tagManifest(registry, image, manifest, tags, { deps, progress }) {
    for (const tag of tags) {
        const digest = await registry.putManifest(image.repository, tag, manifest.body, manifest.mediaType);
        if (digest !== manifest.digest)
            throw new RegistryMismatchError(`tagging ${taggedName(image, tag)} produced ${digest}, expected ${manifest.digest}`);
        progress.pushedTags.push(tag);
        deps.log.info(`tagged ${taggedName(image, tag)}`);
    }
}
/** The labels the image in the registry really carries (a reused image has the labels of its own build). */
async function imageLabels(registry, image, single) {
    const config = await registry.getImageConfig(image.repository, single.manifest);
    return config.config?.Labels ?? {};
}
/**
 * The existing sha-tagged image, if it is an image for `platform`: a sha tag pushed earlier for another
 * platform (the input changed) must be rebuilt, not reused.
 */
async function reusableImage(registry, image, existing, { platform, target }, log) {
    let single;
    try {
        single = await singlePlatform(registry, image, existing, platform);
    }
    catch (error) {
        log.info(`not reusing ${image.name}@${existing.digest}: ${(0,errors/* errorMessage */.gJ)(error)}`);
        return undefined;
    }
    const config = await registry.getImageConfig(image.repository, single.manifest);
    const [os, architecture] = platform.split('/');
    if (config.os !== os || config.architecture !== architecture) {
        log.info(`not reusing ${image.name}@${single.digest}: it is ${config.os}/${config.architecture}, not ${platform}`);
        return undefined;
    }
    const labels = config.config?.Labels ?? {};
    // The sha tag names a commit, not a stage: an image of another stage of that commit is not this build.
    if ((labels[image_target/* TARGET_LABEL */.lk] ?? '') !== (target ?? '')) {
        const stage = (t) => (t ? `stage '${t}'` : 'the last stage');
        log.info(`not reusing ${image.name}@${single.digest}: it is ${stage(labels[image_target/* TARGET_LABEL */.lk])}, not ${stage(target)}`);
        return undefined;
    }
    return { single, labels };
}

;// CONCATENATED MODULE: ./src/kit/bytes.ts
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
/** `1.5 MiB`, `512 B`: binary units, one decimal. */
function formatBytes(bytes) {
    let value = bytes;
    let unit = 0;
    while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
        value /= 1024;
        unit++;
    }
    return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}
/** `12.3 MB/s` (decimal megabytes, as transfer rates are usually quoted). */
function formatRate(bytes, ms) {
    if (ms <= 0)
        return '- MB/s';
    return `${(bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s`;
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

;// CONCATENATED MODULE: ./src/image/summary.ts



/**
 * The step summary: what was pushed, where, how big, how long, and whether the layer cache helped; for a failed
 * build or push step, why, with the end of the builder's output; for a registry that refused or failed after the
 * login, why (the call, the server's message and request id) and what was pushed by then.
 */
function buildImageSummary(r) {
    if (r.failure)
        return buildFailedSummary(r, r.failure);
    const cache = r.skipped
        ? 'not built: sha tag already in the registry'
        : r.steps === 0
            ? 'no cacheable steps'
            : `${r.cachedSteps > 0 ? 'hit' : 'miss'} (${r.cachedSteps} of ${r.steps} steps reused)`;
    return [
        '## Image',
        facts([
            ['image', r.image],
            ['digest', r.digest ? `\`${r.digest}\`` : 'not pushed'],
            ['ref', r.ref ? `\`${r.ref}\`` : undefined],
            ['tags', tagList(r.tags)],
            ['platform', r.platform],
            ['size (compressed)', r.sizeBytes !== undefined ? formatBytes(r.sizeBytes) : undefined],
            ['builder', r.builder === 'none' ? 'none (reused)' : r.builder],
            ['build time', r.skipped ? '0s (reused)' : (0,duration/* formatDuration */.a3)(r.buildMs)],
            ['layer cache', cache]
        ]),
        details('Labels', labelBlock(r.labels))
    ];
}
function buildFailedSummary(r, failure) {
    const registry = failure.step === 'registry';
    const sections = [
        '## Image: FAILED',
        `**${failure.message}**`,
        facts([
            ['image', r.image],
            ['tags', tagList(r.tags)],
            // What the registry already holds of this run; nothing is output, so no later step takes it.
            [
                'pushed',
                registry ? (failure.pushedTags.length ? tagList(failure.pushedTags) : 'nothing') : undefined
            ],
            ['digest', failure.digest ? `\`${failure.digest}\` (not output: the step failed)` : undefined],
            ['platform', r.platform],
            ['builder', r.builder === 'none' ? (r.skipped ? 'none (reused)' : 'none (nothing built)') : r.builder],
            registry
                ? ['build time', r.builder === 'none' ? undefined : (0,duration/* formatDuration */.a3)(r.buildMs)]
                : ['time until the failure', (0,duration/* formatDuration */.a3)(r.buildMs)]
        ])
    ];
    // A registry failure comes after the builder's push: its output says nothing about it.
    if (!registry)
        sections.push(details(`${r.builder} output (last ${failure.output.length} lines)`, codeBlock(failure.output.join('\n'))));
    return sections;
}
const tagList = (tags) => tags.map(t => `\`${t}\``).join(' ');
const labelBlock = (labels) => codeBlock(Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n'));

;// CONCATENATED MODULE: ./actions/build-image/deferred.ts
// Loaded by main.ts once the inputs are valid, as ONE chunk: separate dynamic imports would each carry (and load)
// their own copy of the modules they share.





/***/ })

};
