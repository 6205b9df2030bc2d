import type { DigitalOceanClient } from './client.js';
import type { App } from './types.js';

/**
 * The deployment a spec update or app creation started. DigitalOcean says a spec update always creates one
 * (doctl PR #1143: "Even in a 'no-op' update, a deployment is created"; godo PR #601: pending_deployment is
 * set on CreateApp/UpdateApp answers), so we never POST another (app_action PR #8 removed exactly that: "two
 * builds"). When the answer lacks `pending_deployment` (app_action's and godo's fixtures; Terraform PR #1477
 * says it can be unset "e.g., during app creation"), the app is read back and then the deployments listed,
 * as Terraform does; `known` are the deployments that existed before, so an older one is never taken.
 */
export async function findStartedDeployment(
  client: DigitalOceanClient,
  answer: App,
  known: ReadonlySet<string>
): Promise<string> {
  const fresh = (id: string | undefined) => (id && !known.has(id) ? id : undefined);
  const fromAnswer = fresh(answer.pending_deployment?.id);
  if (fromAnswer) return fromAnswer;
  const app = await client.getApp(answer.id);
  const fromApp = fresh(app.pending_deployment?.id) ?? fresh(app.in_progress_deployment?.id);
  if (fromApp) return fromApp;
  // Newest first, as the API lists them.
  const listed = await client.listDeployments(answer.id, { perPage: 5 });
  const newest = listed.find(d => fresh(d.id) && d.phase !== 'CANCELED');
  if (newest) return newest.id;
  throw new Error(
    `App Platform accepted the spec of app ${answer.id} but names no deployment for it (no pending_deployment, ` +
      `nothing new among the ${listed.length} newest deployments); not creating one, which would build twice. ` +
      `See the app's deployments (doctl apps list-deployments ${answer.id})`
  );
}

/** Ids of the deployments an app shows now (the ones a later answer must not be mistaken for). */
export function knownDeployments(app: App | undefined): Set<string> {
  const ids = [
    app?.active_deployment,
    app?.pending_deployment,
    app?.in_progress_deployment,
    app?.pinned_deployment
  ]
    .map(d => d?.id)
    .filter((id): id is string => !!id);
  return new Set(ids);
}
