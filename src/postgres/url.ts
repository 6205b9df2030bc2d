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
 * Adds `sslmode=require` when the host is not local and the URL does not choose a mode itself: a backup
 * should never carry the database over the network in clear text by accident. An explicit `sslmode`
 * (even `disable`) is respected.
 */
export function withSslDefaults(url: string): string {
  const u = parse(url);
  const hostParam = u.searchParams.get('host') ?? '';
  const host = hostParam || u.hostname;
  if (u.searchParams.has('sslmode') || isLocalHost(host)) return url;
  u.searchParams.set('sslmode', 'require');
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

/** Host:port/database, for logs and summaries (never the credentials). */
export function describeDatabase(url: string): string {
  const u = parse(url);
  return `${u.hostname}${u.port ? `:${u.port}` : ''}/${databaseName(url)}`;
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
