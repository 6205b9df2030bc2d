import type { ComponentKind } from './components.js';
import type { AppSpec, ComponentSpec } from './types.js';

/**
 * Pins the release's commit as the component's `APP_VERSION` (a RUN_TIME GENERAL env), so `/health` can report
 * it in every setup: a spec file without the placeholder, or an app deployed by id whose app-level or older
 * component env would otherwise win over the image's own ENV. App Platform resolves component envs over
 * app-level ones (godo `AppSpec.Envs` vs `AppServiceSpec.Envs`). Returns a new spec; `version` empty = unchanged.
 */
export function pinAppVersion(
  spec: AppSpec,
  target: { kind: ComponentKind; component: string } | undefined,
  version: string | undefined
): AppSpec {
  if (!version || !target) return spec;
  const next = structuredClone(spec);
  const component = (next[target.kind] ?? []).find((c: ComponentSpec) => c.name === target.component);
  if (!component) return spec;
  const envs = Array.isArray(component.envs) ? (component.envs as { key?: string }[]) : [];
  component.envs = [
    ...envs.filter(e => e.key !== 'APP_VERSION'),
    { key: 'APP_VERSION', value: version, scope: 'RUN_TIME', type: 'GENERAL' }
  ];
  return next;
}
