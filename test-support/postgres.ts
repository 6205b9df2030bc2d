// A throw-away PostgreSQL cluster from Debian's binaries: initdb + pg_ctl in a private temp dir, TCP on a free
// 127.0.0.1 port with scram password auth, the unix socket inside the temp dir, durability switched off for speed.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import pg from 'pg';
import { quoteIdent } from '../src/postgres/server.js';
import { retryOnPortClash, freePort } from './ports.js';
import {
  Guard,
  logTail,
  makeTempDir,
  processName,
  ramTempBase,
  run,
  terminate,
  type RunOptions
} from './process.js';

export interface PostgresInfo {
  /** postgresql://user:password@127.0.0.1:port/database (user and password URL-encoded). */
  url: string;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** e.g. /usr/lib/postgresql/15/bin: where pg_dump/pg_restore/psql of the server's version live. */
  binDir: string;
  majorVersion: number;
  /** The temp dir holding the data dir, socket and log (removed by stop()). */
  dir: string;
  /** The postmaster's pid. */
  pids: number[];
}

export interface PostgresServer extends PostgresInfo {
  /** The URL of another database on this server. */
  urlFor(database: string): string;
  /** Creates a database (CREATE DATABASE) and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Drops a database, disconnecting its sessions; no error when it does not exist. */
  dropDatabase(name: string): Promise<void>;
  /** Stops the server and removes its directory; a no-op for a server this process does not own. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Default: the highest version under /usr/lib/postgresql/. */
  binDir?: string;
  /** Superuser name; default 'postgres'. */
  user?: string;
  /** Default: random hex. Any characters work (the URL encodes them). */
  password?: string;
}

/** The bin dir of the newest PostgreSQL installed from Debian packages. */
export function findPostgresBinDir(root = '/usr/lib/postgresql'): string {
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter(v => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
        .map(Number)
        .sort((a, b) => b - a)
    : [];
  if (versions.length === 0) throw new Error(`no PostgreSQL server binaries under ${root}/<version>/bin`);
  return join(root, String(versions[0]), 'bin');
}

export async function startPostgres(opts: StartPostgresOptions = {}): Promise<PostgresServer> {
  const binDir = opts.binDir ?? findPostgresBinDir();
  const user = opts.user ?? 'postgres';
  const password = opts.password ?? randomBytes(12).toString('hex');
  const dir = makeTempDir('pg', ramTempBase());
  const guard = new Guard(dir);
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  // initdb and pg_ctl refuse to run as root: as root, run them as the Debian 'postgres' user.
  const asUser: { uid?: number; gid?: number } = process.getuid?.() === 0 ? systemUser('postgres') : {};
  try {
    if (asUser.uid !== undefined) chownSync(dir, asUser.uid, asUser.gid as number);
    const runOpts: RunOptions = { ...asUser, env: { ...process.env, LC_ALL: 'C' } };
    // initdb costs ~1 s of CPU (several under load); a copy of a cached, never-started cluster costs ~0.1 s.
    const template = await clusterTemplate(binDir, user, runOpts);
    await run('cp', ['-a', template, dataDir]);
    // Throw-away data: durability off. Only loopback TCP; the socket stays private to our dir.
    const settings: Record<string, string> = {
      listen_addresses: "'127.0.0.1'",
      unix_socket_directories: `'${dir}'`,
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      wal_level: 'minimal',
      max_wal_senders: '0',
      max_connections: '100',
      shared_buffers: '64MB',
      timezone: "'UTC'",
      log_timezone: "'UTC'"
    };
    // A port lost to another process between choosing and binding: only this step is retried, not initdb.
    const port = await retryOnPortClash(async () => {
      const port = await freePort();
      const conf = Object.entries({ ...settings, port: String(port) }).map(([k, v]) => `${k} = ${v}\n`);
      writeFileSync(join(dataDir, 'postgresql.auto.conf'), conf.join(''));
      try {
        await run(
          join(binDir, 'pg_ctl'),
          ['start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-s'],
          runOpts
        );
      } catch (err) {
        throw new Error(`PostgreSQL did not start: ${String(err)}\n${logTail(logFile)}`);
      }
      return port;
    });
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    guard.add(pid, 'postgres', 'SIGQUIT');
    // The template has no password: set ours through the private socket (trusted), stored as a scram hash.
    const local = new pg.Client({ host: dir, port, user, database: 'postgres' });
    await local.connect();
    try {
      await local.query(`ALTER ROLE ${quoteIdent(user)} PASSWORD '${password.replace(/'/g, "''")}'`);
    } finally {
      await local.end();
    }
    const majorVersion = Number(readFileSync(join(dataDir, 'PG_VERSION'), 'utf8').trim());
    const info: PostgresInfo = {
      url: '',
      host: '127.0.0.1',
      port,
      user,
      password,
      database: 'postgres',
      binDir,
      majorVersion,
      dir,
      pids: [pid]
    };
    info.url = postgresUrl(info, 'postgres');
    let stopped: Promise<void> | undefined;
    return postgresHandle(info, () => (stopped ??= stopPostgres(info, guard, runOpts)));
  } catch (err) {
    guard.emergencyCleanup();
    throw err;
  }
}

async function stopPostgres(info: PostgresInfo, guard: Guard, runOpts: RunOptions): Promise<void> {
  const dataDir = join(info.dir, 'data');
  try {
    await run(
      join(info.binDir, 'pg_ctl'),
      ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '30', '-s'],
      runOpts
    );
  } catch {
    // pg_ctl could not do it (e.g. the data dir is damaged): signal the postmaster ourselves.
  }
  for (const pid of info.pids) await terminate({ pid, name: 'postgres' }, 'SIGQUIT', 5000);
  rmSync(info.dir, { recursive: true, force: true });
  await guard.release();
}

/**
 * A data dir made by initdb once per machine, PostgreSQL version and superuser name, kept under the temp dir and
 * copied by each start. Built beside its final name and renamed into place, so a reader never sees half of one
 * and two processes building at once do no harm.
 */
async function clusterTemplate(binDir: string, user: string, runOpts: RunOptions): Promise<string> {
  const version = basename(dirname(binDir));
  // Shared by every user of the machine, like /tmp itself (sticky, world-writable), and apart from the servers'
  // own app-pipeline-pg-* dirs, which must never outlive their server. In RAM: ~40 MB per PostgreSQL version.
  const cache = join(ramTempBase(), 'app-pipeline-cache');
  if (!existsSync(cache)) {
    mkdirSync(cache, { recursive: true });
    chmodSync(cache, 0o1777);
  }
  const template = join(cache, `pg-template-${version}-${user}-${runOpts.uid ?? process.getuid?.()}`);
  if (existsSync(join(template, 'PG_VERSION'))) return template;
  const building = mkdtempSync(`${template}.building-`);
  try {
    if (runOpts.uid !== undefined) chownSync(building, runOpts.uid, runOpts.gid as number);
    const args = [
      '-D',
      join(building, 'data'),
      '-U',
      user,
      '--auth-host=scram-sha-256',
      '--auth-local=trust'
    ];
    await run(
      join(binDir, 'initdb'),
      [...args, '-E', 'UTF8', '--no-locale', '--no-sync', '--no-instructions'],
      runOpts
    );
    try {
      renameSync(join(building, 'data'), template);
    } catch (err) {
      if (!existsSync(join(template, 'PG_VERSION'))) throw err; // else another process won the race: use theirs
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return template;
}

/** A handle on a server started elsewhere (the stack file): everything but stop(), which is a no-op. */
export function attachPostgres(info: PostgresInfo): PostgresServer {
  return postgresHandle(info, async () => {});
}

function postgresHandle(info: PostgresInfo, stop: () => Promise<void>): PostgresServer {
  const withClient = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: info.url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    ...info,
    urlFor: database => postgresUrl(info, database),
    async createDatabase(name) {
      await withClient(`CREATE DATABASE ${quoteIdent(name)}`);
      return postgresUrl(info, name);
    },
    async dropDatabase(name) {
      await withClient(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    },
    stop
  };
}

export function postgresUrl(
  info: Pick<PostgresInfo, 'user' | 'password' | 'host' | 'port'>,
  db: string
): string {
  const enc = encodeURIComponent;
  return `postgresql://${enc(info.user)}:${enc(info.password)}@${info.host}:${info.port}/${enc(db)}`;
}

/** uid/gid of a local system user, from /etc/passwd. */
function systemUser(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find(l => l.startsWith(`${name}:`));
  if (!line) throw new Error(`running as root, but there is no '${name}' user to run initdb/pg_ctl as`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Whether the postmaster of this server is still running (for tests). */
export function postgresRunning(info: PostgresInfo): boolean {
  return info.pids.some(pid => processName(pid) === 'postgres');
}

/** The rows of one query, run on a short-lived connection (tests' setup and checks). */
export async function queryRows<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  text: string
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}
