// Multipart part size from a bound on the archive's size: as small as S3 allows, never more than 10,000 parts.
import { describe, expect, test } from '@jest/globals';
import { DEFAULT_PART_SIZE, partSizeFor } from '../../src/backup/s3-store.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('partSizeFor', () => {
  test.each([
    ['no bound', undefined, 8 * MiB],
    ['an empty database', 0, 5 * MiB],
    ['2.2 GiB (a 1.1 GiB database)', 2.2 * GiB, 5 * MiB],
    ['exactly 10,000 x 5 MiB', 10_000 * 5 * MiB, 5 * MiB],
    ['one byte more', 10_000 * 5 * MiB + 1, 6 * MiB],
    ['200 GiB', 200 * GiB, 21 * MiB]
  ])('%s -> %i bytes', (_what, bound, expected) => {
    expect(partSizeFor(bound)).toBe(expected);
  });

  test('the bound always fits in 10,000 parts, in whole MiB, at least 5 MiB', () => {
    for (const bound of [1, 49 * GiB, 50 * GiB, 123_456_789_012, 5 * 1024 * GiB]) {
      const size = partSizeFor(bound);
      expect(size % MiB).toBe(0);
      expect(size).toBeGreaterThanOrEqual(5 * MiB);
      expect(Math.ceil(bound / size)).toBeLessThanOrEqual(10_000);
    }
    expect(DEFAULT_PART_SIZE).toBe(8 * MiB);
  });
});
