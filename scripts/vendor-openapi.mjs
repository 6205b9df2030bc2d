#!/usr/bin/env node
// Regenerates test-support/digitalocean-openapi/ from the team's bundled copy of DigitalOcean's OpenAPI spec
// (../shared/digitalocean-openapi/, beside the repository), so the tests and CI need nothing outside the
// repository. Keeps the machine-readable facts the contract tests check (paths, operations, parameters, request
// and response schemas, enums, formats, defaults) and drops the prose (description, summary, examples, code
// samples): the tests never read it and it is DigitalOcean's text, not ours to copy.
//   node scripts/vendor-openapi.mjs [source-dir]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Beside the main checkout (../shared) or beside a worktree's parent (../../shared).
const source = process.argv[2]
  ? resolve(process.argv[2])
  : [join(root, '..', 'shared'), join(root, '..', '..', 'shared')]
      .map(d => join(d, 'digitalocean-openapi'))
      .find(d => existsSync(join(d, 'apps.json')));
if (!source) {
  console.error('vendor-openapi: no ../shared/digitalocean-openapi/apps.json; pass the directory holding it');
  process.exit(1);
}
const target = join(root, 'test-support', 'digitalocean-openapi');

const PROSE = new Set(['description', 'summary', 'example', 'examples', 'x-codeSamples', 'externalDocs']);

/** Drops prose keys, but never a schema property that happens to be called `description` or `summary`. */
function strip(value, underProperties = false) {
  if (Array.isArray(value)) return value.map(v => strip(v));
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, child] of Object.entries(value)) {
    if (!underProperties && PROSE.has(key)) continue;
    out[key] = strip(child, !underProperties && key === 'properties');
  }
  return out;
}

const spec = JSON.parse(readFileSync(join(source, 'apps.json'), 'utf8'));
const { openapi, info, servers, paths, components, security } = spec;
const vendored = {
  openapi,
  info: { title: info?.title, version: info?.version, license: info?.license },
  servers,
  paths: strip(paths),
  components: strip(components ?? {}),
  security
};
mkdirSync(target, { recursive: true });
writeFileSync(join(target, 'apps.json'), `${JSON.stringify(vendored)}\n`);
writeFileSync(join(target, 'LICENSE'), readFileSync(join(source, 'LICENSE')));
const upstream = /commit ([0-9a-f]{7,40})[^)]*\(([^)]+)\)/.exec(
  readFileSync(join(source, 'README.md'), 'utf8')
);
writeFileSync(
  join(target, 'README.md'),
  `# DigitalOcean App Platform API: OpenAPI facts for the contract tests

\`apps.json\` holds the App Platform part (every \`/v2/apps*\` path) of DigitalOcean's public OpenAPI
specification, github.com/digitalocean/openapi${upstream ? ` at commit ${upstream[1]} (${upstream[2]})` : ''},
bundled with every \`$ref\` inlined. Only the machine-readable parts are kept (paths, operations, parameters,
schemas, enums, formats); descriptions, summaries and examples are removed.

Licence: Apache-2.0, DigitalOcean's; the licence text is \`LICENSE\` beside this file. Changes made: the prose
fields named above were removed and the file was re-serialised.

Regenerate (from the bundled copy beside the repository, \`../shared/digitalocean-openapi/\`):

    node scripts/vendor-openapi.mjs [source-dir]

Read by \`test-support/openapi.ts\` (the request, response and app-spec contract tests).
`
);
console.log(`vendor-openapi: ${Object.keys(paths).length} paths -> ${join(target, 'apps.json')}`);
