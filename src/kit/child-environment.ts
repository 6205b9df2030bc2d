/**
 * What every program an action starts (pg_dump, pg_restore, psql, pip, Alembic, buildah, docker) gets of the
 * action's environment: all of it (env.py may read the app's own variables, buildah its storage settings) except
 * the action's inputs, which the runner passes as INPUT_* (database URLs, passphrases, S3 keys, tokens), the CLI's
 * APP_PIPELINE_<INPUT> copies of them, and the runner's credentials (ACTIONS_RUNTIME_TOKEN,
 * ACTIONS_ID_TOKEN_REQUEST_TOKEN and the other ACTIONS_* service settings, GITHUB_TOKEN), which no child needs and
 * a requirement's setup.py must never see. A child gets what it needs from `extra` only (PGPASSWORD, DATABASE_URL,
 * REGISTRY_AUTH_FILE).
 */
export function childEnvironment(
  base: NodeJS.ProcessEnv = process.env,
  extra: NodeJS.ProcessEnv = {}
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) if (!withheld(name)) env[name] = value;
  return Object.assign(env, extra);
}

function withheld(name: string): boolean {
  const upper = name.toUpperCase();
  return (
    upper.startsWith('INPUT_') ||
    upper.startsWith('ACTIONS_') ||
    upper.startsWith('APP_PIPELINE_') ||
    upper === 'GITHUB_TOKEN' ||
    upper === 'GH_TOKEN'
  );
}
