/**
 * The longest duration any input may ask for: 5 days, the longest a GitHub job can run (self-hosted runners;
 * GitHub-hosted ones stop a job after 6 hours — docs.github.com "Usage limits for self-hosted runners" / "Actions
 * limits"). Nothing can usefully wait longer, and it keeps every timer far below Node's setTimeout limit of
 * 2^31-1 ms (~24.8 days), past which Node fires after 1 ms instead (`initial-delay: 600h` probed at once).
 */
export const MAX_DURATION_MS = 5 * 24 * 3_600_000;

/** Node's setTimeout fires after 1 ms for any delay above this (TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The timer delays that add up to `ms` with none above Node's limit: a long sleep is slept in chunks. */
export function timerChunks(ms: number): number[] {
  const chunks: number[] = [];
  for (let left = Math.max(0, ms); left > 0; left -= MAX_TIMER_MS) chunks.push(Math.min(left, MAX_TIMER_MS));
  return chunks;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses `90s`, `5m`, `1h`, `1h30m`, `250ms` or plain seconds (`30`, `1.5`) into milliseconds.
 * Returns undefined when the text is not a duration, so the caller can name the input in its error.
 */
export function parseDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t)) !== null) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    matched = re.lastIndex;
  }
  if (matched !== t.length) return undefined;
  return Math.round(total);
}

/** `1h 02m 03s`, `4m 05s`, `12.3s`, `850ms`: for logs and summaries. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const totalSeconds = ms / 1000;
  if (totalSeconds < 60) return `${totalSeconds.toFixed(1)}s`;
  const s = Math.floor(totalSeconds % 60);
  const m = Math.floor(totalSeconds / 60) % 60;
  const h = Math.floor(totalSeconds / 3600);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}h ${pad(m)}m ${pad(s)}s` : `${m}m ${pad(s)}s`;
}
