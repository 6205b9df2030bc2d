import pg from 'pg';
import { connectOrExplain } from './advisory-lock.js';
import { describeConnection, nodePgConnectionString } from './url.js';

/** A server that accepts and never answers fails the connection after this long (libpq's and ours). */
export const CONNECT_TIMEOUT_MS = 15_000;

/**
 * Opens a node-postgres connection that cannot crash the process or hang: a connect timeout, and an `error`
 * listener (a connection the server drops, e.g. pg_terminate_backend or a restart, is then reported by the next
 * query, and through `onError` at once). A failure to connect is one line naming host, port, database and user.
 */
export async function connectClient(
  url: string,
  opts: { applicationName?: string; onError?: (error: Error) => void; connectTimeoutMs?: number } = {}
): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: nodePgConnectionString(url),
    application_name: opts.applicationName ?? 'app-platform-pipeline',
    connectionTimeoutMillis: opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    keepAlive: true
  });
  client.on('error', error =>
    opts.onError?.(new Error(`PostgreSQL connection at ${describeConnection(url)} lost: ${error.message}`))
  );
  return connectOrExplain(client, url);
}

/**
 * SQL access for the checks the actions make themselves (versions, row counts, scratch databases).
 * The connection uses the same TLS default as pg_dump (sslmode=require to non-local hosts).
 */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connectClient(url);
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface ServerVersion {
  /** `15.18 (Debian 15.18-0+deb12u1)` */
  version: string;
  /** 150018 */
  versionNum: number;
  major: number;
}

export async function serverVersion(url: string): Promise<ServerVersion> {
  return withClient(url, queryServerVersion);
}

export async function queryServerVersion(c: pg.Client): Promise<ServerVersion> {
  const r = await c.query<{ v: string; n: string }>(
    "SELECT current_setting('server_version') AS v, current_setting('server_version_num') AS n"
  );
  const n = Number(r.rows[0]!.n);
  return { version: r.rows[0]!.v, versionNum: n, major: n >= 100000 ? Math.floor(n / 10000) : n / 10000 };
}

/** pg_database_size of the connection's database. */
export async function queryDatabaseBytes(c: pg.Client): Promise<number> {
  const r = await c.query<{ b: string }>('SELECT pg_database_size(current_database()) AS b');
  return Number(r.rows[0]!.b);
}

/** Quotes an identifier for SQL (`"my ""db"""`). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export async function createDatabase(url: string, name: string): Promise<void> {
  await withClient(url, c => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
}

export async function dropDatabase(url: string, name: string): Promise<void> {
  await withClient(url, c => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

/** User tables (not system schemas) in the URL's database: a restore target must have none. */
export async function userTables(url: string): Promise<string[]> {
  return withClient(url, async c => {
    const r = await c.query<{ t: string }>(
      `SELECT format('%I.%I', n.nspname, c.relname) AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
        ORDER BY 1`
    );
    return r.rows.map(row => row.t);
  });
}
