import { formatDuration } from '../kit/duration.js';
import { facts, mermaidTimeline, table } from '../kit/markdown.js';
import type { GateReport } from './gate.js';
import { clockTime } from './probe-line.js';
import type { ProbeResult } from './types.js';

/** The gate's job summary, pure: what was probed, what was decided and why, the rollback on one time axis. */

function headline(r: GateReport): string {
  if (r.healthy) return '✅ Health gate passed';
  if (r.likelyCheckFault)
    return `⚠️ Health gate failed the same way before and after the rollback (${r.likelyCheckFault}): check the URL`;
  if (r.outage) return '🚨 OUTAGE: release unhealthy and the rollback did not restore service';
  if (r.rolledBack) return '↩️ Health gate failed: release rolled back';
  return '❌ Health gate failed';
}

export interface GateSummaryContext {
  url: string;
  expectedVersion?: string;
  maxLatencyMs?: number;
}

/** Markdown sections of the job summary (kit ActionResult.summary). */
export function gateSummary(r: GateReport, c: GateSummaryContext): string[] {
  const sections: string[] = [`## ${headline(r)}`];
  if (r.outage)
    sections.push(
      `> [!CAUTION]\n> **Outage.** ${r.rollback?.error ?? 'The rollback did not complete.'}\n>\n` +
        '> No healthy version is known to be serving. A human is needed now.'
    );
  const w = r.window;
  sections.push(
    facts([
      ['URL', c.url],
      ['Expected version', c.expectedVersion],
      ['Decision', r.healthy ? 'pass' : 'fail'],
      ['Why', r.decision.reason],
      ['Probes', w ? `${w.probes.length} (${w.probes.filter(p => !p.ok).length} failed)` : undefined],
      [
        'p95 latency',
        w?.p95LatencyMs !== undefined
          ? `${w.p95LatencyMs} ms${c.maxLatencyMs !== undefined ? ` (max ${c.maxLatencyMs} ms)` : ''}`
          : undefined
      ],
      ['Certificate', certificateText(r)],
      ['Rolled back to', r.rollback?.targetDeploymentId],
      ['Rollback deployment', r.rollback?.rollbackDeploymentId],
      ['Rollback', r.rollback ? rollbackText(r) : undefined],
      ['Took', formatDuration(r.endedAt - r.startedAt)]
    ])
  );
  if (w?.probes.length) sections.push('### Bake window', probeTable(w.probes));
  if (r.rollback?.restored?.probes.length)
    sections.push('### Restored version', probeTable(r.rollback.restored.probes));
  if (w?.probes.length) sections.push(timeline(r));
  return sections;
}

function certificateText(r: GateReport): string | undefined {
  if (r.certificateError) return `not read: ${r.certificateError}`;
  const c = r.certificate;
  if (!c) return undefined;
  const base = `${c.subject ?? '?'} by ${c.issuer ?? '?'}, ${c.daysLeft ?? '?'} days left`;
  return c.problems.length ? `${base}: ${c.problems.join('; ')}` : base;
}

function rollbackText(r: GateReport): string {
  const rb = r.rollback!;
  if (rb.error) return rb.error;
  return (
    `committed after ${rb.restored?.probes.length ?? 0} probes of the restored version` +
    (rb.warnings.length ? ` (warnings: ${rb.warnings.join(', ')})` : '')
  );
}

function probeTable(probes: ProbeResult[]): string {
  return table(
    ['#', 'time (UTC)', 'status', 'latency', 'result', 'detail'],
    probes.map(p => [
      p.seq,
      clockTime(p.startedAt),
      p.status ?? p.kind ?? '',
      p.latencyMs !== undefined ? `${p.latencyMs} ms` : '-',
      p.ok ? 'ok' : '**FAIL**',
      p.ok ? (p.version ?? '') : (p.reason ?? '')
    ])
  );
}

/** Probes (failures red), the failure, the rollback and the commit on one time axis. */
function timeline(r: GateReport): string {
  const spans: Parameters<typeof mermaidTimeline>[1] = [];
  // A probe spans its slot up to the next one (the last one as wide as the slot before it).
  const addProbes = (section: string, probes: ProbeResult[]) =>
    probes.forEach((p, i) => {
      const prev = probes[i - 1];
      const width = prev ? p.startedAt - prev.startedAt : (p.latencyMs ?? 1);
      spans.push({
        section,
        name: `probe ${p.seq} ${p.ok ? 'ok' : (p.status ?? p.kind ?? 'fail')}`,
        start: p.startedAt,
        end: probes[i + 1]?.startedAt ?? p.startedAt + width,
        status: p.ok ? 'done' : 'crit'
      });
    });
  const w = r.window!;
  addProbes('Release', w.probes);
  const rb = r.rollback;
  if (rb) {
    spans.push({
      section: 'Rollback',
      name: 'gate failed',
      start: w.endedAt,
      end: w.endedAt,
      status: 'crit'
    });
    spans.push({
      section: 'Rollback',
      name: 'rollback to ACTIVE',
      start: rb.startedAt,
      end: rb.activeAt ?? rb.endedAt,
      status: rb.activeAt ? 'active' : 'crit'
    });
    if (rb.restored) addProbes('Restored', rb.restored.probes);
    if (rb.committed)
      spans.push({ section: 'Restored', name: 'commit', start: rb.endedAt, end: rb.endedAt, status: 'done' });
  }
  return mermaidTimeline('Health gate', spans);
}
