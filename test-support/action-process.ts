// One action bundle (dist/<name>/index.js) started as the runner starts it, for fault tests that must signal it
// mid-work: inputs as INPUT_* (action.yml defaults filled in), GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, and the
// raw stdout/stderr kept (mask commands included) for the secret-leak scan.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOutputFile, readAction, repoRoot } from '../bin/run-bundle.js';

export interface ActionResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
}

export interface RunningAction {
  child: ChildProcess;
  /** Resolves once a line of stdout/stderr matches (rejects if the action exits first). */
  waitFor(pattern: RegExp): Promise<string>;
  done: Promise<ActionResult>;
}

export function startAction(
  name: string,
  inputs: Record<string, string>,
  env: NodeJS.ProcessEnv = {}
): RunningAction {
  const action = readAction(name);
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const key of Object.keys(childEnv)) if (key.startsWith('INPUT_')) delete childEnv[key];
  delete childEnv.NODE_OPTIONS; // jest's --experimental-vm-modules is not what the runner passes
  for (const [input, spec] of Object.entries(action.inputs ?? {}))
    childEnv[`INPUT_${input.replace(/ /g, '_').toUpperCase()}`] = inputs[input] ?? spec.default ?? '';
  const work = mkdtempSync(join(tmpdir(), `action-${name}-`));
  const outputFile = join(work, 'output');
  const summaryFile = join(work, 'summary.md');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  childEnv.GITHUB_OUTPUT = outputFile;
  childEnv.GITHUB_STEP_SUMMARY = summaryFile;
  const child = spawn(
    process.env.BUNDLE_NODE || process.execPath,
    [join(repoRoot, 'dist', name, 'index.js')],
    { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] }
  );
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void; reject: (e: Error) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const line = (stdout + stderr).split('\n').find(l => w.pattern.test(l));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    check();
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    check();
  });
  const done = new Promise<ActionResult>(resolve => {
    child.on('close', (code, signal) => {
      for (const w of waiters.splice(0))
        w.reject(
          new Error(`${name} exited (${code ?? signal}) before printing ${w.pattern}:\n${stdout}${stderr}`)
        );
      const result: ActionResult = {
        code,
        signal,
        stdout,
        stderr,
        summary: readFileSync(summaryFile, 'utf8'),
        outputs: parseOutputFile(readFileSync(outputFile, 'utf8'))
      };
      rmSync(work, { recursive: true, force: true });
      resolve(result);
    });
  });
  return {
    child,
    waitFor: pattern =>
      new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve, reject });
        check();
      }),
    done
  };
}

/** Runs an action to its end. */
export function runAction(
  name: string,
  inputs: Record<string, string>,
  env: NodeJS.ProcessEnv = {}
): Promise<ActionResult> {
  return startAction(name, inputs, env).done;
}
