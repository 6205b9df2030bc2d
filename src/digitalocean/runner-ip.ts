import { isIPv4, isIPv6 } from 'node:net';
import { request } from 'undici';
import { RemoteError } from '../kit/errors.js';
import { retry } from '../kit/retry.js';

/** ipify's IPv4-only endpoint answers the caller's public address as plain text (what Azure's sql-action uses). */
export const DEFAULT_RUNNER_IP_URL = 'https://api.ipify.org';

/** A refusal the user must act on: one line, no retry helps. */
export class TrustedSourceRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrustedSourceRefusal';
  }
}

/**
 * This runner's public IPv4 address as the service at `url` sees it. Accepts a plain-text answer or JSON
 * `{"ip": "..."}`. An IPv6 answer is refused: DigitalOcean's database firewall takes no IPv6 trusted sources.
 */
export async function lookUpRunnerIp(
  url: string,
  opts: { timeoutMs?: number; sleep?: (ms: number) => Promise<void> } = {}
): Promise<string> {
  const call = `GET ${url}`;
  const text = await retry(
    async () => {
      const res = await request(url, {
        method: 'GET',
        headers: { accept: 'text/plain, application/json' },
        headersTimeout: opts.timeoutMs ?? 10_000,
        bodyTimeout: opts.timeoutMs ?? 10_000
      });
      const body = await res.body.text();
      if (res.statusCode !== 200)
        throw new RemoteError({ call, status: res.statusCode, serverMessage: body.trim().slice(0, 200) });
      return body.trim();
    },
    {
      attempts: 3,
      baseDelayMs: 500,
      sleep: opts.sleep,
      isRetryable: err => !(err instanceof RemoteError) || (err.status ?? 500) >= 500
    }
  );
  let address = text;
  if (text.startsWith('{')) {
    try {
      address = String((JSON.parse(text) as { ip?: unknown }).ip ?? '');
    } catch {
      address = '';
    }
  }
  if (isIPv4(address)) return address;
  if (isIPv6(address))
    throw new TrustedSourceRefusal(
      `trusted-source: the runner has only an IPv6 address (${address}, from ${url}); DigitalOcean's database firewall accepts IPv4 trusted sources only - use a runner with IPv4 egress, a self-hosted runner in the database's VPC, or a PRE_DEPLOY job`
    );
  throw new TrustedSourceRefusal(
    `Input 'runner-ip-url' did not answer an IP address: ${url} answered '${text.slice(0, 80)}'`
  );
}
