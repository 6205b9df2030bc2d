import { describe, expect, it } from '@jest/globals';
import { decideEarly } from '../../src/health/decision.js';
import { plannedProbes, runProbeWindow } from '../../src/health/window.js';
import type { Clock, Probe } from '../../src/health/types.js';

/** A clock that only moves when the code under test sleeps (or a probe "takes" time). */
function fakeClock(start = 1_700_000_000_000): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async ms => {
      sleeps.push(ms);
      now += ms;
    },
    // used by scripted probes to simulate slow answers
    advance(ms: number) {
      now += ms;
    }
  } as Clock & { sleeps: number[]; advance(ms: number): void };
}

function scripted(
  outcomes: boolean[],
  clock?: { advance(ms: number): void },
  takesMs = 0
): Probe & { calls: number } {
  const p = Object.assign(
    async () => {
      const ok = outcomes[p.calls++] ?? true;
      clock?.advance(takesMs);
      return ok ? { ok, status: 200, latencyMs: 5 } : { ok, status: 503, latencyMs: 5, reason: 'HTTP 503' };
    },
    { calls: 0 }
  );
  return p;
}

const base = {
  initialDelayMs: 0,
  intervalMs: 10_000,
  windowMs: 60_000,
  thresholds: { successThreshold: 3, failureThreshold: 3 }
};

describe('runProbeWindow', () => {
  it('plans one probe at the start and one per interval to the end', () => {
    expect(plannedProbes(60_000, 10_000)).toBe(7);
    expect(plannedProbes(0, 10_000)).toBe(1);
  });

  it('waits the initial delay, then probes on the interval grid through the window and passes', async () => {
    const clock = fakeClock();
    const probe = scripted([]);
    const r = await runProbeWindow({ ...base, initialDelayMs: 15_000, probe, clock });
    expect(r.decision.state).toBe('pass');
    expect(probe.calls).toBe(7);
    expect(clock.sleeps).toEqual([15_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000]);
    expect(r.probes.map(p => p.startedAt - r.startedAt)).toEqual([
      0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000
    ]);
  });

  it('stops at the third consecutive failure without waiting for the window to end', async () => {
    const clock = fakeClock();
    const probe = scripted([true, false, false, false, true]);
    const r = await runProbeWindow({ ...base, probe, clock });
    expect(r.decision).toMatchObject({ state: 'fail', cause: 'failures' });
    expect(probe.calls).toBe(4);
  });

  it('does not fail on two failures in a row', async () => {
    const probe = scripted([false, false, true, false, false, true, true]);
    const r = await runProbeWindow({ ...base, probe, clock: fakeClock() });
    expect(r.decision.state).toBe('fail');
    expect(r.decision).toMatchObject({ cause: 'not-enough-successes' });
    const probe2 = scripted([false, false, true, false, false, true, true, true]);
    const r2 = await runProbeWindow({ ...base, windowMs: 70_000, probe: probe2, clock: fakeClock() });
    expect(r2.decision.state).toBe('pass');
    expect(r2.probes.filter(p => !p.ok)).toHaveLength(4);
  });

  it('starts the next probe at once when a probe overruns the interval, keeping the planned count', async () => {
    const clock = fakeClock() as Clock & { sleeps: number[]; advance(ms: number): void };
    const probe = scripted([], clock, 12_000);
    const r = await runProbeWindow({ ...base, windowMs: 30_000, probe, clock });
    expect(probe.calls).toBe(4);
    expect(clock.sleeps).toEqual([]);
    expect(r.decision.state).toBe('pass');
  });

  it('with decideEarly, stops as soon as success-threshold probes pass', async () => {
    const probe = scripted([false, true, true, true]);
    const r = await runProbeWindow({ ...base, probe, clock: fakeClock(), rules: decideEarly });
    expect(r.decision.state).toBe('pass');
    expect(probe.calls).toBe(4);
  });
});
