// The workflow runner itself: GitHub's semantics for the parts our workflows use, and a loud failure for the rest.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWorkflow, type RunOptions } from '../../../test-support/workflow-runner/index.js';
import { pipelineRepository, readmeCallers } from '../../../test-support/workflow-runner/repositories.js';

const callerDir = mkdtempSync(join(tmpdir(), 'caller-'));
const base = (content: string, extra: Partial<RunOptions> = {}): RunOptions => ({
  caller: { path: '.github/workflows/t.yml', content },
  event: { name: 'push' },
  repository: 'acme/app',
  repositories: {
    'acme/app': { dir: callerDir, visibility: 'private', sha: 'c0ffee'.padEnd(40, '0') },
    'acme/app-platform-pipeline': pipelineRepository()
  },
  ...extra
});

describe('workflow runner', () => {
  it('runs jobs in needs order with outputs, env files, masks and status functions', async () => {
    const wf = `
name: t
on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-24.04
    timeout-minutes: 5
    outputs:
      word: \${{ steps.s.outputs.word }}
    steps:
      - id: s
        env:
          SECRET: \${{ secrets.TOKEN }}
        run: |
          echo "::add-mask::hidden-value"
          echo "hidden-value and $SECRET"
          echo "word=hello" >> "$GITHUB_OUTPUT"
          echo "FROM_ENV=1" >> "$GITHUB_ENV"
      - run: test "$FROM_ENV" = 1 && exit 3
      - if: failure()
        run: echo recovered
  b:
    needs: a
    runs-on: ubuntu-24.04
    steps:
      - run: echo never
  c:
    needs: [a, b]
    if: \${{ always() && needs.a.outputs.word == 'hello' }}
    runs-on: ubuntu-24.04
    steps:
      - run: echo "c saw \${{ needs.a.result }} \${{ needs.b.result }}"
`;
    const r = await runWorkflow(base(wf, { secrets: { TOKEN: 's3cr3t-token' } }));
    expect(r.jobs.map(j => [j.id, j.result])).toEqual([
      ['a', 'failure'],
      ['b', 'skipped'],
      ['c', 'success']
    ]);
    const a = r.jobs[0]!;
    expect(a.outputs).toEqual({ word: 'hello' });
    expect(a.steps.map(s => s.result)).toEqual(['success', 'failure', 'success']);
    expect(a.log.join('\n')).toContain('*** and ***');
    expect(r.log.join('\n')).not.toMatch(/hidden-value|s3cr3t-token/);
    expect(r.jobs[2]!.log.join('\n')).toContain('c saw failure skipped');
    expect(r.conclusion).toBe('failure');
  });

  it('cancels like GitHub: the running step only if its if: turns false, steps after the cancel run to the end', async () => {
    // GitHub's runner (StepsRunner.cs) re-evaluates a running step's condition when the job is cancelled and
    // cancels it only if that is now false; a step started after the cancellation is not cancelled.
    const wf = `
on: push
jobs:
  a:
    runs-on: ubuntu-24.04
    steps:
      - id: kept
        if: always()
        run: sleep 3 && echo "done=kept" >> "$GITHUB_OUTPUT"
      - id: never
        run: echo never
      - id: after
        if: cancelled()
        run: sleep 2 && echo "done=after" >> "$GITHUB_OUTPUT"
  b:
    runs-on: ubuntu-24.04
    steps:
      - run: echo never
`;
    const r = await runWorkflow(base(wf, { cancel: { job: 'a', step: 'kept', afterMs: 300 } }));
    expect(r.jobs.map(j => [j.id, j.result])).toEqual([
      ['a', 'cancelled'],
      ['b', 'skipped']
    ]);
    expect(r.jobs[0]!.steps.map(s => [s.id, s.result, s.outputs.done])).toEqual([
      ['kept', 'success', 'kept'],
      ['never', 'skipped', undefined],
      ['after', 'success', 'after']
    ]);
    expect(r.conclusion).toBe('cancelled');
  });

  it('ends what still runs once the cancel timeout after a cancellation has passed', async () => {
    const wf = `
on: push
jobs:
  a:
    runs-on: ubuntu-24.04
    steps:
      - run: sleep 30
      - id: cleanup
        if: always()
        run: sleep 30
`;
    // A running step whose if: is success() is cancelled; the always() step after it is ended by the cancel
    // timeout (GitHub's cancel-timeout-minutes, 5 by default; 1 s here).
    const r = await runWorkflow(
      base(wf, { cancel: { job: 'a', step: 'Run sleep 30', afterMs: 100 }, cancelTimeoutMs: 1000 })
    );
    expect(r.jobs[0]!.steps.map(s => [s.id, s.result])).toEqual([
      ['__run', 'cancelled'],
      ['cleanup', 'cancelled']
    ]);
  });

  it('fails loudly on what it does not implement', async () => {
    const wf = `
on: push
jobs:
  a:
    runs-on: ubuntu-24.04
    strategy:
      matrix: { x: [1, 2] }
    steps:
      - run: echo hi
`;
    const r = await runWorkflow(base(wf));
    expect(r.conclusion).toBe('failure');
    expect(r.error).toMatch(/does not support `strategy`/);
  });

  it('evaluates with GitHub coercion: on schedule inputs are null, so null != false is false', async () => {
    const wf = `
on:
  schedule: [{ cron: '0 2 * * *' }]
jobs:
  a:
    runs-on: ubuntu-24.04
    steps:
      - run: echo "prune=\${{ inputs.prune != false }} keep=\${{ inputs.keep-daily || 30 }}"
`;
    const r = await runWorkflow(base(wf, { event: { name: 'schedule' } }));
    expect(r.jobs[0]!.log.join('\n')).toContain('prune=false keep=30');
  });

  it('runs a local action from its action.yml with INPUT_ names as the runner passes them', async () => {
    mkdirSync(join(callerDir, 'act'), { recursive: true });
    writeFileSync(
      join(callerDir, 'act', 'action.yml'),
      "name: t\ndescription: t\ninputs:\n  storage-url:\n    description: x\n    default: 'dflt'\n  'with space':\n    description: y\nruns:\n  using: node24\n  main: main.mjs\n  post: post.mjs\n"
    );
    writeFileSync(
      join(callerDir, 'act', 'main.mjs'),
      "import { appendFileSync } from 'node:fs';\nconsole.log(Object.keys(process.env).filter(k => k.startsWith('INPUT_')).sort().join(','));\nappendFileSync(process.env.GITHUB_STATE, 'was=here\\n');\nappendFileSync(process.env.GITHUB_OUTPUT, 'url=' + process.env['INPUT_STORAGE-URL'] + '\\n');\n"
    );
    writeFileSync(
      join(callerDir, 'act', 'post.mjs'),
      "console.log('post state ' + process.env.STATE_was);\n"
    );
    const wf = `
on: push
jobs:
  a:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
      - id: x
        uses: ./act
        with:
          with space: v
      - run: echo "got \${{ steps.x.outputs.url }}"
`;
    const r = await runWorkflow(base(wf));
    const log = r.jobs[0]!.log.join('\n');
    expect(r.conclusion).toBe('success');
    expect(log).toContain('INPUT_STORAGE-URL,INPUT_WITH_SPACE');
    expect(log).toContain('got dflt');
    expect(log).toContain('post state here');
  });

  it('finds the README caller examples', () => {
    expect(Object.keys(readmeCallers()).sort()).toEqual(
      [
        'backup.yml',
        'production.yml',
        'promote.yml',
        'preview.yml',
        'restore-drill.yml',
        'rollback.yml'
      ].sort()
    );
  });
});
