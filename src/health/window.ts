import { decide, p95Latency, type Decision } from './decision.js';
import type { Clock, Probe, ProbeResult, Thresholds } from './types.js';

export type FinalDecision = Exclude<Decision, { state: 'continue' }>;

export interface WindowOptions {
  probe: Probe;
  clock: Clock;
  initialDelayMs: number;
  intervalMs: number;
  windowMs: number;
  thresholds: Thresholds;
  /** The rules; `decide` for the bake window, `decideEarly` for the restored-version check. */
  rules?: typeof decide;
  onProbe?: (probe: ProbeResult) => void;
}

export interface WindowResult {
  probes: ProbeResult[];
  decision: FinalDecision;
  startedAt: number;
  endedAt: number;
  p95LatencyMs?: number;
}

/**
 * Probes planned for a window: one at its start and one each interval until its end. The count, not the
 * wall clock, ends the window, so a slow probe delays the window instead of silently dropping probes.
 */
export function plannedProbes(windowMs: number, intervalMs: number): number {
  return Math.floor(windowMs / intervalMs) + 1;
}

/** Probes on a fixed grid after the initial delay until the rules decide. A probe never overlaps the next. */
export async function runProbeWindow(o: WindowOptions): Promise<WindowResult> {
  const rules = o.rules ?? decide;
  const planned = plannedProbes(o.windowMs, o.intervalMs);
  if (o.initialDelayMs > 0) await o.clock.sleep(o.initialDelayMs);
  const startedAt = o.clock.now();
  const probes: ProbeResult[] = [];
  for (let k = 0; ; k++) {
    const wait = startedAt + k * o.intervalMs - o.clock.now();
    if (wait > 0) await o.clock.sleep(wait);
    const at = o.clock.now();
    const result: ProbeResult = { seq: k + 1, startedAt: at, ...(await o.probe()) };
    probes.push(result);
    o.onProbe?.(result);
    const decision = rules(probes, o.thresholds, probes.length >= planned);
    if (decision.state !== 'continue')
      return { probes, decision, startedAt, endedAt: o.clock.now(), p95LatencyMs: p95Latency(probes) };
  }
}
