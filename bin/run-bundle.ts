/**
 * Runs one action bundle (dist/<name>/index.js) as the runner does: inputs as INPUT_<NAME> variables (defaults
 * from action.yml), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and the `::add-mask::` commands swallowed
 * (outside the runner they would print the secret itself). Used by the CLI and the local rehearsal.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export interface ActionYaml {
  description?: string;
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description?: string }>;
}

export interface BundleRun {
  code: number;
  outputs: Record<string, string>;
  summary: string;
  /** What the process wrote, verbatim (`::add-mask::` commands included, as the runner receives them). */
  stdout: string;
  stderr: string;
}

// bin/*.ts and dist/cli/index.js both sit below the repository root.
const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = [resolve(here, '..'), resolve(here, '..', '..')].find(d =>
  existsSync(join(d, 'actions'))
)!;

export function readAction(name: string): ActionYaml {
  return parse(readFileSync(join(repoRoot, 'actions', name, 'action.yml'), 'utf8')) as ActionYaml;
}

export async function runActionBundle(opts: {
  name: string;
  inputs: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  /** Receives every line the action prints (stdout and stderr), mask commands removed. */
  onLine?: (line: string) => void;
  /** Keep the summary in this file instead of a temporary one. */
  summaryFile?: string;
}): Promise<BundleRun> {
  const action = readAction(opts.name);
  const env: NodeJS.ProcessEnv = { ...(opts.env ?? process.env) };
  for (const key of Object.keys(env)) if (key.startsWith('INPUT_')) delete env[key];
  for (const [input, spec] of Object.entries(action.inputs ?? {}))
    env[`INPUT_${input.replace(/ /g, '_').toUpperCase()}`] = opts.inputs[input] ?? spec.default ?? '';
  const work = mkdtempSync(join(tmpdir(), `app-platform-pipeline-${opts.name}-`));
  try {
    const outputFile = join(work, 'output');
    const summaryFile = opts.summaryFile ?? join(work, 'summary.md');
    writeFileSync(outputFile, '');
    env.GITHUB_OUTPUT = outputFile;
    env.GITHUB_STEP_SUMMARY = summaryFile;
    const onLine = opts.onLine ?? (line => process.stdout.write(`${line}\n`));
    const raw = { stdout: '', stderr: '' };
    const code = await new Promise<number>(resolveCode => {
      // BUNDLE_NODE runs the bundle under another node (GitHub's runner ships Node 24).
      const child = spawn(
        process.env.BUNDLE_NODE || process.execPath,
        [join(repoRoot, 'dist', opts.name, 'index.js')],
        {
          env,
          stdio: ['ignore', 'pipe', 'pipe']
        }
      );
      // forwardLines sets utf8 decoding first, so every chunk arrives as a string.
      forwardLines(child.stdout, onLine);
      forwardLines(child.stderr, onLine);
      child.stdout.on('data', (d: string) => (raw.stdout += d));
      child.stderr.on('data', (d: string) => (raw.stderr += d));
      child.on('close', c => resolveCode(c ?? 1));
    });
    return {
      code,
      outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
      summary: existsSync(summaryFile) ? readFileSync(summaryFile, 'utf8') : '',
      ...raw
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function forwardLines(from: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = '';
  const emit = (line: string) => {
    if (!line.startsWith('::add-mask::')) onLine(line);
  };
  from.setEncoding('utf8');
  from.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    lines.forEach(emit);
  });
  from.on('end', () => {
    if (pending) emit(pending);
  });
}

/** Parses the runner's `name<<DELIM\nvalue\nDELIM` output-file format written by @actions/core. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^=<]+)<<(.+)$/.exec(lines[i]!);
    if (m) {
      const [, key, delim] = m;
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== delim) value.push(lines[i]!);
      out[key!] = value.join('\n');
    } else {
      const eq = lines[i]!.indexOf('=');
      if (eq > 0) out[lines[i]!.slice(0, eq)] = lines[i]!.slice(eq + 1);
    }
  }
  return out;
}
