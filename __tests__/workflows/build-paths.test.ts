// build-image's `file` is found in the build context first ({context}/Dockerfile, as docker/build-push-action
// users expect), then from the workspace root; deploy.yml relies on it (context source/<context>, file Dockerfile).
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveBuildPaths } from '../../src/image/paths.js';

const ws = mkdtempSync(join(tmpdir(), 'build-paths-'));
mkdirSync(join(ws, 'examples', 'signupflow'), { recursive: true });
writeFileSync(join(ws, 'examples', 'signupflow', 'Dockerfile'), 'FROM scratch\n');
writeFileSync(join(ws, 'Root.Dockerfile'), 'FROM scratch\n');

describe('build paths', () => {
  it('context: examples/signupflow with the default file builds {context}/Dockerfile', () => {
    expect(resolveBuildPaths(ws, 'examples/signupflow', 'Dockerfile').file).toBe(
      join(ws, 'examples', 'signupflow', 'Dockerfile')
    );
  });
  it('a path from the repository root still works', () => {
    expect(resolveBuildPaths(ws, 'examples/signupflow', 'examples/signupflow/Dockerfile').file).toBe(
      join(ws, 'examples', 'signupflow', 'Dockerfile')
    );
    expect(resolveBuildPaths(ws, 'examples/signupflow', 'Root.Dockerfile').file).toBe(
      join(ws, 'Root.Dockerfile')
    );
  });
  it('a missing file names both places it looked', () => {
    expect(() => resolveBuildPaths(ws, 'examples/signupflow', 'Nope')).toThrow(
      new RegExp(
        `^Input 'file' 'Nope' does not exist \\(looked for ${join(ws, 'examples/signupflow/Nope')} and ${join(ws, 'Nope')}\\)`
      )
    );
  });
});
