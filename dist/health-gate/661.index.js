export const id = 661;
export const ids = [661];
export const modules = {

/***/ 9661:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  RollbackFailedError: () => (/* binding */ RollbackFailedError),
  digitalOceanRollback: () => (/* binding */ digitalOceanRollback)
});

// EXTERNAL MODULE: ./src/kit/duration.ts
var duration = __webpack_require__(438);
// EXTERNAL MODULE: ./src/kit/errors.ts
var errors = __webpack_require__(3713);
// EXTERNAL MODULE: ./src/kit/retry.ts
var retry = __webpack_require__(1834);
;// CONCATENATED MODULE: ./src/digitalocean/types.ts
/**
 * DigitalOcean App Platform API v2 shapes, with DigitalOcean's own field names (OpenAPI `apps.json` + godo).
 * Only what this project reads is typed precisely; specs are kept as plain JSON so that fields we do not
 * know survive a GET → edit → PUT round trip untouched.
 */
const DEPLOYMENT_PHASES = (/* unused pure expression or super */ null && ([
    'UNKNOWN',
    'PENDING_BUILD',
    'BUILDING',
    'PENDING_DEPLOY',
    'DEPLOYING',
    'ACTIVE',
    'SUPERSEDED',
    'ERROR',
    'CANCELED'
]));
const TERMINAL_PHASES = ['ACTIVE', 'SUPERSEDED', 'ERROR', 'CANCELED'];
const ROLLBACK_REFUSAL_CODES = (/* unused pure expression or super */ null && ([
    'incompatible_phase',
    'incompatible_result',
    'exceeded_revision_limit',
    'app_pinned',
    'database_config_conflict',
    'region_conflict'
]));
const ROLLBACK_WARNING_CODES = (/* unused pure expression or super */ null && ([
    'static_site_requires_rebuild',
    'image_source_missing_digest'
]));

;// CONCATENATED MODULE: ./src/digitalocean/waiter.ts




async function waitForDeployment(client, appId, deploymentId, opts) {
    const now = opts.now ?? Date.now;
    const sleep = opts.sleep ?? retry/* sleep */.yy;
    const started = now();
    const deadline = started + opts.timeoutMs;
    const log = opts.logger;
    const stamp = () => `[${(0,duration/* formatDuration */.a)(now() - started)}]`;
    const phases = [];
    const stepStatus = new Map();
    let polls = 0;
    let deployment;
    for (;;) {
        polls++;
        deployment = await client.getDeployment(appId, deploymentId);
        const at = now();
        const phase = deployment.phase ?? 'UNKNOWN';
        const current = phases[phases.length - 1];
        if (current)
            current.end = at;
        if (!current || current.phase !== phase) {
            phases.push({ phase, start: at, end: at });
            log.info(`${stamp()} deployment ${deploymentId}: phase ${phase}`);
        }
        for (const { key, step, depth } of flattenSteps(deployment.progress?.steps ?? [])) {
            const status = step.status ?? 'UNKNOWN';
            // Stages (build, deploy) and component steps (with a message_base) tell the story; the plumbing
            // steps in between (initialize, components) only repeat it, unless they fail.
            if (depth > 0 && !step.message_base && status !== 'ERROR')
                continue;
            if (stepStatus.get(key) === status)
                continue;
            const first = !stepStatus.has(key);
            stepStatus.set(key, status);
            // Steps first seen as PENDING are noise; report once they move.
            if (first && (status === 'PENDING' || status === 'UNKNOWN'))
                continue;
            const reason = status === 'ERROR' && step.reason?.message ? `: ${step.reason.message}` : '';
            log.info(`${stamp()}   ${describeStep(step)} ${status}${reason}`);
        }
        if (TERMINAL_PHASES.includes(phase))
            return finish(deployment, phase, false, false);
        if (at >= deadline)
            break;
        await sleep(Math.max(0, Math.min(opts.pollIntervalMs, deadline - at)));
    }
    log.warning(`Deployment ${deploymentId} did not finish within ${(0,duration/* formatDuration */.a)(opts.timeoutMs)} (phase ${deployment.phase ?? 'UNKNOWN'})`);
    if (opts.cancelOnTimeout === false)
        return finish(deployment, deployment.phase ?? 'UNKNOWN', true, false);
    try {
        const canceled = await client.cancelDeployment(appId, deploymentId);
        log.info(`${stamp()} canceled deployment ${deploymentId} (phase ${canceled.phase ?? 'UNKNOWN'})`);
        const phase = canceled.phase ?? 'CANCELED';
        const last = phases[phases.length - 1];
        if (last && last.phase !== phase)
            phases.push({ phase, start: now(), end: now() });
        return finish(canceled, phase, true, true);
    }
    catch (error) {
        log.warning(`Could not cancel deployment ${deploymentId}: ${(0,errors/* errorMessage */.gJ)(error)}`);
        // Most often it just finished (cancel answers 400 for a terminal deployment): report what it became.
        try {
            deployment = await client.getDeployment(appId, deploymentId);
        }
        catch {
            // keep the last state we saw
        }
        const phase = deployment.phase ?? 'UNKNOWN';
        if (TERMINAL_PHASES.includes(phase)) {
            const last = phases[phases.length - 1];
            if (last && last.phase !== phase)
                phases.push({ phase, start: now(), end: now() });
            return finish(deployment, phase, false, false);
        }
        return finish(deployment, phase, true, false);
    }
    function finish(dep, phase, timedOut, canceled) {
        return {
            deployment: dep,
            phase,
            timedOut,
            canceled,
            polls,
            elapsedMs: now() - started,
            startedAt: started,
            phases,
            failingStep: findFailingStep(dep.progress?.steps ?? [])
        };
    }
}
/** `Deploying service web` (message_base + component_name), else the step name. */
function describeStep(step) {
    if (step.message_base)
        return step.component_name ? `${step.message_base} ${step.component_name}` : step.message_base;
    return step.component_name ? `${step.name ?? 'step'} (${step.component_name})` : (step.name ?? 'step');
}
/** Every step with a stable key (its name path), parents before children. */
function flattenSteps(steps, prefix = '', depth = 0) {
    const out = [];
    steps.forEach((step, i) => {
        const key = `${prefix}/${step.name ?? i}${step.component_name ? `:${step.component_name}` : ''}`;
        out.push({ key, step, depth }, ...flattenSteps(step.steps ?? [], key, depth + 1));
    });
    return out;
}
/** The deepest step in ERROR with a reason: the one that explains the failure. */
function findFailingStep(steps) {
    let found;
    for (const { step } of flattenSteps(steps)) {
        // A parent in ERROR often only echoes its child: keep the deepest step that says why.
        if (step.status !== 'ERROR' || (found?.message && !step.reason?.message))
            continue;
        found = {
            step: describeStep(step),
            component: step.component_name,
            code: step.reason?.code,
            message: step.reason?.message
        };
    }
    return found;
}

;// CONCATENATED MODULE: ./src/digitalocean/rollback.ts


/**
 * Manual rollback through App Platform's rollback API (validate → rollback → wait ACTIVE → commit), shared
 * by deploy-app-platform (`rollback-to`) and health-gate (automatic rollback).
 */
const REFUSALS = {
    incompatible_phase: 'the target deployment is not in a phase that can be rolled back to (it must have finished, e.g. ACTIVE or SUPERSEDED)',
    incompatible_result: 'the target deployment did not succeed (failed or canceled), so it cannot be rolled back to',
    exceeded_revision_limit: "the target deployment is older than the app tier's rollback history allows; pick a newer one or upgrade the tier",
    app_pinned: 'a rollback is already in progress and the app is pinned: commit it (POST /v2/apps/<app>/rollback/commit) or revert it (POST /v2/apps/<app>/rollback/revert) first',
    database_config_conflict: "the target deployment's database configuration differs from the current one; roll forward instead",
    region_conflict: "the target deployment ran in another region than the app's current region; roll forward instead",
    static_site_requires_rebuild: 'warning: a static site in the target deployment has to be rebuilt, so the rollback is not an exact copy',
    image_source_missing_digest: 'warning: an image in the target deployment is pinned by tag, not digest, so the rolled-back image may differ'
};
/** One line for every condition code DigitalOcean documents (and a generic line for any other). */
function explainRollbackRefusal(code) {
    return (code && REFUSALS[code]) ?? `App Platform refused the rollback${code ? ` (${code})` : ''}`;
}
class RollbackRefusedError extends Error {
    code;
    serverMessage;
    targetDeploymentId;
    constructor(code, serverMessage, targetDeploymentId) {
        super(`Rollback to deployment ${targetDeploymentId} refused${code ? ` (${code})` : ''}: ${explainRollbackRefusal(code)}` +
            (serverMessage ? ` - App Platform says: ${serverMessage}` : ''));
        this.code = code;
        this.serverMessage = serverMessage;
        this.targetDeploymentId = targetDeploymentId;
        this.name = 'RollbackRefusedError';
    }
}
/** The rollback deployment was created but did not become ACTIVE; `result` says which one and how far it got. */
class RollbackDeploymentError extends Error {
    result;
    constructor(message, result) {
        super(message);
        this.result = result;
        this.name = 'RollbackDeploymentError';
    }
}
const ROLLBACK_CANDIDATE_PHASES = ['SUPERSEDED', 'ACTIVE'];
/**
 * `previous` = the deployment that was active before the current one: the newest SUPERSEDED/ACTIVE
 * deployment other than the active one (failed and canceled deployments never served traffic). An id is
 * looked up so a typo fails here, naming it, rather than in the rollback call.
 */
async function resolveRollbackTarget(client, appId, target) {
    const app = await client.getApp(appId);
    const activeDeploymentId = app.active_deployment?.id;
    if (target !== 'previous') {
        const deployment = await client.getDeployment(appId, target);
        return { deploymentId: deployment.id, deployment, activeDeploymentId };
    }
    const deployments = await client.listDeployments(appId, { perPage: 50, pages: 4 });
    const ordered = [...deployments].sort((a, b) => Date.parse(b.created_at ?? '') - Date.parse(a.created_at ?? '') || 0);
    const previous = ordered.find(d => d.id !== activeDeploymentId && ROLLBACK_CANDIDATE_PHASES.includes(d.phase ?? ''));
    if (!previous)
        throw new Error(`App ${appId} has no earlier successful deployment to roll back to (active: ${activeDeploymentId ?? 'none'}, ${deployments.length} deployments listed)`);
    return { deploymentId: previous.id, deployment: previous, activeDeploymentId };
}
async function performRollback(client, appId, targetDeploymentId, opts) {
    const log = opts.logger;
    const validation = await client.validateRollback(appId, targetDeploymentId);
    if (!validation.valid)
        throw new RollbackRefusedError(validation.error?.code, validation.error?.message, targetDeploymentId);
    const warnings = validation.warnings ?? [];
    for (const w of warnings)
        log.warning(`Rollback to ${targetDeploymentId}: ${explainRollbackRefusal(w.code)}${w.message ? ` (${w.message})` : ''}`);
    const deployment = await client.createRollback(appId, targetDeploymentId);
    log.info(`Rolling back app ${appId} to deployment ${targetDeploymentId}: rollback deployment ${deployment.id}`);
    const wait = await waitForDeployment(client, appId, deployment.id, {
        pollIntervalMs: opts.pollIntervalMs,
        timeoutMs: opts.timeoutMs,
        logger: log,
        sleep: opts.sleep,
        now: opts.now
    });
    const base = { rollbackDeploymentId: deployment.id, targetDeploymentId, phase: wait.phase, warnings, wait };
    if (wait.phase !== 'ACTIVE') {
        const why = wait.timedOut
            ? `did not finish within ${(0,duration/* formatDuration */.a)(opts.timeoutMs)}`
            : `ended in phase ${wait.phase}`;
        const step = wait.failingStep
            ? ` at "${wait.failingStep.step}"${wait.failingStep.message ? `: ${wait.failingStep.message}` : ''}`
            : '';
        throw new RollbackDeploymentError(`Rollback deployment ${deployment.id} ${why}${step}. The app stays pinned to it: revert with POST /v2/apps/${appId}/rollback/revert`, { ...base, committed: false });
    }
    await opts.beforeCommit?.();
    if (opts.commit === false) {
        log.info(`Rollback deployment ${deployment.id} is ACTIVE; the app stays pinned until POST /v2/apps/${appId}/rollback/commit (or /revert)`);
        return { ...base, committed: false };
    }
    await client.commitRollback(appId);
    log.info(`Rollback to ${targetDeploymentId} committed (deployment ${deployment.id}, ${(0,duration/* formatDuration */.a)(wait.elapsedMs)})`);
    return { ...base, committed: true };
}

;// CONCATENATED MODULE: ./src/health/rollback.ts

/** A failed rollback that still created a rollback deployment (it did not become ACTIVE). */
class RollbackFailedError extends Error {
    rollbackDeploymentId;
    constructor(message, rollbackDeploymentId) {
        super(message);
        this.rollbackDeploymentId = rollbackDeploymentId;
        this.name = 'RollbackFailedError';
    }
}
function digitalOceanRollback(client, o) {
    return {
        async resolveTarget(rollbackTo) {
            const t = await resolveRollbackTarget(client, o.appId, rollbackTo ?? 'previous');
            return { deploymentId: t.deploymentId, activeDeploymentId: t.activeDeploymentId };
        },
        async rollback(targetDeploymentId) {
            try {
                // commit: false, because the gate commits only after probing the restored version itself.
                const r = await performRollback(client, o.appId, targetDeploymentId, {
                    pollIntervalMs: o.pollIntervalMs,
                    timeoutMs: o.timeoutMs,
                    logger: o.logger,
                    commit: false
                });
                return {
                    rollbackDeploymentId: r.rollbackDeploymentId,
                    warnings: r.warnings.map(w => w.code ?? w.message ?? '')
                };
            }
            catch (error) {
                const partial = error.result;
                if (partial?.rollbackDeploymentId && error instanceof Error)
                    throw new RollbackFailedError(error.message, partial.rollbackDeploymentId);
                throw error;
            }
        },
        commit: () => client.commitRollback(o.appId)
    };
}


/***/ }),

/***/ 1834:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L5: () => (/* binding */ retry),
/* harmony export */   mu: () => (/* binding */ parseRetryAfter),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
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


/***/ })

};
