import { describe, expect, it } from '@jest/globals';
import { parseRetryAfter, retry } from '../../src/kit/retry.js';

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfter?: string
  ) {
    super(`HTTP ${status}`);
  }
}

function recorder() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

describe('retry', () => {
  it("honours the server's Retry-After over its own backoff", async () => {
    const { delays, sleep } = recorder();
    let calls = 0;
    const result = await retry(
      async () => {
        calls++;
        if (calls < 3) throw new HttpError(429, calls === 1 ? '7' : '2');
        return 'ok';
      },
      {
        sleep,
        retryAfterMs: e => parseRetryAfter((e as HttpError).retryAfter),
        random: () => 0.5
      }
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(delays).toEqual([7000, 2000]);
  });

  it('gives up after its attempt limit and rethrows the last error', async () => {
    const { delays, sleep } = recorder();
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new HttpError(503);
        },
        { attempts: 4, baseDelayMs: 100, sleep, random: () => 1 }
      )
    ).rejects.toThrow('HTTP 503');
    expect(calls).toBe(4);
    // exponential backoff (full jitter with random()=1 gives the cap of each step)
    expect(delays).toEqual([100, 200, 400]);
  });

  it('does not retry what is not retryable', async () => {
    const { delays, sleep } = recorder();
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new HttpError(404);
        },
        { sleep, isRetryable: e => (e as HttpError).status >= 500 }
      )
    ).rejects.toThrow('HTTP 404');
    expect(calls).toBe(1);
    expect(delays).toEqual([]);
  });

  it('caps a hostile Retry-After at maxDelayMs', async () => {
    const { delays, sleep } = recorder();
    let calls = 0;
    await retry(
      async () => {
        if (calls++ === 0) throw new HttpError(429, '86400');
        return 1;
      },
      { sleep, maxDelayMs: 60_000, retryAfterMs: e => parseRetryAfter((e as HttpError).retryAfter) }
    );
    expect(delays).toEqual([60_000]);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-25T02:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 02:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
