// Parallel restore (jobs > 1) through dist/backup as a process, as the runner runs it: the archive is checked and
// decrypted into a temporary file under RUNNER_TEMP, then pg_restore --jobs. What must hold on every exit path:
// the temporary file is gone, the target is either restored or as it was, verify's scratch database is dropped.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { startPostgres } from '../../test-support/postgres.js';
import { sharedPostgres, type PostgresServer } from '../../test-support/shared.js';
import { digests, seed, sql } from './helpers.js';

const bundle = resolve('dist/backup/index.js');
const PASSPHRASE = `parallel-${randomBytes(8).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'parallel-restore-'));
const storageUrl = `file://${dir}/store/nightly/app`;
const slowStorageUrl = `file://${dir}/store/slow/app`;
let server: PostgresServer;
let sourceUrl: string;
let slowUrl: string;
let dbCounter = 0;
const databases: string[] = [];

interface Run {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Starts the bundle with INPUT_* variables and its own RUNNER_TEMP; `run.done` resolves when it exits. */
function startAction(inputs: Record<string, string>, runnerTemp: string) {
  const id = randomBytes(4).toString('hex');
  const outputFile = join(dir, `out-${id}`);
  const summaryFile = join(dir, `summary-${id}`);
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH!,
    HOME: process.env.HOME!,
    RUNNER_TEMP: runnerTemp,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const child: ChildProcess = spawn(process.execPath, [bundle], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout!.on('data', d => (stdout += d));
  child.stderr!.on('data', d => (stdout += d));
  const done = new Promise<Run>(resolveRun =>
    child.on('close', code => {
      const outputs: Record<string, string> = {};
      for (const m of readFileSync(outputFile, 'utf8').matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm))
        outputs[m[1]!] = m[3]!;
      resolveRun({ code, stdout, outputs, summary: readFileSync(summaryFile, 'utf8') });
    })
  );
  return { child, done };
}

const runAction = (inputs: Record<string, string>, runnerTemp: string) =>
  startAction(inputs, runnerTemp).done;

const freshTemp = () => mkdtempSync(join(dir, 'runner-temp-'));
async function freshDb(): Promise<string> {
  const name = `par_target_${process.pid}_${++dbCounter}`;
  databases.push(name);
  return server.createDatabase(name);
}
const tableCount = async (url: string) =>
  Number(
    (await sql<{ n: string }>(url, `SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'`))[0]!.n
  );
/** An SQL string literal (the tests' own names only). */
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const databasesLike = async (prefix: string, on = server.url) =>
  (
    await sql<{ d: string }>(
      on,
      `SELECT datname AS d FROM pg_database WHERE datname LIKE ${lit(`${prefix}%`)}`
    )
  ).map(r => r.d);
/** No stack trace, exactly one ::error:: line. */
function oneErrorLine(stdout: string): string {
  expect(stdout).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m);
  const errors = stdout.split('\n').filter(l => l.startsWith('::error::'));
  expect(errors).toHaveLength(1);
  return errors[0]!;
}

/** Resolves once some backend of database `datname` runs a COPY (pg_restore is loading data). */
async function copyRunningIn(datnamePrefix: string, on = server.url): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const rows = await sql<{ d: string }>(
      on,
      `SELECT datname AS d FROM pg_stat_activity WHERE datname LIKE ${lit(`${datnamePrefix}%`)} AND query ILIKE 'COPY %' AND state = 'active'`
    );
    if (rows.length) return rows[0]!.d;
    await new Promise(r => setTimeout(r, 50));
  }
  throw new Error(`no COPY started in ${datnamePrefix}*`);
}

const restoreInputs = (target: string, jobs = '2', storage = storageUrl) => ({
  mode: 'restore',
  'database-url': target,
  'storage-url': storage,
  passphrase: PASSPHRASE,
  jobs
});

beforeAll(async () => {
  expect(existsSync(bundle)).toBe(true);
  server = await sharedPostgres();
  sourceUrl = await server.createDatabase(`par_source_${process.pid}`);
  await seed(sourceUrl, { volunteers: 800 });
  // A restore that takes seconds whatever the machine: each row's CHECK sleeps 2 ms during pg_restore's COPY.
  slowUrl = await server.createDatabase(`par_slow_${process.pid}`);
  await sql(
    slowUrl,
    `CREATE FUNCTION slow_ok(int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT pg_sleep(0.002) IS NOT NULL';
     CREATE TABLE slow_rows (id int PRIMARY KEY, note text);
     INSERT INTO slow_rows SELECT g, md5(g::text) FROM generate_series(1, 4000) g;
     ALTER TABLE slow_rows ADD CONSTRAINT slow CHECK (slow_ok(id));
     CREATE TABLE other (id int PRIMARY KEY); INSERT INTO other SELECT generate_series(1, 100);`
  );
  for (const [url, storage] of [
    [sourceUrl, storageUrl],
    [slowUrl, slowStorageUrl]
  ] as const) {
    const r = await runAction(
      { mode: 'backup', 'database-url': url, 'storage-url': storage, passphrase: PASSPHRASE },
      freshTemp()
    );
    expect(r.code).toBe(0);
  }
}, 180_000);

afterAll(async () => {
  for (const name of [`par_source_${process.pid}`, `par_slow_${process.pid}`, ...databases])
    await server?.dropDatabase(name).catch(() => undefined);
});

describe('restore and verify with jobs 2', () => {
  test('restore: same contents, the RTO split in the summary, and the temporary file is gone', async () => {
    const temp = freshTemp();
    const target = await freshDb();
    const r = await runAction(restoreInputs(target), temp);
    expect(r.stdout).not.toContain('::error::');
    expect(r.code).toBe(0);
    expect(await digests(target)).toEqual(await digests(sourceUrl));
    expect(r.stdout).toMatch(
      /download \d{8}T\d{6}\.\d{3}Z-[0-9a-f]{6}: .* downloaded, .* decrypted, .* \(checksum and decryption OK\)/
    );
    expect(r.summary).toMatch(
      /Restore time \(RTO\).*download and checksum [\d.]+m?s, decrypt [\d.]+m?s past the download, pg_restore --jobs=2 [\d.]+m?s/
    );
    expect(Number(r.outputs['restore-seconds'])).toBeGreaterThan(0);
    expect(readdirSync(temp)).toEqual([]);
  });

  test('verify: passes, drops its scratch database, and the temporary file is gone', async () => {
    const temp = freshTemp();
    const r = await runAction(
      {
        mode: 'verify',
        'database-url': server.url,
        'storage-url': storageUrl,
        passphrase: PASSPHRASE,
        jobs: '2',
        'verify-query': 'SELECT count(*) = 800 FROM volunteers'
      },
      temp
    );
    expect(r.stdout).not.toContain('::error::');
    expect(r.code).toBe(0);
    expect(r.summary).toContain('| public.volunteers | 800 | 800 | ok |');
    expect(r.summary).toContain('pg_restore --jobs=2');
    expect(readdirSync(temp)).toEqual([]);
    expect(await databasesLike(`verify_${r.outputs['backup-id']!.toLowerCase()}_`)).toEqual([]);
  });

  test('a changed byte fails the checksum: target untouched, the temporary file is gone', async () => {
    const store = `${dir}/store/nightly/app`;
    const archive = readdirSync(store).find(f => f.endsWith('.dump.pgp'))!;
    const bytes = readFileSync(join(store, archive));
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(flipped.length / 2)]! ^= 0x01;
    mkdirSync(`${dir}/store/flipped/app`, { recursive: true });
    writeFileSync(join(`${dir}/store/flipped/app`, archive), flipped);
    writeFileSync(
      join(`${dir}/store/flipped/app`, archive.replace('.dump.pgp', '.json')),
      readFileSync(join(store, archive.replace('.dump.pgp', '.json')))
    );
    const temp = freshTemp();
    const target = await freshDb();
    const r = await runAction(restoreInputs(target, '2', `file://${dir}/store/flipped/app`), temp);
    expect(r.code).toBe(1);
    expect(oneErrorLine(r.stdout)).toContain('checksum mismatch for');
    expect(await tableCount(target)).toBe(0);
    expect(readdirSync(temp)).toEqual([]);
  });

  test('a target that already has tables is refused (checked while the download runs); the temporary file is gone', async () => {
    const temp = freshTemp();
    const before = await digests(sourceUrl);
    const r = await runAction(restoreInputs(sourceUrl), temp);
    expect(r.code).toBe(1);
    expect(oneErrorLine(r.stdout)).toMatch(
      /already has \d+ table\(s\) .*restore only into an empty database/
    );
    expect(r.stdout).not.toContain('pg_restore --jobs=2 done');
    expect(await digests(sourceUrl)).toEqual(before);
    expect(readdirSync(temp)).toEqual([]);
  });

  test('a wrong passphrase fails before the target is touched; the temporary file is gone', async () => {
    const temp = freshTemp();
    const target = await freshDb();
    const r = await runAction({ ...restoreInputs(target), passphrase: 'wrong-passphrase' }, temp);
    expect(r.code).toBe(1);
    expect(oneErrorLine(r.stdout)).toMatch(/::error::decrypting .*\.dump\.pgp failed/);
    expect(await tableCount(target)).toBe(0);
    expect(readdirSync(temp)).toEqual([]);
  });
});

describe('PostgreSQL terminates the restore midway', () => {
  test('restore: one clear error line, no stack trace, what it created is dropped, no temporary file', async () => {
    const temp = freshTemp();
    const target = await freshDb();
    const name = new URL(target).pathname.slice(1);
    const run = startAction(restoreInputs(target, '2', slowStorageUrl), temp);
    await copyRunningIn(name);
    expect(readdirSync(temp)).toHaveLength(1); // the private directory with the decrypted archive
    await sql(
      server.url,
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${lit(name)}`
    );
    const r = await run.done;
    expect(r.code).toBe(1);
    const line = oneErrorLine(r.stdout);
    expect(line).toContain('pg_restore exited with code 1');
    expect(line).toContain('terminating connection due to administrator command');
    expect(line).toContain('was dropped (pg_restore --jobs cannot run in one transaction)');
    expect(await tableCount(target)).toBe(0);
    expect(
      await sql(
        target,
        `SELECT proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE nspname = 'public'`
      )
    ).toEqual([]);
    expect(readdirSync(temp)).toEqual([]);
  });

  test('verify: one clear error line, the scratch database is dropped, no temporary file', async () => {
    const temp = freshTemp();
    const run = startAction(
      {
        mode: 'verify',
        'database-url': server.url,
        'storage-url': slowStorageUrl,
        passphrase: PASSPHRASE,
        jobs: '2'
      },
      temp
    );
    const scratch = await copyRunningIn('verify_');
    await sql(
      server.url,
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${lit(scratch)}`
    );
    const r = await run.done;
    expect(r.code).toBe(1);
    expect(oneErrorLine(r.stdout)).toContain('terminating connection due to administrator command');
    expect(await databasesLike(scratch)).toEqual([]);
    expect(readdirSync(temp)).toEqual([]);
  });
});

describe('cancelled (SIGINT, as GitHub cancels a job) mid-restore', () => {
  test.each(['2', '1'])(
    'verify with jobs %s: the scratch database is dropped, the temporary file is gone, the step fails',
    async jobs => {
      const temp = freshTemp();
      const run = startAction(
        {
          mode: 'verify',
          'database-url': server.url,
          'storage-url': slowStorageUrl,
          passphrase: PASSPHRASE,
          jobs
        },
        temp
      );
      const scratch = await copyRunningIn('verify_');
      run.child.kill('SIGINT');
      const r = await run.done;
      expect(r.code).not.toBe(0);
      expect(oneErrorLine(r.stdout)).toContain('Cancelled by SIGINT');
      expect(r.summary).toContain(`drop the scratch database ${scratch}`);
      expect(await databasesLike(scratch)).toEqual([]);
      expect(readdirSync(temp)).toEqual([]);
    }
  );

  test('restore with jobs 2: what it created is dropped and the temporary file is gone', async () => {
    const temp = freshTemp();
    const target = await freshDb();
    const name = new URL(target).pathname.slice(1);
    const run = startAction(restoreInputs(target, '2', slowStorageUrl), temp);
    await copyRunningIn(name);
    expect(readdirSync(temp)).toHaveLength(1);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).not.toBe(0);
    expect(oneErrorLine(r.stdout)).toContain('Cancelled by SIGINT');
    expect(r.summary).toContain('drop what the partial restore created');
    expect(r.summary).toContain('remove the temporary directory');
    expect(await tableCount(target)).toBe(0);
    expect(readdirSync(temp)).toEqual([]);
  });
});

describe('SIGKILLed mid-restore (as the runner does 10 s after a cancel)', () => {
  /** `20261202t143000z`: a creation time as the scratch database's name carries it. */
  const compact = (ms: number) =>
    new Date(ms)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'z')
      .replace(/[-:]/g, '')
      .toLowerCase();

  test('the scratch database stays; the next drill drops it once stale, and leaves every database that is not', async () => {
    // A server of its own: other test files' drills must neither drop these databases nor be listed here.
    const own = await startPostgres();
    let holder: pg.Client | undefined;
    try {
      const verifyOn = (storage: string) => ({
        mode: 'verify',
        'database-url': own.url,
        'storage-url': storage,
        passphrase: PASSPHRASE,
        jobs: '1'
      });
      const killed = startAction(verifyOn(slowStorageUrl), freshTemp());
      const scratch = await copyRunningIn('verify_', own.url);
      killed.child.kill('SIGKILL');
      expect((await killed.done).code).toBeNull();
      // pg_restore reads the end of its stdin and exits; once its session is gone nothing uses the database.
      for (let i = 0; i < 600; i++) {
        const rows = await sql(own.url, `SELECT 1 FROM pg_stat_activity WHERE datname = ${lit(scratch)}`);
        if (!rows.length) break;
        await new Promise(r => setTimeout(r, 50));
      }
      // Nothing ran the undo steps: the scratch database stays, with what pg_restore had loaded.
      expect(await databasesLike('verify_', own.url)).toEqual([scratch]);
      // Its name says when the drill created it (seconds, UTC), and fits PostgreSQL's 63 bytes.
      const m = /^(verify_\d{8}t\d{6}\.\d{3}z-[0-9a-f]{6})_(\d{8}t\d{6}z)_([0-9a-f]{6})$/.exec(scratch);
      expect(m).not.toBeNull();
      expect(Buffer.byteLength(scratch)).toBeLessThanOrEqual(63);
      const [, prefix, , hex] = m!;
      const twoHoursAgo = compact(Date.now() - 2 * 3600_000);
      // As if the kill had been two hours ago: the same database, its name's creation time moved back.
      const stale = `${prefix}_${twoHoursAgo}_${hex}`;
      await sql(own.url, `ALTER DATABASE "${scratch}" RENAME TO "${stale}"`);
      // What must stay: a drill that has just created its database (no session yet), an old drill still
      // connected, a name without a creation time (an older version's: its age is unknown), names not of the pattern.
      const fresh = `${prefix}_${compact(Date.now())}_aaaaaa`;
      const connected = `${prefix}_${twoHoursAgo}_bbbbbb`;
      const keep = [fresh, connected, `${prefix}_cccccc`, 'verify_reports', `${stale}_copy`, `x${stale}`];
      for (const name of keep) await own.createDatabase(name);
      holder = new pg.Client({ connectionString: own.urlFor(connected) });
      await holder.connect();

      const next = await runAction(verifyOn(storageUrl), freshTemp());
      expect(next.stdout).not.toContain('::error::');
      expect(next.code).toBe(0);
      const dropped = next.stdout.split('\n').filter(l => l.includes('dropped stale scratch database'));
      expect(dropped).toHaveLength(1);
      expect(dropped[0]).toContain(`verify: dropped stale scratch database ${stale} (created `);
      expect(next.stdout).toContain(
        `kept stale-looking scratch database ${connected}: someone is connected to it`
      );
      expect(next.summary).toMatch(
        new RegExp(`Stale scratch databases dropped.*${stale.replace(/\./g, '\\.')}`)
      );
      expect((await databasesLike('verify_', own.url)).sort()).toEqual(
        keep.filter(n => n.startsWith('verify_')).sort()
      );
      expect(await databasesLike('x', own.url)).toEqual([`x${stale}`]);
    } finally {
      await holder?.end().catch(() => undefined);
      await own.stop();
    }
  });
});

describe('disk space', () => {
  let mountPoint: string;
  let mounted = false;
  const asRoot = (args: string[]) =>
    process.getuid?.() === 0 ? execFileSync(args[0]!, args.slice(1)) : execFileSync('sudo', ['-n', ...args]);

  beforeAll(() => {
    mountPoint = mkdtempSync(join(tmpdir(), 'small-fs-'));
    asRoot(['mount', '-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint]);
    mounted = true;
  });
  afterAll(() => {
    if (mounted) asRoot(['umount', mountPoint]);
  });

  test('a RUNNER_TEMP without room is refused with one line before anything is downloaded', async () => {
    const target = await freshDb();
    const r = await runAction(restoreInputs(target), mountPoint);
    expect(r.code).toBe(1);
    expect(oneErrorLine(r.stdout)).toMatch(
      new RegExp(
        `not enough disk space for the decrypted archive of \\d{8}T\\d{6}\\.\\d{3}Z-[0-9a-f]{6}: it needs .* in ${mountPoint}, which has .* free; .*set jobs: 1`
      )
    );
    expect(r.stdout).not.toContain('downloaded');
    expect(readdirSync(mountPoint)).toEqual([]);
    expect(await tableCount(target)).toBe(0);

    // jobs: 1 needs no disk: the same restore streams.
    const streamed = await runAction(restoreInputs(target, '1'), mountPoint);
    expect(streamed.code).toBe(0);
    expect(await digests(target)).toEqual(await digests(sourceUrl));
  });
});
