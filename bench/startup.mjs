// Start-up cost of each action bundle, against bare `node -e ''` measured in the same run.
// A bundle is started as the runner starts it, with no inputs: it loads, validates, and fails on the first
// required input. That is the fixed cost every step pays before doing any work (aim: < 150 ms over bare node;
// heavy SDKs are imported lazily, after the inputs are read).
//   node bench/startup.mjs [runs] [--baseline <dist/ of another build>]   (default 15 runs each; the median)
// Run it with the runner's node (node_modules/.cache/node24/.../bin/node) to see what the runner pays. With
// --baseline, each bundle of that other build is measured in the same run (e.g. `git archive <rev> dist`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const baselineDir = args.includes('--baseline') ? args[args.indexOf('--baseline') + 1] : undefined;
const runs = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--baseline') ?? 15);
const env = { PATH: process.env.PATH, HOME: process.env.HOME };

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(args) {
  const samples = [];
  for (let i = 0; i < runs + 1; i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, args, { env, stdio: 'ignore' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (i > 0) samples.push(ms); // first run warms the page cache
  }
  return median(samples);
}

const baseline = time(['-e', '']);
const bundles = readdirSync(join(root, 'dist'))
  .filter(d => d !== 'cli')
  .sort();
const rows = bundles.map(name => {
  const file = join(root, 'dist', name, 'index.js');
  const ms = time([file]);
  const old = baselineDir ? join(baselineDir, name, 'index.js') : undefined;
  const oldMs = old && existsSync(old) ? time([old]) : undefined;
  return { name, kib: statSync(file).size / 1024, ms, over: ms - baseline, oldMs };
});

console.log(`node ${process.version}, ${runs} runs each, median wall time`);
console.log(`baseline: node -e '' = ${baseline.toFixed(1)} ms`);
console.log(
  `bundle                 size KiB   start ms   over node ms   ratio${baselineDir ? '   baseline ms   vs baseline' : ''}`
);
for (const r of rows) {
  const vs =
    r.oldMs === undefined
      ? ''
      : `   ${r.oldMs.toFixed(1).padStart(11)}   ${(r.ms / r.oldMs).toFixed(2).padStart(10)}x`;
  console.log(
    `${r.name.padEnd(22)} ${r.kib.toFixed(0).padStart(8)}   ${r.ms.toFixed(1).padStart(8)}   ${r.over.toFixed(1).padStart(12)}   ${(r.ms / baseline).toFixed(2).padStart(5)}x${vs}${r.over > 150 ? '  (over the 150 ms aim)' : ''}`
  );
}
