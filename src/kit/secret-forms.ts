/**
 * The forms a secret takes when other code prints it. Pure: `secretForms` lists the literal strings (what the
 * runner's `add-mask` needs, it matches literally), `percentEncodingPattern` matches every percent-encoding
 * at once (any mix of encoded and plain characters, upper- or lower-case hex, `+` for a space) for our own
 * `redact`.
 */

/** Base64 fragments shorter than this would mask ordinary base64 text (digests, ETags) by chance. */
const MIN_BASE64_FRAGMENT = 8;

/** Every literal form of `value` worth masking, the value itself first; no duplicates, no empty strings. */
export function secretForms(value: string): string[] {
  if (!value) return [];
  const forms = [
    value,
    // JavaScript: encodeURIComponent keeps A-Z a-z 0-9 - _ . ! ~ * ' ( ); encodeURI also keeps ; , / ? : @ & = + $ #
    safeEncode(encodeURIComponent, value),
    safeEncode(encodeURI, value),
    // Python: urllib.parse.quote (safe='/' by default, and safe=''), quote_plus (space as '+', safe='')
    percentEncode(value, PYTHON_UNRESERVED + '/'),
    percentEncode(value, PYTHON_UNRESERVED),
    percentEncode(value, PYTHON_UNRESERVED, { plusForSpace: true }),
    // application/x-www-form-urlencoded (URLSearchParams, HTML forms): keeps * - . _, space as '+'
    percentEncode(value, FORM_UNRESERVED, { plusForSpace: true }),
    // SQLAlchemy 1.4 `str(url)` / `render_as_string(hide_password=False)` escapes only : @ / (url.py
    // `_sqla_url_quote`); the python3-sqlalchemy 1.4.46 of Debian 12 prints the password that way.
    value.replace(/[:@/]/g, c => `%${hex(c.charCodeAt(0))}`),
    // JSON string bodies (an API error echoing a request) escape " \ and control characters.
    JSON.stringify(value).slice(1, -1),
    // ... and ASCII-only JSON (Python's json.dumps default) writes other characters as \uXXXX.
    JSON.stringify(value)
      .slice(1, -1)
      .replace(/[\u0080-\uffff]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    ...base64Forms(value)
  ];
  // The lower-case hex variant of every percent-encoded form (Go, some Python code, hand-written URLs).
  for (const form of [...forms])
    if (/%[0-9A-F]{2}/.test(form)) forms.push(form.replace(/%[0-9A-F]{2}/g, m => m.toLowerCase()));
  return [...new Set(forms.filter(f => f !== ''))];
}

/**
 * A regular expression source matching `value` in any percent-encoding: each character as itself or as the
 * `%XX` of each of its UTF-8 bytes (either case), a space also as `+`. Undefined when the value has nothing an
 * encoder could change.
 */
export function percentEncodingPattern(value: string): string | undefined {
  if (!value) return undefined;
  const parts: string[] = [];
  for (const ch of value) {
    const encoded = [...Buffer.from(ch, 'utf8')].map(b => `%${caseless(hex(b))}`).join('');
    const alternatives = [escapeRegExp(ch), encoded];
    if (ch === ' ') alternatives.push('\\+');
    parts.push(`(?:${alternatives.join('|')})`);
  }
  return parts.join('');
}

/**
 * base64 of the value at each of the three byte alignments it can have inside a longer base64 text, such as
 * `Authorization: Basic base64(user:password)` or a docker `auth.json`: only the characters that depend on the
 * value's bytes alone (GitHub's runner does the same: ValueEncoders.Base64StringEscapeShift1/2 in
 * actions/runner src/Sdk/DTLogging/Logging/ValueEncoders.cs). The padded standalone encoding is listed too.
 */
export function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms = [bytes.toString('base64')];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    // Characters [start, end) carry only bits of the value: 6 bits a character, 8 a byte.
    const start = Math.ceil((8 * shift) / 6);
    const end = Math.floor((8 * (shift + bytes.length)) / 6);
    forms.push(encoded.slice(start, end));
  }
  return [...new Set(forms)].filter(f => f.length >= MIN_BASE64_FRAGMENT);
}

/** base64 of `user:password`, the Basic credentials and docker `auth` form of a user and password pair. */
export function basicCredentials(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Python 3.7+ urllib.parse.quote never encodes these (RFC 3986 unreserved). */
const PYTHON_UNRESERVED = `${ALNUM}_.-~`;
/** The WHATWG urlencoded serializer never encodes these. */
const FORM_UNRESERVED = `${ALNUM}*-._`;

function percentEncode(value: string, safe: string, opts: { plusForSpace?: boolean } = {}): string {
  let out = '';
  for (const ch of value) {
    if (safe.includes(ch)) out += ch;
    else if (ch === ' ' && opts.plusForSpace) out += '+';
    else out += [...Buffer.from(ch, 'utf8')].map(b => `%${hex(b)}`).join('');
  }
  return out;
}

function safeEncode(encode: (v: string) => string, value: string): string {
  try {
    return encode(value);
  } catch {
    return value; // a lone surrogate: no other encoder prints it either
  }
}

const hex = (b: number) => b.toString(16).toUpperCase().padStart(2, '0');
const caseless = (h: string) => [...h].map(c => (/[A-F]/.test(c) ? `[${c}${c.toLowerCase()}]` : c)).join('');
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
