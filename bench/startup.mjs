// Start-up cost of each action bundle, against bare `node -e ''` measured in the same run.
// A bundle is started as the runner starts it, with no inputs: it loads, validates, and fails on the first
// required input. That is the fixed cost every step pays before doing any work (aim: < 150 ms over bare node;
// heavy SDKs are imported lazily, after the inputs are read).
//   node bench/startup.mjs [runs]     (default 15 runs each; the median is reported)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const runs = Number(process.argv[2] ?? 15);
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
  return { name, kib: statSync(file).size / 1024, ms, over: ms - baseline };
});

console.log(`node ${process.version}, ${runs} runs each, median wall time`);
console.log(`baseline: node -e '' = ${baseline.toFixed(1)} ms`);
console.log('bundle                 size KiB   start ms   over node ms   ratio');
for (const r of rows) {
  console.log(
    `${r.name.padEnd(22)} ${r.kib.toFixed(0).padStart(8)}   ${r.ms.toFixed(1).padStart(8)}   ${r.over.toFixed(1).padStart(12)}   ${(r.ms / baseline).toFixed(2).padStart(5)}x${r.over > 150 ? '  (over the 150 ms aim)' : ''}`
  );
}
