// The action bundle (dist/backup) run as a process with INPUT_* variables, as the runner does: file://
// storage, every mode, one-line input errors, and no secret anywhere in what it prints or writes.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sharedPostgres, type PostgresServer } from '../../test-support/shared.js';
import { digests, seed } from './helpers.js';

const bundle = resolve('dist/backup/index.js');
const PASSPHRASE = `bundle-${randomBytes(8).toString('hex')}`;
let pg: PostgresServer;
let sourceUrl: string;
const dir = mkdtempSync(join(tmpdir(), 'backup-bundle-'));
const storageUrl = `file://${dir}/store/nightly/app`;
const captured: string[] = [];

interface Run {
  code: number;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

async function runAction(inputs: Record<string, string>): Promise<Run> {
  const id = randomBytes(4).toString('hex');
  const outputFile = join(dir, `out-${id}`);
  const summaryFile = join(dir, `summary-${id}`);
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH!,
    HOME: process.env.HOME!,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const child = spawn(process.execPath, [bundle], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', d => (stdout += d));
  child.stderr.on('data', d => (stdout += d));
  const code = await new Promise<number>(r => child.on('close', c => r(c ?? -1)));
  const outputs: Record<string, string> = {};
  const raw = readFileSync(outputFile, 'utf8');
  for (const m of raw.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]!] = m[3]!;
  const summary = readFileSync(summaryFile, 'utf8');
  captured.push(stdout, raw, summary);
  return { code, stdout, outputs, summary };
}

beforeAll(async () => {
  expect(existsSync(bundle)).toBe(true);
  pg = await sharedPostgres();
  sourceUrl = await pg.createDatabase(`bk_bundle_${process.pid}`);
  await seed(sourceUrl, { volunteers: 500 });
}, 120_000);

afterAll(async () => {
  await pg?.dropDatabase(`bk_bundle_${process.pid}`).catch(() => undefined);
  await pg?.dropDatabase(`bk_bundle_target_${process.pid}`).catch(() => undefined);
});

describe('dist/backup as a process', () => {
  let backupId: string;

  test('backup to file:// writes archive + manifest, sets outputs and a summary', async () => {
    const r = await runAction({
      mode: 'backup',
      'database-url': sourceUrl,
      'storage-url': storageUrl,
      passphrase: PASSPHRASE
    });
    expect(r.stdout).not.toContain('::error::');
    expect(r.code).toBe(0);
    backupId = r.outputs['backup-id']!;
    expect(backupId).toMatch(/^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{6}$/);
    expect(r.outputs['object-key']).toBe(`${dir}/store/nightly/app/${backupId}.dump.pgp`);
    expect(r.outputs.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(r.outputs['size-bytes'])).toBeGreaterThan(1000);
    expect(r.outputs.pruned).toBe('0');
    expect(r.outputs.kept).toBe('1');
    expect(readdirSync(`${dir}/store/nightly/app`).sort()).toEqual([
      `${backupId}.dump.pgp`,
      `${backupId}.json`
    ]);
    expect(r.summary).toContain(`## Backup ${backupId}`);
    expect(r.summary).toContain(r.outputs.sha256!);
    expect(r.stdout).toMatch(
      /backup \d{8}T\d{6}\.\d{3}Z-[0-9a-f]{6}: .* dumped, .* stored, .* MB\/s, .* elapsed/
    );
  });

  test('list shows it', async () => {
    const r = await runAction({ mode: 'list', 'storage-url': storageUrl });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`| ${backupId} |`);
    expect(r.outputs['backup-id']).toBe(backupId);
  });

  test('verify restores into a scratch database and reports restore-seconds', async () => {
    const r = await runAction({
      mode: 'verify',
      'database-url': pg.url,
      'storage-url': storageUrl,
      passphrase: PASSPHRASE,
      'verify-query': 'SELECT count(*) = 500 FROM volunteers'
    });
    expect(r.stdout).not.toContain('::error::');
    expect(r.code).toBe(0);
    expect(Number(r.outputs['restore-seconds'])).toBeGreaterThan(0);
    expect(r.summary).toContain(`Restore drill ${backupId}: passed`);
    expect(r.summary).toContain('| public.volunteers | 500 | 500 | ok |');
  });

  test('restore into an empty database', async () => {
    const target = await pg.createDatabase(`bk_bundle_target_${process.pid}`);
    const r = await runAction({
      mode: 'restore',
      'database-url': target,
      'storage-url': storageUrl,
      passphrase: PASSPHRASE,
      'backup-id': backupId
    });
    expect(r.code).toBe(0);
    expect(await digests(target)).toEqual(await digests(sourceUrl));
  });

  test('prune dry-run prints the table and deletes nothing', async () => {
    const r = await runAction({
      mode: 'prune',
      'storage-url': storageUrl,
      'keep-daily': '0',
      'keep-monthly': '0',
      'dry-run': 'true'
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`| ${backupId} |`);
    expect(r.stdout).toContain('| keep | newest |');
    expect(readdirSync(`${dir}/store/nightly/app`)).toHaveLength(2);
  });

  test.each([
    [
      {
        mode: 'backup',
        'storage-url': storageUrl,
        passphrase: 'not-the-passphrase',
        'database-url': 'SOURCE',
        'keep-daily': 'many'
      },
      "Input 'keep-daily' must be a whole number, got 'many'"
    ],
    [
      {
        mode: 'restore',
        'storage-url': storageUrl,
        passphrase: 'not-the-passphrase',
        'database-url': 'SOURCE',
        'backup-id': 'latest'
      },
      "Input 'backup-id' must be a backup id such as 20261201T020000.123Z-1a2b3c (or an older 20261125T020000Z), got 'latest'"
    ],
    [
      {
        mode: 'backup',
        'storage-url': 'ftp://x/y',
        passphrase: 'not-the-passphrase',
        'database-url': 'SOURCE'
      },
      "Input 'storage-url' must start with s3:// or file://, got 'ftp://'"
    ],
    [
      { mode: 'backup', 'storage-url': storageUrl, 'database-url': 'SOURCE' },
      "Input 'passphrase' or public-key is required to encrypt the backup"
    ],
    [
      { mode: 'backup', 'storage-url': storageUrl, 'database-url': 'SOURCE', 'public-key': 'not a key' },
      "Input 'public-key' is not an armored OpenPGP public key"
    ],
    [
      { mode: 'wipe', 'storage-url': storageUrl },
      "Input 'mode' must be one of backup, restore, verify, prune, list, got 'wipe'"
    ]
  ])('bad input fails with one line naming the input (%#)', async (inputs, message) => {
    // The table is built before beforeAll has created the database: fill it in now.
    const r = await runAction(
      Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v === 'SOURCE' ? sourceUrl : v]))
    );
    expect(r.code).not.toBe(0);
    const errors = r.stdout.split('\n').filter(l => l.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
  });

  test('verify fails loudly when the restored row counts differ from the manifest', async () => {
    const file = `${dir}/store/nightly/app/${backupId}.json`;
    const original = readFileSync(file, 'utf8');
    const m = JSON.parse(original) as { source: { tables: { name: string; rows: number }[] } };
    m.source.tables.find(t => t.name === 'public.volunteers')!.rows = 499;
    writeFileSync(file, JSON.stringify(m));
    try {
      const r = await runAction({
        mode: 'verify',
        'database-url': pg.url,
        'storage-url': storageUrl,
        passphrase: PASSPHRASE
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(
        `::error::restore drill of ${backupId} failed: table public.volunteers has 500 rows, the manifest says 499`
      );
      expect(r.summary).toContain(`Restore drill ${backupId}: FAILED`);
      expect(r.summary).toContain(
        `restore drill of ${backupId} failed: table public.volunteers has 500 rows, the manifest says 499`
      );
      expect(r.summary).toContain('| public.volunteers | 499 | 500 | MISMATCH |');
    } finally {
      writeFileSync(file, original);
    }
  });

  test('a wrong passphrase fails the step', async () => {
    const r = await runAction({
      mode: 'verify',
      'database-url': pg.url,
      'storage-url': storageUrl,
      passphrase: 'wrong-passphrase'
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::decrypting .*\.dump\.pgp failed/);
  });

  describe('a failed step writes a summary that says why (GITHUB_STEP_SUMMARY)', () => {
    const notADirectory = () => {
      const file = join(dir, 'not-a-directory');
      writeFileSync(file, 'a file where the storage folder should be');
      return `file://${file}`;
    };
    const failed = (r: Run, why: string) => {
      expect(r.code).toBe(1);
      const error = r.stdout.split('\n').find(l => l.startsWith('::error::'));
      expect(error).toContain(why);
      expect(r.summary).toContain(why);
      return r.summary;
    };

    test('backup: the database cannot be dumped', async () => {
      const r = await runAction({
        mode: 'backup',
        'database-url': pg.urlFor(`bk_bundle_missing_${process.pid}`),
        'storage-url': storageUrl,
        passphrase: PASSPHRASE
      });
      expect(failed(r, `database "bk_bundle_missing_${process.pid}" does not exist`)).toContain('## Failed');
    });

    test('restore: the target is not empty', async () => {
      const r = await runAction({
        mode: 'restore',
        'database-url': sourceUrl,
        'storage-url': storageUrl,
        passphrase: PASSPHRASE
      });
      expect(failed(r, 'restore only into an empty database')).toContain('## Failed');
    });

    test('verify: a wrong passphrase', async () => {
      const r = await runAction({
        mode: 'verify',
        'database-url': pg.url,
        'storage-url': storageUrl,
        passphrase: 'wrong-passphrase'
      });
      expect(failed(r, '.dump.pgp failed')).toMatch(/## Failed\n\ndecrypting .*\.dump\.pgp failed/);
    });

    test.each(['prune', 'list'])('%s: the storage folder cannot be read', async mode => {
      const r = await runAction({ mode, 'storage-url': notADirectory() });
      expect(failed(r, 'ENOTDIR')).toContain('## Failed');
    });

    test('an input error names the input to fix', async () => {
      const r = await runAction({ mode: 'wipe', 'storage-url': storageUrl });
      const summary = failed(
        r,
        "Input 'mode' must be one of backup, restore, verify, prune, list, got 'wipe'"
      );
      expect(summary).toContain('## Failed: input `mode`');
      expect(summary).toContain('Fix the input `mode` and re-run.');
    });
  });

  test('no secret appears in any output, summary or log line (except the runner mask registrations)', () => {
    const text = captured.join('\n');
    const secrets = [PASSPHRASE, pg.password];
    for (const secret of secrets) {
      const leaking = text.split('\n').filter(l => l.includes(secret) && !l.startsWith('::add-mask::'));
      expect(leaking).toEqual([]);
    }
    // The masks were registered with the runner.
    expect(text).toContain(`::add-mask::${PASSPHRASE}`);
    expect(text).toContain(`::add-mask::${pg.password}`);
  });
});
