// The pure parts of import-sqlite: value conversions (what is refused, what canonical form is hashed), date/time
// and decimal texts, COPY escaping, foreign-key order. (The checksum agreement with PostgreSQL itself is tested
// end to end in import.test.ts.)
import { describe, expect, test } from '@jest/globals';
import { converterFor, type TargetColumn } from '../../src/sqlite/column-types.js';
import { escapeCopyText } from '../../src/sqlite/copy.js';
import { parseDatetimeText } from '../../src/sqlite/datetime-text.js';
import { parseDecimalText } from '../../src/sqlite/decimal-text.js';
import { foreignKeyOrder } from '../../src/sqlite/plan.js';
import { RowChecksum } from '../../src/sqlite/row-checksum.js';

const column = (typname: string, extra: Partial<TargetColumn> = {}): TargetColumn => ({
  name: 'c',
  type: extra.type ?? typname,
  typname,
  notNull: false,
  hasDefault: false,
  generated: false,
  ...extra
});
const convert = (
  typname: string,
  value: bigint | number | string | Uint8Array,
  extra: Partial<TargetColumn> = {}
) => {
  const c = converterFor(column(typname, extra));
  if (typeof c === 'string') throw new Error(c);
  return c.convert(value);
};

describe('conversions', () => {
  test('integers: range per type, whole REALs accepted, fractions refused', () => {
    expect(convert('int4', 2147483647n)).toEqual({ copy: '2147483647', canon: '2147483647' });
    expect(convert('int4', 2147483648n)).toMatch(/out of range for int4/);
    expect(convert('int2', -32769n)).toMatch(/out of range for int2/);
    expect(convert('int8', 9007199254740993n)).toEqual({
      copy: '9007199254740993',
      canon: '9007199254740993'
    });
    expect(convert('int8', 3.0)).toEqual({ copy: '3', canon: '3' });
    expect(convert('int8', 3.5)).toMatch(/not a whole number/);
    expect(convert('int8', 'abc')).toMatch(/not an integer/);
  });

  test('booleans: only 0 and 1', () => {
    expect(convert('bool', 0n)).toEqual({ copy: 'f', canon: '0' });
    expect(convert('bool', 1n)).toEqual({ copy: 't', canon: '1' });
    expect(convert('bool', 2n)).toMatch(/not a boolean 0 or 1/);
    expect(convert('bool', 't')).toMatch(/not a boolean/);
  });

  test('text: NUL refused, varchar(n) counts code points, char(n) compares without padding', () => {
    expect(convert('text', 'a\u0000b')).toMatch(/NUL character/);
    expect(convert('varchar', '🙂🙂🙂', { maxLength: 3 })).toEqual({ copy: '🙂🙂🙂', canon: '🙂🙂🙂' });
    expect(convert('varchar', 'abcd', { maxLength: 3, type: 'character varying(3)' })).toMatch(
      /4 characters do not fit character varying\(3\)/
    );
    expect(convert('bpchar', 'ab  ', { maxLength: 4 })).toEqual({ copy: 'ab  ', canon: 'ab' });
    expect(convert('text', 42n)).toEqual({ copy: '42', canon: '42' });
    expect(convert('text', 1.5)).toMatch(/a REAL 1.5 in a text column/);
  });

  test('numeric: scale and precision are enforced, canon as trim_scale prints it', () => {
    const n62 = { precision: 6, scale: 2, type: 'numeric(6,2)' };
    expect(convert('numeric', 12.5, n62)).toEqual({ copy: '12.5', canon: '12.5' });
    expect(convert('numeric', '0012.500', n62)).toEqual({ copy: '0012.500', canon: '12.5' });
    expect(convert('numeric', 1.234, n62)).toMatch(/more than 2 decimal places/);
    expect(convert('numeric', 12345.6, n62)).toMatch(/out of range for numeric\(6,2\)/);
    expect(convert('numeric', 1e21)).toEqual({
      copy: '1000000000000000000000',
      canon: '1000000000000000000000'
    });
    expect(convert('numeric', '-0.0')).toEqual({ copy: '-0.0', canon: '0' });
  });

  test('floats: canon is the IEEE bits; real refuses what it would round', () => {
    expect(convert('float8', 0.1)).toEqual({ copy: '0.1', canon: '3fb999999999999a' });
    expect(convert('float8', 9007199254740993n)).toMatch(/more digits than double precision/);
    expect(convert('float4', 0.5)).toEqual({ copy: '0.5', canon: '3f000000' });
    expect(convert('float4', 0.1)).toMatch(/does not fit real/);
  });

  test('timestamps: naive text is UTC for timestamptz, offsets are applied, a timestamp column refuses offsets', () => {
    expect(convert('timestamptz', '2026-03-01 18:30:00.000007')).toEqual({
      copy: '2026-03-01 18:30:00.000007',
      canon: '2026-03-01T18:30:00.000007'
    });
    expect(convert('timestamptz', '2026-04-02T00:30:00+02:00')).toMatchObject({
      canon: '2026-04-01T22:30:00.000000'
    });
    expect(convert('timestamptz', '2026-12-31T23:00:00-05:30')).toMatchObject({
      canon: '2027-01-01T04:30:00.000000'
    });
    expect(convert('timestamptz', '2026-03-01T18:30:00Z')).toMatchObject({
      canon: '2026-03-01T18:30:00.000000'
    });
    expect(convert('timestamp', '2026-03-01T18:30:00+02:00')).toMatch(
      /UTC offset a timestamp without time zone column would drop/
    );
    expect(convert('timestamptz', '2026-02-30 10:00:00')).toMatch(/not a calendar date/);
    expect(convert('timestamptz', '2026-03-01 18:30:00.1234567')).toMatch(/finer than microseconds/);
    expect(convert('timestamptz', 1772390000n)).toMatch(/not a date\/time text/);
    expect(convert('date', '2024-02-29')).toEqual({ copy: '2024-02-29', canon: '2024-02-29' });
    expect(convert('date', '2024-02-29 10:00')).toMatch(/time of day a date column would drop/);
    expect(convert('time', '07:05')).toEqual({ copy: '07:05', canon: '07:05:00.000000' });
  });

  test('bytes, uuids, json and enums', () => {
    expect(convert('bytea', new Uint8Array([0, 92, 255]))).toEqual({ copy: '\\x005cff', canon: '005cff' });
    expect(convert('bytea', 'text')).toMatch(/only BLOBs/);
    expect(convert('uuid', 'A0EEBC999C0B4EF8BB6D6BB9BD380A11')).toEqual({
      copy: 'A0EEBC999C0B4EF8BB6D6BB9BD380A11',
      canon: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'
    });
    expect(convert('json', '{"a": 1}')).toEqual({ copy: '{"a": 1}', canon: '{"a": 1}' });
    expect(convert('json', '{a: 1}')).toMatch(/not valid JSON/);
    expect(convert('signup_role', 'cook', { enumLabels: ['cook', 'driver'] })).toEqual({
      copy: 'cook',
      canon: 'cook'
    });
    expect(convert('signup_role', 'chef', { enumLabels: ['cook', 'driver'] })).toMatch(/not one of/);
    expect(converterFor(column('jsonb'))).toMatch(/type jsonb is not supported/);
  });
});

describe('texts', () => {
  test('date/time texts SQLite databases hold', () => {
    expect(parseDatetimeText('2026-03-01')).toMatchObject({ hasTime: false, offsetMinutes: undefined });
    expect(parseDatetimeText('2026-03-01 18:30')).toMatchObject({
      local: { hour: 18, minute: 30, second: 0 }
    });
    expect(parseDatetimeText('0001-01-01 00:00:00+01:00')).toMatchObject({ utc: undefined });
    expect(parseDatetimeText('03/01/2026')).toMatch(/not an ISO 8601/);
    expect(parseDatetimeText('2026-03-01T10:00:00+16:00')).toMatch(/offset PostgreSQL does not accept/);
  });

  test('decimal texts', () => {
    expect(parseDecimalText('1.50e2')).toMatchObject({ canon: '150' });
    expect(parseDecimalText('.5')).toMatchObject({ canon: '0.5' });
    expect(parseDecimalText('1e-3')).toMatchObject({ canon: '0.001', fraction: '001' });
    expect(parseDecimalText('1.2.3')).toBeUndefined();
    expect(parseDecimalText('')).toBeUndefined();
  });

  test('COPY text escaping', () => {
    expect(escapeCopyText('plain')).toBe('plain');
    expect(escapeCopyText('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
  });
});

describe('order and checksum', () => {
  test('parents before children, ties by name, self-references fine, cycles reported', () => {
    const fks = [
      { child: 'signups', parent: 'volunteers' },
      { child: 'signups', parent: 'events' },
      { child: 'volunteers', parent: 'volunteers' }
    ];
    expect(foreignKeyOrder(['signups', 'volunteers', 'events'], fks)).toEqual({
      order: ['events', 'volunteers', 'signups'],
      cycle: []
    });
    const cyclic = foreignKeyOrder(
      ['a', 'b', 'c'],
      [
        { child: 'a', parent: 'b' },
        { child: 'b', parent: 'a' }
      ]
    );
    expect(cyclic.cycle).toEqual(['a', 'b']);
  });

  test('the checksum ignores row order, sees a changed value, NULL vs empty text, and a duplicated row', () => {
    const sum = (rows: (string | null)[][]) => {
      const c = new RowChecksum();
      for (const r of rows) c.addRow(r);
      return c.value;
    };
    const rows = [
      ['1', 'Ana'],
      ['2', null],
      ['3', '']
    ];
    expect(sum(rows)).toBe(sum([...rows].reverse()));
    expect(sum(rows)).not.toBe(
      sum([
        ['1', 'Ana '],
        ['2', null],
        ['3', '']
      ])
    );
    expect(sum(rows)).not.toBe(
      sum([
        ['1', 'Ana'],
        ['2', ''],
        ['3', '']
      ])
    );
    expect(sum([...rows, rows[0]!])).not.toBe(sum(rows));
    // Framing: a field boundary cannot move unseen.
    expect(sum([['ab', 'c']])).not.toBe(sum([['a', 'bc']]));
  });
});
