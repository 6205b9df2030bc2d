import { access, readdir, realpath } from 'node:fs/promises';
import { constants } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import { exitFailureLine, runChild } from '../kit/child-process.js';

/** A client that does not print its version within this is not a usable candidate (a hung wrapper). */
const VERSION_TIMEOUT_MS = 10_000;

export type PgTool = 'pg_dump' | 'pg_restore' | 'psql' | 'pg_dumpall';

export interface PgBinary {
  path: string;
  /** `15.18`, as printed by `--version`. */
  version: string;
  major: number;
}

export interface FindOptions {
  /** The server's major version: the client must be at least this (pg_dump refuses older servers only). */
  serverMajor?: number;
  /** Defaults to $PATH. */
  pathEnv?: string;
  /** Where Debian/Ubuntu install each major side by side. */
  versionedRoot?: string;
  /** How long each candidate's `--version` may take (default VERSION_TIMEOUT_MS). */
  versionTimeoutMs?: number;
}

/** Parses `pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)` or `pg_dump (PostgreSQL) 9.6.24`. */
export function parsePgVersion(text: string): { version: string; major: number } | undefined {
  const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
  if (!m) return undefined;
  const first = Number(m[1]);
  // Before 10 the major version had two parts (9.6).
  const major = first >= 10 ? first : Number(`${first}.${m[2] ?? 0}`);
  return { version: [m[1], m[2], m[3]].filter(x => x !== undefined).join('.'), major };
}

/** `path --version`, parsed; rejects when it cannot run, fails, hangs or prints no PostgreSQL version. */
export async function binaryVersion(path: string, timeoutMs = VERSION_TIMEOUT_MS): Promise<PgBinary> {
  const label = `${path} --version`;
  const r = await runChild([path, '--version'], { label, timeoutMs });
  if (r.code !== 0) throw new Error(exitFailureLine(label, r));
  const parsed = parsePgVersion(r.stdout);
  if (!parsed) throw new Error(`${label} printed something unexpected: ${r.stdout.trim()}`);
  return { path, ...parsed };
}

const isPgWrapper = (resolved: string) => basename(resolved) === 'pg_wrapper';

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Every candidate path for `tool`: $PATH entries first, then /usr/lib/postgresql/<major>/bin. */
export async function candidatePaths(tool: PgTool, opts: FindOptions = {}): Promise<string[]> {
  const paths: string[] = [];
  for (const dir of (opts.pathEnv ?? process.env.PATH ?? '').split(delimiter)) {
    if (dir && (await isExecutable(join(dir, tool)))) paths.push(join(dir, tool));
  }
  const root = opts.versionedRoot ?? '/usr/lib/postgresql';
  let majors: string[] = [];
  try {
    majors = await readdir(root);
  } catch {
    // no versioned installs on this machine
  }
  for (const major of majors) {
    const p = join(root, major, 'bin', tool);
    if (await isExecutable(p)) paths.push(p);
  }
  return [...new Set(paths)];
}

/**
 * Finds `tool` (PATH first, then /usr/lib/postgresql/* /bin) and picks the newest version found. With
 * `serverMajor`, refuses in one line naming both versions when no client is at least that major: an older
 * pg_dump aborts on a newer server, the most common silent backup failure.
 */
export async function findPgBinary(tool: PgTool, opts: FindOptions = {}): Promise<PgBinary> {
  const probes = await Promise.all(
    (await candidatePaths(tool, opts)).map(async p => {
      try {
        return {
          ...(await binaryVersion(p, opts.versionTimeoutMs)),
          wrapper: isPgWrapper(await realpath(p))
        };
      } catch {
        return undefined; // a broken wrapper (Debian's pg_wrapper without a cluster) is not a candidate
      }
    })
  );
  const found = probes.filter(p => p !== undefined);
  if (found.length === 0)
    throw new Error(
      `${tool} not found on PATH or under /usr/lib/postgresql/*/bin; install the PostgreSQL client`
    );
  // Newest first. Debian's pg_wrapper (a Perl script that execs the versioned binary) loses to that same
  // version found directly, which saves a Perl start per call; otherwise PATH order (stable sort).
  found.sort(
    (a, b) => b.major - a.major || (a.version === b.version ? Number(a.wrapper) - Number(b.wrapper) : 0)
  );
  const { wrapper: _wrapper, ...best } = found[0]!;
  if (opts.serverMajor !== undefined) requireClientForServer(tool, best, opts.serverMajor);
  return best;
}

/** Refuses, in one line naming both versions, a client older than the server. */
export function requireClientForServer(tool: PgTool, client: PgBinary, serverMajor: number): void {
  if (client.major < serverMajor)
    throw new Error(
      `${tool} ${client.version} is older than the server (PostgreSQL ${serverMajor}); install postgresql-client-${serverMajor} or newer`
    );
}
