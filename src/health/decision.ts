import type { ProbeResult, Thresholds } from './types.js';

/**
 * The gate's rules as pure functions over counted probes (no clock): `failureThreshold` consecutive
 * failures fail at once (ECS circuit breaker style); when the window has ended the gate passes with at
 * least `successThreshold` consecutive successes at its end (Argo `consecutiveSuccessLimit`) and a p95
 * latency within budget.
 */
export type Decision =
  | { state: 'continue' }
  | { state: 'pass'; reason: string }
  | { state: 'fail'; cause: 'failures' | 'not-enough-successes' | 'latency' | 'no-probes'; reason: string };

export function decide(probes: readonly ProbeResult[], t: Thresholds, windowEnded: boolean): Decision {
  const failing = trailing(probes, false);
  if (failing >= t.failureThreshold) {
    const last = probes[probes.length - 1]!;
    return {
      state: 'fail',
      cause: 'failures',
      reason: `${failing} consecutive failed probes (failure-threshold ${t.failureThreshold}); last: ${last.reason ?? 'failed'}`
    };
  }
  if (!windowEnded) return { state: 'continue' };
  if (probes.length === 0) return { state: 'fail', cause: 'no-probes', reason: 'no probe was made' };

  const succeeding = trailing(probes, true);
  if (succeeding < t.successThreshold) {
    const lastFailure = [...probes].reverse().find(p => !p.ok);
    return {
      state: 'fail',
      cause: 'not-enough-successes',
      reason:
        `the window ended with ${succeeding} consecutive successful probes, fewer than success-threshold ${t.successThreshold}` +
        (lastFailure ? `; last failure: ${lastFailure.reason ?? 'failed'}` : '')
    };
  }
  const p95 = p95Latency(probes);
  if (t.maxLatencyMs !== undefined && p95 !== undefined && p95 > t.maxLatencyMs)
    return {
      state: 'fail',
      cause: 'latency',
      reason: `p95 latency ${p95} ms is above max-latency ${t.maxLatencyMs} ms`
    };
  return {
    state: 'pass',
    reason:
      `${succeeding} consecutive successful probes at the end of the window (success-threshold ${t.successThreshold})` +
      (t.maxLatencyMs !== undefined && p95 !== undefined ? `, p95 ${p95} ms within ${t.maxLatencyMs} ms` : '')
  };
}

/** Like `decide`, for the short check of a restored version: passes as soon as enough successes are in. */
export function decideEarly(probes: readonly ProbeResult[], t: Thresholds, windowEnded: boolean): Decision {
  const d = decide(probes, { ...t, maxLatencyMs: undefined }, windowEnded);
  if (d.state === 'continue' && trailing(probes, true) >= t.successThreshold)
    return { state: 'pass', reason: `${t.successThreshold} consecutive successful probes` };
  return d;
}

/** How many probes at the end of the list have `ok === wanted`. */
function trailing(probes: readonly ProbeResult[], wanted: boolean): number {
  let n = 0;
  for (let i = probes.length - 1; i >= 0 && probes[i]!.ok === wanted; i--) n++;
  return n;
}

/**
 * Nearest-rank p95 over the probes that measured a latency (answers and timeouts; a refused connection has
 * none). Undefined when there is none.
 */
export function p95Latency(probes: readonly ProbeResult[]): number | undefined {
  return percentile(
    probes.map(p => p.latencyMs).filter((v): v is number => v !== undefined),
    95
  );
}

export function percentile(values: readonly number[], pct: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((pct / 100) * sorted.length));
  return sorted[rank - 1];
}
