import type pg from 'pg';
import { sleep } from '../kit/retry.js';

/**
 * Other sessions of the current database found by their application_name, and ending them: how the migrate action
 * makes sure no database session of an Alembic process it started (or that an interrupted run started) still
 * migrates once the migration lock is let go. A session outlives its client while it runs a statement (PostgreSQL
 * notices the client is gone only when it next writes to it), holding its transaction's locks meanwhile.
 */
export interface Session {
  pid: number;
  applicationName: string;
  state?: string;
}

/** Sessions of this database, other than ours, whose application_name is `name` or, with `prefix`, starts with it. */
export async function sessionsNamed(
  client: pg.Client,
  name: string,
  opts: { prefix?: boolean } = {}
): Promise<Session[]> {
  const { rows } = await client.query<{ pid: number; application_name: string; state: string | null }>(
    `SELECT pid, application_name, state FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid()
        AND ${opts.prefix ? 'left(application_name, length($1)) = $1' : 'application_name = $1'}
      ORDER BY pid`,
    [name]
  );
  return rows.map(r => ({ pid: r.pid, applicationName: r.application_name, state: r.state ?? undefined }));
}

/** Cancels the statement each session runs (pg_cancel_backend): its client sees an error and can unwind. */
export async function cancelStatements(client: pg.Client, sessions: Session[]): Promise<void> {
  for (const s of sessions)
    await client.query('SELECT pg_cancel_backend($1)', [s.pid]).catch(() => undefined);
}

export interface EndResult {
  ended: Session[];
  /** Sessions still there at the deadline, with why (e.g. permission denied to terminate them). */
  remaining: { session: Session; reason: string }[];
}

/**
 * Terminates the sessions (their transactions roll back) and waits until they are gone from pg_stat_activity,
 * at most `timeoutMs`.
 */
export async function endSessions(
  client: pg.Client,
  sessions: Session[],
  opts: { timeoutMs: number; pollMs?: number; signal?: AbortSignal }
): Promise<EndResult> {
  const refused = new Map<number, string>();
  for (const s of sessions)
    await client.query('SELECT pg_terminate_backend($1)', [s.pid]).catch((error: Error) => {
      refused.set(s.pid, error.message);
    });
  const deadline = Date.now() + opts.timeoutMs;
  let alive = await stillThere(client, sessions);
  while (alive.length && Date.now() < deadline && !opts.signal?.aborted) {
    await sleep(opts.pollMs ?? 50);
    alive = await stillThere(client, alive);
  }
  const gone = new Set(sessions.map(s => s.pid));
  for (const s of alive) gone.delete(s.pid);
  return {
    ended: sessions.filter(s => gone.has(s.pid)),
    remaining: alive.map(session => ({
      session,
      reason: refused.get(session.pid) ?? `still running after ${opts.timeoutMs} ms`
    }))
  };
}

async function stillThere(client: pg.Client, sessions: Session[]): Promise<Session[]> {
  if (!sessions.length) return [];
  const { rows } = await client.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE pid = ANY($1::int[])',
    [sessions.map(s => s.pid)]
  );
  const live = new Set(rows.map(r => r.pid));
  return sessions.filter(s => live.has(s.pid));
}
