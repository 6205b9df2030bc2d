/**
 * Run any action locally, through the same bundle GitHub runs:
 *   app-platform-pipeline <action> --<input> value [--<input> value ...]
 *   (or --<input>-file path, or APP_PIPELINE_<INPUT> in the environment: how secrets stay out of `ps`)
 *   app-platform-pipeline <action> --help
 * Outputs and the job summary are printed at the end, so a local run shows what a workflow step would see.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CliArgsError,
  envName,
  inputsFromEnv,
  isBooleanInput,
  isSecretInput,
  parseArgs,
  withoutInputVariables
} from './cli-args.js';
import { readAction, repoRoot, runActionBundle, type ActionYaml } from './run-bundle.js';

export { parseOutputFile } from './run-bundle.js';
export { parseArgs } from './cli-args.js';

function actionNames(): string[] {
  return readdirSync(join(repoRoot, 'actions')).filter(n =>
    existsSync(join(repoRoot, 'actions', n, 'action.yml'))
  );
}

function usage(): string {
  return [
    'usage: app-platform-pipeline <action> --<input> value ...   (--help after the action lists its inputs)',
    '       each input also as --<input>-file path (the file holds the value) or APP_PIPELINE_<INPUT> (environment);',
    '       give secrets that way: command-line arguments are visible to every user of the machine (ps)',
    `actions: ${actionNames().join(', ')}`
  ].join('\n');
}

function help(name: string, action: ActionYaml): string {
  const lines = [
    `${name}: ${action.description ?? ''}`,
    '',
    'inputs: --<input> value (the next argument, even when it starts with -), --<input>=value,',
    '  --<input>-file path (the value is the file, one trailing newline dropped), or APP_PIPELINE_<INPUT>',
    '  in the environment (dashes as underscores). The command line wins. Secrets (marked) are best given by',
    '  file or environment: command-line arguments are visible to every user of the machine (ps).',
    ''
  ];
  for (const [input, spec] of Object.entries(action.inputs ?? {})) {
    const dflt = spec.required ? '(required)' : spec.default ? `(default: ${spec.default})` : '';
    const bare = isBooleanInput(spec) ? '(bare flag: true)' : '';
    const secret = isSecretInput(input) ? `secret: --${input}-file or ${envName(input)}` : '';
    const notes = [dflt, bare, secret].filter(Boolean).join(' ');
    lines.push(`  --${input} ${notes}`.trimEnd(), `      ${spec.description ?? ''}`);
  }
  lines.push('', 'outputs:');
  for (const [output, spec] of Object.entries(action.outputs ?? {}))
    lines.push(`  ${output}: ${spec.description ?? ''}`);
  return lines.join('\n');
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
  const specs = action.inputs ?? {};
  let inputs: Record<string, string>;
  try {
    inputs = { ...inputsFromEnv(specs, process.env), ...parseArgs(rest, specs) };
  } catch (error) {
    if (!(error instanceof CliArgsError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const run = await runActionBundle({
    name,
    inputs,
    // The action gets its inputs as INPUT_*; the APP_PIPELINE_<INPUT> copies are not for it (nor its children).
    env: withoutInputVariables(specs, process.env),
    summaryFile: process.env.GITHUB_STEP_SUMMARY
  });
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
