// The project's CI runs on GitHub with nothing beside the checkout: no test, script or source may read the
// team's ../shared folder (the OpenAPI facts live in test-support/digitalocean-openapi/, made by
// scripts/vendor-openapi.mjs, the one file allowed to name it).
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { APPS_OPENAPI, loadAppsOpenApi } from '../../test-support/openapi.js';

const root = join(import.meta.dirname, '..', '..');
const SCANNED = ['__tests__', 'test-support', 'scripts', 'src', 'bin', 'bench', 'actions', '.github'];
const ALLOWED = new Set(['scripts/vendor-openapi.mjs', '__tests__/workflows/self-contained.test.ts']);
// `../shared/x`, `'..', 'shared'` (path.join pieces) and absolute /work/ paths all point outside the checkout.
const OUTSIDE = [
  /(?:\.\.\/)+shared\/(?!env\.py)/,
  /'\.\.',\s*(?:'\.\.',\s*)?'shared'/,
  /\/work\/(?:shared|main|wt)\b/
];

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|mjs|js|sh|yml|yaml)$/.test(name)) yield path;
  }
}

describe('the repository needs nothing outside itself', () => {
  it('no test, script or source reads ../shared or an absolute /work path', () => {
    const offenders: string[] = [];
    for (const top of SCANNED)
      for (const path of files(join(root, top))) {
        const rel = relative(root, path);
        if (ALLOWED.has(rel)) continue;
        const text = readFileSync(path, 'utf8');
        for (const re of OUTSIDE) {
          const m = re.exec(text);
          if (m) offenders.push(`${rel}:${text.slice(0, m.index).split('\n').length}: ${m[0]}`);
        }
      }
    expect(offenders).toEqual([]);
  });

  it('the OpenAPI copy is inside the repository, with its licence and origin', () => {
    expect(relative(root, APPS_OPENAPI)).toBe('test-support/digitalocean-openapi/apps.json');
    const dir = join(root, 'test-support', 'digitalocean-openapi');
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toMatch(/Apache License\s+Version 2\.0/);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toMatch(
      /github\.com\/digitalocean\/openapi at commit/
    );
    const doc = loadAppsOpenApi<{ paths: Record<string, Record<string, { summary?: string }>> }>();
    expect(Object.keys(doc.paths)).toContain('/v2/apps/{app_id}/rollback/validate');
    // Only the facts: DigitalOcean's prose is not copied.
    expect(doc.paths['/v2/apps']!.get!.summary).toBeUndefined();
  });
});
