import { createHash } from 'node:crypto';
import pg from 'pg';
import { formatDuration } from '../kit/duration.js';
import { sleep as realSleep } from '../kit/retry.js';
import { describeConnection, nodePgConnectionString } from './url.js';

/**
 * PostgreSQL session advisory locks held on a dedicated, direct connection (not through PgBouncer in
 * transaction mode, which would hand the session to someone else). The lock lives exactly as long as the
 * connection: if the job dies, PostgreSQL releases it.
 */

/** A stable 64-bit lock key for a name, so every pipeline migrating a database agrees on it. */
export function advisoryLockKey(name: string): bigint {
  return createHash('sha256').update(name).digest().readBigInt64BE(0);
}

export class PostgresConnectionError extends Error {
  constructor(
    message: string,
    readonly code?: string
  ) {
    super(message);
    this.name = 'PostgresConnectionError';
  }
}

/** Connects `client`; a failure closes it and is one line naming the server, database and user, never the password. */
export async function connectOrExplain(client: pg.Client, url: string): Promise<pg.Client> {
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    const e = error as Error & { code?: string };
    // The TLS rule (url.ts) asked for TLS the server does not offer: say which setting decides.
    const hint =
      /does not support SSL/i.test(e.message) && nodePgConnectionString(url) !== url
        ? ' - put sslmode=disable in the URL to connect without TLS (a non-local host gets sslmode=require unless the URL names one)'
        : '';
    throw new PostgresConnectionError(
      `Cannot connect to PostgreSQL at ${describeConnection(url)}: ${e.message}${e.code ? ` (${e.code})` : ''}${hint}`,
      e.code
    );
  }
}

export interface DirectConnectionOptions {
  applicationName?: string;
  connectTimeoutMs?: number;
}

/** Opens one connection; a failure is one line naming the server, database and user, never the password. */
export async function openDirectConnection(
  url: string,
  opts: DirectConnectionOptions = {}
): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: nodePgConnectionString(url),
    application_name: opts.applicationName,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 15_000,
    keepAlive: true
  });
  // A dropped connection is reported by the next query; without a listener it would crash the process.
  client.on('error', () => undefined);
  return connectOrExplain(client, url);
}

export interface LockHolder {
  pid: number;
  user?: string;
  application?: string;
  client?: string;
  backendStart?: Date;
  state?: string;
}

/** Sessions holding the advisory lock `key` in the current database (from pg_locks + pg_stat_activity). */
export async function advisoryLockHolders(client: pg.Client, key: bigint): Promise<LockHolder[]> {
  const unsigned = BigInt.asUintN(64, key);
  const classid = (unsigned >> 32n).toString();
  const objid = (unsigned & 0xffffffffn).toString();
  const { rows } = await client.query<{
    pid: number;
    usename: string | null;
    application_name: string | null;
    client_addr: string | null;
    backend_start: Date | null;
    state: string | null;
  }>(
    `SELECT l.pid, a.usename, a.application_name, a.client_addr::text AS client_addr, a.backend_start, a.state
       FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
        AND l.classid = $1::oid AND l.objid = $2::oid
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [classid, objid]
  );
  return rows.map(r => ({
    pid: r.pid,
    user: r.usename ?? undefined,
    application: r.application_name || undefined,
    client: r.client_addr ?? undefined,
    backendStart: r.backend_start ?? undefined,
    state: r.state ?? undefined
  }));
}

export function describeHolder(h: LockHolder): string {
  const parts = [
    h.user && `user ${h.user}`,
    h.application && `application '${h.application}'`,
    h.client && `from ${h.client}`,
    h.backendStart && `connected since ${h.backendStart.toISOString()}`,
    h.state && `state ${h.state}`
  ].filter(Boolean);
  return `pid ${h.pid}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

export class LockTimeoutError extends Error {
  constructor(
    message: string,
    readonly holders: LockHolder[]
  ) {
    super(message);
    this.name = 'LockTimeoutError';
  }
}

export interface AcquireOptions {
  timeoutMs: number;
  /** How often to try again while another session holds the lock (default 1 s). */
  pollMs?: number;
  /** What the lock protects, for messages: `the migration lock`. */
  label?: string;
  /** Called once, when the first attempt finds the lock taken. */
  onWait?: (holders: LockHolder[]) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface HeldLock {
  key: bigint;
  waitedMs: number;
  release(): Promise<void>;
}

/** One attempt at the session advisory lock `key`: held, or undefined when another session holds it. */
export async function tryAdvisoryLock(
  client: pg.Client,
  key: bigint,
  waitedMs = 0
): Promise<HeldLock | undefined> {
  const { rows } = await client.query<{ locked: boolean }>(
    'SELECT pg_try_advisory_lock($1::bigint) AS locked',
    [key.toString()]
  );
  if (!rows[0]?.locked) return undefined;
  return {
    key,
    waitedMs,
    release: async () => {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [key.toString()]);
    }
  };
}

/**
 * Takes the session advisory lock `key`, polling pg_try_advisory_lock until `timeoutMs` (a blocking
 * pg_advisory_lock could not be bounded without a statement_timeout that would also bound other work).
 */
export async function acquireAdvisoryLock(
  client: pg.Client,
  key: bigint,
  opts: AcquireOptions
): Promise<HeldLock> {
  const now = opts.now ?? Date.now;
  const wait = opts.sleep ?? realSleep;
  const pollMs = opts.pollMs ?? 1000;
  const label = opts.label ?? `advisory lock ${key}`;
  const started = now();
  for (let attempt = 0; ; attempt++) {
    const held = await tryAdvisoryLock(client, key, now() - started);
    if (held) return held;
    const elapsed = now() - started;
    if (attempt === 0 && opts.onWait) opts.onWait(await advisoryLockHolders(client, key));
    if (elapsed >= opts.timeoutMs) {
      const holders = await advisoryLockHolders(client, key);
      const who = holders.length
        ? `held by ${holders.map(describeHolder).join('; ')}`
        : 'no holder is visible (it was released just now)';
      throw new LockTimeoutError(
        `Timed out after ${formatDuration(opts.timeoutMs)} waiting for ${label}: ${who}`,
        holders
      );
    }
    await wait(Math.min(pollMs, Math.max(0, opts.timeoutMs - elapsed)));
  }
}
