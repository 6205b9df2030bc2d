// .do/app.yaml checked against DigitalOcean's own OpenAPI AppSpec (apps.json), made strict so a misspelt
// field fails: the published schema has no additionalProperties, so unknown names would pass unnoticed.
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { EXAMPLE_DIR } from './processes.js';
import { createAjv, loadAppsOpenApi } from '../../test-support/openapi.js';

type Schema = Record<string, unknown>;

/** The AppSpec request schema of POST /v2/apps, every $ref already inlined in apps.json. */
function appSpecSchema(): Schema {
  // A copy: the schema is made strict in place below.
  const doc = structuredClone(loadAppsOpenApi<any>()); // eslint-disable-line @typescript-eslint/no-explicit-any
  return doc.paths['/v2/apps'].post.requestBody.content['application/json'].schema.properties.spec as Schema;
}

/**
 * Folds `allOf` parts into one object schema and forbids unknown properties everywhere (an allOf of
 * objects cannot be made strict part by part: each part would reject the others' fields).
 */
function strict(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strict);
  if (typeof node !== 'object' || node === null) return node;
  const schema = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, strict(v)])) as Schema;
  if (
    Array.isArray(schema.allOf) &&
    schema.allOf.every(p => (p as Schema).type === 'object' || (p as Schema).properties)
  ) {
    const parts = schema.allOf as Schema[];
    delete schema.allOf;
    schema.type = 'object';
    schema.properties = Object.assign({}, ...parts.map(p => p.properties ?? {}));
    const required = parts.flatMap(p => (p.required as string[] | undefined) ?? []);
    if (required.length > 0) schema.required = [...new Set(required)];
  }
  if (schema.properties && schema.additionalProperties === undefined) schema.additionalProperties = false;
  return schema;
}

function buildValidator(): ValidateFunction {
  const schema = strict(appSpecSchema()) as Schema & { properties: Record<string, Schema> };
  // The one relaxation: app-level `alerts`. DigitalOcean's OpenAPI AppSpec omits it (a documented gap:
  // the API and godo accept it; DEPLOYMENT_FAILED/DOMAIN_FAILED exist only at app level). Its item schema
  // is the spec's own alert schema, taken from functions[].alerts.
  const functions = schema.properties.functions as { items: { properties: Record<string, Schema> } };
  schema.properties.alerts = functions.items.properties.alerts;
  return createAjv().compile(schema);
}

/** What the deploy step substitutes for ${VAR} (deploy-app-platform `app-spec`). */
const SUBSTITUTIONS: Record<string, string> = {
  IMAGE_DIGEST: `sha256:${'a1'.repeat(32)}`,
  GITHUB_REPOSITORY_OWNER: 'example-church',
  APP_VERSION: '0123456789abcdef0123456789abcdef01234567',
  DATABASE_URL: 'postgresql://doadmin:secret@db.example:25060/signupflow?sslmode=require',
  REDIS_URL: 'rediss://default:secret@redis.example:25061',
  SECRET_KEY: 'not-a-real-key',
  PAPERTRAIL_ENDPOINT: 'syslog+tls://logs1.papertrailapp.com:12345'
};

const raw = readFileSync(join(EXAMPLE_DIR, '.do', 'app.yaml'), 'utf8');
// Parsed YAML walked by path in the assertions below, which check its shape themselves.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function substituted(): Record<string, any> {
  return parse(
    raw.replace(/\$\{([A-Z_]+)\}/g, (_m, name: string) => SUBSTITUTIONS[name] ?? `<unset ${name}>`)
  );
}

describe('.do/app.yaml', () => {
  let validate: ValidateFunction;
  beforeAll(() => {
    validate = buildValidator();
  });

  test('uses only the documented ${VAR} placeholders', () => {
    const used = [...new Set([...raw.matchAll(/\$\{([^}]+)\}/g)].map(m => m[1]))].sort();
    expect(used).toEqual(Object.keys(SUBSTITUTIONS).sort());
  });

  test('validates against the strict OpenAPI AppSpec', () => {
    const ok = validate(substituted());
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test('the strict schema catches a misspelt field and a wrong enum (the check can fail)', () => {
    const misspelt = substituted();
    misspelt.services[0].health_check.http_pth = '/health';
    expect(validate(misspelt)).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({
      keyword: 'additionalProperties',
      params: { additionalProperty: 'http_pth' }
    });
    const badKind = substituted();
    badKind.jobs[0].kind = 'BEFORE_DEPLOY';
    expect(validate(badKind)).toBe(false);
  });

  test('declares what the pipeline relies on', () => {
    const spec = substituted();
    expect(spec.name).toBe('signupflow');
    expect(spec.services).toHaveLength(1);
    const web = spec.services[0];
    expect(web.name).toBe('web');
    expect(web.image).toEqual({
      registry_type: 'GHCR',
      registry: SUBSTITUTIONS.GITHUB_REPOSITORY_OWNER,
      repository: 'signupflow',
      digest: SUBSTITUTIONS.IMAGE_DIGEST
    });
    expect(web).toMatchObject({ http_port: 8000, instance_count: 2, instance_size_slug: expect.any(String) });
    expect(web.health_check).toMatchObject({ http_path: '/health', port: 8000 });
    expect(web.liveness_health_check).toMatchObject({ http_path: '/livez', port: 8000 });
    // The platform must wait longer than uvicorn's 25 s drain before it kills an instance.
    expect(web.termination.grace_period_seconds).toBeGreaterThan(25);
    const envs = Object.fromEntries(web.envs.map((e: { key: string }) => [e.key, e]));
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'SECRET_KEY'])
      expect(envs[key]).toMatchObject({ type: 'SECRET', scope: 'RUN_TIME' });
    expect(envs.APP_VERSION).toMatchObject({ value: SUBSTITUTIONS.APP_VERSION });
    expect(web.log_destinations[0].papertrail.endpoint).toBe(SUBSTITUTIONS.PAPERTRAIL_ENDPOINT);
    expect(spec.domains).toEqual([expect.objectContaining({ type: 'PRIMARY' })]);
    expect(spec.alerts.map((a: { rule: string }) => a.rule).sort()).toEqual([
      'DEPLOYMENT_FAILED',
      'DOMAIN_FAILED'
    ]);
    const [migrate] = spec.jobs;
    expect(migrate).toMatchObject({ kind: 'PRE_DEPLOY', run_command: 'alembic -c alembic.ini upgrade head' });
    expect(migrate.image).toEqual(web.image); // the same image as the service
    expect(migrate.envs).toEqual([expect.objectContaining({ key: 'DATABASE_URL', type: 'SECRET' })]);
  });
});

describe('container and compose files', () => {
  const read = (name: string) => readFileSync(join(EXAMPLE_DIR, name), 'utf8');

  test('the production Dockerfile: slim base, non-root, pinned requirements, no HEALTHCHECK, graceful uvicorn', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^FROM python:3\.12-slim$/m);
    expect(dockerfile).toMatch(/^USER (?!root|0\b)\S+$/m);
    expect(dockerfile).toMatch(/^RUN pip install -r requirements\.txt$/m);
    expect(dockerfile).toMatch(/^ARG APP_VERSION/m);
    expect(dockerfile).toMatch(/^ENV APP_VERSION=\$\{APP_VERSION\}$/m);
    expect(dockerfile).not.toMatch(/^HEALTHCHECK/m);
    expect(dockerfile).toContain('--timeout-graceful-shutdown 25');
    const requirements = read('requirements.txt')
      .split('\n')
      .filter(line => line.trim() && !line.startsWith('#'));
    for (const line of requirements) expect(line).toMatch(/^[A-Za-z0-9_.-]+==\d[\w.]*$/);
    const names = requirements.map(line => line.split('==')[0].toLowerCase());
    expect(names).toEqual(
      expect.arrayContaining(['fastapi', 'uvicorn', 'alembic', 'psycopg2-binary', 'redis'])
    );
  });

  test('Dockerfile.rehearsal: FROM scratch with the sources and the release environment', () => {
    const dockerfile = read('Dockerfile.rehearsal');
    expect(dockerfile).toMatch(/^FROM scratch$/m);
    for (const line of [
      'ARG APP_VERSION',
      'ENV APP_VERSION=${APP_VERSION}',
      'ARG CHAOS_DB_FAIL_AFTER_SECONDS=""'
    ])
      expect(dockerfile).toContain(line);
    expect(dockerfile).toContain('ENV CHAOS_DB_FAIL_AFTER_SECONDS=${CHAOS_DB_FAIL_AFTER_SECONDS}');
    expect(dockerfile).toMatch(/^COPY app /m);
    expect(dockerfile).toMatch(/^COPY migrations /m);
  });

  test('docker-compose.yml: app, postgres:14 and redis:7 with healthchecks', () => {
    const compose = parse(read('docker-compose.yml'));
    expect(compose.services.db.image).toBe('postgres:14');
    expect(compose.services.redis.image).toBe('redis:7');
    for (const name of ['db', 'redis', 'app']) expect(compose.services[name].healthcheck.test).toBeDefined();
    expect(compose.services.app.depends_on.db.condition).toBe('service_healthy');
    expect(compose.services.app.environment.DATABASE_URL).toMatch(/^postgresql:\/\/.*@db:5432\//);
  });
});
