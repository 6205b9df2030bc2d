export const id = 217;
export const ids = [217];
export const modules = {

/***/ 9646:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   G: () => (/* binding */ SpawnError),
/* harmony export */   R: () => (/* binding */ runProcess)
/* harmony export */ });
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);

/** Thrown when the program cannot be started at all (not found, not executable). */
class SpawnError extends Error {
    program;
    code;
    constructor(program, code, message) {
        super(message);
        this.program = program;
        this.code = code;
        this.name = 'SpawnError';
    }
}
function runProcess(argv, opts = {}) {
    const [program, ...args] = argv;
    if (!program)
        return Promise.reject(new Error('empty command'));
    return new Promise((resolve, reject) => {
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(program, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
        const out = collect(opts.onStdoutLine);
        const err = collect(opts.onStderrLine);
        // Decode as streams so a multi-byte character split across chunks stays whole.
        child.stdout.setEncoding('utf8').on('data', out.push);
        child.stderr.setEncoding('utf8').on('data', err.push);
        child.on('error', (e) => {
            const why = e.code === 'ENOENT' ? 'not found' : e.code === 'EACCES' ? 'not executable' : e.message;
            reject(new SpawnError(program, e.code, `cannot run '${program}': ${why}`));
        });
        child.on('close', (code, signal) => resolve({ code, signal, stdout: out.end(), stderr: err.end() }));
    });
}
function collect(onLine) {
    let text = '';
    let pending = '';
    return {
        push(s) {
            text += s;
            if (!onLine)
                return;
            pending += s;
            const lines = pending.split(/\r?\n/);
            pending = lines.pop();
            for (const line of lines)
                onLine(line);
        },
        end() {
            if (onLine && pending)
                onLine(pending);
            pending = '';
            return text;
        }
    };
}


/***/ }),

/***/ 1217:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   baseInterpreter: () => (/* binding */ baseInterpreter),
/* harmony export */   commandInVirtualenv: () => (/* binding */ commandInVirtualenv),
/* harmony export */   prepareVirtualenv: () => (/* binding */ prepareVirtualenv),
/* harmony export */   virtualenvEnv: () => (/* binding */ virtualenvEnv)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _kit_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3713);
/* harmony import */ var _process_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9646);





async function prepareVirtualenv(opts) {
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(opts.requirementsFile))
        throw new _kit_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .dz('requirements', `names a file that does not exist: ${opts.requirementsFile}`);
    const requirements = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(opts.requirementsFile);
    const version = (await mustRun([
        ...opts.python,
        '-c',
        'import platform, sys; print(platform.python_implementation(), platform.python_version(), sys.platform)'
    ], opts.env, 'python --version')).stdout.trim();
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256')
        .update(requirements)
        .update(opts.python.join(' '))
        .digest('hex')
        .slice(0, 20);
    const key = `alembic-venv-${process.platform}-${process.arch}-${version.replace(/\s+/g, '-').toLowerCase()}-${hash}`;
    const dir = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(opts.rootDir, key);
    const binDir = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, 'bin');
    const python = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(binDir, 'python');
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
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(python))
        return false;
    const r = await (0,_process_js__WEBPACK_IMPORTED_MODULE_4__/* .runProcess */ .R)([python, '-c', 'import sys'], { env }).catch(() => undefined);
    return r?.code === 0;
}
async function mustRun(argv, env, what, logger) {
    const log = logger ? (line) => logger.info(line) : undefined;
    const r = await (0,_process_js__WEBPACK_IMPORTED_MODULE_4__/* .runProcess */ .R)(argv, { env, onStdoutLine: log, onStderrLine: log });
    if (r.code !== 0) {
        const last = r.stderr.trim().split(/\r?\n/).filter(Boolean).pop() ?? `exit code ${r.code}`;
        throw new Error(`${what} failed: ${last}`);
    }
    return r;
}
const PYTHON = /^python(\d+(\.\d+)*)?$/;
/** The interpreter a venv is made from: the `alembic` command's own Python when it is one, else python3. */
function baseInterpreter(command) {
    return PYTHON.test((0,node_path__WEBPACK_IMPORTED_MODULE_2__.basename)(command[0] ?? '')) ? [command[0]] : ['python3'];
}
/**
 * The `alembic` command rewritten to run inside the venv: a Python interpreter becomes the venv's, a bare
 * `alembic` becomes the venv's Alembic (or the venv's `python -m alembic` when Alembic is a system package).
 */
function commandInVirtualenv(command, venv) {
    const [program, ...rest] = command;
    const name = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.basename)(program ?? '');
    if (PYTHON.test(name))
        return [venv.python, ...rest];
    if (name === 'alembic') {
        const own = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(venv.binDir, 'alembic');
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(own) ? [own, ...rest] : [venv.python, '-m', 'alembic', ...rest];
    }
    return command;
}
/** Environment for processes that should behave as if the venv were activated. */
function virtualenvEnv(venv, path = process.env.PATH ?? '') {
    return { VIRTUAL_ENV: venv.dir, PATH: path ? `${venv.binDir}${node_path__WEBPACK_IMPORTED_MODULE_2__.delimiter}${path}` : venv.binDir };
}


/***/ })

};
