import { parseDatetimeText, parseTimeText, type DatetimeParts } from './datetime-text.js';
import { parseDecimalText, decimalFromNumber } from './decimal-text.js';

/** A value as node:sqlite returns it (read with `setReadBigInts(true)`): one per SQLite storage class. */
export type SqliteValue = null | bigint | number | string | Uint8Array;

/**
 * A non-NULL SQLite value made ready for PostgreSQL: `copy` is the COPY text field (before escaping), `canon`
 * the normalized form the checksum hashes. `canon` comes from our own reading of the source value and the
 * target's canon from PostgreSQL's reading of `copy` (see `canonSql`), so a conversion PostgreSQL does
 * differently from us shows up as a checksum mismatch instead of passing silently.
 */
export interface Converted {
  copy: string;
  canon: string;
}

/** What the importer knows about one target column (from pg_attribute / pg_type). */
export interface TargetColumn {
  name: string;
  /** format_type(), e.g. `character varying(20)`: for messages. */
  type: string;
  /** pg_type.typname of the base type, e.g. `int8`, `timestamptz`, `varchar`. */
  typname: string;
  /** Enum labels when the type is an enum. */
  enumLabels?: string[];
  /** varchar(n) / char(n) length; numeric precision and scale. */
  maxLength?: number;
  precision?: number;
  scale?: number;
  notNull: boolean;
  hasDefault: boolean;
  generated: boolean;
  /** The sequence behind a serial or identity column (pg_get_serial_sequence). */
  sequence?: string;
}

export interface ColumnConverter {
  /** Converts one non-NULL value, or returns why it cannot be converted without loss. */
  convert(value: Exclude<SqliteValue, null>): Converted | string;
  /** SQL computing the same canon from the stored column `ident` (NULL stays NULL). */
  canonSql(ident: string): string;
}

const INT_RANGES: Record<string, [bigint, bigint]> = {
  int2: [-(2n ** 15n), 2n ** 15n - 1n],
  int4: [-(2n ** 31n), 2n ** 31n - 1n],
  int8: [-(2n ** 63n), 2n ** 63n - 1n]
};

function storageClass(value: Exclude<SqliteValue, null>): string {
  if (typeof value === 'bigint') return 'an INTEGER';
  // Integers are read as numbers: a whole number is named as one (a REAL 2.0 reads the same).
  if (typeof value === 'number') return Number.isInteger(value) ? 'an INTEGER' : 'a REAL';
  if (typeof value === 'string') return 'a TEXT';
  return 'a BLOB';
}

/** A short, printable form of a value for a problem line (texts are not shown: they may be personal data). */
export function describeValue(value: Exclude<SqliteValue, null>): string {
  if (typeof value === 'string') return `${storageClass(value)} of ${value.length} characters`;
  if (value instanceof Uint8Array) return `${storageClass(value)} of ${value.length} bytes`;
  return `${storageClass(value)} ${String(value)}`;
}

function shown(value: Exclude<SqliteValue, null>): string {
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  return describeValue(value);
}

const integer = (typname: string): ColumnConverter => {
  const [min, max] = INT_RANGES[typname]!;
  const [minN, maxN] = [Number(min), Number(max)];
  return {
    convert(value) {
      let n: bigint;
      if (typeof value === 'number') {
        // Integers are read as numbers (node:sqlite refuses, rather than rounds, one beyond 2^53).
        if (!Number.isSafeInteger(value)) return `${describeValue(value)} is not a whole number`;
        if (value < minN || value > maxN) return `${value} is out of range for ${typname} (${min} to ${max})`;
        const text = String(value);
        return { copy: text, canon: text };
      }
      if (typeof value === 'bigint') n = value;
      else if (typeof value === 'string' && /^[+-]?\d{1,20}$/.test(value)) n = BigInt(value);
      else return `${describeValue(value)} is not an integer`;
      if (n < min || n > max) return `${n} is out of range for ${typname} (${min} to ${max})`;
      const text = n.toString();
      return { copy: text, canon: text };
    },
    canonSql: ident => `${ident}::text`
  };
};

const boolean: ColumnConverter = {
  convert(value) {
    if (value === 0 || value === 0n) return { copy: 'f', canon: '0' };
    if (value === 1 || value === 1n) return { copy: 't', canon: '1' };
    return `${describeValue(value)} is not a boolean 0 or 1`;
  },
  canonSql: ident => `${ident}::int::text`
};

/** Characters as PostgreSQL counts them (code points), only counted when the UTF-16 length could exceed n. */
function tooLong(text: string, max: number | undefined): number | undefined {
  if (max === undefined || text.length <= max) return undefined;
  let count = 0;
  for (const _ of text) count++;
  return count > max ? count : undefined;
}

function textual(col: TargetColumn): ColumnConverter {
  const padded = col.typname === 'bpchar';
  return {
    convert(value) {
      let text: string;
      if (typeof value === 'string') text = value;
      else if (typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value)))
        text = value.toString();
      else return `${describeValue(value)} in a ${col.type} column`;
      if (text.includes('\u0000'))
        return `${describeValue(value)} contains a NUL character, which PostgreSQL text cannot hold`;
      const length = tooLong(text, col.maxLength);
      if (length !== undefined) return `${length} characters do not fit ${col.type} (the text would be cut)`;
      // char(n) pads with spaces and ::text strips them again: compare without trailing spaces.
      return { copy: text, canon: padded ? text.replace(/ +$/, '') : text };
    },
    canonSql: ident => `${ident}::text`
  };
}

function numeric(col: TargetColumn): ColumnConverter {
  return {
    convert(value) {
      let source: string;
      if (typeof value === 'bigint') source = value.toString();
      else if (typeof value === 'number') {
        if (!Number.isFinite(value)) return `${describeValue(value)} is not a finite number`;
        source = decimalFromNumber(value);
      } else if (typeof value === 'string') source = value.trim();
      else return `${describeValue(value)} is not a number`;
      const d = parseDecimalText(source);
      if (!d) return `${shown(value)} is not a decimal number`;
      if (col.scale !== undefined && d.fraction.length > col.scale)
        return `${source} has more than ${col.scale} decimal places; ${col.type} would round it`;
      if (col.precision !== undefined && d.integer.length > col.precision - (col.scale ?? 0))
        return `${source} is out of range for ${col.type}`;
      return { copy: source, canon: d.canon };
    },
    // trim_scale (PostgreSQL 13+) drops the zeros numeric(p,s) pads the scale with.
    canonSql: ident => `trim_scale(${ident})::text`
  };
}

function bitsHex(value: number, width: 4 | 8): string {
  const b = Buffer.alloc(width);
  if (width === 8) b.writeDoubleBE(value);
  else b.writeFloatBE(value);
  return b.toString('hex');
}

const FLOAT_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function float(typname: 'float4' | 'float8'): ColumnConverter {
  const width = typname === 'float8' ? 8 : 4;
  return {
    convert(value) {
      let n: number;
      let copy: string;
      if (typeof value === 'number') [n, copy] = [value, String(value)];
      else if (typeof value === 'bigint') {
        n = Number(value);
        if (BigInt(n) !== value) return `${value} has more digits than double precision holds`;
        copy = value.toString();
      } else if (typeof value === 'string' && FLOAT_TEXT.test(value.trim())) {
        copy = value.trim();
        n = Number(copy);
      } else return `${describeValue(value)} is not a number`;
      if (width === 4 && Math.fround(n) !== n)
        return `${copy} does not fit real (single precision) exactly; use double precision`;
      return { copy, canon: bitsHex(n, width) };
    },
    // The IEEE bits, so no text formatting of floats has to agree between JavaScript and PostgreSQL.
    canonSql: ident => `encode(${typname}send(${ident}), 'hex')`
  };
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const isoDate = (p: DatetimeParts) => `${String(p.year).padStart(4, '0')}-${pad2(p.month)}-${pad2(p.day)}`;
const isoDatetime = (p: DatetimeParts) =>
  `${isoDate(p)}T${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)}.${String(p.microsecond).padStart(6, '0')}`;

function datetime(typname: 'date' | 'timestamp' | 'timestamptz'): ColumnConverter {
  const format = `'YYYY-MM-DD"T"HH24:MI:SS.US'`;
  return {
    convert(value) {
      if (typeof value !== 'string')
        return `${describeValue(value)} is not a date/time text (${typname} takes ISO 8601 text such as 2026-03-01 18:30:00)`;
      const parsed = parseDatetimeText(value);
      if (typeof parsed === 'string') return `${shown(value)} ${parsed}`;
      if (typname === 'date') {
        if (parsed.hasTime || parsed.offsetMinutes !== undefined)
          return `${shown(value)} has a time of day a date column would drop`;
        return { copy: value.trim(), canon: isoDate(parsed.local) };
      }
      if (typname === 'timestamp') {
        if (parsed.offsetMinutes !== undefined)
          return `${shown(value)} has a UTC offset a timestamp without time zone column would drop`;
        return { copy: value.trim(), canon: isoDatetime(parsed.local) };
      }
      // timestamptz: text without an offset is UTC (SQLite's CURRENT_TIMESTAMP and SQLAlchemy's naive datetimes).
      if (!parsed.utc) return `${shown(value)} is outside the years 1 to 9999 once converted to UTC`;
      return { copy: value.trim(), canon: isoDatetime(parsed.utc) };
    },
    canonSql:
      typname === 'date'
        ? ident => `to_char(${ident}, 'YYYY-MM-DD')`
        : typname === 'timestamp'
          ? ident => `to_char(${ident}, ${format})`
          : ident => `to_char(${ident} AT TIME ZONE 'UTC', ${format})`
  };
}

const time: ColumnConverter = {
  convert(value) {
    if (typeof value !== 'string') return `${describeValue(value)} is not a time text (HH:MM:SS)`;
    const parsed = parseTimeText(value);
    if (typeof parsed === 'string') return `${shown(value)} ${parsed}`;
    return {
      copy: value.trim(),
      canon: `${pad2(parsed.hour)}:${pad2(parsed.minute)}:${pad2(parsed.second)}.${String(parsed.microsecond).padStart(6, '0')}`
    };
  },
  canonSql: ident => `to_char(date '2000-01-01' + ${ident}, 'HH24:MI:SS.US')`
};

const bytea: ColumnConverter = {
  convert(value) {
    if (!(value instanceof Uint8Array))
      return `${describeValue(value)} in a bytea column (only BLOBs are copied as bytes)`;
    const hex = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
    return { copy: `\\x${hex}`, canon: hex };
  },
  canonSql: ident => `encode(${ident}, 'hex')`
};

const UUID_TEXT = /^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

const uuid: ColumnConverter = {
  convert(value) {
    let hex: string;
    if (typeof value === 'string' && UUID_TEXT.test(value)) hex = value.replace(/-/g, '').toLowerCase();
    else if (value instanceof Uint8Array && value.length === 16) hex = Buffer.from(value).toString('hex');
    else return `${describeValue(value)} is not a UUID`;
    const canon = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    return { copy: typeof value === 'string' ? value : canon, canon };
  },
  canonSql: ident => `${ident}::text`
};

const json: ColumnConverter = {
  convert(value) {
    if (typeof value !== 'string') return `${describeValue(value)} is not JSON text`;
    try {
      JSON.parse(value);
    } catch {
      return `${describeValue(value)} is not valid JSON`;
    }
    if (value.includes('\u0000')) return `${describeValue(value)} contains a NUL character`;
    return { copy: value, canon: value };
  },
  // json keeps its text verbatim (jsonb would not: it is not supported for that reason).
  canonSql: ident => `${ident}::text`
};

function enumeration(col: TargetColumn): ColumnConverter {
  const labels = new Set(col.enumLabels);
  return {
    convert(value) {
      if (typeof value !== 'string' || !labels.has(value))
        return `${shown(value)} is not one of ${col.type}'s labels (${[...labels].join(', ')})`;
      return { copy: value, canon: value };
    },
    canonSql: ident => `${ident}::text`
  };
}

/** The converter for a target column, or why the importer cannot fill a column of its type. */
export function converterFor(col: TargetColumn): ColumnConverter | string {
  if (col.enumLabels) return enumeration(col);
  switch (col.typname) {
    case 'int2':
    case 'int4':
    case 'int8':
      return integer(col.typname);
    case 'bool':
      return boolean;
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'citext':
      return textual(col);
    case 'numeric':
      return numeric(col);
    case 'float4':
    case 'float8':
      return float(col.typname);
    case 'date':
    case 'timestamp':
    case 'timestamptz':
      return datetime(col.typname);
    case 'time':
      return time;
    case 'bytea':
      return bytea;
    case 'uuid':
      return uuid;
    case 'json':
      return json;
    default:
      return `type ${col.type} is not supported by import-sqlite (supported: integers, boolean, text/varchar/char, numeric, real/double precision, date, timestamp, timestamptz, time, bytea, uuid, json, enums)`;
  }
}
