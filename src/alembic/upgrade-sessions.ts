import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { cancelStatements, endSessions, sessionsNamed, type Session } from '../postgres/sessions.js';

/**
 * The database sessions of one run's `alembic upgrade`, told apart by their application_name (PGAPPNAME in the
 * upgrade's environment, which libpq and so psycopg2 use unless env.py names the connection itself): the prefix,
 * a tag unique to the run, then who runs it. Only an upgrade holding the migration lock has such sessions, so one
 * found by a run that holds the lock was left by an interrupted run (its Alembic process SIGKILLed, or its node
 * gone): nothing may migrate beside it.
 */
export const UPGRADE_SESSION_PREFIX = 'migrate upgrade ';

const END_TIMEOUT_MS = 10_000;

export class UpgradeSessions {
  /** For PGAPPNAME; PostgreSQL keeps 63 bytes of it. */
  readonly applicationName: string;
  private readonly tag: string;

  constructor(
    private readonly client: pg.Client,
    who?: string
  ) {
    this.tag = `${UPGRADE_SESSION_PREFIX}${randomBytes(4).toString('hex')}`;
    this.applicationName = `${this.tag}${who ? ` (${who})` : ''}`.slice(0, 63);
  }

  /** Cancels their statements: psycopg2 does not return from a statement on SIGINT, but does on a cancel. */
  async cancelStatements(): Promise<void> {
    await cancelStatements(this.client, await sessionsNamed(this.client, this.tag, { prefix: true }));
  }

  /**
   * Ends what the upgrade left (a statement still running after its process was killed) and waits for it to go.
   * Resolves to a line saying what was ended (undefined if nothing was); throws when a session could not be ended.
   */
  async end(signal?: AbortSignal): Promise<string | undefined> {
    const found = await sessionsNamed(this.client, this.tag, { prefix: true });
    if (!found.length) return undefined;
    const r = await endSessions(this.client, found, { timeoutMs: END_TIMEOUT_MS, signal });
    if (r.remaining.length)
      throw new Error(
        `the upgrade's database session ${r.remaining.map(x => `pid ${x.session.pid} (${x.reason})`).join('; ')} could not be ended; the next run ends it before migrating`
      );
    return `Ended ${count(r.ended)} the interrupted upgrade left running (${describe(r.ended)}) before releasing the migration lock.`;
  }
}

/**
 * Ends the sessions of interrupted upgrades of earlier runs; call while holding the migration lock, before reading
 * the revision to start from. Resolves to a line saying what was ended; throws (one line, with the pids and how
 * to end them) when one could not be ended, e.g. it belongs to another role.
 */
export async function endInterruptedUpgrades(client: pg.Client): Promise<string | undefined> {
  const found = await sessionsNamed(client, UPGRADE_SESSION_PREFIX, { prefix: true });
  if (!found.length) return undefined;
  const r = await endSessions(client, found, { timeoutMs: END_TIMEOUT_MS });
  if (r.remaining.length) {
    const pids = r.remaining.map(x => x.session.pid);
    throw new Error(
      `A database session left by an interrupted upgrade is still running and could not be ended (${r.remaining
        .map(x => `${describe([x.session])}: ${x.reason}`)
        .join(
          '; '
        )}); nothing was applied. End it (SELECT pg_terminate_backend(${pids.join('), pg_terminate_backend(')})) and run again.`
    );
  }
  return `Ended ${count(r.ended)} left by an interrupted upgrade (${describe(r.ended)}): it held its transaction open, and this run holds the migration lock now.`;
}

function count(sessions: Session[]): string {
  return `${sessions.length} database session${sessions.length === 1 ? '' : 's'}`;
}

function describe(sessions: Session[]): string {
  return sessions.map(s => `pid ${s.pid}, application '${s.applicationName}'`).join('; ');
}
