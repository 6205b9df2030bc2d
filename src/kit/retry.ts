import { timerChunks } from './duration.js';

/**
 * Retry with exponential backoff and full jitter, honouring a server's `Retry-After`.
 * `retryAfterMs` lets the caller extract the server's wish from the error (HTTP 429/503); it wins over the
 * computed backoff but is still capped by `maxDelayMs` so a hostile header cannot stall a job for hours.
 */
export interface RetryOptions {
  /** Total attempts including the first (default 5). */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  isRetryable?: (err: unknown) => boolean;
  retryAfterMs?: (err: unknown) => number | undefined;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** Sleeps `ms`, in chunks below Node's setTimeout limit (a longer delay would fire after 1 ms). */
export async function sleep(ms: number): Promise<void> {
  for (const chunk of timerChunks(ms)) await new Promise(resolve => setTimeout(resolve, chunk));
}

export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 5;
  const base = opts.baseDelayMs ?? 500;
  const max = opts.maxDelayMs ?? 30_000;
  const wait = opts.sleep ?? sleep;
  const random = opts.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const retryable = opts.isRetryable ? opts.isRetryable(error) : true;
      if (!retryable || attempt >= attempts) throw error;
      const asked = opts.retryAfterMs?.(error);
      const backoff = Math.min(max, base * 2 ** (attempt - 1));
      const delayMs =
        asked !== undefined ? Math.min(max, Math.max(0, asked)) : Math.round(random() * backoff);
      opts.onRetry?.({ attempt, delayMs, error });
      await wait(delayMs);
    }
  }
}

/** `Retry-After` as milliseconds: either delta-seconds or an HTTP date. Undefined when absent/unparseable. */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now()
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
