import { parse as parseYaml } from 'yaml';
import { InputError, errorMessage } from '../kit/errors.js';
import { isRecord } from '../kit/json.js';
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
 * that echoes the spec must not print them), then validated locally. The kit's rule for secrets holds: a value
 * shorter than MIN_SECRET_LENGTH cannot be masked without garbling ordinary text, so one that lands in a `type:
 * SECRET` variable is refused (before any is registered); a short one elsewhere (`LOG_LEVEL: ${LOG_LEVEL}` = `info`)
 * is not a secret by the spec's own word: deployed unmasked, and the log says so.
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
  const inSecretVariables = secretVariableValues(parsed);
  const shortNames = secrets.filter(([, v]) => v.length < MIN_SECRET_LENGTH).map(([name]) => name);
  const refused = shortNames.filter(name => inSecretVariables.some(raw => usesPlaceholder(raw, name)));
  if (refused.length)
    throw new InputError(
      'app-spec',
      `(${file.path}) substitutes ${refused.map(n => `\${${n}}`).join(', ')} into a SECRET variable with ${refused.length > 1 ? 'values' : 'a value'} shorter than ` +
        `${MIN_SECRET_LENGTH} characters, too short to mask in logs without also masking ordinary text; use a longer secret`
    );
  for (const [name, v] of secrets) if (!shortNames.includes(name)) registerSecret(v);
  if (shortNames.length)
    log.info(
      `${file.path}: ${shortNames.map(n => `\${${n}}`).join(', ')} not masked: shorter than ${MIN_SECRET_LENGTH} characters and in no SECRET variable`
    );
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

/** The raw `value` of every `type: SECRET` env entry, app-wide and in every component (before substitution). */
function secretVariableValues(spec: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isRecord(node)) return;
    if (node.type === 'SECRET' && typeof node.key === 'string' && typeof node.value === 'string')
      found.push(node.value);
    for (const child of Object.values(node)) visit(child);
  };
  visit(spec);
  return found;
}

/** Whether `text` holds the placeholder `${name}` or `$name` (app_action's two forms). */
function usesPlaceholder(text: string, name: string): boolean {
  return text.includes(`\${${name}}`) || new RegExp(`\\$${name}(?![A-Za-z0-9_])`).test(text);
}
