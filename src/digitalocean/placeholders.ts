/**
 * App-wide variables App Platform resolves itself when they are unset here (app_action utils/env.go keeps
 * them too; docs: use-environment-variables#app-wide-variables).
 */
const APP_WIDE = new Set(['APP_URL', 'APP_DOMAIN', 'APP_ID']);

export interface Substitution {
  value: unknown;
  /** Names substituted, with their values (masked by the caller). */
  substituted: Map<string, string>;
  /** Unset names without an App Platform meaning: the deploy fails naming them all. */
  missing: string[];
  /** Unset names left as written for App Platform: bindables (`${db.DATABASE_URL}`), app-wide, opted out. */
  kept: string[];
}

export interface PlaceholderOptions {
  /** Unset names to leave as written (App Platform resolves them); `'*'`: every unset name. */
  keep?: ReadonlySet<string> | '*';
}

/**
 * Placeholders as app_action expands them (Go's os.Expand on the spec): `${VAR}` and `$VAR`, from `env`, in
 * every string of the parsed spec (not the YAML text, so a value with `:` or `#` cannot change the document's
 * structure). Unlike app_action, an unset `VAR` is not silently deployed as "" (or as the literal text): it is
 * reported as missing, unless App Platform resolves it itself (a dotted bindable such as `${db.DATABASE_URL}`
 * or `${_self.PRIVATE_URL}`, an app-wide `${APP_URL}`) or `keep` names it. `$$` writes one `$`.
 */
export function substituteEnv(
  value: unknown,
  env: Record<string, string | undefined>,
  opts: PlaceholderOptions = {}
): Substitution {
  const substituted = new Map<string, string>();
  const missing = new Set<string>();
  const kept = new Set<string>();
  const keepAll = opts.keep === '*';
  const keep = opts.keep instanceof Set ? opts.keep : new Set<string>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string')
      return v.replace(
        /\$\$|\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
        (whole, braced: string | undefined, bare: string | undefined) => {
          if (whole === '$$') return '$';
          const name = (braced ?? bare)!;
          const written = braced !== undefined ? whole : `\${${name}}`;
          if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
            // `${db.DATABASE_URL}`, `${_self.X}`: bindables App Platform resolves.
            kept.add(name);
            return whole;
          }
          const replacement = env[name];
          if (replacement !== undefined) {
            substituted.set(name, replacement);
            return replacement;
          }
          if (APP_WIDE.has(name) || keepAll || keep.has(name)) {
            kept.add(name);
            return written;
          }
          missing.add(name);
          return whole;
        }
      );
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { value: walk(value), substituted, missing: [...missing], kept: [...kept] };
}
