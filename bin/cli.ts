/**
 * Run any action locally, through the same bundle GitHub runs:
 *   app-platform-pipeline <action> --<input> value [--<input> value ...]
 *   app-platform-pipeline <action> --help
 * Outputs and the job summary are printed at the end, so a local run shows what a workflow step would see.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readAction, repoRoot, runActionBundle, type ActionYaml } from './run-bundle.js';

export { parseOutputFile } from './run-bundle.js';

function actionNames(): string[] {
  return readdirSync(join(repoRoot, 'actions')).filter(n =>
    existsSync(join(repoRoot, 'actions', n, 'action.yml'))
  );
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
  let inputs: Record<string, string>;
  try {
    inputs = parseArgs(rest, Object.keys(action.inputs ?? {}));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const run = await runActionBundle({ name, inputs, summaryFile: process.env.GITHUB_STEP_SUMMARY });
  if (Object.keys(run.outputs).length) {
    process.stdout.write('\noutputs:\n');
    for (const [k, v] of Object.entries(run.outputs)) process.stdout.write(`  ${k}=${v}\n`);
  }
  if (process.env.APP_PIPELINE_OUTPUTS_JSON)
    writeFileSync(process.env.APP_PIPELINE_OUTPUTS_JSON, JSON.stringify(run.outputs));
  if (run.summary && !process.env.GITHUB_STEP_SUMMARY) process.stdout.write(`\nsummary:\n${run.summary}\n`);
  return run.code;
}

if (
  process.env.APP_PIPELINE_CLI_MAIN === '1' ||
  (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
) {
  process.exitCode = await main(process.argv.slice(2));
}
