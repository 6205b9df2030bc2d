import { IMAGE_COMPONENT_KINDS } from './components.js';
import type { AppSpec } from './types.js';

/** app_action's per-component variable name: `IMAGE_DIGEST_` + the name upper-cased, `-` as `_`. */
export const componentEnvName = (name: string) => name.toUpperCase().replace(/-/g, '_');

/**
 * app_action's image variables (deploy/images.go): for every container component, `IMAGE_DIGEST_<NAME>`
 * sets the digest and clears the tag, else `IMAGE_TAG_<NAME>` sets the tag and clears the digest.
 * Returns the components changed (`services/web`).
 */
export function applyImageVariables(spec: AppSpec, env: Record<string, string | undefined>): string[] {
  const changed: string[] = [];
  for (const kind of IMAGE_COMPONENT_KINDS)
    for (const c of spec[kind] ?? []) {
      if (!c.image) continue;
      const digest = env[`IMAGE_DIGEST_${componentEnvName(c.name)}`];
      const tag = env[`IMAGE_TAG_${componentEnvName(c.name)}`];
      if (digest) {
        c.image.digest = digest;
        delete c.image.tag;
      } else if (tag) {
        c.image.tag = tag;
        delete c.image.digest;
      } else continue;
      changed.push(`${kind}/${c.name}`);
    }
  return changed;
}
