import { Agent, request } from 'undici';
import { errorMessage } from '../kit/errors.js';
import { judgeHealthBody } from './body.js';
import type { Probe } from './types.js';

/** Bodies larger than this are not a health answer; reading stops here so a huge page cannot stall a probe. */
const MAX_BODY_BYTES = 64 * 1024;

export interface HttpProbeOptions {
  url: URL;
  timeoutMs: number;
  expectedVersion?: string;
  /**
   * Extra trust anchors (PEM) instead of the system store. Only tests set it; the action verifies against
   * the system store (and NODE_EXTRA_CA_CERTS), as any client of the live URL would.
   */
  ca?: string | string[];
}

export interface HttpProber {
  probe: Probe;
  close(): Promise<void>;
}

/** A probe of the health URL over one keep-alive agent; `close()` releases its sockets. */
export function createHttpProbe(opts: HttpProbeOptions): HttpProber {
  const agent = new Agent({ connect: opts.ca ? { ca: opts.ca } : {}, keepAliveTimeout: 1000 });
  const probe: Probe = async () => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const signal = AbortSignal.timeout(opts.timeoutMs);
    try {
      const res = await request(opts.url, {
        method: 'GET',
        dispatcher: agent,
        signal,
        headers: {
          accept: 'application/json',
          'cache-control': 'no-cache',
          'user-agent': 'app-platform-pipeline/health-gate'
        }
      });
      const text = await readLimited(res.body);
      const latencyMs = elapsed();
      const verdict = judgeHealthBody(text, opts.expectedVersion);
      if (res.statusCode < 200 || res.statusCode > 299) {
        // The body of a 503 usually says which check failed: keep that in the reason.
        const detail = verdict.kind === 'check' || verdict.kind === 'unhealthy' ? `; ${verdict.reason}` : '';
        return {
          ok: false,
          status: res.statusCode,
          latencyMs,
          kind: 'http-status',
          reason: `HTTP ${res.statusCode}${detail}`,
          failingChecks: verdict.failingChecks,
          version: verdict.version
        };
      }
      return { status: res.statusCode, latencyMs, ...verdict };
    } catch (error) {
      if (signal.aborted)
        return {
          ok: false,
          latencyMs: opts.timeoutMs,
          kind: 'timeout',
          reason: `no answer within ${opts.timeoutMs} ms`
        };
      return { ok: false, kind: 'network', reason: networkReason(error) };
    }
  };
  return { probe, close: () => agent.close() };
}

async function readLimited(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_BODY_BYTES) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY_BYTES);
}

/** `connect ECONNREFUSED 127.0.0.1:8080`, with the error code and the cause undici wraps. */
export function networkReason(error: unknown): string {
  const parts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e && depth < 3; depth++) {
    const code = (e as { code?: unknown }).code;
    const msg = errorMessage(e);
    const text = typeof code === 'string' && !msg.includes(code) ? `${code}: ${msg}` : msg;
    if (!parts.includes(text)) parts.push(text);
    e = (e as { cause?: unknown }).cause;
  }
  return `network error: ${parts.join(' <- ')}`;
}
