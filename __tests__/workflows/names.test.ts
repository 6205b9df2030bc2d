// One README table lists every secret and variable each workflow reads; this checks it against the files, both ways.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const dir = join(root, '.github', 'workflows');

/** Names read inside `${{ }}` (comments and descriptions do not count). */
function reads(text: string, context: 'secrets' | 'vars'): string[] {
  const names = new Set<string>();
  for (const [, expr] of text.matchAll(/\$\{\{([\s\S]*?)\}\}/g))
    for (const [, name] of expr!.matchAll(new RegExp(`\\b${context}\\.([A-Za-z_][A-Za-z0-9_]*)`, 'g')))
      names.add(name!);
  return [...names].sort();
}

function readmeTable(): Map<string, { secrets: string[]; vars: string[] }> {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### What each workflow reads'));
  const rows = new Map<string, { secrets: string[]; vars: string[] }>();
  for (const [, wf, secrets, vars] of section.matchAll(/^\| `([\w-]+\.yml)` \| (.*?) \| (.*?) \|$/gm)) {
    const names = (cell: string) => [...cell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map(m => m[1]!).sort();
    rows.set(wf!, { secrets: names(secrets!), vars: names(vars!) });
  }
  return rows;
}

describe('secret and variable names', () => {
  const table = readmeTable();
  const files = readdirSync(dir).filter(f => f.endsWith('.yml'));

  it('the README table has a row for every workflow', () => {
    expect([...table.keys()].sort()).toEqual(files.sort());
  });

  it.each(files)('%s reads exactly the secrets and variables its README row lists', file => {
    const text = readFileSync(join(dir, file), 'utf8');
    expect({ secrets: reads(text, 'secrets'), vars: reads(text, 'vars') }).toEqual(table.get(file));
  });

  it('the README callers pass only names the called workflows declare', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const [, callee, block] of readme.matchAll(
      /uses: your-org\/app-platform-pipeline\/\.github\/workflows\/([\w-]+\.yml)@v1\n([\s\S]*?)```/g
    )) {
      const declared = readFileSync(join(dir, callee!), 'utf8');
      for (const [, name] of block!.matchAll(/^\s+([A-Z][A-Z0-9_]*): \$\{\{ secrets\./gm))
        expect(`${callee}: ${declared.includes(`\n      ${name}:\n`) ? name : `undeclared ${name}`}`).toBe(
          `${callee}: ${name}`
        );
    }
  });
});
