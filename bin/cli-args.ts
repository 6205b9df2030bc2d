/**
 * The CLI's inputs: `--<input> value`, `--<input>=value`, `--<input>-file path` and `APP_PIPELINE_<INPUT>` from
 * the environment (command line first). A secret on the command line is visible to every user of the machine
 * (`ps`), so the file and environment forms exist for them; and no error ever prints a value: an armored key
 * starts with `-----`, so a misplaced one would otherwise be echoed whole.
 */
import { readFileSync } from 'node:fs';

export interface InputSpec {
  description?: string;
  required?: boolean;
  default?: string;
}

/** Inputs the actions read with `inputs.secret` (or as a URL holding a password): never given in argv if avoidable. */
const SECRET_INPUT =
  /(^|-)(token|passphrase|password|credentials|private-key|secret-access-key|access-key-id)$|^(database-url|webhook-url)$/;

export const isSecretInput = (name: string): boolean => SECRET_INPUT.test(name);

/** A boolean input (default `true`/`false`) may be given bare: `--dry-run` means `--dry-run true`. */
export const isBooleanInput = (spec: InputSpec | undefined): boolean =>
  spec?.default === 'true' || spec?.default === 'false';

/** `private-key` → `APP_PIPELINE_PRIVATE_KEY`. */
export const envName = (input: string): string =>
  `APP_PIPELINE_${input.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}`;

/** A flag name that is safe to print back: `--name` made of letters, digits and dashes only. */
const printable = (arg: string): string | undefined => {
  const name = arg.startsWith('--') ? arg.slice(2).split('=')[0]! : undefined;
  return name !== undefined && /^[a-z0-9][a-z0-9-]{0,60}$/i.test(name) ? name : undefined;
};

export class CliArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliArgsError';
  }
}

/**
 * `--name value` (the next argument is the value even when it starts with `-`: an armored key, a negative
 * number), `--name=value`, `--name-file path`; a boolean input may be bare. Returns the command-line inputs.
 */
export function parseArgs(
  args: string[],
  inputs: Record<string, InputSpec>,
  readFile: (path: string) => string = path => readFileSync(path, 'utf8')
): Record<string, string> {
  const known = Object.keys(inputs);
  const out: Record<string, string> = {};
  const from: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const position = `argument ${i + 1}`;
    if (!arg.startsWith('--')) {
      // Never echoed: a value given without its flag may be a secret.
      throw new CliArgsError(
        `unexpected ${position} (not shown; inputs are given as --<input> value, secrets best as --<input>-file path or ${envName('<input>')})`
      );
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const fileOf =
      !known.includes(flag) && flag.endsWith('-file') ? flag.slice(0, -'-file'.length) : undefined;
    const name = fileOf !== undefined && known.includes(fileOf) ? fileOf : flag;
    if (!known.includes(name)) {
      const shown = printable(arg);
      throw new CliArgsError(
        shown
          ? `unknown input '--${shown}'; known inputs: ${known.join(', ')}`
          : `${position} is not a known input (not shown); known inputs: ${known.join(', ')}`
      );
    }
    let value: string;
    if (eq > 0) value = arg.slice(eq + 1);
    else if (
      fileOf === undefined &&
      isBooleanInput(inputs[name]) &&
      !/^(true|false)$/i.test(args[i + 1] ?? '')
    )
      value = 'true';
    else if (i + 1 < args.length) value = args[++i]!;
    else throw new CliArgsError(`--${flag} needs a value`);
    if (from[name] !== undefined)
      throw new CliArgsError(`--${name} is given twice (as --${from[name]} and --${flag}); give it once`);
    from[name] = flag;
    if (fileOf !== undefined && name === fileOf) {
      try {
        value = readFile(value);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new CliArgsError(`--${flag}: cannot read '${value}'${code ? ` (${code})` : ''}`);
      }
      // A file written by an editor or `echo` ends with a newline that is no part of the secret.
      value = value.replace(/\r?\n$/, '');
    }
    out[name] = value;
  }
  return out;
}

/** Inputs not on the command line, from `APP_PIPELINE_<INPUT>` (empty values ignored). */
export function inputsFromEnv(
  inputs: Record<string, InputSpec>,
  env: NodeJS.ProcessEnv
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(inputs)) {
    const value = env[envName(name)];
    if (value) out[name] = value;
  }
  return out;
}

/** The environment for the action: without the `APP_PIPELINE_<INPUT>` variables (it gets them as inputs). */
export function withoutInputVariables(
  inputs: Record<string, InputSpec>,
  env: NodeJS.ProcessEnv
): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const name of Object.keys(inputs)) delete out[envName(name)];
  return out;
}
