import type { ProbeResult } from './types.js';
import type { WindowResult } from './window.js';

/**
 * When the release and the version restored by the rollback fail the gate the same way, the release was most
 * likely never the problem: a wrong `url` (404 on both), missing auth (401/403), or a body the check cannot
 * read. Returns the shared failure (`HTTP 404`), or undefined when they differ or the failure can be real
 * (5xx, timeouts and refused connections can also be an outage both versions share).
 */
export function sharedCheckFault(
  release: WindowResult,
  restored: WindowResult | undefined
): string | undefined {
  if (!restored || restored.decision.state === 'pass') return undefined;
  const a = signatures(release.probes);
  const b = signatures(restored.probes);
  if (a.size !== 1 || b.size !== 1) return undefined;
  const [sa] = a;
  const [sb] = b;
  return sa === sb && sa !== undefined && /^(HTTP 4\d\d|unreadable body)$/.test(sa) ? sa : undefined;
}

function signatures(probes: ProbeResult[]): Set<string> {
  const out = new Set<string>();
  for (const p of probes) {
    if (p.ok) continue;
    if (p.kind === 'http-status' && p.status !== undefined) out.add(`HTTP ${p.status}`);
    else if (p.kind === 'body') out.add('unreadable body');
    else out.add(p.kind ?? 'unknown');
  }
  return out;
}
