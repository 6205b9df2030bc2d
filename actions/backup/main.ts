import { Inputs } from '../../src/kit/inputs.js';
import { InputError } from '../../src/kit/errors.js';
import { runAction, setOutputs } from '../../src/kit/actions-io.js';
import { createLogger } from '../../src/kit/log.js';
import { Summary } from '../../src/kit/summary.js';
import { details, facts, table } from '../../src/kit/markdown.js';
import { formatBytes, formatRate } from '../../src/kit/bytes.js';
import { formatDuration } from '../../src/kit/duration.js';
import { describeDatabase } from '../../src/postgres/url.js';
import { parseStorageUrl, type BackupStore } from '../../src/backup/storage.js';
import { FileStore } from '../../src/backup/file-store.js';
import { parseBackupId } from '../../src/backup/id.js';
import { describeRto } from '../../src/backup/rto.js';
import { availableParallelism, tmpdir } from 'node:os';
import { openTrustedSource } from '../../src/digitalocean/trusted-source.js';

// Glue only: read and check inputs, build the store and the keys, call src/backup, set outputs, summary.
// The heavy modules (AWS SDK, openpgp, pg) load only once the inputs that need them are valid.
await runAction(async () => {
  const inputs = new Inputs();
  const log = createLogger();
  const summary = new Summary();
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
    throw new InputError('storage-url', (error as Error).message);
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
    return inputs.raw('database-url')!;
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
      encryptor = await createEncryptor({ passphrase, publicKey, compressionLevel: 6 }); // zlib's default, as pg_dump's
    } catch (error) {
      throw new InputError(publicKey ? 'public-key' : 'passphrase', (error as Error).message);
    }
    const doPrune = inputs.boolean('prune', true);
    const retention = policy();
    const dryRun = inputs.boolean('dry-run', false);
    // trusted-source: this runner on the database firewall until the post step (dist/trusted-source-post).
    await openTrustedSource(inputs, log, url);

    const { runBackup, pruneBackups, pruneTable } = await import('./deferred.js');
    const { manifest: m, durationMs } = await runBackup({ databaseUrl: url, store, encryptor, logger: log });
    setOutputs({
      'backup-id': m.id,
      'object-key': m.objectKey,
      'size-bytes': m.sizeBytes,
      sha256: m.sha256,
      'duration-seconds': (durationMs / 1000).toFixed(1)
    });
    summary.heading(`Backup ${m.id}`).add(
      facts([
        ['Database', `${describeDatabase(url)} (PostgreSQL ${m.serverVersion}, pg_dump ${m.pgDumpVersion})`],
        ['Storage', store.location],
        ['Object key', m.objectKey],
        ['Size', formatBytes(m.sizeBytes)],
        ['Duration', formatDuration(durationMs)],
        ['Throughput', formatRate(m.sizeBytes, durationMs)],
        ['SHA-256', `\`${m.sha256}\``],
        [
          'Encryption',
          `${m.encryption.method}${m.encryption.keyFingerprints.length ? ` (${m.encryption.keyFingerprints.join(', ')})` : ''}`
        ],
        ['Tables', m.source.tables.length]
      ])
    );
    if (doPrune) {
      // The backup is stored: a failing prune is a warning, not a failed backup (the next run prunes again).
      const result = await pruneBackups(store, retention, { dryRun, logger: log, protect: m.id }).catch(
        (error: unknown) => {
          log.warning(`Backup ${m.id} is stored, but retention failed: ${(error as Error).message}`);
          summary.add(`Retention failed (the backup is stored): ${(error as Error).message}`);
          return undefined;
        }
      );
      if (result) {
        setOutputs({ pruned: result.deleted.length, kept: result.kept });
        summary.add(
          details(
            `Retention (${retention.keepDaily} daily, ${retention.keepMonthly} monthly): kept ${result.kept}, ${dryRun ? 'would delete' : 'deleted'} ${result.deleted.length}${result.corrupt.length ? `, ${result.corrupt.length} CORRUPT kept` : ''}`,
            pruneTable(result, new Date())
          )
        );
      }
    } else {
      summary.add('Retention skipped (`prune: false`).');
    }
  } else if (mode === 'prune' || mode === 'list') {
    const { listTables, pruneBackups, pruneTable, readCatalog } = await import('./deferred.js');
    if (mode === 'list') {
      const catalog = await readCatalog(store);
      const text = listTables(catalog, new Date());
      log.info(text);
      for (const c of catalog.corrupt)
        log.warning(`backup ${c.id} cannot be trusted (kept, not listed as complete): ${c.problem}`);
      summary.heading(`Backups in ${store.location}`).add(text);
      setOutputs({ kept: catalog.complete.length, 'backup-id': catalog.complete[0]?.id });
    } else {
      const retention = policy();
      const dryRun = inputs.boolean('dry-run', false);
      const result = await pruneBackups(store, retention, { dryRun, logger: log });
      const text = pruneTable(result, new Date());
      log.info(text);
      setOutputs({ pruned: result.deleted.length, kept: result.kept });
      summary
        .heading(`Retention ${dryRun ? '(dry run) ' : ''}in ${store.location}`)
        .add(
          `${retention.keepDaily} daily, ${retention.keepMonthly} monthly: kept ${result.kept}, ${dryRun ? 'would delete' : 'deleted'} ${result.deleted.length}.`
        )
        .add(text);
    }
  } else {
    const url = databaseUrl();
    const id = backupId();
    const query = mode === 'verify' ? inputs.string('verify-query') : undefined;
    // pg_restore --jobs: the runner's cores (at most 8); 1 streams into one pg_restore without a temporary file.
    const jobs = inputs.integer('jobs', { default: Math.min(8, availableParallelism()), min: 1, max: 64 });
    const dec = await decryptor();
    await openTrustedSource(inputs, log, url);
    const { pickBackup, readCatalog, restoreBackup, verifyBackup } = await import('./deferred.js');
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
    if (mode === 'restore') {
      const r = await restoreBackup({ ...base, targetUrl: url });
      setOutputs({
        'restore-seconds': (r.restoreMs / 1000).toFixed(1),
        'duration-seconds': (r.restoreMs / 1000).toFixed(1)
      });
      log.info(`restore ${backup.id}: restored in ${describeRto(r)}`);
      summary.heading(`Restored ${backup.id}`).add(
        facts([
          ['Target', describeDatabase(url)],
          ['Backup', `${backup.manifest.objectKey} (${formatBytes(backup.manifest.sizeBytes)})`],
          ['Restore time (RTO)', describeRto(r)],
          ['Tables', r.tables.length]
        ])
      );
    } else {
      const r = await verifyBackup({ ...base, serverUrl: url, query });
      setOutputs({
        'restore-seconds': (r.restoreMs / 1000).toFixed(1),
        'duration-seconds': (r.restoreMs / 1000).toFixed(1)
      });
      summary
        .heading(`Restore drill ${backup.id}: ${r.failures.length ? 'FAILED' : 'passed'}`)
        .add(
          facts([
            [
              'Backup',
              `${backup.manifest.objectKey} (${formatBytes(backup.manifest.sizeBytes)}, taken ${backup.manifest.startedAt})`
            ],
            ['Scratch database', `${r.scratchDatabase} on ${describeDatabase(url)} (dropped)`],
            [
              'Stale scratch databases dropped',
              r.staleDropped.length ? `${r.staleDropped.join(', ')} (left by killed drills)` : undefined
            ],
            ['Restore time (RTO)', describeRto(r)],
            ['Tables', `${r.tables.length} in the archive`],
            ['verify-query', query ? `${r.queryResult}` : undefined]
          ])
        )
        .add(
          table(
            ['table', 'manifest rows', 'restored rows', 'result'],
            r.checks.map(c => [
              c.name,
              c.expected === undefined ? '-' : `${c.exact ? '' : '~'}${c.expected}`,
              c.actual ?? '-',
              c.ok ? 'ok' : 'MISMATCH'
            ])
          )
        );
      if (r.failures.length) {
        summary.write();
        throw new Error(`restore drill of ${backup.id} failed: ${r.failures.join('; ')}`);
      }
      log.info(`verify ${backup.id}: passed, ${r.tables.length} tables, restored in ${describeRto(r)}`);
    }
  }
  summary.write();
});
