// dist/import-sqlite run as the runner runs it (INPUT_* variables, under Node 24: the bundle reads SQLite with
// node:sqlite) against the example app's schema (its Alembic revisions on the local PostgreSQL) and a SQLite
// database written by SQLAlchemy. Every refusal, a failure mid-copy, an altered value, dry run, s3:// and SIGINT.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { queryRows as query } from '../../test-support/postgres.js';
import { sharedPostgres, sharedS3, type PostgresServer } from '../../test-support/shared.js';
import { parseOutputFile, type BundleRun } from '../../bin/run-bundle.js';
import { makeFixture, node24, prepareTarget, rowCounts, runImport } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'import-sqlite-test-'));
const databases: string[] = [];
let pg: PostgresServer;

afterAll(async () => {
  for (const name of databases) await pg?.dropDatabase(name).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

beforeAll(async () => {
  pg = await sharedPostgres();
}, 120_000);

let counter = 0;
async function target(): Promise<string> {
  const name = `cutover_${process.pid}_${++counter}`;
  databases.push(name);
  await pg.dropDatabase(name);
  const url = await pg.createDatabase(name);
  await prepareTarget(url);
  return url;
}

function fixture(defects: string[] = []): string {
  const path = join(dir, `signupflow-${++counter}.db`);
  makeFixture(path, { defects });
  return path;
}

const one = async <T>(url: string, sql: string) => (await query<Record<string, T>>(url, sql))[0]!;

describe('import-sqlite: a clean cut-over', () => {
  let url: string;
  let run: BundleRun;

  beforeAll(async () => {
    url = await target();
    run = await runImport({ sqlite: fixture(), 'database-url': url });
  }, 120_000);

  test('commits, verifies every table and sets the outputs', () => {
    expect(run.stderr + run.stdout).not.toContain('::error::');
    expect(run.code).toBe(0);
    expect(run.outputs).toEqual({ tables: '4', rows: String(38 + 7 + 35 + 19), verified: 'true' });
  });

  test('every row arrived: counts per table (alembic_version left as Alembic wrote it)', async () => {
    expect(await rowCounts(url)).toEqual({ volunteers: 38, events: 7, signups: 35, preferences: 19 });
    expect(await query(url, 'SELECT version_num FROM alembic_version')).toEqual([{ version_num: '0003' }]);
  });

  test('ids keep their gaps; unicode and COPY-special characters arrive byte for byte', async () => {
    const ids = (await query<{ id: string }>(url, 'SELECT id::text FROM volunteers ORDER BY id')).map(
      r => r.id
    );
    expect(ids).toContain('20');
    expect(ids).toContain('80');
    expect(ids).not.toContain('3');
    expect(ids).not.toContain('10');
    const names = await query<{ id: string; name: string }>(
      url,
      'SELECT id::text, name FROM volunteers WHERE id IN (1, 2, 4, 7) ORDER BY id'
    );
    expect(names.map(n => n.name)).toEqual([
      '李小龙 1',
      'Ana 🙂 Souza 2',
      "O'Brien\tJr.\\n 4",
      'Line\nBreak 7'
    ]);
    expect(await one(url, `SELECT role FROM signups WHERE role LIKE 'lead%' LIMIT 1`)).toEqual({
      role: 'lead\\backup'
    });
  });

  test('NULLs stay NULL, empty strings stay empty, large text is whole', async () => {
    expect(await one(url, 'SELECT phone FROM volunteers WHERE id = 6')).toEqual({ phone: null });
    expect(await one(url, 'SELECT count(*)::int AS n FROM signups WHERE role IS NULL')).toEqual({ n: 7 });
    expect(
      Number((await one(url, `SELECT count(*) AS n FROM signups WHERE role = ''`)).n)
    ).toBeGreaterThanOrEqual(0);
    expect(
      await one(
        url,
        'SELECT octet_length(location) AS n, right(location, 4) AS tail FROM events WHERE id = 2'
      )
    ).toEqual({
      n: 5 + 100_000 + 4,
      tail: ' end'
    });
  });

  test('datetimes: naive SQLAlchemy text and CURRENT_TIMESTAMP are UTC, offsets are applied', async () => {
    const fmt = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
    expect(await one(url, `SELECT ${fmt('created_at')} AS t FROM volunteers WHERE id = 1`)).toEqual({
      t: '2026-03-01T18:31:00.000007'
    });
    expect(
      await one(
        url,
        `SELECT ${fmt('starts_at')} AS s, ${fmt('ends_at')} AS e, ${fmt('created_at')} AS c FROM events WHERE id = 106`
      )
    ).toEqual({
      s: '2026-04-02T07:00:00.000000',
      e: '2026-04-02T17:45:30.250000',
      c: '2026-03-20T08:00:00.000000'
    });
  });

  test('booleans from 0/1, numerics, floats, dates and bytes', async () => {
    const rows = await query(
      url,
      `SELECT id::int, newsletter, score::text, ratio, birthday::text, encode(avatar, 'hex') AS avatar
         FROM preferences WHERE id IN (1, 2, 4) ORDER BY id`
    );
    expect(rows).toEqual([
      { id: 1, newsletter: false, score: '12.50', ratio: 1e-7, birthday: '1971-02-02', avatar: null },
      {
        id: 2,
        newsletter: true,
        score: '99.99',
        ratio: 123456.789,
        birthday: '1972-03-03',
        avatar: '0200ff0a5c09'.repeat(3)
      },
      {
        id: 4,
        newsletter: true,
        score: '1234.00',
        ratio: 1e21,
        birthday: '1974-05-05',
        avatar: '0400ff0a5c09'.repeat(3)
      }
    ]);
  });

  test('sequences continue past the highest id copied', async () => {
    const r = await one(
      url,
      `INSERT INTO volunteers (name, email) VALUES ('New', 'new@example.org') RETURNING id::int`
    );
    expect(r).toEqual({ id: 81 });
    expect(
      await one(
        url,
        `INSERT INTO events (title, starts_at, ends_at) VALUES ('x', now(), now() + interval '1h') RETURNING id::int`
      )
    ).toEqual({ id: 107 });
  });

  test('foreign keys and indexes set aside for the COPY are back, exactly as Alembic made them', async () => {
    const fks = await query(url, `SELECT conname FROM pg_constraint WHERE contype = 'f' ORDER BY 1`);
    expect(fks.map(r => r.conname)).toEqual([
      'fk_signups_event',
      'fk_signups_volunteer',
      'preferences_volunteer_id_fkey'
    ]);
    const indexes = await query(
      url,
      `SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE 'ix_%' ORDER BY 1`
    );
    expect(indexes.map(r => r.indexdef)).toEqual([
      'CREATE INDEX ix_events_starts_at ON public.events USING btree (starts_at)',
      'CREATE INDEX ix_signups_event_id ON public.signups USING btree (event_id)',
      'CREATE UNIQUE INDEX ix_volunteers_email_lower ON public.volunteers USING btree (lower(email))'
    ]);
    expect(run.summary).toContain('set aside for the COPY and put back (validated) before the commit');
  });

  test('the summary has one row per table and the follow-up commands', () => {
    for (const t of ['volunteers', 'events', 'signups', 'preferences'])
      expect(run.summary).toMatch(new RegExp(`\\| ${t} \\| \\d+ \\| \\d+ \\| match \\|`));
    expect(run.summary).toContain('verified and committed');
    expect(run.summary).toContain('gh workflow run backup.yml -f mode=backup');
    expect(run.summary).toContain('gh secret set DATABASE_URL');
  });

  test('the database password is masked and never printed', () => {
    expect(run.stdout).toContain(`::add-mask::${pg.password}`);
    const printed =
      run.stdout.replace(/^::add-mask::.*$/gm, '') + run.stderr + run.summary + JSON.stringify(run.outputs);
    expect(printed).not.toContain(pg.password);
  });
});

describe('import-sqlite refuses before writing', () => {
  test('lists every problem at once: missing table/column, non-UTF-8, range, dates, NOT NULL, booleans, lengths, scale, orphans', async () => {
    const url = await target();
    const defects = [
      'non-utf8',
      'int-range',
      'bad-date',
      'epoch-date',
      'not-null',
      'bool',
      'extra-column',
      'extra-table',
      'orphan',
      'too-long',
      'scale'
    ];
    const r = await runImport({ sqlite: fixture(defects), 'database-url': url });
    expect(r.code).not.toBe(0);
    expect(r.outputs.verified).toBe('false');
    expect(r.outputs.rows).toBe('0');
    const expected = [
      /table audit_log: no table of that name in PostgreSQL schema public/,
      /column volunteers\.shirt_size: no column of that name/,
      /volunteers\.name: not valid UTF-8 text: 1 value \(rowid 2/,
      /events\.capacity: cannot be converted to integer without loss: 1 value \(rowid 1: 3000000000 is out of range/,
      /events\.starts_at: .*rowid 2: '03\/01\/2026 6:30 PM' is not an ISO 8601 date\/time/,
      /signups\.created_at: .*rowid 3: an INTEGER 1772390000 is not a date\/time text/,
      /volunteers\.email: NULL in a NOT NULL column \(text\): 2 values \(rowid 4; rowid 6\)/,
      /preferences\.newsletter: .*an INTEGER 2 is not a boolean 0 or 1/,
      /preferences\.nickname: .*33 characters do not fit character varying\(20\)/,
      /preferences\.score: .*1\.234 has more than 2 decimal places/,
      /foreign key fk_signups_volunteer: 1 signups row references a missing volunteers row/
    ];
    for (const line of expected) expect(r.summary).toMatch(line);
    expect(r.summary).toContain(`refused: ${expected.length} problems listed below; nothing was written`);
    expect(r.stdout).toMatch(/::error::import-sqlite: refused: 11 problems/);
    expect(await rowCounts(url)).toEqual({ volunteers: 0, events: 0, signups: 0, preferences: 0 });
  });

  test('a target that already holds rows', async () => {
    const url = await target();
    await query(url, `INSERT INTO volunteers (name, email) VALUES ('Already here', 'a@example.org')`);
    const r = await runImport({ sqlite: fixture(), 'database-url': url });
    expect(r.code).not.toBe(0);
    expect(r.summary).toContain('table volunteers: the target already has rows');
    expect(r.summary).not.toContain('table events: the target already has rows');
    expect(await rowCounts(url)).toEqual({ volunteers: 1, events: 0, signups: 0, preferences: 0 });
  });

  test('a target without the schema (migrations not run)', async () => {
    const name = `cutover_${process.pid}_empty`;
    databases.push(name);
    await pg.dropDatabase(name);
    const url = await pg.createDatabase(name);
    const r = await runImport({ sqlite: fixture(), 'database-url': url });
    expect(r.code).not.toBe(0);
    for (const t of ['events', 'preferences', 'signups', 'volunteers'])
      expect(r.summary).toContain(
        `table ${t}: no table of that name in PostgreSQL schema public (run the app's migrations first)`
      );
  });

  test('bad inputs fail with one line naming the input', async () => {
    const url = await target();
    const ftp = await runImport({ sqlite: 'ftp://host/app.db', 'database-url': url });
    expect(ftp.code).not.toBe(0);
    expect(ftp.stdout).toContain(
      "::error::Input 'sqlite' must be a path, file:///... or s3://bucket/key, got 'ftp://'"
    );
    // An input error gets a step summary too, naming the input.
    expect(ftp.summary).toContain(
      "Input 'sqlite' must be a path, file:///... or s3://bucket/key, got 'ftp://'"
    );
    const folder = await runImport({ sqlite: 's3://bucket/folder/', 'database-url': url });
    expect(folder.stdout).toContain("::error::Input 'sqlite' must name an object, not a folder");
    const noUrl = await runImport({ sqlite: fixture() });
    expect(noUrl.stdout).toContain("::error::Input 'database-url' is required");
    const missing = await runImport({ sqlite: join(dir, 'nope.db'), 'database-url': url });
    expect(missing.stdout).toMatch(/::error::Cannot open SQLite database .*nope\.db/);
  });
});

describe('import-sqlite leaves the target as it was when the copy goes wrong', () => {
  test('a failure injected mid-copy (signups, after volunteers and events were copied) rolls everything back', async () => {
    const url = await target();
    await query(
      url,
      `CREATE FUNCTION fail_mid_copy() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN IF NEW.id = 20 THEN RAISE EXCEPTION 'injected failure at signup %', NEW.id; END IF; RETURN NEW; END $$;
       CREATE TRIGGER fail_mid_copy BEFORE INSERT ON signups FOR EACH ROW EXECUTE FUNCTION fail_mid_copy();`
    );
    const r = await runImport({ sqlite: fixture(), 'database-url': url });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/volunteers: 38 rows copied/); // the failure came after earlier tables were written
    expect(r.stdout).toMatch(
      /::error::.*COPY into signups failed: injected failure at signup 20.*rolled back/
    );
    expect(r.outputs.verified).toBe('false');
    // The step summary says it failed, why, and that nothing stayed.
    expect(r.summary).toContain('## Cut-over from SQLite: FAILED, rolled back');
    expect(r.summary).toMatch(/\*\*.*COPY into signups failed: injected failure at signup 20.*\*\*/);
    expect(r.summary).toMatch(/\*\*Rows copied\*\* \| \d+ \(rolled back\)/);
    expect(await rowCounts(url)).toEqual({ volunteers: 0, events: 0, signups: 0, preferences: 0 });
    // Sequences were not touched either (they are reset only right before COMMIT).
    expect(await one(url, 'SELECT last_value::int, is_called FROM volunteers_id_seq')).toEqual({
      last_value: 1,
      is_called: false
    });
  });

  test('one altered value (a trigger appends a space to one name) is caught by the checksum and rolled back', async () => {
    const url = await target();
    await query(
      url,
      `CREATE FUNCTION alter_one() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN IF NEW.id = 7 THEN NEW.name := NEW.name || ' '; END IF; RETURN NEW; END $$;
       CREATE TRIGGER alter_one BEFORE INSERT ON volunteers FOR EACH ROW EXECUTE FUNCTION alter_one();`
    );
    const r = await runImport({ sqlite: fixture(), 'database-url': url });
    expect(r.code).not.toBe(0);
    expect(r.summary).toMatch(/\| volunteers \| 38 \| 38 \| MISMATCH \|/);
    expect(r.summary).toMatch(/\| events \| 7 \| 7 \| match \|/);
    expect(r.stdout).toMatch(/::error::.*verification failed for volunteers/);
    expect(r.outputs.verified).toBe('false');
    expect(await rowCounts(url)).toEqual({ volunteers: 0, events: 0, signups: 0, preferences: 0 });
  });
});

describe('import-sqlite: what only PostgreSQL can find', () => {
  test('two emails equal but for case break the unique lower(email) index: rolled back with its name', async () => {
    const url = await target();
    const r = await runImport({ sqlite: fixture(['dup-email']), 'database-url': url });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(
      /::error::import-sqlite: index ix_volunteers_email_lower on volunteers does not hold for the copied rows: could not create unique index .*rolled back/
    );
    expect(await rowCounts(url)).toEqual({ volunteers: 0, events: 0, signups: 0, preferences: 0 });
    const indexes = await query(
      url,
      `SELECT indexname FROM pg_indexes WHERE indexname = 'ix_volunteers_email_lower'`
    );
    expect(indexes).toHaveLength(1); // the rollback put the dropped index back
  });
});

describe('import-sqlite dry run and storage sources', () => {
  test('dry-run copies and verifies everything, then rolls back (sequences untouched)', async () => {
    const url = await target();
    const r = await runImport({ sqlite: fixture(), 'database-url': url, 'dry-run': 'true' });
    expect(r.code).toBe(0);
    expect(r.outputs).toEqual({ tables: '4', rows: '99', verified: 'true' });
    expect(r.summary).toContain('dry run verified, rolled back');
    expect(r.summary).toMatch(/\| signups \| 35 \| 35 \| match \|/);
    expect(await rowCounts(url)).toEqual({ volunteers: 0, events: 0, signups: 0, preferences: 0 });
    expect(await one(url, `SELECT nextval('volunteers_id_seq')::int AS n`)).toEqual({ n: 1 });
  });

  test('file:// URL source', async () => {
    const url = await target();
    const r = await runImport({ sqlite: `file://${fixture()}`, 'database-url': url });
    expect(r.code).toBe(0);
    expect(r.outputs.rows).toBe('99');
  });

  test('s3://bucket/key from the backup storage (Ceph RGW), with the S3 keys masked', async () => {
    const s3 = await sharedS3();
    const key = `cutover-${process.pid}/signupflow.db`;
    await s3
      .client()
      .send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: readFileSync(fixture()) }));
    const url = await target();
    const r = await runImport({
      sqlite: `s3://${s3.bucket}/${key}`,
      'database-url': url,
      's3-endpoint': s3.endpoint,
      's3-region': s3.region,
      's3-access-key-id': s3.accessKeyId,
      's3-secret-access-key': s3.secretAccessKey,
      's3-force-path-style': 'true'
    });
    expect(r.stdout + r.stderr).not.toContain('::error::');
    expect(r.code).toBe(0);
    expect(r.outputs.verified).toBe('true');
    expect(await rowCounts(url)).toEqual({ volunteers: 38, events: 7, signups: 35, preferences: 19 });
    expect(r.summary).toContain(`s3://${s3.bucket}/${key}`);
    const printed = r.stdout.replace(/^::add-mask::.*$/gm, '') + r.stderr + r.summary;
    expect(printed).not.toContain(s3.secretAccessKey);
    expect(printed).not.toContain(s3.accessKeyId);
    expect(r.stdout).toContain(`::add-mask::${s3.secretAccessKey}`);
  });
});

describe('import-sqlite cancelled', () => {
  test('SIGINT mid-copy rolls back, says so in the summary and exits non-zero', async () => {
    const url = await target();
    // Each signup takes 50 ms to insert, so the COPY of signups is still running when SIGINT arrives.
    await query(
      url,
      `CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.05); RETURN NEW; END $$;
       CREATE TRIGGER slow BEFORE INSERT ON signups FOR EACH ROW EXECUTE FUNCTION slow();`
    );
    const work = mkdtempSync(join(dir, 'sigint-'));
    writeFileSync(join(work, 'output'), '');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_OUTPUT: join(work, 'output'),
      GITHUB_STEP_SUMMARY: join(work, 'summary'),
      INPUT_SQLITE: fixture(),
      'INPUT_DATABASE-URL': url,
      'INPUT_DRY-RUN': 'false'
    };
    const child = spawn(node24(), [resolve('dist/import-sqlite/index.js')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let out = '';
    const sent = new Promise<void>(resolveSent => {
      const onData = (d: Buffer) => {
        out += d.toString();
        // preferences is copied just before signups: once it is done, signups' COPY is under way.
        if (/preferences: \d+ rows copied/.test(out) && !child.killed) {
          setTimeout(() => child.kill('SIGINT'), 300);
          resolveSent();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
    });
    const code = await new Promise<number | null>(r => child.on('close', c => r(c)));
    await sent;
    expect(code).not.toBe(0);
    expect(out).toContain('SIGINT received: cancelling');
    expect(out).toMatch(/::error::Cancelled by SIGINT; undone: .*roll back the import transaction/);
    expect(out).not.toMatch(/signups: 35 rows copied/);
    expect(readFileSync(join(work, 'summary'), 'utf8')).toContain('cancelled, rolled back');
    expect(parseOutputFile(readFileSync(join(work, 'output'), 'utf8')).verified).toBeUndefined();
    expect(await rowCounts(url)).toEqual({ volunteers: 0, events: 0, signups: 0, preferences: 0 });
  });
});
