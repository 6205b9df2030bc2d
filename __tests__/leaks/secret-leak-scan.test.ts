// The secret-leak scan: each action bundle run as the runner runs it, through success and failure cases against
// the real local stack (PostgreSQL, RGW, the App Platform simulator, a webhook receiver, a health endpoint), with
// secrets full of characters encoders treat differently. Everything a user can see — stdout and stderr without
// the `::add-mask::` commands the runner consumes, the step summary, the outputs — is scanned for every form of
// every secret: plain, each percent-encoding (Python quote/quote_plus, encodeURIComponent, lower-case hex),
// base64 and base64 Basic `user:password`, SQLAlchemy's URL forms, JSON-escaped.
// build-image pushes to a registry whose password has those characters, through a front that echoes the
// Authorization header in its refusal (the base64 Basic form a server may print back).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  sharedPostgres,
  sharedRegistry,
  sharedS3,
  type PostgresServer,
  type S3Server
} from '../../test-support/shared.js';
import { runAction, type ActionResult } from '../../test-support/action-process.js';
import type { Simulator } from '../../test-support/app-platform-sim/index.js';
import { startRegistry, type RegistryServer } from '../../test-support/registry.js';
import type { PushedImage } from '../../test-support/image-builder.js';
import { startSimulatorWithImages } from '../../test-support/signupflow-app.js';
import { buildahStorage, type BuildahStorage } from '../build-image/buildah-storage.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test-support/webhook-receiver.js';
import { repoRoot } from '../../bin/run-bundle.js';

const tag = randomBytes(4).toString('hex');
/** Every character class an encoder treats differently: reserved, `!*'()`, space, `+`, `%`, non-ASCII, quotes. */
const special = (name: string) => `${name}-${tag}!*'() ~+%:@/é"&=?#`;
const DB_USER = `leak_user_${tag}`;
const SECRETS = {
  dbPassword: special('Pw'),
  passphrase: special('Passphrase'),
  token: `dop_v1_${tag}!*'()~+%:@/`, // a header value: no space, no non-ASCII
  probePassword: special('Probe'),
  probeToken: special('QueryToken'),
  webhookToken: `Hook${tag}AbCdEfGhIjKlMnOp`,
  registryPassword: special('RegPw'),
  wrongRegistryPassword: special('RegWrong'),
  specSecret: special('SpecSecret'),
  specGeneral: special('SpecGeneral')
};
const REGISTRY_USER = 'leak-pusher';
const DB = `leak_src_${tag}`;
const work = mkdtempSync(join(tmpdir(), 'leak-scan-'));
let pgServer: PostgresServer;
let s3: S3Server;
let sim: Simulator;
let receiver: WebhookReceiver;
let health: Server;
let healthUrl = '';
let healthStatus = 200;
let dbUrlLower = '';
let dbUrlPython = '';
let registry: RegistryServer;
let echoFront: Server;
let echoFrontHost = '';
let storage: BuildahStorage;
let image: PushedImage;

afterAll(async () => {
  await sim?.stop();
  await receiver?.stop();
  await new Promise(r => (health ? health.close(r) : r(undefined)));
  await new Promise(r => (echoFront ? echoFront.close(r) : r(undefined)));
  await registry?.stop();
  storage?.cleanup();
  if (pgServer) {
    for (const db of [DB, `leak_restore_${tag}`, `leak_migrate_${tag}`, `leak_migrate_fail_${tag}`])
      await pgServer.dropDatabase(db).catch(() => undefined);
    await sql(pgServer.url, `DROP ROLE IF EXISTS ${DB_USER}`).catch(() => undefined);
  }
  rmSync(work, { recursive: true, force: true });
});

async function sql(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

/** Percent-encodes every non-alphanumeric byte in lower-case hex: a hand-written URL. */
const lowerHex = (s: string) =>
  [...Buffer.from(s)]
    .map(b =>
      /[A-Za-z0-9]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).padStart(2, '0')}`
    )
    .join('');

function urlWith(password: string, database: string, encode: (s: string) => string): string {
  return `postgresql://${DB_USER}:${encode(password)}@${pgServer.host}:${pgServer.port}/${database}`;
}

/** Python's own encodings of a secret (quote, quote_plus) and the machine's SQLAlchemy URL forms. */
function pythonForms(secret: string): Record<string, string> {
  const script = `
import json, sys
from urllib.parse import quote, quote_plus
from sqlalchemy.engine import make_url
s = sys.argv[1]
u = make_url('postgresql://u:' + quote(s, safe='') + '@h/db')
full = u.render_as_string(hide_password=False)
print(json.dumps({'python quote': quote(s), 'python quote safe=""': quote(s, safe=''), 'python quote_plus': quote_plus(s),
  'sqlalchemy password': full[len('postgresql://u:'):full.index('@h/db')]}))`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, secret], { encoding: 'utf8' })) as Record<
    string,
    string
  >;
}

/** Every form of every secret, with a name saying which, for the report. */
function allForms(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [name, secret] of Object.entries(SECRETS)) {
    const forms: Record<string, string> = {
      plain: secret,
      encodeURIComponent: encodeURIComponent(secret),
      'lower-case hex': encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, m => m.toLowerCase()),
      'every byte lower-case hex': lowerHex(secret),
      'form-urlencoded': new URLSearchParams({ v: secret }).toString().slice(2),
      base64: Buffer.from(secret).toString('base64'),
      'JSON-escaped': JSON.stringify(secret).slice(1, -1),
      ...pythonForms(secret)
    };
    if (name === 'dbPassword') forms['base64 Basic'] = Buffer.from(`${DB_USER}:${secret}`).toString('base64');
    if (name === 'probePassword') forms['base64 Basic'] = Buffer.from(`prober:${secret}`).toString('base64');
    if (name === 'registryPassword' || name === 'wrongRegistryPassword')
      forms['base64 Basic'] = Buffer.from(`${REGISTRY_USER}:${secret}`).toString('base64');
    for (const [how, form] of Object.entries(forms)) out.push([`${name} (${how})`, form]);
  }
  out.push(['s3 secret key', s3.secretAccessKey]);
  return out;
}

/** What a user can see of a run: the runner consumes `::add-mask::` lines, everything else shows. */
function visible(r: ActionResult): string {
  const lines = `${r.stdout}\n${r.stderr}`.split('\n').filter(l => !l.startsWith('::add-mask::'));
  return [...lines, r.summary, ...Object.entries(r.outputs).map(([k, v]) => `${k}=${v}`)].join('\n');
}

function leaks(r: ActionResult): string[] {
  const text = visible(r);
  return allForms()
    .filter(([, form]) => text.includes(form))
    .map(([what]) => what);
}

beforeAll(async () => {
  [pgServer, s3] = await Promise.all([sharedPostgres(), sharedS3()]);
  await sql(
    pgServer.url,
    `CREATE ROLE ${DB_USER} LOGIN CREATEDB PASSWORD '${SECRETS.dbPassword.replace(/'/g, "''")}'`
  );
  await sql(pgServer.url, `CREATE DATABASE ${DB} OWNER ${DB_USER}`);
  dbUrlLower = urlWith(SECRETS.dbPassword, DB, lowerHex);
  dbUrlPython = urlWith(SECRETS.dbPassword, DB, s =>
    encodeURIComponent(s).replace(/[!*'()]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  );
  await sql(
    dbUrlLower,
    "CREATE TABLE volunteers (id serial PRIMARY KEY, name text); INSERT INTO volunteers (name) VALUES ('a'), ('b')"
  );
  // The simulator with the example app's image in the shared registry, so a deploy can succeed.
  const withImages = await startSimulatorWithImages(
    { pg: pgServer, registry: await sharedRegistry() },
    { v1: {} },
    { token: SECRETS.token }
  );
  sim = withImages.sim;
  image = withImages.images.v1!;
  registry = await startRegistry({ username: REGISTRY_USER, password: SECRETS.registryPassword });
  echoFront = echoingRegistryFront(registry);
  await new Promise<void>(r => echoFront.listen(0, '127.0.0.1', r));
  echoFrontHost = `127.0.0.1:${(echoFront.address() as { port: number }).port}`;
  storage = buildahStorage();
  receiver = await startWebhookReceiver();
  health = createServer((_req, res) => {
    res.writeHead(healthStatus, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: healthStatus === 200 ? 'healthy' : 'unhealthy', version: 'v1' }));
  });
  await new Promise<void>(r => health.listen(0, '127.0.0.1', r));
  const port = (health.address() as { port: number }).port;
  healthUrl = `http://prober:${encodeURIComponent(SECRETS.probePassword)}@127.0.0.1:${port}/health?token=${encodeURIComponent(SECRETS.probeToken)}`;
}, 300_000);

/**
 * A registry in front of `target` that refuses every write carrying credentials (blob upload, manifest PUT) with 403, echoing the
 * request's Authorization header in the error message (as a misconfigured proxy or a verbose registry may);
 * reads, the login check included, go through.
 */
function echoingRegistryFront(target: RegistryServer): Server {
  const [host, port] = target.host.split(':') as [string, string];
  return createServer((req, res) => {
    // A write without credentials goes on to the registry, whose 401 challenge makes the client send them.
    if (!['GET', 'HEAD'].includes(req.method ?? '') && req.headers.authorization) {
      req.resume();
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          errors: [
            {
              code: 'DENIED',
              message: `push refused for authorization ${req.headers.authorization ?? '(none)'}`,
              detail: { authorization: req.headers.authorization }
            }
          ]
        })
      );
      return;
    }
    // The Host header stays the front's, so the registry's absolute Location URLs lead back here.
    const up = request(
      { host, port: Number(port), method: req.method, path: req.url, headers: req.headers },
      upRes => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      }
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
}

const s3Inputs = (prefix: string) => ({
  'storage-url': `s3://${s3.bucket}/${prefix}`,
  's3-endpoint': s3.endpoint,
  's3-region': s3.region,
  's3-access-key-id': s3.accessKeyId,
  's3-secret-access-key': s3.secretAccessKey,
  's3-force-path-style': 'true'
});

describe('backup', () => {
  const prefix = `leaks/${tag}`;
  test('backup, list, verify and restore succeed; nothing of a secret shows', async () => {
    const backup = await runAction('backup', {
      mode: 'backup',
      'database-url': dbUrlLower,
      passphrase: SECRETS.passphrase,
      ...s3Inputs(prefix)
    });
    expect(visible(backup)).toContain('backup-id=');
    expect(backup.code).toBe(0);
    expect(leaks(backup)).toEqual([]);
    const list = await runAction('backup', { mode: 'list', ...s3Inputs(prefix) });
    expect(list.code).toBe(0);
    expect(leaks(list)).toEqual([]);
    const verify = await runAction('backup', {
      mode: 'verify',
      'database-url': urlWith(SECRETS.dbPassword, 'postgres', lowerHex),
      passphrase: SECRETS.passphrase,
      ...s3Inputs(prefix)
    });
    expect(verify.code).toBe(0);
    expect(leaks(verify)).toEqual([]);
    await sql(pgServer.url, `CREATE DATABASE leak_restore_${tag} OWNER ${DB_USER}`);
    const restore = await runAction('backup', {
      mode: 'restore',
      'database-url': urlWith(SECRETS.dbPassword, `leak_restore_${tag}`, lowerHex),
      passphrase: SECRETS.passphrase,
      ...s3Inputs(prefix)
    });
    expect(restore.code).toBe(0);
    expect(leaks(restore)).toEqual([]);
  }, 300_000);

  test.each([
    [
      'a wrong database password',
      () => ({
        mode: 'backup',
        'database-url': urlWith(`${SECRETS.dbPassword}x`, DB, lowerHex),
        passphrase: SECRETS.passphrase
      })
    ],
    [
      'a database that does not exist (Python-style encoding)',
      () => ({
        mode: 'backup',
        'database-url': dbUrlPython.replace(DB, 'no_such_db'),
        passphrase: SECRETS.passphrase
      })
    ],
    [
      'a wrong passphrase on restore',
      () => ({
        mode: 'restore',
        'database-url': urlWith(SECRETS.dbPassword, `leak_restore_${tag}`, lowerHex),
        passphrase: `${SECRETS.passphrase}-wrong`
      })
    ],
    [
      'a wrong S3 secret',
      () => ({
        mode: 'backup',
        'database-url': dbUrlLower,
        passphrase: SECRETS.passphrase,
        's3-secret-access-key': SECRETS.passphrase
      })
    ]
  ])(
    'fails on %s; nothing of a secret shows',
    async (_what, extra) => {
      const r = await runAction('backup', { ...s3Inputs(prefix), ...extra() });
      expect(r.code).toBe(1);
      expect(leaks(r)).toEqual([]);
    },
    120_000
  );
});

describe('migrate', () => {
  function project(envPy?: string): string {
    const dir = mkdtempSync(join(work, 'alembic-'));
    cpSync(join(repoRoot, '__tests__', 'migrate', 'fixtures', 'linear', 'versions'), join(dir, 'versions'), {
      recursive: true
    });
    mkdirSync(join(dir, 'env'));
    cpSync(join(repoRoot, '__tests__', 'migrate', 'fixtures', 'shared'), join(dir, 'env'), {
      recursive: true
    });
    if (envPy) writeFileSync(join(dir, 'env', 'env.py'), envPy);
    // The fixtures' env.py configures logging from alembic.ini (fileConfig): keep its logging sections.
    const ini = readFileSync(
      join(repoRoot, '__tests__', 'migrate', 'fixtures', 'requirements', 'alembic.ini'),
      'utf8'
    )
      .replace(/^script_location = .*$/m, 'script_location = %(here)s/env')
      .replace(/^version_locations = .*$/m, 'version_locations = %(here)s/versions');
    writeFileSync(join(dir, 'alembic.ini'), ini);
    return dir;
  }

  test('applies the revisions with a lower-case-encoded URL; nothing of the password shows', async () => {
    await sql(pgServer.url, `CREATE DATABASE leak_migrate_${tag} OWNER ${DB_USER}`);
    const r = await runAction('migrate', {
      'database-url': urlWith(SECRETS.dbPassword, `leak_migrate_${tag}`, lowerHex),
      'working-directory': project(),
      alembic: '/usr/bin/alembic'
    });
    expect(r.code).toBe(0);
    expect(leaks(r)).toEqual([]);
  }, 180_000);

  test('an env.py that prints and raises with SQLAlchemy URL forms: nothing of the password shows', async () => {
    await sql(pgServer.url, `CREATE DATABASE leak_migrate_fail_${tag} OWNER ${DB_USER}`);
    const envPy = `import os, sys
from urllib.parse import quote_plus
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
url = make_url(os.environ["DATABASE_URL"])
engine = create_engine(url)
print("engine url:", engine.url, repr(engine.url), engine, file=sys.stderr)
print("rendered:", url.render_as_string(hide_password=False), file=sys.stderr)
print("quoted:", quote_plus(url.password), file=sys.stderr)
raise RuntimeError(f"cannot migrate {url.render_as_string(hide_password=False)} with password {url.password}")
`;
    const r = await runAction('migrate', {
      'database-url': dbUrlPython.replace(DB, `leak_migrate_fail_${tag}`),
      'working-directory': project(envPy),
      alembic: '/usr/bin/alembic'
    });
    expect(r.code).toBe(1);
    expect(visible(r)).toMatch(/RuntimeError|cannot migrate/);
    expect(leaks(r)).toEqual([]);
  }, 180_000);
});

describe('deploy-app-platform', () => {
  test('a wrong token (the right one with a suffix): 401, nothing of the token shows', async () => {
    const r = await runAction('deploy-app-platform', {
      token: `${SECRETS.token}zz`,
      'app-id': '00000000-0000-4000-8000-000000000000',
      image: `ghcr.io/o/a@sha256:${'e'.repeat(64)}`,
      'api-url': sim.url,
      timeout: '30s',
      'poll-interval': '100ms'
    });
    expect(r.code).toBe(1);
    expect(leaks(r)).toEqual([]);
  }, 120_000);

  test('an app spec whose substituted secret the API rejects: nothing of the secret shows', async () => {
    const spec = join(work, 'app.yaml');
    writeFileSync(
      spec,
      'name: leak-app\nregion: nowhere-${SECRET_KEY}\nservices:\n  - name: web\n    image:\n      registry_type: GHCR\n      registry: o\n      repository: a\n      digest: sha256:' +
        'e'.repeat(64) +
        '\n    envs:\n      - key: SECRET_KEY\n        value: ${SECRET_KEY}\n        type: SECRET\n'
    );
    const r = await runAction(
      'deploy-app-platform',
      {
        token: SECRETS.token,
        'app-name': 'leak-app',
        'app-spec': spec,
        'api-url': sim.url,
        timeout: '30s',
        'poll-interval': '100ms'
      },
      { SECRET_KEY: SECRETS.passphrase }
    );
    expect(r.code).toBe(1);
    expect(leaks(r)).toEqual([]);
  }, 120_000);
});

describe('build-image', () => {
  const buildWork = () => {
    const dir = mkdtempSync(join(work, 'build-'));
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'hello.txt'), `hello ${tag}\n`);
    writeFileSync(join(dir, 'app', 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n');
    return dir;
  };
  const eventFile = join(work, 'event.json');
  const build = (host: string, password: string, sha: string) => {
    writeFileSync(eventFile, JSON.stringify({ repository: { default_branch: 'main' } }));
    const dir = buildWork();
    return runAction(
      'build-image',
      {
        image: `${host}/leaks/app-${tag}`,
        context: 'app',
        file: 'app/Dockerfile',
        'registry-username': REGISTRY_USER,
        'registry-password': password,
        'tls-verify': 'false',
        builder: 'buildah'
      },
      {
        CONTAINERS_STORAGE_CONF: storage.env.CONTAINERS_STORAGE_CONF,
        GITHUB_WORKSPACE: dir,
        GITHUB_REPOSITORY: 'Acme-Church/SignUpFlow',
        GITHUB_SHA: sha,
        GITHUB_REF: 'refs/heads/main',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: eventFile
      }
    );
  };

  test('builds and pushes with a password full of special characters: neither it nor its Basic form shows', async () => {
    const r = await build(registry.host, SECRETS.registryPassword, `${tag}${'0'.repeat(32)}`);
    expect(r.code).toBe(0);
    expect(r.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(leaks(r)).toEqual([]);
  }, 300_000);

  test('a wrong password (login refused): neither password nor its Basic form shows', async () => {
    const r = await build(registry.host, SECRETS.wrongRegistryPassword, `${tag}${'1'.repeat(32)}`);
    expect(r.code).toBe(1);
    expect(visible(r)).toMatch(/401/);
    expect(leaks(r)).toEqual([]);
  }, 300_000);

  test('a push the registry refuses, echoing the Authorization header: the Basic form does not show', async () => {
    const r = await build(echoFrontHost, SECRETS.registryPassword, `${tag}${'2'.repeat(32)}`);
    expect(r.code).toBe(1);
    // The refusal reached the log (masked), so the scan looked at the echo.
    expect(visible(r)).toMatch(/push refused for authorization Basic /);
    expect(leaks(r)).toEqual([]);
  }, 300_000);
});

describe('deploy-app-platform success', () => {
  test('creates an app from a spec with substituted SECRET and GENERAL values, logs printed: nothing of them or the token shows', async () => {
    const spec = join(work, 'app-ok.json');
    // JSON is YAML: the placeholders sit in strings, substituted by the action.
    writeFileSync(
      spec,
      JSON.stringify({
        name: `leak-ok-${tag}`,
        region: 'nyc',
        services: [
          {
            name: 'web',
            image: image.source,
            http_port: 8000,
            instance_count: 1,
            health_check: { http_path: '/health', period_seconds: 10 },
            envs: [
              { key: 'SECRET_KEY', value: '${SECRET_KEY}', type: 'SECRET', scope: 'RUN_TIME' },
              { key: 'PARTNER_API_PASSWORD', value: '${PARTNER_API_PASSWORD}', scope: 'RUN_TIME' }
            ]
          }
        ]
      })
    );
    const r = await runAction(
      'deploy-app-platform',
      {
        token: SECRETS.token,
        'app-name': `leak-ok-${tag}`,
        'app-spec': spec,
        'api-url': sim.url,
        'print-logs': 'always',
        timeout: '3m',
        'poll-interval': '200ms'
      },
      { SECRET_KEY: SECRETS.specSecret, PARTNER_API_PASSWORD: SECRETS.specGeneral }
    );
    expect(r.stdout + r.stderr).not.toMatch(/::error::/);
    expect(r.code).toBe(0);
    expect(r.outputs.phase).toBe('ACTIVE');
    // The GENERAL value came back in the app as written: it really was substituted and deployed.
    const app = sim.app(r.outputs['app-id']!) as {
      spec: { services: { envs: { key: string; value: string }[] }[] };
    };
    expect(app.spec.services[0]!.envs.find(e => e.key === 'PARTNER_API_PASSWORD')!.value).toBe(
      SECRETS.specGeneral
    );
    expect(leaks(r)).toEqual([]);
  }, 300_000);
});

describe('health-gate', () => {
  test.each([
    ['healthy', 200, 0],
    ['unhealthy (no rollback)', 503, 1]
  ])(
    '%s, probing a URL with user-info and ?token=: nothing of either shows',
    async (_what, status, code) => {
      healthStatus = status;
      const r = await runAction('health-gate', {
        url: healthUrl,
        window: '1s',
        interval: '200ms',
        'failure-threshold': '2',
        rollback: 'false'
      });
      expect(r.code).toBe(code);
      expect(leaks(r)).toEqual([]);
    },
    120_000
  );

  test('unhealthy with rollback and a wrong token: nothing of the token shows', async () => {
    healthStatus = 503;
    const r = await runAction('health-gate', {
      url: healthUrl,
      window: '1s',
      interval: '200ms',
      'failure-threshold': '2',
      rollback: 'true',
      token: `${SECRETS.token}zz`,
      'app-id': '00000000-0000-4000-8000-000000000000',
      'api-url': sim.url
    });
    expect(r.code).toBe(1);
    expect(leaks(r)).toEqual([]);
  }, 120_000);
});

describe('notify', () => {
  test.each([
    ['delivered', 'ok', 0],
    ['refused by the webhook (notify warns, never fails the job)', 'error', 0]
  ] as const)(
    '%s: nothing of the webhook URL shows',
    async (_what, mode, code) => {
      receiver.setMode(mode);
      const r = await runAction('notify', {
        event: 'rollback',
        'webhook-url': `${receiver.url}/hooks/${SECRETS.webhookToken}`,
        details: `failed with ${SECRETS.dbPassword}`,
        timeout: '3s'
      });
      expect(r.code === 0 ? 0 : 1).toBe(code);
      expect(leaks(r)).toEqual([]);
    },
    120_000
  );
});
