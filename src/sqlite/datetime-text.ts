/**
 * Reading the date/time texts SQLite databases hold: SQLAlchemy's `2026-03-01 18:30:00.000000` (naive, no
 * offset), SQLite's CURRENT_TIMESTAMP `2026-03-01 18:30:00`, and ISO 8601 with `T`, `Z` or `±HH:MM` offsets
 * (Python's `isoformat()`). Anything else is refused rather than guessed.
 */
export interface DatetimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
}

export interface ParsedDatetime {
  /** The fields as written. */
  local: DatetimeParts;
  hasTime: boolean;
  /** Minutes east of UTC when the text has an offset. */
  offsetMinutes?: number;
  /** The instant in UTC (the offset applied, or none: UTC); undefined when it leaves the years 1..9999. */
  utc?: DatetimeParts;
}

const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/;

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, m: number) =>
  [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function fraction(digits: string | undefined): number | string {
  if (!digits) return 0;
  if (digits.length > 6)
    return 'has fractional seconds finer than microseconds (PostgreSQL would round them)';
  return Number(digits.padEnd(6, '0'));
}

/** Parses a date/time text, or returns why it is not one PostgreSQL can take without loss. */
export function parseDatetimeText(text: string): ParsedDatetime | string {
  const m = DATETIME.exec(text.trim());
  if (!m) return 'is not an ISO 8601 date/time (YYYY-MM-DD[ HH:MM[:SS[.ffffff]]][±HH:MM])';
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (year < 1) return 'has year 0, which PostgreSQL does not have';
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return 'is not a calendar date';
  if (hour > 23 || minute > 59 || second > 59) return 'is not a time of day';
  const microsecond = fraction(m[7]);
  if (typeof microsecond === 'string') return microsecond;
  const local = { year, month, day, hour, minute, second, microsecond };
  let offsetMinutes: number | undefined;
  if (m[8]) {
    if (m[8] === 'Z' || m[8] === 'z') offsetMinutes = 0;
    else {
      const digits = m[8].replace(':', '');
      const oh = Number(digits.slice(1, 3));
      const om = Number(digits.slice(3, 5) || '0');
      if (oh > 15 || om > 59) return 'has a UTC offset PostgreSQL does not accept';
      offsetMinutes = (digits[0] === '-' ? -1 : 1) * (oh * 60 + om);
    }
  }
  // Most texts have no offset (or Z): the UTC fields are the written ones.
  if (!offsetMinutes) return { local, hasTime: m[4] !== undefined, offsetMinutes, utc: local };
  const minutes = daysFromCivil(year, month, day) * 1440 + hour * 60 + minute - offsetMinutes;
  const days = Math.floor(minutes / 1440);
  const [uy, um, ud] = civilFromDays(days);
  const rest = minutes - days * 1440;
  const utc =
    uy >= 1 && uy <= 9999
      ? { year: uy, month: um, day: ud, hour: Math.floor(rest / 60), minute: rest % 60, second, microsecond }
      : undefined;
  return { local, hasTime: m[4] !== undefined, offsetMinutes, utc };
}

export function parseTimeText(
  text: string
): { hour: number; minute: number; second: number; microsecond: number } | string {
  const m = TIME.exec(text.trim());
  if (!m) return 'is not a time of day (HH:MM[:SS[.ffffff]])';
  const [hour, minute, second] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return 'is not a time of day';
  const microsecond = fraction(m[4]);
  if (typeof microsecond === 'string') return microsecond;
  return { hour, minute, second, microsecond };
}
