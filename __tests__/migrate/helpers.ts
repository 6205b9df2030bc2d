// Shared by the migrate integration tests: run the in-process migrate() against a fresh database.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { queryRows as query } from '../../test-support/postgres.js';
import { migrate, type MigrateOptions, type MigrationReport } from '../../src/alembic/migrate.js';
import { migrationSummary } from '../../src/alembic/summary.js';
import { createMemoryLogger } from '../../src/kit/log.js';

export const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..');
export const fixture = (name: string) => join(here, 'fixtures', name);
export const exampleApp = join(repoRoot, 'examples', 'signupflow');
export const ALEMBIC = ['/usr/bin/alembic'];

export interface Run {
  report: MigrationReport;
  lines: string[];
  summary: string;
  sql: string;
  /** Everything a user could see from this run, for the secret-leak check. */
  everything: string;
}

export async function runMigrate(
  databaseUrl: string,
  workingDirectory: string,
  opts: Partial<MigrateOptions> = {}
): Promise<Run> {
  const logger = createMemoryLogger();
  const report = await migrate({
    databaseUrl,
    workingDirectory,
    config: 'alembic.ini',
    target: 'head',
    alembic: ALEMBIC,
    allowDestructive: false,
    dryRun: false,
    lockTimeoutMs: 60_000,
    lockPollMs: 100,
    sqlFile: join(mkdtempSync(join(tmpdir(), 'migrate-test-')), 'pending.sql'),
    logger,
    applicationName: 'migrate test',
    ...opts
  });
  const summary = migrationSummary(report, 'test database');
  const sql = report.sqlFile ? readFileSync(report.sqlFile, 'utf8') : '';
  const everything = [...logger.lines, summary, sql, report.failure ?? ''].join('\n');
  return { report, lines: logger.lines, summary, sql, everything };
}

export { query };

/** The tables of the public schema, sorted. */
export async function tables(url: string): Promise<string[]> {
  const rows = await query<{ t: string }>(
    url,
    "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
  );
  return rows.map(r => r.t);
}

export async function versions(url: string): Promise<string[]> {
  if (!(await tables(url)).includes('alembic_version')) return [];
  return (await query<{ v: string }>(url, 'SELECT version_num AS v FROM alembic_version ORDER BY 1')).map(
    r => r.v
  );
}
