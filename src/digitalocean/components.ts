import { InputError } from '../kit/errors.js';
import type { AppSpec, ComponentSpec } from './types.js';

/** The components an image can run in (services, workers, jobs), found by name or as the only service. */

export const IMAGE_COMPONENT_KINDS = ['services', 'workers', 'jobs'] as const;
export type ComponentKind = (typeof IMAGE_COMPONENT_KINDS)[number];

/** `services: web; workers: (none); jobs: migrate` — for messages naming what exists. */
export function describeComponents(spec: AppSpec): string {
  return IMAGE_COMPONENT_KINDS.map(kind => {
    const names = (spec[kind] ?? []).map(c => c.name);
    return `${kind}: ${names.length ? names.join(', ') : '(none)'}`;
  }).join('; ');
}

/** Finds the component to deploy: by name among services/workers/jobs, or the only service. */
export function selectComponent(
  spec: AppSpec,
  name: string | undefined
): { kind: ComponentKind; index: number; component: ComponentSpec } {
  if (name) {
    for (const kind of IMAGE_COMPONENT_KINDS) {
      const index = (spec[kind] ?? []).findIndex(c => c.name === name);
      if (index >= 0) return { kind, index, component: spec[kind]![index]! };
    }
    throw new InputError(
      'component',
      `'${name}' is not a service, worker or job of app '${spec.name}' (${describeComponents(spec)})`
    );
  }
  const services = spec.services ?? [];
  if (services.length !== 1)
    throw new InputError(
      'component',
      `is required: app '${spec.name}' has ${services.length} services, so there is no "only service" (${describeComponents(spec)})`
    );
  return { kind: 'services', index: 0, component: services[0]! };
}
