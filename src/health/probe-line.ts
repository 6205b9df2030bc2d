import type { ProbeResult } from './types.js';

/** A probe's time of day as the log and the summary print it: `18:41:02.120Z`. */
export const clockTime = (ms: number): string => new Date(ms).toISOString().slice(11, 23) + 'Z';

/** `probe #3  18:41:02.120Z  HTTP 503  45 ms  FAIL  HTTP 503; check database: error` */
export function formatProbeLine(p: ProbeResult): string {
  const status = p.status !== undefined ? `HTTP ${p.status}` : p.kind === 'timeout' ? 'timeout' : 'no answer';
  const latency = p.latencyMs !== undefined ? `${p.latencyMs} ms` : '-';
  const verdict = p.ok ? `ok${p.version ? `  version ${p.version}` : ''}` : `FAIL  ${p.reason ?? ''}`;
  return `probe #${p.seq}  ${clockTime(p.startedAt)}  ${status}  ${latency}  ${verdict}`;
}
