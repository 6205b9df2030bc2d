// Who compresses a backup's archive: the action in pg_dump's format whenever the walker knows pg_dump's format,
// the OpenPGP message for an encryptor set to compress (the format of backups before 2026-12-02), else pg_dump.
import { describe, expect, test } from '@jest/globals';
import { compressionFor } from '../../src/backup/backup.js';
import { NEWEST_COMPRESSIBLE_PG_DUMP } from '../../src/backup/archive-compress.js';
import type { Encryptor } from '../../src/backup/crypto.js';

const encryptor = (compressionLevel?: number): Encryptor => ({
  method: 'passphrase',
  keyFingerprints: [],
  compressionLevel,
  encrypt: () => Promise.reject(new Error('not used'))
});

describe('compressionFor', () => {
  test.each([
    [undefined, 13, 'archive-zlib'],
    [undefined, 15, 'archive-zlib'],
    [undefined, NEWEST_COMPRESSIBLE_PG_DUMP, 'archive-zlib'],
    [undefined, NEWEST_COMPRESSIBLE_PG_DUMP + 1, 'pg_dump'],
    [6, 15, 'openpgp-zip'],
    [6, NEWEST_COMPRESSIBLE_PG_DUMP + 1, 'openpgp-zip']
  ])('message compression %s, pg_dump %i: %s', (level, major, expected) => {
    expect(compressionFor(encryptor(level), major)).toBe(expected);
  });
});
