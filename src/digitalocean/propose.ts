import { InputError, RemoteError } from '../kit/errors.js';
import type { DeployRun } from './deploy-run.js';
import type { AppProposeResponse, AppSpec } from './types.js';

/**
 * App Platform's own check of a spec before anything changes (`POST /v2/apps/propose`). A 4xx other than 429 is
 * App Platform rejecting the spec: an input error on app-spec, with the server's message and request id. The
 * cost estimate goes to the summary's notes.
 */
export async function proposeSpec(
  run: DeployRun,
  spec: AppSpec,
  appId?: string
): Promise<AppProposeResponse> {
  try {
    const proposal = await run.client.proposeApp(spec, appId);
    if (proposal.app_cost !== undefined)
      run.notes.push(`App Platform estimates the app at $${proposal.app_cost}/month.`);
    return proposal;
  } catch (error) {
    if (
      error instanceof RemoteError &&
      error.status !== undefined &&
      error.status >= 400 &&
      error.status < 500 &&
      error.status !== 429
    )
      throw new InputError(
        'app-spec',
        `was rejected by App Platform (${error.call}): ${error.serverMessage ?? error.message}${error.requestId ? ` (request id ${error.requestId})` : ''}`
      );
    throw error;
  }
}
