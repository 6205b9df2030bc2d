import pg from 'pg';
import { withSslDefaults } from './url.js';

/**
 * SQL access for the checks the actions make themselves (versions, row counts, scratch databases).
 * The connection uses the same TLS default as pg_dump (sslmode=require to non-local hosts).
 */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: nodePgConnectionString(url),
    application_name: 'app-platform-pipeline'
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The URL for node-postgres: TLS defaults as for libpq, and libpq's meaning of `sslmode` (node-postgres
 * otherwise treats `require` as `verify-full`, which rejects DigitalOcean's managed-database CA).
 * Only for node-postgres: libpq rejects the extra parameter.
 */
export function nodePgConnectionString(url: string): string {
  const u = new URL(withSslDefaults(url));
  if (u.searchParams.has('sslmode') && !u.searchParams.has('uselibpqcompat'))
    u.searchParams.set('uselibpqcompat', 'true');
  return u.toString();
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

export async function serverMajorVersion(url: string): Promise<number> {
  return (await serverVersion(url)).major;
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
