// The PostgreSQL client/server pairing rules (src/postgres/client-version.ts) as a table, and the workflows that
// apply them: no workflow installs a fixed client major any more.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clientFor, majorFromVersionNum } from '../../src/postgres/client-version.js';

const root = join(import.meta.dirname, '..', '..');

describe('client/server pairing', () => {
  it.each([
    // purpose, server, archive pg_dump, client
    ['dump', 15, undefined, 15],
    ['dump', 16, undefined, 16],
    ['dump', 17, undefined, 17],
    ['restore', 16, undefined, 16],
    ['restore', 16, 16, 16],
    ['restore', 16, 15, 16],
    ['restore', 15, 16, 16], // pg_restore 16 reads the archive and sends nothing 15 rejects
    ['restore', 17, 16, 17],
    ['restore', 18, 17, 18]
  ] as const)(
    '%s against PostgreSQL %i (archive by pg_dump %s) uses client %i',
    (purpose, server, archive, want) => {
      expect(clientFor(purpose, server, archive)).toEqual({
        major: want,
        package: `postgresql-client-${want}`
      });
    }
  );

  it.each([
    [16, 17],
    [15, 17],
    [16, 18]
  ])('refuses restoring into %i an archive of pg_dump %i, in one line', (server, archive) => {
    expect(() => clientFor('restore', server, archive)).toThrow(
      /transaction_timeout.*restore into PostgreSQL \d+ or newer$/
    );
  });

  it('reads the major from server_version_num', () => {
    expect(majorFromVersionNum(150018)).toBe(15);
    expect(majorFromVersionNum(170002)).toBe(17);
    expect(() => majorFromVersionNum(90624)).toThrow(/10 or newer/);
  });

  it.each(['backup.yml', 'restore-drill.yml'])(
    '%s installs the client of the server it talks to, never a fixed one',
    file => {
      const text = readFileSync(join(root, '.github', 'workflows', file), 'utf8');
      expect(text).not.toMatch(/postgresql-client-\d/);
      expect(text).toMatch(/show server_version_num/);
    }
  );
});
