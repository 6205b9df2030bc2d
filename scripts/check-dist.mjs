// Rebuilds every bundle into a temporary directory and fails when dist/ differs (a stale or hand-edited dist/).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const fresh = mkdtempSync(join(tmpdir(), 'check-dist-'));
try {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), fresh], {
    stdio: ['ignore', 'ignore', 'inherit']
  });
  const list = dir => {
    const out = [];
    const walk = d => {
      for (const e of readdirSync(d)) {
        const p = join(d, e);
        if (statSync(p).isDirectory()) walk(p);
        else out.push(relative(dir, p));
      }
    };
    try {
      walk(dir);
    } catch {
      /* missing dist */
    }
    return out.sort();
  };
  const want = list(fresh);
  const have = list(join(root, 'dist'));
  const problems = [];
  for (const f of want) {
    if (!have.includes(f)) problems.push(`missing: dist/${f}`);
    else if (!readFileSync(join(fresh, f)).equals(readFileSync(join(root, 'dist', f))))
      problems.push(`stale:   dist/${f}`);
  }
  for (const f of have) if (!want.includes(f)) problems.push(`extra:   dist/${f}`);
  if (problems.length) {
    console.error(
      `dist/ is not what 'npm run build' makes from this source:\n  ${problems.join('\n  ')}\nRun 'npm run build' and commit dist/.`
    );
    process.exit(1);
  }
  console.log(`dist/ is current (${want.length} files).`);
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
