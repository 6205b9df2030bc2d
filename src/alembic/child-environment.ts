/**
 * What pip, the virtualenv's Python and every Alembic process get of the action's environment: all of it (env.py
 * may read the app's own variables) except the action's inputs, which the runner passes as INPUT_* (the database
 * URL among them: Alembic gets it as DATABASE_URL only), and the runner's credentials (ACTIONS_RUNTIME_TOKEN,
 * ACTIONS_ID_TOKEN_REQUEST_TOKEN and the other ACTIONS_* service settings, GITHUB_TOKEN), which no migration needs
 * and a requirement's setup.py must never see.
 */
export function childEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) if (!withheld(name)) env[name] = value;
  return env;
}

function withheld(name: string): boolean {
  const upper = name.toUpperCase();
  return (
    upper.startsWith('INPUT_') ||
    upper.startsWith('ACTIONS_') ||
    upper === 'GITHUB_TOKEN' ||
    upper === 'GH_TOKEN'
  );
}
