import { InputError } from './errors.js';
import { basicCredentials, percentEncodingPattern, secretForms } from './secret-forms.js';

/**
 * Secret masking, the one choke point. Every secret is registered here before anything can print it: the glue
 * installs a hook that forwards every literal form to `core.setSecret` (the runner then masks it in the log),
 * and `redact` masks every form in text we print ourselves (the local CLI has no runner to do it).
 */
const literals = new Set<string>();
const patterns = new Map<string, RegExp>();
let maskHook: ((secret: string) => void) | undefined;

/**
 * Secrets shorter than this are refused at the input (`checkMaskable`). GitHub's runner masks every registered
 * value whatever its length (actions/runner src/Sdk/DTLogging/Logging/SecretMasker.cs `AddValue` skips only
 * empty values; the 4-character `MinSecretLength` lives in the Azure Pipelines agent, not in actions/runner),
 * and it drops job outputs that contain one. A short secret such as the password `nightly` then also masks
 * the ordinary words it is part of: a prefix, an object key, a log line — garbling outputs and revealing the
 * secret by where the `***` appear. 8 is the floor of common password rules (NIST SP 800-63B) and longer
 * than the words such values are made of.
 */
export const MIN_SECRET_LENGTH = 8;

/** Called once by the glue, e.g. `setMaskHook(core.setSecret)`. Secrets registered earlier are replayed. */
export function setMaskHook(hook: ((secret: string) => void) | undefined): void {
  maskHook = hook;
  if (hook) for (const s of literals) hook(s);
}

/**
 * Registers a secret in every form it can be printed in (see secret-forms.ts): as given, each
 * percent-encoding, JSON-escaped, base64 at every alignment, SQLAlchemy's URL form. A value that is itself
 * percent-encoded also registers its decoded form.
 */
export function registerSecret(value: string | undefined | null): void {
  if (!value) return;
  const values = new Set([value]);
  try {
    values.add(decodeURIComponent(value));
  } catch {
    // not percent-encoded: nothing more to add
  }
  for (const v of values) {
    for (const form of secretForms(v)) addLiteral(form);
    const source = percentEncodingPattern(v);
    if (source && !patterns.has(v)) patterns.set(v, new RegExp(source, 'g'));
  }
}

/** Registers a user and password pair: the password in every form and base64 `user:password` (Basic, docker auth). */
export function registerCredentials(user: string | undefined, password: string | undefined | null): void {
  if (!password) return;
  registerSecret(password);
  if (user !== undefined) addLiteral(basicCredentials(user, password));
}

/** Registers the credentials inside a URL such as `postgresql://user:pw@host/db`: its user-info and password. */
export function registerUrlSecrets(url: string | undefined): void {
  if (!url) return;
  const password = urlPassword(url);
  if (!password) return;
  const user = urlUser(url);
  registerCredentials(user, password);
  // The password exactly as written in the URL (any mix of encodings the user chose).
  const written = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:([^@]*)@/i.exec(url)?.[1];
  if (written) addLiteral(written);
}

/**
 * Refuses a secret too short to mask safely (see MIN_SECRET_LENGTH) with one line naming the input and,
 * for a URL, which part. Never prints the value.
 */
export function checkMaskable(input: string, value: string | undefined, what = 'value'): void {
  if (value === undefined || value === '' || value.length >= MIN_SECRET_LENGTH) return;
  throw new InputError(
    input,
    `is a secret whose ${what} is ${value.length} characters long: secrets shorter than ${MIN_SECRET_LENGTH} ` +
      'characters cannot be masked in logs without also masking ordinary text; use a longer one'
  );
}

/** The password part of a URL, percent-decoded; tolerant of URLs `new URL` rejects. */
export function urlPassword(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.password ? safeDecode(u.password) : undefined;
  } catch {
    const m = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:([^@]*)@/i.exec(url);
    return m?.[1] ? m[1] : undefined;
  }
}

function urlUser(url: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^:/@]*):/i.exec(url);
  return m ? safeDecode(m[1]!) : undefined;
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

/**
 * Replaces every registered secret in `text` with `***`. All matches (literal forms and percent-encoding
 * patterns) are found first and overlapping ones merged, so no overlap can leave a tail visible.
 */
export function redact(text: string): string {
  if (literals.size === 0 || !text) return text;
  const ranges: Array<[number, number]> = [];
  for (const s of literals) {
    for (let i = text.indexOf(s); i !== -1; i = text.indexOf(s, i + 1)) ranges.push([i, i + s.length]);
  }
  for (const re of patterns.values()) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      ranges.push([m.index, m.index + m[0].length]);
      if (m[0].length === 0) re.lastIndex++;
    }
  }
  if (ranges.length === 0) return text;
  ranges.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  let current = ranges[0]!;
  for (const r of ranges.slice(1)) {
    if (r[0] <= current[1]) current = [current[0], Math.max(current[1], r[1])];
    else {
      out += `${text.slice(at, current[0])}***`;
      at = current[1];
      current = r;
    }
  }
  out += `${text.slice(at, current[0])}***${text.slice(current[1])}`;
  return out;
}

/** Whether `text` holds any registered secret in any form. */
export function containsSecret(text: string): boolean {
  return redact(text) !== text;
}

/** For tests: forget every registered secret. */
export function clearSecretsForTest(): void {
  literals.clear();
  patterns.clear();
}

function addLiteral(form: string): void {
  if (!form || literals.has(form)) return;
  literals.add(form);
  maskHook?.(form);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
