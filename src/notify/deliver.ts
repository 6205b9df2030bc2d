import { request } from 'undici';
import { RemoteError, errorMessage } from '../kit/errors.js';
import { parseRetryAfter, retry, sleep } from '../kit/retry.js';
import { redact } from '../kit/secrets.js';
import type { SlackMessage } from './message.js';

/**
 * Posts one message to an incoming webhook. Never throws: a notification must not fail the step that sends it,
 * so the outcome says what went wrong and the caller reports it (warning + summary line); a URL that is not http(s)
 * is such an outcome too (a warning naming the input, not a failed step).
 * The webhook URL is itself the credential (Slack, Discord and Mattermost put the token in the path), so errors
 * name only its origin.
 */
export interface DeliveryOptions {
  /** The whole budget for the delivery, retries included. */
  timeoutMs: number;
  /** Attempts on 429, 502-504 and refused/reset connections (default 3). A timeout is not retried. */
  attempts?: number;
  wait?: (ms: number) => Promise<void>;
}

export type DeliveryOutcome =
  | { delivered: true; status: number; attempts: number }
  | { delivered: false; status?: number; attempts: number; error: string };

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const RETRYABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

class RetryableError extends Error {
  constructor(
    override readonly cause: Error,
    readonly retryAfterMs?: number
  ) {
    super(cause.message);
  }
}

export function webhookOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the webhook';
  }
}

export async function deliverNotification(
  webhookUrl: string,
  message: SlackMessage,
  opts: DeliveryOptions
): Promise<DeliveryOutcome> {
  if (!/^https?:\/\//i.test(webhookUrl))
    return { delivered: false, attempts: 0, error: "Input 'webhook-url' must be an http(s) URL" };
  const call = `POST ${webhookOrigin(webhookUrl)}/…`;
  const deadline = Date.now() + opts.timeoutMs;
  let attempts = 0;
  let lastStatus: number | undefined;
  try {
    const status = await retry(
      async () => {
        attempts++;
        const remaining = Math.max(1, deadline - Date.now());
        let res;
        try {
          res = await request(webhookUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'user-agent': 'app-platform-pipeline/notify' },
            body: JSON.stringify(message),
            signal: AbortSignal.timeout(remaining),
            headersTimeout: remaining,
            bodyTimeout: remaining
          });
        } catch (error) {
          const code =
            (error as NodeJS.ErrnoException).code ?? (error as { cause?: { code?: string } }).cause?.code;
          const failure = new Error(
            (error instanceof Error && error.name === 'TimeoutError') ||
              (code?.startsWith('UND_ERR_') && code.includes('TIMEOUT'))
              ? `${call} timed out after ${Math.round(opts.timeoutMs / 1000)} s`
              : `${call} failed: ${code ?? errorMessage(error)}`
          );
          if (code && RETRYABLE_CODES.has(code)) throw new RetryableError(failure);
          throw failure;
        }
        lastStatus = res.statusCode;
        const body = (await res.body.text().catch(() => '')).trim();
        if (res.statusCode >= 200 && res.statusCode < 300) return res.statusCode;
        const header = (name: string) => {
          const v = res.headers[name];
          return Array.isArray(v) ? v[0] : v;
        };
        const failure = new RemoteError({
          call,
          status: res.statusCode,
          serverMessage: body.slice(0, 300) || undefined,
          requestId: header('x-slack-req-id') ?? header('x-request-id') ?? header('cf-ray')
        });
        if (RETRYABLE_STATUS.has(res.statusCode))
          throw new RetryableError(failure, parseRetryAfter(header('retry-after')));
        throw failure;
      },
      {
        attempts: opts.attempts ?? 3,
        baseDelayMs: 500,
        maxDelayMs: 5000,
        isRetryable: e => e instanceof RetryableError && Date.now() < deadline,
        retryAfterMs: e => (e instanceof RetryableError ? e.retryAfterMs : undefined),
        sleep: ms => (opts.wait ?? sleep)(Math.min(ms, Math.max(0, deadline - Date.now())))
      }
    );
    return { delivered: true, status, attempts };
  } catch (error) {
    const cause = error instanceof RetryableError ? error.cause : error;
    return { delivered: false, status: lastStatus, attempts, error: redact(errorMessage(cause)) };
  }
}
