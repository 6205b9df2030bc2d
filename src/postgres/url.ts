import { redactUrl } from '../kit/secrets.js';

/**
 * PostgreSQL connection URLs: TLS defaults, database switching, and the split between what may appear on a
 * command line (the URL without its password) and what must travel in the environment (PGPASSWORD).
 */

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '']);

/** Loopback or a Unix socket directory: traffic never leaves the machine, TLS is not required. */
export function isLocalHost(host: string): boolean {
  return LOCAL_HOSTS.has(host.toLowerCase()) || host.startsWith('/') || host.startsWith('%2F');
}

function parse(url: string): URL {
  const u = new URL(url);
  if (u.protocol !== 'postgresql:' && u.protocol !== 'postgres:')
    throw new Error(`not a PostgreSQL URL (expected postgresql://), got '${u.protocol}//'`);
  return u;
}

/**
 * THE TLS rule for every connection an action makes itself (backup, restore, verify, migrate's lock connection,
 * import-sqlite; pg_dump, pg_restore, psql and node-postgres alike): the `sslmode` in the URL wins, even
 * `disable`; without one, a host that is not local gets `sslmode=require` (encrypted; the certificate is checked
 * only with `sslmode=verify-full` and `sslrootcert`, as libpq does), so no database crosses a network in clear
 * text by accident; loopback and Unix sockets get nothing added. `tlsDefaultLine` says when the rule chose.
 * (Alembic connects with the URL exactly as given: psycopg2's default `prefer` encrypts where the server offers it.)
 */
export function withSslDefaults(url: string): string {
  const u = parse(url);
  const hostParam = u.searchParams.get('host') ?? '';
  const host = hostParam || u.hostname;
  if (u.searchParams.has('sslmode') || isLocalHost(host)) return url;
  u.searchParams.set('sslmode', 'require');
  return u.toString();
}

/**
 * The one line an action logs when the TLS rule chose for the user (a non-local host, no `sslmode` in the URL):
 * what it did and how to change it; undefined when the URL chose, or the host is local.
 */
export function tlsDefaultLine(url: string, input = 'database-url'): string | undefined {
  if (withSslDefaults(url) === url) return undefined;
  const u = parse(url);
  return (
    `PostgreSQL at ${u.hostname}${u.port ? `:${u.port}` : ''}: connecting with TLS (sslmode=require: encrypted, ` +
    `certificate not verified) because the host is not local and ${input} names no sslmode; put ` +
    `sslmode=verify-full&sslrootcert=<ca file> in ${input} to verify the server, or sslmode=disable for a server without TLS`
  );
}

/** Logs `tlsDefaultLine` once, where an action reads its database URL. */
export function logTlsDefault(log: { info(line: string): void }, url: string): void {
  const line = tlsDefaultLine(url);
  if (line) log.info(line);
}

/**
 * The URL for node-postgres: the TLS rule above, and libpq's meaning of `sslmode` (node-postgres otherwise treats
 * `require` as `verify-full`, which rejects DigitalOcean's managed-database CA). Only for node-postgres: libpq
 * rejects the extra parameter.
 */
export function nodePgConnectionString(url: string): string {
  const u = new URL(withSslDefaults(url));
  if (u.searchParams.has('sslmode') && !u.searchParams.has('uselibpqcompat'))
    u.searchParams.set('uselibpqcompat', 'true');
  return u.toString();
}

/** The database named by the URL (`postgres` when absent, as libpq defaults to the user name otherwise). */
export function databaseName(url: string): string {
  const u = parse(url);
  const name = decodeURIComponent(u.pathname.replace(/^\//, ''));
  return name || decodeURIComponent(u.username) || 'postgres';
}

/** The same server and credentials, another database. */
export function withDatabase(url: string, database: string): string {
  const u = parse(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/**
 * Where a URL points, never its credentials; the one describer, in two forms. `host[:port]/database`, for logs
 * and summaries: backup manifests store it (`source.host`), so its form is data.
 */
export function describeDatabase(url: string): string {
  const u = parse(url);
  return `${u.hostname}${u.port ? `:${u.port}` : ''}/${databaseName(url)}`;
}

/** `host:port, database d, user u`: what a connection error names (the port and database libpq would use). */
export function describeConnection(url: string): string {
  let u: URL;
  try {
    u = parse(url);
  } catch {
    return redactUrl(url);
  }
  const user = decodeURIComponent(u.username) || '(default)';
  return `${u.hostname}:${u.port || '5432'}, database ${databaseName(url)}, user ${user}`;
}

/**
 * For pg_dump/pg_restore/psql: the URL without its password (command lines are visible to every process on
 * the machine) and the environment that carries the password instead.
 */
export function libpqConnection(url: string): { dbname: string; env: Record<string, string> } {
  const u = parse(withSslDefaults(url));
  // A server that accepts and never answers fails pg_dump/pg_restore in bounded time, as our own connections.
  const env: Record<string, string> = u.searchParams.has('connect_timeout')
    ? {}
    : { PGCONNECT_TIMEOUT: '15' };
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env };
}
