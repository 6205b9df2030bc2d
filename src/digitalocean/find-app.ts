import { InputError } from '../kit/errors.js';
import type { DigitalOceanClient } from './client.js';
import type { App, AppSpec } from './types.js';

/**
 * The app to deploy: by `app-id`, else by `app-name` or the spec file's name. Undefined means "create it", which
 * needs a spec file whose name is the one asked for.
 */
export async function findApp(
  client: DigitalOceanClient,
  target: { appId?: string; appName?: string },
  fileSpec: AppSpec | undefined
): Promise<App | undefined> {
  if (target.appId) return client.getApp(target.appId);
  const name = target.appName ?? fileSpec?.name;
  if (!name) throw new InputError('app-id', 'or app-name (or an app-spec with a name) is required');
  const app = await client.findAppByName(name);
  if (!app && !fileSpec)
    throw new InputError('app-name', `'${name}': no such app; give app-spec to create it`);
  if (!app && fileSpec && fileSpec.name !== name)
    throw new InputError(
      'app-name',
      `'${name}' differs from the name in app-spec ('${fileSpec.name}'); the created app would be '${fileSpec.name}'`
    );
  return app;
}
