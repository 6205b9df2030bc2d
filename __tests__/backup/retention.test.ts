import { describe, expect, test } from '@jest/globals';
import { planRetention, staleIncomplete } from '../../src/backup/retention.js';
import { backupIdFor, parseBackupId } from '../../src/backup/id.js';

const b = (iso: string) => ({ id: backupIdFor(new Date(iso)), time: new Date(iso) });
/** The ids kept, as ISO-ish strings for readable tables. */
const kept = (isos: string[], keepDaily: number, keepMonthly: number) =>
  planRetention(isos.map(b), { keepDaily, keepMonthly })
    .filter(d => d.keep)
    .map(d => `${d.backup.time.toISOString().slice(0, 16)} ${d.reasons.join('+')}`);

describe('planRetention (UTC, newest of each kept day/month, newest always kept)', () => {
  const cases: { name: string; backups: string[]; daily: number; monthly: number; expected: string[] }[] = [
    {
      name: 'a single backup is kept even with keep counts of 0',
      backups: ['2026-11-25T02:00:00Z'],
      daily: 0,
      monthly: 0,
      expected: ['2026-11-25T02:00 newest']
    },
    {
      name: 'keep counts of 0 keep only the newest',
      backups: ['2026-11-25T02:00:00Z', '2026-11-24T02:00:00Z', '2026-10-01T02:00:00Z'],
      daily: 0,
      monthly: 0,
      expected: ['2026-11-25T02:00 newest']
    },
    {
      name: 'several backups a day: the newest of the day is the daily one',
      backups: [
        '2026-11-25T02:00:00Z',
        '2026-11-25T14:30:00Z',
        '2026-11-25T23:59:59Z',
        '2026-11-24T02:00:00Z',
        '2026-11-24T20:00:00Z'
      ],
      daily: 2,
      monthly: 0,
      expected: ['2026-11-25T23:59 newest+daily 2026-11-25', '2026-11-24T20:00 daily 2026-11-24']
    },
    {
      name: 'days without backups are not counted: a missed night reaches one day further back',
      backups: [
        '2026-11-25T02:00:00Z',
        '2026-11-23T02:00:00Z',
        '2026-11-22T02:00:00Z',
        '2026-11-21T02:00:00Z'
      ],
      daily: 3,
      monthly: 0,
      expected: [
        '2026-11-25T02:00 newest+daily 2026-11-25',
        '2026-11-23T02:00 daily 2026-11-23',
        '2026-11-22T02:00 daily 2026-11-22'
      ]
    },
    {
      name: 'UTC day boundary: 23:59:59 and 00:00:00 are different days',
      backups: ['2026-11-25T00:00:00Z', '2026-11-24T23:59:59Z', '2026-11-24T00:00:00Z'],
      daily: 2,
      monthly: 0,
      expected: ['2026-11-25T00:00 newest+daily 2026-11-25', '2026-11-24T23:59 daily 2026-11-24']
    },
    {
      name: 'months without backups are not counted; monthly keeps the newest of the month',
      backups: [
        '2026-11-02T02:00:00Z',
        '2026-11-01T02:00:00Z',
        '2026-08-31T02:00:00Z',
        '2026-08-15T02:00:00Z',
        '2026-07-31T02:00:00Z',
        '2026-05-10T02:00:00Z'
      ],
      daily: 1,
      monthly: 3,
      expected: [
        '2026-11-02T02:00 newest+daily 2026-11-02+monthly 2026-11',
        '2026-08-31T02:00 monthly 2026-08',
        '2026-07-31T02:00 monthly 2026-07'
      ]
    },
    {
      name: 'month and year boundaries: Dec 31 23:59 and Jan 1 00:00 are different days, months and years',
      backups: [
        '2027-01-01T00:00:00Z',
        '2026-12-31T23:59:00Z',
        '2026-12-01T00:00:00Z',
        '2026-11-30T23:59:59Z'
      ],
      daily: 1,
      monthly: 3,
      expected: [
        '2027-01-01T00:00 newest+daily 2027-01-01+monthly 2027-01',
        '2026-12-31T23:59 monthly 2026-12',
        '2026-11-30T23:59 monthly 2026-11'
      ]
    },
    {
      name: 'daily and monthly overlap: one backup can be kept for both reasons',
      backups: [
        '2026-11-25T02:00:00Z',
        '2026-11-24T02:00:00Z',
        '2026-10-31T02:00:00Z',
        '2026-10-30T02:00:00Z'
      ],
      daily: 3,
      monthly: 2,
      expected: [
        '2026-11-25T02:00 newest+daily 2026-11-25+monthly 2026-11',
        '2026-11-24T02:00 daily 2026-11-24',
        '2026-10-31T02:00 daily 2026-10-31+monthly 2026-10'
      ]
    },
    {
      name: 'keep-daily 0 with monthly: only month ends (and the newest) survive',
      backups: [
        '2026-11-25T02:00:00Z',
        '2026-11-24T02:00:00Z',
        '2026-10-31T02:00:00Z',
        '2026-10-01T02:00:00Z'
      ],
      daily: 0,
      monthly: 12,
      expected: ['2026-11-25T02:00 newest+monthly 2026-11', '2026-10-31T02:00 monthly 2026-10']
    },
    {
      name: 'input order does not matter',
      backups: ['2026-11-20T02:00:00Z', '2026-11-25T02:00:00Z', '2026-11-22T02:00:00Z'],
      daily: 2,
      monthly: 0,
      expected: ['2026-11-25T02:00 newest+daily 2026-11-25', '2026-11-22T02:00 daily 2026-11-22']
    }
  ];
  test.each(cases)('$name', ({ backups, daily, monthly, expected }) => {
    expect(kept(backups, daily, monthly)).toEqual(expected);
  });

  test('30 daily + 12 monthly over 400 nightly backups keeps 30 days + 10 older month ends', () => {
    const start = Date.UTC(2026, 10, 25, 2);
    const backups = Array.from({ length: 400 }, (_, i) => new Date(start - i * 86_400_000).toISOString());
    const decisions = planRetention(backups.map(b), { keepDaily: 30, keepMonthly: 12 });
    const keptOnes = decisions.filter(d => d.keep);
    expect(keptOnes.filter(d => d.reasons.some(r => r.startsWith('daily'))).length).toBe(30);
    expect(keptOnes.filter(d => d.reasons.some(r => r.startsWith('monthly'))).length).toBe(12);
    // The last 30 days (Oct 27 - Nov 25) already hold November's and October's month ends: 30 + 10.
    expect(keptOnes.length).toBe(40);
    expect(decisions.length - keptOnes.length).toBe(360);
  });

  test('rejects negative or fractional keep counts', () => {
    expect(() => planRetention([], { keepDaily: -1, keepMonthly: 0 })).toThrow(/keepDaily/);
    expect(() => planRetention([], { keepDaily: 1, keepMonthly: 1.5 })).toThrow(/keepMonthly/);
  });
});

describe('staleIncomplete', () => {
  test('deletes archives without manifest only after 24 h', () => {
    const now = new Date('2026-11-25T12:00:00Z');
    const archives = [b('2026-11-25T02:00:00Z'), b('2026-11-24T12:00:00Z'), b('2026-11-24T11:59:59Z')];
    expect(staleIncomplete(archives, now).map(a => a.id)).toEqual(['20261124T115959Z']);
  });
});

describe('backup ids', () => {
  test('round-trip and reject impossible dates', () => {
    expect(backupIdFor(new Date('2026-11-25T02:00:00.789Z'))).toBe('20261125T020000Z');
    expect(parseBackupId('20261125T020000Z')?.toISOString()).toBe('2026-11-25T02:00:00.000Z');
    expect(parseBackupId('20260231T020000Z')).toBeUndefined();
    expect(parseBackupId('latest')).toBeUndefined();
  });
});
