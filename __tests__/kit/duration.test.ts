import { describe, expect, it } from '@jest/globals';
import {
  formatDuration,
  MAX_DURATION_MS,
  MAX_TIMER_MS,
  parseDuration,
  timerChunks
} from '../../src/kit/duration.js';
import { Inputs } from '../../src/kit/inputs.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['30', 30_000],
    ['1.5', 1_500],
    [' 10s ', 10_000],
    ['0s', 0]
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'ten', '5 minutes', '5x', '-3s', 's', '1h 30m'])('rejects %p', text => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [850, '850ms'],
    [12_300, '12.3s'],
    [245_000, '4m 05s'],
    [3_723_000, '1h 02m 03s']
  ])('%d ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('durations past Node timer limit', () => {
  it.each([
    [0, []],
    [1000, [1000]],
    [MAX_TIMER_MS, [MAX_TIMER_MS]],
    [2 ** 31, [MAX_TIMER_MS, 1]],
    [600 * 3_600_000, [MAX_TIMER_MS, 2_160_000_000 - MAX_TIMER_MS]],
    [3 * MAX_TIMER_MS + 7, [MAX_TIMER_MS, MAX_TIMER_MS, MAX_TIMER_MS, 7]]
  ])('a sleep of %d ms is slept as %p', (ms, chunks) => {
    expect(timerChunks(ms)).toEqual(chunks);
    expect(timerChunks(ms).every(c => c > 0 && c <= MAX_TIMER_MS)).toBe(true);
  });

  const read = (value: string) => new Inputs(n => (n === 'initial-delay' ? value : undefined));
  it.each([
    [
      '600h',
      "Input 'initial-delay' must be at most 120h (5 days, the longest a GitHub job can run), got '600h'"
    ],
    ['120h1ms', "Input 'initial-delay' must be at most 120h"],
    ['596h31m24s', "Input 'initial-delay' must be at most 120h"],
    ['2147484', "Input 'initial-delay' must be at most 120h"]
  ])('%s is refused with one line naming the input', (value, message) => {
    expect(() => read(value).duration('initial-delay', '0s')).toThrow(message);
  });

  it.each([
    ['120h', MAX_DURATION_MS],
    ['24h', 86_400_000]
  ])('%s is accepted', (value, ms) => {
    expect(read(value).duration('initial-delay', '0s')).toBe(ms);
  });
});
