// A component's process environment, in App Platform's precedence: image config ENV < platform environment
// (`appEnv`, e.g. DATABASE_URL of the test database) < app-level envs < component envs. BUILD_TIME-only
// variables are left out; bindables (`${db.DATABASE_URL}`, `${APP_URL}`) are resolved where possible.
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Image variables that describe the image's own filesystem, meaningless for a process run on this host. */
const HOST_ONLY = ['PATH', 'HOME', 'HOSTNAME'];

export interface EnvSources {
  /** The host basics the process needs (PATH, HOME, LANG). */
  base: Record<string, string>;
  imageEnv: Record<string, string>;
  appEnv: Record<string, string>;
  /** APP_URL, APP_DOMAIN, APP_ID */
  builtins: Record<string, string>;
  appEnvs: unknown;
  componentEnvs: unknown;
  /** Plaintext of a value (opens `EV[...]`); undefined when it cannot be opened. */
  open: (value: string) => string | undefined;
}

/** `${name}`: the platform's value, a builtin, or for `${component.VAR}` the platform's `VAR`; else kept. */
export function resolveBindables(
  value: string,
  appEnv: Record<string, string>,
  builtins: Record<string, string>
): string {
  return value.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    const short = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : undefined;
    return appEnv[name] ?? builtins[name] ?? (short !== undefined ? appEnv[short] : undefined) ?? whole;
  });
}

export function componentEnv(s: EnvSources): Record<string, string> {
  const env: Record<string, string> = { ...s.base };
  for (const [k, v] of Object.entries(s.imageEnv)) if (!HOST_ONLY.includes(k)) env[k] = v;
  Object.assign(env, s.appEnv);
  for (const envs of [s.appEnvs, s.componentEnvs]) {
    if (!Array.isArray(envs)) continue;
    for (const e of envs) {
      if (!isObj(e) || typeof e.key !== 'string' || e.scope === 'BUILD_TIME') continue;
      const plain = s.open(typeof e.value === 'string' ? e.value : '');
      // A secret sealed by someone else cannot be opened: the platform's value (if any) stays.
      if (plain === undefined) continue;
      env[e.key] = resolveBindables(plain, s.appEnv, s.builtins);
    }
  }
  return env;
}
