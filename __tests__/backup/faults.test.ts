// The backup action (dist/backup) under the faults real runs meet: concurrent runs to one prefix, PostgreSQL
// going away mid-dump, S3 outages mid-upload (a TCP fault proxy in front of RGW), SIGINT/SIGTERM/SIGKILL mid-work,
// and corrupt or foreign manifests of older backups. Each case asserts what is left on the servers and the disk.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ListMultipartUploadsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { sharedPostgres, sharedS3, type PostgresServer, type S3Server } from '../../test-support/shared.js';
import { startPostgres } from '../../test-support/postgres.js';
import { startFaultProxy } from '../../test-support/fault-proxy.js';
import { runAction, startAction, type ActionResult } from '../../test-support/action-process.js';
import { FileStore } from '../../src/backup/file-store.js';
import { S3Store } from '../../src/backup/s3-store.js';
import { readCatalog } from '../../src/backup/catalog.js';
import { pruneBackups } from '../../src/backup/prune.js';
import { archiveName, manifestName } from '../../src/backup/id.js';
import { createMemoryLogger } from '../../src/kit/log.js';
import type { BackupStore } from '../../src/backup/storage.js';
import { seed, sql } from './helpers.js';

const PASSPHRASE = `faults-${randomBytes(8).toString('hex')}`;
let pgServer: PostgresServer;
let s3: S3Server;
let sourceUrl: string;
const tmp = mkdtempSync(join(tmpdir(), 'backup-faults-'));
const DB = `bk_faults_${process.pid}`;
const MiB = 1 << 20;

beforeAll(async () => {
  [pgServer, s3] = await Promise.all([sharedPostgres(), sharedS3()]);
  sourceUrl = await pgServer.createDatabase(DB);
  // ~20 MiB of archive: several 5 MiB parts, so faults can hit the upload in its middle.
  await seed(sourceUrl, { volunteers: 500, bulkRows: 60_000 });
}, 180_000);

afterAll(async () => {
  await pgServer?.dropDatabase(DB).catch(() => undefined);
});

const prefixFor = (label: string) => `faults/${label}-${randomBytes(3).toString('hex')}`;

function s3Store(prefix: string, endpoint = s3.endpoint): S3Store {
  return new S3Store({
    bucket: s3.bucket,
    prefix: `${prefix}/`,
    endpoint,
    region: s3.region,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    forcePathStyle: true
  });
}

function s3Inputs(prefix: string, endpoint = s3.endpoint): Record<string, string> {
  return {
    'storage-url': `s3://${s3.bucket}/${prefix}`,
    's3-endpoint': endpoint,
    's3-region': s3.region,
    's3-access-key-id': s3.accessKeyId,
    's3-secret-access-key': s3.secretAccessKey,
    's3-force-path-style': 'true'
  };
}

const backupInputs = (storage: Record<string, string>, extra: Record<string, string> = {}) => ({
  mode: 'backup',
  'database-url': sourceUrl,
  passphrase: PASSPHRASE,
  prune: 'false',
  ...storage,
  ...extra
});

async function openUploads(prefix: string): Promise<string[]> {
  const r = await s3
    .client()
    .send(new ListMultipartUploadsCommand({ Bucket: s3.bucket, Prefix: `${prefix}/` }));
  return (r.Uploads ?? []).map(u => u.Key!);
}

async function objectNames(prefix: string): Promise<string[]> {
  const r = await s3.client().send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${prefix}/` }));
  return (r.Contents ?? []).map(o => o.Key!.slice(prefix.length + 1)).sort();
}

/** Every complete backup's manifest names its own archive, whose bytes hash to the manifest's sha256. */
async function expectConsistent(store: BackupStore): Promise<string[]> {
  const catalog = await readCatalog(store);
  expect(catalog.corrupt).toEqual([]);
  for (const b of catalog.complete) {
    expect(b.manifest.id).toBe(b.id);
    expect(b.manifest.objectKey).toBe(store.keyOf(archiveName(b.id)));
    const hash = createHash('sha256');
    for await (const chunk of await store.read(archiveName(b.id))) hash.update(chunk as Buffer);
    expect(hash.digest('hex')).toBe(b.manifest.sha256);
  }
  return catalog.complete.map(b => b.id);
}

function expectNoStackTrace(r: ActionResult): void {
  expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(r.stderr).not.toMatch(/Unhandled|uncaught|node:internal/i);
}

const errorLines = (r: ActionResult) => r.stdout.split('\n').filter(l => l.startsWith('::error::'));

describe('concurrent backups of one database to one prefix', () => {
  test.each([2, 5])('%i at once (file://): all complete as distinct, consistent backups', async n => {
    const dir = join(tmp, `concurrent-${n}`);
    const runs = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        // Half of them "from another repository": same storage, another GITHUB_REPOSITORY (another concurrency group).
        runAction('backup', backupInputs({ 'storage-url': `file://${dir}` }), {
          GITHUB_REPOSITORY: i % 2 ? 'org/other-repo' : 'org/app'
        })
      )
    );
    for (const r of runs) expect(errorLines(r)).toEqual([]);
    expect(runs.map(r => r.code)).toEqual(runs.map(() => 0));
    const ids = runs.map(r => r.outputs['backup-id']!);
    expect(new Set(ids).size).toBe(n);
    expect((await expectConsistent(new FileStore(dir))).sort()).toEqual([...ids].sort());
    expect(readdirSync(dir).filter(f => f.includes('.partial-'))).toEqual([]);
  });

  test('5 at once (S3), prune on: every run succeeds, what remains is consistent, no upload left open', async () => {
    const prefix = prefixFor('concurrent');
    const runs = await Promise.all(
      Array.from({ length: 5 }, () => runAction('backup', backupInputs(s3Inputs(prefix), { prune: 'true' })))
    );
    for (const r of runs) expect(errorLines(r)).toEqual([]);
    expect(runs.map(r => r.code)).toEqual([0, 0, 0, 0, 0]);
    expect(new Set(runs.map(r => r.outputs['backup-id'])).size).toBe(5);
    const left = await expectConsistent(s3Store(prefix));
    expect(left.length).toBeGreaterThanOrEqual(1);
    expect(await openUploads(prefix)).toEqual([]);
  });

  test('a manifest is written only where none is: the second conditional write is refused (S3 and file://)', async () => {
    const stores: BackupStore[] = [
      s3Store(prefixFor('conditional')),
      new FileStore(join(tmp, 'conditional'))
    ];
    for (const store of stores) {
      await store.putText('x.json', 'first', { ifAbsent: true });
      await expect(store.putText('x.json', 'second', { ifAbsent: true })).rejects.toThrow(/412|exists/);
      expect(await store.getText('x.json')).toBe('first');
    }
  });
});

describe('PostgreSQL going away mid-dump', () => {
  test.each(['terminated (pg_terminate_backend)', 'server stopped'])(
    '%s: one ::error:: line, a summary, no stack trace, the multipart upload aborted',
    async how => {
      const own = how === 'server stopped' ? await startPostgres() : undefined;
      const proxy = await startFaultProxy({ host: '127.0.0.1', port: Number(new URL(s3.endpoint).port) });
      try {
        const url = own ? await own.createDatabase('app') : sourceUrl;
        if (own) await seed(url, { volunteers: 100, bulkRows: 60_000 });
        const prefix = prefixFor('pg-gone');
        // S3 goes down once 6 MiB went up: pg_dump is then held mid-dump by backpressure, deterministically.
        let held!: () => void;
        const stalled = new Promise<void>(resolve => (held = resolve));
        proxy.whenUpstreamBytes(6 * MiB, () => {
          void proxy.outage();
          held();
        });
        const run = startAction('backup', backupInputs(s3Inputs(prefix, proxy.url), { 'database-url': url }));
        await stalled;
        if (own) await own.stop();
        else
          await sql(
            url,
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name IN ('backup', 'pg_dump')`
          );
        proxy.restore(); // S3 back: the abort can reach it
        const r = await run.done;
        expect(r.code).toBe(1);
        const errors = errorLines(r);
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatch(/pg_dump|PostgreSQL connection .* lost/);
        expectNoStackTrace(r);
        expect(r.summary).toContain('## Failed');
        expect(await openUploads(prefix)).toEqual([]);
        expect(await objectNames(prefix)).toEqual([]);
      } finally {
        await proxy.close();
        await own?.stop();
      }
    }
  );

  test('a server that accepts and never answers fails in bounded time naming host, port, database, user', async () => {
    const hung = await startFaultProxy({ host: '127.0.0.1', port: 1 });
    hung.blackhole();
    try {
      const url = `postgresql://nightly_user:${PASSPHRASE}@127.0.0.1:${hung.port}/appdb`;
      const r = await runAction(
        'backup',
        backupInputs({ 'storage-url': `file://${join(tmp, 'hung')}` }, { 'database-url': url })
      );
      expect(r.code).toBe(1);
      expect(errorLines(r)).toEqual([
        expect.stringMatching(
          new RegExp(
            `Cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${hung.port}, database appdb, user nightly_user: .*timeout`,
            'i'
          )
        )
      ]);
      expectNoStackTrace(r);
    } finally {
      await hung.close();
    }
  }, 60_000);
});

describe('S3 outages mid-upload', () => {
  test.each([2, 5, 20])(
    '%i s outage: the backup completes, consistent, nothing left open',
    async seconds => {
      const proxy = await startFaultProxy({ host: '127.0.0.1', port: Number(new URL(s3.endpoint).port) });
      try {
        const prefix = prefixFor(`outage-${seconds}`);
        proxy.whenUpstreamBytes(6 * MiB, () => void proxy.outage(seconds * 1000));
        const r = await runAction('backup', backupInputs(s3Inputs(prefix, proxy.url)));
        expect(errorLines(r)).toEqual([]);
        expect(r.code).toBe(0);
        expect(proxy.stats.outages).toBe(1);
        expect(proxy.stats.resets).toBeGreaterThan(0);
        expect(await expectConsistent(s3Store(prefix))).toEqual([r.outputs['backup-id']]);
        expect(await openUploads(prefix)).toEqual([]);
      } finally {
        await proxy.close();
      }
    },
    180_000
  );

  test('an upload that fails while S3 is down is aborted once S3 answers again (the abort is retried)', async () => {
    const proxy = await startFaultProxy({ host: '127.0.0.1', port: Number(new URL(s3.endpoint).port) });
    try {
      const prefix = prefixFor('abort-retried');
      const store = s3Store(prefix, proxy.url);
      let sent = 0;
      const body = new Readable({
        read() {
          if (sent >= 12 * MiB) {
            // The body fails (pg_dump died) just as S3 goes down for 3 s.
            void proxy.outage(3000);
            this.destroy(new Error('pg_dump exited with code 1'));
            return;
          }
          sent += MiB;
          this.push(randomBytes(MiB));
        }
      });
      await expect(store.upload(archiveName('20261201T020000.000Z-abcdef'), body)).rejects.toThrow(
        'pg_dump exited'
      );
      expect(proxy.stats.resets).toBeGreaterThan(0);
      expect(await openUploads(prefix)).toEqual([]);
    } finally {
      await proxy.close();
    }
  }, 120_000);
});

describe('cancellation of a backup', () => {
  test.each(['SIGINT', 'SIGTERM'] as const)(
    '%s mid-upload (S3): multipart aborted, nothing stored, "cancelled" summary, exit 1',
    async signal => {
      const proxy = await startFaultProxy({ host: '127.0.0.1', port: Number(new URL(s3.endpoint).port) });
      try {
        const prefix = prefixFor(`cancel-${signal}`);
        const run = startAction('backup', backupInputs(s3Inputs(prefix, proxy.url)));
        proxy.whenUpstreamBytes(6 * MiB, () => run.child.kill(signal));
        const r = await run.done;
        expect(r.code).toBe(1);
        expect(errorLines(r)).toEqual([
          expect.stringMatching(
            new RegExp(`^::error::Cancelled by ${signal}; undone: abort multipart upload s3://`)
          )
        ]);
        expect(r.summary).toContain('## Cancelled');
        expect(r.summary).toContain('Nothing this run started is left.');
        expectNoStackTrace(r);
        expect(await openUploads(prefix)).toEqual([]);
        expect(await objectNames(prefix)).toEqual([]);
      } finally {
        await proxy.close();
      }
    }
  );

  test.each(['SIGINT', 'SIGTERM'] as const)(
    '%s while pg_dump runs (file://): the partial file is removed',
    async signal => {
      const dir = join(tmp, `cancel-file-${signal}`);
      // pg_dump waits for a lock held here: the run is deterministically mid-dump, its partial file open.
      const blocker = new pg.Client({ connectionString: sourceUrl });
      await blocker.connect();
      try {
        await blocker.query('BEGIN; LOCK TABLE bulk IN ACCESS EXCLUSIVE MODE');
        const run = startAction('backup', backupInputs({ 'storage-url': `file://${dir}` }));
        await run.waitFor(/writing .*\.dump\.pgp/);
        await waitUntil(
          async () =>
            (
              await sql<{ n: string }>(
                sourceUrl,
                `SELECT count(*) AS n FROM pg_locks WHERE NOT granted AND relation = 'bulk'::regclass`
              )
            )[0]!.n !== '0'
        );
        expect(readdirSync(dir).filter(f => f.includes('.partial-'))).toHaveLength(1);
        run.child.kill(signal);
        const r = await run.done;
        expect(r.code).toBe(1);
        expect(errorLines(r)[0]).toMatch(
          new RegExp(`^::error::Cancelled by ${signal}; undone: remove partial file`)
        );
        expect(readdirSync(dir)).toEqual([]);
      } finally {
        await blocker.query('ROLLBACK').catch(() => undefined);
        await blocker.end();
      }
    }
  );

  test('SIGKILL leaves an open multipart upload and a partial file; the next prune removes both once 24 h old', async () => {
    const prefix = prefixFor('sigkill');
    const proxy = await startFaultProxy({ host: '127.0.0.1', port: Number(new URL(s3.endpoint).port) });
    const dir = join(tmp, 'sigkill');
    try {
      const run = startAction('backup', backupInputs(s3Inputs(prefix, proxy.url)));
      proxy.whenUpstreamBytes(6 * MiB, () => run.child.kill('SIGKILL'));
      expect((await run.done).signal).toBe('SIGKILL');
      const fileStore = new FileStore(dir);
      const partial = join(dir, `${archiveName('20261201T020000.000Z-abcdef')}.partial-0badf00d`);
      await fileStore.putText('keep.txt', 'x');
      writeFileSync(partial, 'half an archive');
      await waitUntil(async () => (await openUploads(prefix)).length === 1);
      const logger = createMemoryLogger();
      const policy = { keepDaily: 30, keepMonthly: 12 };
      // A run within 24 h leaves them: they may belong to a backup still in progress.
      for (const store of [s3Store(prefix), fileStore]) {
        const soon = await pruneBackups(store, policy, { dryRun: false, logger });
        expect(soon.leftovers).toEqual([]);
      }
      expect(await openUploads(prefix)).toHaveLength(1);
      const later = new Date(Date.now() + 25 * 3600_000);
      const s3Result = await pruneBackups(s3Store(prefix), policy, { dryRun: false, logger, now: later });
      expect(s3Result.leftovers).toEqual([
        expect.stringMatching(/^multipart upload of .*\.dump\.pgp \(upload id /)
      ]);
      const fileResult = await pruneBackups(fileStore, policy, { dryRun: false, logger, now: later });
      expect(fileResult.leftovers).toEqual([
        expect.stringMatching(/^partial file .*\.partial-0badf00d \(last written /)
      ]);
      expect(await openUploads(prefix)).toEqual([]);
      expect(readdirSync(dir)).toEqual(['keep.txt']);
    } finally {
      await proxy.close();
    }
  });
});

describe('a corrupt or foreign manifest of an older backup', () => {
  test('is reported by name and kept; list, the nightly backup + prune, and restore of the newest still work', async () => {
    const dir = join(tmp, 'corrupt');
    const storage = { 'storage-url': `file://${dir}` };
    const first = await runAction('backup', backupInputs(storage));
    const second = await runAction('backup', backupInputs(storage));
    expect([first.code, second.code]).toEqual([0, 0]);
    const [a, b] = [first.outputs['backup-id']!, second.outputs['backup-id']!];
    // Two older backups whose manifests cannot be trusted: one not JSON, one describing another archive.
    const garbled = '20261101T020000Z';
    const foreign = '20261102T020000Z';
    copyFileSync(join(dir, archiveName(a)), join(dir, archiveName(garbled)));
    writeFileSync(join(dir, manifestName(garbled)), '{"version":1, "id": trunc');
    copyFileSync(join(dir, archiveName(b)), join(dir, archiveName(foreign)));
    copyFileSync(join(dir, manifestName(a)), join(dir, manifestName(foreign)));

    const list = await runAction('backup', { ...storage, mode: 'list' });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`::warning::backup ${garbled} cannot be trusted`);
    expect(list.stdout).toContain(join(dir, manifestName(garbled)));
    expect(list.stdout).toMatch(
      new RegExp(`::warning::backup ${foreign} cannot be trusted .*names backup ${a.replace('.', '\\.')}`)
    );
    expect(list.outputs.kept).toBe('2');

    // The nightly step: a new backup, then prune with keep 0 — the corrupt ones are kept, the step succeeds.
    const nightly = await runAction(
      'backup',
      backupInputs(storage, { prune: 'true', 'keep-daily': '0', 'keep-monthly': '0' })
    );
    expect(errorLines(nightly)).toEqual([]);
    expect(nightly.code).toBe(0);
    expect(nightly.stdout).toContain(`::warning::prune: kept ${garbled}, whose manifest cannot be trusted`);
    expect(nightly.summary).toContain('CORRUPT');
    const files = readdirSync(dir);
    for (const id of [garbled, foreign]) {
      expect(files).toContain(archiveName(id));
      expect(files).toContain(manifestName(id));
    }
    expect(files).toContain(archiveName(nightly.outputs['backup-id']!));

    const target = await pgServer.createDatabase(`${DB}_restore`);
    try {
      const restore = await runAction('backup', {
        ...storage,
        mode: 'restore',
        'database-url': target,
        passphrase: PASSPHRASE
      });
      expect(errorLines(restore)).toEqual([]);
      expect(restore.outputs['backup-id']).toBe(nightly.outputs['backup-id']);
      const refused = await runAction('backup', {
        ...storage,
        mode: 'restore',
        'backup-id': garbled,
        'database-url': target,
        passphrase: PASSPHRASE
      });
      expect(errorLines(refused)).toEqual([
        expect.stringContaining(
          `backup ${garbled} in file://${dir} cannot be trusted: manifest ${join(dir, manifestName(garbled))} is not JSON`
        )
      ]);
    } finally {
      await pgServer.dropDatabase(`${DB}_restore`);
    }
  });
});

async function waitUntil(check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise(r => setTimeout(r, 100));
  }
}
