import { randomBytes } from 'node:crypto';
import type { Logger } from '../kit/log.js';
import { errorMessage } from '../kit/errors.js';
import { quoteIdent, withClient } from '../postgres/server.js';

/**
 * The scratch databases of restore drills (`mode: verify`): `verify_<backup id>_<created>_<6 hex>`, all lower
 * case, e.g. `verify_20261201t020000.123z-1a2b3c_20261202t143000z_9f8e7d` (58 bytes; PostgreSQL truncates names
 * past 63 bytes, which would break the pattern below). The creation time in the name is what lets a later drill
 * tell a leftover of a SIGKILLed drill (nothing can run its undo steps) from a drill still running.
 */
const SCRATCH_NAME =
  /^verify_(\d{8}t\d{6}(?:\.\d{3}z-[0-9a-f]{6}|z))_(\d{4})(\d{2})(\d{2})t(\d{2})(\d{2})(\d{2})z_[0-9a-f]{6}$/;

/** PostgreSQL's NAMEDATALEN - 1: longer identifiers are silently truncated. */
const MAX_IDENTIFIER_BYTES = 63;

/**
 * A drill's scratch database is stale once it is this old AND nobody is connected to it. A running drill holds a
 * session on its scratch database from just after CREATE DATABASE until its own DROP (verify.ts), so "no session"
 * is what says the drill is gone; the age only covers the moment between CREATE DATABASE and that session's
 * connect (at most the 15 s connect timeout) and clock skew between runners, with a wide margin.
 */
export const STALE_SCRATCH_AFTER_MS = 3600_000;

/** `20261202t143000z`: the creation time as the name carries it (seconds, UTC). */
function compactTime(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'z')
    .replace(/[-:]/g, '')
    .toLowerCase();
}

export function scratchDatabaseName(
  backupId: string,
  created: Date,
  suffix: string = randomBytes(3).toString('hex')
): string {
  const name = `verify_${backupId.toLowerCase()}_${compactTime(created)}_${suffix}`;
  if (Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES || !SCRATCH_NAME.test(name))
    throw new Error(`cannot name a scratch database for backup id '${backupId}' (got '${name}')`);
  return name;
}

/** When the drill created the scratch database `name`, or undefined when `name` is not a drill's scratch database. */
export function scratchCreatedAt(name: string): Date | undefined {
  const m = SCRATCH_NAME.exec(name);
  if (!m) return undefined;
  const [, , y, mo, d, h, mi, s] = m.map(Number);
  const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
  return compactTime(date) === name.split('_')[2] ? date : undefined;
}

export interface StaleScratchCleanup {
  /** Stale scratch databases this run dropped. */
  dropped: string[];
  /** Stale by age but not dropped, with the reason (someone connected, not the owner, ...). */
  kept: { name: string; why: string }[];
}

/** SQLSTATEs: object_in_use (someone is connected), invalid_catalog_name (already dropped by another drill). */
const OBJECT_IN_USE = '55006';
const NO_SUCH_DATABASE = '3D000';

/**
 * Drops the scratch databases that killed drills left on the server of `serverUrl`: only names of the drill's
 * pattern, created over STALE_SCRATCH_AFTER_MS ago, that nobody is connected to. DROP DATABASE without FORCE is
 * the "nobody is connected" check, made by the server atomically with the drop (refused while a session exists).
 */
export async function dropStaleScratchDatabases(
  serverUrl: string,
  o: { logger: Logger; now?: Date }
): Promise<StaleScratchCleanup> {
  const now = (o.now ?? new Date()).getTime();
  const result: StaleScratchCleanup = { dropped: [], kept: [] };
  await withClient(serverUrl, async c => {
    const names = (
      await c.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE 'verify\\_%' ORDER BY datname`
      )
    ).rows.map(r => r.datname);
    for (const name of names) {
      const created = scratchCreatedAt(name);
      if (!created || now - created.getTime() <= STALE_SCRATCH_AFTER_MS) continue;
      try {
        await c.query(`DROP DATABASE ${quoteIdent(name)}`);
        result.dropped.push(name);
        o.logger.info(
          `verify: dropped stale scratch database ${name} (created ${created.toISOString()} by a drill that was killed)`
        );
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === NO_SUCH_DATABASE) continue;
        // In use: most likely a long drill still running (nothing to report); anything else needs a look.
        const inUse = code === OBJECT_IN_USE;
        const why = inUse ? 'someone is connected to it' : errorMessage(error);
        result.kept.push({ name, why });
        const line = `verify: kept stale-looking scratch database ${name}: ${why}`;
        if (inUse) o.logger.info(line);
        else o.logger.warning(line);
      }
    }
  });
  return result;
}
