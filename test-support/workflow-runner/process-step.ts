/**
 * One step's process as the runner starts it: its own GITHUB_OUTPUT/ENV/PATH/STATE/STEP_SUMMARY files, workflow
 * commands on stdout (`::add-mask::`, `::error::`, ...), every printed line masked, and GitHub's cancellation:
 * SIGINT, SIGTERM 7.5 s later, SIGKILL 2.5 s after that.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOutputFile } from '../../bin/run-bundle.js';

export interface StepFiles {
  output: string;
  env: string;
  path: string;
  state: string;
  summary: string;
}

export interface StepProcessResult {
  code: number;
  outputs: Record<string, string>;
  env: Record<string, string>;
  path: string[];
  state: Record<string, string>;
  summary: string;
  cancelled: boolean;
}

/** Masks shared by the whole run: what `::add-mask::` registered, and every secret value. */
export class Masks {
  private readonly values = new Set<string>();
  add(value: string): void {
    // The runner masks every non-empty value (SecretMasker has no minimum length); multi-line ones per line too.
    for (const v of [value, ...value.split(/\r?\n/)]) if (v.trim()) this.values.add(v);
  }
  apply(line: string): string {
    let out = line;
    for (const v of [...this.values].sort((a, b) => b.length - a.length)) out = out.split(v).join('***');
    return out;
  }
}

export interface Cancellation {
  readonly cancelled: boolean;
  onCancel(listener: () => void): () => void;
}

export function newStepFiles(dir: string, n: number): StepFiles {
  const files = {
    output: join(dir, `output-${n}`),
    env: join(dir, `env-${n}`),
    path: join(dir, `path-${n}`),
    state: join(dir, `state-${n}`),
    summary: join(dir, `summary-${n}`)
  };
  for (const f of Object.values(files)) writeFileSync(f, '');
  return files;
}

export async function runStepProcess(opts: {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  files: StepFiles;
  masks: Masks;
  log: (line: string) => void;
  cancellation: Cancellation;
}): Promise<StepProcessResult> {
  const { files, masks, log } = opts;
  const env = {
    ...opts.env,
    GITHUB_OUTPUT: files.output,
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary
  };
  const child = spawn(opts.command, opts.args, { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let cancelled = false;
  let refused = false;
  const timers: NodeJS.Timeout[] = [];
  const cancel = () => {
    cancelled = true;
    child.kill('SIGINT');
    timers.push(setTimeout(() => child.kill('SIGTERM'), 7500));
    timers.push(setTimeout(() => child.kill('SIGKILL'), 10_000));
  };
  const off = opts.cancellation.onCancel(cancel);
  if (opts.cancellation.cancelled) cancel();
  const onLine = (line: string) => {
    const mask = /^::add-mask::(.*)$/.exec(line);
    if (mask) return masks.add(mask[1]!);
    if (/^::(set-output|save-state|set-env|add-path)\b/.test(line)) {
      refused = true;
      return log(`::error::workflow-runner: deprecated command ${line.slice(0, 14)}… (GitHub disables it)`);
    }
    log(masks.apply(line));
  };
  const lines = (stream: NodeJS.ReadableStream) => {
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      parts.forEach(onLine);
    });
    stream.on('end', () => pending && onLine(pending));
  };
  lines(child.stdout);
  lines(child.stderr);
  const code = await new Promise<number>(resolve => {
    child.on('error', err => {
      log(`::error::cannot start ${opts.command}: ${err.message}`);
      resolve(127);
    });
    child.on('close', (c, signal) => resolve(c ?? (signal ? 128 + 2 : 1)));
  });
  off();
  timers.forEach(clearTimeout);
  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
  return {
    code: refused && code === 0 ? 1 : code,
    outputs: parseOutputFile(read(files.output)),
    env: parseOutputFile(read(files.env)),
    path: read(files.path)
      .split('\n')
      .map(l => l.trim())
      .filter(Boolean),
    state: parseOutputFile(read(files.state)),
    summary: read(files.summary),
    cancelled
  };
}

export function appendSummary(file: string, text: string): void {
  appendFileSync(file, text);
}
