import type pg from 'pg';
import { cancellation, type UndoStep } from '../kit/cancellation.js';
import { errorMessage } from '../kit/errors.js';
import type { Logger } from '../kit/log.js';
import { formatDuration } from '../kit/duration.js';
import {
  acquireAdvisoryLock,
  advisoryLockKey,
  describeHolder,
  LockTimeoutError,
  openDirectConnection,
  tryAdvisoryLock,
  type HeldLock
} from '../postgres/advisory-lock.js';
import { alembicFor, AlembicError, type AlembicCli } from './alembic-cli.js';
import { splitOfflineSql } from './offline-sql.js';
import { RevisionGraph, type Revision } from './revisions.js';
import { classify, type Finding } from './sql-findings.js';
import { writeFileAtomic } from './sql-file.js';
import { parseRunningLine, UpgradeClock } from './upgrade-log.js';
import { endInterruptedUpgrades, UpgradeSessions } from './upgrade-sessions.js';

/**
 * The migrate action's logic: pre-flight (heads, current, pending), offline SQL preview and destructive
 * guard, then `alembic upgrade` under a session advisory lock, re-reading the revision afterwards.
 */
export interface MigrateOptions {
  databaseUrl: string;
  workingDirectory: string;
  config: string;
  target: string;
  /** argv prefix that runs Alembic. */
  alembic: string[];
  allowDestructive: boolean;
  dryRun: boolean;
  lockTimeoutMs: number;
  lockPollMs?: number;
  /** Where the offline SQL preview is written. */
  sqlFile: string;
  logger: Logger;
  /** Shown in pg_stat_activity for our sessions, so a waiting pipeline can say who holds the lock. */
  applicationName?: string;
  /**
   * Our own connection, when the caller opened it already (the action does, to check the credentials before it
   * installs the requirements); migrate closes it. Otherwise migrate opens one.
   */
  connection?: Promise<pg.Client>;
  /**
   * Alembic as alembicFor(these options) makes it, when the caller started it already (its Python then starts while
   * node loads the rest); migrate closes it. Otherwise migrate makes one.
   */
  cli?: AlembicCli;
  env?: NodeJS.ProcessEnv;
  extraEnv?: Record<string, string>;
  now?: () => number;
}

export interface AppliedRevision {
  revision: string;
  message: string;
  durationMs?: number;
}

export interface OfflineRender {
  ok: boolean;
  /** Why the range could not be rendered (Alembic's error), and the revision it stopped in. */
  error?: string;
  revision?: string;
}

export interface MigrationReport {
  heads: string[];
  /** False until the database's current revision was read (a failure before that leaves from/to unknown). */
  databaseRead: boolean;
  from: string[];
  to: string[];
  targets: string[];
  pending: Revision[];
  applied: AppliedRevision[];
  findings: Finding[];
  destructive: boolean;
  render?: OfflineRender;
  sqlFile?: string;
  sql?: string;
  dryRun: boolean;
  lockWaitedMs?: number;
  durationMs: number;
  failedRevision?: string;
  /** Set when the step must fail; the report is still complete up to that point. */
  failure?: string;
}

/** The advisory lock every run of this action takes in the database it migrates. */
export const MIGRATION_LOCK_KEY = advisoryLockKey('app-platform-pipeline/migrate');

class Refusal extends Error {}

export async function migrate(opts: MigrateOptions): Promise<MigrationReport> {
  const now = opts.now ?? Date.now;
  const started = now();
  const log = opts.logger;
  const report: MigrationReport = {
    heads: [],
    databaseRead: false,
    from: [],
    to: [],
    targets: [],
    pending: [],
    applied: [],
    findings: [],
    destructive: false,
    dryRun: opts.dryRun,
    durationMs: 0
  };
  const cli = opts.cli ?? alembicFor(opts);
  let client: Awaited<ReturnType<typeof openDirectConnection>> | undefined;
  let lock: HeldLock | undefined;
  let unlock: UndoStep | undefined;
  try {
    // Pre-flight. The scripts (history, with heads marked) and, once our own connection proves the database reachable,
    // its revision (current, read-only) are read at once: each Alembic process costs about a second of
    // Python start-up. Failures are reported in order: the scripts first, then our connection (one clear
    // line), then Alembic's view of the database.
    const connecting =
      opts.connection ?? openDirectConnection(opts.databaseUrl, { applicationName: opts.applicationName });
    // A run that finds the migration lock free holds it from before it reads the revision: what it reads is then
    // what it migrates from, with no second read once it has the lock. A dry run never takes it.
    const reading = connecting.then(async c => {
      if (!opts.dryRun) lock = await tryAdvisoryLock(c, MIGRATION_LOCK_KEY);
      return currentRevisions(cli);
    });
    // Settled later, in order; until then a rejection must not count as unhandled.
    connecting.catch(() => undefined);
    reading.catch(() => undefined);
    let graph: RevisionGraph;
    try {
      graph = await log.group('Pre-flight: revisions', async () => {
        // `history` marks the heads as `alembic heads` would list them: one Python start-up instead of two.
        const graph = new RevisionGraph(await cli.history());
        report.heads = graph.heads();
        log.info(
          `${graph.size} revisions, head${report.heads.length === 1 ? '' : 's'}: ${report.heads.join(', ') || 'none'}`
        );
        return graph;
      });
      if (report.heads.length === 0)
        throw new Refusal(`Alembic found no revisions in ${opts.workingDirectory} (config ${opts.config})`);
      if (report.heads.length > 1) throw new Refusal(multipleHeadsMessage(report.heads, graph));
      report.targets = graph.resolveTarget(opts.target, report.heads);
      client = await connecting;
      report.from = await reading;
    } finally {
      // Whatever failed above, the connection must not outlive the run.
      if (!client) await connecting.then(c => c.end()).catch(() => undefined);
      await reading.catch(() => undefined);
    }
    report.to = report.from;
    report.databaseRead = true;
    await preview(cli, graph, report, opts);

    if (opts.dryRun) {
      report.to = report.pending.length ? report.targets : report.from;
      log.notice(`Dry run: ${report.pending.length} revision(s) would be applied; nothing was changed.`);
      return report;
    }
    if (report.pending.length === 0) {
      log.info(`Nothing to do: the database is at ${show(report.from)}.`);
      return report;
    }

    const readUnderLock = lock !== undefined;
    lock ??= await acquireAdvisoryLock(client, MIGRATION_LOCK_KEY, {
      timeoutMs: opts.lockTimeoutMs,
      pollMs: opts.lockPollMs,
      label: 'the migration lock',
      onWait: holders =>
        log.info(
          `Waiting up to ${formatDuration(opts.lockTimeoutMs)} for the migration lock held by ${holders.map(describeHolder).join('; ') || 'another session'}`
        )
    }).catch(error => {
      if (error instanceof LockTimeoutError)
        throw new Refusal(`${error.message}. Raise 'lock-timeout' if such waits are expected.`);
      throw error;
    });
    report.lockWaitedMs = lock.waitedMs;
    // The lock goes only once nothing of our upgrade migrates any more: its process has exited (the cancellation
    // path waits for it before undoing) and its sessions are gone (a statement outlives a killed process).
    const held = lock;
    const sessions = new UpgradeSessions(client, opts.applicationName);
    unlock = cancellation.addUndo('end the upgrade, then release the migration lock', async signal => {
      const ended = await sessions.end(signal);
      if (ended) log.info(ended);
      await held.release();
    });
    // Holding the lock, no other run's upgrade can be running: sessions of one were left by an interrupted run.
    const interrupted = await endInterruptedUpgrades(client).catch(error => {
      throw new Refusal(errorMessage(error));
    });
    if (interrupted) log.info(interrupted);

    // Read before this run held the lock: another pipeline may have migrated meanwhile (and an interrupted run's
    // upgrade, alive until just now, may have committed): start again from what the database says now.
    if (!readUnderLock || interrupted) {
      const current = await currentRevisions(cli);
      if (!sameRevisions(current, report.from)) {
        log.info(
          `The database moved from ${show(report.from)} to ${show(current)} while this run waited for the lock.`
        );
        report.from = current;
        report.to = current;
        await preview(cli, graph, report, opts);
      }
      if (report.pending.length === 0) {
        if (lock.waitedMs > 0) log.info(`Nothing left to do: the database is at ${show(current)}.`);
        return report;
      }
    }

    await apply(cli, graph, report, opts, sessions);
    return report;
  } catch (error) {
    if (error instanceof Refusal || error instanceof AlembicError) report.failure = error.message;
    else report.failure = errorMessage(error);
    return report;
  } finally {
    await cli.close().catch(() => undefined);
    if (unlock) await unlock.run();
    else if (lock) await lock.release().catch(() => undefined);
    if (client) await client.end().catch(() => undefined);
    report.durationMs = now() - started;
  }
}

async function currentRevisions(cli: AlembicCli): Promise<string[]> {
  return cli.current();
}

/** Pending list, offline SQL to the sql file, findings, and the destructive guard. */
async function preview(
  cli: AlembicCli,
  graph: RevisionGraph,
  report: MigrationReport,
  opts: MigrateOptions
): Promise<void> {
  const log = opts.logger;
  report.pending = graph.pending(report.from, report.targets);
  const unknown = report.from.filter(r => !graph.get(r));
  if (unknown.length)
    throw new Refusal(`The database is at ${unknown.join(', ')}, which is not a revision of this project`);
  log.info(
    `Database at ${show(report.from)}; target ${report.targets.join(', ')}; ${report.pending.length} pending:`
  );
  for (const r of report.pending) log.info(`  ${r.id}  ${r.message}`);
  if (report.pending.length === 0) {
    // Pending is empty only when every target is at or below the current revision: never a downgrade.
    if (!sameRevisions(report.from, report.targets))
      log.info(
        `The database (${show(report.from)}) is already past ${report.targets.join(', ')}; this action never downgrades.`
      );
    report.sql = '-- Nothing to apply: the database is at the target revision.\n';
    report.render = { ok: true };
    report.findings = [];
    report.destructive = false;
    writeFileAtomic(opts.sqlFile, report.sql);
    report.sqlFile = opts.sqlFile;
    return;
  }

  const target = report.targets.length === 1 ? report.targets[0]! : 'heads';
  const range = report.from.length === 0 ? target : `${report.from[0]}:${target}`;
  let sql: string;
  if (report.from.length > 1) {
    sql = '';
    report.render = {
      ok: false,
      error: `the database is at several revisions (${report.from.join(', ')}); Alembic renders offline SQL from one`
    };
  } else {
    const rendered = await cli.offlineSql(range).then(
      r => ({ ok: true as const, sql: r.stdout }),
      (error: unknown) => ({ ok: false as const, error })
    );
    if (rendered.ok) {
      sql = rendered.sql;
      report.render = { ok: true };
    } else {
      if (!(rendered.error instanceof AlembicError) || !rendered.error.result) throw rendered.error;
      sql = rendered.error.result.stdout;
      const lastRevision = rendered.error.result.stderr
        .split(/\r?\n/)
        .map(parseRunningLine)
        .filter(r => r !== undefined)
        .pop();
      report.render = { ok: false, error: rendered.error.message, revision: lastRevision?.revision };
    }
  }
  report.findings = classify(splitOfflineSql(sql));
  report.destructive = report.findings.some(f => f.kind === 'destructive') || !report.render.ok;
  const header = report.render.ok
    ? `-- alembic upgrade ${range} --sql\n`
    : `-- INCOMPLETE: alembic upgrade ${range} --sql could not render ${report.render.revision ? `revision ${report.render.revision}` : 'this range'} offline: ${report.render.error}\n`;
  report.sql = header + sql;
  writeFileAtomic(opts.sqlFile, report.sql);
  report.sqlFile = opts.sqlFile;

  for (const f of report.findings) {
    const say = f.kind === 'destructive' ? log.warning : log.notice;
    say(
      `${f.kind === 'destructive' ? 'Destructive' : 'Backward-incompatible'} (${f.rule}) in revision ${f.revision ?? '?'}: ${oneLine(f.statement)}`
    );
  }
  if (!report.render.ok)
    log.warning(
      `The pending revisions cannot be rendered as offline SQL (${report.render.error}); their effect cannot be checked.`
    );
  if (report.destructive && !opts.allowDestructive) throw new Refusal(destructiveMessage(report, graph));
}

async function apply(
  cli: AlembicCli,
  graph: RevisionGraph,
  report: MigrationReport,
  opts: MigrateOptions,
  sessions: UpgradeSessions
): Promise<void> {
  const log = opts.logger;
  const clock = new UpgradeClock(opts.now);
  const target = report.targets.length === 1 ? report.targets[0]! : 'heads';
  // Cancelled: besides the SIGINT, cancel the upgrade's statement, so Python gets to unwind within the grace.
  const onCancel = () => void sessions.cancelStatements().catch(() => undefined);
  cancellation.signal.addEventListener('abort', onCancel, { once: true });
  const upgrade = await log
    .group(`alembic upgrade ${target}`, () =>
      cli
        .upgrade(target, sessions.applicationName, line => {
          log.info(line);
          clock.line(line);
        })
        .then(
          () => undefined,
          (error: unknown) => error
        )
    )
    .finally(() => cancellation.signal.removeEventListener('abort', onCancel));
  // What the process left running ends before the revision is read again (and before the lock is released).
  const ended = await sessions.end().catch((error: unknown) => {
    log.warning(errorMessage(error));
    return undefined;
  });
  if (ended) log.info(ended);
  const runs = clock.finish();
  const after = await currentRevisions(cli).catch(() => undefined);
  report.to = after ?? report.from;
  const nowApplied = after ? graph.ancestors(after) : graph.ancestors(report.from);
  const before = graph.ancestors(report.from);
  report.applied = report.pending
    .filter(r => nowApplied.has(r.id) && !before.has(r.id))
    .map(r => ({
      revision: r.id,
      message: r.message,
      durationMs: runs.find(x => x.revision === r.id)?.durationMs
    }));

  if (upgrade) {
    const failed = clock.last;
    report.failedRevision = failed?.revision;
    const what = failed
      ? `Revision ${failed.revision}${failed.message ? ` (${failed.message})` : ''} failed`
      : 'alembic upgrade failed';
    const why =
      upgrade instanceof AlembicError
        ? upgrade.message.replace(/^alembic upgrade \S+ failed: /, '')
        : errorMessage(upgrade);
    let where: string;
    if (!after) where = 'The revision the database is at now could not be read.';
    else if (sameRevisions(after, report.from))
      where = `The database was rolled back to ${show(report.from)}, where this run started: nothing was applied.`;
    else
      where = `The database is now at ${show(after)}: ${report.applied.map(a => a.revision).join(', ')} stayed applied (env.py commits each revision separately).`;
    throw new Refusal(`${what}: ${why}. ${where}`);
  }
  const missing = report.targets.filter(t => !graph.ancestors(report.to).has(t));
  if (missing.length)
    throw new Refusal(
      `alembic upgrade finished but the database is at ${show(report.to)}, not ${missing.join(', ')}`
    );
  log.info(`Applied ${report.applied.length} revision(s): ${show(report.from)} -> ${show(report.to)}`);
}

function multipleHeadsMessage(heads: string[], graph: RevisionGraph): string {
  const named = heads.map(h => {
    const r = graph.get(h);
    return r?.message ? `${h} (${r.message})` : h;
  });
  return (
    `Alembic has ${heads.length} heads: ${named.join(', ')}. Two branches of migrations were added in parallel; ` +
    `merge them into one head and commit the result: alembic merge -m "merge heads" ${heads.join(' ')}`
  );
}

function destructiveMessage(report: MigrationReport, graph: RevisionGraph): string {
  const lines: string[] = [];
  const destructive = report.findings.filter(f => f.kind === 'destructive');
  if (destructive.length) {
    lines.push(
      `Refusing to apply ${destructive.length} destructive statement(s) without 'allow-destructive: true':`
    );
    for (const f of destructive) {
      const msg = f.revision ? graph.get(f.revision)?.message : undefined;
      lines.push(
        `  revision ${f.revision ?? '?'}${msg ? ` (${msg})` : ''}, ${f.rule}: ${oneLine(f.statement)}`
      );
    }
  }
  if (report.render && !report.render.ok) {
    lines.push(
      `Refusing to apply revisions that cannot be previewed as offline SQL without 'allow-destructive: true': ` +
        `${report.render.revision ? `revision ${report.render.revision}: ` : ''}${report.render.error}`
    );
  }
  lines.push('Nothing was applied. Review the SQL preview, then set allow-destructive: true to proceed.');
  return lines.join('\n');
}

function sameRevisions(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join() === [...b].sort().join();
}

/** Revisions for messages; an empty database has none. */
export function show(revisions: string[]): string {
  return revisions.length ? revisions.join(', ') : '<base> (no revision)';
}

function oneLine(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  return s.length > 200 ? `${s.slice(0, 197)}...` : s;
}
