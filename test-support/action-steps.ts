// Runs an action's main step and then its `post:` step as GitHub's runner does: the same INPUT_* variables for both,
// the main step's GITHUB_STATE handed to the post step as STATE_<name>, and the post step run whatever the main
// step did (`post-if: always()`), also after the main step was cancelled (SIGINT, SIGTERM 7.5 s later, SIGKILL
// 2.5 s after that).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseOutputFile, readAction, repoRoot } from '../bin/run-bundle.js';

export interface StepRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  outputs: Record<string, string>;
  summary: string;
}

export interface MainAndPost {
  main: StepRun;
  post: StepRun | undefined;
  /** What the main step saved for the post step. */
  state: Record<string, string>;
}

export async function runMainAndPost(opts: {
  name: string;
  inputs: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  /** Cancel the main step (SIGINT) at the first output line this matches. */
  cancelWhen?: (line: string) => boolean;
}): Promise<MainAndPost> {
  const action = readAction(opts.name) as ReturnType<typeof readAction> & {
    runs: { main: string; post?: string; 'post-if'?: string };
  };
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(opts.env ?? process.env))
    if (!k.startsWith('INPUT_') && !k.startsWith('STATE_')) env[k] = v;
  for (const [input, spec] of Object.entries(action.inputs ?? {}))
    env[`INPUT_${input.replace(/ /g, '_').toUpperCase()}`] = opts.inputs[input] ?? spec.default ?? '';
  const bundleOf = (path: string) => resolve(repoRoot, 'actions', opts.name, path);
  const work = mkdtempSync(join(tmpdir(), `steps-${opts.name}-`));
  try {
    const stateFile = join(work, 'state');
    writeFileSync(stateFile, '');
    const main = await runStep(
      bundleOf(action.runs.main),
      { ...env, GITHUB_STATE: stateFile },
      work,
      'main',
      opts.cancelWhen
    );
    const state = parseOutputFile(readFileSync(stateFile, 'utf8'));
    let post: StepRun | undefined;
    if (action.runs.post && action.runs['post-if'] === 'always()') {
      const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]));
      post = await runStep(bundleOf(action.runs.post), { ...env, ...stateEnv }, work, 'post');
    }
    return { main, post, state };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function runStep(
  bundle: string,
  env: NodeJS.ProcessEnv,
  work: string,
  label: string,
  cancelWhen?: (line: string) => boolean
): Promise<StepRun> {
  const outputFile = join(work, `${label}-output`);
  const summaryFile = join(work, `${label}-summary.md`);
  writeFileSync(outputFile, '');
  const child = spawn(process.env.BUNDLE_NODE || process.execPath, [bundle], {
    env: { ...env, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let output = '';
  let cancelled = false;
  const timers: NodeJS.Timeout[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (!cancelled && cancelWhen && output.split('\n').some(cancelWhen)) {
      cancelled = true;
      child.kill('SIGINT');
      timers.push(setTimeout(() => child.kill('SIGTERM'), 7500));
      timers.push(setTimeout(() => child.kill('SIGKILL'), 10_000));
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(resolve =>
    child.on('close', (c, s) => resolve([c, s]))
  );
  timers.forEach(clearTimeout);
  return {
    code,
    signal,
    output: output
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::'))
      .join('\n'),
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: existsSync(summaryFile) ? readFileSync(summaryFile, 'utf8') : ''
  };
}
