import { parse as parseYaml } from 'yaml';
import { InputError, errorMessage } from '../kit/errors.js';
import type { Logger } from '../kit/log.js';
import { MIN_SECRET_LENGTH, registerSecret } from '../kit/secrets.js';
import { isValidDigest } from '../image/reference.js';
import { applyImageVariables } from './image-variables.js';
import { substituteEnv, type PlaceholderOptions } from './placeholders.js';
import { formatProblems, validateSpec } from './spec-validation.js';
import type { AppSpec } from './types.js';

/** Variables whose values are image references or app-wide names, not secrets: never masked. */
const PUBLIC_VARIABLE = /^(IMAGE_(DIGEST|TAG)(_[A-Z0-9_]+)?|APP_(URL|DOMAIN|ID|VERSION))$/;

/** Parses a YAML or JSON spec file's text (`input` is named in errors). */
export function parseSpecText(text: string, input = 'app-spec'): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    throw new InputError(input, `is not valid YAML/JSON: ${errorMessage(error).split('\n')[0]}`);
  }
}

/**
 * Reads a spec file: placeholders substituted strictly (every unset one named before any request), app_action's
 * IMAGE_DIGEST_<NAME>/IMAGE_TAG_<NAME> applied, every substituted value registered as a secret (a 4xx body
 * that echoes the spec must not print them), then validated locally. A substituted value is a secret, so the
 * kit's rule for secrets holds: one shorter than MIN_SECRET_LENGTH is refused, before any is registered.
 */
export function loadSpecFile(
  file: { path: string; text: string },
  env: Record<string, string | undefined>,
  log: Logger,
  notes: string[],
  opts: PlaceholderOptions = {}
): AppSpec {
  const parsed = parseSpecText(file.text);
  const { value, substituted, missing, kept } = substituteEnv(parsed, env, opts);
  if (missing.length)
    throw new InputError(
      'app-spec',
      `(${file.path}) uses ${missing.map(n => `\${${n}}`).join(', ')}, not set in the environment. Set ${missing.length > 1 ? 'them' : 'it'} ` +
        `(env: of the step), write $$ for a literal $, or list names App Platform resolves itself in keep-placeholders`
    );
  const secrets = [...substituted].filter(
    ([name, v]) => v !== '' && !PUBLIC_VARIABLE.test(name) && !isValidDigest(v)
  );
  const short = secrets.filter(([, v]) => v.length < MIN_SECRET_LENGTH).map(([name]) => `\${${name}}`);
  if (short.length)
    throw new InputError(
      'app-spec',
      `(${file.path}) substitutes ${short.join(', ')} with ${short.length > 1 ? 'values' : 'a value'} shorter than ` +
        `${MIN_SECRET_LENGTH} characters: every substituted value is masked as a secret, and one that short cannot be ` +
        'masked in logs without also masking ordinary text; use a longer value, or write a value that is not secret ' +
        'into the spec itself'
    );
  for (const [, v] of secrets) registerSecret(v);
  if (substituted.size)
    log.info(
      `${file.path}: substituted ${[...substituted.keys()].map(n => `\${${n}}`).join(', ')} from the environment`
    );
  if (kept.length) {
    const msg = `${file.path}: ${kept.map(n => `\${${n}}`).join(', ')} left for App Platform to resolve`;
    log.info(msg);
    notes.push(msg);
  }
  const problems = validateSpec(value);
  if (problems.length)
    throw new InputError('app-spec', `(${file.path}) is invalid: ${formatProblems(problems)}`);
  const spec = value as AppSpec;
  const pinned = applyImageVariables(spec, env);
  if (pinned.length)
    log.info(`${file.path}: IMAGE_DIGEST_*/IMAGE_TAG_* set the image of ${pinned.join(', ')}`);
  return spec;
}
