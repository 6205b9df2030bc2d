import { describe, expect, it } from '@jest/globals';
import { decide, decideEarly, percentile, p95Latency } from '../../src/health/decision.js';
import type { ProbeResult } from '../../src/health/types.js';

/** `'ok ok F ok'` -> probes; an optional latency list. */
function probes(pattern: string, latencies: number[] = []): ProbeResult[] {
  return pattern
    .split(' ')
    .filter(Boolean)
    .map((p, i) => ({
      seq: i + 1,
      startedAt: i * 1000,
      ok: p === 'ok',
      latencyMs: latencies[i] ?? 10,
      reason: p === 'ok' ? undefined : 'HTTP 503'
    }));
}

const t = { successThreshold: 3, failureThreshold: 3 };

describe('decide', () => {
  it('fails at once on failure-threshold consecutive failures, even mid-window', () => {
    const d = decide(probes('ok F F F'), t, false);
    expect(d).toMatchObject({ state: 'fail', cause: 'failures' });
    expect(d.state === 'fail' && d.reason).toBe(
      '3 consecutive failed probes (failure-threshold 3); last: HTTP 503'
    );
  });

  it('keeps going on fewer consecutive failures than the threshold', () => {
    expect(decide(probes('F F ok F F'), t, false)).toEqual({ state: 'continue' });
  });

  it('passes a window that ends with enough consecutive successes despite earlier failures', () => {
    expect(decide(probes('F F ok F F ok ok ok'), t, true)).toMatchObject({ state: 'pass' });
  });

  it('fails a window that ends with too few consecutive successes', () => {
    const d = decide(probes('ok ok ok F ok ok'), t, true);
    expect(d).toMatchObject({ state: 'fail', cause: 'not-enough-successes' });
    expect(d.state === 'fail' && d.reason).toContain('ended with 2 consecutive successful probes');
  });

  it('fails on p95 latency above max-latency, and passes at the budget', () => {
    const lat = [
      100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 900
    ];
    const twenty = Array(20).fill('ok').join(' ');
    expect(decide(probes(twenty, lat), { ...t, maxLatencyMs: 100 }, true)).toMatchObject({ state: 'pass' });
    const slow = [...lat.slice(0, 18), 900, 900];
    expect(decide(probes(twenty, slow), { ...t, maxLatencyMs: 100 }, true)).toMatchObject({
      state: 'fail',
      cause: 'latency'
    });
  });

  it('fails an empty window', () => {
    expect(decide([], t, true)).toMatchObject({ state: 'fail', cause: 'no-probes' });
  });
});

describe('decideEarly', () => {
  it('passes as soon as success-threshold probes succeed in a row', () => {
    expect(decideEarly(probes('F ok ok ok'), t, false)).toMatchObject({ state: 'pass' });
    expect(decideEarly(probes('F ok ok'), t, false)).toEqual({ state: 'continue' });
    expect(decideEarly(probes('ok F F F'), t, false)).toMatchObject({ state: 'fail', cause: 'failures' });
  });
});

describe('percentile', () => {
  it('uses the nearest rank', () => {
    expect(percentile([5, 1, 4, 2, 3], 95)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([], 95)).toBeUndefined();
  });

  it('ignores probes without a latency (refused connections)', () => {
    const ps = probes('ok F ok', [10, 0, 30]);
    ps[1]!.latencyMs = undefined;
    expect(p95Latency(ps)).toBe(30);
  });
});
