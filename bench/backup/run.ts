/**
 * Backup benchmark (not a test): on a generated database of --size-gb (default 1), in one run, wall time and
 * peak RSS (summed over the whole process tree, sampled every 100 ms) of
 *   1. pg_dump -Fc > /dev/null                                   (the baseline)
 *   2. pg_dump -Fc | gpg --symmetric --cipher-algo AES256 | aws s3 cp - s3://...   (the seed's shell recipe)
 *   3. our backup (dist/backup as a process, the same local RGW)
 * then restore: pg_restore from a local file vs our restore (download, checksum, decrypt, pg_restore), and with
 * --flat, our backup again at 3x the size (RSS must stay flat). Ratios are against baselines of this same run.
 * Ours runs pg_dump --compress=0 and deflates (level 6, pg_dump's default) inside the OpenPGP message on
 * every core; the table's stored MiB column shows the archives come out the same size.
 * The variants run interleaved for --rounds rounds (default 3) and the median is reported: this machine is
 * shared, and one run of each is mostly noise.
 *   npx tsx bench/backup/run.ts [--size-gb 1] [--rounds 3] [--flat] [--baseline <another dist/backup/index.js>]
 * With --baseline, that bundle's backup is measured in the same rounds too (before/after side by side).
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { startPostgres, type PostgresServer } from '../../test-support/postgres.js';
import { startRgw, type S3Server } from '../../test-support/rgw.js';
import { libpqConnection } from '../../src/postgres/url.js';
import { bundleNode, generate, measure, type Measure } from '../common.js';

const args = process.argv.slice(2);
const flag = (name: string, dflt: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : dflt);
const sizeGb = Number(flag('--size-gb', '1'));
const flat = args.includes('--flat');
const rounds = Number(flag('--rounds', '3'));
const bundle = resolve('dist/backup/index.js');
const baseline = args.includes('--baseline') ? resolve(args[args.indexOf('--baseline') + 1]!) : undefined;
const work = mkdtempSync(join(tmpdir(), 'bench-backup-'));
const PASSPHRASE = 'bench-passphrase-not-secret';
writeFileSync(join(work, 'pw'), PASSPHRASE);

function backupEnv(
  s3: S3Server,
  url: string,
  prefix: string,
  extra: Record<string, string> = {}
): Record<string, string> {
  return {
    INPUT_MODE: 'backup',
    'INPUT_DATABASE-URL': url,
    'INPUT_STORAGE-URL': `s3://${s3.bucket}/${prefix}`,
    'INPUT_S3-ENDPOINT': s3.endpoint,
    'INPUT_S3-ACCESS-KEY-ID': s3.accessKeyId,
    'INPUT_S3-SECRET-ACCESS-KEY': s3.secretAccessKey,
    'INPUT_S3-FORCE-PATH-STYLE': 'true',
    INPUT_PASSPHRASE: PASSPHRASE,
    INPUT_PRUNE: 'false',
    ...extra
  };
}

/** Bytes of the archives stored under `prefix` (manifests excluded). */
async function storedBytes(s3: S3Server, prefix: string): Promise<number> {
  const r = await s3.client().send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
  return (r.Contents ?? []).filter(o => !o.Key!.endsWith('.json')).reduce((sum, o) => sum + (o.Size ?? 0), 0);
}

const ratio = (a: Measure, b: Measure) => (a.seconds / b.seconds).toFixed(2);

async function main(): Promise<void> {
  process.stdout.write(`action bundles run under ${bundleNode}\n`);
  let pgs: PostgresServer | undefined;
  let s3: S3Server | undefined;
  try {
    [pgs, s3] = await Promise.all([
      startPostgres(),
      startRgw({ storeBytes: Math.ceil(sizeGb * (flat ? 4 : 1) * 2 + 2) * 1024 ** 3 })
    ]);
    const url = await pgs.createDatabase('bench');
    process.stdout.write(`generating ~${sizeGb} GiB ...\n`);
    const bytes = await generate(url, sizeGb);
    process.stdout.write(`database: ${(bytes / 1024 ** 3).toFixed(2)} GiB (pg_total_relation_size)\n`);
    const { dbname, env } = libpqConnection(url);
    const awsEnv = {
      ...env,
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_REQUEST_CHECKSUM_CALCULATION: 'when_required',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'when_required',
      GNUPGHOME: mkdtempSync(join(tmpdir(), 'bench-gnupg-'))
    };
    // Warm the cache once so the first measured run is not penalised.
    await measure('warm-up pg_dump', `pg_dump -Fc --dbname="$DB" > /dev/null`, { ...env, DB: dbname });

    const dumpFile = join(work, 'plain.dump');
    await measure(
      'pg_dump -Fc > file (for the restore baseline)',
      `pg_dump -Fc --dbname="$DB" > "${dumpFile}"`,
      {
        ...env,
        DB: dbname
      }
    );
    const restoreFlags = '--no-owner --no-privileges --exit-on-error --single-transaction';
    const runs: Record<string, Measure[]> = {};
    const record = (m: Measure) => (runs[m.name] ??= []).push(m);
    for (let round = 1; round <= rounds; round++) {
      process.stdout.write(`round ${round}/${rounds}\n`);
      record(
        await measure('pg_dump -Fc > /dev/null', `pg_dump -Fc --dbname="$DB" > /dev/null`, {
          ...env,
          DB: dbname
        })
      );
      record(
        await measure(
          'pg_dump | gpg --symmetric | aws s3 cp -',
          `pg_dump -Fc --dbname="$DB" | gpg --batch --pinentry-mode loopback --passphrase-file "$PW" --symmetric --cipher-algo AES256 -o - | aws s3 cp - "s3://$BUCKET/shell/recipe-${round}.dump.gpg" --endpoint-url "$ENDPOINT" --only-show-errors`,
          { ...awsEnv, DB: dbname, PW: join(work, 'pw'), BUCKET: s3.bucket, ENDPOINT: s3.endpoint }
        )
      );
      record(
        await measure(
          'ours (dist/backup)',
          `"${bundleNode}" "${bundle}" > "${join(work, 'ours.log')}"`,
          backupEnv(s3, url, `ours-${round}`)
        )
      );
      if (baseline)
        record(
          await measure(
            'baseline (--baseline bundle)',
            `"${bundleNode}" "${baseline}" > "${join(work, 'baseline.log')}"`,
            backupEnv(s3, url, `baseline-${round}`)
          )
        );
      // Restore: pg_restore from a local file vs ours (download, checksum pass, decrypt, pg_restore).
      const r1 = await pgs.createDatabase(`restore_baseline_${round}`);
      record(
        await measure('pg_restore < local file', `pg_restore ${restoreFlags} --dbname="$T" "${dumpFile}"`, {
          ...env,
          T: libpqConnection(r1).dbname
        })
      );
      await pgs.dropDatabase(`restore_baseline_${round}`);
      const r2 = await pgs.createDatabase(`restore_ours_${round}`);
      record(
        await measure('ours restore', `"${bundleNode}" "${bundle}" > "${join(work, 'restore.log')}"`, {
          ...backupEnv(s3, r2, `ours-${round}`),
          INPUT_MODE: 'restore',
          // Like for like with the baseline: one pg_restore in one transaction (bench/restore measures --jobs).
          INPUT_JOBS: '1'
        })
      );
      await pgs.dropDatabase(`restore_ours_${round}`);
    }
    const median = (name: string): Measure => {
      const list = runs[name]!;
      const by = (f: (m: Measure) => number) =>
        [...list].map(f).sort((a, b) => a - b)[Math.floor((list.length - 1) / 2)]!;
      return { name, seconds: by(m => m.seconds), peakRssMb: Math.max(...list.map(m => m.peakRssMb)) };
    };
    const alone = median('pg_dump -Fc > /dev/null');
    const shell = median('pg_dump | gpg --symmetric | aws s3 cp -');
    const ours = median('ours (dist/backup)');
    const restoreAlone = median('pg_restore < local file');
    const restoreOurs = median('ours restore');
    // What each variant stores: ours compresses on every core instead of in pg_dump, so the sizes show that
    // the work is the same (deflate level 6 either way).
    const mib = (n: number) => (n / 1024 ** 2).toFixed(1);
    const stored: Record<string, string> = {
      [alone.name]: mib(statSync(dumpFile).size),
      [shell.name]: mib(await storedBytes(s3, 'shell/recipe-1.')),
      [ours.name]: mib(await storedBytes(s3, 'ours-1')),
      ...(baseline ? { 'baseline (--baseline bundle)': mib(await storedBytes(s3, 'baseline-1')) } : {})
    };
    const lines = [
      '',
      `medians of ${rounds} interleaved rounds (peak RSS: the highest of the rounds)`,
      `backup of ${(bytes / 1024 ** 3).toFixed(2)} GiB:`,
      `| run | wall s | peak RSS MB | stored MiB | vs pg_dump alone | vs shell recipe |`,
      `| --- | --- | --- | --- | --- | --- |`,
      ...[alone, shell, ours, ...(baseline ? [median('baseline (--baseline bundle)')] : [])].map(
        m =>
          `| ${m.name} | ${m.seconds.toFixed(1)} | ${m.peakRssMb.toFixed(0)} | ${stored[m.name]} | ${ratio(m, alone)} | ${ratio(m, shell)} |`
      ),
      '',
      `| restore | wall s | peak RSS MB | vs pg_restore |`,
      `| --- | --- | --- | --- |`,
      ...[restoreAlone, restoreOurs].map(
        m => `| ${m.name} | ${m.seconds.toFixed(1)} | ${m.peakRssMb.toFixed(0)} | ${ratio(m, restoreAlone)} |`
      ),
      '',
      `targets: ours <= 1.10 x pg_dump alone (${ratio(ours, alone)}), <= 0.90 x shell (${ratio(ours, shell)}), restore <= 1.15 x pg_restore (${ratio(restoreOurs, restoreAlone)})`
    ];
    rmSync(dumpFile, { force: true });
    if (flat) {
      process.stdout.write(`generating up to ~${sizeGb * 3} GiB for the flatness run ...\n`);
      const bigger = await generate(url, sizeGb * 3);
      const big = await measure(
        'ours at 3x size',
        `"${bundleNode}" "${bundle}" > "${join(work, 'ours3.log')}"`,
        backupEnv(s3, url, 'ours3')
      );
      // The node process alone (pg_dump's own RSS is not ours to flatten).
      lines.push(
        `flatness: ${(bigger / 1024 ** 3).toFixed(2)} GiB -> peak RSS ${big.peakRssMb.toFixed(0)} MB vs ${ours.peakRssMb.toFixed(0)} MB at 1x (ratio ${(big.peakRssMb / ours.peakRssMb).toFixed(2)}), wall ${big.seconds.toFixed(1)} s`
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await Promise.allSettled([pgs?.stop(), s3?.stop()]);
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
