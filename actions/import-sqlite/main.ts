import { runAction, setOutputs } from '../../src/kit/actions-io.js';
import { cancellation } from '../../src/kit/cancellation.js';
import { InputError, errorMessage } from '../../src/kit/errors.js';
import { Inputs } from '../../src/kit/inputs.js';
import { createLogger } from '../../src/kit/log.js';
import { Summary } from '../../src/kit/summary.js';
import { describeDatabase } from '../../src/postgres/url.js';
import { describeLocation, fetchSqlite, parseSqliteLocation } from '../../src/sqlite/source.js';
import { importSqlite } from '../../src/sqlite/import.js';
import { importState, importSummary } from '../../src/sqlite/report.js';

// Glue only: read and check inputs, fetch the SQLite file, call src/sqlite, set outputs, write the summary,
// then fail if the import did not go through.
await runAction(async () => {
  const inputs = new Inputs();
  const log = createLogger();
  const summary = new Summary();

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
    if (cancellation.cancelled) {
      summary
        .heading('Cut-over from SQLite: cancelled, rolled back')
        .add(`${where.source} → ${where.target}: the transaction was rolled back; the target is as it was.`);
      summary.write();
    }
    throw error;
  } finally {
    await removeCopy.run();
  }
  setOutputs({
    tables: result.tables.length,
    rows: result.committed || dryRun ? result.rows : 0,
    verified: result.verified
  });
  for (const part of importSummary(result, where)) summary.add(part);
  summary.write();
  if (result.failure) throw new Error(`import-sqlite: ${result.failure}`);
  log.info(
    `import-sqlite: ${importState(result)}: ${result.tables.length} tables, ${result.rows} rows from ${where.source}`
  );
});
