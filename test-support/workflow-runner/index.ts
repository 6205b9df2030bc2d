/**
 * A test harness that runs THIS suite's workflows the way GitHub runs them for a caller (not a general runner;
 * see README.md). GitHub's @actions/workflow-parser parses and converts every workflow, GitHub's
 * @actions/expressions evaluates every `${{ }}`; this file only schedules jobs and steps.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMapping } from '@actions/workflow-parser';
import type {
  Job,
  ReusableWorkflowJob,
  Step,
  WorkflowJob
} from '@actions/workflow-parser/model/workflow-template';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token';
import { inputEnvName, loadNodeAction } from './actions.js';
import {
  asString,
  evaluate,
  evaluateToken,
  truthy,
  type Contexts,
  type Json,
  type Status
} from './expressions.js';
import { Masks, newStepFiles, runStepProcess, type Cancellation } from './process-step.js';
import {
  checkout,
  setupNode,
  setupPython,
  startService,
  THIRD_PARTY,
  type RepositoryDefinition,
  type ServiceHandle
} from './stand-ins.js';
import { Unsupported } from './unsupported.js';
import { keyOf, loadWorkflow, rawGet, rawStep, type LoadedWorkflow } from './workflow.js';

export type { RepositoryDefinition } from './stand-ins.js';
export { Unsupported } from './unsupported.js';

export type Result = 'success' | 'failure' | 'cancelled' | 'skipped';
export type EventName = 'push' | 'schedule' | 'workflow_dispatch' | 'pull_request';

export interface EnvironmentDefinition {
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  /** Required reviewers: every job that names the environment waits for an approval (recorded, auto-approved). */
  requiredReviewers?: boolean;
}

export interface RunOptions {
  /** The caller workflow: path in the caller's repository and its text. */
  caller: { path: string; content: string };
  event: { name: EventName; inputs?: Record<string, string | boolean>; payload?: Record<string, Json> };
  /** owner/name of the caller's repository; must be in `repositories`. */
  repository: string;
  repositories: Record<string, RepositoryDefinition>;
  sha?: string;
  ref?: string;
  actor?: string;
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  environments?: Record<string, EnvironmentDefinition>;
  /** Tokens besides GITHUB_TOKEN and the repositories each can read (for checkout). */
  tokens?: Record<string, string[]>;
  /** Runner-machine environment added to every step (e.g. what a self-hosted runner would have set). */
  runnerEnv?: Record<string, string>;
  /**
   * Declared stand-ins for remote services that do not exist here (DigitalOcean's API, ghcr.io): a rewrite of a
   * local action's inputs before it starts and of its outputs after. Printed in the log whenever it changes a value.
   */
  rewrite?: {
    inputs?: (action: string, inputs: Record<string, string>) => Record<string, string>;
    outputs?: (action: string, outputs: Record<string, string>) => Record<string, string>;
  };
  /**
   * Cancels the run (as the Cancel button does) `afterMs` after a step of this name or id starts, or after it
   * prints a line matching `afterLine`.
   */
  cancel?: { job: string; step: string; afterMs?: number; afterLine?: RegExp };
  /**
   * The interpreter the setup-python stand-in puts on PATH as python/python3 (default: this machine's python3
   * as found on PATH). A scenario points it at a Python that has the packages PyPI would have given.
   */
  python?: string;
  /** How long a cancelled job may still run its steps before what runs is ended (GitHub: 5 minutes). */
  cancelTimeoutMs?: number;
  /** github.api_url / GITHUB_API_URL (default https://api.github.com): a local stand-in of GitHub's REST API. */
  githubApiUrl?: string;
  log?: (line: string) => void;
}

export interface StepReport {
  name: string;
  id: string;
  result: Result;
  ms: number;
  outputs: Record<string, string>;
  post?: boolean;
}

export interface JobReport {
  /** caller job id, then `caller/callee` for jobs of a called workflow. */
  id: string;
  result: Result;
  ms: number;
  startedAt: number;
  endedAt: number;
  outputs: Record<string, string>;
  steps: StepReport[];
  environment?: { name: string; url?: string };
  /** true when the job waited for a reviewer of its environment. */
  approval: boolean;
  permissions: Json;
  timeoutMinutes: number;
  runsOn: Json;
  concurrency?: string;
  summary: string;
  log: string[];
  workflowPath: string;
}

export interface RunReport {
  conclusion: Result;
  jobs: JobReport[];
  /** Outputs of the caller's called-workflow jobs: `<job>.<output>`. */
  outputs: Record<string, Record<string, string>>;
  concurrency: Record<string, string>;
  log: string[];
  error?: string;
}

const DEFAULT_TIMEOUT_MINUTES = 360;
/** GitHub's jobs.<id>.cancel-timeout-minutes default. */
const CANCEL_TIMEOUT_MS = 5 * 60_000;

class RunCancellation implements Cancellation {
  cancelled = false;
  private readonly listeners = new Set<() => void>();
  onCancel(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const l of [...this.listeners]) l();
  }
}

/** Runs the caller workflow for the event and returns what happened, job by job and step by step. */
export async function runWorkflow(opts: RunOptions): Promise<RunReport> {
  const runner = new WorkflowRun(opts);
  try {
    await runner.run();
  } catch (error) {
    runner.fail(error as Error);
  } finally {
    runner.cleanup();
  }
  return runner.report();
}

interface Scope {
  wf: LoadedWorkflow;
  /** owner/name the workflow file belongs to (job.workflow_repository). */
  repository: string;
  sha: string;
  inputs: Record<string, Json>;
  secrets: Record<string, string>;
  /** true inside a called workflow: secrets are only what the caller passed. */
  called: boolean;
  prefix: string;
}

class WorkflowRun {
  private readonly masks = new Masks();
  private readonly cancellation = new RunCancellation();
  private readonly jobs: JobReport[] = [];
  private readonly lines: string[] = [];
  private readonly work = mkdtempSync(join(tmpdir(), 'workflow-runner-'));
  private readonly githubToken = `ghs_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  private readonly outputs: Record<string, Record<string, string>> = {};
  private readonly concurrency: Record<string, string> = {};
  private error?: string;
  private readonly sha: string;
  private readonly eventPath: string;

  constructor(private readonly opts: RunOptions) {
    const repo = opts.repositories[opts.repository];
    if (!repo) throw new Error(`repository ${opts.repository} is not defined`);
    this.sha = opts.sha ?? repo.sha;
    this.eventPath = join(this.work, 'event.json');
    writeFileSync(this.eventPath, JSON.stringify(this.eventPayload()));
    this.masks.add(this.githubToken);
    for (const v of Object.values(opts.secrets ?? {})) this.masks.add(v);
    for (const env of Object.values(opts.environments ?? {}))
      for (const v of Object.values(env.secrets ?? {})) this.masks.add(v);
  }

  private log(line: string): void {
    this.lines.push(line);
    this.opts.log?.(line);
  }

  private eventPayload(): Record<string, Json> {
    const repository = { full_name: this.opts.repository, default_branch: 'main' };
    const base: Record<string, Json> = { repository, ...(this.opts.event.payload ?? {}) };
    if (this.opts.event.name === 'workflow_dispatch')
      base.inputs = Object.fromEntries(
        Object.entries(this.opts.event.inputs ?? {}).map(([k, v]) => [k, String(v)])
      );
    if (this.opts.event.name === 'push') base.after = this.sha;
    return base;
  }

  private github(): Record<string, Json> {
    const ref = this.opts.ref ?? 'refs/heads/main';
    const [owner] = this.opts.repository.split('/');
    return {
      event_name: this.opts.event.name,
      event: this.eventPayload(),
      sha: this.sha,
      ref,
      ref_name: ref.replace(/^refs\/(heads|tags)\//, ''),
      ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      repository: this.opts.repository,
      repository_owner: owner!,
      actor: this.opts.actor ?? 'octocat',
      triggering_actor: this.opts.actor ?? 'octocat',
      workflow: this.opts.caller.path,
      run_id: '1000001',
      run_number: '1',
      run_attempt: '1',
      server_url: 'https://github.com',
      api_url: this.opts.githubApiUrl ?? 'https://api.github.com',
      token: this.githubToken,
      job: '',
      action: ''
    };
  }

  async run(): Promise<void> {
    const wf = await loadWorkflow(this.opts.caller.path, this.opts.caller.content);
    const events = wf.template.events;
    if (!(this.opts.event.name in events))
      throw new Error(
        `${wf.path} does not run on ${this.opts.event.name} (on: ${Object.keys(events).join(', ')})`
      );
    const inputs = this.topLevelInputs(wf);
    const secrets = { ...(this.opts.secrets ?? {}), GITHUB_TOKEN: this.githubToken };
    const scope: Scope = {
      wf,
      repository: this.opts.repository,
      sha: this.sha,
      inputs,
      secrets,
      called: false,
      prefix: ''
    };
    this.recordConcurrency('', wf, this.contexts(scope, {}));
    const results = await this.runJobs(scope);
    for (const [id, r] of results) if (r.outputs) this.outputs[id] = r.outputs;
  }

  /** workflow_dispatch inputs typed as declared (booleans stay booleans); schedule/push have none (null). */
  private topLevelInputs(wf: LoadedWorkflow): Record<string, Json> {
    if (this.opts.event.name !== 'workflow_dispatch') return {};
    const declared = wf.template.events.workflow_dispatch?.inputs ?? {};
    const given = this.opts.event.inputs ?? {};
    for (const k of Object.keys(given))
      if (!(k in declared)) throw new Error(`Unexpected inputs provided: ["${k}"] (workflow_dispatch)`);
    const out: Record<string, Json> = {};
    for (const [name, def] of Object.entries(declared)) {
      const raw = given[name] ?? def.default ?? (def.type === 'boolean' ? false : '');
      if (def.required && (given[name] === undefined || given[name] === '') && def.default === undefined)
        throw new Error(`Required input '${name}' not provided (workflow_dispatch)`);
      if (def.type === 'boolean') out[name] = raw === true || raw === 'true';
      else if (def.type === 'choice' && def.options && !def.options.includes(String(raw)))
        throw new Error(`input ${name}: '${raw}' is not one of ${def.options.join(', ')}`);
      else out[name] = String(raw);
    }
    return out;
  }

  private contexts(scope: Scope, extra: Contexts): Contexts {
    return {
      github: this.github(),
      inputs: scope.inputs,
      vars: { ...(this.opts.vars ?? {}) },
      secrets: scope.secrets,
      env: {},
      ...extra
    };
  }

  private recordConcurrency(prefix: string, wf: LoadedWorkflow, ctx: Contexts): void {
    const token = rawGet(wf.raw, 'concurrency');
    if (!token) return;
    const value = evaluateToken(token, ctx);
    const group =
      typeof value === 'string' ? value : asString((value as Record<string, Json>)?.group ?? null);
    this.concurrency[prefix || wf.path] = group;
  }

  /** Jobs in `needs` order; returns each job's result and outputs. */
  private async runJobs(
    scope: Scope
  ): Promise<Map<string, { result: Result; outputs: Record<string, string> }>> {
    const done = new Map<string, { result: Result; outputs: Record<string, string> }>();
    const pending = [...scope.wf.template.jobs];
    while (pending.length) {
      const i = pending.findIndex(j => (j.needs ?? []).every(n => done.has(n.value)));
      if (i < 0)
        throw new Error(
          `${scope.wf.path}: jobs ${pending.map(j => j.id.value).join(', ')} wait on each other`
        );
      const job = pending.splice(i, 1)[0]!;
      done.set(job.id.value, await this.runJob(scope, job, done));
    }
    return done;
  }

  private needsContext(
    job: WorkflowJob,
    done: Map<string, { result: Result; outputs: Record<string, string> }>
  ) {
    const needs: Record<string, Json> = {};
    for (const n of job.needs ?? []) {
      const d = done.get(n.value)!;
      needs[n.value] = { result: d.result, outputs: d.outputs };
    }
    return needs;
  }

  private async runJob(
    scope: Scope,
    job: WorkflowJob,
    done: Map<string, { result: Result; outputs: Record<string, string> }>
  ): Promise<{ result: Result; outputs: Record<string, string> }> {
    const id = `${scope.prefix}${job.id.value}`;
    const needs = this.needsContext(job, done);
    const needResults = (job.needs ?? []).map(n => done.get(n.value)!.result);
    const status: Status = {
      failed: needResults.some(r => r === 'failure' || r === 'cancelled'),
      cancelled: this.cancellation.cancelled,
      needSkipped: needResults.includes('skipped')
    };
    // A job whose needs did not all succeed runs only when its condition says so (GitHub's job-level rule).
    const ctx = this.contexts(scope, { needs });
    const ifValue = truthy(evaluate(job.if.expression, ctx, status));
    const needsOk = needResults.every(r => r === 'success' || r === 'skipped');
    if (!ifValue || (this.cancellation.cancelled && !/\b(always|cancelled)\(\)/.test(job.if.expression))) {
      this.log(`== job ${id}: skipped (if: ${job.if.expression})`);
      this.jobs.push(this.emptyReport(id, scope, 'skipped'));
      return { result: 'skipped', outputs: {} };
    }
    void needsOk;
    return job.type === 'reusableWorkflowJob'
      ? this.runCalledWorkflow(scope, job as ReusableWorkflowJob, ctx)
      : this.runSteps(scope, job as Job, ctx, id);
  }

  private emptyReport(id: string, scope: Scope, result: Result): JobReport {
    const now = Date.now();
    return {
      id,
      result,
      ms: 0,
      startedAt: now,
      endedAt: now,
      outputs: {},
      steps: [],
      approval: false,
      permissions: null,
      timeoutMinutes: 0,
      runsOn: null,
      summary: '',
      log: [],
      workflowPath: scope.wf.path
    };
  }

  /** `uses: owner/repo/.github/workflows/x.yml@ref` or `./.github/workflows/x.yml`, with its inputs and secrets. */
  private async runCalledWorkflow(
    scope: Scope,
    job: ReusableWorkflowJob,
    ctx: Contexts
  ): Promise<{ result: Result; outputs: Record<string, string> }> {
    const ref = job.ref.value;
    let repository = scope.repository;
    let path: string;
    let sha = scope.sha;
    const remote = /^([^/]+\/[^/]+)\/(\.github\/workflows\/[^@]+)@(.+)$/.exec(ref);
    if (remote) {
      repository = remote[1]!;
      path = remote[2]!;
      const repo = this.opts.repositories[repository];
      if (!repo) throw new Error(`${scope.wf.path}: ${ref}: repository ${repository} not found`);
      // Every ref of the pipeline repository resolves to the files at hand (the commit under test).
      sha = repo.sha;
    } else if (ref.startsWith('./')) path = ref.slice(2);
    else throw new Unsupported(`uses: ${ref}`);
    const repo = this.opts.repositories[repository]!;
    const wf = await loadWorkflow(path, readFileSync(join(repo.dir, path), 'utf8'));
    const call = wf.template.events.workflow_call;
    if (!call) throw new Error(`${path} has no on.workflow_call: it cannot be called`);
    const raw = scope.wf.rawJobs.get(job.id.value)!;
    const withValues = (evaluateToken(rawGet(raw, 'with'), ctx) ?? {}) as Record<string, Json>;
    const inputs: Record<string, Json> = {};
    for (const k of Object.keys(withValues))
      if (!(k in (call.inputs ?? {})))
        throw new Error(`${path}: Invalid input, ${k} is not defined in the referenced workflow.`);
    for (const [name, def] of Object.entries(call.inputs ?? {})) {
      let value: Json | undefined = withValues[name];
      if (value === undefined) {
        if (def.required)
          throw new Error(`${path}: Input ${name} is required, but not provided while calling.`);
        // The converter keeps string and boolean defaults only; a number default is read from the parsed tokens.
        const rawInputs = rawGet(
          rawGet(rawGet(wf.raw, 'on') as MappingToken, 'workflow_call') as MappingToken,
          'inputs'
        );
        const rawDef = rawInputs && isMapping(rawInputs) ? rawInputs.find(name) : undefined;
        const rawDefault = rawDef && isMapping(rawDef) ? rawDef.find('default') : undefined;
        const d = (def.default as unknown) ?? (rawDefault ? evaluateToken(rawDefault, ctx) : undefined);
        value =
          d === undefined
            ? def.type === 'boolean'
              ? false
              : (def.type as string) === 'number'
                ? 0
                : ''
            : typeof d === 'object' && d !== null
              ? evaluateToken(d as Parameters<typeof evaluateToken>[0], ctx)
              : (d as Json);
      }
      // workflow_call inputs are typed: a boolean input gets a boolean, a number input a number.
      if (def.type === 'boolean' && typeof value !== 'boolean') {
        if (value === 'true' || value === 'false') value = value === 'true';
        else throw new Error(`${path}: input ${name}: expected a boolean, got '${asString(value)}'`);
      }
      if ((def.type as string) === 'number' && typeof value !== 'number') {
        if (value !== '' && !Number.isNaN(Number(value))) value = Number(value);
        else throw new Error(`${path}: input ${name}: expected a number, got '${asString(value)}'`);
      }
      if (def.type === 'string' && typeof value !== 'string') value = asString(value);
      inputs[name] = value;
    }
    const secrets: Record<string, string> = { GITHUB_TOKEN: this.githubToken };
    if (job['inherit-secrets']) Object.assign(secrets, scope.secrets);
    else {
      const passed = (evaluateToken(rawGet(raw, 'secrets'), ctx) ?? {}) as Record<string, Json>;
      for (const [k, v] of Object.entries(passed)) {
        if (!(k in (call.secrets ?? {})))
          throw new Error(`${path}: Invalid secret, ${k} is not defined in the referenced workflow.`);
        secrets[k] = asString(v);
      }
    }
    for (const [name, def] of Object.entries(call.secrets ?? {}))
      if (def.required && !(name in secrets))
        throw new Error(`${path}: Secret ${name} is required, but not provided while calling.`);
    const callee: Scope = {
      wf,
      repository,
      sha,
      inputs,
      secrets,
      called: true,
      prefix: `${scope.prefix}${job.id.value}/`
    };
    this.recordConcurrency(callee.prefix.slice(0, -1), wf, this.contexts(callee, {}));
    const results = await this.runJobs(callee);
    const jobsCtx: Record<string, Json> = {};
    for (const [k, v] of results) jobsCtx[k] = { result: v.result, outputs: v.outputs };
    const outputs: Record<string, string> = {};
    const outputDefs = rawGet(
      rawGet(rawGet(wf.raw, 'on') as MappingToken, 'workflow_call') as MappingToken,
      'outputs'
    );
    if (outputDefs && isMapping(outputDefs))
      for (const pair of outputDefs) {
        const name = keyOf(pair.key);
        const value = isMapping(pair.value) ? pair.value.find('value') : undefined;
        outputs[name] = asString(evaluateToken(value, this.contexts(callee, { jobs: jobsCtx })));
      }
    const all = [...results.values()].map(r => r.result);
    const result: Result = all.includes('failure')
      ? 'failure'
      : all.includes('cancelled') || this.cancellation.cancelled
        ? 'cancelled'
        : 'success';
    this.log(`== called workflow ${path} (${job.id.value}): ${result}`);
    return { result, outputs };
  }

  private runnerEnv(): Record<string, string> {
    const keep =
      /^(PATH|HOME|USER|LOGNAME|LANG|LC_\w+|TZ|TMPDIR|XDG_\w+|CONTAINERS_\w+|BUILDAH_\w+|STORAGE_\w+|BUNDLE_NODE)$/;
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (keep.test(k) && v !== undefined) env[k] = v;
    return { ...env, ...(this.opts.runnerEnv ?? {}) };
  }

  private async runSteps(
    scope: Scope,
    job: Job,
    baseCtx: Contexts,
    id: string
  ): Promise<{ result: Result; outputs: Record<string, string> }> {
    const startedAt = Date.now();
    const raw = scope.wf.rawJobs.get(job.id.value)!;
    const jobLog: string[] = [];
    let cancelOnLine: RegExp | undefined;
    const log = (line: string) => {
      jobLog.push(this.masks.apply(line));
      this.log(`  [${id}] ${this.masks.apply(line)}`);
      if (cancelOnLine?.test(line)) {
        cancelOnLine = undefined;
        this.cancelByTest(log, `after the line '${line.slice(0, 80)}'`);
      }
    };
    const timeoutMinutes = Number(
      evaluateToken(rawGet(raw, 'timeout-minutes'), baseCtx) ?? DEFAULT_TIMEOUT_MINUTES
    );
    const permissions =
      evaluateToken(rawGet(raw, 'permissions'), baseCtx) ??
      evaluateToken(rawGet(scope.wf.raw, 'permissions'), baseCtx);
    const runsOn = evaluateToken(job['runs-on'], baseCtx);
    if (
      runsOn !== 'ubuntu-24.04' &&
      runsOn !== 'ubuntu-latest' &&
      !(Array.isArray(runsOn) && runsOn.includes('self-hosted'))
    )
      log(`runs-on ${JSON.stringify(runsOn)}: this harness runs every job on the local machine`);
    // environment: its secrets and vars join the job's contexts; reviewers are asked once per job that names it.
    // The name is known when the job starts; the url is evaluated when it ends (it may read steps outputs).
    const envToken = job.environment;
    const envUrlToken = envToken && isMapping(envToken) ? envToken.find('url') : undefined;
    const envName = asString(
      envToken && isMapping(envToken)
        ? evaluateToken(envToken.find('name'), baseCtx)
        : evaluateToken(envToken, baseCtx)
    );
    const environment = envName ? (this.opts.environments?.[envName] ?? {}) : undefined;
    const secrets = { ...(baseCtx.secrets as Record<string, string>) };
    if (environment) {
      for (const [k, v] of Object.entries(environment.secrets ?? {}))
        // In a called workflow the environment replaces secrets the caller passed, and adds none of its own.
        if (!scope.called || k in secrets) secrets[k] = v;
    }
    const vars = { ...(baseCtx.vars as Record<string, string>), ...(environment?.vars ?? {}) };
    const approval = !!environment?.requiredReviewers;
    if (approval) log(`waiting for a reviewer of environment '${envName}' (approved)`);
    const workspace = join(this.work, id.replace(/\//g, '__'), 'workspace');
    const temp = join(this.work, id.replace(/\//g, '__'), 'temp');
    mkdirSync(workspace, { recursive: true });
    mkdirSync(temp, { recursive: true });
    const services: Record<string, ServiceHandle> = {};
    const report: JobReport = {
      ...this.emptyReport(id, scope, 'success'),
      startedAt,
      environment: envName ? { name: envName } : undefined,
      approval,
      permissions,
      timeoutMinutes,
      runsOn,
      log: jobLog
    };
    this.jobs.push(report);
    const jobTimer = setTimeout(() => {
      log(
        `::error::The job running on runner has exceeded the maximum execution time of ${timeoutMinutes} minutes.`
      );
      timedOut = true;
      jobCancel.cancel();
    }, timeoutMinutes * 60_000);
    let timedOut = false;
    // The job's own cancellation follows the run's and its timeout.
    const jobCancel = new RunCancellation();
    // After the cancellation the job still runs what its conditions allow, up to the cancel timeout; then what
    // still runs is ended.
    const hardCancel = new RunCancellation();
    let hardTimer: NodeJS.Timeout | undefined;
    const offHard = jobCancel.onCancel(() => {
      hardTimer = setTimeout(() => hardCancel.cancel(), this.opts.cancelTimeoutMs ?? CANCEL_TIMEOUT_MS);
    });
    const offRun = this.cancellation.onCancel(() => jobCancel.cancel());
    if (this.cancellation.cancelled) jobCancel.cancel();
    const stepsCtx: Record<string, Json> = {};
    let failed = false;
    const jobEnv: Record<string, string> = {};
    const addedPath: string[] = [];
    const posts: (() => Promise<void>)[] = [];
    const workflowRef = `${scope.repository}/${scope.wf.path}@refs/heads/main`;
    const jobCtx = (): Json => ({
      status: failed ? 'failure' : jobCancel.cancelled ? 'cancelled' : 'success',
      workflow_repository: scope.repository,
      workflow_sha: scope.sha,
      workflow_ref: workflowRef,
      workflow_file_path: scope.wf.path,
      services: Object.fromEntries(Object.entries(services).map(([k, s]) => [k, { ports: s.ports }]))
    });
    const ctx = (): Contexts => ({
      ...baseCtx,
      secrets,
      vars,
      job: jobCtx(),
      steps: stepsCtx,
      runner: {
        os: 'Linux',
        arch: 'X64',
        name: 'workflow-runner',
        temp,
        tool_cache: join(this.work, 'toolcache')
      },
      env: { ...workflowEnv, ...jobEnvDecl, ...jobEnv }
    });
    const workflowEnv = (evaluateToken(rawGet(scope.wf.raw, 'env'), baseCtx) ?? {}) as Record<string, Json>;
    let jobEnvDecl: Record<string, Json> = {};
    let n = 0;
    try {
      jobEnvDecl = (evaluateToken(job.env, { ...baseCtx, secrets, vars, job: jobCtx() }) ?? {}) as Record<
        string,
        Json
      >;
      const servicesValue = (evaluateToken(job.services, { ...baseCtx, vars, job: jobCtx() }) ??
        {}) as Record<string, Record<string, Json>>;
      for (const [sid, spec] of Object.entries(servicesValue))
        services[sid] = await startService(sid, spec as never, log);
      for (const [index, step] of job.steps.entries()) {
        const rawS = rawStep(scope.wf, job.id.value, index);
        const name = asString(evaluateToken(step.name, ctx()) ?? null) || defaultStepName(step);
        const status: Status = { failed, cancelled: jobCancel.cancelled };
        const cond = (step as { if?: { expression: string } }).if?.expression ?? 'success()';
        const stepId = step.id;
        const run = truthy(evaluate(cond, ctx(), status));
        if (!run) {
          log(`- ${name}: skipped`);
          report.steps.push({ name, id: stepId, result: 'skipped', ms: 0, outputs: {} });
          stepsCtx[stepId] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
          continue;
        }
        if (hardCancel.cancelled) {
          log(`- ${name}: cancelled (the cancel timeout has passed)`);
          report.steps.push({ name, id: stepId, result: 'cancelled', ms: 0, outputs: {} });
          stepsCtx[stepId] = { outputs: {}, outcome: 'cancelled', conclusion: 'cancelled' };
          continue;
        }
        // GitHub's StepsRunner: a step started before the cancellation is cancelled when its condition, evaluated
        // again, is false; one started after it is not cancelled (the cancel timeout still ends it).
        const stepCancel = new RunCancellation();
        const offStep = [
          hardCancel.onCancel(() => stepCancel.cancel()),
          jobCancel.cancelled
            ? () => undefined
            : jobCancel.onCancel(() => {
                let keep = false;
                try {
                  keep = truthy(evaluate(cond, ctx(), { failed, cancelled: true }));
                } catch {
                  // GitHub cancels the step when its condition cannot be evaluated again
                }
                if (!keep) stepCancel.cancel();
              })
        ];
        const t0 = Date.now();
        if (
          this.opts.cancel &&
          this.opts.cancel.job === id &&
          (this.opts.cancel.step === name || this.opts.cancel.step === stepId)
        ) {
          const { afterMs, afterLine } = this.opts.cancel;
          if (afterLine) cancelOnLine = afterLine;
          else setTimeout(() => this.cancelByTest(log, `${afterMs ?? 0} ms into '${name}'`), afterMs ?? 0);
        }
        const c = ctx();
        const stepEnv = Object.fromEntries(
          Object.entries((evaluateToken(rawGet(rawS, 'env'), c) ?? {}) as Record<string, Json>).map(
            ([k, v]) => [k, asString(v)]
          )
        );
        const env: Record<string, string> = {
          ...this.runnerEnv(),
          ...this.githubEnv(scope, id, workspace, temp),
          ...Object.fromEntries(
            Object.entries(c.env as Record<string, Json>).map(([k, v]) => [k, asString(v)])
          ),
          ...stepEnv
        };
        if (addedPath.length) env.PATH = [...addedPath].reverse().join(':') + ':' + (env.PATH ?? '');
        const files = newStepFiles(temp, ++n);
        let code: number;
        let out: Awaited<ReturnType<typeof runStepProcess>> | undefined;
        const withValues = Object.fromEntries(
          Object.entries((evaluateToken(rawGet(rawS, 'with'), c) ?? {}) as Record<string, Json>).map(
            ([k, v]) => [k, asString(v)]
          )
        );
        if ('run' in step) {
          const shell = asString(evaluateToken(rawGet(rawS, 'shell'), c) ?? 'bash');
          if (shell !== 'bash') throw new Unsupported(`shell: ${shell}`);
          const script = join(temp, `step-${n}.sh`);
          writeFileSync(script, asString(evaluateToken(step.run, c)));
          const wd = asString(evaluateToken(rawGet(rawS, 'working-directory'), c) ?? null);
          out = await runStepProcess({
            command: 'bash',
            args: ['--noprofile', '--norc', '-eo', 'pipefail', script],
            cwd: wd ? join(workspace, wd) : workspace,
            env,
            files,
            masks: this.masks,
            log,
            cancellation: stepCancel
          });
          code = out.code;
        } else {
          const uses = asString((step as { uses: { value: string } }).uses.value);
          const third = /^([^/.][^/]*\/[^/@]+)@(.+)$/.exec(uses);
          if (third) {
            if (!THIRD_PARTY.has(third[1]!)) throw new Unsupported(`uses: ${uses} (no stand-in declared)`);
            if (!/^[0-9a-f]{40}$/.test(third[2]!))
              throw new Error(`${uses}: third-party actions are pinned by commit SHA here`);
            const contentsRead = canReadContents(permissions);
            code =
              third[1] === 'actions/checkout'
                ? checkout(
                    withValues,
                    {
                      repositories: this.opts.repositories,
                      callerRepository: this.opts.repository,
                      githubToken: this.githubToken,
                      tokens: this.opts.tokens ?? {},
                      workspace,
                      log
                    },
                    contentsRead
                  )
                : third[1] === 'actions/setup-python'
                  ? setupPython(withValues, log, join(this.work, 'python'), this.opts.python, addedPath)
                  : setupNode(withValues, log);
          } else if (uses.startsWith('./')) {
            const action = loadNodeAction(join(workspace, uses));
            if (typeof action === 'string') {
              log(`::error::${action}`);
              code = 1;
            } else {
              const actionName = uses.split('/').pop()!;
              const defined = new Set((action.template.inputs ?? []).map(i => i.id));
              for (const k of Object.keys(withValues))
                if (!defined.has(k))
                  log(`##[warning]Unexpected input(s) '${k}', valid inputs are [${[...defined].join(', ')}]`);
              let inputs: Record<string, string> = {};
              for (const def of action.template.inputs ?? [])
                inputs[def.id] = withValues[def.id] ?? asString(evaluateToken(def.default, c) ?? null);
              for (const [k, v] of Object.entries(withValues)) inputs[k] ??= v;
              if (this.opts.rewrite?.inputs)
                inputs = this.rewrite(log, 'inputs', actionName, inputs, this.opts.rewrite.inputs);
              const inputEnv = Object.fromEntries(
                Object.entries(inputs).map(([k, v]) => [inputEnvName(k), v])
              );
              const node = process.env.BUNDLE_NODE || process.execPath;
              out = await runStepProcess({
                command: node,
                args: [action.main],
                cwd: workspace,
                env: { ...env, ...inputEnv, GITHUB_ACTION_PATH: action.dir, GITHUB_ACTION: stepId },
                files,
                masks: this.masks,
                log,
                cancellation: stepCancel
              });
              code = out.code;
              if (this.opts.rewrite?.outputs)
                out.outputs = this.rewrite(
                  log,
                  'outputs',
                  actionName,
                  out.outputs,
                  this.opts.rewrite.outputs
                );
              if (action.post) {
                const state = out.state;
                const postMain = action.post;
                const postIf = action.postIf;
                const postEnv = { ...env, ...inputEnv };
                posts.unshift(async () => {
                  const st: Status = { failed, cancelled: jobCancel.cancelled };
                  if (!truthy(evaluate(postIf, ctx(), st))) return;
                  const t = Date.now();
                  const r = await runStepProcess({
                    command: node,
                    args: [postMain],
                    cwd: workspace,
                    env: {
                      ...postEnv,
                      ...Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]))
                    },
                    files: newStepFiles(temp, ++n),
                    masks: this.masks,
                    log,
                    cancellation: new RunCancellation()
                  });
                  const result: Result = r.code === 0 ? 'success' : 'failure';
                  if (result === 'failure') failed = true;
                  report.steps.push({
                    name: `Post ${name}`,
                    id: stepId,
                    result,
                    ms: Date.now() - t,
                    outputs: {},
                    post: true
                  });
                  log(`- Post ${name}: ${result}`);
                });
              }
            }
          } else throw new Unsupported(`uses: ${uses}`);
        }
        offStep.forEach(off => off());
        if (out) {
          Object.assign(jobEnv, out.env);
          addedPath.push(...out.path);
          if (out.summary) report.summary += out.summary;
        }
        const result: Result = code === 0 ? 'success' : stepCancel.cancelled ? 'cancelled' : 'failure';
        if (result !== 'success') failed = failed || result === 'failure' || !jobCancel.cancelled;
        const outputs = out?.outputs ?? {};
        stepsCtx[stepId] = { outputs, outcome: result, conclusion: result };
        const ms = Date.now() - t0;
        report.steps.push({ name, id: stepId, result, ms, outputs });
        log(
          `- ${name}: ${result} (${(ms / 1000).toFixed(1)}s)${Object.keys(outputs).length ? ` outputs ${JSON.stringify(outputs)}` : ''}`
        );
      }
      for (const post of posts) await post();
    } catch (error) {
      failed = true;
      log(`::error::${(error as Error).message}`);
      if (error instanceof Unsupported) throw error;
    } finally {
      clearTimeout(jobTimer);
      clearTimeout(hardTimer);
      offRun();
      offHard();
      for (const s of Object.values(services)) await s.stop().catch(() => undefined);
    }
    const result: Result = timedOut
      ? 'failure'
      : failed
        ? 'failure'
        : jobCancel.cancelled
          ? 'cancelled'
          : 'success';
    const outCtx = ctx();
    const outputs: Record<string, string> = {};
    const outTok = evaluateToken(job.outputs, outCtx);
    for (const [k, v] of Object.entries((outTok ?? {}) as Record<string, Json>)) outputs[k] = asString(v);
    if (envUrlToken)
      report.environment = { name: envName, url: asString(evaluateToken(envUrlToken, outCtx)) || undefined };
    Object.assign(report, { result, outputs, endedAt: Date.now(), ms: Date.now() - startedAt });
    this.log(
      `== job ${id}: ${result} (${((Date.now() - startedAt) / 1000).toFixed(1)}s)${Object.keys(outputs).length ? ` outputs ${JSON.stringify(outputs)}` : ''}`
    );
    return { result, outputs };
  }

  private cancelByTest(log: (line: string) => void, when: string): void {
    log(`The run was cancelled (by the test, ${when})`);
    this.cancellation.cancel();
  }

  private rewrite(
    log: (l: string) => void,
    kind: string,
    action: string,
    values: Record<string, string>,
    fn: (action: string, values: Record<string, string>) => Record<string, string>
  ): Record<string, string> {
    const next = fn(action, { ...values });
    for (const [k, v] of Object.entries(next))
      if (values[k] !== v)
        log(
          `stand-in: ${action} ${kind === 'inputs' ? 'input' : 'output'} ${k}: ${this.masks.apply(values[k] ?? '')} -> ${this.masks.apply(v)}`
        );
    return next;
  }

  private githubEnv(scope: Scope, jobId: string, workspace: string, temp: string): Record<string, string> {
    const g = this.github();
    return {
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_EVENT_NAME: String(g.event_name),
      GITHUB_EVENT_PATH: this.eventPath,
      GITHUB_SHA: String(g.sha),
      GITHUB_REF: String(g.ref),
      GITHUB_REF_NAME: String(g.ref_name),
      GITHUB_REF_TYPE: String(g.ref_type),
      GITHUB_REPOSITORY: String(g.repository),
      GITHUB_REPOSITORY_OWNER: String(g.repository_owner),
      GITHUB_ACTOR: String(g.actor),
      GITHUB_WORKFLOW: String(g.workflow),
      GITHUB_JOB: jobId.split('/').pop()!,
      GITHUB_RUN_ID: String(g.run_id),
      GITHUB_RUN_NUMBER: String(g.run_number),
      GITHUB_RUN_ATTEMPT: String(g.run_attempt),
      GITHUB_SERVER_URL: String(g.server_url),
      GITHUB_API_URL: String(g.api_url),
      GITHUB_WORKFLOW_REF: `${scope.repository}/${scope.wf.path}@refs/heads/main`,
      GITHUB_WORKFLOW_SHA: scope.sha,
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_TEMP: temp,
      RUNNER_TOOL_CACHE: join(this.work, 'toolcache')
    };
  }

  fail(error: Error): void {
    this.error = error.message;
    this.log(`::error::workflow-runner: ${error.message}`);
  }

  cleanup(): void {
    rmSync(this.work, { recursive: true, force: true });
  }

  report(): RunReport {
    const results = this.jobs.map(j => j.result);
    const conclusion: Result = this.error
      ? 'failure'
      : results.includes('failure')
        ? 'failure'
        : this.cancellation.cancelled
          ? 'cancelled'
          : 'success';
    this.log(`== run ${conclusion}${this.error ? `: ${this.error}` : ''}`);
    return {
      conclusion,
      jobs: this.jobs,
      outputs: this.outputs,
      concurrency: this.concurrency,
      log: this.lines,
      error: this.error
    };
  }
}

function defaultStepName(step: Step): string {
  if ('run' in step) {
    const run = step.run as { source?: string; toString(): string };
    return `Run ${(run.source ?? run.toString()).split('\n')[0]}`;
  }
  if ('uses' in step) return `Run ${(step as { uses: { value: string } }).uses.value}`;
  return step.id;
}

function canReadContents(permissions: Json): boolean {
  if (permissions === null) return true; // the repository's default token permissions
  if (permissions === 'read-all' || permissions === 'write-all') return true;
  if (typeof permissions !== 'object' || Array.isArray(permissions)) return false;
  const c = (permissions as Record<string, Json>).contents;
  return c === 'read' || c === 'write';
}
