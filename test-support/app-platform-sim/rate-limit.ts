// DigitalOcean's limits per token: 5,000 requests an hour and 250 a minute, sliding windows (each request
// "expires" after the window; OpenAPI rate-limit headers). Headers report the hourly quota. Only the minute
// (burst) limit's 429 carries retry-after (DigitalOcean release note 2023-08-24); the hourly one has just
// ratelimit-reset, the time the oldest counted request expires.
export interface RateLimitOptions {
  perMinute?: number;
  perHour?: number;
}

export interface RateDecision {
  limited: boolean;
  headers: Record<string, string>;
}

export class RateLimiter {
  private readonly perMinute: number;
  private readonly perHour: number;
  private readonly seen = new Map<string, number[]>();

  constructor(opts: RateLimitOptions = {}) {
    this.perMinute = opts.perMinute ?? 250;
    this.perHour = opts.perHour ?? 5000;
  }

  /** Counts the request (unless refused) and says whether it is over a limit. */
  take(key: string, now = Date.now()): RateDecision {
    const hourAgo = now - 3_600_000;
    const times = (this.seen.get(key) ?? []).filter(t => t > hourAgo);
    const lastMinute = times.filter(t => t > now - 60_000);
    const limited = lastMinute.length >= this.perMinute || times.length >= this.perHour;
    if (!limited) times.push(now);
    this.seen.set(key, times);
    const oldest = times[0] ?? now;
    const headers: Record<string, string> = {
      'ratelimit-limit': String(this.perHour),
      'ratelimit-remaining': String(Math.max(0, this.perHour - times.length)),
      'ratelimit-reset': String(Math.ceil((oldest + 3_600_000) / 1000))
    };
    if (limited && lastMinute.length >= this.perMinute) {
      const waitMs = (lastMinute[0] ?? now) + 60_000 - now;
      headers['retry-after'] = String(Math.max(1, Math.ceil(waitMs / 1000)));
    }
    return { limited, headers };
  }

  /** Headers for a response that did not count (an injected 429 still reports the real quota). */
  peek(key: string, now = Date.now()): Record<string, string> {
    const times = (this.seen.get(key) ?? []).filter(t => t > now - 3_600_000);
    const oldest = times[0] ?? now;
    return {
      'ratelimit-limit': String(this.perHour),
      'ratelimit-remaining': String(Math.max(0, this.perHour - times.length)),
      'ratelimit-reset': String(Math.ceil((oldest + 3_600_000) / 1000))
    };
  }
}
