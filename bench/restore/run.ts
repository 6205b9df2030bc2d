/**
 * Restore benchmark (not a test): on a generated database of --size-gb (default 0.85) spread over three tables
 * with five secondary indexes, in one run, wall time and peak RSS (whole process tree) of
 *   1. pg_restore -j 1 from a local file (pg_dump -Fc > file)      the baselines
 *   2. pg_restore -j 2 from the same file
 *   3. ours, jobs 1 (dist/backup mode: restore from file:// storage: checksum pass, then streamed)
 *   4. ours, jobs 2 (download + checksum + decrypt into a temporary file in one pass, then pg_restore --jobs=2)
 * interleaved for --rounds rounds (default 2), medians and ratios against the baselines of this same run.
 *   npx tsx bench/restore/run.ts [--size-gb 0.85] [--rounds 2]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startPostgres, type PostgresServer } from '../../test-support/postgres.js';
import { libpqConnection } from '../../src/postgres/url.js';
import { bundleNode, generate, measure, type Measure } from '../common.js';

const args = process.argv.slice(2);
const flag = (name: string, dflt: string) => (args.includes(name) ? args[args.indexOf(name) + 1]! : dflt);
const sizeGb = Number(flag('--size-gb', '0.85'));
const rounds = Number(flag('--rounds', '2'));
const bundle = resolve('dist/backup/index.js');
const work = mkdtempSync(join(tmpdir(), 'bench-restore-'));
const PASSPHRASE = 'bench-passphrase-not-secret';

async function main(): Promise<void> {
  process.stdout.write(`action bundles run under ${bundleNode}\n`);
  let pgs: PostgresServer | undefined;
  try {
    pgs = await startPostgres();
    const url = await pgs.createDatabase('bench');
    process.stdout.write(`generating ~${sizeGb} GiB in 3 tables with 5 secondary indexes ...\n`);
    const bytes = await generate(url, sizeGb, { indexed: true });
    process.stdout.write(`database: ${(bytes / 1024 ** 2).toFixed(0)} MiB (pg_total_relation_size)\n`);
    const { dbname, env } = libpqConnection(url);
    const dumpFile = join(work, 'plain.dump');
    await measure('pg_dump -Fc > file', `pg_dump -Fc --dbname="$DB" > "${dumpFile}"`, { ...env, DB: dbname });
    const storage = `file://${work}/store/app`;
    const backupEnv = {
      INPUT_MODE: 'backup',
      'INPUT_DATABASE-URL': url,
      'INPUT_STORAGE-URL': storage,
      INPUT_PASSPHRASE: PASSPHRASE,
      INPUT_PRUNE: 'false'
    };
    await measure('ours backup', `"${bundleNode}" "${bundle}" > "${join(work, 'backup.log')}"`, backupEnv);
    const temp = join(work, 'runner-temp');
    rmSync(temp, { recursive: true, force: true });
    const runs: Record<string, Measure[]> = {};
    const splits: string[] = [];
    const record = (m: Measure) => (runs[m.name] ??= []).push(m);
    const flags = '--no-owner --no-privileges --exit-on-error';
    let n = 0;
    const target = async () => {
      const name = `target_${++n}`;
      return { name, url: await pgs!.createDatabase(name) };
    };
    for (let round = 1; round <= rounds; round++) {
      process.stdout.write(`round ${round}/${rounds}\n`);
      for (const j of [1, 2]) {
        const t = await target();
        record(
          await measure(
            `pg_restore -j ${j} < local file`,
            `pg_restore ${flags} -j ${j} --dbname="$T" "${dumpFile}"`,
            {
              ...env,
              T: libpqConnection(t.url).dbname
            }
          )
        );
        await pgs.dropDatabase(t.name);
      }
      for (const jobs of [1, 2]) {
        const t = await target();
        record(
          await measure(
            `ours restore, jobs ${jobs}`,
            `mkdir -p "${temp}" && "${bundleNode}" "${bundle}" > "${join(work, `restore-${jobs}.log`)}"`,
            {
              ...backupEnv,
              INPUT_MODE: 'restore',
              'INPUT_DATABASE-URL': t.url,
              INPUT_JOBS: String(jobs),
              RUNNER_TEMP: temp
            }
          )
        );
        // Where our time went (the action's own RTO line), to see which phase to speed up.
        const rto = /restored in (.*)/.exec(readFileSync(join(work, `restore-${jobs}.log`), 'utf8'));
        splits.push(`round ${round}, jobs ${jobs}: ${rto?.[1] ?? '(no RTO line)'}`);
        await pgs.dropDatabase(t.name);
      }
    }
    const median = (name: string): Measure => {
      const list = runs[name]!;
      const by = (f: (m: Measure) => number) =>
        [...list].map(f).sort((a, b) => a - b)[Math.floor((list.length - 1) / 2)]!;
      return { name, seconds: by(m => m.seconds), peakRssMb: Math.max(...list.map(m => m.peakRssMb)) };
    };
    const j1 = median('pg_restore -j 1 < local file');
    const j2 = median('pg_restore -j 2 < local file');
    const ours1 = median('ours restore, jobs 1');
    const ours2 = median('ours restore, jobs 2');
    const ratio = (a: Measure, b: Measure) => (a.seconds / b.seconds).toFixed(2);
    const lines = [
      '',
      `medians of ${rounds} interleaved rounds (peak RSS: the highest of the rounds), database ${(bytes / 1024 ** 2).toFixed(0)} MiB`,
      `| restore | wall s | peak RSS MB | vs pg_restore -j 1 | vs pg_restore -j 2 |`,
      `| --- | --- | --- | --- | --- |`,
      ...[j1, j2, ours1, ours2].map(
        m =>
          `| ${m.name} | ${m.seconds.toFixed(1)} | ${m.peakRssMb.toFixed(0)} | ${ratio(m, j1)} | ${ratio(m, j2)} |`
      ),
      '',
      'our RTO split, per run:',
      ...splits.map(l => `  ${l}`),
      ...phaseBound(splits, j2),
      '',
      `targets: ours (jobs 2) <= 0.85 x pg_restore -j 1 (${ratio(ours2, j1)}), <= 1.10 x pg_restore -j 2 (${ratio(ours2, j2)}), peak RSS <= 200 MB (${ours2.peakRssMb.toFixed(0)})`
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await pgs?.stop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
}

/** A duration as the action prints it (`932ms`, `4.0s`), in seconds. */
function seconds(text: string): number {
  const m = /^([\d.]+)(ms|s)$/.exec(text);
  return m ? Number(m[1]) / (m[2] === 'ms' ? 1000 : 1) : NaN;
}

/**
 * What bounds ours (jobs 2) from below: verifying the whole archive before the target is touched puts the
 * download and decryption in series with pg_restore, so ours can only be within 1.10 x stock -j 2 if its
 * pg_restore phase alone is faster than stock's by more than the decryption takes.
 */
function phaseBound(splits: string[], j2: Measure): string[] {
  const phases = splits
    .filter(l => l.includes('jobs 2:'))
    .map(l => {
      const dl = /download and checksum ([\d.]+m?s)/.exec(l)?.[1];
      const dec = /decrypt ([\d.]+m?s) past/.exec(l)?.[1];
      const pr = /pg_restore --jobs=2 ([\d.]+m?s)/.exec(l)?.[1];
      return dl && dec && pr ? { before: seconds(dl) + seconds(dec), restore: seconds(pr) } : undefined;
    })
    .filter(p => p !== undefined);
  if (phases.length === 0) return [];
  const mid = (f: (p: { before: number; restore: number }) => number) =>
    phases.map(f).sort((a, b) => a - b)[Math.floor((phases.length - 1) / 2)]!;
  const before = mid(p => p.before);
  const restore = mid(p => p.restore);
  return [
    '',
    `ours (jobs 2), median phases against stock pg_restore -j 2 (${j2.seconds.toFixed(1)} s):`,
    `  download + checksum + decrypt: ${before.toFixed(1)} s = ${(before / j2.seconds).toFixed(2)} x`,
    `  pg_restore --jobs=2 of our temporary file: ${restore.toFixed(1)} s = ${(restore / j2.seconds).toFixed(2)} x`
  ];
}

await main();
