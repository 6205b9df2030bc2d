import { Inputs } from '../../src/kit/inputs.js';
import { errorMessage, InputError } from '../../src/kit/errors.js';
import { runAction, setOutputs, type ActionResult } from '../../src/kit/actions-io.js';
import { createLogger } from '../../src/kit/log.js';
import { parseStorageUrl, type BackupStore } from '../../src/backup/storage.js';
import { FileStore } from '../../src/backup/file-store.js';
import { parseBackupId } from '../../src/backup/id.js';
import { describeRto } from '../../src/backup/rto.js';
import { availableParallelism, tmpdir } from 'node:os';
import { openTrustedSource } from '../../src/digitalocean/trusted-source.js';
import { logTlsDefault } from '../../src/postgres/url.js';

// Glue only: read and check inputs, build the store and the keys, call src/backup, return the outputs, the
// summary (src/backup/summary.ts) and the failure, if any.
// The heavy modules (AWS SDK, openpgp, pg) load only once the inputs that need them are valid.
await runAction(async (): Promise<ActionResult> => {
  const inputs = new Inputs();
  const log = createLogger();
  const mode = inputs.enumeration(
    'mode',
    ['backup', 'restore', 'verify', 'prune', 'list'] as const,
    'backup'
  );

  const storageUrl = inputs.url('storage-url', { protocols: ['s3:', 'file:'], required: true });
  let location;
  try {
    location = parseStorageUrl(storageUrl);
  } catch (error) {
    throw new InputError('storage-url', errorMessage(error));
  }
  const secretKey = inputs.secret('s3-secret-access-key');
  let store: BackupStore;
  if (location.kind === 's3') {
    const { S3Store } = await import('../../src/backup/s3-store.js');
    store = new S3Store({
      bucket: location.bucket,
      prefix: location.prefix,
      endpoint: inputs.url('s3-endpoint', { protocols: ['https:', 'http:'] })?.toString(),
      region: inputs.string('s3-region', { default: 'us-east-1' }),
      accessKeyId: inputs.secret('s3-access-key-id'),
      secretAccessKey: secretKey,
      forcePathStyle: inputs.boolean('s3-force-path-style', false)
    });
  } else {
    store = new FileStore(location.directory);
  }

  const databaseUrl = (): string => {
    inputs.url('database-url', {
      protocols: ['postgresql:', 'postgres:'],
      required: true,
      secretPassword: true
    });
    const url = inputs.raw('database-url')!;
    logTlsDefault(log, url);
    return url;
  };
  const policy = () => ({
    keepDaily: inputs.integer('keep-daily', { default: 30, min: 0 }),
    keepMonthly: inputs.integer('keep-monthly', { default: 12, min: 0 })
  });
  const backupId = (): string | undefined => {
    const id = inputs.string('backup-id');
    if (id !== undefined && !parseBackupId(id))
      throw new InputError(
        'backup-id',
        `must be a backup id such as 20261201T020000.123Z-1a2b3c (or an older 20261125T020000Z), got '${id}'`
      );
    return id;
  };
  const decryptor = async () => {
    const passphrase = inputs.secret('passphrase');
    const privateKey = inputs.secret('private-key');
    const privateKeyPassphrase = inputs.secret('private-key-passphrase');
    if (!passphrase && !privateKey)
      throw new InputError('passphrase', 'or private-key is required to decrypt');
    const { createDecryptor } = await import('./deferred.js');
    return createDecryptor({
      passphrase: privateKey ? undefined : passphrase,
      privateKey,
      privateKeyPassphrase
    });
  };

  const now = () => new Date();

  if (mode === 'backup') {
    const url = databaseUrl();
    const passphrase = inputs.secret('passphrase');
    const publicKey = inputs.string('public-key');
    if (passphrase && publicKey)
      throw new InputError('public-key', 'and passphrase are both set; choose one way to encrypt');
    if (!passphrase && !publicKey)
      throw new InputError('passphrase', 'or public-key is required to encrypt the backup');
    const { createEncryptor } = await import('./deferred.js');
    let encryptor;
    try {
      // Uncompressed message: the archive inside is compressed in pg_dump's own format (backup.ts).
      encryptor = await createEncryptor({ passphrase, publicKey });
    } catch (error) {
      throw new InputError(publicKey ? 'public-key' : 'passphrase', errorMessage(error));
    }
    const doPrune = inputs.boolean('prune', true);
    const retention = policy();
    const dryRun = inputs.boolean('dry-run', false);
    // trusted-source: this runner on the database firewall until the post step (dist/trusted-source-post).
    await openTrustedSource(inputs, log, url);

    const { runBackup, pruneAfterBackup, backupSummary } = await import('./deferred.js');
    const { manifest: m, durationMs } = await runBackup({ databaseUrl: url, store, encryptor, logger: log });
    const stored = {
      'backup-id': m.id,
      'object-key': m.objectKey,
      'size-bytes': m.sizeBytes,
      sha256: m.sha256,
      'duration-seconds': (durationMs / 1000).toFixed(1)
    };
    setOutputs(stored); // the backup is stored, whatever retention does next
    const outcome = doPrune
      ? await pruneAfterBackup(store, retention, { dryRun, logger: log, protect: m.id })
      : ({ kind: 'skipped' } as const);
    return {
      outputs:
        outcome.kind === 'pruned'
          ? { pruned: outcome.result.deleted.length, kept: outcome.result.kept }
          : undefined,
      summary: backupSummary({
        manifest: m,
        durationMs,
        databaseUrl: url,
        storeLocation: store.location,
        retention: outcome,
        now: now()
      })
    };
  }

  if (mode === 'list') {
    const { backupListTables, listSummary, readCatalog } = await import('./deferred.js');
    const catalog = await readCatalog(store);
    log.info(backupListTables(catalog, now()));
    for (const c of catalog.corrupt)
      log.warning(`backup ${c.id} cannot be trusted (kept, not listed as complete): ${c.problem}`);
    return {
      outputs: { kept: catalog.complete.length, 'backup-id': catalog.complete[0]?.id },
      summary: listSummary({ storeLocation: store.location, catalog, now: now() })
    };
  }

  if (mode === 'prune') {
    const retention = policy();
    const dryRun = inputs.boolean('dry-run', false);
    const { pruneBackups, pruneSummary, retentionTable } = await import('./deferred.js');
    const result = await pruneBackups(store, retention, { dryRun, logger: log });
    log.info(retentionTable(result, now()));
    return {
      outputs: { pruned: result.deleted.length, kept: result.kept },
      summary: pruneSummary({ storeLocation: store.location, policy: retention, result, now: now() })
    };
  }

  // restore, verify
  const url = databaseUrl();
  const id = backupId();
  const query = mode === 'verify' ? inputs.string('verify-query') : undefined;
  // pg_restore --jobs: the runner's cores (at most 8); 1 streams into one pg_restore without a temporary file.
  const jobs = inputs.integer('jobs', { default: Math.min(8, availableParallelism()), min: 1, max: 64 });
  const dec = await decryptor();
  await openTrustedSource(inputs, log, url);
  const {
    pickBackup,
    readCatalog,
    restoreBackup,
    verifyBackup,
    restoreSummary,
    verifySummary,
    drillFailure
  } = await import('./deferred.js');
  const backup = pickBackup(await readCatalog(store), id, store.location);
  setOutputs({
    'backup-id': backup.id,
    'object-key': backup.manifest.objectKey,
    'size-bytes': backup.manifest.sizeBytes,
    sha256: backup.manifest.sha256
  });
  const base = {
    store,
    backup,
    decryptor: dec,
    logger: log,
    jobs,
    tempDir: process.env.RUNNER_TEMP || tmpdir()
  };
  const timing = (r: { restoreMs: number }) => ({
    'restore-seconds': (r.restoreMs / 1000).toFixed(1),
    'duration-seconds': (r.restoreMs / 1000).toFixed(1)
  });
  if (mode === 'restore') {
    const r = await restoreBackup({ ...base, targetUrl: url });
    log.info(`restore ${backup.id}: restored in ${describeRto(r)}`);
    return { outputs: timing(r), summary: restoreSummary({ backup, targetUrl: url, result: r }) };
  }
  const r = await verifyBackup({ ...base, serverUrl: url, query });
  const failure = drillFailure(backup.id, r);
  if (!failure)
    log.info(`verify ${backup.id}: passed, ${r.tables.length} tables, restored in ${describeRto(r)}`);
  return {
    outputs: timing(r),
    summary: verifySummary({ backup, serverUrl: url, query, result: r }),
    failure
  };
});
