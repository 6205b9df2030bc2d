import { formatDuration } from '../kit/duration.js';
import { errorMessage } from '../kit/errors.js';
import type { Logger } from '../kit/log.js';
import { sleep as realSleep } from '../kit/retry.js';
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
  phase: DeploymentPhase | string;
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
  phase: DeploymentPhase | string;
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
  const sleep = opts.sleep ?? realSleep;
  const started = now();
  const deadline = started + opts.timeoutMs;
  const log = opts.logger;
  const stamp = () => `[${formatDuration(now() - started)}]`;
  const phases: PhaseSpan[] = [];
  const stepStatus = new Map<string, string>();
  let polls = 0;
  let deployment: Deployment;

  for (;;) {
    polls++;
    deployment = await client.getDeployment(appId, deploymentId);
    const at = now();
    const phase = deployment.phase ?? 'UNKNOWN';
    const current = phases[phases.length - 1];
    if (current) current.end = at;
    if (!current || current.phase !== phase) {
      phases.push({ phase, start: at, end: at });
      log.info(`${stamp()} deployment ${deploymentId}: phase ${phase}`);
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
      log.info(`${stamp()}   ${describeStep(step)} ${status}${reason}`);
    }
    if ((TERMINAL_PHASES as readonly string[]).includes(phase))
      return finish(deployment, phase, false, false);
    if (at >= deadline) break;
    await sleep(Math.max(0, Math.min(opts.pollIntervalMs, deadline - at)));
  }

  log.warning(
    `Deployment ${deploymentId} did not finish within ${formatDuration(opts.timeoutMs)} (phase ${deployment.phase ?? 'UNKNOWN'})`
  );
  if (opts.cancelOnTimeout === false) return finish(deployment, deployment.phase ?? 'UNKNOWN', true, false);
  try {
    const canceled = await client.cancelDeployment(appId, deploymentId);
    log.info(`${stamp()} canceled deployment ${deploymentId} (phase ${canceled.phase ?? 'UNKNOWN'})`);
    const phase = canceled.phase ?? 'CANCELED';
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
    if ((TERMINAL_PHASES as readonly string[]).includes(phase)) {
      const last = phases[phases.length - 1];
      if (last && last.phase !== phase) phases.push({ phase, start: now(), end: now() });
      return finish(deployment, phase, false, false);
    }
    return finish(deployment, phase, true, false);
  }

  function finish(dep: Deployment, phase: string, timedOut: boolean, canceled: boolean): WaitResult {
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
