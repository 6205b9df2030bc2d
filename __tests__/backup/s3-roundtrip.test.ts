// Backup and restore against the real stack: PostgreSQL, the local Ceph RGW (what Spaces runs on) and GnuPG.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { GetObjectCommand, ListMultipartUploadsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedPostgres, sharedS3, type PostgresServer, type S3Server } from '../../test-support/shared.js';
import { createMemoryLogger } from '../../src/kit/log.js';
import { S3Store } from '../../src/backup/s3-store.js';
import { createDecryptor, createEncryptor } from '../../src/backup/crypto.js';
import { runBackup } from '../../src/backup/backup.js';
import { pickBackup, readCatalog } from '../../src/backup/catalog.js';
import { restoreBackup } from '../../src/backup/restore.js';
import { verifyBackup } from '../../src/backup/verify.js';
import { archiveName } from '../../src/backup/id.js';
import { libpqConnection } from '../../src/postgres/url.js';
import { digests, faultyProxy, generateKey, seed, sh, sql, writeSecretFile } from './helpers.js';

const PASSPHRASE = `pass-${randomBytes(8).toString('hex')}`;
let pg: PostgresServer;
let s3: S3Server;
let sourceUrl: string;
let sourceDigests: Record<string, string>;
const tmp = mkdtempSync(join(tmpdir(), 'backup-test-'));
let dbCounter = 0;

const store = (prefix: string, extra: Partial<ConstructorParameters<typeof S3Store>[0]> = {}) =>
  new S3Store({
    bucket: s3.bucket,
    prefix: `${prefix}-${randomBytes(3).toString('hex')}/`,
    endpoint: s3.endpoint,
    region: s3.region,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    forcePathStyle: true,
    ...extra
  });
const freshDb = () => pg.createDatabase(`bk_target_${process.pid}_${++dbCounter}`);
const tableCount = async (url: string) =>
  Number(
    (await sql<{ n: string }>(url, `SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'`))[0]!.n
  );

beforeAll(async () => {
  [pg, s3] = await Promise.all([sharedPostgres(), sharedS3()]);
  sourceUrl = await pg.createDatabase(`bk_source_${process.pid}`);
  await seed(sourceUrl);
  sourceDigests = await digests(sourceUrl);
}, 180_000);

afterAll(async () => {
  await pg?.dropDatabase(`bk_source_${process.pid}`).catch(() => undefined);
});

describe('passphrase backup to S3 (RGW)', () => {
  let s: S3Store;
  let id: string;

  beforeAll(async () => {
    s = store('nightly/app');
    const logger = createMemoryLogger();
    const r = await runBackup({
      databaseUrl: sourceUrl,
      store: s,
      // As the action runs it: pg_dump --compress=0, deflate inside the OpenPGP message.
      encryptor: await createEncryptor({ passphrase: PASSPHRASE, compressionLevel: 6 }),
      logger
    });
    id = r.manifest.id;
    expect(logger.lines.join('\n')).not.toContain(PASSPHRASE);
  });

  test('writes the archive and then a manifest describing it', async () => {
    const catalog = await readCatalog(s);
    expect(catalog.incomplete).toEqual([]);
    const b = pickBackup(catalog, undefined, s.location);
    expect(b.id).toBe(id);
    const m = b.manifest;
    expect(m.objectKey).toBe(`${s.keyOf(archiveName(id))}`);
    expect(m.objectKey.startsWith('nightly/app-')).toBe(true);
    expect(m.sizeBytes).toBe((await s.head(archiveName(id)))!.size);
    expect(m.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.encryption).toEqual({ method: 'passphrase', keyFingerprints: [] });
    expect(m.compression).toBe('openpgp-zip');
    expect(m.serverVersion).toMatch(/^15\./);
    const counts = Object.fromEntries(m.source.tables.map(t => [t.name, t.rows]));
    expect(counts).toEqual({
      'public.Mixed Case': 2,
      'public.empty_table': 0,
      'public.schedules': 4000,
      'public.volunteers': 2000
    });
    expect(m.source.tables.every(t => t.exact)).toBe(true);
  });

  test('restores into an empty database with the same contents', async () => {
    const target = await freshDb();
    const catalog = await readCatalog(s);
    const r = await restoreBackup({
      store: s,
      backup: pickBackup(catalog, id, s.location),
      decryptor: await createDecryptor({ passphrase: PASSPHRASE }),
      logger: createMemoryLogger(),
      targetUrl: target
    });
    expect(r.tables.sort()).toEqual([
      'public.Mixed Case',
      'public.empty_table',
      'public.schedules',
      'public.volunteers'
    ]);
    expect(await digests(target)).toEqual(sourceDigests);
  });

  test('stock GnuPG 2.2 decrypts it: gpg --decrypt <id>.dump.pgp | pg_restore -d <url>', async () => {
    const target = await freshDb();
    const file = join(tmp, `${id}.dump.pgp`);
    const body = (
      await s.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: s.keyOf(archiveName(id)) }))
    ).Body!;
    writeFileSync(file, Buffer.from(await body.transformToByteArray()));
    const pw = writeSecretFile(tmp, 'pw', PASSPHRASE);
    const home = mkdtempSync(join(tmpdir(), 'gnupg-'));
    const { dbname, env } = libpqConnection(target);
    await sh(
      `gpg --batch --homedir "$H" --pinentry-mode loopback --passphrase-file "$PW" --decrypt "$F" | pg_restore --no-owner -d "$DB"`,
      { H: home, PW: pw, F: file, DB: dbname, ...env }
    );
    expect(await digests(target)).toEqual(sourceDigests);
    // What gpg hands pg_restore is pg_dump's archive as pg_dump wrote it: uncompressed, since the OpenPGP
    // layer compressed it (and gpg inflated it).
    const toc = await sh(
      `gpg --batch --homedir "$H" --pinentry-mode loopback --passphrase-file "$PW" --output "$F.dump" --decrypt "$F" && pg_restore -l "$F.dump"`,
      { H: home, PW: pw, F: file }
    );
    expect(toc).toMatch(/Compression: (0|none)\b/);
  });

  test('verify restores into a scratch database, matches row counts, runs the query, drops the scratch database', async () => {
    const catalog = await readCatalog(s);
    const r = await verifyBackup({
      store: s,
      backup: pickBackup(catalog, id, s.location),
      decryptor: await createDecryptor({ passphrase: PASSPHRASE }),
      logger: createMemoryLogger(),
      serverUrl: pg.url,
      query: `SELECT count(*) = 2000 FROM volunteers`
    });
    expect(r.failures).toEqual([]);
    expect(r.checks.filter(c => c.ok).length).toBe(4);
    expect(r.queryResult).toBe('true');
    const left = await sql(pg.url, `SELECT 1 FROM pg_database WHERE datname = '${r.scratchDatabase}'`);
    expect(left).toEqual([]);
  });

  test('verify fails when the user query is false', async () => {
    const catalog = await readCatalog(s);
    const r = await verifyBackup({
      store: s,
      backup: pickBackup(catalog, id, s.location),
      decryptor: await createDecryptor({ passphrase: PASSPHRASE }),
      logger: createMemoryLogger(),
      serverUrl: pg.url,
      query: `SELECT count(*) = 1 FROM volunteers`
    });
    expect(r.failures).toEqual(['verify-query returned false (expected true)']);
  });

  test('a wrong passphrase fails before anything is written to the target', async () => {
    const target = await freshDb();
    const catalog = await readCatalog(s);
    await expect(
      restoreBackup({
        store: s,
        backup: pickBackup(catalog, id, s.location),
        decryptor: await createDecryptor({ passphrase: 'not the passphrase' }),
        logger: createMemoryLogger(),
        targetUrl: target
      })
    ).rejects.toThrow(/decrypting .* failed: .*(Session key decryption failed|Modification detected)/);
    expect(await tableCount(target)).toBe(0);
  });

  test('a target that already has tables is refused', async () => {
    const catalog = await readCatalog(s);
    await expect(
      restoreBackup({
        store: s,
        backup: pickBackup(catalog, id, s.location),
        decryptor: await createDecryptor({ passphrase: PASSPHRASE }),
        logger: createMemoryLogger(),
        targetUrl: sourceUrl
      })
    ).rejects.toThrow(/already has 4 table\(s\) .*restore only into an empty database/);
  });

  test('a corrupted byte in the stored object is a checksum mismatch, and the target stays empty', async () => {
    const c = store('corrupt');
    await runBackup({
      databaseUrl: sourceUrl,
      store: c,
      // Without compression in the message the archive is compressed in pg_dump's format (the action's default).
      encryptor: await createEncryptor({ passphrase: PASSPHRASE }),
      logger: createMemoryLogger()
    });
    const catalog = await readCatalog(c);
    expect(pickBackup(catalog, undefined, c.location).manifest.compression).toBe('archive-zlib');
    const b = pickBackup(catalog, undefined, c.location);
    const key = c.keyOf(archiveName(b.id));
    const bytes = Buffer.from(
      await (
        await c.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }))
      ).Body!.transformToByteArray()
    );
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    await c.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: bytes }));
    const target = await freshDb();
    await expect(
      restoreBackup({
        store: c,
        backup: b,
        decryptor: await createDecryptor({ passphrase: PASSPHRASE }),
        logger: createMemoryLogger(),
        targetUrl: target
      })
    ).rejects.toThrow(
      /^checksum mismatch for corrupt-.*\.dump\.pgp: stored \d+ bytes with SHA-256 [0-9a-f]{64}, the manifest says/
    );
    expect(await tableCount(target)).toBe(0);
  });
});

describe('a tiny backup', () => {
  test('an empty schema (a 2 KiB archive, one HTTP chunk) backs up, verifies and restores', async () => {
    const source = await freshDb();
    await sql(source, 'CREATE TABLE volunteers (id int PRIMARY KEY, name text)');
    const s = store('tiny');
    const r = await runBackup({
      databaseUrl: source,
      store: s,
      encryptor: await createEncryptor({ passphrase: PASSPHRASE, compressionLevel: 6 }),
      logger: createMemoryLogger()
    });
    expect(r.manifest.sizeBytes).toBeLessThan(8192);
    const backup = pickBackup(await readCatalog(s), undefined, s.location);
    const decryptor = await createDecryptor({ passphrase: PASSPHRASE });
    const v = await verifyBackup({
      store: s,
      backup,
      decryptor,
      logger: createMemoryLogger(),
      serverUrl: pg.url
    });
    expect(v.failures).toEqual([]);
    const target = await freshDb();
    const restored = await restoreBackup({
      store: s,
      backup,
      decryptor,
      logger: createMemoryLogger(),
      targetUrl: target
    });
    expect(restored.tables).toEqual(['public.volunteers']);
  });
});

describe('public-key backup', () => {
  test('encrypts to a GnuPG key: our restore needs the private key, gpg decrypts it, another key cannot', async () => {
    const owner = await generateKey('backups@example.org', 'key-pass');
    const other = await generateKey('someone-else@example.org', 'other-pass');
    const s = store('pubkey');
    const r = await runBackup({
      databaseUrl: sourceUrl,
      store: s,
      encryptor: await createEncryptor({ publicKey: owner.publicKey, compressionLevel: 6 }),
      logger: createMemoryLogger()
    });
    expect(r.manifest.encryption).toEqual({ method: 'public-key', keyFingerprints: [owner.fingerprint] });
    const backup = pickBackup(await readCatalog(s), undefined, s.location);

    const wrongTarget = await freshDb();
    await expect(
      restoreBackup({
        store: s,
        backup,
        decryptor: await createDecryptor({
          privateKey: other.privateKey,
          privateKeyPassphrase: 'other-pass'
        }),
        logger: createMemoryLogger(),
        targetUrl: wrongTarget
      })
    ).rejects.toThrow(
      /decrypting .* failed: .*No decryption key packets found.* \(encrypted to [0-9A-F]{40}\)$/
    );
    expect(await tableCount(wrongTarget)).toBe(0);

    await expect(
      createDecryptor({ privateKey: owner.privateKey, privateKeyPassphrase: 'wrong' })
    ).rejects.toThrow(/private-key-passphrase does not unlock private-key/);

    const target = await freshDb();
    await restoreBackup({
      store: s,
      backup,
      decryptor: await createDecryptor({ privateKey: owner.privateKey, privateKeyPassphrase: 'key-pass' }),
      logger: createMemoryLogger(),
      targetUrl: target
    });
    expect(await digests(target)).toEqual(sourceDigests);

    // The key holder's stock gpg reads it too.
    const file = join(tmp, 'pub.dump.pgp');
    const body = (
      await s.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: backup.manifest.objectKey }))
    ).Body!;
    writeFileSync(file, Buffer.from(await body.transformToByteArray()));
    const gpgTarget = await freshDb();
    const { dbname, env } = libpqConnection(gpgTarget);
    await sh(
      `gpg --batch --homedir "$H" --pinentry-mode loopback --passphrase key-pass --decrypt "$F" | pg_restore --no-owner -d "$DB"`,
      {
        H: owner.gpg.home,
        F: file,
        DB: dbname,
        ...env
      }
    );
    expect(await digests(gpgTarget)).toEqual(sourceDigests);
  });
});

describe('failures leave nothing that looks complete', () => {
  let bulkUrl: string;
  beforeAll(async () => {
    bulkUrl = await pg.createDatabase(`bk_bulk_${process.pid}`);
    await seed(bulkUrl, { volunteers: 100, bulkRows: 60_000 }); // ~31 MB of hex text, ~17 MB once pg_dump has compressed it
  }, 120_000);
  afterAll(async () => {
    await pg?.dropDatabase(`bk_bulk_${process.pid}`).catch(() => undefined);
  });

  test('pg_dump killed mid-stream: the step fails, no manifest, the multipart upload is aborted', async () => {
    const s = store('killed', { partSize: 5 * 1024 * 1024, queueSize: 2 });
    let seen = 0;
    await expect(
      runBackup({
        databaseUrl: bulkUrl,
        store: s,
        encryptor: await createEncryptor({ passphrase: PASSPHRASE }),
        logger: createMemoryLogger(),
        onDumpStarted: child =>
          child.stdout!.on('data', (d: Buffer) => {
            seen += d.length;
            if (seen > 12 * 1024 * 1024) child.kill('SIGKILL');
          })
      })
    ).rejects.toThrow(/^pg_dump was killed by SIGKILL/);
    expect(seen).toBeGreaterThan(12 * 1024 * 1024);
    const catalog = await readCatalog(s);
    expect(catalog.complete).toEqual([]);
    expect(catalog.incomplete).toEqual([]);
    expect(await s.list()).toEqual([]);
    const uploads = await s.client.send(
      new ListMultipartUploadsCommand({ Bucket: s3.bucket, Prefix: s.keyOf('') })
    );
    expect(uploads.Uploads ?? []).toEqual([]);
  });

  test('an S3 server failing some part uploads (503 SlowDown, connection resets) still yields a correct backup', async () => {
    const proxy = await faultyProxy(s3.endpoint);
    try {
      const prefix = `faulty-${randomBytes(3).toString('hex')}/`;
      const viaProxy = new S3Store({
        bucket: s3.bucket,
        prefix,
        endpoint: proxy.endpoint,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        forcePathStyle: true,
        partSize: 5 * 1024 * 1024,
        queueSize: 2
      });
      const r = await runBackup({
        databaseUrl: bulkUrl,
        store: viaProxy,
        encryptor: await createEncryptor({ passphrase: PASSPHRASE }),
        logger: createMemoryLogger()
      });
      expect(proxy.stats.slowDowns).toBeGreaterThanOrEqual(2);
      expect(proxy.stats.resets).toBeGreaterThanOrEqual(1);
      expect(r.manifest.sizeBytes).toBeGreaterThan(15 * 1024 * 1024); // 3+ parts of 5 MiB
      // Read back directly from RGW: checksum, decryption and contents are right.
      const direct = new S3Store({ ...viaProxyOptions(prefix) });
      const target = await freshDb();
      await restoreBackup({
        store: direct,
        backup: pickBackup(await readCatalog(direct), undefined, direct.location),
        decryptor: await createDecryptor({ passphrase: PASSPHRASE }),
        logger: createMemoryLogger(),
        targetUrl: target
      });
      expect(await digests(target)).toEqual(await digests(bulkUrl));
    } finally {
      await proxy.close();
    }
  });
});

describe('a persistent S3 failure', () => {
  test('fails the step naming the call, the server message and the request id; the upload is aborted', async () => {
    const proxy = await faultyProxy(s3.endpoint, { failAllParts: true });
    try {
      const prefix = `down-${randomBytes(3).toString('hex')}/`;
      const viaProxy = new S3Store({
        ...viaProxyOptions(prefix),
        endpoint: proxy.endpoint,
        partSize: 5 * 1024 * 1024,
        // The production budget (37-75 s per request) shortened: the same 9 attempts, in about 1.5 s.
        retryDelaysMs: [20, 40, 80, 160, 300, 300, 300, 300]
      });
      const bigUrl = await pg.createDatabase(`bk_down_${process.pid}`);
      try {
        await seed(bigUrl, { volunteers: 100, bulkRows: 30_000 });
        await expect(
          runBackup({
            databaseUrl: bigUrl,
            store: viaProxy,
            encryptor: await createEncryptor({ passphrase: PASSPHRASE }),
            logger: createMemoryLogger()
          })
        ).rejects.toThrow(
          new RegExp(
            `^Upload s3://${s3.bucket}/${prefix}\\d{8}T\\d{6}\\.\\d{3}Z-[0-9a-f]{6}\\.dump\\.pgp failed: HTTP 503 SlowDown - Please reduce your request rate\\. \\(request id injected-fault\\)$`
          )
        );
      } finally {
        await pg.dropDatabase(`bk_down_${process.pid}`).catch(() => undefined);
      }
      expect(proxy.stats.slowDowns).toBeGreaterThanOrEqual(6); // the SDK retried before giving up
      const direct = new S3Store(viaProxyOptions(prefix));
      expect(await direct.list()).toEqual([]);
      const uploads = await direct.client.send(
        new ListMultipartUploadsCommand({ Bucket: s3.bucket, Prefix: prefix })
      );
      expect(uploads.Uploads ?? []).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});

function viaProxyOptions(prefix: string) {
  return {
    bucket: s3.bucket,
    prefix,
    endpoint: s3.endpoint,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    forcePathStyle: true
  };
}
