import { InputError } from './errors.js';
import { MAX_DURATION_MS, parseDuration } from './duration.js';
import { checkMaskable, registerSecret, registerUrlSecrets, urlPassword } from './secrets.js';

/**
 * Typed input readers. They read `INPUT_<NAME>` exactly as `@actions/core.getInput` does (upper-cased,
 * spaces to `_`, dashes kept), so logic under src/ stays free of the toolkit and the CLI can feed them the
 * same way. Every failure is an InputError naming the input.
 */
export type InputSource = (name: string) => string | undefined;

export const envInputSource: InputSource = name =>
  process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`];

export class Inputs {
  constructor(private readonly source: InputSource = envInputSource) {}

  /** The trimmed value, or undefined when empty/absent. */
  raw(name: string): string | undefined {
    const v = this.source(name)?.trim();
    return v ? v : undefined;
  }

  string(name: string, opts: { required: true; hint?: string }): string;
  string(name: string, opts?: { required?: false; default?: string }): string | undefined;
  string(name: string, opts: { default: string }): string;
  string(name: string, opts: { required?: boolean; hint?: string }): string | undefined;
  string(
    name: string,
    opts: { required?: boolean; default?: string; hint?: string } = {}
  ): string | undefined {
    const v = this.raw(name);
    if (v !== undefined) return v;
    if (opts.required) throw new InputError(name, `is required${opts.hint ? `: ${opts.hint}` : ''}`);
    return opts.default;
  }

  /** A secret: masked before anything else can see it; refused when too short to mask (MIN_SECRET_LENGTH). */
  secret(name: string, opts: { required: true; hint?: string }): string;
  secret(name: string, opts?: { required?: boolean; hint?: string }): string | undefined;
  secret(name: string, opts: { required?: boolean; hint?: string } = {}): string | undefined {
    // Mask the untrimmed value too: a secret pasted with a trailing newline is still a secret.
    const untrimmed = this.source(name);
    const v = this.raw(name);
    checkMaskable(name, v);
    if (untrimmed) registerSecret(untrimmed);
    if (v) registerSecret(v);
    if (v === undefined && opts.required)
      throw new InputError(name, `is required${opts.hint ? `: ${opts.hint}` : ''}`);
    return v;
  }

  boolean(name: string, defaultValue: boolean): boolean {
    const v = this.raw(name);
    if (v === undefined) return defaultValue;
    const lower = v.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    throw new InputError(name, `must be 'true' or 'false', got '${v}'`);
  }

  integer(name: string, opts: { default: number; min?: number; max?: number }): number {
    const v = this.raw(name);
    if (v === undefined) return opts.default;
    if (!/^-?\d+$/.test(v)) throw new InputError(name, `must be a whole number, got '${v}'`);
    const n = Number(v);
    if (opts.min !== undefined && n < opts.min)
      throw new InputError(name, `must be at least ${opts.min}, got ${n}`);
    if (opts.max !== undefined && n > opts.max)
      throw new InputError(name, `must be at most ${opts.max}, got ${n}`);
    return n;
  }

  /** A duration in milliseconds: `90s`, `5m`, `1h`, or plain seconds; never more than MAX_DURATION_MS. */
  duration(name: string, defaultValue: string, opts: { min?: number; max?: number } = {}): number {
    const v = this.raw(name) ?? defaultValue;
    const ms = parseDuration(v);
    if (ms === undefined)
      throw new InputError(name, `must be a duration such as 90s, 5m, 1h or a number of seconds, got '${v}'`);
    if (opts.min !== undefined && ms < opts.min)
      throw new InputError(name, `must be at least ${opts.min / 1000}s, got '${v}'`);
    if (opts.max !== undefined && ms > opts.max)
      throw new InputError(name, `must be at most ${opts.max / 1000}s, got '${v}'`);
    if (ms > MAX_DURATION_MS)
      throw new InputError(
        name,
        `must be at most ${MAX_DURATION_MS / 3_600_000}h (5 days, the longest a GitHub job can run), got '${v}'`
      );
    return ms;
  }

  enumeration<T extends string>(name: string, allowed: readonly T[], defaultValue: T): T {
    const v = this.raw(name);
    if (v === undefined) return defaultValue;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    throw new InputError(name, `must be one of ${allowed.join(', ')}, got '${v}'`);
  }

  /**
   * A URL with one of the given protocols (`['https:', 'http:']`). When `secretPassword` is set the password
   * inside it is masked first (database URLs).
   */
  url(name: string, opts: { protocols: string[]; required: true; secretPassword?: boolean }): URL;
  url(
    name: string,
    opts: { protocols: string[]; required?: false; secretPassword?: boolean }
  ): URL | undefined;
  url(
    name: string,
    opts: { protocols: string[]; required?: boolean; secretPassword?: boolean }
  ): URL | undefined {
    const v = this.raw(name);
    if (v !== undefined && opts.secretPassword) {
      checkMaskable(name, urlPassword(v), 'password');
      registerUrlSecrets(v);
    }
    if (v === undefined) {
      if (opts.required) throw new InputError(name, 'is required');
      return undefined;
    }
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      throw new InputError(name, `is not a valid URL${opts.secretPassword ? '' : `: '${v}'`}`);
    }
    if (!opts.protocols.includes(u.protocol))
      throw new InputError(
        name,
        `must start with ${opts.protocols.map(p => `${p}//`).join(' or ')}, got '${u.protocol}//'`
      );
    return u;
  }

  /** A list: one item a line (commas also separate unless `lines` only). Blank lines and `#` comments dropped. */
  list(name: string, opts: { commas?: boolean } = {}): string[] {
    const v = this.raw(name);
    if (v === undefined) return [];
    const parts = opts.commas === false ? v.split(/\r?\n/) : v.split(/\r?\n|,/);
    return parts.map(s => s.trim()).filter(s => s !== '' && !s.startsWith('#'));
  }
}
