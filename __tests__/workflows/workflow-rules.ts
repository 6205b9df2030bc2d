/**
 * Static rules for this repository's workflows (and the caller examples in the README): least-privilege
 * permissions on every job, third-party actions pinned by commit SHA, `with:` keys our actions declare, `needs`
 * outputs that exist, reusable-workflow callers passing every required input and secret, no `${{ }}` in `run:`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

type Dict = Record<string, unknown>;
export interface Workflow {
  on?: Dict | string | string[];
  permissions?: unknown;
  jobs: Record<string, Job>;
}
interface Job {
  'runs-on'?: unknown;
  uses?: string;
  with?: Dict;
  secrets?: Dict | 'inherit';
  needs?: string | string[];
  outputs?: Record<string, string>;
  permissions?: unknown;
  'timeout-minutes'?: number;
  steps?: Step[];
  if?: string;
  environment?: unknown;
}
interface Step {
  uses?: string;
  run?: string;
  with?: Dict;
  id?: string;
}

const OUR_ACTION = /^\.\/(?:\.pipeline\/)?actions\/([a-z-]+)$/;
const SHA_PINNED = /^[^@\s]+@[0-9a-f]{40}$/;

export function loadWorkflow(text: string): Workflow {
  return parse(text) as Workflow;
}

function asList(x: string | string[] | undefined): string[] {
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
}

function expressions(value: unknown): string[] {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  return [...text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map(m => m[1]!);
}

/** A job's outputs: its own `outputs:`, or for a job that calls a local reusable workflow, that workflow's. */
function definesOutput(
  job: Workflow['jobs'][string] | undefined,
  output: string,
  reusable: (path: string) => Workflow | undefined
): boolean {
  if (job?.outputs && output in job.outputs) return true;
  if (!job?.uses?.startsWith('./')) return false;
  const callee = reusable(job.uses);
  return callee !== undefined && output in (workflowCall(callee)?.outputs ?? {});
}

/** The `on.workflow_call` block of a workflow, if it is reusable. */
export function workflowCall(
  wf: Workflow
):
  { inputs: Record<string, Dict>; secrets: Record<string, Dict>; outputs: Record<string, Dict> } | undefined {
  const on = wf.on;
  if (!on || typeof on !== 'object' || Array.isArray(on) || !('workflow_call' in on)) return undefined;
  const call = (on.workflow_call ?? {}) as Dict;
  return {
    inputs: (call.inputs ?? {}) as Record<string, Dict>,
    secrets: (call.secrets ?? {}) as Record<string, Dict>,
    outputs: (call.outputs ?? {}) as Record<string, Dict>
  };
}

export function checkWorkflow(
  name: string,
  wf: Workflow,
  repoRoot: string,
  reusable: (path: string) => Workflow | undefined
): string[] {
  const problems: string[] = [];
  const say = (job: string, msg: string) => problems.push(`${name}: job '${job}': ${msg}`);
  for (const [jobName, job] of Object.entries(wf.jobs ?? {})) {
    if (job.permissions === undefined) say(jobName, 'has no permissions: block');
    if (job.steps && job['timeout-minutes'] === undefined) say(jobName, 'has no timeout-minutes');
    const needs = asList(job.needs);

    // needs.<job>.outputs.<name> must be defined by a job listed in needs
    for (const expr of expressions(job)) {
      for (const m of expr.matchAll(/needs\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
        const [, other, output] = m;
        if (!needs.includes(other!))
          say(jobName, `uses needs.${other}.outputs.${output} without needing '${other}'`);
        else if (!definesOutput(wf.jobs[other!], output!, reusable))
          say(jobName, `uses needs.${other}.outputs.${output}, which job '${other}' does not define`);
      }
    }

    if (job.uses) {
      if (job.uses.startsWith('./')) {
        const called = reusable(job.uses);
        const call = called && workflowCall(called);
        if (!call) say(jobName, `calls ${job.uses}, which is not a reusable workflow`);
        else {
          for (const [input, spec] of Object.entries(call.inputs))
            if (spec.required === true && spec.default === undefined && !(job.with && input in job.with))
              say(jobName, `does not pass required input '${input}' of ${job.uses}`);
          for (const key of Object.keys(job.with ?? {}))
            if (!(key in call.inputs)) say(jobName, `passes '${key}', which ${job.uses} does not declare`);
          if (job.secrets !== 'inherit') {
            for (const [secret, spec] of Object.entries(call.secrets))
              if (spec.required === true && !(job.secrets && secret in job.secrets))
                say(jobName, `does not pass required secret '${secret}' of ${job.uses}`);
            for (const secret of Object.keys(job.secrets ?? {}))
              if (!(secret in call.secrets))
                say(jobName, `passes secret '${secret}', which ${job.uses} does not declare`);
          }
        }
      } else if (!SHA_PINNED.test(job.uses)) say(jobName, `calls ${job.uses} without pinning a commit SHA`);
    }

    for (const [i, step] of (job.steps ?? []).entries()) {
      const where = `step ${step.id ?? i + 1}`;
      if (step.run !== undefined && /\$\{\{/.test(step.run))
        say(jobName, `${where}: interpolates \${{ }} into a run: script (pass it through env: instead)`);
      if (!step.uses) continue;
      const ours = OUR_ACTION.exec(step.uses);
      if (ours) {
        const file = join(repoRoot, 'actions', ours[1]!, 'action.yml');
        if (!existsSync(file)) {
          say(jobName, `${where}: ${step.uses} is not an action of this repository`);
          continue;
        }
        const declared = Object.keys((parse(readFileSync(file, 'utf8')) as { inputs?: Dict }).inputs ?? {});
        for (const key of Object.keys(step.with ?? {}))
          if (!declared.includes(key)) say(jobName, `${where}: '${key}' is not an input of ${ours[1]}`);
      } else if (
        !step.uses.startsWith('./') &&
        !step.uses.startsWith('docker://') &&
        !SHA_PINNED.test(step.uses)
      )
        say(jobName, `${where}: ${step.uses} is not pinned by a full commit SHA`);
    }
  }
  return problems;
}
