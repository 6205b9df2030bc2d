import { runAction } from '../../src/kit/actions-io.js';
import { cancellation } from '../../src/kit/cancellation.js';
import { InputError, errorMessage } from '../../src/kit/errors.js';
import { Inputs } from '../../src/kit/inputs.js';
import { createLogger } from '../../src/kit/log.js';
import { Summary } from '../../src/kit/summary.js';
import { describeDatabase, logTlsDefault } from '../../src/postgres/url.js';
import { describeLocation, fetchSqlite, parseSqliteLocation } from '../../src/sqlite/source.js';
import { importSqlite } from '../../src/sqlite/import.js';
import { importState } from '../../src/sqlite/import-state.js';
import { cancelledImportSummary, importSummary } from '../../src/sqlite/summary.js';

// Glue only: read and check inputs, fetch the SQLite file, call src/sqlite, return the outputs, the summary and
// the failure when the import did not go through.
await runAction(async () => {
  const inputs = new Inputs();
  const log = createLogger();

  const sqliteText = inputs.string('sqlite', {
    required: true,
    hint: 'a path, file:///... or s3://bucket/key'
  });
  let location;
  try {
    location = parseSqliteLocation(sqliteText);
  } catch (error) {
    throw new InputError('sqlite', errorMessage(error));
  }
  inputs.url('database-url', {
    protocols: ['postgresql:', 'postgres:'],
    required: true,
    secretPassword: true
  });
  const databaseUrl = inputs.raw('database-url')!;
  logTlsDefault(log, databaseUrl);
  const dryRun = inputs.boolean('dry-run', false);
  const s3 = {
    endpoint: inputs.url('s3-endpoint', { protocols: ['https:', 'http:'] })?.toString(),
    region: inputs.string('s3-region', { default: 'us-east-1' }),
    accessKeyId: inputs.secret('s3-access-key-id'),
    secretAccessKey: inputs.secret('s3-secret-access-key'),
    forcePathStyle: inputs.boolean('s3-force-path-style', false)
  };

  const where = { source: describeLocation(location), target: describeDatabase(databaseUrl) };
  // Cancellation (SIGINT/SIGTERM) goes through the kit's one path: the import sees cancellation.signal, stops at
  // its next chunk and rolls back; its undo step closes the connection if a statement keeps it busy.
  const local = await fetchSqlite(location, s3, cancellation.signal);
  const removeCopy = cancellation.addUndo('remove the downloaded SQLite copy', () => local.remove());
  let result;
  try {
    result = await importSqlite({
      sqlitePath: local.path,
      databaseUrl,
      dryRun,
      logger: log,
      signal: cancellation.signal
    });
  } catch (error) {
    // runAction's own cancelled summary follows: it says what was stopped and undone.
    if (cancellation.cancelled) writeSummary(cancelledImportSummary(where));
    throw error;
  } finally {
    await removeCopy.run();
  }
  const outputs = {
    tables: result.tables.length,
    rows: result.committed || dryRun ? result.rows : 0,
    verified: result.verified
  };
  if (!result.failure)
    log.info(
      `import-sqlite: ${importState(result)}: ${result.tables.length} tables, ${result.rows} rows from ${where.source}`
    );
  return {
    outputs,
    summary: importSummary(result, where),
    failure: result.failure ? `import-sqlite: ${result.failure}` : undefined
  };
});

function writeSummary(sections: string[]): void {
  const summary = new Summary();
  for (const section of sections) summary.add(section);
  summary.write();
}
