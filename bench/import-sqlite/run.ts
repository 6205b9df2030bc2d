/**
 * import-sqlite against pgloader, side by side in one run on the same SignUpFlow SQLite fixture (~1 million rows,
 * written by SQLAlchemy), each into a fresh database with the example app's Alembic schema:
 *   npx tsx bench/import-sqlite/run.ts [--volunteers 400000] [--rounds 1]
 * Needs pgloader (scripts/install-deps.sh --bench). Prints rows/s of each and the ratio ours / pgloader.
 * pgloader loads data only into the existing tables (`data only, create no tables`), with triggers disabled so
 * its parallel table loads do not trip the foreign keys, and resets the sequences: the closest to what we do.
 * It neither refuses lossy values nor verifies; we do both (the check pass and the checksums are in our time).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres } from '../../test-support/postgres.js';
import { makeFixture, prepareTarget, rowCounts, runImport } from '../../__tests__/sqlite/helpers.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const volunteers = arg('volunteers', 400_000);
const rounds = arg('rounds', 1);

if (spawnSync('pgloader', ['--version']).status !== 0) {
  console.error('bench: pgloader not found; run scripts/install-deps.sh --bench');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'bench-import-sqlite-'));
const pg = await startPostgres();
try {
  const fixture = join(dir, 'signupflow.db');
  let t = Date.now();
  // volunteers N, N/100 events with 100 signups each, N/2 preferences: 2.5 N rows.
  makeFixture(fixture, { volunteers, events: volunteers / 100, signupsPerEvent: 100, largeTextEvents: 3 });
  console.log(
    `fixture: ${(statSync(fixture).size / 2 ** 20).toFixed(0)} MiB in ${((Date.now() - t) / 1000).toFixed(1)} s`
  );

  let n = 0;
  const fresh = async () => {
    const url = await pg.createDatabase(`bench_${++n}`);
    await prepareTarget(url);
    return url;
  };
  const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);

  const results: Record<string, number[]> = { 'import-sqlite': [], pgloader: [] };
  let rows = 0;
  for (let round = 1; round <= rounds; round++) {
    // Ours: the bundle under Node 24, as the runner runs it.
    let url = await fresh();
    t = Date.now();
    const r = await runImport({ sqlite: fixture, 'database-url': url });
    const ours = (Date.now() - t) / 1000;
    if (r.code !== 0 || r.outputs.verified !== 'true') throw new Error(`import-sqlite failed:\n${r.stdout}`);
    rows = total(await rowCounts(url));
    results['import-sqlite']!.push(ours);

    url = await fresh();
    const load = join(dir, 'load.pgl');
    writeFileSync(
      load,
      `LOAD DATABASE FROM sqlite://${fixture} INTO ${url}
       WITH data only, create no tables, create no indexes, disable triggers, reset sequences
       EXCLUDING TABLE NAMES LIKE 'alembic_version', 'sqlite_sequence';\n`
    );
    t = Date.now();
    const code = await new Promise<number | null>(resolve => {
      const child = spawn('pgloader', ['--quiet', load], { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
      let out = '';
      child.stdout.on('data', d => (out += d));
      child.stderr.on('data', d => (out += d));
      child.on('close', c => {
        if (c !== 0) console.error(out);
        resolve(c);
      });
    });
    const theirs = (Date.now() - t) / 1000;
    const loaded = total(await rowCounts(url));
    if (code !== 0 || loaded !== rows)
      throw new Error(`pgloader failed (exit ${code}, ${loaded} of ${rows} rows)`);
    results.pgloader!.push(theirs);
    console.log(`round ${round}: import-sqlite ${ours.toFixed(1)} s, pgloader ${theirs.toFixed(1)} s`);
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ours = median(results['import-sqlite']!);
  const theirs = median(results.pgloader!);
  console.log(`\n${rows} rows (SignUpFlow fixture, ${volunteers} volunteers), median of ${rounds}:`);
  console.log(`| tool | wall s | rows/s |`);
  console.log(`| --- | --- | --- |`);
  console.log(
    `| pgloader ${spawnSync('pgloader', ['--version'], { encoding: 'utf8' })
      .stdout.split('\n')[0]!
      .replace(/^pgloader version /, '')} | ${theirs.toFixed(1)} | ${Math.round(rows / theirs)} |`
  );
  console.log(
    `| import-sqlite (checks + COPY + checksums, one transaction) | ${ours.toFixed(1)} | ${Math.round(rows / ours)} |`
  );
  console.log(`\nratio rows/s import-sqlite / pgloader: ${(theirs / ours).toFixed(2)}`);
} finally {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
