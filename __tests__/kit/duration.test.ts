import { describe, expect, it } from '@jest/globals';
import { formatDuration, parseDuration } from '../../src/kit/duration.js';

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
