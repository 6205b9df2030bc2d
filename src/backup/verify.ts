import type pg from 'pg';
import { cancellation } from '../kit/cancellation.js';
import { errorMessage } from '../kit/errors.js';
import { connectClient, createDatabase, dropDatabase, quoteIdent, withClient } from '../postgres/server.js';
import { describeDatabase, withDatabase } from '../postgres/url.js';
import {
  pgRestoreFor,
  proveAndRestore,
  tocTables,
  type RestoreOptions,
  type RestoreResult
} from './restore.js';
import { dropStaleScratchDatabases, scratchDatabaseName } from './scratch-database.js';

export interface TableCheck {
  name: string;
  expected?: number;
  exact?: boolean;
  actual?: number;
  ok: boolean;
  note: string;
}

export interface VerifyResult extends RestoreResult {
  scratchDatabase: string;
  /** Scratch databases of earlier, killed drills that this run dropped first. */
  staleDropped: string[];
  checks: TableCheck[];
  queryResult?: string;
  failures: string[];
}

/** An estimate (reltuples) is accepted within 10 % + 1000 rows: enough to catch an empty or truncated table. */
export function withinEstimate(expected: number, actual: number): boolean {
  return Math.abs(actual - expected) <= expected * 0.1 + 1000;
}

/**
 * `mode: verify`, the monthly drill: first drops the scratch databases of earlier drills that were killed
 * (scratch-database.ts), then restores into a scratch database created on the server of `serverUrl` (dropped
 * afterwards), checks the TOC's tables exist and the manifest's row counts match, runs the user's query (must
 * return true). Failures are collected and returned; the caller fails the step on any.
 */
export async function verifyBackup(
  o: RestoreOptions & { serverUrl: string; query?: string }
): Promise<VerifyResult> {
  const started = Date.now();
  const stale = await dropStaleScratchDatabases(o.serverUrl, { logger: o.logger });
  const scratch = scratchDatabaseName(o.backup.id, new Date());
  const scratchUrl = withDatabase(o.serverUrl, scratch);
  const pgRestore = await pgRestoreFor(o.serverUrl, o.backup.manifest);
  o.logger.info(
    `verify ${o.backup.id}: scratch database ${scratch} on ${describeDatabase(o.serverUrl)}, ${pgRestore.path} ${pgRestore.version}`
  );
  let created = false;
  // Connected to the scratch database for the whole drill: a later drill sees the database in use and leaves it.
  let presence: pg.Client | undefined;
  const endPresence = async () => {
    await presence?.end().catch(() => undefined);
    presence = undefined;
  };
  // Dropped on every exit path; on a cancellation by the one cancellation path, once pg_restore has exited.
  const drop = cancellation.addUndo(`drop the scratch database ${scratch}`, async () => {
    await endPresence();
    if (created) await dropDatabase(o.serverUrl, scratch);
  });
  try {
    const { toc, jobs, phases } = await proveAndRestore(
      o,
      pgRestore,
      scratchUrl,
      async () => {
        created = true; // set first: a create that fails after the server made it is still dropped
        await createDatabase(o.serverUrl, scratch);
        presence = await connectClient(scratchUrl, {
          applicationName: 'app-platform-pipeline verify (running)'
        });
      },
      []
    );
    const restoreMs = Date.now() - started;
    const tables = tocTables(toc);
    const failures: string[] = [];
    const checks: TableCheck[] = [];
    let queryResult: string | undefined;
    await withClient(scratchUrl, async c => {
      const present = new Set(
        (
          await c.query<{ t: string }>(
            `SELECT n.nspname || '.' || c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')`
          )
        ).rows.map(r => r.t)
      );
      const expected = new Map(o.backup.manifest.source.tables.map(t => [t.name, t]));
      for (const name of tables) {
        if (!present.has(name)) {
          checks.push({ name, ok: false, note: 'missing after restore' });
          failures.push(`table ${name} from the archive is missing after restore`);
          continue;
        }
        const want = expected.get(name);
        const [schema, ...rest] = name.split('.');
        const actual = Number(
          (
            await c.query<{ n: string }>(
              `SELECT count(*) AS n FROM ${quoteIdent(schema!)}.${quoteIdent(rest.join('.'))}`
            )
          ).rows[0]!.n
        );
        if (!want) {
          checks.push({ name, actual, ok: true, note: 'no count in manifest' });
          continue;
        }
        const ok = want.exact ? actual === want.rows : withinEstimate(want.rows, actual);
        checks.push({
          name,
          expected: want.rows,
          exact: want.exact,
          actual,
          ok,
          note: want.exact ? 'exact' : 'estimate'
        });
        if (!ok)
          failures.push(
            `table ${name} has ${actual} rows, the manifest says ${want.exact ? '' : '~'}${want.rows}`
          );
      }
      if (o.query) {
        try {
          const r = await c.query({ text: o.query, rowMode: 'array' });
          const first = (r.rows[0] as unknown[] | undefined)?.[0];
          queryResult = String(first);
          if (first !== true && first !== 't' && first !== 'true')
            failures.push(`verify-query returned ${queryResult} (expected true)`);
        } catch (error) {
          queryResult = `error: ${errorMessage(error)}`;
          failures.push(`verify-query failed: ${errorMessage(error)}`);
        }
      }
    });
    return {
      restoreMs,
      tables,
      jobs,
      phases,
      scratchDatabase: scratch,
      staleDropped: stale.dropped,
      checks,
      queryResult,
      failures
    };
  } finally {
    if (cancellation.cancelled) await drop.run();
    else {
      drop.dismiss();
      await endPresence();
      if (created)
        await dropDatabase(o.serverUrl, scratch).catch(error =>
          o.logger.warning(`could not drop scratch database ${scratch}: ${errorMessage(error)}`)
        );
    }
  }
}
