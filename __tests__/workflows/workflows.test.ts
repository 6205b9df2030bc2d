import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { checkWorkflow, loadWorkflow, type Workflow } from './workflow-rules.js';

const root = join(import.meta.dirname, '..', '..');
const dir = join(root, '.github', 'workflows');
const files = readdirSync(dir).filter(f => f.endsWith('.yml') || f.endsWith('.yaml'));
// The package's ESM build is broken (uses require/__dirname) and its CommonJS index pulls in ESM-only chalk;
// its CommonJS run-lint module alone works.
const require = createRequire(import.meta.url);
const runLintPath = join(root, 'node_modules', '@tktco', 'node-actionlint', 'build', 'run-lint.js');
const { runLint } = require(runLintPath) as {
  runLint: (
    text: string,
    path: string
  ) => Promise<{ message: string; line: number; column: number; kind: string }[]>;
};

/**
 * actionlint 1.7.7 (the newest WebAssembly build on npm) predates the `job.workflow_repository` and
 * `job.workflow_sha` contexts that let a called workflow check out its own repository at its own commit.
 * Those two property errors are the only findings we accept.
 */
const KNOWN_GAPS = [/^property "workflow_(repository|sha)" is not defined in object type \{container/];

const reusable = (uses: string): Workflow | undefined => {
  const path = join(root, uses);
  return existsSync(path) ? loadWorkflow(readFileSync(path, 'utf8')) : undefined;
};

describe('workflows', () => {
  it('the pipeline has its workflows', () => {
    for (const f of [
      'deploy.yml',
      'production.yml',
      'rollback.yml',
      'backup.yml',
      'restore-drill.yml',
      'ci.yml'
    ])
      expect(files).toContain(f);
  });

  it.each(files)('%s passes actionlint', async file => {
    // '<stdin>' as the path: the WebAssembly build deadlocks when it stats a real path.
    const findings = await runLint(readFileSync(join(dir, file), 'utf8'), '<stdin>');
    const real = findings.filter(f => !KNOWN_GAPS.some(re => re.test(f.message)));
    expect(real.map(f => `${file}:${f.line}:${f.column} ${f.message}`)).toEqual([]);
  });

  it.each(files)('%s follows the pipeline conventions', file => {
    const wf = loadWorkflow(readFileSync(join(dir, file), 'utf8'));
    expect(checkWorkflow(file, wf, root, reusable)).toEqual([]);
    // Nothing is granted at the top: each job asks for what it needs.
    expect(wf.permissions === undefined || JSON.stringify(wf.permissions) === '{}').toBe(true);
  });

  it('only the build job may write packages', () => {
    for (const file of files) {
      const wf = loadWorkflow(readFileSync(join(dir, file), 'utf8'));
      for (const [name, job] of Object.entries(wf.jobs)) {
        const perms = JSON.stringify(job.permissions ?? {});
        if (perms.includes('"packages":"write"'))
          expect(`${file}:${name}`).toMatch(
            /^(deploy\.yml:build|production\.yml:deploy|preview\.yml:build|promote\.yml:staging)$/
          );
      }
    }
  });
});

describe('the rules catch what they must', () => {
  const bad = loadWorkflow(`
on: { workflow_call: { inputs: { x: { type: string, required: true } } } }
jobs:
  a:
    runs-on: ubuntu-24.04
    outputs: { ok: x }
    steps:
      - uses: actions/checkout@v4
      - uses: ./.pipeline/actions/backup
        with: { mode: list, colour: blue }
      - run: echo "\${{ github.event.issue.title }}"
  b:
    needs: a
    permissions: {}
    runs-on: ubuntu-24.04
    timeout-minutes: 5
    steps:
      - run: echo hi
        env: { X: "\${{ needs.a.outputs.missing }}" }
  c:
    permissions: {}
    uses: ./.github/workflows/deploy.yml
    with: { nonsense: 1 }
    secrets: { TYPO_TOKEN: x }
`);
  const problems = checkWorkflow('bad.yml', bad, root, reusable);

  it.each([
    "job 'a': has no permissions: block",
    "job 'a': has no timeout-minutes",
    "job 'a': step 1: actions/checkout@v4 is not pinned by a full commit SHA",
    "job 'a': step 2: 'colour' is not an input of backup",
    "job 'a': step 3: interpolates ${{ }} into a run: script",
    "job 'b': uses needs.a.outputs.missing, which job 'a' does not define",
    "job 'c': does not pass required input 'health-url' of ./.github/workflows/deploy.yml",
    "job 'c': passes 'nonsense', which ./.github/workflows/deploy.yml does not declare",
    "job 'c': does not pass required secret 'DIGITALOCEAN_TOKEN' of ./.github/workflows/deploy.yml",
    "job 'c': passes secret 'TYPO_TOKEN', which ./.github/workflows/deploy.yml does not declare"
  ])('%s', expected => {
    expect(problems.some(p => p.includes(expected))).toBe(true);
  });
});

describe('the caller examples in the README', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map(m => m[1]!)
    .filter(b => /uses: [\w-]+\/app-platform-pipeline\/\.github\/workflows\//.test(b));

  it('there are callers for deploy, rollback, backup and the restore drill', () => {
    for (const wf of ['deploy', 'rollback', 'backup', 'restore-drill'])
      expect(blocks.some(b => b.includes(`workflows/${wf}.yml@`))).toBe(true);
  });

  it.each(blocks.map((b, i) => [i + 1, b]))(
    'example %i passes actionlint and the rules',
    async (_i, block) => {
      const findings = await runLint(block as string, '<stdin>');
      expect(findings.map(f => `${f.line}: ${f.message}`)).toEqual([]);
      // Checked as if it called this checkout's workflow.
      const local = (block as string).replace(
        /uses: [\w-]+\/app-platform-pipeline\/(\.github\/workflows\/[\w.-]+)@\S+/g,
        'uses: ./$1'
      );
      expect(checkWorkflow('README example', loadWorkflow(local), root, reusable)).toEqual([]);
    }
  );
});
