/**
 * Migrate benchmark (not a test): the action (dist/migrate as a process, as the runner starts it) against a bare
 * `alembic upgrade head` on the example app (examples/signupflow), from an empty database to head and at head
 * (nothing to do), interleaved for --rounds rounds (default 5); medians and ratios of this same run.
 *   npx tsx bench/migrate/run.ts [--rounds 5] [--baseline <another dist/migrate/index.js, e.g. a copy of the previous build>]
 * With --baseline, that bundle is measured in the same rounds too (before/after side by side).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startPostgres, type PostgresServer } from '../../test-support/postgres.js';
import { bundleNode, measure, type Measure } from '../common.js';

const args = process.argv.slice(2);
const rounds = Number(args.includes('--rounds') ? args[args.indexOf('--rounds') + 1] : '5');
const bundle = resolve('dist/migrate/index.js');
const baseline = args.includes('--baseline') ? resolve(args[args.indexOf('--baseline') + 1]!) : undefined;
const app = resolve('examples/signupflow');
const work = mkdtempSync(join(tmpdir(), 'bench-migrate-'));

async function main(): Promise<void> {
  process.stdout.write(`action bundles run under ${bundleNode}\n`);
  let pgs: PostgresServer | undefined;
  try {
    pgs = await startPostgres();
    const runs: Record<string, Measure[]> = {};
    const record = (m: Measure) => (runs[m.name] ??= []).push(m);
    const action = (url: string) => ({
      'INPUT_DATABASE-URL': url,
      'INPUT_WORKING-DIRECTORY': app,
      INPUT_ALEMBIC: '/usr/bin/alembic',
      RUNNER_TEMP: work
    });
    let n = 0;
    for (let round = 1; round <= rounds; round++) {
      process.stdout.write(`round ${round}/${rounds}\n`);
      const bare = await pgs.createDatabase(`bare_${++n}`);
      const cmd = `cd "${app}" && /usr/bin/alembic upgrade head 2> /dev/null`;
      record(await measure('bare alembic upgrade head, empty -> head', cmd, { DATABASE_URL: bare }));
      record(await measure('bare alembic upgrade head, at head', cmd, { DATABASE_URL: bare }));
      const ours = await pgs.createDatabase(`ours_${++n}`);
      const run = `"${bundleNode}" "${bundle}" > "${join(work, 'action.log')}"`;
      record(await measure('the action, empty -> head', run, action(ours)));
      record(await measure('the action, at head', run, action(ours)));
      if (baseline) {
        const before = await pgs.createDatabase(`baseline_${++n}`);
        const old = `"${bundleNode}" "${baseline}" > "${join(work, 'baseline.log')}"`;
        record(await measure('the baseline, empty -> head', old, action(before)));
        record(await measure('the baseline, at head', old, action(before)));
      }
    }
    const median = (name: string) => {
      const xs = runs[name]!.map(m => m.seconds).sort((a, b) => a - b);
      return xs[Math.floor((xs.length - 1) / 2)]!;
    };
    const lines = [
      '',
      `medians of ${rounds} interleaved rounds`,
      `| case | bare alembic s | the action s | ratio |${baseline ? ' baseline s | baseline ratio |' : ''}`,
      `| --- | --- | --- | --- |${baseline ? ' --- | --- |' : ''}`
    ];
    for (const c of ['empty -> head', 'at head']) {
      const b = median(`bare alembic upgrade head, ${c}`);
      const a = median(`the action, ${c}`);
      const old = baseline ? median(`the baseline, ${c}`) : undefined;
      lines.push(
        `| ${c} | ${b.toFixed(2)} | ${a.toFixed(2)} | ${(a / b).toFixed(2)} |${old === undefined ? '' : ` ${old.toFixed(2)} | ${(old / b).toFixed(2)} |`}`
      );
    }
    lines.push('', 'target: the action <= 1.5 x bare alembic in both cases');
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await pgs?.stop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
