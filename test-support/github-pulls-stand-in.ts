/**
 * A loopback stand-in for the two corners of GitHub's REST API the preview workflow's scripts use
 * (docs.github.com/rest: "List pull requests", "List/Create/Update issue comments"): pages of 100 via
 * `per_page`/`page`, a Bearer token required, comments stored in memory.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredComment {
  id: number;
  body: string;
}

export interface GitHubStandIn {
  url: string;
  openPulls: number[];
  comments: Map<number, StoredComment[]>;
  requests: string[];
  stop(): Promise<void>;
}

/** `token`: the one accepted, or a test of it (a workflow run's GITHUB_TOKEN is made per run). */
export async function startGitHubStandIn(
  repository: string,
  token: string | ((token: string) => boolean)
): Promise<GitHubStandIn> {
  const accepts = (header: string | undefined) =>
    typeof token === 'string'
      ? header === `Bearer ${token}`
      : !!header?.startsWith('Bearer ') && token(header.slice('Bearer '.length));
  const comments = new Map<number, StoredComment[]>();
  const requests: string[] = [];
  const state = { openPulls: [] as number[], nextId: 1000 };
  const send = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (!accepts(req.headers.authorization)) return send(res, 401, { message: 'Bad credentials' });
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
    const page = Number(url.searchParams.get('page') ?? 1);
    const slice = <T>(all: T[]) => all.slice((page - 1) * perPage, page * perPage);
    const base = `/repos/${repository}`;
    if (req.method === 'GET' && url.pathname === `${base}/pulls`)
      return send(res, 200, slice(state.openPulls.map(number => ({ number, state: 'open' }))));
    let m = new RegExp(`^${base}/issues/(\\d+)/comments$`).exec(url.pathname);
    if (m) {
      const list = comments.get(Number(m[1])) ?? [];
      if (req.method === 'GET') return send(res, 200, slice(list));
      if (req.method === 'POST') {
        const comment = { id: state.nextId++, body: (JSON.parse(raw) as { body: string }).body };
        comments.set(Number(m[1]), [...list, comment]);
        return send(res, 201, comment);
      }
    }
    m = new RegExp(`^${base}/issues/comments/(\\d+)$`).exec(url.pathname);
    if (m && req.method === 'PATCH') {
      for (const list of comments.values())
        for (const c of list)
          if (c.id === Number(m[1])) {
            c.body = (JSON.parse(raw) as { body: string }).body;
            return send(res, 200, c);
          }
      return send(res, 404, { message: 'Not Found' });
    }
    send(res, 404, { message: 'Not Found' });
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get openPulls() {
      return state.openPulls;
    },
    set openPulls(v: number[]) {
      state.openPulls = v;
    },
    comments,
    requests,
    stop: () => new Promise<void>(resolve => server.close(() => resolve()))
  };
}
