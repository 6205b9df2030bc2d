import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runAction } from '../../src/kit/actions-io.js';
import { InputError, errorMessage } from '../../src/kit/errors.js';
import { Inputs } from '../../src/kit/inputs.js';
import { createLogger } from '../../src/kit/log.js';
import { alembicFor } from '../../src/alembic/alembic-cli.js';
import { splitCommandLine } from '../../src/alembic/command-line.js';
import type { VenvCache } from '../../src/alembic/virtualenv.js';
import { openTrustedSource } from '../../src/digitalocean/trusted-source.js';
import { logTlsDefault } from '../../src/postgres/url.js';

await runAction(async () => {
  const inputs = new Inputs();
  const logger = createLogger();
  inputs.url('database-url', {
    protocols: ['postgres:', 'postgresql:'],
    required: true,
    secretPassword: true
  });
  const databaseUrl = inputs.raw('database-url')!; // as given: Alembic must see exactly the user's URL
  logTlsDefault(logger, databaseUrl);
  const workingDirectory = resolve(inputs.string('working-directory') ?? '.');
  if (!existsSync(workingDirectory) || !statSync(workingDirectory).isDirectory())
    throw new InputError('working-directory', `'${workingDirectory}' is not a directory`);
  const config = inputs.string('config') ?? 'alembic.ini';
  if (!existsSync(resolve(workingDirectory, config)))
    throw new InputError('config', `'${config}' does not exist in ${workingDirectory}`);
  const target = inputs.string('target') ?? 'head';
  let alembic: string[];
  try {
    alembic = splitCommandLine(inputs.string('alembic') ?? 'alembic');
  } catch (error) {
    throw new InputError('alembic', `is not a valid command line: ${errorMessage(error)}`);
  }
  if (alembic.length === 0) throw new InputError('alembic', 'is empty');
  const requirements = inputs.string('requirements');
  const allowDestructive = inputs.boolean('allow-destructive', false);
  const dryRun = inputs.boolean('dry-run', false);
  const lockTimeoutMs = inputs.duration('lock-timeout', '10m');
  const temp = process.env.RUNNER_TEMP || tmpdir();

  // trusted-source: this runner on the database firewall until the post step (dist/trusted-source-post).
  await openTrustedSource(inputs, logger, databaseUrl);

  const run = { databaseUrl, workingDirectory, config, alembic, applicationName: applicationName() };
  // Without requirements the Alembic command is final now: its Python start-up (most of a run) begins while node
  // loads the rest and connects.
  const early = requirements ? undefined : alembicFor(run).start();
  try {
    // Loaded once the inputs are valid: a bad input fails without paying for pg and the Actions cache client.
    const {
      migrate,
      migrationSummary,
      baseInterpreter,
      commandInVirtualenv,
      prepareVirtualenv,
      virtualenvEnv,
      describeConnection,
      openDirectConnection
    } = await import('./deferred.js');

    // Our connection first: a wrong password or an unreachable database is one line before pip installs anything.
    const connection = openDirectConnection(databaseUrl, { applicationName: run.applicationName });
    connection.catch(() => undefined); // settled by migrate(), or below
    const extraEnv: Record<string, string> = {};
    if (requirements) {
      try {
        await connection;
        const venv = await prepareVirtualenv({
          requirementsFile: resolve(workingDirectory, requirements),
          python: baseInterpreter(alembic),
          rootDir: join(temp, 'app-platform-pipeline-venvs'),
          cache: await actionsCache(logger),
          logger
        });
        run.alembic = commandInVirtualenv(alembic, venv);
        Object.assign(extraEnv, virtualenvEnv(venv));
      } catch (error) {
        await connection.then(c => c.end()).catch(() => undefined);
        throw error;
      }
    }

    const report = await migrate({
      ...run,
      target,
      allowDestructive,
      dryRun,
      lockTimeoutMs,
      sqlFile: join(mkdtempSync(join(temp, 'migrate-')), 'pending.sql'),
      logger,
      connection,
      cli: early,
      extraEnv
    });
    return {
      outputs: {
        'from-revision': report.databaseRead ? report.from.join(',') : undefined,
        'to-revision': report.databaseRead ? report.to.join(',') : undefined,
        'applied-count': report.applied.length,
        destructive: report.destructive,
        'sql-file': report.sqlFile
      },
      summary: [migrationSummary(report, describeConnection(databaseUrl))],
      failure: report.failure
    };
  } finally {
    await early?.close();
  }
});

/** The Actions cache, or undefined (with a notice) where the cache service is not reachable. */
async function actionsCache(logger: ReturnType<typeof createLogger>): Promise<VenvCache | undefined> {
  const cache = await import('@actions/cache');
  if (!cache.isFeatureAvailable() || !process.env.ACTIONS_RUNTIME_TOKEN) {
    logger.notice(
      'The Actions cache service is not available here (no ACTIONS_CACHE_URL/ACTIONS_RUNTIME_TOKEN): the virtualenv is built without caching.'
    );
    return undefined;
  }
  return {
    restore: (paths, key) => cache.restoreCache(paths, key),
    save: async (paths, key) => {
      await cache.saveCache(paths, key);
    }
  };
}

/** Who we are in pg_stat_activity: what another waiting pipeline prints as the lock holder. */
function applicationName(): string {
  const repo = process.env.GITHUB_REPOSITORY;
  const run = process.env.GITHUB_RUN_ID;
  return (repo ? `migrate ${repo}${run ? ` run ${run}` : ''}` : `migrate pid ${process.pid}`).slice(0, 63);
}
