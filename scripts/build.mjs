// Bundles every action entry (actions/<name>/main.ts) and the CLI with ncc, each into its own dist/<name>/
// (ESM output plus ncc's package.json shim). `node scripts/build.mjs <outDir>` builds elsewhere (check-dist);
// `--only <name>` rebuilds one bundle in place.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args.splice(onlyAt, 2)[1] : undefined;
const outRoot = resolve(args[0] ?? join(root, 'dist'));
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

const entries = readdirSync(join(root, 'actions'), { withFileTypes: true })
  .filter(d => d.isDirectory() && existsSync(join(root, 'actions', d.name, 'main.ts')))
  .map(d => ({ name: d.name, entry: join(root, 'actions', d.name, 'main.ts') }));
entries.push({ name: 'cli', entry: join(root, 'bin', 'cli.ts') });

if (!only) rmSync(outRoot, { recursive: true, force: true });
for (const { name, entry } of entries) {
  if (!existsSync(entry) || (only && name !== only)) continue;
  const out = join(outRoot, name);
  rmSync(out, { recursive: true, force: true });
  process.stdout.write(`ncc: ${name}\n`);
  execFileSync(
    process.execPath,
    [ncc, 'build', entry, '-o', out, '--minify', '--quiet', '--target', 'es2022'],
    {
      cwd: root,
      stdio: 'inherit'
    }
  );
}
