export const id = 336;
export const ids = [336];
export const modules = {

/***/ 5336:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H: () => (/* binding */ lastErrorLine),
/* harmony export */   spawnCommand: () => (/* binding */ spawnCommand)
/* harmony export */ });
/* unused harmony export CommandNotFoundError */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);

/** Thrown when the program itself is not installed. */
class CommandNotFoundError extends Error {
    command;
    constructor(command) {
        super(`'${command}' is not installed or not on PATH`);
        this.command = command;
        this.name = 'CommandNotFoundError';
    }
}
const spawnCommand = (command, args, opts = {}) => new Promise((resolve, reject) => {
    const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(command, args, {
        cwd: opts.cwd,
        env: opts.env ?? process.env,
        stdio: ['pipe', 'pipe', 'pipe']
    });
    const out = [];
    const err = [];
    const lines = [];
    const splitter = (sink) => {
        let pending = '';
        return {
            push(chunk) {
                sink.push(chunk);
                pending += chunk;
                const parts = pending.split(/\r?\n/);
                pending = parts.pop() ?? '';
                for (const line of parts)
                    emit(line);
            },
            flush() {
                if (pending)
                    emit(pending);
                pending = '';
            }
        };
    };
    const emit = (line) => {
        lines.push(line);
        opts.onLine?.(line);
    };
    const o = splitter(out);
    const e = splitter(err);
    child.stdout.setEncoding('utf8').on('data', (c) => o.push(c));
    child.stderr.setEncoding('utf8').on('data', (c) => e.push(c));
    child.on('error', (error) => reject(error.code === 'ENOENT' ? new CommandNotFoundError(command) : error));
    child.on('close', code => {
        o.flush();
        e.flush();
        resolve({ exitCode: code ?? 1, stdout: out.join(''), stderr: err.join(''), lines });
    });
    // A command that exits before reading stdin must not crash us with EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
});
/** The last line that looks like an error, for one-line failure messages. */
function lastErrorLine(lines) {
    const meaningful = lines.map(l => l.trim()).filter(Boolean);
    const errorish = meaningful.filter(l => /error|denied|unauthori[sz]ed|failed|no such file|not found/i.test(l));
    // `#6 ERROR: ...` (buildx step prefix) and `Error: ...` say nothing the surrounding message does not.
    return (errorish.pop() ?? meaningful.pop())?.replace(/^#\d+\s+/, '').replace(/^error:\s*/i, '');
}


/***/ })

};
