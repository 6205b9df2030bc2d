// Bundles every action entry (actions/<name>/main.ts) and the CLI with ncc, each into its own dist/<name>/
// (ESM output plus ncc's package.json shim). `node scripts/build.mjs <outDir>` builds elsewhere (check-dist);
// `--only <name>` rebuilds one bundle. Each bundle is built beside its folder and renamed into place, so a
// reader (a test, the rehearsal) never sees a missing or half-written bundle.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
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
// The post step migrate and backup share (removes their temporary database trusted source).
entries.push({ name: 'trusted-source-post', entry: join(root, 'bin', 'trusted-source-post.ts') });
if (only && !entries.some(e => e.name === only)) {
  console.error(`build: no entry named '${only}' (${entries.map(e => e.name).join(', ')})`);
  process.exit(2);
}

mkdirSync(outRoot, { recursive: true });
for (const { name, entry } of entries) {
  if (only && name !== only) continue;
  const out = join(outRoot, name);
  const staging = join(outRoot, `.${name}.building-${process.pid}`);
  process.stdout.write(`ncc: ${name}\n`);
  try {
    execFileSync(
      process.execPath,
      [ncc, 'build', entry, '-o', staging, '--minify', '--quiet', '--target', 'es2022'],
      {
        cwd: root,
        stdio: 'inherit'
      }
    );
    rmSync(out, { recursive: true, force: true });
    renameSync(staging, out);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
// A full build leaves only the bundles it made.
if (!only)
  for (const dir of readdirSync(outRoot))
    if (!entries.some(e => e.name === dir)) rmSync(join(outRoot, dir), { recursive: true, force: true });
