/**
 * Run any action locally, through the same bundle GitHub runs:
 *   app-platform-pipeline <action> --<input> value [--<input> value ...]
 *   app-platform-pipeline <action> --help
 * Inputs become INPUT_<NAME> variables; GITHUB_OUTPUT and GITHUB_STEP_SUMMARY point at temporary files whose
 * contents are printed at the end, so a local run shows what a workflow step would see.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

interface ActionYaml {
  description?: string;
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description?: string }>;
}

// dist/cli/index.js and bin/cli.ts both sit two levels below the repository root.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const rootFromBin = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = existsSync(join(root, 'actions')) ? root : rootFromBin;

function actionNames(): string[] {
  return readdirSync(join(repo, 'actions')).filter(n => existsSync(join(repo, 'actions', n, 'action.yml')));
}

function readAction(name: string): ActionYaml {
  return parse(readFileSync(join(repo, 'actions', name, 'action.yml'), 'utf8')) as ActionYaml;
}

function usage(): string {
  return [
    'usage: app-platform-pipeline <action> --<input> value ...   (--help after the action lists its inputs)',
    `actions: ${actionNames().join(', ')}`
  ].join('\n');
}

function help(name: string, action: ActionYaml): string {
  const lines = [`${name}: ${action.description ?? ''}`, '', 'inputs:'];
  for (const [input, spec] of Object.entries(action.inputs ?? {})) {
    const dflt = spec.required ? '(required)' : spec.default ? `(default: ${spec.default})` : '';
    lines.push(`  --${input} ${dflt}`.trimEnd(), `      ${spec.description ?? ''}`);
  }
  lines.push('', 'outputs:');
  for (const [output, spec] of Object.entries(action.outputs ?? {}))
    lines.push(`  ${output}: ${spec.description ?? ''}`);
  return lines.join('\n');
}

/** `--name value`, `--name=value`; a flag without a value means `true`. */
export function parseArgs(args: string[], known: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--'))
      throw new Error(`unexpected argument '${arg}' (inputs are given as --<input> value)`);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (!known.includes(name))
      throw new Error(`unknown input '--${name}'; known inputs: ${known.join(', ')}`);
    if (eq > 0) out[name] = arg.slice(eq + 1);
    else if (i + 1 < args.length && !args[i + 1]!.startsWith('--')) out[name] = args[++i]!;
    else out[name] = 'true';
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  if (!actionNames().includes(name)) {
    process.stderr.write(`unknown action '${name}'\n${usage()}\n`);
    return 2;
  }
  const action = readAction(name);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${help(name, action)}\n`);
    return 0;
  }
  let given: Record<string, string>;
  try {
    given = parseArgs(rest, Object.keys(action.inputs ?? {}));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Defaults come from action.yml, as the runner would supply them.
  for (const [input, spec] of Object.entries(action.inputs ?? {})) {
    const value = given[input] ?? spec.default ?? '';
    env[`INPUT_${input.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  const work = mkdtempSync(join(tmpdir(), `app-platform-pipeline-${name}-`));
  const outputFile = join(work, 'output');
  const summaryFile = process.env.GITHUB_STEP_SUMMARY ?? join(work, 'summary.md');
  writeFileSync(outputFile, '');
  env.GITHUB_OUTPUT = outputFile;
  env.GITHUB_STEP_SUMMARY = summaryFile;
  const bundle = join(repo, 'dist', name, 'index.js');
  const code = await new Promise<number>(resolveCode => {
    const child = spawn(process.execPath, [bundle], { env, stdio: ['inherit', 'pipe', 'pipe'] });
    // The runner swallows `::add-mask::<secret>` commands; outside it they would print the secret itself.
    forwardWithoutMaskCommands(child.stdout, process.stdout);
    forwardWithoutMaskCommands(child.stderr, process.stderr);
    child.on('close', c => resolveCode(c ?? 1));
  });
  const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'));
  if (Object.keys(outputs).length) {
    process.stdout.write('\noutputs:\n');
    for (const [k, v] of Object.entries(outputs)) process.stdout.write(`  ${k}=${v}\n`);
  }
  if (process.env.APP_PIPELINE_OUTPUTS_JSON)
    writeFileSync(process.env.APP_PIPELINE_OUTPUTS_JSON, JSON.stringify(outputs));
  if (
    !process.env.GITHUB_STEP_SUMMARY &&
    existsSync(summaryFile) &&
    process.env.APP_PIPELINE_QUIET_SUMMARY !== 'true'
  )
    process.stdout.write(`\nsummary (${summaryFile}):\n${readFileSync(summaryFile, 'utf8')}\n`);
  if (!process.env.GITHUB_STEP_SUMMARY && !existsSync(summaryFile))
    rmSync(work, { recursive: true, force: true });
  return code;
}

function forwardWithoutMaskCommands(from: NodeJS.ReadableStream, to: NodeJS.WritableStream): void {
  let pending = '';
  from.setEncoding('utf8');
  from.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (!line.startsWith('::add-mask::')) to.write(`${line}\n`);
  });
  from.on('end', () => {
    if (pending && !pending.startsWith('::add-mask::')) to.write(pending);
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

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
} else if (process.env.APP_PIPELINE_CLI_MAIN === '1') {
  process.exitCode = await main(process.argv.slice(2));
}
