export const id = 374;
export const ids = [374];
export const modules = {

/***/ 3374:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  DigitalOceanClient: () => (/* reexport */ client/* DigitalOceanClient */.U),
  deploy: () => (/* reexport */ deploy),
  loadSpecFile: () => (/* reexport */ spec_file/* loadSpecFile */.K),
  renderDeleteSummary: () => (/* reexport */ renderDeleteSummary),
  renderDeploySummary: () => (/* reexport */ renderDeploySummary),
  renderNotStartedSummary: () => (/* reexport */ renderNotStartedSummary),
  renderOperationSummary: () => (/* reexport */ renderOperationSummary),
  runOperation: () => (/* reexport */ operations/* runOperation */.Q)
});

// EXTERNAL MODULE: ./src/digitalocean/client.ts + 2 modules
var client = __webpack_require__(2463);
// EXTERNAL MODULE: ./src/kit/errors.ts
var errors = __webpack_require__(3713);
// EXTERNAL MODULE: ./src/kit/cancellation.ts
var cancellation = __webpack_require__(9449);
// EXTERNAL MODULE: ./src/kit/duration.ts
var duration = __webpack_require__(438);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/kit/secrets.ts + 1 modules
var secrets = __webpack_require__(5889);
;// CONCATENATED MODULE: ./src/digitalocean/deployment-logs.ts




const TAIL_LINES = 40;
/** Outputs travel through $GITHUB_OUTPUT (never env vars: app_action #155), and a job's outputs share 1 MB. */
const OUTPUT_LOG_BYTES = 64 * 1024;
/**
 * A deployment's BUILD and DEPLOY logs: each stage's text as the build-logs/deploy-logs outputs (capped), its tail
 * printed in a group as `print-logs` says (on failure by default), the whole text in a file under `logDir`.
 * Returns the file, if any log was found.
 */
async function collectDeploymentLogs(run, appId, deploymentId, success) {
    const { req, log } = run;
    if (req.printLogs === 'never')
        return undefined;
    // Fetched on success too, for the build-logs/deploy-logs outputs; printed only as print-logs says.
    const print = req.printLogs === 'always' || !success;
    const sections = [];
    for (const type of ['BUILD', 'DEPLOY']) {
        let text;
        try {
            text = await run.client.getDeploymentLogs(appId, deploymentId, undefined, type);
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
        run.set({ [type === 'BUILD' ? 'build-logs' : 'deploy-logs']: capOutput(text.trimEnd()) });
        if (!print)
            continue;
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
function capOutput(text) {
    if (Buffer.byteLength(text) <= OUTPUT_LOG_BYTES)
        return text;
    const tail = Buffer.from(text).subarray(-OUTPUT_LOG_BYTES).toString('utf8');
    return `[first ${Buffer.byteLength(text) - OUTPUT_LOG_BYTES} bytes left out; the full log is in the log file]\n${tail.slice(tail.indexOf('\n') + 1)}`;
}

// EXTERNAL MODULE: ./src/digitalocean/waiter.ts + 1 modules
var waiter = __webpack_require__(9032);
;// CONCATENATED MODULE: ./src/digitalocean/follow-deployment.ts





/** Longest wait for the live URL of a newly created app once its deployment is ACTIVE. */
const LIVE_URL_WAIT_MS = 5 * 60_000;
/**
 * Follows the deployment a create or update started until it serves or fails, and decides the outcome: it
 * succeeded when it served (ACTIVE, or SUPERSEDED after going ACTIVE: waiter.ts); otherwise `failure` says why
 * (the phase, the failing step and its reason, or the timeout). Logs are fetched either way.
 */
async function followDeployment(run, d) {
    const { appId, deploymentId, mode, appName, edit } = d;
    const previous = () => run.outputs['previous-deployment-id'];
    // Cancelled (SIGINT) while waiting: the deployment would go ACTIVE with no health gate ever judging it, so
    // it is canceled; the previous deployment keeps serving and a rerun deploys again.
    const undo = cancellation/* cancellation */.WN.addUndo(`cancel deployment ${deploymentId} (never health-gated); ${previous() ?? 'the previous deployment'} keeps serving`, () => cancelUngated(run, appId, deploymentId));
    let wait;
    try {
        wait = await (0,waiter/* waitForDeployment */.Kw)(run.client, appId, deploymentId, {
            pollIntervalMs: run.req.pollIntervalMs,
            timeoutMs: run.req.timeoutMs,
            cancelOnTimeout: run.req.cancelOnTimeout,
            logger: run.log,
            sleep: run.hooks.sleep,
            now: run.hooks.now
        });
    }
    catch (error) {
        if (cancellation/* cancellation */.WN.cancelled)
            throw error;
        undo.dismiss();
        return run.outcome({
            mode,
            success: false,
            failure: `Lost track of deployment ${deploymentId}: ${(0,errors/* errorMessage */.gJ)(error)}`,
            appName,
            edit
        });
    }
    undo.dismiss();
    run.set({ phase: wait.phase });
    const success = wait.succeeded;
    if (success)
        // Cancelled from here on, the deployment serves already: say how to judge or undo it.
        cancellation/* cancellation */.WN.signal.addEventListener('abort', () => cancellation/* cancellation */.WN.leave(`deployment ${deploymentId} is ACTIVE and was not health-gated: run the health gate, or roll back with ` +
            `deploy-app-platform rollback-to: ${previous() ?? 'previous'} (app-id ${appId})`));
    if (success && wait.phase !== 'ACTIVE') {
        const msg = `Deployment ${deploymentId} went ACTIVE and was then superseded by a newer deployment (phase ${wait.phase}); the newer one now serves`;
        run.log.warning(msg);
        run.notes.push(msg);
    }
    const after = success
        ? await readLiveUrl(run, appId, mode === 'create')
        : await run.client.getApp(appId).catch(() => undefined);
    if (after)
        run.set({ app: JSON.stringify(after) });
    if (success && after) {
        run.set({ 'live-url': after.live_url || undefined });
        if (after.live_url)
            run.log.info(`App ${appName} is live at ${after.live_url} (${(0,duration/* formatDuration */.a3)(wait.elapsedMs)})`);
    }
    const failure = success ? undefined : describeFailure(deploymentId, wait, run.req.timeoutMs);
    const logFile = await collectDeploymentLogs(run, appId, deploymentId, success);
    return run.outcome({ mode, success, failure, appName, edit, wait, logFile });
}
/** The undo step of a cancelled wait: cancel, and if it had finished already, say what it became. */
async function cancelUngated(run, appId, deploymentId) {
    try {
        await run.client.cancelDeployment(appId, deploymentId);
        // deploy.yml's cleanup gate reads it: a canceled deployment never went live, there is nothing to judge.
        run.set({ phase: 'CANCELED' });
        return;
    }
    catch (error) {
        const d = await run.client.getDeployment(appId, deploymentId).catch(() => undefined);
        if (d?.phase)
            run.set({ phase: d.phase });
        if (d?.phase === 'ACTIVE')
            cancellation/* cancellation */.WN.leave(`deployment ${deploymentId} went ACTIVE before it could be canceled and was not health-gated: run the health gate, ` +
                `or roll back with deploy-app-platform rollback-to: ${run.outputs['previous-deployment-id'] ?? 'previous'} (app-id ${appId})`);
        else if (!d?.phase || !['ERROR', 'CANCELED', 'SUPERSEDED'].includes(d.phase))
            throw error;
    }
}
/**
 * The app after its deployment. A first deployment can be ACTIVE before `live_url` is set (app_action polls
 * for it, deploy/main.go); only apps with an HTTP component ever get one (app_action #265: worker-only apps).
 */
async function readLiveUrl(run, appId, firstCreate) {
    let after = await run.client.getApp(appId);
    const http = (after.spec?.services ?? []).length > 0 || (after.spec?.static_sites ?? []).length > 0;
    const until = run.now() + Math.min(run.req.timeoutMs, LIVE_URL_WAIT_MS);
    while (firstCreate && !after.live_url && (http || !after.spec) && run.now() < until) {
        await run.sleep(run.req.pollIntervalMs);
        after = await run.client.getApp(appId);
    }
    return after;
}
/** The one line that says why a followed deployment did not serve. */
function describeFailure(deploymentId, wait, timeoutMs) {
    const step = wait.failingStep;
    const where = step
        ? ` at step "${step.step}"${step.code ? ` [${step.code}]` : ''}${step.message ? `: ${step.message}` : ''}`
        : '';
    if (wait.timedOut)
        return `Deployment ${deploymentId} did not finish within ${(0,duration/* formatDuration */.a3)(timeoutMs)}${wait.canceled ? ' and was canceled' : ''} (phase ${wait.phase})${where}`;
    if (wait.phase === 'SUPERSEDED')
        return `Deployment ${deploymentId} was superseded by a newer deployment before it became active`;
    return `Deployment ${deploymentId} ended in phase ${wait.phase}${where}`;
}

;// CONCATENATED MODULE: ./src/digitalocean/propose.ts

/**
 * App Platform's own check of a spec before anything changes (`POST /v2/apps/propose`). A 4xx other than 429 is
 * App Platform rejecting the spec: an input error on app-spec, with the server's message and request id. The
 * cost estimate goes to the summary's notes.
 */
async function proposeSpec(run, spec, appId) {
    try {
        const proposal = await run.client.proposeApp(spec, appId);
        if (proposal.app_cost !== undefined)
            run.notes.push(`App Platform estimates the app at $${proposal.app_cost}/month.`);
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

;// CONCATENATED MODULE: ./src/digitalocean/started-deployment.ts
/**
 * The deployment a spec update or app creation started. DigitalOcean says a spec update always creates one
 * (doctl PR #1143: "Even in a 'no-op' update, a deployment is created"; godo PR #601: pending_deployment is
 * set on CreateApp/UpdateApp answers), so we never POST another (app_action PR #8 removed exactly that: "two
 * builds"). When the answer lacks `pending_deployment` (app_action's and godo's fixtures; Terraform PR #1477
 * says it can be unset "e.g., during app creation"), the app is read back and then the deployments listed,
 * as Terraform does; `known` are the deployments that existed before, so an older one is never taken.
 */
async function findStartedDeployment(client, answer, known) {
    const fresh = (id) => (id && !known.has(id) ? id : undefined);
    const fromAnswer = fresh(answer.pending_deployment?.id);
    if (fromAnswer)
        return fromAnswer;
    const app = await client.getApp(answer.id);
    const fromApp = fresh(app.pending_deployment?.id) ?? fresh(app.in_progress_deployment?.id);
    if (fromApp)
        return fromApp;
    // Newest first, as the API lists them.
    const listed = await client.listDeployments(answer.id, { perPage: 5 });
    const newest = listed.find(d => fresh(d.id) && d.phase !== 'CANCELED');
    if (newest)
        return newest.id;
    throw new Error(`App Platform accepted the spec of app ${answer.id} but names no deployment for it (no pending_deployment, ` +
        `nothing new among the ${listed.length} newest deployments); not creating one, which would build twice. ` +
        `See the app's deployments (doctl apps list-deployments ${answer.id})`);
}
/** Ids of the deployments an app shows now (the ones a later answer must not be mistaken for). */
function knownDeployments(app) {
    const ids = [
        app?.active_deployment,
        app?.pending_deployment,
        app?.in_progress_deployment,
        app?.pinned_deployment
    ]
        .map(d => d?.id)
        .filter((id) => !!id);
    return new Set(ids);
}

;// CONCATENATED MODULE: ./src/digitalocean/deploy-create.ts




/** No app of that name yet: propose the spec (the name must be free), create the app, follow its first deployment. */
async function createApp(run, spec, edit) {
    const proposal = await proposeSpec(run, spec);
    // godo encodes app_name_available with omitempty, so a Go server or proxy drops `false`: a suggestion
    // without the field means the name is taken too (doctl's propose fixture, integration/apps_test.go).
    const taken = proposal.app_name_available === false ||
        (proposal.app_name_available === undefined && !!proposal.app_name_suggestion);
    if (taken)
        throw new errors/* InputError */.dz('app-spec', `names app '${spec.name}', which is taken${proposal.app_name_suggestion ? ` (suggestion: ${proposal.app_name_suggestion})` : ''}`);
    const created = await run.client.createApp(spec, run.req.projectId);
    run.set({ 'app-id': created.id });
    run.log.info(`Created app ${spec.name} (${created.id})`);
    const deploymentId = await findStartedDeployment(run.client, created, new Set());
    run.set({ 'deployment-id': deploymentId });
    return followDeployment(run, { appId: created.id, deploymentId, mode: 'create', appName: spec.name, edit });
}

// EXTERNAL MODULE: ./src/digitalocean/rollback-target.ts
var rollback_target = __webpack_require__(4584);
;// CONCATENATED MODULE: ./src/digitalocean/rollback.ts






/**
 * Manual rollback through App Platform's rollback API (validate → rollback → wait ACTIVE → commit), shared
 * by deploy-app-platform (`rollback-to`) and health-gate (automatic rollback). `rollBack` returns one value
 * for every outcome the API can give (refused, not ACTIVE, ACTIVE, committed); only API and network errors throw.
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
/**
 * The exact ways out of a pinned app (App Platform refuses every new deployment until one is taken): the
 * deploy action's modes and the same call with curl.
 */
function pinnedAppCommands(appId, apiUrl = 'https://api.digitalocean.com') {
    const api = apiUrl.replace(/\/+$/, '');
    const curl = (op) => `curl -fsS -X POST -H "Authorization: Bearer $DIGITALOCEAN_TOKEN" ${api}/v2/apps/${appId}/rollback/${op}`;
    return (`keep the rolled-back version: deploy-app-platform with mode: rollback-commit and app-id: ${appId} (or ${curl('commit')}); ` +
        `go back to the release: mode: rollback-revert (or ${curl('revert')})`);
}
/** The one line of a refused rollback: the condition code explained and the server's own message. */
function refusalLine(code, serverMessage, targetDeploymentId) {
    return (`Rollback to deployment ${targetDeploymentId} refused${code ? ` (${code})` : ''}: ${explainRollbackRefusal(code)}` +
        (serverMessage ? ` - App Platform says: ${serverMessage}` : ''));
}
/**
 * `previous` = the newest earlier deployment of a different release that served traffic (see
 * rollback-target.ts). An id is looked up so a typo fails here, naming it, rather than in the rollback call.
 */
async function resolveRollbackTarget(client, appId, target) {
    const app = await client.getApp(appId);
    const activeDeploymentId = app.active_deployment?.id;
    if (target !== 'previous') {
        const deployment = await client.getDeployment(appId, target);
        return { deploymentId: deployment.id, deployment, activeDeploymentId };
    }
    const found = await (0,rollback_target/* findPreviousRelease */.qI)(client, appId, activeDeploymentId);
    if (!found.deployment)
        throw new Error(`App ${appId} has no earlier deployment of another release that served traffic to roll back to ` +
            `(active: ${activeDeploymentId ?? 'none'}, ${found.scanned} deployments read)`);
    return { deploymentId: found.deployment.id, deployment: found.deployment, activeDeploymentId };
}
/**
 * validate → rollback → wait ACTIVE → (beforeCommit, commit). API and network errors throw; every outcome App
 * Platform decides is returned: refused, not ACTIVE (`failure`, the app pinned), ACTIVE, committed.
 */
async function rollBack(client, appId, targetDeploymentId, opts) {
    const log = opts.logger;
    const validation = await client.validateRollback(appId, targetDeploymentId);
    if (!validation.valid) {
        const { code, message: serverMessage } = validation.error ?? {};
        return {
            refused: true,
            failure: refusalLine(code, serverMessage, targetDeploymentId),
            targetDeploymentId,
            code,
            serverMessage
        };
    }
    const warnings = validation.warnings ?? [];
    for (const w of warnings)
        log.warning(`Rollback to ${targetDeploymentId}: ${explainRollbackRefusal(w.code)}${w.message ? ` (${w.message})` : ''}`);
    const before = await client.getApp(appId);
    const deployment = await client.createRollback(appId, targetDeploymentId, false, knownDeployments(before));
    log.info(`Rolling back app ${appId} to deployment ${targetDeploymentId}: rollback deployment ${deployment.id}`);
    // Cancelled from here on, the app would stay pinned and refuse every later deploy (409). The release was
    // already judged bad, so the rollback is kept: committed (the previous release stays, the app is unpinned).
    const onCancel = cancellation/* cancellation */.WN.addUndo(`commit rollback deployment ${deployment.id} so app ${appId} is not left pinned`, async () => {
        try {
            await client.commitRollback(appId);
        }
        catch (error) {
            cancellation/* cancellation */.WN.leave(`app ${appId} stays pinned to rollback deployment ${deployment.id} (commit failed: ${(0,errors/* errorMessage */.gJ)(error)}): ${pinnedAppCommands(appId, opts.apiUrl)}`);
        }
    });
    let wait;
    try {
        wait = await (0,waiter/* waitForDeployment */.Kw)(client, appId, deployment.id, {
            pollIntervalMs: opts.pollIntervalMs,
            timeoutMs: opts.timeoutMs,
            logger: log,
            sleep: opts.sleep,
            now: opts.now
        });
    }
    catch (error) {
        if (!cancellation/* cancellation */.WN.cancelled)
            onCancel.dismiss();
        throw error;
    }
    const base = { rollbackDeploymentId: deployment.id, targetDeploymentId, phase: wait.phase, warnings, wait };
    if (wait.phase !== 'ACTIVE') {
        onCancel.dismiss();
        const why = wait.timedOut
            ? `did not finish within ${(0,duration/* formatDuration */.a3)(opts.timeoutMs)}`
            : `ended in phase ${wait.phase}`;
        const step = wait.failingStep
            ? ` at "${wait.failingStep.step}"${wait.failingStep.message ? `: ${wait.failingStep.message}` : ''}`
            : '';
        return {
            ...base,
            committed: false,
            failure: `Rollback deployment ${deployment.id} ${why}${step}. The app stays pinned to it: ${pinnedAppCommands(appId, opts.apiUrl)}`
        };
    }
    try {
        await opts.beforeCommit?.();
    }
    catch (error) {
        if (!cancellation/* cancellation */.WN.cancelled)
            onCancel.dismiss();
        throw error;
    }
    if (opts.commit === false) {
        log.info(`Rollback deployment ${deployment.id} is ACTIVE; the app stays pinned until the rollback is committed or reverted`);
        return { ...base, committed: false, onCancel };
    }
    onCancel.dismiss();
    await client.commitRollback(appId);
    log.info(`Rollback to ${targetDeploymentId} committed (deployment ${deployment.id}, ${(0,duration/* formatDuration */.a3)(wait.elapsedMs)})`);
    return { ...base, committed: true };
}

;// CONCATENATED MODULE: ./src/digitalocean/deploy-rollback.ts


/**
 * `rollback-to`: the earlier deployment redeployed as it was (validate, roll back, wait, commit). A rollback
 * deployment that does not go ACTIVE is the outcome's failure, with what it left.
 */
async function rollbackApp(run, app, rollbackTo) {
    if (run.req.image)
        throw new errors/* InputError */.dz('rollback-to', 'cannot be combined with image: a rollback redeploys an earlier deployment as it was');
    const appName = app.spec?.name ?? app.id;
    const target = await resolveRollbackTarget(run.client, app.id, rollbackTo);
    run.set({ 'previous-deployment-id': target.activeDeploymentId });
    run.log.info(`Rolling back app ${appName} from ${target.activeDeploymentId ?? 'none'} to deployment ${target.deploymentId}`);
    const result = await rollBack(run.client, app.id, target.deploymentId, {
        pollIntervalMs: run.req.pollIntervalMs,
        timeoutMs: run.req.timeoutMs,
        logger: run.log,
        sleep: run.hooks.sleep,
        now: run.hooks.now
    });
    // Refused by App Platform's validation: no deployment exists, like the other refusals before one (pinned app).
    if (result.refused)
        throw new Error(result.failure);
    run.set({ 'deployment-id': result.rollbackDeploymentId, phase: result.wait.phase });
    if (result.failure !== undefined)
        return run.outcome({
            mode: 'rollback',
            success: false,
            failure: result.failure,
            appName,
            rollback: result,
            wait: result.wait
        });
    const after = await run.client.getApp(app.id);
    run.set({ 'live-url': after.live_url || undefined, app: JSON.stringify(after) });
    return run.outcome({ mode: 'rollback', success: true, appName, rollback: result, wait: result.wait });
}

;// CONCATENATED MODULE: ./src/digitalocean/deploy-run.ts
/** The state a run's steps share: the request, the outputs reported so far, notes for the summary. */
class DeployRun {
    client;
    req;
    hooks;
    outputs = {};
    notes = [];
    log;
    now;
    sleep;
    started;
    constructor(client, req, hooks) {
        this.client = client;
        this.req = req;
        this.hooks = hooks;
        this.log = hooks.logger;
        this.now = hooks.now ?? Date.now;
        this.sleep = hooks.sleep ?? (ms => new Promise(resolve => setTimeout(resolve, ms)));
        this.started = this.now();
    }
    /** Records outputs and reports them at once (the glue sets them, so they survive a later throw). */
    set(outputs) {
        Object.assign(this.outputs, outputs);
        this.hooks.report(outputs);
    }
    outcome(o) {
        return { ...o, outputs: this.outputs, notes: this.notes, durationMs: this.now() - this.started };
    }
}

;// CONCATENATED MODULE: ./src/digitalocean/deploy-update.ts



/**
 * An existing app: refused while pinned to a rollback, a spec file proposed first, then one PUT and the
 * deployment it started followed (never a second POST).
 */
async function updateApp(run, app, spec, how) {
    const name = app.spec?.name ?? app.id;
    if (app.pinned_deployment?.id) {
        throw new Error(`App ${name} (${app.id}) is pinned to rollback deployment ${app.pinned_deployment.id}: App Platform refuses new deployments until ` +
            `the rollback is committed (POST /v2/apps/${app.id}/rollback/commit, keeps the rolled-back version) or reverted ` +
            `(POST /v2/apps/${app.id}/rollback/revert, redeploys the spec from before the rollback)`);
    }
    const previous = app.active_deployment?.id;
    run.set({ 'previous-deployment-id': previous });
    if (how.fromFile)
        await proposeSpec(run, spec, app.id);
    const known = knownDeployments(app);
    const updated = await run.client.updateApp(app.id, spec, true, known);
    const deploymentId = await findStartedDeployment(run.client, updated, known);
    run.set({ 'deployment-id': deploymentId });
    run.log.info(`Deployment ${deploymentId} started for app ${name} (${app.id}); previous active deployment: ${previous ?? 'none'}`);
    return followDeployment(run, {
        appId: app.id,
        deploymentId,
        mode: how.fromFile ? 'spec-update' : 'image',
        appName: spec.name,
        edit: how.edit
    });
}

;// CONCATENATED MODULE: ./src/digitalocean/find-app.ts

/**
 * The app to deploy: by `app-id`, else by `app-name` or the spec file's name. Undefined means "create it", which
 * needs a spec file whose name is the one asked for.
 */
async function findApp(client, target, fileSpec) {
    if (target.appId)
        return client.getApp(target.appId);
    const name = target.appName ?? fileSpec?.name;
    if (!name)
        throw new errors/* InputError */.dz('app-id', 'or app-name (or an app-spec with a name) is required');
    const app = await client.findAppByName(name);
    if (!app && !fileSpec)
        throw new errors/* InputError */.dz('app-name', `'${name}': no such app; give app-spec to create it`);
    if (!app && fileSpec && fileSpec.name !== name)
        throw new errors/* InputError */.dz('app-name', `'${name}' differs from the name in app-spec ('${fileSpec.name}'); the created app would be '${fileSpec.name}'`);
    return app;
}

// EXTERNAL MODULE: ./src/digitalocean/app-platform-image.ts
var app_platform_image = __webpack_require__(1329);
// EXTERNAL MODULE: ./src/digitalocean/components.ts
var components = __webpack_require__(1816);
;// CONCATENATED MODULE: ./src/digitalocean/image-edit.ts



const SOURCE_KEYS = ['git', 'github', 'gitlab', 'bitbucket'];
/**
 * Returns a copy of `spec` running `ref`. `componentNames` (the `component` input, comma-separated) names the
 * components to change; without it, the only service is changed together with every service, worker and job
 * whose image is the same repository (a PRE_DEPLOY migration job on the release image must run the release,
 * not the old digest). Per component only `image` changes: registry fields, digest xor tag, and
 * `registry_credentials` when given (otherwise the stored, encrypted value is sent back as it came).
 */
function replaceImage(spec, componentNames, ref, registryCredentials) {
    const copy = structuredClone(spec);
    const named = componentNames
        ?.split(',')
        .map(n => n.trim())
        .filter(Boolean);
    const primary = (0,components/* selectComponent */.Cs)(copy, named?.[0]);
    const targets = [primary];
    for (const name of named?.slice(1) ?? [])
        targets.push((0,components/* selectComponent */.Cs)(copy, name));
    const sameRepo = (img, other) => !!img &&
        !!other &&
        img.repository === other.repository &&
        (img.registry ?? '') === (other.registry ?? '');
    const primaryImage = primary.component.image;
    if (!named)
        for (const kind of components/* IMAGE_COMPONENT_KINDS */.i9)
            (copy[kind] ?? []).forEach((c, index) => {
                if (c === primary.component || !c.image)
                    return;
                if (sameRepo(c.image, primaryImage) || sameRepo(c.image, refImage(ref)))
                    targets.push({ kind, index, component: c });
            });
    let before;
    let after;
    let changed = false;
    for (const t of targets) {
        const source = SOURCE_KEYS.find(k => t.component[k] !== undefined);
        if (source)
            throw new errors/* InputError */.dz('component', `'${t.component.name}' is built from a ${source} source, not an image; deploy an image component`);
        const old = t.component.image ? structuredClone(t.component.image) : undefined;
        const image = pinImage(t.component.image, ref, registryCredentials);
        copy[t.kind][t.index] = { ...t.component, image };
        changed ||= JSON.stringify(old) !== JSON.stringify(image);
        if (t === primary) {
            before = old;
            after = image;
        }
    }
    const pinned = new Set(targets.map(t => t.component.name));
    const sameRepository = [];
    for (const k of components/* IMAGE_COMPONENT_KINDS */.i9)
        for (const c of copy[k] ?? []) {
            if (pinned.has(c.name) || !c.image)
                continue;
            if (sameRepo(c.image, after) && (c.image.digest !== after.digest || c.image.tag !== after.tag))
                sameRepository.push(`${k}/${c.name}`);
        }
    return {
        spec: copy,
        kind: primary.kind,
        component: primary.component.name,
        before,
        after: after,
        alsoPinned: targets.slice(1).map(t => `${t.kind}/${t.component.name}`),
        changed,
        sameRepository
    };
}
function refImage(ref) {
    return { registry: ref.registry_type === 'DOCR' ? undefined : ref.registry, repository: ref.repository };
}
function pinImage(current, ref, registryCredentials) {
    const image = { ...(current ?? {}) };
    image.registry_type = ref.registry_type;
    if (ref.registry_type === 'DOCR')
        delete image.registry;
    else
        image.registry = ref.registry;
    image.repository = ref.repository;
    if (ref.digest) {
        image.digest = ref.digest;
        delete image.tag;
        // deploy_on_push follows a tag; a pinned digest has nothing to follow.
        delete image.deploy_on_push;
    }
    else {
        image.tag = ref.tag;
        delete image.digest;
    }
    if (registryCredentials)
        image.registry_credentials = registryCredentials;
    return image;
}
/** Says what an edit changed; a tag (not a digest) is also a note for the summary: its rollback is not exact. */
function logImageEdit(edit, log, notes) {
    log.info(`Component ${edit.kind}/${edit.component}: ${(0,app_platform_image/* describeImage */.h)(edit.before)} -> ${(0,app_platform_image/* describeImage */.h)(edit.after)}`);
    if (edit.alsoPinned.length)
        log.info(`Same image pinned in ${edit.alsoPinned.join(', ')} (same repository)`);
    if (edit.sameRepository.length)
        log.warning(`Also using ${edit.after.repository} at another version, left unchanged: ${edit.sameRepository.join(', ')}`);
    if (edit.after.tag) {
        const msg = `Deploying by tag '${edit.after.tag}': a rollback to this deployment is not exact; prefer a digest (image@sha256:…)`;
        log.warning(msg);
        notes.push(msg);
    }
}

// EXTERNAL MODULE: ./src/digitalocean/image-variables.ts
var image_variables = __webpack_require__(1251);
// EXTERNAL MODULE: ./src/digitalocean/spec-file.ts + 2 modules
var spec_file = __webpack_require__(6157);
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










/**
 * The deploy-app-platform flow, free of the runner toolkit: find the app, build the spec to deploy (spec file or
 * the app's own, the image pinned, APP_VERSION pinned), then one mode: roll back, create, or update and follow.
 * A deployment that does not serve comes back as the outcome's `failure`; bad inputs and refused calls before
 * any deployment exists are thrown.
 */
async function deploy(client, req, hooks) {
    const run = new DeployRun(client, req, hooks);
    const fileSpec = req.specFile
        ? (0,spec_file/* loadSpecFile */.K)(req.specFile, req.env, run.log, run.notes, { keep: req.keepPlaceholders })
        : undefined;
    const app = await findApp(client, req, fileSpec);
    if (app)
        run.set({ 'app-id': app.id, 'live-url': app.live_url || undefined });
    if (req.rollbackTo) {
        if (!app)
            throw new errors/* InputError */.dz('rollback-to', 'needs an existing app (app-id or app-name)');
        return rollbackApp(run, app, req.rollbackTo);
    }
    let base = fileSpec ?? app.spec;
    if (!fileSpec) {
        // app_action applies IMAGE_DIGEST_<NAME>/IMAGE_TAG_<NAME> to an existing app's spec too.
        base = structuredClone(base);
        const pinned = (0,image_variables/* applyImageVariables */.h)(base, req.env);
        if (pinned.length)
            run.log.info(`IMAGE_DIGEST_*/IMAGE_TAG_* set the image of ${pinned.join(', ')}`);
    }
    const edit = req.image ? replaceImage(base, req.component, req.image, req.registryCredentials) : undefined;
    // The release reports its commit in every setup: APP_VERSION (set by deploy.yml) pinned on the component.
    const spec = pinAppVersion(edit?.spec ?? base, edit, req.env.APP_VERSION);
    if (edit)
        logImageEdit(edit, run.log, run.notes);
    if (!app)
        return createApp(run, spec, edit);
    return updateApp(run, app, spec, { fromFile: !!fileSpec, edit });
}

// EXTERNAL MODULE: ./src/digitalocean/operations.ts
var operations = __webpack_require__(4574);
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
        ['Image before', o.edit ? (0,app_platform_image/* describeImage */.h)(o.edit.before) : undefined],
        ['Image now', o.edit ? (0,app_platform_image/* describeImage */.h)(o.edit.after) : undefined],
        ['Live URL', o.outputs['live-url']],
        ['Waited', o.wait ? `${(0,duration/* formatDuration */.a3)(o.wait.elapsedMs)} (${o.wait.polls} polls)` : undefined],
        ['Total', (0,duration/* formatDuration */.a3)(o.durationMs)],
        [
            'Full logs',
            o.logFile ? `\`${o.logFile}\` (upload it with actions/upload-artifact to keep it)` : undefined
        ]
    ]));
    const phases = o.wait?.phases ?? [];
    if (phases.length) {
        parts.push(table(['phase', 'duration'], phases.map(p => [p.phase, (0,duration/* formatDuration */.a3)(p.end - p.start)])));
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
/** The summary of a run refused before any deployment started (the preview cap). */
function renderNotStartedSummary(reason) {
    return `## ❌ Deployment not started\n\n> ${reason.replace(/\n/g, ' ')}`;
}
/** The summary of `delete`: one line per app deleted, kept or not found. */
function renderDeleteSummary(lines) {
    return `## App Platform: delete\n\n${lines.map(l => `- ${l}`).join('\n')}`;
}
/** The job summary of an operation (rollback-commit, rollback-revert, list-deployments, logs, validate). */
function renderOperationSummary(r) {
    switch (r.kind) {
        case 'nothing-to-do':
            return `## ${r.message}`;
        case 'rollback-committed':
            return `## ✅ Rollback committed: ${r.app}\n\nDeployment \`${r.deploymentId}\` stays live; the app is no longer pinned.`;
        case 'rollback-reverted': {
            const icon = r.succeeded ? '✅' : '❌';
            return `## ${icon} Rollback reverted: ${r.app}\n\nDeployment \`${r.deploymentId}\`: ${r.phase} after ${(0,duration/* formatDuration */.a3)(r.elapsedMs)}.`;
        }
        case 'deployments':
            return `## Deployments of ${r.app} (newest ${r.rows.length})\n\n${table(['id', 'cause', 'phase', 'progress', 'created', 'release'], r.rows)}`;
        case 'logs':
            return `## Logs of deployment \`${r.deploymentId}\` (${r.app})\n\n${r.found ? 'Printed in the step log.' : 'No logs.'}`;
        case 'spec-valid':
            return `## ✅ App spec valid\n\n${r.lines.map(l => `- ${l}`).join('\n')}`;
        case 'spec-rejected':
            return `## ❌ App spec rejected\n\n> ${r.message}`;
    }
}

;// CONCATENATED MODULE: ./actions/deploy-app-platform/deferred.ts
// Loaded by main.ts once the inputs are valid, as ONE chunk: separate dynamic imports would each carry (and load)
// their own copy of the modules they share.







/***/ })

};
