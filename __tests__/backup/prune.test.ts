// Retention applied to a real folder (file:// store): golden keep/delete tables, deletion order, incomplete
// archives. Regenerate the golden files with UPDATE_GOLDEN=1 after an intended change, and review the diff.
import { describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '../../src/backup/file-store.js';
import { archiveName, backupIdFor, manifestName } from '../../src/backup/id.js';
import { pruneBackups } from '../../src/backup/prune.js';
import { backupListTables, retentionTable } from '../../src/backup/summary.js';
import { readCatalog } from '../../src/backup/catalog.js';
import { createMemoryLogger } from '../../src/kit/log.js';
import type { Manifest } from '../../src/backup/manifest.js';

const NOW = new Date('2026-11-25T12:00:00Z');

function folder(times: string[], incomplete: string[] = []): { dir: string; store: FileStore } {
  const dir = mkdtempSync(join(tmpdir(), 'prune-'));
  for (const iso of times) {
    const id = backupIdFor(new Date(iso));
    writeFileSync(join(dir, archiveName(id)), Buffer.alloc(1024 + times.indexOf(iso)));
    const m: Manifest = {
      version: 1,
      id,
      startedAt: iso,
      completedAt: iso,
      database: 'signupflow',
      serverVersion: '15.18',
      pgDumpVersion: '15.18',
      format: 'pg_dump-custom',
      objectKey: join(dir, archiveName(id)),
      sizeBytes: 1024 + times.indexOf(iso),
      sha256: '0'.repeat(64),
      encryption: { method: 'passphrase', keyFingerprints: [] },
      source: { host: 'db', tables: [] }
    };
    writeFileSync(join(dir, manifestName(id)), JSON.stringify(m));
  }
  for (const iso of incomplete) {
    const file = join(dir, archiveName(backupIdFor(new Date(iso))));
    writeFileSync(file, Buffer.alloc(10));
    utimesSync(file, new Date(iso), new Date(iso));
  }
  return { dir, store: new FileStore(dir) };
}

function golden(name: string, actual: string): void {
  const file = join(import.meta.dirname, 'golden', `${name}.md`);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, `${actual}\n`);
  expect(existsSync(file)).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8').replace(/\n$/, ''));
}

/** Nightly at 02:00 UTC for `days` days back from NOW, plus extras. */
const nightly = (days: number) =>
  Array.from({ length: days }, (_, i) => new Date(Date.UTC(2026, 10, 25, 2) - i * 86_400_000).toISOString());

describe('prune golden tables (dry run)', () => {
  test.each([
    {
      name: 'nightly-90-days-keep-7-daily-3-monthly',
      times: nightly(90),
      incomplete: [],
      policy: { keepDaily: 7, keepMonthly: 3 }
    },
    {
      name: 'gaps-and-several-per-day',
      times: [
        '2026-11-25T02:00:00Z',
        '2026-11-25T09:30:00Z',
        '2026-11-24T02:00:00Z',
        '2026-11-20T02:00:00Z',
        '2026-11-20T23:59:59Z',
        '2026-10-31T23:59:59Z',
        '2026-10-01T00:00:00Z',
        '2026-07-15T02:00:00Z',
        '2025-12-31T23:59:59Z',
        '2025-12-01T02:00:00Z'
      ],
      incomplete: ['2026-11-25T11:00:00Z', '2026-11-23T02:00:00Z'],
      policy: { keepDaily: 3, keepMonthly: 4 }
    },
    {
      name: 'keep-nothing-but-the-newest',
      times: ['2026-11-25T02:00:00Z', '2026-11-24T02:00:00Z', '2026-09-01T02:00:00Z'],
      incomplete: [],
      policy: { keepDaily: 0, keepMonthly: 0 }
    }
  ])('$name', async ({ name, times, incomplete, policy }) => {
    const { dir, store } = folder(times, incomplete);
    const before = readdirSync(dir).sort();
    const result = await pruneBackups(store, policy, {
      dryRun: true,
      logger: createMemoryLogger(),
      now: NOW
    });
    golden(name, retentionTable(result, NOW));
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});

describe('prune for real', () => {
  test('deletes archive and manifest together, keeps the newest and in-progress archives', async () => {
    const { dir, store } = folder(
      ['2026-11-25T02:00:00Z', '2026-11-24T02:00:00Z', '2026-11-23T02:00:00Z', '2026-10-15T02:00:00Z'],
      ['2026-11-25T11:00:00Z', '2026-11-20T02:00:00Z']
    );
    const logger = createMemoryLogger();
    const result = await pruneBackups(
      store,
      { keepDaily: 1, keepMonthly: 2 },
      { dryRun: false, logger, now: NOW }
    );
    expect(result.kept).toBe(2);
    expect(result.deleted.sort()).toEqual(['20261120T020000Z', '20261123T020000Z', '20261124T020000Z']);
    expect(readdirSync(dir).sort()).toEqual([
      '20261015T020000Z.dump.pgp',
      '20261015T020000Z.json',
      '20261125T020000Z.dump.pgp',
      '20261125T020000Z.json',
      '20261125T110000Z.dump.pgp'
    ]);
    const catalog = await readCatalog(store);
    expect(catalog.complete.map(b => b.id)).toEqual(['20261125T020000Z', '20261015T020000Z']);
    expect(catalog.incomplete.map(b => `${b.id} ${b.problem}`)).toEqual(['20261125T110000Z no manifest']);
    golden('list-after-prune', backupListTables(catalog, NOW));
  });
});
