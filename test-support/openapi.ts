/**
 * DigitalOcean's OpenAPI spec for App Platform (the copy in test-support/digitalocean-openapi/, made by
 * scripts/vendor-openapi.mjs; origin and licence in its README) and one ajv set-up for every contract check: the request side (client), the response side (simulator) and the
 * example app spec.
 */
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const APPS_OPENAPI = resolve(
  dirname(fileURLToPath(import.meta.url)),
  'digitalocean-openapi',
  'apps.json'
);

// ajv-formats is CommonJS: under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv
) => Ajv;

let cached: unknown;
/** The parsed spec (every $ref already inlined by DigitalOcean's bundler). */
export function loadAppsOpenApi<T = Record<string, unknown>>(): T {
  cached ??= JSON.parse(readFileSync(APPS_OPENAPI, 'utf8'));
  return cached as T;
}

/** ajv with the standard formats plus the OpenAPI numeric ones DigitalOcean uses (int32, int64, float, ...). */
export function createAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const f of ['int32', 'int64', 'uint32', 'uint64'])
    ajv.addFormat(f, { type: 'number', validate: Number.isInteger });
  for (const f of ['float', 'double']) ajv.addFormat(f, { type: 'number', validate: () => true });
  return ajv;
}
