/** Decimal numbers as text, normalized the way PostgreSQL's `trim_scale(numeric)::text` prints them. */
export interface DecimalText {
  /** Integer digits without leading zeros ('' for 0.x). */
  integer: string;
  /** Fraction digits without trailing zeros. */
  fraction: string;
  /** `-12.5`, `0.25`, `0`. */
  canon: string;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export function parseDecimalText(text: string): DecimalText | undefined {
  const m = DECIMAL.exec(text);
  if (!m || (!m[2] && !m[3])) return undefined;
  let digits = (m[2] ?? '') + (m[3] ?? '');
  let point = (m[2] ?? '').length + Number(m[4] ?? 0);
  if (Math.abs(point) > 1000) return undefined;
  if (point < 0) [digits, point] = ['0'.repeat(-point) + digits, 0];
  if (point > digits.length) digits = digits.padEnd(point, '0');
  const integer = digits.slice(0, point).replace(/^0+/, '');
  const fraction = digits.slice(point).replace(/0+$/, '');
  const zero = !integer && !fraction;
  const canon = zero ? '0' : `${m[1] === '-' ? '-' : ''}${integer || '0'}${fraction ? `.${fraction}` : ''}`;
  return { integer, fraction, canon };
}

/** The shortest decimal that reads back as `n` (JavaScript's own), without exponent notation. */
export function decimalFromNumber(n: number): string {
  const text = String(n);
  if (!/e/i.test(text)) return text;
  return parseDecimalText(text)!.canon;
}
