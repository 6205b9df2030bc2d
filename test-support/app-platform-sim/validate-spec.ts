// Server-side app spec validation. Like DigitalOcean's propose/create/update it reports only the FIRST
// problem (godo issue #415), with the field path in the message. Rules follow apps.json and godo's AppSpec.
const NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
const ENV_KEY = /^[_A-Za-z][_A-Za-z0-9]*$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const REGIONS = ['atl', 'nyc', 'sfo', 'tor', 'ams', 'fra', 'lon', 'blr', 'sgp', 'syd'];
const REGISTRY_TYPES = ['DOCR', 'DOCKER_HUB', 'GHCR'];
const SOURCES = ['git', 'github', 'gitlab', 'bitbucket', 'image'];
const COMPONENT_LISTS = ['services', 'workers', 'jobs', 'static_sites', 'functions'] as const;
const JOB_KINDS = ['UNSPECIFIED', 'PRE_DEPLOY', 'POST_DEPLOY', 'FAILED_DEPLOY', 'SCHEDULED'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export class SpecError extends Error {
  constructor(
    readonly field: string,
    problem: string
  ) {
    super(`error validating app spec field "${field}": ${problem}`);
  }
}

function check(cond: boolean, field: string, problem: string): void {
  if (!cond) throw new SpecError(field, problem);
}

function intIn(o: Obj, key: string, field: string, min: number, max: number): void {
  const v = o[key];
  if (v === undefined) return;
  check(
    Number.isInteger(v) && (v as number) >= min && (v as number) <= max,
    `${field}.${key}`,
    `must be an integer between ${min} and ${max}`
  );
}

function validateEnvs(envs: unknown, field: string): void {
  if (envs === undefined) return;
  check(Array.isArray(envs), field, 'must be a list');
  (envs as unknown[]).forEach((e, i) => {
    const f = `${field}[${i}]`;
    check(isObj(e), f, 'must be an object');
    const env = e as Obj;
    check(typeof env.key === 'string' && ENV_KEY.test(env.key), `${f}.key`, `must match ${ENV_KEY.source}`);
    // null: a YAML `value:` left empty, which the API takes as an empty value
    if (env.value !== undefined && env.value !== null)
      check(typeof env.value === 'string', `${f}.value`, 'must be a string');
    if (env.type !== undefined)
      check(['GENERAL', 'SECRET'].includes(env.type as string), `${f}.type`, 'must be GENERAL or SECRET');
    if (env.scope !== undefined)
      check(
        ['UNSET', 'RUN_TIME', 'BUILD_TIME', 'RUN_AND_BUILD_TIME'].includes(env.scope as string),
        `${f}.scope`,
        'must be UNSET, RUN_TIME, BUILD_TIME or RUN_AND_BUILD_TIME'
      );
  });
}

function validateImage(image: Obj, field: string): void {
  check(
    REGISTRY_TYPES.includes(image.registry_type as string),
    `${field}.registry_type`,
    `must be one of ${REGISTRY_TYPES.join(', ')}`
  );
  check(
    typeof image.repository === 'string' && image.repository !== '',
    `${field}.repository`,
    'is required'
  );
  if (image.registry_type !== 'DOCR')
    check(
      typeof image.registry === 'string' && image.registry !== '',
      `${field}.registry`,
      `is required for ${String(image.registry_type)}`
    );
  check(
    !(image.tag !== undefined && image.digest !== undefined),
    field,
    'tag and digest are mutually exclusive'
  );
  if (image.digest !== undefined)
    check(
      typeof image.digest === 'string' && DIGEST.test(image.digest),
      `${field}.digest`,
      'must be sha256:<64 hex digits>'
    );
  if (image.tag !== undefined)
    check(
      typeof image.tag === 'string' && /^[\w][\w.-]{0,127}$/.test(image.tag),
      `${field}.tag`,
      'is not a valid tag'
    );
}

function validateHealthCheck(hc: unknown, field: string): void {
  if (hc === undefined) return;
  check(isObj(hc), field, 'must be an object');
  const h = hc as Obj;
  intIn(h, 'initial_delay_seconds', field, 0, 3600);
  intIn(h, 'period_seconds', field, 1, 300);
  intIn(h, 'timeout_seconds', field, 1, 120);
  intIn(h, 'success_threshold', field, 1, 50);
  intIn(h, 'failure_threshold', field, 1, 50);
  intIn(h, 'port', field, 1, 65535);
  if (h.http_path !== undefined)
    check(
      typeof h.http_path === 'string' && h.http_path.startsWith('/'),
      `${field}.http_path`,
      'must start with /'
    );
}

function validateComponent(
  c: unknown,
  field: string,
  kind: (typeof COMPONENT_LISTS)[number],
  names: Set<string>
): void {
  check(isObj(c), field, 'must be an object');
  const comp = c as Obj;
  check(typeof comp.name === 'string' && NAME.test(comp.name), `${field}.name`, `must match ${NAME.source}`);
  check(
    !names.has(comp.name as string),
    `${field}.name`,
    `component name "${String(comp.name)}" is used more than once`
  );
  names.add(comp.name as string);
  if (kind === 'functions') return;
  const sources = SOURCES.filter(s => comp[s] !== undefined);
  check(sources.length <= 1, field, `only one source may be set, found ${sources.join(' and ')}`);
  check(sources.length === 1, field, `a source is required (one of ${SOURCES.join(', ')})`);
  if (comp.image !== undefined) {
    check(isObj(comp.image), `${field}.image`, 'must be an object');
    validateImage(comp.image as Obj, `${field}.image`);
  }
  validateEnvs(comp.envs, `${field}.envs`);
  intIn(comp, 'instance_count', field, 1, 250);
  intIn(comp, 'http_port', field, 1, 65535);
  if (kind === 'services') {
    validateHealthCheck(comp.health_check, `${field}.health_check`);
    validateHealthCheck(comp.liveness_health_check, `${field}.liveness_health_check`);
  }
  if (kind === 'jobs' && comp.kind !== undefined)
    check(JOB_KINDS.includes(comp.kind as string), `${field}.kind`, `must be one of ${JOB_KINDS.join(', ')}`);
}

/** Throws SpecError for the first problem found. */
export function validateAppSpec(spec: unknown): void {
  check(isObj(spec), 'spec', 'is required');
  const s = spec as Obj;
  check(
    typeof s.name === 'string' && s.name.length >= 2 && s.name.length <= 32 && NAME.test(s.name),
    'name',
    `must be 2-32 characters matching ${NAME.source}`
  );
  if (s.region !== undefined)
    check(REGIONS.includes(s.region as string), 'region', `must be one of ${REGIONS.join(', ')}`);
  validateEnvs(s.envs, 'envs');
  const names = new Set<string>();
  let count = 0;
  for (const list of COMPONENT_LISTS) {
    const items = s[list];
    if (items === undefined) continue;
    check(Array.isArray(items), list, 'must be a list');
    (items as unknown[]).forEach((c, i) => validateComponent(c, `${list}[${i}]`, list, names));
    count += (items as unknown[]).length;
  }
  check(count > 0, 'services', 'an app needs at least one component');
  if (s.databases !== undefined) {
    check(Array.isArray(s.databases), 'databases', 'must be a list');
    (s.databases as unknown[]).forEach((d, i) =>
      check(isObj(d) && typeof d.name === 'string' && d.name !== '', `databases[${i}].name`, 'is required')
    );
  }
}
