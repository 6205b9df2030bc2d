/**
 * Replays response bodies transcribed from DigitalOcean's own code and spec (./evidence/*.json) to the action
 * bundles: each route answers its scripted responses in order (the last one repeats), log archives are plain
 * text, live log URLs are websockets that send `{"data": line}` messages and close (doctl's protocol), and every
 * request is recorded so a test can assert what the bundle asked for.
 */
import { createHash, randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOutputFile, readAction, repoRoot } from '../../bin/run-bundle.js';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

export type Obj = Record<string, unknown>;

export interface Reply {
  status?: number;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  /** Runs when this reply is sent (a scenario's state changes: "the first call took effect"). */
  effect?: () => void;
}

export interface Route {
  method: string;
  /** Exact path, or a regular expression on the path. */
  path: string | RegExp;
  /** Query parameters that must match (e.g. `{type: 'BUILD'}`). */
  query?: Record<string, string>;
  replies: Reply[] | ((req: Recorded) => Reply);
}

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  authorization?: string;
}

interface Evidence {
  [name: string]: { source: string; body: unknown; text?: string };
}

/** One evidence file; `fixture(file, name)` returns a fresh copy of one transcribed body. */
export function loadEvidence(file: string): Evidence {
  return JSON.parse(readFileSync(new URL(`./evidence/${file}.json`, import.meta.url), 'utf8')) as Evidence;
}

export function fixture<T = Obj>(file: string, name: string): T {
  const entry = loadEvidence(file)[name];
  if (!entry) throw new Error(`no fixture ${name} in evidence/${file}.json`);
  return structuredClone(entry.body) as T;
}

export function fixtureText(file: string, name: string): string {
  const entry = loadEvidence(file)[name];
  if (entry?.text === undefined) throw new Error(`no text for fixture ${name} in evidence/${file}.json`);
  return entry.text;
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function wsFrame(opcode: number, payload: Buffer): Buffer {
  const n = payload.length;
  if (n < 126) return Buffer.concat([Buffer.from([0x80 | opcode, n]), payload]);
  const head = Buffer.alloc(4);
  head[0] = 0x80 | opcode;
  head[1] = 126;
  head.writeUInt16BE(n, 2);
  return Buffer.concat([head, payload]);
}

export class ReplayServer {
  readonly requests: Recorded[] = [];
  /** Requests no route matched (answered 404): a test asserts this stays empty. */
  readonly unmatched: Recorded[] = [];
  /** Lines served on `${url}/live/<name>` as websocket messages. */
  readonly liveLogs = new Map<string, string[]>();
  /** Text served on `${url}/archive/<name>`. */
  readonly archives = new Map<string, string>();
  private server?: Server;
  private readonly sockets = new Set<Duplex>();
  private readonly counters = new Map<Route, number>();
  url = '';

  constructor(private routes: Route[] = []) {}

  /** Adds routes in front (they win over earlier ones). */
  use(...routes: Route[]): this {
    this.routes = [...routes, ...this.routes];
    return this;
  }

  calls(method: string, path: string | RegExp): Recorded[] {
    return this.requests.filter(
      r => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path))
    );
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c as Buffer));
      req.on('end', () => {
        const u = new URL(req.url ?? '/', 'http://replay');
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = text;
        }
        const rec: Recorded = {
          method: req.method ?? 'GET',
          path: u.pathname,
          query: u.searchParams,
          body,
          authorization: req.headers.authorization
        };
        this.requests.push(rec);
        const archive = /^\/archive\/(.+)$/.exec(u.pathname);
        if (archive && this.archives.has(archive[1]!)) {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end(this.archives.get(archive[1]!));
          return;
        }
        const reply = this.reply(rec);
        if (!reply) this.unmatched.push(rec);
        const out = reply ?? {
          status: 404,
          body: { id: 'not_found', message: 'The resource you requested could not be found.' }
        };
        out.effect?.();
        res.writeHead(out.status ?? 200, {
          'content-type': 'application/json',
          'x-request-id': randomUUID(),
          ...out.headers
        });
        res.end(out.raw ?? (out.body === undefined ? '' : JSON.stringify(out.body)));
      });
    });
    this.server.on('upgrade', (req, socket) => this.upgrade(req, socket));
    this.server.on('connection', s => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>(resolve => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>(resolve => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private reply(rec: Recorded): Reply | undefined {
    for (const route of this.routes) {
      if (route.method !== rec.method) continue;
      if (typeof route.path === 'string' ? route.path !== rec.path : !route.path.test(rec.path)) continue;
      if (route.query && Object.entries(route.query).some(([k, v]) => rec.query.get(k) !== v)) continue;
      if (typeof route.replies === 'function') return route.replies(rec);
      const n = this.counters.get(route) ?? 0;
      this.counters.set(route, n + 1);
      return route.replies[Math.min(n, route.replies.length - 1)];
    }
    return undefined;
  }

  /** `${url}/live/<name>`: handshake, one text frame per line, then a normal close. */
  private upgrade(req: IncomingMessage, socket: Duplex): void {
    const u = new URL(req.url ?? '/', 'http://replay');
    this.requests.push({ method: 'WEBSOCKET', path: u.pathname, query: u.searchParams, body: undefined });
    const lines = /^\/live\/(.+)$/.test(u.pathname) ? this.liveLogs.get(u.pathname.slice(6)) : undefined;
    const key = req.headers['sec-websocket-key'];
    if (!lines || typeof key !== 'string') {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const accept = createHash('sha1')
      .update(key + GUID)
      .digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: ${accept}\r\n\r\n`
    );
    for (const line of lines) socket.write(wsFrame(0x1, Buffer.from(JSON.stringify({ data: line }))));
    const code = Buffer.alloc(2);
    code.writeUInt16BE(1000, 0);
    socket.end(wsFrame(0x8, code));
  }
}

/** A bundle run the test can signal (SIGINT as the runner cancels): inputs as INPUT_*, output and summary files. */
export function spawnBundle(
  name: string,
  inputs: Record<string, string>,
  env: NodeJS.ProcessEnv
): {
  child: ChildProcess;
  done: Promise<{ code: number | null; log: string; outputs: Record<string, string>; summary: string }>;
} {
  const work = mkdtempSync(join(tmpdir(), `replay-${name}-`));
  const outputFile = join(work, 'output');
  const summaryFile = join(work, 'summary.md');
  writeFileSync(outputFile, '');
  const full: NodeJS.ProcessEnv = { ...env, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile };
  for (const [input, spec] of Object.entries(readAction(name).inputs ?? {}))
    full[`INPUT_${input.toUpperCase()}`] = inputs[input] ?? spec.default ?? '';
  const child = spawn(
    process.env.BUNDLE_NODE || process.execPath,
    [join(repoRoot, 'dist', name, 'index.js')],
    {
      env: full,
      stdio: ['ignore', 'pipe', 'pipe']
    }
  );
  let log = '';
  child.stdout!.on('data', d => (log += d));
  child.stderr!.on('data', d => (log += d));
  const done = new Promise<{
    code: number | null;
    log: string;
    outputs: Record<string, string>;
    summary: string;
  }>(resolve =>
    child.on('close', code => {
      const out = {
        code,
        log,
        outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
        summary: existsSync(summaryFile) ? readFileSync(summaryFile, 'utf8') : ''
      };
      rmSync(work, { recursive: true, force: true });
      resolve(out);
    })
  );
  return { child, done };
}

/** Resolves once `predicate` holds for the recorded requests (polling; the bundle runs in another process). */
export async function until(predicate: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 25));
  }
}
