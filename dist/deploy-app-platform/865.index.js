export const id = 865;
export const ids = [865];
export const modules = {

/***/ 1865:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  DigitalOceanClient: () => (/* reexport */ client/* DigitalOceanClient */.U),
  deploy: () => (/* reexport */ deploy),
  renderDeploySummary: () => (/* reexport */ renderDeploySummary),
  renderErrorSummary: () => (/* reexport */ renderErrorSummary)
});

// EXTERNAL MODULE: ./src/digitalocean/client.ts
var client = __webpack_require__(5439);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/kit/duration.ts
var duration = __webpack_require__(438);
// EXTERNAL MODULE: ./src/kit/errors.ts
var errors = __webpack_require__(3713);
// EXTERNAL MODULE: ./src/kit/secrets.ts
var secrets = __webpack_require__(4601);
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

// EXTERNAL MODULE: ./src/digitalocean/spec.ts
var digitalocean_spec = __webpack_require__(7727);
;// CONCATENATED MODULE: ./src/digitalocean/version-env.ts
/**
 * Pins the release's commit as the component's `APP_VERSION` (a RUN_TIME GENERAL env), so `/health` can report
 * it in every setup: a spec file without the placeholder, or an app deployed by id whose app-level or older
 * component env would otherwise win over the image's own ENV. App Platform resolves component envs over
 * app-level ones (godo `AppSpec.Envs` vs `AppServiceSpec.Envs`). Returns a new spec; `version` empty = unchanged.
 */
function pinAppVersion(spec, target, version) {
    if (!version || !target)
        return spec;
    const next = structuredClone(spec);
    const component = (next[target.kind] ?? []).find((c) => c.name === target.component);
    if (!component)
        return spec;
    const envs = Array.isArray(component.envs) ? component.envs : [];
    component.envs = [
        ...envs.filter(e => e.key !== 'APP_VERSION'),
        { key: 'APP_VERSION', value: version, scope: 'RUN_TIME', type: 'GENERAL' }
    ];
    return next;
}

;// CONCATENATED MODULE: ./src/digitalocean/deploy.ts









async function deploy(client, req, hooks) {
    const now = hooks.now ?? Date.now;
    const started = now();
    const log = hooks.logger;
    const outputs = {};
    const notes = [];
    const set = (o) => {
        Object.assign(outputs, o);
        hooks.report(o);
    };
    const fileSpec = req.specFile ? loadSpecFile(req.specFile, req.env, log, notes) : undefined;
    const app = await findApp(client, req, fileSpec);
    if (app)
        set({ 'app-id': app.id, 'live-url': app.live_url || undefined });
    if (req.rollbackTo) {
        if (!app)
            throw new errors/* InputError */.dz('rollback-to', 'needs an existing app (app-id or app-name)');
        return rollbackMode(app);
    }
    const base = fileSpec ?? app.spec;
    const edit = req.image ? (0,digitalocean_spec/* replaceImage */.sP)(base, req.component, req.image, req.registryCredentials) : undefined;
    // The release reports its commit in every setup: APP_VERSION (set by deploy.yml) pinned on the component.
    const spec = pinAppVersion(edit?.spec ?? base, edit, req.env.APP_VERSION);
    if (edit) {
        log.info(`Component ${edit.kind}/${edit.component}: ${(0,digitalocean_spec/* describeImage */.hu)(edit.before)} -> ${(0,digitalocean_spec/* describeImage */.hu)(edit.after)}`);
        if (edit.sameRepository.length)
            log.warning(`Also using ${edit.after.repository} at another version, left unchanged: ${edit.sameRepository.join(', ')}`);
        if (edit.after.tag) {
            const msg = `Deploying by tag '${edit.after.tag}': a rollback to this deployment is not exact; prefer a digest (image@sha256:…)`;
            log.warning(msg);
            notes.push(msg);
        }
    }
    if (!app)
        return createMode(spec, edit);
    if (app.pinned_deployment?.id) {
        throw new Error(`App ${app.spec.name} (${app.id}) is pinned to rollback deployment ${app.pinned_deployment.id}: App Platform refuses new deployments until ` +
            `the rollback is committed (POST /v2/apps/${app.id}/rollback/commit, keeps the rolled-back version) or reverted ` +
            `(POST /v2/apps/${app.id}/rollback/revert, redeploys the spec from before the rollback)`);
    }
    const previous = app.active_deployment?.id;
    set({ 'previous-deployment-id': previous });
    if (fileSpec)
        await propose(spec, app.id);
    const updated = await client.updateApp(app.id, spec);
    let deploymentId = updated.pending_deployment?.id;
    if (!deploymentId) {
        // Nothing in the spec changed (e.g. the same digest again): ask for a deployment explicitly.
        log.info('The spec update started no deployment (nothing changed); creating one');
        deploymentId = (await client.createDeployment(app.id)).id;
    }
    set({ 'deployment-id': deploymentId });
    log.info(`Deployment ${deploymentId} started for app ${app.spec.name} (${app.id}); previous active deployment: ${previous ?? 'none'}`);
    return follow(app.id, deploymentId, fileSpec ? 'spec-update' : 'image', spec.name, edit);
    // ---- modes ------------------------------------------------------------------------------------------
    async function createMode(spec, edit) {
        const proposal = await propose(spec);
        if (proposal && proposal.app_name_available === false)
            throw new errors/* InputError */.dz('app-spec', `names app '${spec.name}', which is taken${proposal.app_name_suggestion ? ` (suggestion: ${proposal.app_name_suggestion})` : ''}`);
        const created = await client.createApp(spec);
        set({ 'app-id': created.id });
        log.info(`Created app ${spec.name} (${created.id})`);
        const deploymentId = created.pending_deployment?.id ?? (await client.createDeployment(created.id)).id;
        set({ 'deployment-id': deploymentId });
        return follow(created.id, deploymentId, 'create', spec.name, edit);
    }
    async function rollbackMode(app) {
        if (req.image)
            throw new errors/* InputError */.dz('rollback-to', 'cannot be combined with image: a rollback redeploys an earlier deployment as it was');
        const target = await resolveRollbackTarget(client, app.id, req.rollbackTo);
        set({ 'previous-deployment-id': target.activeDeploymentId });
        log.info(`Rolling back app ${app.spec.name} from ${target.activeDeploymentId ?? 'none'} to deployment ${target.deploymentId}`);
        let result;
        try {
            result = await performRollback(client, app.id, target.deploymentId, {
                pollIntervalMs: req.pollIntervalMs,
                timeoutMs: req.timeoutMs,
                logger: log,
                sleep: hooks.sleep,
                now: hooks.now
            });
        }
        catch (error) {
            if (!(error instanceof RollbackDeploymentError))
                throw error;
            const partial = error.result;
            set({ 'deployment-id': partial.rollbackDeploymentId, phase: partial.phase });
            return done({
                mode: 'rollback',
                success: false,
                failure: (0,errors/* errorMessage */.gJ)(error),
                appName: app.spec.name,
                rollback: partial,
                wait: partial.wait
            });
        }
        set({ 'deployment-id': result.rollbackDeploymentId, phase: result.phase });
        const after = await client.getApp(app.id);
        set({ 'live-url': after.live_url || undefined });
        return done({
            mode: 'rollback',
            success: true,
            appName: app.spec.name,
            rollback: result,
            wait: result.wait
        });
    }
    async function follow(appId, deploymentId, mode, appName, edit) {
        let wait;
        try {
            wait = await waitForDeployment(client, appId, deploymentId, {
                pollIntervalMs: req.pollIntervalMs,
                timeoutMs: req.timeoutMs,
                cancelOnTimeout: req.cancelOnTimeout,
                logger: log,
                sleep: hooks.sleep,
                now: hooks.now
            });
        }
        catch (error) {
            return done({
                mode,
                success: false,
                failure: `Lost track of deployment ${deploymentId}: ${(0,errors/* errorMessage */.gJ)(error)}`,
                appName,
                edit
            });
        }
        set({ phase: wait.phase });
        const success = wait.phase === 'ACTIVE';
        if (success) {
            const after = await client.getApp(appId);
            set({ 'live-url': after.live_url || undefined });
            if (after.live_url)
                log.info(`App ${appName} is live at ${after.live_url} (${(0,duration/* formatDuration */.a)(wait.elapsedMs)})`);
        }
        const failure = success ? undefined : describeFailure(deploymentId, wait, req.timeoutMs);
        const logFile = await collectLogs(appId, deploymentId, success);
        return done({ mode, success, failure, appName, edit, wait, logFile });
    }
    async function collectLogs(appId, deploymentId, success) {
        if (req.printLogs === 'never' || (req.printLogs === 'on-failure' && success))
            return undefined;
        const sections = [];
        for (const type of ['BUILD', 'DEPLOY']) {
            let text;
            try {
                text = await client.getDeploymentLogs(appId, deploymentId, undefined, type);
            }
            catch (error) {
                log.warning(`Could not fetch ${type} logs: ${(0,errors/* errorMessage */.gJ)(error)}`);
                continue;
            }
            if (text === undefined || text.trim() === '') {
                log.info(`No ${type} logs for deployment ${deploymentId} (stage skipped or not reached)`);
                continue;
            }
            sections.push(`===== ${type} logs, deployment ${deploymentId} =====\n${text.trimEnd()}\n`);
            const lines = text.trimEnd().split('\n');
            const tail = lines.slice(-TAIL_LINES);
            await log.group(`${type} logs${lines.length > TAIL_LINES ? ` (last ${TAIL_LINES} of ${lines.length} lines)` : ''}`, async () => {
                for (const line of tail)
                    log.info(line);
            });
        }
        if (!sections.length)
            return undefined;
        (0,external_node_fs_.mkdirSync)(req.logDir, { recursive: true });
        const file = (0,external_node_path_.join)(req.logDir, `deploy-${deploymentId}.log`);
        (0,external_node_fs_.writeFileSync)(file, (0,secrets/* redact */.E$)(sections.join('\n')));
        log.info(`Full logs: ${file}`);
        return file;
    }
    async function propose(spec, appId) {
        try {
            const proposal = await client.proposeApp(spec, appId);
            if (proposal.app_cost !== undefined)
                notes.push(`App Platform estimates the app at $${proposal.app_cost}/month.`);
            return proposal;
        }
        catch (error) {
            if (error instanceof errors/* RemoteError */.Hi &&
                error.status !== undefined &&
                error.status >= 400 &&
                error.status < 500 &&
                error.status !== 429)
                throw new errors/* InputError */.dz('app-spec', `was rejected by App Platform (${error.call}): ${error.serverMessage ?? error.message}${error.requestId ? ` (request id ${error.requestId})` : ''}`);
            throw error;
        }
    }
    function done(o) {
        return { ...o, outputs, notes, durationMs: now() - started };
    }
}
const TAIL_LINES = 40;
async function findApp(client, req, fileSpec) {
    if (req.appId)
        return client.getApp(req.appId);
    const name = req.appName ?? fileSpec?.name;
    if (!name)
        throw new errors/* InputError */.dz('app-id', 'or app-name (or an app-spec with a name) is required');
    const app = await client.findAppByName(name);
    if (!app && !fileSpec)
        throw new errors/* InputError */.dz('app-name', `'${name}': no such app; give app-spec to create it`);
    if (!app && fileSpec && fileSpec.name !== name)
        throw new errors/* InputError */.dz('app-name', `'${name}' differs from the name in app-spec ('${fileSpec.name}'); the created app would be '${fileSpec.name}'`);
    return app;
}
function loadSpecFile(file, env, log, notes) {
    const parsed = (0,digitalocean_spec/* parseSpecText */.gJ)(file.text);
    const { value, substituted, unresolved } = (0,digitalocean_spec/* substituteEnv */.y0)(parsed, env);
    if (substituted.length)
        log.info(`${file.path}: substituted ${substituted.map(n => `\${${n}}`).join(', ')} from the environment`);
    if (unresolved.length) {
        const msg = `${file.path}: ${unresolved.map(n => `\${${n}}`).join(', ')} not set in the environment; left for App Platform to resolve`;
        log.warning(msg);
        notes.push(msg);
    }
    const problems = (0,digitalocean_spec/* validateSpec */.QN)(value);
    if (problems.length)
        throw new errors/* InputError */.dz('app-spec', `(${file.path}) is invalid: ${(0,digitalocean_spec/* formatProblems */.C5)(problems)}`);
    return value;
}
function describeFailure(deploymentId, wait, timeoutMs) {
    const step = wait.failingStep;
    const where = step
        ? ` at step "${step.step}"${step.code ? ` [${step.code}]` : ''}${step.message ? `: ${step.message}` : ''}`
        : '';
    if (wait.timedOut)
        return `Deployment ${deploymentId} did not finish within ${(0,duration/* formatDuration */.a)(timeoutMs)}${wait.canceled ? ' and was canceled' : ''} (phase ${wait.phase})${where}`;
    if (wait.phase === 'SUPERSEDED')
        return `Deployment ${deploymentId} was superseded by a newer deployment before it became active`;
    return `Deployment ${deploymentId} ended in phase ${wait.phase}${where}`;
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

;// CONCATENATED MODULE: ./src/digitalocean/summary.ts



/** The job summary of a deploy or rollback: facts, phase durations and a Mermaid timeline. */
function renderDeploySummary(o) {
    const title = o.mode === 'rollback' ? 'Rollback' : o.mode === 'create' ? 'App created and deployed' : 'Deployment';
    const icon = o.success ? '✅' : '❌';
    const parts = [`## ${icon} ${title}: ${o.appName ?? o.outputs['app-id'] ?? ''}`];
    if (o.failure)
        parts.push(`> ${o.failure}`);
    parts.push(facts([
        ['App', o.outputs['app-id']],
        ['Deployment', o.outputs['deployment-id']],
        [
            o.mode === 'rollback' ? 'Rolled back from' : 'Previous deployment',
            o.outputs['previous-deployment-id']
        ],
        ['Rollback target', o.rollback?.targetDeploymentId],
        ['Committed', o.rollback ? String(o.rollback.committed) : undefined],
        ['Phase', o.outputs.phase],
        ['Component', o.edit ? `${o.edit.kind}/${o.edit.component}` : undefined],
        ['Image before', o.edit ? (0,digitalocean_spec/* describeImage */.hu)(o.edit.before) : undefined],
        ['Image now', o.edit ? (0,digitalocean_spec/* describeImage */.hu)(o.edit.after) : undefined],
        ['Live URL', o.outputs['live-url']],
        ['Waited', o.wait ? `${(0,duration/* formatDuration */.a)(o.wait.elapsedMs)} (${o.wait.polls} polls)` : undefined],
        ['Total', (0,duration/* formatDuration */.a)(o.durationMs)],
        [
            'Full logs',
            o.logFile ? `\`${o.logFile}\` (upload it with actions/upload-artifact to keep it)` : undefined
        ]
    ]));
    const phases = o.wait?.phases ?? [];
    if (phases.length) {
        parts.push(table(['phase', 'duration'], phases.map(p => [p.phase, (0,duration/* formatDuration */.a)(p.end - p.start)])));
        parts.push(mermaidTimeline(`deployment ${o.outputs['deployment-id'] ?? ''}`, phases.map(p => ({
            section: 'phases',
            name: p.phase,
            start: p.start,
            end: p.end,
            status: p.phase === 'ERROR' || p.phase === 'CANCELED' ? 'crit' : 'done'
        }))));
    }
    for (const note of o.notes)
        parts.push(`- ${note}`);
    return parts.join('\n\n');
}
/** The summary of a step that failed before any deployment outcome (refused call, pinned app, bad spec). */
function renderErrorSummary(message) {
    return `## ❌ Deployment not started\n\n> ${message.replace(/\n/g, ' ')}`;
}

;// CONCATENATED MODULE: ./actions/deploy-app-platform/deferred.ts
// Loaded by main.ts once the inputs are valid, as ONE chunk: separate dynamic imports would each carry (and load)
// their own copy of the modules they share.





/***/ })

};
