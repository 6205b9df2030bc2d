import { describe, expect, test } from '@jest/globals';
import { chmodSync, mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPgBinary, parsePgVersion } from '../../src/postgres/binaries.js';
import {
  databaseName,
  libpqConnection,
  nodePgConnectionString,
  tlsDefaultLine,
  withDatabase,
  withSslDefaults
} from '../../src/postgres/url.js';

describe('withSslDefaults', () => {
  test.each([
    [
      'postgresql://u:p@db.example.com:25060/app',
      'postgresql://u:p@db.example.com:25060/app?sslmode=require'
    ],
    [
      'postgresql://u:p@db.example.com/app?sslmode=disable',
      'postgresql://u:p@db.example.com/app?sslmode=disable'
    ],
    [
      'postgresql://u:p@db.example.com/app?sslmode=verify-full',
      'postgresql://u:p@db.example.com/app?sslmode=verify-full'
    ],
    ['postgresql://u:p@127.0.0.1:5432/app', 'postgresql://u:p@127.0.0.1:5432/app'],
    ['postgresql://u:p@localhost/app', 'postgresql://u:p@localhost/app'],
    ['postgresql://u:p@[::1]:5432/app', 'postgresql://u:p@[::1]:5432/app'],
    [
      'postgres://u@db.internal/app?host=/var/run/postgresql',
      'postgres://u@db.internal/app?host=/var/run/postgresql'
    ]
  ])('%s', (input, expected) => {
    expect(withSslDefaults(input)).toBe(expected);
  });
});

describe('connection helpers', () => {
  test('libpqConnection moves the password to PGPASSWORD and keeps it off the command line', () => {
    const { dbname, env } = libpqConnection('postgresql://app:s%40cr%3At@db.example.com:25060/prod');
    expect(env.PGPASSWORD).toBe('s@cr:t');
    expect(dbname).toBe('postgresql://app@db.example.com:25060/prod?sslmode=require');
    expect(dbname).not.toContain('cr');
  });
  test('databaseName and withDatabase', () => {
    expect(databaseName('postgresql://u:p@h/app')).toBe('app');
    expect(databaseName('postgresql://u:p@h')).toBe('u');
    expect(withDatabase('postgresql://u:p@h:1/app?sslmode=require', 'scratch')).toBe(
      'postgresql://u:p@h:1/scratch?sslmode=require'
    );
  });
});

describe('pg_dump discovery', () => {
  test('parses versions, including pre-10 two-part majors', () => {
    expect(parsePgVersion('pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)')).toEqual({
      version: '15.18',
      major: 15
    });
    expect(parsePgVersion('pg_dump (PostgreSQL) 17.2')).toEqual({ version: '17.2', major: 17 });
    expect(parsePgVersion('pg_dump (PostgreSQL) 9.6.24')).toEqual({ version: '9.6.24', major: 9.6 });
    expect(parsePgVersion('something else')).toBeUndefined();
  });

  // Fake installs: scripts printing a version, in a PATH dir and in a Debian-style versioned tree.
  const root = mkdtempSync(join(tmpdir(), 'pgbin-'));
  const fake = (dir: string, version: string) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'pg_dump'), `#!/bin/sh\necho "pg_dump (PostgreSQL) ${version}"\n`);
    chmodSync(join(dir, 'pg_dump'), 0o755);
  };
  fake(join(root, 'path'), '14.9');
  fake(join(root, 'versioned', '16', 'bin'), '16.4');
  fake(join(root, 'versioned', '13', 'bin'), '13.1');
  const opts = { pathEnv: join(root, 'path'), versionedRoot: join(root, 'versioned') };

  test('picks the newest of PATH and /usr/lib/postgresql/*/bin', async () => {
    const found = await findPgBinary('pg_dump', { ...opts, serverMajor: 15 });
    expect(found).toEqual({
      path: join(root, 'versioned', '16', 'bin', 'pg_dump'),
      version: '16.4',
      major: 16
    });
  });

  test("prefers a versioned binary to Debian's pg_wrapper of the same version (no Perl start per call)", async () => {
    const wrapped = join(root, 'wrapped');
    fake(join(wrapped, 'share'), '16.4');
    renameSync(join(wrapped, 'share', 'pg_dump'), join(wrapped, 'share', 'pg_wrapper'));
    mkdirSync(join(wrapped, 'bin'));
    symlinkSync(join(wrapped, 'share', 'pg_wrapper'), join(wrapped, 'bin', 'pg_dump'));
    const found = await findPgBinary('pg_dump', { ...opts, pathEnv: join(wrapped, 'bin'), serverMajor: 15 });
    expect(found.path).toBe(join(root, 'versioned', '16', 'bin', 'pg_dump'));
    // A newer version behind the wrapper still wins.
    fake(join(root, 'newer'), '17.1');
    renameSync(join(root, 'newer', 'pg_dump'), join(root, 'newer', 'pg_wrapper'));
    symlinkSync(join(root, 'newer', 'pg_wrapper'), join(root, 'newer', 'pg_dump'));
    const newest = await findPgBinary('pg_dump', { ...opts, pathEnv: join(root, 'newer'), serverMajor: 15 });
    expect(newest).toEqual({ path: join(root, 'newer', 'pg_dump'), version: '17.1', major: 17 });
  });

  test('refuses a client older than the server in one line naming both versions', async () => {
    await expect(findPgBinary('pg_dump', { ...opts, serverMajor: 17 })).rejects.toThrow(
      /^pg_dump 16\.4 is older than the server \(PostgreSQL 17\); install postgresql-client-17 or newer$/
    );
  });

  test('says so when there is no pg_dump at all', async () => {
    await expect(
      findPgBinary('pg_dump', { pathEnv: join(root, 'none'), versionedRoot: join(root, 'none') })
    ).rejects.toThrow(/pg_dump not found/);
  });
});

describe('tlsDefaultLine: the one line when the TLS rule chose', () => {
  test('a non-local host without sslmode: what was done and how to change it, naming the input', () => {
    expect(tlsDefaultLine('postgresql://u:p@db.example.com:25060/app')).toBe(
      'PostgreSQL at db.example.com:25060: connecting with TLS (sslmode=require: encrypted, certificate not verified) ' +
        'because the host is not local and database-url names no sslmode; put sslmode=verify-full&sslrootcert=<ca file> ' +
        'in database-url to verify the server, or sslmode=disable for a server without TLS'
    );
  });
  test.each([
    'postgresql://u:p@db.example.com/app?sslmode=disable',
    'postgresql://u:p@db.example.com/app?sslmode=verify-full',
    'postgresql://u:p@127.0.0.1:5432/app',
    'postgres://u@db.internal/app?host=/var/run/postgresql'
  ])('nothing when the URL chose or the host is local: %s', url => {
    expect(tlsDefaultLine(url)).toBeUndefined();
  });
});

describe('nodePgConnectionString', () => {
  test('gives node-postgres libpq semantics for sslmode, and nothing extra for local hosts', () => {
    expect(nodePgConnectionString('postgresql://u:p@db.example.com/app')).toBe(
      'postgresql://u:p@db.example.com/app?sslmode=require&uselibpqcompat=true'
    );
    expect(nodePgConnectionString('postgresql://u:p@127.0.0.1:5432/app')).toBe(
      'postgresql://u:p@127.0.0.1:5432/app'
    );
  });
});
