/**
 * Checks one request against DigitalOcean's OpenAPI spec (test-support/digitalocean-openapi/apps.json):
 * operation, query parameters, request-body schema, and no key the spec does not name.
 *
 * Documented gaps of the spec, relaxed here and nowhere else (reference §1.7 and §2, apps.json README):
 *  1. AppSpec lacks app-level `envs`, `alerts`, `features`: allowed as extra keys of `spec`.
 *  2. Component-level `alerts` exist only on functions in the spec: allowed on services/workers/jobs.
 *  3. Jobs lack `schedule` and `timeout` (SCHEDULED kind): allowed as extra keys of jobs[].
 * The spec sets no `additionalProperties: false`, so on top of the schemas any key the spec does not name
 * is reported (a misspelt field would otherwise pass silently).
 */
import { createAjv, loadAppsOpenApi } from '../../test-support/openapi.js';

export interface SentRequest {
  method: string;
  /** Path and query. */
  path: string;
  body?: unknown;
  /** Which try of the call this was (retries send the same request again). */
  attempt?: number;
}

type Schema = Record<string, unknown> & {
  properties?: Record<string, Schema>;
  allOf?: Schema[];
  items?: Schema;
};
interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; required?: boolean; schema: Schema }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
}

const openapi = loadAppsOpenApi<{
  paths: Record<string, Record<string, Operation>>;
}>();
const ajv = createAjv();

const GAPS = [
  /^spec\.(envs|alerts|features)$/,
  /^spec\.(services|workers|jobs)\[\]\.alerts$/,
  /^spec\.jobs\[\]\.(schedule|timeout)$/
];

/** The operation for a concrete method + path, by turning `{param}` templates into patterns. */
export function findOperation(method: string, path: string): { template: string; op: Operation } | undefined {
  const matches: { template: string; op: Operation; literal: number }[] = [];
  for (const [template, ops] of Object.entries(openapi.paths)) {
    const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    const op = ops[method.toLowerCase()];
    if (op && re.test(path))
      matches.push({ template, op, literal: template.replace(/\{[^}]+\}/g, '').length });
  }
  // `/v2/apps/propose` also matches `/v2/apps/{id}`: the most literal template wins.
  return matches.sort((a, b) => b.literal - a.literal)[0];
}

/** Property names a schema allows, through allOf. */
function known(schema: Schema | undefined): Map<string, Schema> {
  const out = new Map<string, Schema>();
  if (!schema) return out;
  for (const [k, v] of Object.entries(schema.properties ?? {})) out.set(k, v);
  for (const part of schema.allOf ?? []) for (const [k, v] of known(part)) out.set(k, v);
  return out;
}

/** Keys the spec does not name, as paths like `spec.services[].imagee`. */
function unknownKeys(value: unknown, schema: Schema | undefined, path: string): string[] {
  if (!schema) return [];
  if (Array.isArray(value)) return value.flatMap(v => unknownKeys(v, schema.items, `${path}[]`));
  if (!value || typeof value !== 'object') return [];
  const props = known(schema);
  if (props.size === 0) return []; // free-form object in the spec (e.g. step children)
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k;
    if (props.has(k)) out.push(...unknownKeys(v, props.get(k), at));
    else if (!GAPS.some(g => g.test(at))) out.push(at);
  }
  return out;
}

export function requestProblems(req: SentRequest): string[] {
  const url = new URL(req.path, 'http://x');
  const found = findOperation(req.method, url.pathname);
  if (!found) return [`${req.method} ${url.pathname}: no such operation in apps.json`];
  const { op } = found;
  const out: string[] = [];
  const where = `${req.method} ${url.pathname} (${op.operationId})`;
  const params = op.parameters ?? [];
  for (const [name, raw] of url.searchParams) {
    const p = params.find(x => x.in === 'query' && x.name === name);
    if (!p) {
      out.push(`${where}: query parameter '${name}' is not documented`);
      continue;
    }
    const value =
      p.schema.type === 'integer'
        ? Number(raw)
        : p.schema.type === 'boolean'
          ? raw === 'true'
            ? true
            : raw === 'false'
              ? false
              : raw
          : raw;
    if (!ajv.validate(p.schema, value)) out.push(`${where}: query ${name}=${raw}: ${ajv.errorsText()}`);
  }
  for (const p of params.filter(x => x.in === 'query' && x.required))
    if (!url.searchParams.has(p.name)) out.push(`${where}: required query parameter '${p.name}' missing`);
  const bodySchema = op.requestBody?.content['application/json']?.schema;
  if (req.body === undefined) {
    if (op.requestBody?.required) out.push(`${where}: request body is required`);
  } else if (!bodySchema) out.push(`${where}: sends a body the operation does not take`);
  else {
    if (!ajv.validate(bodySchema, req.body))
      out.push(`${where}: body ${ajv.errorsText(ajv.errors, { dataVar: 'body' })}`);
    for (const k of unknownKeys(req.body, bodySchema, ''))
      out.push(`${where}: body key '${k}' is not in the spec`);
  }
  return out;
}
