// The temporary archive of a parallel restore is written as pg_dump writes a file: data offsets in the TOC and
// large data blocks, the same TOC and data otherwise. Real pg_dump (through a pipe, as our backups run it), real
// pg_restore, real gpg for the reference decryption.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { ArchiveCompressor } from '../../src/backup/archive-compress.js';
import { ArchiveInflater } from '../../src/backup/archive-inflate.js';
import { ArchiveWalker } from '../../src/backup/archive-walker.js';
import { archiveDataOffsets, ArchiveIndexer, fillOffsets } from '../../src/backup/archive-index.js';
import { pickBackup, readCatalog } from '../../src/backup/catalog.js';
import { createDecryptor } from '../../src/backup/crypto.js';
import { FileStore } from '../../src/backup/file-store.js';
import { decryptToFile } from '../../src/backup/restore-file.js';
import { archiveName } from '../../src/backup/id.js';
import { libpqConnection } from '../../src/postgres/url.js';
import { sharedPostgres, type PostgresServer } from '../../test-support/shared.js';
import { digests, seed, sql } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'archive-index-'));
const PASSPHRASE = `index-${randomBytes(8).toString('hex')}`;
let pg: PostgresServer;
let sourceUrl: string;
let n = 0;

/** pg_dump -Fc through a pipe (what a backup gets): the TOC has no data offsets. */
function dumpThroughPipe(url: string, extra: string[]): Buffer {
  const { dbname, env } = libpqConnection(url);
  return execFileSync(
    'bash',
    ['-o', 'pipefail', '-c', 'pg_dump -Fc "$@" --dbname="$DB" | cat', '_', ...extra],
    {
      env: { ...process.env, ...env, DB: dbname },
      maxBuffer: 1 << 30
    }
  );
}

/** The SQL pg_restore makes of an archive, without the per-run \restrict key lines. */
function script(file: string): string {
  return execFileSync('pg_restore', ['-f', '-', file], { maxBuffer: 1 << 30 })
    .toString()
    .replace(/^\\(un)?restrict .*$/gm, '');
}

/** Feeds `input` to the indexer in pieces of `sizes` (cycled), writes it to a file and fills in the offsets. */
async function index(input: Buffer, sizes: number[]): Promise<string> {
  const file = join(dir, `indexed-${++n}.dump`);
  const indexer = new ArchiveIndexer();
  await pipeline(Readable.from(slices(input, sizes)), indexer, createWriteStream(file));
  await fillOffsets(file, indexer.offsets());
  return file;
}

/** Feeds `input` to the backup's compressor in pieces of `sizes` (cycled); what it wrote. */
async function compress(input: Buffer, sizes: number[]): Promise<Buffer> {
  const out: Buffer[] = [];
  const compressor = new ArchiveCompressor();
  compressor.on('data', (b: Buffer) => out.push(b));
  await pipeline(Readable.from(slices(input, sizes)), compressor);
  return Buffer.concat(out);
}

/** `input` cut into pieces of `sizes`, cycled. */
function slices(input: Buffer, sizes: number[]): Buffer[] {
  const pieces: Buffer[] = [];
  for (let at = 0, k = 0; at < input.length; k++) {
    const size = sizes[k % sizes.length]!;
    pieces.push(input.subarray(at, at + size));
    at += size;
  }
  return pieces;
}

/** Every data entry's offset is set and points at a block header carrying that entry's dump id. */
function expectOffsetsPointAtTheirBlocks(file: string): number {
  const bytes = readFileSync(file);
  const offsets = archiveDataOffsets(bytes)!;
  expect(offsets.size).toBeGreaterThan(0);
  for (const [id, { flag, offset }] of offsets) {
    expect({ id, flag }).toEqual({ id, flag: 2 });
    expect([1, 3]).toContain(bytes[offset]); // BLK_DATA or BLK_BLOBS
    const sign = bytes[offset + 1]!;
    expect({ id, at: sign === 0 ? bytes.readUInt32LE(offset + 2) : -1 }).toEqual({ id, at: id });
  }
  return offsets.size;
}

/** The largest data chunk in an archive, as the walker sees it. */
function largestChunk(archive: Buffer): number {
  let largest = 0;
  const walker = new ArchiveWalker({
    head: () => undefined,
    block: () => undefined,
    blob: () => undefined,
    data: (_buf, _start, _end, chunkBytes) => (largest = Math.max(largest, chunkBytes)),
    dataEnd: () => undefined,
    opaque: () => undefined
  });
  walker.write(archive);
  walker.end();
  return largest;
}

async function restoreParallel(file: string): Promise<string> {
  const url = await pg.createDatabase(`ix_target_${process.pid}_${++n}`);
  const { dbname, env } = libpqConnection(url);
  const r = spawnSync(
    'pg_restore',
    ['--no-owner', '--exit-on-error', '--jobs=2', `--dbname=${dbname}`, file],
    {
      env: { ...process.env, ...env }
    }
  );
  expect({ code: r.status, stderr: r.stderr.toString() }).toEqual({ code: 0, stderr: '' });
  return url;
}

beforeAll(async () => {
  pg = await sharedPostgres();
  sourceUrl = await pg.createDatabase(`ix_source_${process.pid}`);
  await seed(sourceUrl, { volunteers: 3000 });
  await sql(
    sourceUrl,
    // A row larger than a merged block, a large object (BLOBS blocks pass as they are), an empty table, and
    // random tokens that compress into chunks larger than 64 KiB (kept as they are by the indexer).
    `CREATE TABLE big_rows (id int PRIMARY KEY, body text);
     INSERT INTO big_rows SELECT g, repeat(md5(g::text), 20000) FROM generate_series(1, 3) g;
     CREATE TABLE tokens AS SELECT g AS id, md5(random()::text) || md5(random()::text) AS token
       FROM generate_series(1, 40000) g;
     SELECT lo_from_bytea(0, decode(repeat('00ff', 40000), 'hex'));`
  );
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ArchiveIndexer', () => {
  test.each([
    ['uncompressed (--compress=0, our backups: blocks merged)', ['--compress=0']],
    ['compressed by pg_dump (blocks passed as they are)', []]
  ])(
    '%s: offsets written, same SQL, restores with --jobs',
    async (_name, extra) => {
      const original = join(dir, `original-${++n}.dump`);
      const dump = dumpThroughPipe(sourceUrl, extra);
      writeFileSync(original, dump);
      expect([...archiveDataOffsets(dump)!.values()].every(o => o.flag === 1)).toBe(true); // through a pipe
      const reference = script(original);
      // Whole, in reads of a typical size, and in odd small pieces that split every number and header. Whole
      // rows take the indexer's fast path, split ones its state machine: both must write the very same bytes.
      const outputs: Buffer[] = [];
      for (const sizes of [[dump.length], [65536], [1, 7, 13, 4096], [1]]) {
        const file = await index(dump, sizes);
        expect(expectOffsetsPointAtTheirBlocks(file)).toBe([...archiveDataOffsets(dump)!.keys()].length);
        expect(script(file)).toBe(reference);
        outputs.push(readFileSync(file));
      }
      for (const out of outputs.slice(1)) expect(out.equals(outputs[0]!)).toBe(true);
      const restored = await restoreParallel(await index(dump, [65536]));
      expect(await digests(restored)).toEqual(await digests(sourceUrl));
    },
    180_000
  );

  test('merging leaves far fewer blocks in an uncompressed archive', async () => {
    const dump = dumpThroughPipe(sourceUrl, ['--compress=0']);
    const file = await index(dump, [65536]);
    // Each block costs a 5-byte length: 3000 volunteers + 6000 schedules rows were one block each.
    expect(dump.length - readFileSync(file).length).toBeGreaterThan(9000 * 5 * 0.9);
  }, 60_000);

  test('anything else passes through unchanged', async () => {
    const garbage = randomBytes(100_000);
    const oldFormat = Buffer.concat([
      Buffer.from('PGDMP'),
      Buffer.from([1, 11, 0, 4, 8, 1]),
      randomBytes(5000)
    ]);
    const tar = Buffer.concat([Buffer.from('PGDMP'), Buffer.from([1, 14, 0, 4, 8, 3]), randomBytes(5000)]);
    for (const input of [garbage, oldFormat, tar, Buffer.from('PGD'), Buffer.alloc(0)]) {
      const file = await index(input, [input.length || 1, 3]);
      expect(readFileSync(file).equals(input)).toBe(true);
    }
  });
});

describe('ArchiveCompressor (the backup: pg_dump --compress=0, compressed on every core)', () => {
  test('writes the archive pg_dump --compress=6 would: same SQL, gzip in the header, read from a pipe and with --jobs', async () => {
    const plain = dumpThroughPipe(sourceUrl, ['--compress=0']);
    const original = join(dir, `plain-${++n}.dump`);
    writeFileSync(original, plain);
    const reference = script(original);
    const outputs: Buffer[] = [];
    // Whole, in pipe-sized reads, and in odd pieces that split every number, header and row.
    for (const sizes of [[plain.length], [65536], [1, 7, 13, 4096]])
      outputs.push(await compress(plain, sizes));
    for (const out of outputs.slice(1)) expect(out.equals(outputs[0]!)).toBe(true);
    const file = join(dir, `compressed-${++n}.dump`);
    writeFileSync(file, outputs[0]!);
    expect(execFileSync('pg_restore', ['--list', file]).toString()).toMatch(/^; +Compression: (6|gzip)$/m);
    expect(script(file)).toBe(reference);
    // From a pipe (a restore with jobs: 1 streams into pg_restore): no seeking, every zlib stream ends properly.
    const fromPipe = execFileSync('bash', ['-o', 'pipefail', '-c', 'cat "$1" | pg_restore -f -', '_', file], {
      maxBuffer: 1 << 30
    });
    expect(fromPipe.toString().replace(/^\\(un)?restrict .*$/gm, '')).toBe(reference);
    // And what a parallel restore makes of it: the indexer's offsets, pg_restore --jobs=2, the same data. Its
    // large chunks pass without a copy when whole and are put together when split: the file is the same.
    const indexedFiles: Buffer[] = [];
    for (const sizes of [[outputs[0]!.length], [65536], [1, 7, 13, 4096]])
      indexedFiles.push(readFileSync(await index(outputs[0]!, sizes)));
    for (const out of indexedFiles.slice(1)) expect(out.equals(indexedFiles[0]!)).toBe(true);
    expect(largestChunk(indexedFiles[0]!)).toBeGreaterThanOrEqual(64 << 10);
    const indexed = await index(outputs[0]!, [65536]);
    expectOffsetsPointAtTheirBlocks(indexed);
    const restored = await restoreParallel(indexed);
    expect(await digests(restored)).toEqual(await digests(sourceUrl));
    // As small as pg_dump's own compression (one zlib stream per table as well).
    const byPgDump = dumpThroughPipe(sourceUrl, ['--compress=6']);
    expect(outputs[0]!.length).toBeLessThan(plain.length / 3);
    expect(outputs[0]!.length / byPgDump.length).toBeLessThan(1.05);
  }, 180_000);

  test('a small archive whose TOC ends in its last piece (a fresh schema, as a first backup has)', async () => {
    // The head is re-parsed only once the buffer has doubled; the end of the input must parse it once more.
    const url = await pg.createDatabase(`ix_small_${process.pid}`);
    await sql(
      url,
      'CREATE TABLE volunteers (id serial PRIMARY KEY, name text); CREATE TABLE events (id int)'
    );
    const plain = dumpThroughPipe(url, ['--compress=0']);
    const first = Math.floor(plain.length * 0.6);
    const original = join(dir, `small-plain-${++n}.dump`);
    writeFileSync(original, plain);
    const file = join(dir, `small-compressed-${++n}.dump`);
    writeFileSync(file, await compress(plain, [first, plain.length]));
    expect(script(file)).toBe(script(original));
    const indexed = await index(plain, [first, plain.length]);
    expect(expectOffsetsPointAtTheirBlocks(indexed)).toBe(2);
  });

  test('refuses in one line what it cannot compress: not an archive, an archive pg_dump compressed', async () => {
    await expect(compress(randomBytes(10_000), [4096])).rejects.toThrow(
      /^pg_dump's output is not a custom-format archive this action reads/
    );
    await expect(compress(dumpThroughPipe(sourceUrl, ['--compress=6']), [65536])).rejects.toThrow(
      /^pg_dump wrote a compressed archive/
    );
  });
});

describe('ArchiveInflater (a streamed restore: node inflates, pg_restore gets rows)', () => {
  /** Feeds `input` to the inflater in pieces of `sizes` (cycled); what it wrote. */
  async function inflate(input: Buffer, sizes: number[]): Promise<Buffer> {
    const out: Buffer[] = [];
    const inflater = new ArchiveInflater();
    inflater.on('data', (b: Buffer) => out.push(b));
    await pipeline(Readable.from(slices(input, sizes)), inflater);
    return Buffer.concat(out);
  }
  const save = (bytes: Buffer, name: string) => {
    const file = join(dir, `${name}-${++n}.dump`);
    writeFileSync(file, bytes);
    return file;
  };

  test("gives back an uncompressed archive with the same SQL, whatever the pieces, from our and from pg_dump's compression", async () => {
    const plain = dumpThroughPipe(sourceUrl, ['--compress=0']);
    const reference = script(save(plain, 'plain'));
    for (const compressed of [await compress(plain, [65536]), dumpThroughPipe(sourceUrl, ['--compress=6'])]) {
      // Whole, in pipe-sized reads, and in odd pieces that split every number and header (the chunking of the
      // output follows the pool's timing; the SQL may not).
      for (const sizes of [[compressed.length], [65536], [1, 7, 13, 4096]]) {
        const file = save(await inflate(compressed, sizes), 'inflated');
        expect(execFileSync('pg_restore', ['--list', file]).toString()).toMatch(
          /^; +Compression: (0|none)$/m
        );
        expect(script(file)).toBe(reference);
      }
      // Read from a pipe, as the streamed restore feeds it.
      const file = save(await inflate(compressed, [65536]), 'inflated');
      const fromPipe = execFileSync(
        'bash',
        ['-o', 'pipefail', '-c', 'cat "$1" | pg_restore -f -', '_', file],
        {
          maxBuffer: 1 << 30
        }
      );
      expect(fromPipe.toString().replace(/^\\(un)?restrict .*$/gm, '')).toBe(reference);
    }
  }, 180_000);

  test('passes an uncompressed archive on with the same SQL, and anything else unchanged', async () => {
    const plain = dumpThroughPipe(sourceUrl, ['--compress=0']);
    expect(script(save(await inflate(plain, [65536]), 'passed'))).toBe(script(save(plain, 'plain')));
    const noise = randomBytes(10_000);
    expect((await inflate(noise, [4096])).equals(noise)).toBe(true);
  });

  test('fails, in one line, on a damaged compressed byte (zlib checks each stream) and on a truncated archive', async () => {
    const compressed = await compress(dumpThroughPipe(sourceUrl, ['--compress=0']), [65536]);
    // A byte in the middle of the largest table's data: past the header and TOC, inside a zlib stream.
    const damaged = Buffer.from(compressed);
    const at = Math.floor(damaged.length * 0.7);
    damaged[at]! ^= 0xff;
    await expect(inflate(damaged, [65536])).rejects.toThrow(/^the archive's compressed data is damaged: /);
    const truncated = compressed.subarray(0, Math.floor(compressed.length * 0.7));
    await expect(inflate(truncated, [65536])).rejects.toThrow(
      "the archive ends inside a table's compressed data"
    );
  });
});

describe('the temporary archive of a parallel restore', () => {
  test('is the backup decrypted with its data offsets filled in (pg_restore --jobs seeks, not scans)', async () => {
    const storage = join(dir, 'store');
    const r = spawnSync(process.execPath, [resolve('dist/backup/index.js')], {
      env: {
        PATH: process.env.PATH!,
        HOME: process.env.HOME!,
        INPUT_MODE: 'backup',
        'INPUT_DATABASE-URL': sourceUrl,
        'INPUT_STORAGE-URL': `file://${storage}`,
        INPUT_PASSPHRASE: PASSPHRASE,
        INPUT_PRUNE: 'false'
      }
    });
    expect({ code: r.status, out: r.stdout.toString().slice(-2000) }).toMatchObject({ code: 0 });
    const store = new FileStore(storage);
    const backup = pickBackup(await readCatalog(store), undefined, store.location);
    const file = join(dir, `temporary-${++n}.dump`);
    const logger = { info: () => undefined, notice: () => undefined, warning: () => undefined };
    await decryptToFile(
      {
        store,
        manifest: backup.manifest,
        decryptor: await createDecryptor({ passphrase: PASSPHRASE }),
        logger: logger as never
      },
      file
    );
    expectOffsetsPointAtTheirBlocks(file);
    // Stock GnuPG's decryption of the same backup is the archive pg_dump wrote: the same SQL.
    const gpgHome = mkdtempSync(join(dir, 'gnupg-'));
    const plain = join(dir, `gpg-${n}.dump`);
    execFileSync('gpg', [
      '--homedir',
      gpgHome,
      '--batch',
      '--quiet',
      '--pinentry-mode',
      'loopback',
      '--passphrase',
      PASSPHRASE,
      '--output',
      plain,
      '--decrypt',
      store.keyOf(archiveName(backup.id))
    ]);
    expect(script(file)).toBe(script(plain));
    // The archive inside is compressed as pg_dump compresses (by the action, on every core): the temporary file
    // is the size of the compressed archive, and each pg_restore worker inflates its own tables.
    expect(backup.manifest.compression).toBe('archive-zlib');
    expect(execFileSync('pg_restore', ['--list', plain]).toString()).toMatch(/^; +Compression: (6|gzip)$/m);
    expect(readFileSync(file).length).toBeLessThanOrEqual(backup.manifest.dumpBytes!); // chunks joined
    expect(backup.manifest.dumpBytes! / backup.manifest.sizeBytes).toBeLessThan(1.01);
  }, 180_000);
});
