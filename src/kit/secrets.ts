/**
 * Secret masking. Every secret is registered here before anything can print it: the glue installs a hook
 * that forwards to `core.setSecret` (the runner then masks it in the log), and `redact` masks it in text we
 * print ourselves (the local CLI has no runner to do it).
 */
const secrets = new Set<string>();
let maskHook: ((secret: string) => void) | undefined;

/** Called once by the glue, e.g. `setMaskHook(core.setSecret)`. Secrets registered earlier are replayed. */
export function setMaskHook(hook: ((secret: string) => void) | undefined): void {
  maskHook = hook;
  if (hook) for (const s of secrets) hook(s);
}

/** Registers a secret (and its URL-encoded form) for masking. Short values (< 4 chars) are kept too. */
export function registerSecret(value: string | undefined | null): void {
  if (!value) return;
  const forms = new Set([value, encodeURIComponent(value)]);
  try {
    forms.add(decodeURIComponent(value));
  } catch {
    // not percent-encoded: nothing more to add
  }
  for (const form of forms) {
    if (!form || secrets.has(form)) continue;
    secrets.add(form);
    maskHook?.(form);
  }
}

/** Registers the password (and the user-info) inside a URL such as `postgresql://user:pw@host/db`. */
export function registerUrlSecrets(url: string | undefined): void {
  if (!url) return;
  const password = urlPassword(url);
  if (password) registerSecret(password);
}

/** The password part of a URL, percent-decoded; tolerant of URLs `new URL` rejects. */
export function urlPassword(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.password ? decodeURIComponent(u.password) : undefined;
  } catch {
    const m = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:([^@]*)@/i.exec(url);
    return m?.[1] ? m[1] : undefined;
  }
}

/** A URL safe to print: the password replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
  }
}

/** Replaces every registered secret in `text` with `***`, longest first so overlaps cannot leak a tail. */
export function redact(text: string): string {
  if (secrets.size === 0) return text;
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
    out = out.split(s).join('***');
  }
  return out;
}

/** For tests: forget every registered secret. */
export function clearSecretsForTest(): void {
  secrets.clear();
}
