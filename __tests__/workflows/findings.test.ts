// Issue 12's findings about the reusable workflows, checked on GitHub's own parser and expression engine.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { asString, evaluateToken, type Contexts } from '../../test-support/workflow-runner/expressions.js';
import {
  loadWorkflow,
  rawGet,
  rawStep,
  type LoadedWorkflow
} from '../../test-support/workflow-runner/workflow.js';
import { parseDuration } from '../../src/kit/duration.js';

const root = join(import.meta.dirname, '..', '..');
const file = (name: string) => join(root, '.github', 'workflows', name);
const load = (name: string) => loadWorkflow(name, readFileSync(file(name), 'utf8'));
const callInputs = (name: string) =>
  parse(readFileSync(file(name), 'utf8')).on.workflow_call.inputs as Record<string, { default?: unknown }>;
const actionDefault = (action: string, input: string) =>
  String(parse(readFileSync(join(root, 'actions', action, 'action.yml'), 'utf8')).inputs[input].default);
const minutes = (d: string) => parseDuration(d)! / 60_000;

function withOf(wf: LoadedWorkflow, job: string, stepId: string, ctx: Contexts): Record<string, string> {
  const steps = wf.template.jobs.find(j => j.id.value === job) as { steps: { id: string }[] };
  const index = steps.steps.findIndex(s => s.id === stepId);
  const value = evaluateToken(rawGet(rawStep(wf, job, index), 'with'), ctx) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asString(v as never)]));
}

const ctx = (inputs: Record<string, unknown>): Contexts => ({
  inputs: inputs as never,
  vars: {},
  secrets: {},
  github: { sha: 'abc', repository: 'acme/app', event_name: 'schedule' },
  job: { workflow_repository: 'acme/pipeline', workflow_sha: 'abc' },
  steps: {},
  needs: {}
});

describe('backup.yml retention', () => {
  it.each([
    ['schedule (inputs are null)', {}, { prune: 'true', 'keep-daily': '30', 'keep-monthly': '12' }],
    [
      'workflow_call with the defaults',
      { prune: true, 'keep-daily': 30, 'keep-monthly': 12 },
      { prune: 'true', 'keep-daily': '30', 'keep-monthly': '12' }
    ],
    [
      'workflow_call, keep-daily 0',
      { prune: true, 'keep-daily': 0, 'keep-monthly': 12 },
      { prune: 'true', 'keep-daily': '0', 'keep-monthly': '12' }
    ],
    [
      'workflow_call, prune false',
      { prune: false, 'keep-daily': 30, 'keep-monthly': 0 },
      { prune: 'false', 'keep-daily': '30', 'keep-monthly': '0' }
    ]
  ])('%s', async (_what, inputs, want) => {
    const w = withOf(await load('backup.yml'), 'backup', 'backup', ctx(inputs));
    expect({ prune: w.prune, 'keep-daily': w['keep-daily'], 'keep-monthly': w['keep-monthly'] }).toEqual(
      want
    );
  });
});

describe('deploy.yml', () => {
  it('one job per release holds the environment, shows the live URL, and gates in the same job', async () => {
    const wf = await load('deploy.yml');
    const withEnv = wf.template.jobs.filter(
      j => 'environment' in j && (j as { environment?: unknown }).environment
    );
    expect(withEnv.map(j => j.id.value)).toEqual(['release']);
    const env = evaluateToken((withEnv[0] as unknown as { environment: never }).environment, {
      ...ctx({ environment: 'production' }),
      steps: { deploy: { outputs: { 'live-url': 'https://x.example' } } }
    });
    expect(env).toEqual({ name: 'production', url: 'https://x.example' });
    const steps = (withEnv[0] as unknown as { steps: { id: string; uses?: { value: string } }[] }).steps;
    const uses = steps.map(s => s.uses?.value ?? '').filter(u => u.startsWith('./.pipeline/'));
    expect(uses).toEqual(
      expect.arrayContaining(['./.pipeline/actions/deploy-app-platform', './.pipeline/actions/health-gate'])
    );
  });

  it('takes build-args, expected-version and a way to turn the version check off', () => {
    const inputs = callInputs('deploy.yml');
    expect(Object.keys(inputs)).toEqual(
      expect.arrayContaining(['build-args', 'expected-version', 'check-version'])
    );
  });

  it('passes a multi-stage target through to build-image', async () => {
    const build = withOf(
      await load('deploy.yml'),
      'build',
      'build',
      ctx({ context: '.', target: 'runtime' })
    );
    expect(build.target).toBe('runtime');
  });

  it.each([
    [{ 'check-version': true, 'expected-version': '' }, 'abc'],
    [{ 'check-version': true, 'expected-version': 'v1.2.3' }, 'v1.2.3'],
    [{ 'check-version': false, 'expected-version': 'v1.2.3' }, '']
  ])('the gate expects %j -> %s', async (inputs, want) => {
    const w = withOf(await load('deploy.yml'), 'release', 'gate', ctx(inputs));
    expect(w['expected-version']).toBe(want);
  });

  it('the build context never holds the pipeline checkout', async () => {
    const wf = await load('deploy.yml');
    const build = withOf(wf, 'build', 'build', ctx({ context: '.', dockerfile: '' }));
    const job = wf.template.jobs.find(j => j.id.value === 'build') as unknown as { steps: unknown[] };
    const paths = job.steps.map((_s, i) =>
      asString(
        evaluateToken(rawGet(rawGet(rawStep(wf, 'build', i), 'with') as never, 'path'), ctx({})) ?? null
      )
    );
    const pipeline = paths.find(p => p === '.pipeline');
    expect(pipeline).toBe('.pipeline');
    expect(build.context).toBe('source/.');
    expect(
      `${build.context}/`.startsWith('.pipeline') ||
        '.pipeline'.startsWith(build.context.replace(/\/\.$/, '/'))
    ).toBe(false);
  });

  it("every job's timeout-minutes exceeds the longest wait of the actions it runs", async () => {
    const inputs = callInputs('deploy.yml');
    const rollbackWait = Number(
      /ROLLBACK_TIMEOUT_MS = (\d+) \* 60_000/.exec(
        readFileSync(join(root, 'actions', 'health-gate', 'main.ts'), 'utf8')
      )![1]
    );
    const releaseWait =
      minutes(actionDefault('migrate', 'lock-timeout')) +
      minutes(String(inputs['deploy-timeout']!.default)) +
      2 * minutes(String(inputs['health-window']!.default)) + // the window, then the restored version's
      rollbackWait;
    expect(Number(inputs['timeout-minutes']!.default)).toBeGreaterThan(releaseWait);
    const rollback = parse(readFileSync(file('rollback.yml'), 'utf8')).jobs.rollback['timeout-minutes'];
    expect(rollback).toBeGreaterThan(minutes(actionDefault('deploy-app-platform', 'timeout')) + 0.5);
  });
});

describe('every reusable workflow', () => {
  it.each(['deploy.yml', 'rollback.yml', 'backup.yml', 'restore-drill.yml'])(
    '%s takes runs-on (default ubuntu-24.04) and uses it in every job',
    async name => {
      expect(callInputs(name)['runs-on']?.default).toBe('ubuntu-24.04');
      const wf = await load(name);
      for (const job of wf.template.jobs) {
        const runsOn = evaluateToken(
          (job as unknown as { 'runs-on': never })['runs-on'],
          ctx({ 'runs-on': 'self-hosted' })
        );
        expect(`${job.id.value}: ${runsOn}`).toBe(`${job.id.value}: self-hosted`);
      }
    }
  );
});

describe('concurrency', () => {
  it('a rollback never shares the deploy group (a later push would cancel it while it waits)', async () => {
    const group = (wf: LoadedWorkflow, inputs: Record<string, unknown>) =>
      asString(evaluateToken(rawGet(rawGet(wf.raw, 'concurrency') as never, 'group'), ctx(inputs)));
    const production = await load('production.yml');
    const rollback = await load('rollback.yml');
    const deployGroup = group(production, {});
    expect(group(rollback, {})).not.toBe(deployGroup);
    expect(group(rollback, { environment: 'production' })).not.toBe(deployGroup);
    const readmeDeploy = /concurrency:\n\s+group: ([\w-]+)/.exec(
      readFileSync(join(root, 'README.md'), 'utf8')
    )![1];
    expect(group(rollback, { environment: 'production' })).not.toBe(readmeDeploy);
  });
});

describe('production.yml', () => {
  it('migrates once: the spec has a PRE_DEPLOY migration job, so the migrate step is off', () => {
    const spec = parse(readFileSync(join(root, 'examples', 'signupflow', '.do', 'app.yaml'), 'utf8'));
    const preDeploy = (spec.jobs ?? []).filter(
      (j: { kind?: string; run_command?: string }) =>
        j.kind === 'PRE_DEPLOY' && /alembic/.test(j.run_command ?? '')
    );
    const production = parse(readFileSync(file('production.yml'), 'utf8'));
    expect(preDeploy.length).toBe(1);
    expect(production.jobs.deploy.with.migrate).toBe(false);
  });
});
