import { formatDuration } from '../kit/duration.js';
import { errorMessage } from '../kit/errors.js';
import type { Logger } from '../kit/log.js';
import { cancellation } from '../kit/cancellation.js';
import type { DigitalOceanClient } from './client.js';
import {
  TERMINAL_PHASES,
  type Deployment,
  type DeploymentPhase,
  type DeploymentProgressStep
} from './types.js';

/**
 * Follows one deployment by id (the app's `pending_deployment.id`, never "the newest in the list", which
 * can be someone else's) with exactly one GET per poll, logging each phase change and step change.
 */
export interface WaitOptions {
  pollIntervalMs: number;
  timeoutMs: number;
  logger: Logger;
  /** Cancel the deployment when the timeout passes (default true). */
  cancelOnTimeout?: boolean;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface PhaseSpan {
  phase: DeploymentPhase;
  start: number;
  end: number;
}

export interface FailingStep {
  step: string;
  component?: string;
  code?: string;
  message?: string;
}

export interface WaitResult {
  deployment: Deployment;
  phase: DeploymentPhase;
  /**
   * It served: ACTIVE, or SUPERSEDED after it had been ACTIVE (seen ACTIVE, or every top-level step SUCCESS:
   * doctl counts success_steps == total_steps, Terraform every top-level step SUCCESS). A deployment replaced
   * by a newer one right after going live (deploy on push, autoscaling, maintenance) succeeded.
   */
  succeeded: boolean;
  timedOut: boolean;
  /** Set when we canceled it on timeout. */
  canceled: boolean;
  polls: number;
  elapsedMs: number;
  startedAt: number;
  phases: PhaseSpan[];
  failingStep?: FailingStep;
}

export async function waitForDeployment(
  client: DigitalOceanClient,
  appId: string,
  deploymentId: string,
  opts: WaitOptions
): Promise<WaitResult> {
  const now = opts.now ?? Date.now;
  // Real waits end at once on cancellation, so the run stops polling within the runner's grace time.
  const sleep = opts.sleep ?? cancellableSleep;
  const started = now();
  const deadline = started + opts.timeoutMs;
  const log = opts.logger;
  const stamp = () => `[${formatDuration(now() - started)}]`;
  const phases: PhaseSpan[] = [];
  const stepStatus = new Map<string, string>();
  let polls = 0;
  let deployment: Deployment;
  let sawActive = false;
  let lastLine = now();
  const info = (line: string) => {
    lastLine = now();
    log.info(line);
  };

  for (;;) {
    polls++;
    deployment = await client.getDeployment(appId, deploymentId);
    const at = now();
    const phase = deployment.phase ?? 'UNKNOWN';
    const current = phases[phases.length - 1];
    if (current) current.end = at;
    if (!current || current.phase !== phase) {
      phases.push({ phase, start: at, end: at });
      info(`${stamp()} deployment ${deploymentId}: phase ${phase} (${stepCounts(deployment)})`);
    }
    for (const { key, step, depth } of flattenSteps(deployment.progress?.steps ?? [])) {
      const status = step.status ?? 'UNKNOWN';
      // Stages (build, deploy) and component steps (with a message_base) tell the story; the plumbing
      // steps in between (initialize, components) only repeat it, unless they fail.
      if (depth > 0 && !step.message_base && status !== 'ERROR') continue;
      if (stepStatus.get(key) === status) continue;
      const first = !stepStatus.has(key);
      stepStatus.set(key, status);
      // Steps first seen as PENDING are noise; report once they move.
      if (first && (status === 'PENDING' || status === 'UNKNOWN')) continue;
      const reason = status === 'ERROR' && step.reason?.message ? `: ${step.reason.message}` : '';
      info(`${stamp()}   ${describeStep(step)} ${status}${reason}`);
    }
    if (phase === 'ACTIVE') sawActive = true;
    if (isTerminal(phase)) return finish(deployment, phase, false, false);
    if (at >= deadline) break;
    // Sleep in slices so a heartbeat line appears at least every HEARTBEAT_MS between phase changes.
    for (let left = Math.max(0, Math.min(opts.pollIntervalMs, deadline - at)); left > 0;) {
      const slice = Math.min(left, Math.max(1, HEARTBEAT_MS - (now() - lastLine)));
      await sleep(slice);
      left -= slice;
      if (now() - lastLine >= HEARTBEAT_MS) info(`${stamp()} ${heartbeat(deploymentId, deployment)}`);
    }
  }

  log.warning(
    `Deployment ${deploymentId} did not finish within ${formatDuration(opts.timeoutMs)} (phase ${deployment.phase ?? 'UNKNOWN'})`
  );
  if (opts.cancelOnTimeout === false) return finish(deployment, deployment.phase ?? 'UNKNOWN', true, false);
  try {
    const answer = await client.cancelDeployment(appId, deploymentId);
    // The cancel answer can still show the phase before the cancel (the OpenAPI example answers PENDING_BUILD):
    // read it back until it is terminal, so the phase output says CANCELED rather than a stale phase.
    let canceled = answer;
    for (let i = 0; i < CANCEL_READBACKS && !isTerminal(canceled.phase); i++) {
      await sleep(Math.min(opts.pollIntervalMs, 2000));
      canceled = await client.getDeployment(appId, deploymentId).catch(() => canceled);
    }
    const phase = isTerminal(canceled.phase) ? canceled.phase : 'CANCELED';
    log.info(`${stamp()} canceled deployment ${deploymentId} (phase ${canceled.phase ?? 'UNKNOWN'})`);
    const last = phases[phases.length - 1];
    if (last && last.phase !== phase) phases.push({ phase, start: now(), end: now() });
    return finish(canceled, phase, true, true);
  } catch (error) {
    log.warning(`Could not cancel deployment ${deploymentId}: ${errorMessage(error)}`);
    // Most often it just finished (cancel answers 400 for a terminal deployment): report what it became.
    try {
      deployment = await client.getDeployment(appId, deploymentId);
    } catch {
      // keep the last state we saw
    }
    const phase = deployment.phase ?? 'UNKNOWN';
    if (isTerminal(phase)) {
      const last = phases[phases.length - 1];
      if (last && last.phase !== phase) phases.push({ phase, start: now(), end: now() });
      return finish(deployment, phase, false, false);
    }
    return finish(deployment, phase, true, false);
  }

  function finish(dep: Deployment, phase: DeploymentPhase, timedOut: boolean, canceled: boolean): WaitResult {
    return {
      deployment: dep,
      phase,
      succeeded: phase === 'ACTIVE' || (phase === 'SUPERSEDED' && (sawActive || allTopStepsSucceeded(dep))),
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

const HEARTBEAT_MS = 15_000;

function cancellableSleep(ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (cancellation.cancelled) return reject(cancellation.signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancellation.signal.reason as Error);
    };
    const timer = setTimeout(() => {
      cancellation.signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    cancellation.signal.addEventListener('abort', onAbort, { once: true });
  });
}
const CANCEL_READBACKS = 5;

const isTerminal = (phase: DeploymentPhase | undefined): phase is DeploymentPhase =>
  phase !== undefined && TERMINAL_PHASES.includes(phase);

/** Every top-level step SUCCESS (Terraform's rule, TF #1048) and none in ERROR. */
function allTopStepsSucceeded(dep: Deployment): boolean {
  const steps = dep.progress?.steps ?? [];
  return steps.length > 0 && steps.every(s => s.status === 'SUCCESS') && !(dep.progress?.error_steps ?? 0);
}

/** `3/5 steps` from the progress counters (counted from the step tree when they are absent). */
export function stepCounts(dep: Deployment): string {
  const p = dep.progress;
  const total = p?.total_steps ?? flattenSteps(p?.steps ?? []).length;
  const done =
    p?.success_steps ?? flattenSteps(p?.steps ?? []).filter(s => s.step.status === 'SUCCESS').length;
  return `${done}/${total} steps`;
}

/** The step doing the work now: the deepest RUNNING one. */
export function runningStep(dep: Deployment): string | undefined {
  let found: string | undefined;
  for (const { step } of flattenSteps(dep.progress?.steps ?? []))
    if (step.status === 'RUNNING') found = describeStep(step);
  return found;
}

function heartbeat(deploymentId: string, dep: Deployment): string {
  const running = runningStep(dep);
  return `deployment ${deploymentId}: still ${dep.phase ?? 'UNKNOWN'}, ${stepCounts(dep)}${running ? `, running: ${running}` : ''}`;
}

/** `Deploying service web` (message_base + component_name), else the step name. */
export function describeStep(step: DeploymentProgressStep): string {
  if (step.message_base)
    return step.component_name ? `${step.message_base} ${step.component_name}` : step.message_base;
  return step.component_name ? `${step.name ?? 'step'} (${step.component_name})` : (step.name ?? 'step');
}

/** Every step with a stable key (its name path), parents before children. */
export function flattenSteps(
  steps: DeploymentProgressStep[],
  prefix = '',
  depth = 0
): { key: string; step: DeploymentProgressStep; depth: number }[] {
  const out: { key: string; step: DeploymentProgressStep; depth: number }[] = [];
  steps.forEach((step, i) => {
    const key = `${prefix}/${step.name ?? i}${step.component_name ? `:${step.component_name}` : ''}`;
    out.push({ key, step, depth }, ...flattenSteps(step.steps ?? [], key, depth + 1));
  });
  return out;
}

/** The deepest step in ERROR with a reason: the one that explains the failure. */
export function findFailingStep(steps: DeploymentProgressStep[]): FailingStep | undefined {
  let found: FailingStep | undefined;
  for (const { step } of flattenSteps(steps)) {
    // A parent in ERROR often only echoes its child: keep the deepest step that says why.
    if (step.status !== 'ERROR' || (found?.message && !step.reason?.message)) continue;
    found = {
      step: describeStep(step),
      component: step.component_name,
      code: step.reason?.code,
      message: step.reason?.message
    };
  }
  return found;
}
