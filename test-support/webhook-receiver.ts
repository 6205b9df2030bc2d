/**
 * A local incoming-webhook receiver (loopback only) for the notify tests and the rehearsal: records every POST
 * body as Slack's incoming webhooks receive it, and can be told to fail (answer 500, or never answer) so the
 * sender's "a failing notification never fails the step" can be shown.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedMessage {
  path: string;
  contentType?: string;
  body: unknown;
  raw: string;
}

export type ReceiverMode = 'ok' | 'error' | 'hang';

export interface WebhookReceiver {
  /** Base URL, http://127.0.0.1:<port>; a webhook URL is `${url}/hooks/<anything>`. */
  url: string;
  messages: ReceivedMessage[];
  /** Requests seen, including the ones answered with an error or left hanging. */
  requests: number;
  setMode(mode: ReceiverMode): void;
  stop(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  let mode: ReceiverMode = 'ok';
  const messages: ReceivedMessage[] = [];
  const hanging = new Set<ServerResponse>();
  const state = { requests: 0 };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      if (mode === 'hang') {
        hanging.add(res);
        return;
      }
      if (mode === 'error') {
        // Slack answers failures with a short plain-text reason.
        res.writeHead(500, { 'content-type': 'text/plain', 'x-slack-req-id': `req-${state.requests}` });
        res.end('internal_error');
        return;
      }
      if (req.method !== 'POST') {
        res.writeHead(405).end('invalid_method');
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
        return;
      }
      if (typeof (body as { text?: unknown }).text !== 'string' || !(body as { text: string }).text) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('no_text');
        return;
      }
      messages.push({ path: req.url ?? '/', contentType: req.headers['content-type'], body, raw });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  };
  const server: Server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    get requests() {
      return state.requests;
    },
    setMode: m => {
      mode = m;
    },
    stop: async () => {
      for (const res of hanging) res.destroy();
      hanging.clear();
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    }
  };
}
