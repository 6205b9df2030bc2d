import { isRecord } from '../kit/json.js';
import type { ProbeFailureKind } from './types.js';

/**
 * Judges a `/health` body (DESIGN.md): `{"status":"healthy","version":"<commit>","uptime_seconds":12,
 * "checks":{"database":"ok","redis":"ok"}}`. Pure, so every rule is tested without a server.
 */
export interface BodyVerdict {
  ok: boolean;
  kind?: ProbeFailureKind;
  reason?: string;
  failingChecks?: string[];
  version?: string;
}

const HEALTHY_CHECK_VALUES = new Set(['ok', 'true']);

export function judgeHealthBody(text: string, expectedVersion?: string): BodyVerdict {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, kind: 'body', reason: `body is not the health JSON: ${snippet(text)}` };
  }
  if (!isRecord(parsed) || typeof parsed.status !== 'string')
    return { ok: false, kind: 'body', reason: `body is not the health JSON (no "status"): ${snippet(text)}` };

  const version = typeof parsed.version === 'string' ? parsed.version : undefined;
  const failingChecks = isRecord(parsed.checks)
    ? Object.entries(parsed.checks).filter(([, v]) => !HEALTHY_CHECK_VALUES.has(String(v).toLowerCase()))
    : [];
  const checkText = failingChecks.map(([name, v]) => `${name}: ${describeValue(v)}`).join(', ');
  const failingNames = failingChecks.length ? failingChecks.map(([name]) => name) : undefined;

  // A failing check says more than the status it causes, so it is reported first.
  if (failingNames)
    return { ok: false, kind: 'check', reason: `check ${checkText}`, failingChecks: failingNames, version };
  if (parsed.status.toLowerCase() !== 'healthy')
    return { ok: false, kind: 'unhealthy', reason: `status is '${parsed.status}', not 'healthy'`, version };
  if (expectedVersion && !sameVersion(version, expectedVersion))
    return {
      ok: false,
      kind: 'version',
      reason: `version is '${version ?? '(none)'}', expected '${expectedVersion}'`,
      version
    };
  return { ok: true, version };
}

/**
 * Exact match, or one commit id a prefix of the other (at least 7 hex digits): a workflow knows the full
 * SHA while an app often reports the short one.
 */
export function sameVersion(actual: string | undefined, expected: string): boolean {
  if (actual === undefined) return false;
  if (actual === expected) return true;
  const a = actual.toLowerCase();
  const e = expected.toLowerCase();
  const commitish = (s: string) => /^[0-9a-f]{7,40}$/.test(s);
  return commitish(a) && commitish(e) && (a.startsWith(e) || e.startsWith(a));
}

const describeValue = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return '(empty)';
  return flat.length > 80 ? `${flat.slice(0, 80)}…` : flat;
}
