import { isRecord } from '../kit/json.js';
import { isValidDigest, isValidTag } from '../image/reference.js';

/**
 * The checks App Platform would fail on, made locally before any call, each with its field path
 * (`services[0].image.digest`), so one run names every problem of a spec file.
 */

const NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
const REGIONS = ['atl', 'nyc', 'sfo', 'tor', 'ams', 'fra', 'lon', 'blr', 'sgp', 'syd'];
const ENV_KEY = /^[_A-Za-z][_A-Za-z0-9]*$/;
const SCOPES = ['UNSET', 'RUN_TIME', 'BUILD_TIME', 'RUN_AND_BUILD_TIME'];
const JOB_KINDS = ['UNSPECIFIED', 'PRE_DEPLOY', 'POST_DEPLOY', 'FAILED_DEPLOY', 'SCHEDULED'];
const COMPONENT_LISTS = ['services', 'workers', 'jobs', 'static_sites', 'functions', 'databases'];

export interface SpecProblem {
  path: string;
  message: string;
}

/** The checks App Platform would fail on, with field paths (`services[0].image.digest`), before any call. */
export function validateSpec(value: unknown): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  if (!isRecord(value))
    return [{ path: '(root)', message: 'must be a mapping with at least name and services' }];
  const spec = value;
  if (typeof spec.name !== 'string') add('name', 'is required');
  else if (!NAME.test(spec.name))
    add(
      'name',
      `'${spec.name}' must be 2-32 characters: lower-case letters, digits and '-', starting with a letter`
    );
  if (spec.region !== undefined && !REGIONS.includes(String(spec.region)))
    add('region', `must be one of ${REGIONS.join(', ')}`);
  checkEnvs(spec.envs, 'envs', add);
  const seen = new Map<string, string>();
  for (const list of COMPONENT_LISTS) {
    const items = spec[list];
    if (items === undefined) continue;
    if (!Array.isArray(items)) {
      add(list, 'must be a list');
      continue;
    }
    items.forEach((c, i) => {
      const at = `${list}[${i}]`;
      if (!isRecord(c)) return add(at, 'must be a mapping');
      if (typeof c.name !== 'string' || !NAME.test(c.name))
        add(`${at}.name`, 'is required: 2-32 characters, lower-case letters, digits and -');
      else if (seen.has(c.name)) add(`${at}.name`, `'${c.name}' is also used by ${seen.get(c.name)}`);
      else seen.set(c.name, at);
      if (list === 'databases') return;
      if (c.image !== undefined) checkImage(c.image, `${at}.image`, add);
      checkEnvs(c.envs, `${at}.envs`, add);
      if (
        c.instance_count !== undefined &&
        !(Number.isInteger(c.instance_count) && (c.instance_count as number) >= 1)
      )
        add(`${at}.instance_count`, 'must be a whole number of at least 1');
      if (
        c.http_port !== undefined &&
        !(Number.isInteger(c.http_port) && (c.http_port as number) >= 1 && (c.http_port as number) <= 65535)
      )
        add(`${at}.http_port`, 'must be a port number (1-65535)');
      if (list === 'jobs' && c.kind !== undefined && !JOB_KINDS.includes(String(c.kind)))
        add(`${at}.kind`, `must be one of ${JOB_KINDS.join(', ')}`);
    });
  }
  if (seen.size === 0)
    add('services', 'the spec has no component (services, workers, jobs, static_sites, functions)');
  return problems;
}

function checkImage(image: unknown, at: string, add: (p: string, m: string) => void): void {
  if (!isRecord(image)) return add(at, 'must be a mapping');
  if (!['DOCR', 'DOCKER_HUB', 'GHCR'].includes(String(image.registry_type)))
    add(`${at}.registry_type`, 'must be DOCR, DOCKER_HUB or GHCR');
  if (typeof image.repository !== 'string' || !image.repository) add(`${at}.repository`, 'is required');
  if (image.registry_type !== 'DOCR' && image.registry_type !== undefined && !image.registry)
    add(`${at}.registry`, 'is required for GHCR and DOCKER_HUB (the owner)');
  if (image.tag !== undefined && image.digest !== undefined) add(at, 'has both tag and digest; use one');
  if (image.digest !== undefined && !isValidDigest(String(image.digest)))
    add(`${at}.digest`, 'must be sha256: followed by 64 hex characters');
  if (image.tag !== undefined && !isValidTag(String(image.tag))) add(`${at}.tag`, 'is not a valid tag');
}

function checkEnvs(envs: unknown, at: string, add: (p: string, m: string) => void): void {
  if (envs === undefined) return;
  if (!Array.isArray(envs)) return add(at, 'must be a list');
  envs.forEach((e, i) => {
    if (!isRecord(e) || typeof e.key !== 'string' || !ENV_KEY.test(e.key))
      add(`${at}[${i}].key`, 'is required: letters, digits and _, not starting with a digit');
    else {
      if (e.scope !== undefined && !SCOPES.includes(String(e.scope)))
        add(`${at}[${i}].scope`, `must be one of ${SCOPES.join(', ')}`);
      if (e.type !== undefined && !['GENERAL', 'SECRET'].includes(String(e.type)))
        add(`${at}[${i}].type`, 'must be GENERAL or SECRET');
    }
  });
}

/** Validation problems as one line, for an InputError on the spec input. */
export function formatProblems(problems: SpecProblem[]): string {
  return problems.map(p => `${p.path} ${p.message}`).join('; ');
}
