import { describe, expect, it } from '@jest/globals';
import { createMemoryLogger } from '../../src/kit/log.js';
import { runGate, type GateSettings } from '../../src/health/gate.js';
import type { RollbackPort } from '../../src/health/rollback-port.js';
import { gateSummary } from '../../src/health/summary.js';
import type { Clock, Probe } from '../../src/health/types.js';

/** The gate's orchestration with scripted probes, a fake clock and a fake App Platform rollback port. */
function fakeClock(): Clock {
  let now = Date.UTC(2026, 10, 25, 19, 0, 0);
  return { now: () => now, sleep: async ms => void (now += ms) };
}

function scripted(outcomes: string): Probe & { calls: number } {
  const list = outcomes.split(' ').filter(Boolean);
  const p = Object.assign(
    async () => {
      const o = list[p.calls++] ?? 'ok';
      return o === 'ok'
        ? { ok: true, status: 200, latencyMs: 20, version: 'v1' }
        : {
            ok: false,
            status: 503,
            latencyMs: 20,
            kind: 'http-status' as const,
            reason: 'HTTP 503; check database: error'
          };
    },
    { calls: 0 }
  );
  return p;
}

function fakePort(over: Partial<RollbackPort> = {}): RollbackPort & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    resolveTarget: async to => (
      calls.push(`resolve ${to ?? 'previous'}`),
      { deploymentId: to ?? 'dep-previous', activeDeploymentId: 'dep-bad' }
    ),
    rollback: async id => (
      calls.push(`rollback ${id}`),
      { rollbackDeploymentId: 'dep-rollback', warnings: [] }
    ),
    commit: async () => void calls.push('commit'),
    ...over
  };
}

const settings: GateSettings = {
  initialDelayMs: 0,
  intervalMs: 10_000,
  windowMs: 60_000,
  thresholds: { successThreshold: 3, failureThreshold: 3 },
  rollback: true
};

describe('runGate', () => {
  it('passes a healthy release and never touches the rollback port', async () => {
    const port = fakePort();
    const r = await runGate(settings, {
      probe: scripted(''),
      restoredProbe: scripted(''),
      rollback: port,
      clock: fakeClock(),
      logger: createMemoryLogger()
    });
    expect(r).toMatchObject({ healthy: true, rolledBack: false, outage: false });
    expect(r.window?.probes).toHaveLength(7);
    expect(port.calls).toEqual([]);
  });

  it('rolls back to the previous deployment, probes the restored version, then commits', async () => {
    const port = fakePort();
    const logger = createMemoryLogger();
    const restored = scripted('ok ok ok');
    const r = await runGate(settings, {
      probe: scripted('ok F F F'),
      restoredProbe: restored,
      rollback: port,
      clock: fakeClock(),
      logger
    });
    expect(r).toMatchObject({
      healthy: false,
      rolledBack: true,
      outage: false,
      decision: { cause: 'failures' }
    });
    expect(port.calls).toEqual(['resolve previous', 'rollback dep-previous', 'commit']);
    expect(restored.calls).toBe(3);
    expect(r.rollback).toMatchObject({
      rollbackDeploymentId: 'dep-rollback',
      committed: true,
      error: undefined
    });
    expect(logger.lines.filter(l => l.startsWith('probe #'))).toHaveLength(4);
    expect(logger.lines.filter(l => l.startsWith('restored probe #'))).toHaveLength(3);
  });

  it('rolls back to the deployment named by rollback-to', async () => {
    const port = fakePort();
    await runGate(
      { ...settings, rollbackTo: 'dep-42' },
      {
        probe: scripted('F F F'),
        restoredProbe: scripted(''),
        rollback: port,
        clock: fakeClock(),
        logger: createMemoryLogger()
      }
    );
    expect(port.calls).toEqual(['resolve dep-42', 'rollback dep-42', 'commit']);
  });

  it('does not commit when the restored version is unhealthy too, and calls it an outage', async () => {
    const port = fakePort();
    const r = await runGate(settings, {
      probe: scripted('F F F'),
      restoredProbe: scripted('F F F'),
      rollback: port,
      clock: fakeClock(),
      logger: createMemoryLogger()
    });
    expect(port.calls).toEqual(['resolve previous', 'rollback dep-previous']);
    expect(r).toMatchObject({ outage: true, rolledBack: true, rollback: { committed: false } });
    expect(r.rollback?.error).toContain('the restored version is unhealthy too');
    const md = gateSummary(r, { url: 'http://x/health' }).join('\n\n');
    expect(md).toContain('🚨 OUTAGE');
    expect(md).toContain('[!CAUTION]');
  });

  it('reports a rollback App Platform refuses as an outage with its reason', async () => {
    const port = fakePort({
      rollback: async () => ({
        warnings: [],
        failure:
          'Rollback to deployment dep-previous refused (incompatible_result): the target deployment did not succeed'
      })
    });
    const r = await runGate(settings, {
      probe: scripted('F F F'),
      restoredProbe: scripted(''),
      rollback: port,
      clock: fakeClock(),
      logger: createMemoryLogger()
    });
    expect(r).toMatchObject({ outage: true, rolledBack: false });
    expect(r.rollback?.error).toBe(
      'the rollback failed: Rollback to deployment dep-previous refused (incompatible_result): the target deployment did not succeed'
    );
  });

  it('keeps the id of a rollback deployment that did not become ACTIVE', async () => {
    const port = fakePort({
      rollback: async () => ({
        rollbackDeploymentId: 'dep-rb',
        warnings: [],
        failure: 'Rollback deployment dep-rb ended in phase ERROR'
      })
    });
    const r = await runGate(settings, {
      probe: scripted('F F F'),
      restoredProbe: scripted(''),
      rollback: port,
      clock: fakeClock(),
      logger: createMemoryLogger()
    });
    expect(r).toMatchObject({
      outage: true,
      rolledBack: false,
      rollback: { rollbackDeploymentId: 'dep-rb' }
    });
  });

  it('a failed commit after a healthy restore is no outage', async () => {
    const port = fakePort({
      commit: async () => {
        throw new Error('POST /v2/apps/a/rollback/commit failed: HTTP 500');
      }
    });
    const r = await runGate(settings, {
      probe: scripted('F F F'),
      restoredProbe: scripted(''),
      rollback: port,
      clock: fakeClock(),
      logger: createMemoryLogger()
    });
    expect(r).toMatchObject({ outage: false, rolledBack: true, rollback: { committed: false } });
    expect(r.rollback?.error).toContain('committing the rollback failed');
  });

  it('with rollback false, fails without rolling back', async () => {
    const port = fakePort();
    const r = await runGate(
      { ...settings, rollback: false },
      {
        probe: scripted('F F F'),
        restoredProbe: scripted(''),
        rollback: port,
        clock: fakeClock(),
        logger: createMemoryLogger()
      }
    );
    expect(r).toMatchObject({ healthy: false, rolledBack: false, outage: false });
    expect(port.calls).toEqual([]);
  });

  it('fails on a certificate problem without probing or rolling back', async () => {
    const port = fakePort();
    const probe = scripted('');
    const r = await runGate(settings, {
      probe,
      restoredProbe: scripted(''),
      rollback: port,
      clock: fakeClock(),
      logger: createMemoryLogger(),
      checkCertificate: async () => ({
        host: 'h',
        port: 443,
        daysLeft: 2,
        problems: ['certificate expires in 2 days']
      })
    });
    expect(r).toMatchObject({
      healthy: false,
      decision: { cause: 'certificate', reason: 'certificate expires in 2 days' }
    });
    expect(probe.calls).toBe(0);
    expect(port.calls).toEqual([]);
  });

  it('probes anyway when the certificate cannot be read, and reports why', async () => {
    const probe = scripted('');
    const r = await runGate(settings, {
      probe,
      restoredProbe: scripted(''),
      rollback: fakePort(),
      clock: fakeClock(),
      logger: createMemoryLogger(),
      checkCertificate: async () => {
        throw new Error('TLS check of h:443 failed: network error: ECONNRESET');
      }
    });
    expect(r).toMatchObject({
      healthy: true,
      certificateError: 'TLS check of h:443 failed: network error: ECONNRESET'
    });
    expect(probe.calls).toBe(7);
    expect(gateSummary(r, { url: 'https://h/health' }).join('\n')).toContain(
      'not read: TLS check of h:443 failed'
    );
  });

  it('summarises the window with a table, the p95, the decision and a Mermaid timeline', async () => {
    const r = await runGate(settings, {
      probe: scripted('ok F F F'),
      restoredProbe: scripted(''),
      rollback: fakePort(),
      clock: fakeClock(),
      logger: createMemoryLogger()
    });
    const md = gateSummary(r, { url: 'http://x/health', expectedVersion: 'v2' }).join('\n\n');
    expect(md).toContain('↩️ Health gate failed: release rolled back');
    expect(md).toContain('| **p95 latency** | 20 ms |');
    expect(md).toContain('3 consecutive failed probes (failure-threshold 3)');
    expect(md).toContain('```mermaid\ngantt');
    expect(md).toContain('section Rollback');
    expect(md.match(/\*\*FAIL\*\*/g)).toHaveLength(3);
  });
});
