import { request, WebSocket } from 'undici';
import { RemoteError } from '../kit/errors.js';
import { retry, sleep as realSleep } from '../kit/retry.js';
import type { LogsResponse } from './types.js';

/**
 * The text behind a logs answer. App Platform gives `historic_urls` (archives of a finished stage) or a
 * `live_url` (a websocket of an in-progress or active deployment, whose messages are JSON `{"data": line}`:
 * doctl commands/apps.go, apps logs). Archives win when present: they are complete. Neither URL is ours, so
 * our token is never sent (they are pre-signed; doctl reads `token=` from the live URL itself).
 */
export interface LogFetchOptions {
  timeoutMs: number;
  /** A live stream of a stage that is still running never ends by itself: stop after this long without a line. */
  liveIdleMs?: number;
  /** And after this long in all. */
  liveMaxMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export async function fetchLogText(
  res: LogsResponse,
  callName: string,
  opts: LogFetchOptions
): Promise<string | undefined> {
  const archives = (res.historic_urls ?? []).filter(Boolean);
  if (archives.length) {
    const parts: string[] = [];
    for (const url of archives) parts.push(await fetchArchive(url, callName, opts));
    return parts.join(parts.every(p => p.endsWith('\n')) ? '' : '\n');
  }
  if (res.live_url) return readLiveLog(res.live_url, opts);
  return undefined;
}

const MAX_REDIRECTS = 5;

/** GET an archive, following redirects (Go's http.Get does; undici's request does not). */
async function fetchArchive(url: string, callName: string, opts: LogFetchOptions): Promise<string> {
  return retry(
    async () => {
      let target = url;
      for (let hop = 0; ; hop++) {
        const res = await request(target, {
          method: 'GET',
          headersTimeout: opts.timeoutMs,
          bodyTimeout: opts.timeoutMs
        });
        const location = res.headers.location;
        if (res.statusCode >= 300 && res.statusCode < 400 && location && hop < MAX_REDIRECTS) {
          await res.body.dump();
          target = new URL(Array.isArray(location) ? location[0]! : location, target).toString();
          continue;
        }
        const text = await res.body.text();
        if (res.statusCode >= 300)
          throw new RemoteError({
            call: callName,
            status: res.statusCode,
            serverMessage: text.slice(0, 200)
          });
        return text;
      }
    },
    {
      attempts: 3,
      baseDelayMs: 1000,
      sleep: opts.sleep ?? realSleep,
      isRetryable: err => err instanceof RemoteError && err.status !== undefined && err.status >= 500
    }
  );
}

/** Reads a live log websocket until the server closes it or it goes quiet; resolves with what arrived. */
function readLiveLog(liveUrl: string, opts: LogFetchOptions): Promise<string | undefined> {
  const url = new URL(liveUrl);
  if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol === 'http:') url.protocol = 'ws:';
  const idleMs = opts.liveIdleMs ?? 5000;
  const maxMs = opts.liveMaxMs ?? 60_000;
  return new Promise(resolve => {
    const lines: string[] = [];
    let settled = false;
    let idle: NodeJS.Timeout | undefined;
    const ws = new WebSocket(url.toString());
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      clearTimeout(overall);
      try {
        ws.close();
      } catch {
        // already closed
      }
      resolve(lines.length ? `${lines.join('\n')}\n` : undefined);
    };
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(finish, idleMs);
    };
    const overall = setTimeout(finish, maxMs);
    arm();
    ws.addEventListener('message', event => {
      arm();
      const raw =
        typeof event.data === 'string' ? event.data : Buffer.from(event.data as ArrayBuffer).toString();
      try {
        const msg = JSON.parse(raw) as { data?: unknown };
        if (typeof msg.data === 'string') lines.push(msg.data.replace(/\n$/, ''));
      } catch {
        lines.push(raw.replace(/\n$/, ''));
      }
    });
    ws.addEventListener('close', finish);
    ws.addEventListener('error', finish);
  });
}
