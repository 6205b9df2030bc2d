/** A bad input: the message always names the input, so the user knows which line of `with:` to fix. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    problem: string
  ) {
    super(`Input '${input}' ${problem}`);
    this.name = 'InputError';
  }
}

export interface RemoteErrorDetails {
  /** What we were doing, e.g. `GET /v2/apps/123` or `PutObject s3://bucket/key`. */
  call: string;
  status?: number;
  /** The server's own error code (DigitalOcean `id`, S3 `Code`). */
  code?: string;
  /** The server's own message, verbatim. */
  serverMessage?: string;
  requestId?: string;
}

/** A failure reported by a remote service: carries the call, the server's message and its request id. */
export class RemoteError extends Error {
  readonly call: string;
  readonly status?: number;
  readonly code?: string;
  readonly serverMessage?: string;
  readonly requestId?: string;

  constructor(details: RemoteErrorDetails) {
    super(formatRemoteError(details));
    this.name = 'RemoteError';
    this.call = details.call;
    this.status = details.status;
    this.code = details.code;
    this.serverMessage = details.serverMessage;
    this.requestId = details.requestId;
  }
}

function formatRemoteError(d: RemoteErrorDetails): string {
  const parts = [`${d.call} failed`];
  const what = [d.status !== undefined ? `HTTP ${d.status}` : '', d.code ?? ''].filter(Boolean).join(' ');
  if (what) parts.push(`: ${what}`);
  if (d.serverMessage) parts.push(`${what ? ' - ' : ': '}${d.serverMessage}`);
  if (d.requestId) parts.push(` (request id ${d.requestId})`);
  return parts.join('');
}

/** The message of anything thrown, without a stack. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}
