// The deployment progress tree, with the step names and message bases DigitalOcean shows
// (apps.json example: build{initialize, components{<c>}}, deploy{initialize, components{<c>{deploy, wait}}, finalize}).
import type { Step, StepReason, StepStatus } from './types.js';

/** DigitalOcean's "unset" timestamp for steps that have not started or ended. */
export const UNSET_TIME = '0001-01-01T00:00:00Z';

export interface ComponentRef {
  name: string;
  /** services, workers, jobs, static_sites */
  kind: 'service' | 'worker' | 'job' | 'static_site';
  /** For jobs: PRE_DEPLOY, POST_DEPLOY, ... */
  jobKind?: string;
}

const step = (name: string, extra: Partial<Step> = {}): Step => ({
  name,
  status: 'PENDING',
  started_at: UNSET_TIME,
  ended_at: UNSET_TIME,
  ...extra
});

const noun: Record<ComponentRef['kind'], string> = {
  service: 'service',
  worker: 'worker',
  job: 'job',
  static_site: 'static site'
};

export function buildStepTree(components: ComponentRef[]): Step[] {
  const build = step('build', {
    steps: [
      step('initialize'),
      step('components', {
        steps: components.map(c =>
          step(c.name, { component_name: c.name, message_base: `Building ${noun[c.kind]}` })
        )
      })
    ]
  });
  // PRE_DEPLOY jobs run before the new version is started (a failing one fails the deployment); services
  // and workers are deployed and waited for. Other job kinds are built but not run (README: differences).
  const preDeploy = components.filter(c => c.kind === 'job' && c.jobKind === 'PRE_DEPLOY');
  const running = components.filter(c => c.kind === 'service' || c.kind === 'worker');
  const deploy = step('deploy', {
    steps: [
      step('initialize'),
      step('components', {
        steps: [
          ...preDeploy.map(c =>
            step(c.name, {
              component_name: c.name,
              steps: [step('run', { component_name: c.name, message_base: 'Running pre-deploy job' })]
            })
          ),
          ...running.map(c =>
            step(c.name, {
              component_name: c.name,
              steps: [
                step('deploy', { component_name: c.name, message_base: `Deploying ${noun[c.kind]}` }),
                step('wait', { component_name: c.name, message_base: `Waiting for ${noun[c.kind]}` })
              ]
            })
          )
        ]
      }),
      step('finalize')
    ]
  });
  return [build, deploy];
}

export interface Leaf {
  /** Dotted path, e.g. `deploy.components.web.wait`. */
  path: string;
  step: Step;
  /** Ancestors from the root, for status roll-up. */
  parents: Step[];
}

/** Leaves in execution order: the units DigitalOcean counts in total_steps. */
export function leaves(steps: Step[], prefix = '', parents: Step[] = []): Leaf[] {
  const out: Leaf[] = [];
  for (const s of steps) {
    const path = prefix ? `${prefix}.${s.name}` : s.name;
    if (s.steps && s.steps.length > 0) out.push(...leaves(s.steps, path, [...parents, s]));
    else out.push({ path, step: s, parents });
  }
  return out;
}

/** `wait` matches `deploy.components.web.wait`; `build` matches the first leaf under `build`. */
export function leafMatches(path: string, wanted: string): boolean {
  return path === wanted || path.endsWith(`.${wanted}`) || path.startsWith(`${wanted}.`);
}

export function findLeaf(steps: Step[], path: string): Leaf | undefined {
  return leaves(steps).find(l => l.path === path);
}

/** Marks a leaf and rolls the status up through its parents (RUNNING/ERROR propagate, SUCCESS when all done). */
export function setLeafStatus(leaf: Leaf, status: StepStatus, now: string, reason?: StepReason): void {
  const s = leaf.step;
  if (status === 'RUNNING' && s.started_at === UNSET_TIME) s.started_at = now;
  if (status === 'SUCCESS' || status === 'ERROR') {
    if (s.started_at === UNSET_TIME) s.started_at = now;
    s.ended_at = now;
  }
  s.status = status;
  if (reason) s.reason = reason;
  for (const p of [...leaf.parents].reverse()) rollUp(p, now, status === 'ERROR' ? reason : undefined);
}

function rollUp(parent: Step, now: string, reason?: StepReason): void {
  const kids = parent.steps ?? [];
  let status: StepStatus;
  if (kids.some(k => k.status === 'ERROR')) status = 'ERROR';
  else if (kids.every(k => k.status === 'SUCCESS')) status = 'SUCCESS';
  else if (kids.some(k => k.status !== 'PENDING')) status = 'RUNNING';
  else status = 'PENDING';
  if (status !== 'PENDING' && parent.started_at === UNSET_TIME) parent.started_at = now;
  if ((status === 'SUCCESS' || status === 'ERROR') && parent.ended_at === UNSET_TIME) parent.ended_at = now;
  if (status === 'ERROR' && reason && !parent.reason) parent.reason = reason;
  parent.status = status;
}

export interface ProgressCounts {
  pending_steps: number;
  running_steps: number;
  success_steps: number;
  error_steps: number;
  total_steps: number;
}

export function countSteps(steps: Step[]): ProgressCounts {
  const all = leaves(steps);
  const n = (st: StepStatus) => all.filter(l => l.step.status === st).length;
  return {
    pending_steps: n('PENDING'),
    running_steps: n('RUNNING'),
    success_steps: n('SUCCESS'),
    error_steps: n('ERROR'),
    total_steps: all.length
  };
}
