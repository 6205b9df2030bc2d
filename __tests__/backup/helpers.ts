// Helpers for the backup integration tests: a seeded database with several types, table digests to compare
// restores, a throw-away GnuPG home, and a fault-injecting HTTP proxy in front of the S3 server.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { queryRows as sql } from '../../test-support/postgres.js';

const execFileAsync = promisify(execFile);

export { sql };

/** Several tables and types (serial, text, jsonb, arrays, bytea, numeric, uuid, enum, timestamptz, FK, view). */
export async function seed(
  url: string,
  opts: { volunteers?: number; bulkRows?: number } = {}
): Promise<void> {
  const n = opts.volunteers ?? 2000;
  await sql(
    url,
    `CREATE TYPE role AS ENUM ('volunteer', 'coordinator', 'admin');
     CREATE TABLE volunteers (id serial PRIMARY KEY, name text NOT NULL, email text UNIQUE, role role NOT NULL DEFAULT 'volunteer',
       joined timestamptz NOT NULL, skills text[], profile jsonb, balance numeric(12,2), token uuid);
     INSERT INTO volunteers (name, email, role, joined, skills, profile, balance, token)
       SELECT 'Volunteer ' || g, 'v' || g || '@example.org', (ARRAY['volunteer','coordinator','admin'])[1 + g % 3]::role,
              timestamptz '2026-01-01 00:00:00+00' + g * interval '1 hour', ARRAY['music', 'kids', 'é ü ✓'],
              jsonb_build_object('n', g, 'nested', jsonb_build_object('ok', g % 2 = 0)), g * 1.25,
              md5(g::text)::uuid
         FROM generate_series(1, ${n}) g;
     CREATE TABLE schedules (id bigserial PRIMARY KEY, volunteer_id int NOT NULL REFERENCES volunteers(id), starts date, note bytea);
     INSERT INTO schedules (volunteer_id, starts, note) SELECT 1 + g % ${n}, date '2026-01-01' + g % 365, decode(md5(g::text), 'hex')
       FROM generate_series(1, ${n * 2}) g;
     CREATE TABLE "Mixed Case" ("Id" int PRIMARY KEY, "Value" text);
     INSERT INTO "Mixed Case" VALUES (1, 'quoted identifiers'), (2, NULL);
     CREATE TABLE empty_table (id int);
     CREATE INDEX ON schedules (starts);
     CREATE VIEW coordinators AS SELECT id, name FROM volunteers WHERE role = 'coordinator';`
  );
  if (opts.bulkRows)
    // Incompressible rows so pg_dump's output is as large as the data (mid-stream kills, several parts).
    await sql(
      url,
      `CREATE TABLE bulk (id int PRIMARY KEY, payload text);
       INSERT INTO bulk SELECT g, string_agg(md5(g::text || ':' || i), '') FROM generate_series(1, ${opts.bulkRows}) g, generate_series(1, 16) i GROUP BY g;`
    );
}

/** A digest per table of the seeded schema: equal digests mean equal contents. */
export async function digests(url: string): Promise<Record<string, string>> {
  const tables = await sql<{ t: string }>(
    url,
    `SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`
  );
  const out: Record<string, string> = {};
  for (const { t } of tables) {
    const [row] = await sql<{ d: string; n: string }>(
      url,
      `SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS d, count(*) AS n FROM ${t} x`
    );
    out[t] = `${row!.n}:${row!.d}`;
  }
  const [view] = await sql<{ n: string }>(url, `SELECT count(*) AS n FROM coordinators`);
  out.view = view!.n;
  return out;
}

export interface GpgHome {
  home: string;
  run(args: string[], input?: string): Promise<string>;
}

export function gpgHome(): GpgHome {
  const home = mkdtempSync(join(tmpdir(), 'gnupg-'));
  return {
    home,
    async run(args, input) {
      return new Promise((resolve, reject) => {
        const child = spawn('gpg', ['--batch', '--homedir', home, ...args], {
          stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']
        });
        let out = '';
        let err = '';
        child.stdout!.on('data', d => (out += d));
        child.stderr!.on('data', d => (err += d));
        child.on('close', code =>
          code === 0 ? resolve(out) : reject(new Error(`gpg ${args.join(' ')}: ${err}`))
        );
        if (input !== undefined) child.stdin!.on('error', () => undefined).end(input);
      });
    }
  };
}

/** Generates an RSA key in a fresh GnuPG home; returns the armored public and private keys and the fingerprint. */
export async function generateKey(email: string, passphrase: string) {
  const g = gpgHome();
  await g.run([
    '--pinentry-mode',
    'loopback',
    '--passphrase',
    passphrase,
    '--quick-gen-key',
    email,
    'default',
    'default',
    'never'
  ]);
  const publicKey = await g.run(['--armor', '--export', email]);
  const privateKey = await g.run([
    '--pinentry-mode',
    'loopback',
    '--passphrase',
    passphrase,
    '--armor',
    '--export-secret-keys',
    email
  ]);
  const colons = await g.run(['--with-colons', '--fingerprint', email]);
  const fingerprint = /^fpr:+([0-9A-F]+):/m.exec(colons)![1]!;
  return { gpg: g, publicKey, privateKey, fingerprint };
}

/** Runs a shell pipeline; rejects with its stderr. */
export async function sh(script: string, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await execFileAsync('bash', ['-o', 'pipefail', '-c', script], {
    env: { ...process.env, ...env },
    maxBuffer: 64 << 20
  });
  return stdout;
}

export function writeSecretFile(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text, { mode: 0o600 });
  return p;
}

/**
 * An HTTP proxy in front of the S3 server that fails some UploadPart requests: of every 4 part requests the
 * 2nd gets a 503 SlowDown (S3 XML error) and the 3rd has its connection reset; retries get through.
 * With `failAllParts` every part request gets the 503: the upload cannot succeed.
 * Headers pass unchanged (SigV4 signs the Host header the client used).
 */
export async function faultyProxy(target: string, opts: { failAllParts?: boolean } = {}) {
  const t = new URL(target);
  let partRequests = 0;
  const stats = { slowDowns: 0, resets: 0, forwarded: 0 };
  const server = http.createServer((req, res) => {
    const isPart =
      req.method === 'PUT' && /[?&]partNumber=/.test(req.url ?? '') && /[?&]uploadId=/.test(req.url ?? '');
    if (isPart) {
      partRequests++;
      if (partRequests % 4 === 3 && !opts.failAllParts) {
        stats.resets++;
        req.socket.destroy();
        return;
      }
      if (partRequests % 4 === 2 || opts.failAllParts) {
        stats.slowDowns++;
        req.resume();
        req.on('end', () => {
          res.writeHead(503, { 'content-type': 'application/xml', 'x-amz-request-id': 'injected-fault' });
          res.end(
            '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>'
          );
        });
        return;
      }
    }
    stats.forwarded++;
    const upstream = http.request(
      { host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers },
      up => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      }
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    close: () => new Promise<void>(resolve => server.close(() => resolve()))
  };
}
